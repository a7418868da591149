# The two commands a reader needs: `make book` and `make test`. Both set up .venv themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HTML   := _build/html

.DEFAULT_GOAL := help
.PHONY: help book test lab bench clean venv nbstripout

help:
	@echo "make book   build the book into $(HTML) (sets up $(VENV) first)"
	@echo "make test   run every test: cnnlib, notebooks, the built book in a browser"
	@echo "make lab    open the notebooks live in JupyterLab (LAB_ARGS=\"--no-browser --port 8899\")"
	@echo "make bench  time cnnlib against scipy (and torch 2.13.0 when installed)"
	@echo "make clean  remove $(VENV), _build and caches"

# Installation runs again only when requirements.txt or pyproject.toml changed.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@$(MAKE) --no-print-directory nbstripout
	@touch $(STAMP)

# Git stores notebooks without outputs, whatever Jupyter saved: nbstripout (pinned in
# requirements.txt) becomes the clean filter that .gitattributes names. Cell ids are kept,
# and so is the language name, but not the details Jupyter rewrites on every save.
NB_EXTRA_KEYS := metadata.language_info.codemirror_mode metadata.language_info.file_extension \
	metadata.language_info.mimetype metadata.language_info.nbconvert_exporter \
	metadata.language_info.pygments_lexer metadata.language_info.version
nbstripout:
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	    $(BIN)/nbstripout --install --attributes .gitattributes && \
	    git config filter.nbstripout.clean '"$(abspath $(BIN))/python" -m nbstripout --keep-id' && \
	    git config filter.nbstripout.extrakeys "$(NB_EXTRA_KEYS)" && \
	    echo "nbstripout is the git filter for notebooks"; \
	else echo "not a git checkout: no nbstripout filter installed"; fi

venv: $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build --warningiserror --keep-going .
	@echo ""
	@echo "The book is ready: $(abspath $(HTML))/index.html"

test: $(STAMP)
	$(BIN)/jupyter-book build --warningiserror --keep-going .
	$(BIN)/python -m pytest tests notebooks --nbval-lax --nbval-current-env -p no:cacheprovider

# Served from the repository root (so ../assets/... in the chapters resolves), opened on the
# notebooks folder. Extra options: make lab LAB_ARGS="--no-browser --port 8899".
LAB_ARGS ?=
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=. $(ROOT_FLAG) $(LAB_ARGS) notebooks/

bench: $(STAMP)
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) _build .pytest_cache .hypothesis .jupyter_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
