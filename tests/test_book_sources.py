"""The book's sources: notebooks committed clean, every chapter in the table of contents,
every asset the book references present on disk."""
import json
import re
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


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(nb):
    data = json.loads(nb.read_text())
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
