"""Sphinx extension: keep the rendered book readable with the network cut off.

Jupyter Book 1.x always loads sphinx-thebe, which registers its script twice on every page (a
JavaScript error: "THEBE_JS_URL has already been declared") and points at a CDN. This book has no
live-code buttons (`launch_buttons.thebe: false`), so thebe's scripts are dropped from every page.
Formulas are MathML written at build time (`book_math.py`).

It also keeps pages light:
* the frames of cnnlib's players, embedded in a notebook's output as data: URIs, are written
  to image files under `_images/players/`, those of the set drawn for phones too; a page
  loads the first frame of each player (the phone's on a narrow screen, through the
  `<picture>`'s `<source>`), and the player fetches the others when the reader first uses
  it;
* images load lazily (`loading="lazy"`): a figure far down a page waits until the reader
  scrolls near it instead of holding up the page's first load;
* the search scripts and the search index load on the search page only;
* Font Awesome's web fonts keep only the glyphs the theme's CSS draws;
* the colour mode is set in the head, so the theme's script does not restyle the whole page
  on a first visit;
* the theme's 1.45 MB `fontawesome.js` is replaced, after the build, by the few icons the
  pages use (`fontawesome_subset.js`), and the pages' icons are written as inline SVG;
* code cells keep a `<span>` only for the tokens that have a colour of their own, one for
  neighbours drawn alike;
* the theme's Bootstrap bundle (81 kB of script, for a menu, tooltips and a back-to-top
  button) is replaced by `book_ui.js`, which does those three things;
* the code cells' copy buttons are added once the page has loaded;
* pages whose admonitions draw an icon with Font Awesome's solid font preload it;
* the theme's stylesheets keep only the rules that can apply to the book's pages
  (`book_css.py`);
* a page fetches its stylesheets and scripts as three files, not twenty
  (`book_bundle.py`).
"""
import base64
import hashlib
import json
import re
from html import escape as html_escape
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _is_thebe(js):
    attributes = getattr(js, "attributes", {}) or {}
    text = " ".join(str(v) for v in (getattr(js, "filename", None), attributes.get("body"),
                                      attributes.get("src")) if v)
    return "THEBE_JS_URL" in text or "sphinx-thebe" in text or "unpkg.com/thebe" in text


def _is_widget_state(js):
    attributes = getattr(js, "attributes", {}) or {}
    return attributes.get("type") == "application/vnd.jupyter.widget-state+json"


def drop_thebe(app, pagename, templatename, context, doctree):
    """Drop thebe's scripts, and the ipywidgets state that myst-nb writes into a page's
    head: no widget manager is loaded (`nb_ipywidgets_js: {}`), so nothing reads it."""
    if "script_files" in context:
        context["script_files"] = [js for js in context["script_files"]
                                   if not _is_thebe(js) and not _is_widget_state(js)]
    if "css_files" in context:
        context["css_files"] = [css for css in context["css_files"] if "thebe" not in str(css)]


FIRST_FRAME = re.compile(r'(<img class="cnnlib-frame" src=")(data:image/png;base64,[A-Za-z0-9+/=]+)(")')
FIRST_PHONE_FRAME = re.compile(r'(<source class="cnnlib-narrow" [^>]*?srcset=")'
                               r'(data:image/png;base64,[A-Za-z0-9+/=]+)(")')
FRAME_DATA = re.compile(r'(<script type="application/json" class="cnnlib-frame-data">)(.*?)(</script>)',
                        re.S)


def _frame_file(app, pathto, uri):
    """Write a data: URI's PNG to `_images/players/` once; return its URL from the page."""
    png = base64.b64decode(uri.split(",", 1)[1])
    name = f"_images/players/{hashlib.sha256(png).hexdigest()[:20]}.png"
    path = Path(app.outdir) / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png)
    return pathto(name, 1)


def players_to_files(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if not body or "cnnlib-frame" not in body:
        return
    pathto = context["pathto"]

    def first(m):
        return m.group(1) + _frame_file(app, pathto, m.group(2)) + m.group(3)

    def files(uris):
        return [_frame_file(app, pathto, u) if u.startswith("data:") else u for u in uris]

    def rest(m):
        data = json.loads(m.group(2).replace("<\\/", "</"))
        data["src"] = files(data["src"])
        if "narrow" in data:
            data["narrow"]["src"] = files(data["narrow"]["src"])
        return m.group(1) + json.dumps(data).replace("</", "<\\/") + m.group(3)

    body = FIRST_PHONE_FRAME.sub(first, FIRST_FRAME.sub(first, body))
    context["body"] = FRAME_DATA.sub(rest, body)


# one icon in fontawesome.js: name: [width, height, [aliases], "unicode", "svg path"]
ICON = (r'(?:"{name}"|(?<![\w"-]){name}):\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]+",'
        r'("(?:[^"\\]|\\.)*")\]')
PACKS = {"fa-solid": "fas", "fas": "fas", "fa-regular": "far", "far": "far",
         "fa-brands": "fab", "fab": "fab"}


def _icons_used(outdir):
    """(pack, name) of every Font Awesome icon named in a class attribute of a page."""
    used = set()
    for page in Path(outdir).rglob("*.html"):
        for classes in re.findall(r'class="([^"]*\bfa-[^"]*)"', page.read_text(encoding="utf-8")):
            names = classes.split()
            pack = next((PACKS[c] for c in names if c in PACKS), "fas")
            used |= {(pack, c[3:]) for c in names if c.startswith("fa-") and c not in PACKS}
    return used


def _icon_table(fontawesome, used):
    """{pack: {name: [width, height, path]}} for the icons in `used`, read from the theme's
    fontawesome.js, where each pack's object of icons is followed by ("fas", ...) and so on."""
    binds = [(m.start(), m.group(1)) for m in re.finditer(r'\("(fa[a-z]*)",\s*[\w$]+\)', fontawesome)]
    table = {}
    for pack, name in sorted(used):
        for m in re.finditer(ICON.format(name=re.escape(name)), fontawesome):
            if next((b for pos, b in binds if pos > m.start()), None) == pack:
                table.setdefault(pack, {})[name] = [int(m.group(1)), int(m.group(2)),
                                                    json.loads(m.group(3))]
                break
    return table


# An icon element of the pages, as the theme writes it: <i class="fa-solid fa-bars"></i>
ICON_ELEMENT = re.compile(r'<(i|span)\s([^>]*?\bclass="([^"]*\bfa-[^"]*)"[^>]*)>\s*</\1>')
ICON_TABLE = "/*ICONS*/"


def inline_icons(html, table):
    """`html` with every icon element of `table` drawn as the inline <svg> that
    `fontawesome_subset.js` would put in its place once the page is parsed: the same
    attributes, `svg-inline--fa` added to the class, its viewBox, aria-hidden."""
    def svg(m):
        names = m.group(3).split()
        pack = ([PACKS[c] for c in names if c in PACKS] or ["fas"])[-1]
        found = [c[3:] for c in names if c.startswith("fa-") and c[3:] in table.get(pack, {})]
        if not found:
            return m.group(0)
        width, height, path = table[pack][found[-1]]
        attrs = re.sub(r'\s*\baria-hidden="[^"]*"', "", m.group(2)).strip()
        attrs = attrs.replace(f'class="{m.group(3)}"', f'class="{m.group(3)} svg-inline--fa"', 1)
        return (f'<svg {attrs} viewBox="0 0 {width} {height}" aria-hidden="true">'
                f'<path fill="currentColor" d="{html_escape(path)}"></path></svg>')
    return ICON_ELEMENT.sub(svg, html)


def subset_fontawesome(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "scripts" / "fontawesome.js"
    if not target.exists():
        return
    text = target.read_text(encoding="utf-8")
    if ICON_TABLE in text:  # already the subset (an incremental build)
        table = json.JSONDecoder().raw_decode(text, text.index(ICON_TABLE) + len(ICON_TABLE))[0]
    else:
        table = _icon_table(text, _icons_used(app.outdir))
        script = (HERE / "fontawesome_subset.js").read_text(encoding="utf-8")
        target.write_text(script.replace(ICON_TABLE + "{}", ICON_TABLE + json.dumps(table)),
                          encoding="utf-8")
        for extra in ("fontawesome.js.map", "fontawesome.js.LICENSE.txt"):
            (target.parent / extra).unlink(missing_ok=True)
    # drawn in the page itself: the script no longer swaps them (and restyles the header)
    # while the page loads, and keeps the icons that other scripts add later
    _rewrite_pages(app.outdir, lambda page: inline_icons(page, table))


IMG = re.compile(r"<img\s[^>]*>")
SIZE_STYLE = re.compile(r'style="width: (\d+)px; height: (\d+)px;"')
SRC = re.compile(r'\ssrc="(?:\.\./)*_images/([^"/]+)"')


def _lazy(tag, size_of=lambda name: None):
    """An <img> tag that loads lazily and keeps its place: width and height attributes give
    the box the image's shape before the image arrives. The width is the one it is shown at
    (Sphinx's style: a 2x PNG shown at half size), else the file's; the height follows from
    the file's shape (`size_of(name)` of `_images/name`), which Sphinx's rounded style height
    may miss by a few pixels."""
    if " loading=" in tag:
        return tag
    extra = ' loading="lazy" decoding="async"'
    if not re.search(r"\s(?:width|height)=", tag):
        src, style = SRC.search(tag), SIZE_STYLE.search(tag)
        pixels = src and size_of(src[1])
        size = (int(style[1]), int(style[2])) if style else pixels
        if style and pixels:
            size = (size[0], round(size[0] * pixels[1] / pixels[0]))
        if size:
            extra += f' width="{size[0]}" height="{size[1]}"'
    return "<img" + extra + tag[4:]


def _image_sizes(app):
    """(width, height) in pixels of an image Sphinx copies to `_images/`, by its new name."""
    from PIL import Image  # a dependency of cnnlib's figures

    sources = {dest: Path(app.srcdir) / src for src, dest in app.builder.images.items()}

    def size_of(name):
        try:
            with Image.open(sources[name]) as image:
                return image.size
        except (KeyError, OSError):  # not an image Pillow reads (an SVG): no size
            return None
    return size_of


def lazy_images(app, pagename, templatename, context, doctree):
    """Images load when the reader scrolls near them: those further down the page no longer
    hold up its first load (the browser fetches the ones near the window at once)."""
    body = context.get("body")
    if body and "<img" in body:
        size_of = _image_sizes(app)
        context["body"] = IMG.sub(lambda m: _lazy(m.group(0), size_of), body)


# The theme draws the icon of an admonition's title (the book's exercises and solutions) with
# Font Awesome's solid font, which the browser finds only once it has styled that title, late
# in the load of a long page. Pages with such a title ask for it with their stylesheets.
ICON_FONT = "_static/vendor/fontawesome/webfonts/fa-solid-900.woff2"


def add_font_preload(context, path):
    """Have the page ask for the WOFF2 font at `path` (from the book's root) with its
    stylesheets, not once layout finds a use for it."""
    href = context.get("pathto", lambda p, resource=False: p)(path, resource=True)
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="preload" href="{href}" as="font" type="font/woff2" crossorigin>')


def preload_icon_font(app, pagename, templatename, context, doctree):
    if 'class="admonition-title"' in (context.get("body") or ""):
        add_font_preload(context, ICON_FONT)


def built_pages(outdir):
    """{path relative to `outdir`: file} of every built page (the theme's templates under
    `_static/` are not pages)."""
    outdir = Path(outdir)
    return {str(page.relative_to(outdir)): page for page in sorted(outdir.rglob("*.html"))
            if page.relative_to(outdir).parts[0] != "_static"}


def _rewrite_pages(outdir, change, skip=()):
    """Apply `change` (text -> text) to every built page but those named in `skip`; a page
    is written only when it changes. Returns {page path relative to `outdir`: its text now}."""
    pages = {}
    for rel, page in built_pages(outdir).items():
        if page.name in skip:
            continue
        text = page.read_text(encoding="utf-8")
        new = change(text)
        if new != text:
            page.write_text(new, encoding="utf-8")
        pages[rel] = new
    return pages


# The theme loads Sphinx's search scripts and the whole search index in every page's head,
# for its search-as-you-type box. This book's search box opens search.html (search_as_you_type
# is off), the only page that uses them.
SEARCH_TOOLS = re.compile(r'\s*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|'
                          r'searchindex\.js)"></script>')


def drop_search_tools(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    if app.config.html_theme_options.get("search_as_you_type"):
        return
    _rewrite_pages(app.outdir, lambda text: SEARCH_TOOLS.sub("", text), skip={"search.html"})


# The theme's CSS draws its admonition and link icons with Font Awesome's web fonts (156 kB
# for the solid style alone); the fonts are cut down to the glyphs the pages can show: those of
# the theme's own rules and `--pst-icon-*` variables, and of the `fa-*` classes a page uses
# (Font Awesome's stylesheet gives each of its 1,400 icon classes a `content` rule).
CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
ICON_CHAR = re.compile(r'"\\(f[0-9a-f]{3,4})"|"([\ue000-\uf8ff])"', re.I)
ICON_CLASS_ONLY = re.compile(r"^(\s*\.fa-[\w-]+:(?::)?(?:before|after)\s*,?)+$")


def _css_icon_codepoints(static, used_names):
    found = set()
    for css in Path(static).rglob("*.css"):
        for selector, body in CSS_RULE.findall(css.read_text(encoding="utf-8", errors="ignore")):
            chars = [int(e, 16) if e else ord(c) for e, c in ICON_CHAR.findall(body)]
            if not chars:
                continue
            if ICON_CLASS_ONLY.match(selector):
                names = set(re.findall(r"\.fa-([\w-]+)", selector))
                if not names & used_names:
                    continue
            found.update(chars)
    return found


def subset_icon_fonts(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    from fontTools import subset  # a build dependency (requirements.txt), with brotli

    static = Path(app.outdir) / "_static"
    codepoints = _css_icon_codepoints(static, {name for _, name in _icons_used(app.outdir)})
    for font in (static / "vendor" / "fontawesome" / "webfonts").glob("*.woff2"):
        if font.stat().st_size < 20_000:  # already cut down (an incremental build)
            continue
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = []
        loaded = subset.load_font(str(font), options)
        keep = codepoints & set(loaded.getBestCmap())
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(keep))
        subsetter.subset(loaded)
        subset.save_font(loaded, str(font), options)


# On a first visit the theme's script resolves the colour mode (light or dark) only after the
# page is parsed, and setting it restyles every element. Resolved here, in the head, the same
# way (a stored choice, else the system's), the theme later sets what is already there.
THEME_NOW = """
if (!document.documentElement.dataset.theme) {
  var mode = localStorage.getItem("mode") || "auto";
  document.documentElement.dataset.mode = mode;
  document.documentElement.dataset.theme = mode !== "auto" ? mode :
    (window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
}
"""


# Pygments wraps every token of a code cell in a <span>; names, punctuation and spaces get a
# class whose colour is the code's own, in light and in dark mode alike. Those spans are
# unwrapped: the code looks the same, and the browser has far fewer elements to style and lay
# out (2,200 of chapter 5's 3,900 spans). Of the spans left, neighbours drawn alike become one
# (`"`, `{` and `:` of an f-string, an operator and a minus sign with a space between), and
# the empty <span></span> Pygments opens every block with goes: 300 more on chapter 5.
PYGMENTS_RULE = re.compile(
    r'^(html\[data-theme="\w+"\] )?\.highlight(?: \.(\w+))? \{ ([^}]*) \}(?: /\*.*\*/)?$',
    re.M)
CODE_BLOCK = re.compile(r'(<div class="highlight[^"]*"><pre>)(.*?)(</pre>)', re.S)
TOKEN_SPAN = re.compile(r'<span class="(\w+)">([^<]*)</span>')


def token_looks(pygments_css):
    """How each token class is drawn: its declarations in every colour mode, and the
    code's own colour in each mode (`{token: {mode: {property: value}}}`, `{mode: colour}`)."""
    base, tokens = {}, {}
    for mode, token, declarations in PYGMENTS_RULE.findall(pygments_css):
        found = dict(d.strip().split(":", 1) for d in declarations.split(";") if ":" in d)
        found = {k.strip(): v.strip().lower() for k, v in found.items()}
        if token:
            tokens.setdefault(token, {})[mode] = found
        else:
            base[mode] = found.get("color")
    return tokens, base


def plain_token_classes(pygments_css):
    """Token classes drawn exactly as the text around them in every colour mode."""
    tokens, base = token_looks(pygments_css)
    if not base:
        return set()
    return {token for token, by_mode in tokens.items()
            if all(by_mode.get(mode, {"color": colour}) == {"color": colour}
                   for mode, colour in base.items())}


def unwrap_plain_tokens(html, classes):
    """`html` with the spans of `classes` inside highlighted code blocks unwrapped."""
    if not classes:
        return html
    span = re.compile(r'<span class="(?:%s)">([^<]*)</span>' % "|".join(map(re.escape, classes)))
    return CODE_BLOCK.sub(lambda m: m.group(1) + span.sub(r"\1", m.group(2)) + m.group(3), html)


def merge_token_spans(html, pygments_css):
    """`html` with neighbouring token spans of highlighted code blocks that are drawn alike
    in every colour mode joined into one, also across spaces when all they set is a colour
    (a space shows no colour), and with empty spans dropped."""
    tokens, base = token_looks(pygments_css)
    modes = sorted(base) or sorted({mode for looks in tokens.values() for mode in looks})
    look = {token: tuple(sorted(by_mode.get(mode, {}).items()) for mode in modes)
            for token, by_mode in tokens.items()}
    colour_only = {token for token, by_mode in tokens.items()
                   if all(set(found) == {"color"} for found in by_mode.values())}

    def merge(code):
        code = code.replace("<span></span>", "")
        pieces, last, at = [], None, 0  # last: [class, text] of the span ending `pieces`
        for m in TOKEN_SPAN.finditer(code):
            between, token, text = code[at:m.start()], m.group(1), m.group(2)
            at = m.end()
            alike = last is not None and token in look and look.get(last[0]) == look[token]
            # (drawn alike: both set only a colour, or neither does)
            if alike and (not between or (between.isspace() and token in colour_only)):
                last[1] += between + text
                continue
            if between:
                pieces.append(between)
            last = [token, text]
            pieces.append(last)
        pieces.append(code[at:])
        return "".join(p if isinstance(p, str) else f'<span class="{p[0]}">{p[1]}</span>'
                       for p in pieces)

    return CODE_BLOCK.sub(lambda m: m.group(1) + merge(m.group(2)) + m.group(3), html)


def plain_code_spans(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    css_file = Path(app.outdir) / "_static" / "pygments.css"
    css = css_file.read_text(encoding="utf-8") if css_file.exists() else ""
    classes = plain_token_classes(css)
    _rewrite_pages(app.outdir,
                   lambda text: merge_token_spans(unwrap_plain_tokens(text, classes), css))


# The theme loads all of Bootstrap's script on every page; this book uses it for the download
# menu, the header buttons' tooltips and the back-to-top button, which `book_ui.js` provides.
# (pages an earlier build already changed name book-ui.js with that build's version)
BOOTSTRAP_SCRIPT = re.compile(r'<script defer src="([^"]*?)_static/scripts/'
                              r'(?:bootstrap\.js\?digest|book-ui\.js\?v)=\w+">')
BOOTSTRAP_PRELOAD = re.compile(r'\s*<link rel="preload" as="script" href="[^"]*?'
                               r'_static/scripts/bootstrap\.js\?digest=\w+" />')


def replace_bootstrap(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    scripts = Path(app.outdir) / "_static" / "scripts"
    ui = (HERE / "book_ui.js").read_text(encoding="utf-8")
    (scripts / "book-ui.js").write_text(ui, encoding="utf-8")
    version = hashlib.sha256(ui.encode()).hexdigest()[:12]

    def change(text):
        text = BOOTSTRAP_PRELOAD.sub("", text)
        return BOOTSTRAP_SCRIPT.sub(
            lambda m: f'<script defer src="{m.group(1)}_static/scripts/book-ui.js?v={version}">',
            text)
    pages = _rewrite_pages(app.outdir, change)
    left = sorted(rel for rel, text in pages.items() if "_static/scripts/bootstrap.js" in text)
    if left:
        raise RuntimeError("book_offline: these pages still load the theme's bootstrap.js "
                           f"in a form it does not recognise: {', '.join(left)}")
    for name in ("bootstrap.js", "bootstrap.js.map", "bootstrap.js.LICENSE.txt"):
        (scripts / name).unlink(missing_ok=True)


# sphinx-copybutton builds a button for every code and output block (56 on chapter 5) when the
# page is parsed: 30-40 ms of work, and a second layout, before the page counts as loaded.
# The buttons are hidden until a block is hovered or focused, so they are added after load.
COPY_START = "runWhenDOMLoaded(addCopyButtonToCodeCells)"
COPY_AFTER_LOAD = (
    "// book_offline.py: added after the load event (the buttons show only on hover or focus)\n"
    "if (document.readyState === 'complete') { addCopyButtonToCodeCells() }\n"
    "else { window.addEventListener('load', () => setTimeout(addCopyButtonToCodeCells, 0)) }")


def copy_buttons_after_load(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    script = Path(app.outdir) / "_static" / "copybutton.js"
    if not script.exists():
        return
    text = script.read_text(encoding="utf-8")
    if COPY_AFTER_LOAD in text:
        return
    if text.count(COPY_START) != 1:
        raise RuntimeError(f"book_offline: {script} no longer ends with {COPY_START!r}; "
                           "see copy_buttons_after_load")
    script.write_text(text.replace(COPY_START, COPY_AFTER_LOAD), encoding="utf-8")


def setup(app):
    app.add_js_file(None, body=THEME_NOW, priority=1)
    app.connect("html-page-context", drop_thebe, priority=900)
    app.connect("html-page-context", players_to_files, priority=950)
    app.connect("html-page-context", lazy_images, priority=960)
    app.connect("html-page-context", preload_icon_font)
    app.connect("build-finished", subset_fontawesome)
    app.connect("build-finished", drop_search_tools)
    app.connect("build-finished", replace_bootstrap)
    app.connect("build-finished", copy_buttons_after_load)
    app.connect("build-finished", subset_icon_fonts)
    # after the theme writes its pygments.css (build-finished, default priority)
    app.connect("build-finished", plain_code_spans, priority=800)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
