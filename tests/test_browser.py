"""The rendered book, opened the way a reader opens it: in a real browser, with the network cut.

Every page of `_build/html` is loaded in headless Chromium (Debian's package, driven by
Playwright's Python API; no browser download). Requests that leave the machine are blocked and
recorded; a page passes when nothing it needs failed. A full-page screenshot of every chapter is
written to `_build/screenshots/` for a person to look at.
"""
import fnmatch
import functools
import json
import os
import sys
import http.server
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
# BOOK_HTML points the tests at another build (for example one made with --path-output).
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))
sys.path.insert(0, str(ROOT / "_ext"))
# BOOK_SHOTS: where the screenshots go (default: beside the build).
SHOTS = Path(os.environ.get("BOOK_SHOTS", HTML.parent / "screenshots"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

if not Path(CHROMIUM).exists():
    pytest.skip(
        "browser tests need Chromium: on Debian or Ubuntu run `sudo apt-get install chromium` "
        "(the tests use /usr/bin/chromium; never `playwright install`)",
        allow_module_level=True,
    )
if not (HTML / "index.html").exists():
    pytest.skip("the book is not built: run `make book` (make test builds it first)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

# Requests that leave the machine and whose failure changes nothing a reader sees.
# Each entry: (regular expression on the URL, why its failure is harmless).
ALLOWED_OFFLINE = []

SKIP_PAGES = {"genindex.html"}  # Sphinx's generated index: only links, covered by the link check
PAGES = sorted(
    str(p.relative_to(HTML)) for p in HTML.rglob("*.html")
    if not p.relative_to(HTML).parts[0].startswith("_") and p.name not in SKIP_PAGES
)
CHAPTERS = [p for p in PAGES if p.startswith("notebooks/")]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield b
        b.close()


class Visit:
    """One page load with the network cut: what was blocked, what failed, what errored,
    and every local file the page asked for (``requested``, paths relative to the book)."""

    def __init__(self, browser, url, width=1280):
        self.blocked, self.failed, self.errors, self.requested = [], [], [], []
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.page = self.context.new_page()
        self.page.route("**/*", self._route)
        self.page.on("requestfinished", self._finished)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("requestfailed", self._failed)
        self.page.goto(url, wait_until="load")
        self.page.wait_for_load_state("networkidle")
        self.at_first_load = list(self.requested)
        # What a reader who scrolls to the end sees: every lazy image fetched and every
        # explorable drawn (they wait until the reader comes near them).
        self.page.evaluate("""() => {
            document.querySelectorAll('img[loading="lazy"]').forEach(i => { i.loading = 'eager'; });
            if (window.cnnlib && window.cnnlib.mountAll) { window.cnnlib.mountAll(true); }
        }""")
        self.page.wait_for_load_state("networkidle")
        self.page.wait_for_function(
            "() => Array.from(document.images).every(i => i.complete)", timeout=20000)
        self.at_load = list(self.requested)  # before any test clicks anything

    def _route(self, route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort("internetdisconnected")

    def _finished(self, request):
        url = urlparse(request.url)
        if url.hostname in ("127.0.0.1", "localhost"):
            self.requested.append(unquote(url.path).lstrip("/") or "index.html")

    def _failed(self, request):
        if request.url not in self.blocked:
            self.failed.append(f"{request.url} ({request.failure})")

    def close(self):
        self.context.close()


def _unexplained(urls):
    return [u for u in urls if not any(re.search(pat, u) for pat, _ in ALLOWED_OFFLINE)]


@pytest.fixture(scope="module")
def visits(browser, server):
    """Load every page once; the tests below read what happened."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    done = {}
    for rel in PAGES:
        v = Visit(browser, server + rel)
        if rel in CHAPTERS or rel == "intro.html":
            v.page.screenshot(path=str(SHOTS / (Path(rel).stem + ".png")), full_page=True)
        done[rel] = v
    yield done
    for v in done.values():
        v.close()


def test_book_has_pages():
    assert "intro.html" in PAGES


@pytest.mark.parametrize("rel", PAGES)
def test_page_loads_without_javascript_errors(visits, rel):
    assert not visits[rel].errors, f"{rel}: JavaScript errors: {visits[rel].errors}"


@pytest.mark.parametrize("rel", PAGES)
def test_page_needs_nothing_from_the_network(visits, rel):
    v = visits[rel]
    assert not v.failed, f"{rel}: local requests failed: {v.failed}"
    assert not _unexplained(v.blocked), (
        f"{rel}: requests that leave the machine: {_unexplained(v.blocked)}")


@pytest.mark.parametrize("rel", PAGES)
def test_every_image_loads(visits, rel):
    broken = visits[rel].page.evaluate(
        """() => Array.from(document.images)
                 .filter(img => !(img.complete && img.naturalWidth > 0))
                 .map(img => img.currentSrc || img.src || img.id)""")
    assert not broken, f"{rel}: images that did not load: {broken}"


@pytest.mark.parametrize("rel", CHAPTERS)
def test_every_figure_has_alt_text(visits, rel):
    missing = visits[rel].page.evaluate(
        """() => Array.from(document.querySelectorAll('article img'))
                 .filter(img => { const a = (img.getAttribute('alt') || '').trim();
                                  return a === '' || /\\.(png|gif|jpe?g|svg)$/i.test(a); })
                 .map(img => (img.currentSrc || img.src).slice(0, 80))""")
    assert not missing, f"{rel}: {len(missing)} images without alt text: {missing[:5]}"


@pytest.mark.parametrize("rel", PAGES)
def test_formulas_are_mathml_drawn_with_the_math_font(visits, rel):
    """Every formula is MathML written at build time: nothing to typeset after load, no
    MathJax requested; the math font has loaded, and stretchy brackets stretch (they stay
    one line high without the font's MATH table)."""
    v = visits[rel]
    assert not [f for f in v.requested if "mathjax" in f.lower()], f"{rel} loads MathJax"
    found = v.page.evaluate(
        """() => {
            const all = Array.from(document.querySelectorAll('span.math, div.math'));
            const shown = all.filter(el => el.offsetParent !== null);
            // brackets around a fraction or a matrix: they must grow to its height
            const stretchy = Array.from(document.querySelectorAll('math mo'))
                .filter(mo => '()[]\u230a\u230b'.includes(mo.textContent.trim())
                              && mo.textContent.trim().length === 1
                              && mo.getAttribute('stretchy') !== 'false'
                              && Array.from(mo.parentElement.children).some(
                                     c => ['mfrac', 'mtable'].includes(c.localName))
                              && mo.getClientRects().length > 0)
                .map(mo => mo.getBoundingClientRect().height
                           / parseFloat(getComputedStyle(mo).fontSize));
            return {n: all.length, raw: all.filter(el => !el.querySelector('math')).length,
                    empty: shown.filter(el => el.querySelector('math')
                                              .getBoundingClientRect().width < 2).length,
                    font: document.fonts.check('16px "Latin Modern Math"')
                          && Array.from(document.fonts).some(
                                 f => f.family.includes('Latin Modern Math') && f.status === 'loaded'),
                    stretchy};
        }""")
    if found["n"] == 0:
        pytest.skip(f"{rel} has no formulas")
    assert found["raw"] == 0, f"{rel}: {found['raw']} of {found['n']} formulas are not MathML"
    assert found["empty"] == 0, f"{rel}: {found['empty']} formulas are drawn empty"
    assert found["font"], f"{rel}: the math font did not load"
    assert all(h > 1.5 for h in found["stretchy"]), (
        f"{rel}: stretchy brackets only {min(found['stretchy']):.2f} em high")


@pytest.mark.parametrize("rel", PAGES)
def test_animation_players_step_and_play(visits, rel):
    page = visits[rel].page
    assert page.locator("div.animation").count() == 0, (
        f"{rel}: a raw matplotlib to_jshtml player (its icons come from a CDN); use cnnlib's player")
    players = page.locator("div.cnnlib-player")
    if players.count() == 0:
        pytest.skip(f"{rel} has no animation player")
    visible_frame = "r => Array.from(r.querySelectorAll('.cnnlib-frame')).findIndex(f => f.style.display !== 'none')"
    for i in range(players.count()):
        player = players.nth(i)
        player.scroll_into_view_if_needed()
        slider = player.locator("input[type=range]")
        assert slider.is_visible(), f"{rel}: player {i} shows no controls (its script did not run)"
        assert int(slider.get_attribute("max")) >= 1, f"{rel}: player {i} has a single frame"
        assert player.evaluate(visible_frame) == 0
        player.locator("button[data-act=next]").click()
        assert slider.input_value() == "1", f"{rel}: player {i} did not step"
        assert player.evaluate(visible_frame) == 1, f"{rel}: player {i} stepped but shows another frame"
        player.locator("button[data-act=play]").click()
        page.wait_for_function(
            "r => parseInt(r.querySelector('input[type=range]').value) > 1",
            arg=player.element_handle(), timeout=10000)
        player.locator("button[data-act=play]").click()  # pause
        blank = player.locator("button").evaluate_all(
            "bs => bs.filter(b => !b.querySelector('svg') && b.innerText.trim() === '').length")
        assert blank == 0, f"{rel}: player {i} has {blank} buttons with no visible icon"


@pytest.mark.parametrize("rel", PAGES)
def test_no_ipywidget_without_a_kernel(visits, rel):
    n = visits[rel].page.evaluate(
        """() => document.querySelectorAll(
               'script[type="application/vnd.jupyter.widget-view+json"], .jupyter-widgets, .widget-area').length""")
    assert n == 0, f"{rel}: {n} ipywidgets rendered, and none can work without a kernel"


@pytest.mark.parametrize("rel", PAGES)
def test_internal_links_resolve(visits, rel):
    page = visits[rel].page
    hrefs = page.evaluate(
        "() => Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))")
    rel = unquote(urlparse(page.url).path).lstrip("/") or "index.html"  # after any redirect
    bad = []
    for href in hrefs:
        if re.match(r"^[a-z][a-z0-9+.-]*:", href) or href.startswith("//"):
            continue  # external (http:, mailto:, ...) links are not followed offline
        target, anchor = urldefrag(href)
        path = (HTML / rel).parent / unquote(target) if target else HTML / rel
        path = path.resolve()
        if path.is_dir():
            path = path / "index.html"
        if not path.exists():
            bad.append(href)
        elif anchor and path.suffix == ".html":
            text = path.read_text(encoding="utf-8", errors="replace")
            if f'id="{anchor}"' not in text and f"name=\"{anchor}\"" not in text:
                bad.append(href)
    assert not bad, f"{rel}: links that do not resolve: {sorted(set(bad))}"


@pytest.mark.parametrize("rel", [p for p in PAGES if p.startswith("notebooks/")])
def test_chapter_offers_notebook_download(visits, rel):
    page = visits[rel].page
    links = page.evaluate(
        "() => Array.from(document.querySelectorAll('a[href$=\".ipynb\"]')).map(a => a.href)")
    assert links, f"{rel}: no download .ipynb button"
    assert (HTML / "_sources" / "notebooks" / (Path(rel).stem + ".ipynb")).exists()


# ------------------------------------------------------------ legible at any width
PHONE = 390          # CSS px: a phone held upright
MIN_FIGURE_SCALE = 0.6  # below this a figure's text shrinks out of legibility
MAX_OWN_BYTES = 1.5e6   # HTML plus the images and data files no other page uses

# Blocks that scroll inside themselves: code, printed outputs, tables in outputs.
SCROLLERS = """() => Array.from(document.querySelectorAll(
        'article div.cell pre, article div.highlight pre, article div.cell_output *'))
    .filter(el => { const s = getComputedStyle(el);
                    return ['auto', 'scroll'].includes(s.overflowX)
                           && el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1; })
    .map(el => (el.closest('.cell_output') ? 'output: ' : 'code: ')
               + ((el.innerText || '').split('\\n').reduce(
                    (a, b) => b.length > a.length ? b : a, '')).trim().slice(0, 90))"""


@pytest.fixture(scope="module")
def phone_visits(browser, server):
    """Every chapter at the width of a phone, with a screenshot for a person to look at."""
    done = {}
    for rel in CHAPTERS + ["intro.html"]:
        v = Visit(browser, server + rel, width=PHONE)
        v.page.screenshot(path=str(SHOTS / (Path(rel).stem + f"-{PHONE}.png")), full_page=True)
        done[rel] = v
    yield done
    for v in done.values():
        v.close()


@pytest.mark.parametrize("rel", CHAPTERS)
def test_no_code_or_output_scrolls_sideways_on_a_desktop(visits, rel):
    wide = visits[rel].page.evaluate(SCROLLERS)
    assert not wide, (f"{rel}: {len(wide)} code or output blocks scroll sideways at 1280 px "
                      f"(code lines at most 77 characters, outputs formatted to fit): {wide[:6]}")


@pytest.mark.parametrize("rel", CHAPTERS + ["intro.html"])
def test_page_never_scrolls_sideways_on_a_phone(phone_visits, rel):
    page = phone_visits[rel].page
    width = page.evaluate("() => document.documentElement.scrollWidth")
    culprits = page.evaluate(
        """w => Array.from(document.querySelectorAll('article *'))
                 .filter(el => el.getBoundingClientRect().right > w + 1
                               && el.offsetParent !== null)
                 .map(el => el.tagName.toLowerCase() + '.' + el.className).slice(0, 5)""",
        PHONE)
    assert width <= PHONE, f"{rel}: the page is {width} px wide on a {PHONE} px phone: {culprits}"


@pytest.mark.parametrize("rel", CHAPTERS)
def test_displayed_formulas_fit_a_phone(phone_visits, rel):
    """A displayed formula wider than the column would hide its end behind a scroll bar."""
    cut = phone_visits[rel].page.evaluate(
        """() => Array.from(document.querySelectorAll('div.math > math'))
                 .filter(m => m.getClientRects().length && m.scrollWidth > m.clientWidth + 1)
                 .map(m => `${m.scrollWidth} > ${m.clientWidth} px: `
                           + (m.getAttribute('alttext') || '').slice(0, 50))""")
    assert not cut, f"{rel}: formulas wider than the column at {PHONE} px: {cut}"


@pytest.mark.parametrize("rel", CHAPTERS)
def test_printed_outputs_wrap_on_a_phone(phone_visits, rel):
    hidden = phone_visits[rel].page.evaluate(
        """() => Array.from(document.querySelectorAll('article div.cell_output pre'))
                 .filter(el => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
                 .map(el => el.innerText.slice(0, 60))""")
    assert not hidden, f"{rel}: printed outputs hide text off-screen at {PHONE} px: {hidden[:5]}"


@pytest.mark.parametrize("rel", CHAPTERS)
def test_figures_are_shown_near_the_size_they_were_drawn_for(visits, rel):
    """A figure's intended width is its ``width`` (attribute or style: a 2x PNG shown at
    half size) or else its pixel width; shown much smaller, its text becomes unreadable."""
    shrunk = visits[rel].page.evaluate(
        """scale => Array.from(document.querySelectorAll('article img'))
            .filter(img => img.offsetParent !== null && img.complete && img.naturalWidth > 0)
            .map(img => { const attr = parseFloat(img.getAttribute('width'))
                                     || parseFloat(img.style.width);  // Sphinx writes a style
                          const intended = attr > 0 ? attr : img.naturalWidth;
                          const shown = img.getBoundingClientRect().width;
                          return [intended, shown, (img.currentSrc || img.src).split('/').pop()]; })
            .filter(([intended, shown]) => intended >= 50 && shown < scale * intended)
            .map(([intended, shown, name]) =>
                 `${name.slice(0, 24)}: ${Math.round(shown)} of ${Math.round(intended)} px`)""",
        MIN_FIGURE_SCALE)
    assert not shrunk, (f"{rel}: {len(shrunk)} figures shown at less than "
                        f"{MIN_FIGURE_SCALE:.0%} of their width at 1280 px: {shrunk[:6]}")


def own_bytes(visits, rel):
    """Bytes of ``rel`` and of every file it loaded that no other page loads (theme files
    under ``_static`` are shared by every page): what opening this page alone costs."""
    others = {f for other, v in visits.items() if other != rel for f in v.at_load}
    files = {rel} | {f for f in visits[rel].at_load
                     if f not in others and not f.startswith("_static/")}
    return sum((HTML / f).stat().st_size for f in files if (HTML / f).is_file())


@pytest.mark.parametrize("rel", CHAPTERS)
def test_chapter_page_is_light(visits, rel):
    size = own_bytes(visits, rel)
    assert size <= MAX_OWN_BYTES, (
        f"{rel}: {size / 1e6:.2f} MB of its own (HTML, images, data), more than "
        f"{MAX_OWN_BYTES / 1e6:g} MB")


def bundle_manifest():
    """What each of `_ext/book_bundle.py`'s bundles joins: {name: {kind, sources}}."""
    return json.loads((HTML / "_static" / "book-bundles.json").read_text(encoding="utf-8"))


def unbundled(files):
    """The files a page loaded, each bundle replaced by the files it joins."""
    manifest = bundle_manifest()
    out = []
    for f in files:
        m = re.fullmatch(r"_static/book-([0-9a-f]{12})\.(?:css|js)", f)
        out += [v for what, v in manifest[m.group(1)]["sources"] if what == "file"] if m else [f]
    return out


@pytest.mark.parametrize("rel", PAGES)
def test_page_fetches_one_stylesheet_and_two_scripts_of_the_theme(visits, rel):
    """A browser opens six connections to a server at a time: twenty stylesheets and scripts
    in a page's head wait for each other in rounds. They come in three files (the search page
    adds its index)."""
    first = visits[rel].at_first_load
    css = [f for f in first if f.endswith(".css")]
    js = [f for f in first if f.endswith(".js") and f != "searchindex.js"]
    assert len(css) == 1 and len(js) == 2, (
        f"{rel} fetches {len(css)} stylesheets and {len(js)} scripts: {css + js}")
    theme = set(unbundled(css + js))
    assert {"_static/styles/pydata-sphinx-theme.css", "_static/cnnlib-book.css",
            "_static/copybutton.js", "_static/scripts/pydata-sphinx-theme.js"} <= theme, theme


@pytest.mark.parametrize("rel", PAGES)
def test_page_has_a_favicon_and_the_footer(visits, rel):
    page = visits[rel].page
    icon = page.evaluate("() => (document.querySelector('link[rel~=icon]') || {}).href")
    assert icon, f"{rel}: no favicon link (browsers then ask for /favicon.ico and get a 404)"
    assert (HTML / unquote(urlparse(icon).path).lstrip("/")).is_file(), f"{rel}: {icon} missing"
    footer = page.locator(".extra_footer")
    assert footer.count() == 1 and "Jupyter Book" in footer.inner_text(), (
        f"{rel}: the extra_footer of _config.yml does not appear")


@pytest.mark.parametrize("rel", CHAPTERS[:1] + ["intro.html"])
def test_one_search_box_at_any_width(visits, phone_visits, rel):
    for v, width in ((visits[rel], 1280), (phone_visits[rel], PHONE)):
        boxes = v.page.locator(".search-button__button").evaluate_all(
            "els => els.filter(e => e.offsetParent !== null && e.getBoundingClientRect().width > 0).length")
        assert boxes == 1, f"{rel}: {boxes} search boxes visible at {width} px"


def test_theme_icons_come_from_a_small_subset_and_still_render(visits):
    script = HTML / "_static" / "scripts" / "fontawesome.js"
    assert script.stat().st_size < 50_000, (
        f"fontawesome.js is {script.stat().st_size / 1e6:.2f} MB: the full icon font")
    page = visits[CHAPTERS[0]].page
    missing = page.evaluate(
        """() => Array.from(document.querySelectorAll('i[class*="fa-"], span[class*="fa-"]'))
                 .map(e => e.className)""")
    assert not missing, f"icons left undrawn: {missing[:5]}"
    assert page.locator("button.primary-toggle svg, .primary-toggle svg").count() >= 1


@pytest.mark.parametrize("rel", CHAPTERS[:1] + ["intro.html", "search.html"])
def test_icons_are_in_the_page_as_the_svg_the_script_would_draw(visits, rel):
    html = (HTML / rel).read_text(encoding="utf-8")
    left = re.findall(r'<(?:i|span)\b[^>]*\bclass="[^"]*\bfa-[^"]*"', html)
    assert not left, f"{rel}: icons left for the script to draw: {left[:3]}"
    built = re.findall(r'<svg\b[^>]*svg-inline--fa.*?</svg>', html, re.S)
    assert len(built) >= 5, f"{rel}: {len(built)} inline icons"
    # the script, given the theme's element back, draws exactly what the build wrote
    elements = [re.sub(r' viewBox="[^"]*" aria-hidden="true">.*', "></i>",
                       b.replace(" svg-inline--fa", "", 1).replace("<svg ", "<i ", 1), flags=re.S)
                for b in built]
    page = visits[CHAPTERS[0]].page
    drawn, written = page.evaluate("""async ([elements, built]) => {
        const box = document.createElement("div");
        document.body.append(box);
        const read = async (html) => {
            box.innerHTML = html;
            await new Promise(r => setTimeout(r, 50));  // the script's MutationObserver
            return Array.from(box.children, e => e.outerHTML);
        };
        const out = [await read(elements.join("")), await read(built.join(""))];
        box.remove();
        return out;
    }""", [elements, built])
    assert drawn == written


@pytest.mark.parametrize("rel", CHAPTERS + ["intro.html"])
def test_fonts_a_page_needs_at_load_are_preloaded(browser, server, rel):
    """A web font found only when the browser styles the element that uses it (the icon font
    of the exercises' titles, the math font) arrives late and holds up the load event."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(server + rel, wait_until="load")
        fonts = page.evaluate("""() => performance.getEntriesByType("resource")
            .filter(e => /\\.woff2?($|\\?)/.test(e.name))
            .map(e => [e.name.split("/").pop(), e.initiatorType])""")
        preloaded = page.evaluate("""() => Array.from(
            document.querySelectorAll('link[rel=preload][as=font]'),
            l => l.href.split("/").pop())""")
    finally:
        context.close()
    late = [name for name, by in fonts if by != "link"]
    assert not late, f"{rel}: fonts found only by styling, not preloaded: {late}"
    assert sorted(preloaded) == sorted(name for name, _ in fonts), (
        f"{rel}: preloaded {preloaded}, fetched {fonts}")
    if rel in CHAPTERS:  # every chapter has exercises, and formulas
        assert "fa-solid-900.woff2" in preloaded and "latinmodern-math.woff2" in preloaded


def _first_frames(html):
    """File names of the players' first frames: desktop (``<img>``) and phone (``<source>``)."""
    def names(pattern):
        return {Path(unquote(u)).name for u in re.findall(pattern, html)}
    return (names(r'<img\b[^>]*\bclass="cnnlib-frame"[^>]*\bsrc="([^"]+)"'),
            names(r'<source class="cnnlib-narrow"[^>]* srcset="([^"]+)"'))


@pytest.mark.parametrize("width", [1280, PHONE])
@pytest.mark.parametrize("rel", CHAPTERS)
def test_player_frames_are_files_fetched_on_first_use(visits, phone_visits, rel, width):
    html = (HTML / rel).read_text(encoding="utf-8")
    n = html.count('class="cnnlib-player"')
    if n == 0:
        pytest.skip(f"{rel} has no animation player")
    assert "data:image/png;base64" not in html, f"{rel}: player frames are inlined in the HTML"
    visit = visits[rel] if width == 1280 else phone_visits[rel]
    loaded = [f for f in visit.at_load if f.startswith("_images/players/")]
    assert len(loaded) <= n, (
        f"{rel}: {len(loaded)} frames loaded for {n} players before use at {width} px")
    wide, narrow = _first_frames(html)
    expected = wide if width == 1280 else narrow | (wide if len(narrow) < n else set())
    unexpected = {Path(f).name for f in loaded} - expected
    assert not unexpected, f"{rel}: frames for the other width loaded at {width} px: {unexpected}"


PHONE_COLUMN = PHONE - 2 * 16  # CSS px: the book's text column on a phone
MIN_PLAYER_SCALE = 0.9   # a player's frame on a phone: shown at its size, its text legible

# The frame a player shows: its intended width (the width attribute: a 2x PNG is shown
# at half its pixel width), the width it is shown at, its file, and its index.
SHOWN_FRAME = """r => {
    const frames = Array.from(r.querySelectorAll('img.cnnlib-frame'));
    const f = frames.find(i => i.style.display !== 'none');
    return {index: frames.indexOf(f), intended: parseFloat(f.getAttribute('width')),
            shown: f.getBoundingClientRect().width,
            file: decodeURIComponent((f.currentSrc || f.src).split('/').pop())}; }"""
FRAME_DATA = "r => JSON.parse(r.querySelector('.cnnlib-frame-data').textContent)"


def _names(urls):
    return {Path(unquote(u)).name for u in urls}


def _check_phone_frame(rel, i, frame, data, step):
    where = f"{rel}: player {i}, frame {frame['index'] + 1}"
    assert frame["intended"] <= PHONE_COLUMN, (
        f"{where} is drawn {frame['intended']:.0f} px wide, not for a {PHONE_COLUMN} px column")
    assert frame["shown"] >= MIN_PLAYER_SCALE * frame["intended"], (
        f"{where} is shown at {frame['shown']:.0f} of {frame['intended']:.0f} px: "
        f"its text shrinks below {MIN_PLAYER_SCALE:.0%} of its size")
    if step and "narrow" in data:
        assert frame["file"] in _names(data["narrow"]["src"]), (
            f"{where} after a step is {frame['file']}, not one of the phone's frames")


@pytest.mark.parametrize("rel", CHAPTERS)
def test_players_on_a_phone_show_frames_drawn_for_it(phone_visits, rel):
    page = phone_visits[rel].page
    players = page.locator("div.cnnlib-player")
    if players.count() == 0:
        pytest.skip(f"{rel} has no animation player")
    for i in range(players.count()):
        player = players.nth(i)
        player.scroll_into_view_if_needed()
        data = player.evaluate(FRAME_DATA)
        page.wait_for_function("r => r.querySelector('img.cnnlib-frame').complete",
                               arg=player.element_handle())
        _check_phone_frame(rel, i, player.evaluate(SHOWN_FRAME), data, step=False)
        player.locator("button[data-act=next]").click()
        page.wait_for_function(
            "r => Array.from(r.querySelectorAll('img.cnnlib-frame'))"
            ".find(i => i.style.display !== 'none').complete", arg=player.element_handle())
        frame = player.evaluate(SHOWN_FRAME)
        assert frame["index"] == 1, f"{rel}: player {i} did not step on a phone"
        _check_phone_frame(rel, i, frame, data, step=True)


@pytest.mark.parametrize("width", [412, 430, 600])  # large phones, a small tablet
@pytest.mark.parametrize("rel", CHAPTERS)
def test_players_are_shown_at_their_size_on_screens_wider_than_a_phone(browser, server,
                                                                         rel, width):
    """Between a phone and the desktop a player shows the set of frames that fits the
    column (the screen less the page's 2 x 16 px padding), never one shrunk to fit."""
    html = (HTML / rel).read_text(encoding="utf-8")
    if 'class="cnnlib-player"' not in html:
        pytest.skip(f"{rel} has no animation player")
    wide, narrow = _first_frames(html)
    v = Visit(browser, server + rel, width=width)
    try:
        players = v.page.locator("div.cnnlib-player")
        for i in range(players.count()):
            player = players.nth(i)
            player.scroll_into_view_if_needed()
            v.page.wait_for_function("r => r.querySelector('img.cnnlib-frame').complete",
                                     arg=player.element_handle())
            frame = player.evaluate(SHOWN_FRAME)
            where = f"{rel} at {width} px: player {i}"
            assert frame["intended"] <= width - 32, (
                f"{where} shows frames drawn {frame['intended']:.0f} px wide "
                f"in a {width - 32} px column")
            assert frame["shown"] >= 0.99 * frame["intended"], (
                f"{where} is shown at {frame['shown']:.0f} of {frame['intended']:.0f} px")
            assert frame["file"] in wide | narrow, f"{where} shows {frame['file']}"
        assert not v.errors
    finally:
        v.close()


def test_a_player_changes_frame_sets_when_the_screen_changes_width(browser, server):
    rel = next((p for p in CHAPTERS
                if '<source class="cnnlib-narrow"' in (HTML / p).read_text(encoding="utf-8")),
               None)
    if rel is None:
        pytest.skip("no player has frames for a phone")
    v = Visit(browser, server + rel, width=PHONE)
    try:
        player = v.page.locator("div.cnnlib-player:has(source.cnnlib-narrow)").first
        player.scroll_into_view_if_needed()
        data = player.evaluate(FRAME_DATA)
        player.locator("button[data-act=next]").click()
        assert player.evaluate(SHOWN_FRAME)["file"] in _names(data["narrow"]["src"])
        v.page.set_viewport_size({"width": 1280, "height": 900})
        v.page.wait_for_function(
            "([r, w]) => parseFloat(Array.from(r.querySelectorAll('img.cnnlib-frame'))"
            ".find(i => i.style.display !== 'none').getAttribute('width')) === w",
            arg=[player.element_handle(), data["width"]], timeout=10000)
        frame = player.evaluate(SHOWN_FRAME)
        assert frame["index"] == 1 and frame["file"] in _names(data["src"])
        player.locator("button[data-act=prev]").click()
        first = player.evaluate(SHOWN_FRAME)
        assert first["index"] == 0 and first["intended"] == data["width"]
        assert not v.errors
    finally:
        v.close()


@pytest.mark.parametrize("term", ["cross-correlation", "convolution"])
def test_search_finds(browser, server, term):
    v = Visit(browser, server + f"search.html?q={term}")
    try:
        v.page.wait_for_selector("#search-results ul.search li", timeout=20000)
        hits = v.page.locator("#search-results ul.search li").count()
        assert hits > 0
        assert not v.errors
    finally:
        v.close()


@pytest.mark.parametrize("rel", CHAPTERS[:1] + ["intro.html"])
def test_only_the_search_page_loads_the_search_index(visits, rel):
    loaded = [f for f in visits[rel].at_first_load
              if f.endswith(("searchindex.js", "searchtools.js", "language_data.js"))]
    assert not loaded, f"{rel} loads the search tools at first load: {loaded}"


def test_searching_from_a_chapter_lands_on_results(browser, server):
    v = Visit(browser, server + CHAPTERS[0])
    try:
        v.page.locator(".search-button__button:visible").first.click()
        box = v.page.locator("input[type=search]:visible").first
        box.fill("convolution")
        box.press("Enter")
        v.page.wait_for_selector("#search-results ul.search li", timeout=20000)
        assert "search.html" in v.page.url
        assert v.page.locator("#search-results ul.search li").count() > 0
        assert not v.errors
    finally:
        v.close()


def test_theme_icon_fonts_are_cut_down_and_keep_every_icon_shown(visits):
    """The icons the theme draws with Font Awesome's fonts (admonition titles, buttons), read
    from the pages as shown; each must be in the cut-down font file its weight selects."""
    ttlib = pytest.importorskip("fontTools.ttLib")
    fonts = HTML / "_static" / "vendor" / "fontawesome" / "webfonts"
    sizes = {f.name: f.stat().st_size for f in fonts.glob("*.woff2")}
    assert sizes and max(sizes.values()) < 20_000, f"icon fonts not cut down: {sizes}"
    files = {("Font Awesome 6 Free", "900"): "fa-solid-900.woff2",
             ("Font Awesome 6 Free", "400"): "fa-regular-400.woff2",
             ("Font Awesome 6 Brands", "400"): "fa-brands-400.woff2"}
    cmaps = {key: set(ttlib.TTFont(fonts / name).getBestCmap()) for key, name in files.items()}
    shown = set()
    for rel in CHAPTERS + ["intro.html"]:
        shown |= {tuple(x) for x in visits[rel].page.evaluate(
            """() => { const out = [];
                for (const el of document.querySelectorAll('body *')) {
                    if (!el.getClientRects().length) continue;
                    for (const pseudo of ['::before', '::after']) {
                        const cs = getComputedStyle(el, pseudo);
                        const m = /^"(.)"$/u.exec(cs.content);
                        const family = /Font Awesome 6 (Free|Brands)/.exec(cs.fontFamily);
                        if (m && family && cs.display !== 'none')
                            out.push([family[0], cs.fontWeight, m[1].codePointAt(0)]);
                    }
                }
                return out; }""")}
    assert shown, "no theme icon drawn with Font Awesome on any page (the check found nothing)"
    missing = [f"{family} {weight}: {cp:x}" for family, weight, cp in sorted(shown)
               if cp not in cmaps.get((family, weight), set())]
    assert not missing, f"icons the pages show but the cut-down fonts lack: {missing}"


def test_first_visit_sets_the_colour_mode_before_the_page_is_styled(browser, server):
    """The theme's script resolves light or dark after parsing; on a first visit (nothing
    stored) that used to restyle every element. The head now sets the same values first."""
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  color_scheme="dark")
    try:
        page = context.new_page()
        page.add_init_script("""
            window.__modes = [];
            new MutationObserver(ms => ms.forEach(m => m.target === document.documentElement
                && window.__modes.push([m.attributeName, m.oldValue,
                                        m.target.getAttribute(m.attributeName),
                                        !!document.body])))
              .observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                                  attributeFilter: ['data-theme', 'data-mode']});""")
        page.goto(server + CHAPTERS[0], wait_until="load")
        changes = page.evaluate("window.__modes")
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        late = [c for c in changes if c[3] and c[1] != c[2]]
        assert not late, f"the colour mode changed after the body was parsed: {late}"
        assert any(not c[3] and c[2] == "dark" for c in changes), changes
    finally:
        context.close()



# The theme's stylesheets as installed, before `_ext/book_css.py` cut them down to the rules
# the pages can use: (glob under _static/ in the built book, the installed file).
def _full_theme_stylesheets():
    import myst_nb
    import pydata_sphinx_theme
    import sphinx_design
    return [
        ("styles/pydata-sphinx-theme.css", Path(pydata_sphinx_theme.__file__).parent
         / "theme" / "pydata_sphinx_theme" / "static" / "styles" / "pydata-sphinx-theme.css"),
        ("sphinx-design.min.css",
         Path(sphinx_design.__file__).parent / "static" / "sphinx-design.min.css"),
        ("mystnb.*.css", Path(myst_nb.__file__).parent / "static" / "mystnb.css"),
    ]


# Every element's computed style (and that of its ::before and ::after), hashed.
STYLE_HASHES = """() => {
    const hash = s => { let h = 2166136261;
        for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); }
        return h >>> 0; };
    // custom properties (--bs-*) count through the properties that use them
    const names = Array.from(getComputedStyle(document.documentElement))
        .filter(p => !p.startsWith('--')).sort();
    const describe = (cs) => { let out = '';
        for (const p of names) out += cs.getPropertyValue(p) + ';';
        return out; };
    return Array.from(document.querySelectorAll('*')).map(el => {
        let text = describe(getComputedStyle(el));
        for (const pseudo of ['::before', '::after']) {
            const cs = getComputedStyle(el, pseudo);
            if (cs.content !== 'none') text += pseudo + describe(cs);
        }
        return [el.tagName + (el.id ? '#' + el.id : '') + '.' +
                (el.getAttribute('class') || '').trim().replace(/\\s+/g, '.'), hash(text)];
    });
}"""
STYLE_OF = """(i) => { const el = document.querySelectorAll('*')[i], cs = getComputedStyle(el);
    return Object.fromEntries(Array.from(cs).map(p => [p, cs.getPropertyValue(p)])); }"""


def _full_css_bundles(full):
    """{bundle file: its text made from the theme's full stylesheets}: what the page's
    stylesheet bundle (`_ext/book_bundle.py`) would hold without `book_css`'s cut."""
    from book_bundle import bundle_file, bundle_text

    def read(path):
        original = [o for pattern, o in full if fnmatch.fnmatch(path, "_static/" + pattern)]
        return (original[0] if original else HTML / path).read_text(encoding="utf-8")
    return {bundle_file(name, "css"): bundle_text("css", [tuple(s) for s in e["sources"]], read)
            for name, e in bundle_manifest().items() if e["kind"] == "css"}


def _styled(browser, url, width, scheme, full=(), act=None):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    if full:
        bundles = _full_css_bundles(full)
        context.route("**/_static/book-*.css*", lambda route: route.fulfill(
            body=bundles[urlparse(route.request.url).path.lstrip("/")],
            content_type="text/css"))
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.evaluate("() => window.cnnlib && window.cnnlib.mountAll && window.cnnlib.mountAll(true)")
    page.wait_for_load_state("networkidle")
    if act:
        act(page)
    return context, page


def _open_menus(page, width):
    """The states a reader's clicks reach: the download menu, or the sidebar on a phone."""
    if width == PHONE:
        page.locator("button.primary-toggle:visible").first.click()
    else:
        page.locator(".dropdown-download-buttons button:visible").first.click()
    page.wait_for_timeout(400)  # the theme's transitions


@pytest.mark.parametrize("rel", CHAPTERS + ["intro.html", "search.html"])
def test_lean_theme_css_draws_the_pages_as_the_full_one(browser, server, rel):
    """Every element has the same computed style with the cut-down stylesheets as with the
    theme's full ones: on a desktop in light mode with the download menu open, and on a phone
    in dark mode with the sidebar open."""
    full = _full_theme_stylesheets()
    assert all(path.exists() for _, path in full), full
    assert all(any(fnmatch.fnmatch(f, "_static/" + pattern) for bundle in bundle_manifest().values()
                   for _, f in bundle["sources"]) for pattern, _ in full), (
        "a cut-down stylesheet is not in the pages' stylesheet bundle")
    for width, scheme in ((1280, "light"), (PHONE, "dark")):
        act = functools.partial(_open_menus, width=width) if rel != "search.html" else None
        shown = []
        for stylesheets in ((), full):
            context, page = _styled(browser, server + rel, width, scheme, stylesheets, act)
            shown.append((context, page, page.evaluate(STYLE_HASHES)))
        try:
            (_, lean_page, lean), (_, full_page, whole) = shown
            assert len(lean) == len(whole), f"{rel}: the pages differ in their elements"
            differ = [i for i, (a, b) in enumerate(zip(lean, whole)) if a != b]
            if differ:
                i = differ[0]
                a, b = lean_page.evaluate(STYLE_OF, i), full_page.evaluate(STYLE_OF, i)
                props = {p: (a.get(p), b.get(p)) for p in set(a) | set(b) if a.get(p) != b.get(p)}
                pytest.fail(f"{rel} at {width} px, {scheme}: {len(differ)} elements styled "
                            f"differently, first {lean[i][0]}: {dict(list(props.items())[:6])} "
                            "(lean, full)")
        finally:
            for context, _, _ in shown:
                context.close()


@pytest.mark.parametrize("rel", CHAPTERS + ["intro.html"])
def test_images_keep_their_place_before_they_load(browser, server, rel):
    """An image far down the page loads when the reader comes near it; until then its box
    has the height it will have, so the text does not jump and a link into the page lands
    where it points."""
    context = browser.new_context(viewport={"width": PHONE, "height": 900})
    try:
        page = context.new_page()
        page.goto(server + rel, wait_until="load")
        boxes = """() => Array.from(document.querySelectorAll('article img')).map(i =>
            [i.getAttribute('src'), i.complete, Math.round(i.getBoundingClientRect().height)])"""
        before = page.evaluate(boxes)
        page.evaluate("""() => document.querySelectorAll('img[loading="lazy"]')
                                  .forEach(i => { i.loading = 'eager'; })""")
        page.wait_for_function(
            "() => Array.from(document.images).every(i => i.complete)", timeout=20000)
        after = page.evaluate(boxes)
        waiting = [(src, h, h2) for (src, done, h), (_, _, h2) in zip(before, after) if not done]
        assert waiting, f"{rel}: every image had loaded at once (nothing to check)"
        moved = [w for w in waiting if abs(w[1] - w[2]) > 1]
        assert not moved, f"{rel}: images whose box changed height when they loaded: {moved[:3]}"
    finally:
        context.close()


# ------------------------------------------------------------ header menu, tooltips
# The theme's Bootstrap bundle (81 kB) is replaced by _ext/book_ui.js: the download menu,
# the header buttons' tooltips and the back-to-top button must work as they did.
@pytest.mark.parametrize("rel", PAGES)
def test_pages_load_the_small_header_script_not_bootstrap(visits, rel):
    loaded = unbundled(visits[rel].at_load)
    assert not [f for f in loaded if "bootstrap" in f], f"{rel} loads Bootstrap's script"
    assert "_static/scripts/book-ui.js" in loaded, f"{rel} does not load book-ui.js"
    assert not list((HTML / "_static" / "scripts").glob("bootstrap.js*"))


def _header_page(browser, server, width, rel=None):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server + (rel or CHAPTERS[0]), wait_until="load")
    return context, page, errors


MENU_STATE = """() => {
    const d = document.querySelector('.dropdown-download-buttons');
    const t = d.querySelector('[data-bs-toggle="dropdown"]');
    const m = d.querySelector('.dropdown-menu');
    const r = m.getBoundingClientRect(), b = t.getBoundingClientRect();
    const a = document.activeElement;
    return {expanded: t.getAttribute('aria-expanded'), shown: getComputedStyle(m).display,
            top: r.top - b.bottom, left: r.left, right: r.right,
            focus: a === t ? 'toggle' : (a.innerText || '').trim()};
}"""


@pytest.mark.parametrize("width", [1280, PHONE])
def test_download_menu_opens_and_closes_with_mouse_and_keyboard(browser, server, width):
    context, page, errors = _header_page(browser, server, width)
    try:
        state = lambda: page.evaluate(MENU_STATE)  # noqa: E731
        toggle = page.locator(".dropdown-download-buttons [data-bs-toggle=dropdown]:visible")
        assert state()["expanded"] == "false" and state()["shown"] == "none"
        toggle.click()
        s = state()
        assert (s["expanded"], s["shown"]) == ("true", "block"), s
        assert 0 <= s["top"] <= 4, f"the menu is not just below its button: {s}"
        assert 0 <= s["left"] and s["right"] <= width, f"the menu leaves the screen: {s}"
        page.locator("article h1").first.click()  # a click elsewhere closes it
        assert state()["expanded"] == "false"
        page.mouse.move(0, 899)  # away from the button (hovering also shows the menu)

        toggle.focus()
        seen = []
        for key in ("ArrowDown", "ArrowDown", "ArrowDown", "ArrowUp"):
            page.keyboard.press(key)
            seen.append((state()["expanded"], state()["focus"]))
        assert seen == [("true", ".ipynb"), ("true", ".pdf"), ("true", ".ipynb"),
                        ("true", ".pdf")], seen
        page.keyboard.press("Escape")
        s = state()
        assert (s["expanded"], s["shown"], s["focus"]) == ("false", "none", "toggle"), s

        page.keyboard.press("Enter")  # the button opens it too; Tab walks its items
        assert state()["expanded"] == "true"
        page.keyboard.press("Tab")
        assert state()["focus"] == ".ipynb"
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")  # focus leaves the menu: it closes
        assert state()["expanded"] == "false"
        assert not errors, errors
    finally:
        context.close()


TIP_STATE = """sel => {
    const b = Array.from(document.querySelectorAll(sel)).find(e => e.getClientRects().length);
    const t = document.querySelector('[role="tooltip"]');
    if (!t) return {button: b.getAttribute('aria-label'), title: b.getAttribute('title')};
    const r = t.getBoundingClientRect(), q = b.getBoundingClientRect();
    return {button: b.getAttribute('aria-label'), title: b.getAttribute('title'),
            text: t.innerText, described: b.getAttribute('aria-describedby') === t.id,
            below: r.top - q.bottom, centre: (r.left + r.right - q.left - q.right) / 2,
            inside: r.left >= 0 && r.right <= document.documentElement.clientWidth,
            opacity: +getComputedStyle(t).opacity};
}"""


@pytest.mark.parametrize("width", [1280, PHONE])
def test_header_buttons_show_tooltips_on_hover_and_keyboard_focus(browser, server, width):
    context, page, errors = _header_page(browser, server, width)
    try:
        for sel, text in ((".btn-fullscreen-button", "Fullscreen mode"),
                          (".theme-switch-button", "Color mode")):
            s = page.evaluate(TIP_STATE, sel)
            # the browser's own tooltip would show beside the page's
            assert s["title"] is None and s["button"] == text, s
            page.locator(sel + ":visible").first.hover()
            page.wait_for_selector("[role=tooltip]", timeout=3000)
            page.wait_for_timeout(300)  # the fade
            s = page.evaluate(TIP_STATE, sel)
            assert s["text"] == text and s["described"], s
            assert 4 <= s["below"] <= 10 and abs(s["centre"]) <= 1 and s["inside"], s
            assert s["opacity"] > 0.8, s
            page.mouse.move(0, 899)
            page.wait_for_selector("[role=tooltip]", state="detached", timeout=3000)

        # From the keyboard: Tab to the button, the tooltip shows; Escape hides it.
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.matches('.btn-fullscreen-button')"):
                break
        else:
            pytest.fail("Tab never reached the fullscreen button")
        page.wait_for_selector("[role=tooltip]", timeout=3000)
        assert page.evaluate(TIP_STATE, ".btn-fullscreen-button")["text"] == "Fullscreen mode"
        page.keyboard.press("Escape")
        page.wait_for_selector("[role=tooltip]", state="detached", timeout=1000)
        assert not errors, errors
    finally:
        context.close()


def test_back_to_top_button_shows_when_scrolling_up_and_goes_to_the_top(browser, server):
    # below 1200 px: the theme hides the button on wider screens
    context, page, errors = _header_page(browser, server, PHONE)
    try:
        shown = "() => getComputedStyle(document.getElementById('pst-back-to-top')).display"
        page.mouse.move(200, 500)
        page.mouse.wheel(0, 3000)
        page.wait_for_function("() => window.scrollY > 2000")
        assert page.evaluate(shown) == "none"  # scrolling down
        page.mouse.wheel(0, -400)
        page.wait_for_function(f"() => ({shown})() === 'block'", timeout=3000)
        page.locator("#pst-back-to-top").click()
        page.wait_for_function("() => window.scrollY === 0", timeout=3000)
        assert not errors, errors
    finally:
        context.close()


def test_code_blocks_get_copy_buttons_that_copy_the_code(browser, server):
    """The copy buttons are added after the page has loaded (they show on hover or focus);
    each code and output block gets one, and it copies that block's text."""
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(server + CHAPTERS[0], wait_until="load")
        page.wait_for_function("""() => document.querySelectorAll('div.highlight pre').length
            === document.querySelectorAll('div.highlight button.copybtn').length""",
                               timeout=5000)
        block = page.locator("div.cell_input div.highlight").nth(1)
        code = block.locator("pre").inner_text().rstrip("\n")
        block.hover()
        button = block.locator("button.copybtn")
        button.click()
        assert page.evaluate("() => navigator.clipboard.readText()") == code
        assert button.evaluate("b => b.tabIndex") == 0  # reachable from the keyboard
    finally:
        context.close()
