"""Sphinx extension: the theme's stylesheets keep only the rules the book's pages can use.

The theme ships all of Bootstrap 5 and its own rules for features this book does not use
(397 kB of CSS, parsed before any page is drawn). After the build, a rule is kept when the
classes and ids its selector needs can appear on a page: each one is a word of some built
page or of some script under `_static/` (the scripts add classes such as `show` or `active`
as the reader clicks). Bootstrap builds a few class names from parts (`bs-tooltip-top`);
those are always kept. Everything else in the file is kept as written: custom properties,
at-rules, element and attribute selectors, licence comments. The check errs towards keeping:
a class inside `:not()`, `:is()`, `:where()` or `:has()` never causes a rule to be dropped.
"""
import re
from pathlib import Path

import tinycss2

STYLESHEETS = ("styles/pydata-sphinx-theme.css", "sphinx-design.min.css", "mystnb.*.css")
WORD = re.compile(r"[A-Za-z_][\w-]*")
ALWAYS = re.compile(r"^bs-")   # Bootstrap names built from parts at run time (bs-tooltip-top)
NEEDED = re.compile(r"[.#](-?[_a-zA-Z][\w-]*)")
FUNCTIONAL = re.compile(r":(?:not|is|where|has|-webkit-any|-moz-any)\(")
NESTING = ("media", "supports", "layer", "container", "document")


def page_words(outdir):
    """Every word of the built pages and of the scripts they load."""
    outdir = Path(outdir)
    words = set()
    for path in [*outdir.rglob("*.html"), *(outdir / "_static").rglob("*.js")]:
        words.update(WORD.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return words


def _without_functional(selector):
    """`selector` with the arguments of :not(), :is(), ... and [attribute] tests removed."""
    out, depth, i = [], 0, 0
    while i < len(selector):
        m = FUNCTIONAL.match(selector, i)
        if m and depth == 0:
            depth, i = 1, m.end()
            continue
        c = selector[i]
        if depth:
            depth += {"(": 1, ")": -1}.get(c, 0)
        else:
            out.append(c)
        i += 1
    return re.sub(r"\[[^\]]*\]", "", "".join(out))


def _selectors(prelude):
    """The selectors of a rule's prelude, split on the commas outside brackets."""
    parts, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append(current)
            current = []
        else:
            current.append(token)
    parts.append(current)
    return [tinycss2.serialize(p).strip() for p in parts]


def can_match(selector, words):
    """False when the selector needs a class or id that no page or script has."""
    return all(name in words or ALWAYS.match(name)
               for name in NEEDED.findall(_without_functional(selector)))


def lean_rules(rules, words):
    """The serialized rules, those that cannot match dropped (recursing into @media, ...)."""
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            kept = [s for s in _selectors(rule.prelude) if can_match(s, words)]
            if kept:
                out.append(",".join(kept) + "{" + tinycss2.serialize(rule.content) + "}")
        elif (rule.type == "at-rule" and rule.lower_at_keyword in NESTING
              and rule.content is not None):
            inner = lean_rules(tinycss2.parse_rule_list(
                rule.content, skip_comments=True, skip_whitespace=True), words)
            if inner:
                out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}"
                           "{" + "".join(inner) + "}")
        elif rule.type == "comment":
            if rule.value.startswith("!"):  # a licence
                out.append(f"/*{rule.value}*/\n")
        elif rule.type != "whitespace":
            out.append(tinycss2.serialize([rule]))
    return out


def lean_stylesheet(css, words):
    rules = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=True)
    errors = [r for r in rules if r.type == "error"]
    if errors:
        raise ValueError(f"cannot read the stylesheet: {errors[0].message} "
                         f"(line {errors[0].source_line})")
    return "".join(lean_rules(rules, words))


def lean_theme_css(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    words = None
    for pattern in STYLESHEETS:
        for css in static.glob(pattern):
            words = words if words is not None else page_words(app.outdir)
            css.write_text(lean_stylesheet(css.read_text(encoding="utf-8"), words),
                           encoding="utf-8")
            Path(f"{css}.map").unlink(missing_ok=True)


def setup(app):
    # after book_offline's build-finished steps, which change the pages
    app.connect("build-finished", lean_theme_css, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
