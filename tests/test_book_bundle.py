"""A page fetches one stylesheet and two scripts (`_ext/book_bundle.py`): the stylesheets
of a page's head join in one file with their imports inlined and their url()s rebased, the
parser-blocking scripts in another (with the inline scripts between them, in order), and the
deferred scripts in a third.

That the real pages still look and work the same is checked in `test_browser.py` (every
element's computed style against the theme's own files, no JavaScript errors, the menus,
tooltips, copy buttons, search).
"""
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

from book_bundle import MANIFEST, BundleError, bundle_pages, bundle_text  # noqa: E402

HEAD = """<!DOCTYPE html><html><head>
  <title>t</title>
  <script>document.documentElement.dataset.mode = "light";</script>
  {links}
  <!-- a comment with <script src="../_static/nothing.js"></script> inside -->
  {scripts}
</head><body><p>text</p>
{body}
</body></html>"""

LINKS = """<link href="../_static/styles/theme.css?digest=1" rel="stylesheet" />
  <link rel="stylesheet" type="text/css" href="../_static/pygments.css?v=2" />
  <link rel="stylesheet" type="text/css" href="../_static/own.css" />"""

SCRIPTS = """<script defer src="../_static/scripts/first.js?digest=1"></script>
  <link rel="preload" as="script" href="../_static/scripts/last.js?digest=1" />
  <script src="../_static/a.js?v=1"></script>
  <script>let hint = 'Click';</script>
  <script data-prefix="p-" src="../_static/b.js?v=2"></script>
  <script>DOCUMENTATION_OPTIONS.pagename = 'notebooks/page';</script>"""

BODY = """<script>var inline = "<script defer src='../_static/x.js'></script>";</script>
<script defer src="../_static/scripts/middle.js"></script>
<script defer src="../_static/scripts/last.js?digest=1"></script>"""

FILES = {
    "_static/basic.css": '.b { background: url(file.png) }\n',
    "_static/styles/theme.css": '@charset "UTF-8";\n@import "../basic.css";\n'
                                '.t { background: url(../images/t.png) }\n'
                                '/*# sourceMappingURL=theme.css.map */\n',
    "_static/pygments.css": '.p { background: url("data:image/svg+xml;charset=utf-8,'
                            "%3Csvg stroke='rgba(1, 2, 3, 0.5)'%3E\") }\n"
                            "@font-face { src: url('../_static/vendor/f.woff2?v=1#x') }\n"
                            ".q { background: url(https://example.com/q.png) }\n",
    "_static/own.css": ".o { color: red }\n",
    "_static/a.js": '"use strict";\nvar A = 1; // no newline at the end',
    "_static/b.js": "var B = document.currentScript.getAttribute('data-prefix');\n",
    "_static/scripts/first.js": "var F = 1;\n//# sourceMappingURL=first.js.map\n",
    "_static/scripts/middle.js": "var M = 1;\n",
    "_static/scripts/last.js": "var L = 1;\n",
}


def make_book(tmp_path, links=LINKS, scripts=SCRIPTS, body=BODY, files=FILES):
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    page = tmp_path / "notebooks" / "page.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(HEAD.format(links=links, scripts=scripts, body=body))
    return tmp_path


def build(book, pages=("notebooks/page.html",)):
    texts = bundle_pages(book, {rel: (book / rel).read_text() for rel in pages})
    for rel, text in texts.items():
        (book / rel).write_text(text)
    return texts


def manifest(book):
    return json.loads((book / "_static" / MANIFEST).read_text())


def bundle_of(book, text, kind):
    """(name, content) of the bundle the page links as `kind` ('css', 'js' or 'defer')."""
    if kind == "css":
        m = re.search(r'<link rel="stylesheet" href="\.\./_static/book-(\w+)\.css\?v=\w+" />',
                      text)
    else:
        attr = r"defer " if kind == "defer" else r"(?![^>]*defer)[^>]*"
        m = re.search(rf'<script {attr}[^>]*src="\.\./_static/book-(\w+)\.js\?v=\w+">', text)
    assert m, f"no {kind} bundle in the page:\n{text}"
    ext = "css" if kind == "css" else "js"
    return m.group(1), (book / "_static" / f"book-{m.group(1)}.{ext}").read_text()


def test_stylesheets_join_with_imports_inlined_and_urls_rebased(tmp_path):
    book = make_book(tmp_path)
    text = build(book)["notebooks/page.html"]
    assert text.count('rel="stylesheet"') == 1, text
    name, css = bundle_of(book, text, "css")
    assert manifest(book)[name]["sources"] == [
        ["file", "_static/styles/theme.css"], ["file", "_static/pygments.css"],
        ["file", "_static/own.css"]]
    # in the order the page had them, basic.css where theme.css imported it
    order = [css.index(s) for s in (".b {", ".t {", ".p {", ".o {")]
    assert order == sorted(order), css
    assert "@import" not in css and "@charset" not in css and "sourceMappingURL" not in css
    # relative to the bundle in _static/, where they pointed from their own file
    assert 'url("file.png")' in css
    assert 'url("images/t.png")' in css
    assert 'url("vendor/f.woff2?v=1#x")' in css
    # data: URIs (with their brackets) and other sites are left as they are
    assert "rgba(1, 2, 3, 0.5)'%3E\")" in css
    assert "url(https://example.com/q.png)" in css


def test_blocking_scripts_join_in_order_with_the_inline_ones_between(tmp_path):
    book = make_book(tmp_path)
    text = build(book)["notebooks/page.html"]
    name, js = bundle_of(book, text, "js")
    assert manifest(book)[name]["sources"] == [
        ["file", "_static/a.js"], ["inline", "let hint = 'Click';"], ["file", "_static/b.js"]]
    order = [js.index(s) for s in ("var A = 1", "let hint", "var B =")]
    assert order == sorted(order), js
    # b.js reads its data- attribute from the <script> that runs it
    assert re.search(r'<script data-prefix="p-" src="\.\./_static/book-\w+\.js', text), text
    # the first file's "use strict" does not cover the others: an empty statement comes first
    assert js.index(";\n") < js.index('"use strict"')
    # a file's last line comment does not swallow the next file
    assert "// no newline at the end\n" in js
    # the page's own inline script stays in the page, after the bundle; so does the colour mode
    assert text.index("book-" + name) < text.index("DOCUMENTATION_OPTIONS.pagename")
    assert 'dataset.mode = "light"' in text
    assert "_static/a.js" not in text and "_static/b.js" not in text


def test_deferred_scripts_join_where_the_first_was_and_their_preload_goes(tmp_path):
    book = make_book(tmp_path)
    text = build(book)["notebooks/page.html"]
    name, js = bundle_of(book, text, "defer")
    assert [s[1] for s in manifest(book)[name]["sources"]] == [
        "_static/scripts/first.js", "_static/scripts/middle.js", "_static/scripts/last.js"]
    assert "sourceMappingURL" not in js
    head = text[:text.index("</head>")]
    assert "book-" + name in head
    assert "scripts/last.js" not in text and "scripts/middle.js" not in text
    assert 'rel="preload"' not in text
    # a tag written inside an inline script is text, not a script to bundle
    assert "<script defer src='../_static/x.js'></script>" in text


@pytest.mark.parametrize("breaker, left", [
    ('<script async src="../_static/c.js"></script>', "c.js"),
    ('<script src="https://cdn.example.com/c.js"></script>', "cdn.example.com"),
    ('<script src="../_static/own-src.js"></script>', "own-src.js"),
])
def test_a_script_that_cannot_join_splits_the_run(tmp_path, breaker, left):
    files = {**FILES, "_static/c.js": "var C = 1;\n",
             "_static/own-src.js": "var here = document.currentScript.src;\n"}
    scripts = SCRIPTS.replace("  <script>let hint", f"  {breaker}\n  <script>let hint")
    book = make_book(tmp_path, scripts=scripts, files=files)
    text = build(book)["notebooks/page.html"]
    assert left in text, text
    # a.js alone before it and b.js alone after it: no bundle of one file
    assert "_static/a.js" in text and "_static/b.js" in text
    assert text.index("_static/a.js") < text.index(left) < text.index("_static/b.js")


def test_scripts_wanting_different_data_attributes_go_in_different_files(tmp_path):
    files = {**FILES, "_static/c.js": "var C = 1;\n"}
    scripts = SCRIPTS.replace("  <script>let hint", '  <script data-prefix="other-" '
                              'src="../_static/c.js"></script>\n  <script>let hint')
    book = make_book(tmp_path, scripts=scripts, files=files)
    text = build(book)["notebooks/page.html"]
    name, js = bundle_of(book, text, "js")
    assert [s[1] for s in manifest(book)[name]["sources"]] == ["_static/a.js", "_static/c.js"]
    assert f'<script data-prefix="other-" src="../_static/book-{name}.js' in text
    # b.js keeps its own tag, and the inline script before it stays before it
    b = text.index('<script data-prefix="p-" src="../_static/b.js?v=2"></script>')
    assert text.index(name) < text.index("let hint") < b


def test_deferred_scripts_stop_at_a_module_script_to_keep_their_order(tmp_path):
    body = BODY.replace('<script defer src="../_static/scripts/middle.js">',
                        '<script type="module" src="../_static/scripts/middle.js">')
    book = make_book(tmp_path, body=body)
    text = build(book)["notebooks/page.html"]
    assert "scripts/middle.js" in text and "scripts/last.js" in text
    assert not re.search(r"<script defer src=\"\.\./_static/book-", text)


def test_a_rebuild_refreshes_the_bundles_and_their_versions(tmp_path):
    book = make_book(tmp_path)
    first = build(book)["notebooks/page.html"]
    assert build(book)["notebooks/page.html"] == first   # nothing changed, nothing moves
    # Sphinx copies the theme's files again and leaves the page as the last build wrote it
    (book / "_static" / "own.css").write_text(".o { color: blue }\n")
    second = build(book)["notebooks/page.html"]
    name, css = bundle_of(book, second, "css")
    assert ".o { color: blue }" in css and ".o { color: red }" not in css
    version = re.compile(r"book-\w+\.css\?v=(\w+)")
    assert version.search(first).group(1) != version.search(second).group(1)
    assert version.sub("", first) == version.sub("", second)


def test_a_page_linking_a_bundle_whose_files_are_gone_is_a_build_error(tmp_path):
    book = make_book(tmp_path)
    build(book)
    (book / "_static" / "own.css").unlink()
    with pytest.raises(BundleError, match=r"notebooks/page\.html links the bundle .*rebuild"):
        build(book)


@pytest.mark.parametrize("rule", ['@import "../basic.css" print;',
                                  '@import url(https://example.com/x.css);'])
def test_an_import_that_cannot_be_inlined_is_a_build_error(tmp_path, rule):
    files = {**FILES, "_static/styles/theme.css": rule + "\n.t { color: red }\n"}
    book = make_book(tmp_path, files=files)
    with pytest.raises(BundleError, match=r"cannot inline .* in _static/styles/theme\.css"):
        build(book)


def test_pages_at_the_root_link_the_same_bundles(tmp_path):
    book = make_book(tmp_path)
    root_page = HEAD.format(links=LINKS, scripts=SCRIPTS, body=BODY).replace("../_static",
                                                                               "_static")
    (book / "intro.html").write_text(root_page)
    texts = build(book, ["notebooks/page.html", "intro.html"])
    for kind in ("css", "js", "defer"):
        inner = bundle_of(book, texts["notebooks/page.html"], kind)[0]
        assert f'_static/book-{inner}.' in texts["intro.html"]
        assert f'"../_static/book-{inner}.' not in texts["intro.html"]


def test_the_js_bundle_keeps_inline_scripts_as_written():
    texts = {"_static/a.js": "var A = 1;"}
    js = bundle_text("js", [("file", "_static/a.js"), ("inline", "let x = '</b>';")],
                     texts.__getitem__)
    assert js.index("var A = 1;") < js.index("let x = '</b>';")
