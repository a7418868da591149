# The two commands a reader needs: `make book` and `make test`. Both set up .venv themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HTML   := _build/html

.DEFAULT_GOAL := help
.PHONY: help book test lab bench clean venv

help:
	@echo "make book   build the book into $(HTML) (sets up $(VENV) first)"
	@echo "make test   run every test: cnnlib, notebooks, the built book in a browser"
	@echo "make lab    open the notebooks live in JupyterLab"
	@echo "make bench  time cnnlib against scipy (and torch 2.13.0 when installed)"
	@echo "make clean  remove $(VENV), _build and caches"

# Installation runs again only when requirements.txt or pyproject.toml changed.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

venv: $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build --warningiserror --keep-going .
	@echo ""
	@echo "The book is ready: $(abspath $(HTML))/index.html"

test: $(STAMP)
	$(BIN)/jupyter-book build --warningiserror --keep-going .
	$(BIN)/python -m pytest tests notebooks --nbval-lax --nbval-current-env -p no:cacheprovider

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP)
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) _build .pytest_cache .hypothesis .jupyter_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
