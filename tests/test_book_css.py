"""Lighter pages for the browser to style: the theme's stylesheets keep only the rules the
book's pages can use (`_ext/book_css.py`), code cells keep a <span> only for the tokens
that have a colour of their own, Bootstrap's script gives way to `book_ui.js` and the copy
buttons are added after load (`_ext/book_offline.py`).

That the pages look the same is checked in `test_browser.py`
(`test_lean_theme_css_draws_the_pages_as_the_full_one`).
"""
import re
import sys
from pathlib import Path

import pytest
import tinycss2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

from book_css import can_match, lean_stylesheet, page_words  # noqa: E402
from book_offline import (inline_icons, merge_token_spans,  # noqa: E402
                          plain_token_classes, unwrap_plain_tokens)

HTML = ROOT / "_build" / "html"
WORDS = {"bd-article", "active", "show", "highlight", "theme", "dark"}


@pytest.mark.parametrize("selector, kept", [
    (".bd-article", True),
    (".bd-article .unused", False),
    ("#unused", False),
    ("p", True),                                   # element selectors are kept
    ("[data-theme=dark] .bd-article", True),
    ('a[href="#unused"]', True),                   # not a class: inside an attribute test
    (".bd-article:not(.unused)", True),            # matches more when .unused is absent
    (":is(.unused, .active) .show", True),
    (":where(.unused) p", True),
    (".bs-tooltip-top", True),                     # Bootstrap builds these names
    (".bd-article::before", True),
    (".unused:hover", False),
])
def test_a_selector_is_kept_when_the_pages_can_have_what_it_needs(selector, kept):
    assert can_match(selector, WORDS) is kept


def test_lean_stylesheet_drops_rules_that_cannot_match_and_keeps_everything_else():
    css = ('@charset "UTF-8";/*! licence */:root{--x:1px}/* a note */'
           ".unused{color:red}.bd-article,.unused b{margin:0}"
           "@media (max-width:500px){.unused{top:0}.show{top:1px}}"
           "@media print{.unused{top:0}}"
           "@keyframes spin{from{top:0}to{top:1px}}@font-face{font-family:x;src:url(x.woff2)}")
    lean = lean_stylesheet(css, WORDS)
    assert lean.startswith('@charset "UTF-8";/*! licence */')
    assert ":root{--x:1px}" in lean
    assert "a note" not in lean and "unused" not in lean
    assert ".bd-article{margin:0}" in lean
    assert "@media (max-width:500px){.show{top:1px}}" in lean
    assert "@media print" not in lean              # nothing left inside
    assert "@keyframes spin{from{top:0}to{top:1px}}" in lean
    assert "@font-face{font-family:x;src:url(x.woff2)}" in lean


def test_lean_stylesheet_names_a_stylesheet_it_cannot_read():
    with pytest.raises(ValueError, match="cannot read the stylesheet"):
        lean_stylesheet(".a{color:red}}", WORDS)


def test_page_words_come_from_pages_and_scripts(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "index.html").write_text('<div class="bd-page x_1">', encoding="utf-8")
    (tmp_path / "_static" / "a.js").write_text('el.classList.add("show")', encoding="utf-8")
    (tmp_path / "_static" / "a.css").write_text(".css-only{}", encoding="utf-8")
    words = page_words(tmp_path)
    assert {"bd-page", "x_1", "show"} <= words and "css-only" not in words


PYGMENTS = """
html[data-theme="light"] .highlight { background: #fefefe; color: #080808 }
html[data-theme="light"] .highlight .n { color: #080808 } /* Name */
html[data-theme="light"] .highlight .p { color: #080808 } /* Punctuation */
html[data-theme="light"] .highlight .k { color: #6730C5 } /* Keyword */
html[data-theme="light"] .highlight .c { color: #080808; font-style: italic } /* Comment */
html[data-theme="light"] .highlight .o { color: #080808 } /* Operator */
html[data-theme="dark"] .highlight { background: #2b2b2b; color: #F8F8F2 }
html[data-theme="dark"] .highlight .n { color: #F8F8F2 } /* Name */
html[data-theme="dark"] .highlight .k { color: #dcc6e0 } /* Keyword */
html[data-theme="dark"] .highlight .c { color: #F8F8F2; font-style: italic } /* Comment */
html[data-theme="dark"] .highlight .o { color: #ABE338 } /* Operator */
"""


def test_plain_tokens_are_those_drawn_as_the_code_in_every_mode():
    # .p has no dark rule, so it is drawn as the code there; .o is coloured in dark mode
    assert plain_token_classes(PYGMENTS) == {"n", "p"}


def test_plain_token_spans_are_unwrapped_in_code_blocks_only():
    page = ('<p><span class="n">prose</span></p>'
            '<div class="highlight-ipython3 notranslate"><div class="highlight"><pre>'
            '<span class="n">x</span><span class="o">=</span><span class="n">f</span>'
            '<span class="p">(</span><span class="mi">1</span><span class="p">)</span>'
            '<span class="n">a&lt;b</span></pre></div></div>')
    lean = unwrap_plain_tokens(page, {"n", "p"})
    assert lean == ('<p><span class="n">prose</span></p>'
                    '<div class="highlight-ipython3 notranslate"><div class="highlight"><pre>'
                    'x<span class="o">=</span>f(<span class="mi">1</span>)a&lt;b'
                    '</pre></div></div>')
    assert unwrap_plain_tokens(page, set()) == page


PYGMENTS_ALIKE = PYGMENTS + """
html[data-theme="light"] .highlight .s2 { color: #00622F } /* Literal.String.Double */
html[data-theme="light"] .highlight .si { color: #00622F } /* Literal.String.Interpol */
html[data-theme="light"] .highlight .c1 { color: #080808; font-style: italic }
html[data-theme="dark"] .highlight .s2 { color: #ABE338 } /* Literal.String.Double */
html[data-theme="dark"] .highlight .si { color: #ABE338 } /* Literal.String.Interpol */
html[data-theme="dark"] .highlight .c1 { color: #F8F8F2; font-style: italic }
"""


def _block(code):
    return ('<div class="highlight-ipython3 notranslate"><div class="highlight"><pre>'
            + code + '</pre></div></div>')


@pytest.mark.parametrize("code, merged", [
    # drawn alike in both modes: one span, whatever their classes
    ('<span class="s2">"a </span><span class="si">{</span>',
     '<span class="s2">"a {</span>'),
    # across spaces, when all they set is a colour
    ('<span class="s2">"a"</span> \n <span class="si">{</span>',
     '<span class="s2">"a" \n {</span>'),
    # not across spaces when they set more than a colour (an italic space is drawn)
    ('<span class="c">#a</span> <span class="c1">#b</span>',
     '<span class="c">#a</span> <span class="c1">#b</span>'),
    ('<span class="c">#a</span><span class="c1">#b</span>', '<span class="c">#a#b</span>'),
    # not across plain text, nor when drawn differently in one mode (.o in dark mode)
    ('<span class="s2">"a"</span>x<span class="si">{</span>',
     '<span class="s2">"a"</span>x<span class="si">{</span>'),
    ('<span class="k">if</span><span class="o">=</span>',
     '<span class="k">if</span><span class="o">=</span>'),
    # a class the stylesheet does not know is left alone; empty spans go
    ('<span></span><span class="zz">a</span><span class="zz">b</span>',
     '<span class="zz">a</span><span class="zz">b</span>'),
    # three in a row, and escaped text
    ('<span class="s2">&quot;</span><span class="si">&lt;</span> <span class="s2">b</span>',
     '<span class="s2">&quot;&lt; b</span>'),
])
def test_neighbouring_token_spans_drawn_alike_become_one(code, merged):
    assert merge_token_spans(_block(code), PYGMENTS_ALIKE) == _block(merged)


def test_token_spans_outside_code_blocks_are_left_alone():
    prose = '<p><span class="s2">a</span><span class="si">b</span><span></span></p>'
    assert merge_token_spans(prose, PYGMENTS_ALIKE) == prose


ICONS = {"fas": {"bars": [448, 512, "M0 96z"], "sun": [512, 512, "M1 1z"]},
         "fab": {"github": [496, 512, "M2 2z"]}}


@pytest.mark.parametrize("element, drawn", [
    ('<i class="fa-solid fa-bars"></i>',
     '<svg class="fa-solid fa-bars svg-inline--fa" viewBox="0 0 448 512" aria-hidden="true">'
     '<path fill="currentColor" d="M0 96z"></path></svg>'),
    # other attributes kept, aria-hidden once; spans too; the pack decides (fab)
    ('<span class="theme-switch fa-solid fa-sun fa-lg" data-mode="light" aria-hidden="false">'
     '</span>',
     '<svg class="theme-switch fa-solid fa-sun fa-lg svg-inline--fa" data-mode="light" '
     'viewBox="0 0 512 512" aria-hidden="true"><path fill="currentColor" d="M1 1z"></path>'
     '</svg>'),
    ('<i class="fa-brands fa-github"></i>',
     '<svg class="fa-brands fa-github svg-inline--fa" viewBox="0 0 496 512" '
     'aria-hidden="true"><path fill="currentColor" d="M2 2z"></path></svg>'),
    # an icon the table lacks, or one in another pack, stays for the script
    ('<i class="fa-solid fa-moon"></i>', '<i class="fa-solid fa-moon"></i>'),
    ('<i class="fa-brands fa-bars"></i>', '<i class="fa-brands fa-bars"></i>'),
    ('<p class="fa-solid fa-bars">text</p>', '<p class="fa-solid fa-bars">text</p>'),
])
def test_icons_are_written_as_the_inline_svg_the_script_draws(element, drawn):
    assert inline_icons("<a>" + element + "</a>", ICONS) == "<a>" + drawn + "</a>"


def _text(html):
    return re.sub(r"<[^>]+>", "", html)


@pytest.mark.skipif(not (HTML / "index.html").exists(), reason="the book is not built")
def test_built_code_cells_keep_their_text_and_lose_most_spans():
    page = (HTML / "notebooks" / "05_learning_a_filter.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<div class="highlight[^"]*"><pre>(.*?)</pre>', page, re.S)
    assert blocks and not any(re.search(r'<span class="[npw]">', b) for b in blocks)
    assert sum(b.count("<span") for b in blocks) > 500  # coloured tokens keep theirs
    assert not any("<span></span>" in b for b in blocks)
    # f-strings: the quote, braces and format of a string are one span where they touch
    assert not any(re.search(r'<span class="(s2|si|sa)">[^<]*</span><span class="s[2i]">', b)
                   for b in blocks)
    assert all("<" not in _text(b) for b in blocks)


@pytest.mark.skipif(not (HTML / "index.html").exists(), reason="the book is not built")
def test_built_theme_stylesheet_is_lean_and_readable():
    css = HTML / "_static" / "styles" / "pydata-sphinx-theme.css"
    text = css.read_text(encoding="utf-8")
    assert len(text) < 200_000, f"{len(text)} bytes: the full theme stylesheet"
    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    assert not [r for r in rules if r.type == "error"]
    assert "Bootstrap" in text  # the licence stays
    assert not css.with_name(css.name + ".map").exists()


def test_a_lazy_image_keeps_the_place_of_its_size():
    from book_offline import _lazy
    sized = '<img alt="a" src="../_images/a.png" style="width: 674px; height: 186px;" />'
    assert _lazy(sized) == ('<img loading="lazy" decoding="async" width="674" height="186" '
                            'alt="a" src="../_images/a.png" style="width: 674px; height: 186px;" />')
    bare = '<img alt="b" src="../_images/b.png" />'
    sizes = {"b.png": (800, 300), "a.png": (1348, 528)}.get
    # shown at the style's width (a 2x PNG at half size), in the file's shape
    assert 'width="674" height="264"' in _lazy(sized, sizes)
    assert _lazy(bare, sizes) == ('<img loading="lazy" decoding="async" width="800" '
                                  'height="300" alt="b" src="../_images/b.png" />')
    assert _lazy('<img src="../_images/c.svg" />', sizes) == (
        '<img loading="lazy" decoding="async" src="../_images/c.svg" />')
    player = '<img class="f" src="x.png" width="672" height="228">'
    assert _lazy(player) == ('<img loading="lazy" decoding="async" class="f" src="x.png" '
                             'width="672" height="228">')
    assert _lazy(_lazy(sized)) == _lazy(sized)


def _fake_app(outdir):
    from types import SimpleNamespace
    return SimpleNamespace(outdir=str(outdir), builder=SimpleNamespace(format="html"))


def _fake_build(tmp_path, pages):
    scripts = tmp_path / "_static" / "scripts"
    scripts.mkdir(parents=True)
    for name in ("bootstrap.js", "bootstrap.js.map", "bootstrap.js.LICENSE.txt"):
        (scripts / name).write_text("/* bootstrap */")
    for name, html in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(html)
    return _fake_app(tmp_path)


HEAD = ('<link rel="preload" as="script" href="{p}_static/scripts/bootstrap.js?digest=55c2" />'
        '\n<script defer src="{p}_static/scripts/bootstrap.js?digest=55c2"></script>')


def test_bootstrap_is_replaced_by_the_book_script_on_every_page(tmp_path):
    from book_offline import replace_bootstrap
    app = _fake_build(tmp_path, {
        "index.html": HEAD.format(p=""),
        "notebooks/a.html": HEAD.format(p="../"),
        # a page an earlier build changed: it gets the current version
        "notebooks/b.html": '<script defer src="../_static/scripts/book-ui.js?v=0ld"></script>',
    })
    replace_bootstrap(app, None)
    ui = tmp_path / "_static" / "scripts" / "book-ui.js"
    assert ui.read_text() == (ROOT / "_ext" / "book_ui.js").read_text()
    assert not list(ui.parent.glob("bootstrap*"))
    pages = {p: (tmp_path / p).read_text() for p in ("index.html", "notebooks/a.html",
                                                      "notebooks/b.html")}
    assert all("bootstrap" not in html and "preload" not in html for html in pages.values())
    version = re.search(r"book-ui\.js\?v=(\w+)", pages["index.html"]).group(1)
    assert version != "0ld"
    assert pages["notebooks/a.html"].strip() == (
        f'<script defer src="../_static/scripts/book-ui.js?v={version}"></script>')
    assert pages["notebooks/b.html"] == pages["notebooks/a.html"].strip()


def test_a_page_loading_bootstrap_in_another_form_is_a_build_error(tmp_path):
    from book_offline import replace_bootstrap
    app = _fake_build(tmp_path, {
        "odd.html": '<script src="_static/scripts/bootstrap.js"></script>'})
    with pytest.raises(RuntimeError, match="odd.html"):
        replace_bootstrap(app, None)


def test_copy_buttons_are_added_after_load_and_a_changed_script_is_an_error(tmp_path):
    from book_offline import COPY_AFTER_LOAD, copy_buttons_after_load
    static = tmp_path / "_static"
    static.mkdir()
    script = static / "copybutton.js"
    script.write_text("const a = 1\nrunWhenDOMLoaded(addCopyButtonToCodeCells)\n")
    copy_buttons_after_load(_fake_app(tmp_path), None)
    text = script.read_text()
    assert "runWhenDOMLoaded" not in text and COPY_AFTER_LOAD in text
    copy_buttons_after_load(_fake_app(tmp_path), None)  # a second build changes nothing
    assert script.read_text() == text
    script.write_text("document.addEventListener('DOMContentLoaded', go)\n")
    with pytest.raises(RuntimeError, match="runWhenDOMLoaded"):
        copy_buttons_after_load(_fake_app(tmp_path), None)
