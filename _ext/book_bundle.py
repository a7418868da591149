"""Sphinx extension: a page asks the server for one stylesheet and two scripts, not twenty.

Sphinx, the theme and its extensions each link their own files. A chapter page had ten
render-blocking stylesheets (one of them pulled in an eleventh with `@import`), eight scripts
that block the parser and three deferred ones. A browser opens at most six connections to a
server, so the page waited for them in rounds. After the build:
* each run of consecutive stylesheets in a page's head becomes one stylesheet (imports
  inlined, `url()`s rebased to the new file's place);
* each run of consecutive parser-blocking scripts from `_static/`, with the inline scripts
  between them, becomes one script, in the same order;
* the page's deferred scripts from `_static/` become one deferred script, where the first
  of them was (deferred scripts run in document order once the page is parsed, so their
  order is kept too).

A bundle is named after what it joins and carries a hash of its content as `?v=`. The names
and their sources are kept in `_static/book-bundles.json`, so a rebuild that leaves a page as
it was still refreshes the bundles from the files Sphinx has just copied, and the page's `?v=`.
"""
import hashlib
import json
import posixpath
import re
from pathlib import Path

from book_offline import built_pages

MANIFEST = "book-bundles.json"
# The elements of a page, in order; a script's content is consumed with it, so nothing inside
# a script (or a comment) is taken for a tag.
ELEMENT = re.compile(r"<!--.*?-->|<script\b([^>]*)>(.*?)</script>|<link\b([^>]*?)/?>",
                     re.S | re.I)
ATTR = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
BUNDLE_REF = re.compile(r"_static/book-([0-9a-f]{12})\.(css|js)\?v=([0-9a-f]+)")
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]+))\s*\)""", re.I)
CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)"""
                        r"""|"([^"]*)"|'([^']*)')\s*([^;]*);""", re.I)
CHARSET = re.compile(r'^\s*@charset\s+"[^"]*";', re.I)
SOURCE_MAP = re.compile(r"^\s*(?://[#@] sourceMappingURL=.*|/\*[#@] sourceMappingURL=.*?\*/)\s*$",
                        re.M)
# a script that finds its own file through its <script> tag cannot move into another file
OWN_SRC = re.compile(r"currentScript\s*\??\.\s*src\b")


class BundleError(RuntimeError):
    pass


def _attrs(text):
    return {m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "")
            for m in ATTR.finditer(text)}


def _is_url(target):
    return bool(re.match(r"[a-z][a-z0-9+.-]*:|[/#]", target, re.I))


def _local(page_dir, href, outdir):
    """`href` (as written in a page in `page_dir`) as a path under `outdir`, when it names a
    file under `_static/`; otherwise None."""
    if not href or _is_url(href):
        return None
    path = posixpath.normpath(posixpath.join(page_dir, href.split("?")[0].split("#")[0]))
    if not path.startswith("_static/") or not (Path(outdir) / path).is_file():
        return None
    return path


def _data_attrs(attrs):
    return {k: v for k, v in attrs.items() if k.startswith("data-")}


def _elements(text, end=None):
    """(start, end, kind, attrs, content) of each comment, script and link of `text`."""
    out = []
    for m in ELEMENT.finditer(text, 0, len(text) if end is None else end):
        if m.group(0).startswith("<!--"):
            out.append((m.start(), m.end(), "comment", {}, ""))
        elif m.group(0)[1:7].lower() == "script":
            out.append((m.start(), m.end(), "script", _attrs(m.group(1)), m.group(2)))
        else:
            out.append((m.start(), m.end(), "link", _attrs(m.group(3)), ""))
    return out


def _adjacent(text, a, b):
    return not text[a[1]:b[0]].strip()


def _stylesheet(el, page_dir, outdir):
    _, _, kind, attrs, _ = el
    if (kind != "link" or attrs.get("rel", "").lower().split() != ["stylesheet"]
            or set(attrs) - {"rel", "href", "type"}
            or attrs.get("type", "text/css").lower() != "text/css"):
        return None
    return _local(page_dir, attrs.get("href"), outdir)


def _script(el, page_dir, outdir, defer):
    """The script's file (under `outdir`) when it can join a bundle of its kind, '' for an
    inline script that can (parser-blocking runs only), None otherwise."""
    _, _, kind, attrs, content = el
    if kind != "script" or attrs.get("type", "text/javascript").lower() not in (
            "text/javascript", "application/javascript"):
        return None
    plain = set(attrs) - {"type", "src", "defer"} - set(_data_attrs(attrs))
    if plain or ("defer" in attrs) != defer or ("src" in attrs) == bool(content.strip()):
        return None
    if "src" not in attrs:
        return "" if not defer and not _data_attrs(attrs) else None
    path = _local(page_dir, attrs["src"], outdir)
    if path and OWN_SRC.search((Path(outdir) / path).read_text(encoding="utf-8")):
        return None
    return path


def _runs(text, page_dir, outdir):
    """The bundles a page can use: [(kind, sources, data attributes, elements)], where a
    source is ("file", path under outdir) or ("inline", script text); a deferred bundle's
    elements end with the preloads of its files."""
    elements = _elements(text)
    head_end = text.lower().find("</head>")
    head = [el for el in elements if head_end < 0 or el[1] <= head_end]
    runs = []
    # stylesheets: consecutive <link rel="stylesheet"> of the head
    run = []
    for el in head + [None]:
        path = el and _stylesheet(el, page_dir, outdir)
        if path and (not run or _adjacent(text, run[-1][0], el)):
            run.append((el, path))
            continue
        if len(run) > 1:
            runs.append(("css", [("file", p) for _, p in run], {}, [e for e, _ in run]))
        run = [(el, path)] if path else []
    # parser-blocking scripts: from one file under _static to the last one before a break,
    # with the inline scripts between them
    run, data = [], {}
    for el in head + [None]:
        path = el and _script(el, page_dir, outdir, defer=False)
        if (path is not None and bool(run or path)
                and (not run or _adjacent(text, run[-1][0], el))
                and all(data.get(k, v) == v for k, v in _data_attrs(el[3]).items())):
            run.append((el, path))
            data.update(_data_attrs(el[3]))
            continue
        while run and not run[-1][1]:   # inline scripts after the last file stay in the page
            run.pop()
        if sum(1 for _, p in run if p) > 1:
            runs.append(("js", [("file", p) if p else ("inline", e[4]) for e, p in run],
                         data, [e for e, _ in run]))
        run, data = ([(el, path)], dict(_data_attrs(el[3]))) if path else ([], {})
    # deferred scripts anywhere in the page, up to one that cannot join (a module script
    # or another deferred one would then run out of its turn)
    deferred, data = [], {}
    for el in elements:
        if el[2] != "script" or ("defer" not in el[3]
                                 and el[3].get("type", "").lower() != "module"):
            continue
        path = _script(el, page_dir, outdir, defer=True)
        if not path or any(data.get(k, v) != v for k, v in _data_attrs(el[3]).items()):
            break
        deferred.append((el, path))
        data.update(_data_attrs(el[3]))
    if len(deferred) > 1:
        # the <link rel="preload"> of a script now fetched in the bundle goes too
        files = {p for _, p in deferred}
        preloads = [el for el in elements if el[2] == "link" and el[3].get("rel") == "preload"
                    and el[3].get("as") == "script"
                    and _local(page_dir, el[3].get("href"), outdir) in files]
        runs.append(("defer", [("file", p) for _, p in deferred], data,
                     [e for e, _ in deferred] + preloads))
    return runs


def bundle_name(kind, sources):
    key = json.dumps([kind, [list(s) for s in sources]], sort_keys=True)
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def bundle_file(name, kind):
    return f"_static/book-{name}.{'css' if kind == 'css' else 'js'}"


def _css(path, read, seen=()):
    """The stylesheet at `path` (under the book's root) with its imports inlined and its
    url()s rewritten for a file in `_static/`."""
    if path in seen:
        raise BundleError(f"book_bundle: {path} imports itself (through {' -> '.join(seen)})")
    css = SOURCE_MAP.sub("", CHARSET.sub("", read(path)))
    here = posixpath.dirname(path)

    def imported(m):
        target = next(g for g in m.groups()[:5] if g is not None)
        if m.group(6).strip() or not target or _is_url(target):
            raise BundleError(f"book_bundle: cannot inline {m.group(0)!r} in {path}: "
                              "only a plain relative @import can join a bundle")
        return _css(posixpath.normpath(posixpath.join(here, target)), read, (*seen, path))

    def rebased(m):
        target = next(g for g in m.groups() if g is not None)
        if not target or _is_url(target):
            return m.group(0)
        new = posixpath.relpath(posixpath.normpath(posixpath.join(here, target)), "_static")
        return f'url("{new}")'
    out, at = [], 0
    for m in CSS_IMPORT.finditer(css):   # an imported file's url()s are rebased from its place
        out += [CSS_URL.sub(rebased, css[at:m.start()]), imported(m)]
        at = m.end()
    return "".join(out + [CSS_URL.sub(rebased, css[at:])])


def bundle_text(kind, sources, read):
    """The content of a bundle; `read(path under the book's root)` gives a file's text."""
    if kind == "css":
        return "".join(f"/* {p} */\n{_css(p, read)}\n" for _, p in sources)
    # a leading empty statement: no "use strict" of the first file applies to the others
    parts = ["/* book_bundle.py: the scripts below, in the order the page had them */\n"]
    for what, value in sources:
        label = value if what == "file" else "inline script"
        body = SOURCE_MAP.sub("", read(value)) if what == "file" else value
        parts.append(f";\n/* {label} */\n{body}\n")
    return "".join(parts)


def _tag(kind, href, data):
    if kind == "css":
        return f'<link rel="stylesheet" href="{href}" />'
    extra = "".join(f' {k}="{v}"' for k, v in sorted(data.items()))
    return f'<script{" defer" if kind == "defer" else ""}{extra} src="{href}"></script>'


def bundle_pages(outdir, pages):
    """Bundle the stylesheets and scripts of `pages` ({path under `outdir`: text}); returns
    {page: new text} with every bundle reference versioned, and writes the bundles."""
    outdir = Path(outdir)
    static = outdir / "_static"
    manifest_path = static / MANIFEST
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    texts = {}
    for rel, text in pages.items():
        page_dir = posixpath.dirname(rel)
        cuts = []   # (start, end, replacement)
        for kind, sources, data, elements in _runs(text, page_dir, outdir):
            name = bundle_name(kind, sources)
            manifest[name] = {"kind": kind, "sources": [list(s) for s in sources]}
            href = posixpath.relpath(bundle_file(name, kind), page_dir or ".")
            tag = _tag(kind, f"{href}?v=0", data)
            cuts.append((elements[0][0], elements[-1][1] if kind != "defer" else elements[0][1],
                         tag))
            if kind == "defer":   # the first is replaced, the others and their preloads go
                for el in elements[1:]:
                    start = len(text[:el[0]].rstrip(" \t\n"))
                    cuts.append((start, el[1], ""))
        for start, end, new in sorted(cuts, reverse=True):
            text = text[:start] + new + text[end:]
        texts[rel] = text

    versions = {}
    for name, entry in manifest.items():
        sources = [tuple(s) for s in entry["sources"]]
        missing = [v for w, v in sources if w == "file" and not (outdir / v).is_file()]
        if missing:
            versions[name] = None   # an earlier build's bundle that no page can still use
            continue
        content = bundle_text(entry["kind"], sources,
                              lambda p: (outdir / p).read_text(encoding="utf-8"))
        target = outdir / bundle_file(name, entry["kind"])
        if not target.exists() or target.read_text(encoding="utf-8") != content:
            target.write_text(content, encoding="utf-8")
        versions[name] = hashlib.sha256(content.encode()).hexdigest()[:12]

    def version(m, rel):
        name, ext, _ = m.groups()
        if not versions.get(name):
            raise BundleError(f"book_bundle: {rel} links the bundle {m.group(0)}, whose files "
                              "are gone; rebuild the book from clean (rm -rf _build/html)")
        return f"_static/book-{name}.{ext}?v={versions[name]}"
    texts = {rel: BUNDLE_REF.sub(lambda m, rel=rel: version(m, rel), text)
             for rel, text in texts.items()}
    manifest = {n: e for n, e in manifest.items() if versions.get(n)}
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return texts


def bundle_assets(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    files = built_pages(app.outdir)
    pages = {rel: page.read_text(encoding="utf-8") for rel, page in files.items()}
    for rel, text in bundle_pages(app.outdir, pages).items():
        if text != pages[rel]:
            files[rel].write_text(text, encoding="utf-8")


def setup(app):
    # after every other build-finished step that changes the pages or the files they load
    # (book_offline's, and book_css's at 900)
    app.connect("build-finished", bundle_assets, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
