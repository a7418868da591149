"""The book's sources: notebooks committed clean, every chapter in the table of contents,
every asset the book references present on disk."""
import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def toc_files():
    """Every `file:` entry of _toc.yml, root included, without suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc.get("parts", []))
    walk(toc.get("chapters", []))
    return files


def book_pages():
    """Paths of every source page the table of contents lists."""
    pages = []
    for name in toc_files():
        for suffix in (".ipynb", ".md"):
            path = ROOT / (name + suffix)
            if path.exists():
                pages.append(path)
                break
        else:
            raise AssertionError(f"_toc.yml lists {name!r}, which has no .ipynb or .md file")
    return pages


def test_toc_is_a_numbered_book():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    assert toc["format"] == "jb-book"
    assert toc.get("options", {}).get("numbered") is True
    assert toc["parts"], "the book has no parts"


def test_every_toc_entry_exists():
    assert book_pages()


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_listed_in_toc(nb):
    listed = set(toc_files())
    assert f"notebooks/{nb.stem}" in listed, f"{nb.name} is not listed in _toc.yml"


def stored_text(path):
    """The text git stores for ``path`` (its staged blob, what the nbstripout filter let
    in), or the working copy when git does not track it (or there is no git)."""
    rel = path.relative_to(ROOT).as_posix()
    try:
        staged = subprocess.run(["git", "ls-files", "-s", "--", rel], cwd=ROOT, check=True,
                                capture_output=True, text=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return path.read_text()
    if not staged:
        return path.read_text()
    blob = staged[1]  # "<mode> <blob> <stage>\t<path>"
    return subprocess.run(["git", "cat-file", "blob", blob], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(nb):
    # What git stores, not the working copy: a reader may run and save every chapter in
    # Jupyter; the nbstripout filter (.gitattributes, installed by `make venv`) strips
    # outputs on the way into git.
    data = json.loads(stored_text(nb))
    dirty = [
        i for i, cell in enumerate(data["cells"])
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]
    assert not dirty, f"{nb.name}: code cells {dirty} carry outputs or execution counts; clear them"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_no_leftover_markers(nb):
    text = nb.read_text()
    for marker in ("TODO", "FIXME", "XXX"):
        assert marker not in text, f"{nb.name} contains {marker!r}"


# The book's code column fits 77 characters of code at 1280 px, 74 inside an exercise's
# solution (a dropdown, indented); a longer line scrolls sideways (tests/test_browser.py
# checks the rendered pages, this the sources, quickly).
MAX_CODE_LINE, MAX_SOLUTION_LINE = 77, 74


def code_lines_too_long(cells):
    """(cell index, line, limit) for every code line wider than the page shows."""
    long, in_solution = [], False
    for i, cell in enumerate(cells):
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            starts, ends = text.rfind("{solution-start}"), text.rfind("{solution-end}")
            if max(starts, ends) >= 0:
                in_solution = starts > ends
            continue
        if cell["cell_type"] != "code":
            continue
        limit = MAX_SOLUTION_LINE if in_solution else MAX_CODE_LINE
        long += [(i, line, limit) for line in text.splitlines() if len(line) > limit]
    return long


def test_code_line_limit_is_tighter_inside_a_solution():
    md = lambda text: {"cell_type": "markdown", "source": [text]}  # noqa: E731
    code = {"cell_type": "code", "source": ["x" * 75]}
    assert code_lines_too_long([code]) == []
    assert code_lines_too_long([md("```{solution-start} ex-1\n```"), code]) != []
    assert code_lines_too_long([md("```{solution-start} ex-1\n```"), md("```{solution-end}\n```"),
                                code]) == []


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_code_lines_fit_the_page_without_scrolling(nb):
    long = code_lines_too_long(json.loads(nb.read_text())["cells"])
    assert not long, (f"{nb.name}: code lines scroll sideways in the book:\n  " + "\n  ".join(
        f"cell {i}: {line!r} ({len(line)} characters, at most {limit})" for i, line, limit in long))


ASSET_REF = re.compile(r"assets/[A-Za-z0-9_./-]+\.(?:png|gif|jpg|jpeg|svg)")


def test_every_referenced_asset_exists():
    sources = book_pages() + [ROOT / "README.md"]
    missing = []
    for page in sources:
        if not page.exists():
            continue
        for ref in set(ASSET_REF.findall(page.read_text())):
            path = ref.split("assets/", 1)[1]
            if not (ROOT / "assets" / path).exists():
                missing.append(f"{page.name}: {ref}")
    assert not missing, "referenced assets are missing: " + ", ".join(missing)


def git_clean_filter():
    try:
        return subprocess.run(["git", "config", "filter.nbstripout.clean"], cwd=ROOT,
                              check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def test_gitattributes_sends_notebooks_through_nbstripout():
    attributes = (ROOT / ".gitattributes").read_text().splitlines()
    assert "*.ipynb filter=nbstripout" in attributes


def test_notebooks_run_and_saved_in_jupyter_go_into_git_unchanged(tmp_path):
    clean = git_clean_filter()
    if clean is None:
        pytest.skip("the nbstripout git filter is not installed here: run `make venv`")
    stored, saved = {}, []
    for nb in NOTEBOOKS:
        stored[nb.name] = stored_text(nb)
        run = json.loads(stored[nb.name])
        for i, cell in enumerate(c for c in run["cells"] if c["cell_type"] == "code"):
            cell["execution_count"] = i + 1
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "out\n"}]
        run["metadata"].setdefault("language_info", {}).update(
            version="3.11.2", mimetype="text/x-python", file_extension=".py",
            codemirror_mode={"name": "ipython", "version": 3}, pygments_lexer="ipython3",
            nbconvert_exporter="python")  # what Jupyter writes on save
        saved.append(tmp_path / nb.name)
        saved[-1].write_text(json.dumps(run))
    # the filter's own command, on files instead of stdin (one process for all)
    subprocess.run(f"{clean} {' '.join(shlex.quote(str(p)) for p in saved)}", shell=True,
                   cwd=ROOT, check=True, capture_output=True)
    changed = [p.name for p in saved if p.read_text() != stored[p.name]]
    assert not changed, f"after nbstripout these differ from what git stores: {changed}"
