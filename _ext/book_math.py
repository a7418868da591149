"""Sphinx extension: formulas written as MathML when the book is built.

Every `$...$`, `$$...$$` and `{math}` formula is converted from TeX to MathML by
`latex2mathml`; the browser draws it with the book's copy of the Latin Modern Math font
(`_static/fonts/latinmodern-math.woff2`, a subset made by `assets/make_math_font.py`). No
formula waits for a script: a page is complete when it has loaded, with or without
JavaScript, and the 1.2 MB of MathJax no longer loads with every page.

`latex2mathml` writes TeX's symbols but not all of TeX's spacing; `tex_to_mathml` adds it back:
* a minus or plus that starts a formula or follows an opening bracket, a relation, an
  operator or a comma is a sign, written without the spaces of a binary operator (`(-z)`);
* a function name (`\\max`, `\\operatorname{ReLU}`, `\\log`) takes no space before an opening
  bracket and a thin space before anything else (`\\max(0, z)`, `\\log p`);
* `|`, `\\|`, `.` and `/` are ordinary symbols, without operator spacing (`|z|`, `a/b`);
* `\\partial`, `\\nabla`, `\\infty` are symbols (`\\partial L / \\partial w`), not operators;
* a prime is written after its base instead of as a raised superscript (`n'`);
* inside a sub- or superscript operators take no space, as in TeX's script style.

Chromium draws MathML tables but not their `columnalign`: lines aligned with `&` come out
centred, so the book writes a long formula as several displayed equations instead.
"""
import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from docutils import nodes
from latex2mathml.converter import convert
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

from book_offline import add_font_preload

logger = logging.getLogger(__name__)

MATHML = "http://www.w3.org/1998/Math/MathML"
ET.register_namespace("", MATHML)
FONT = "fonts/latinmodern-math.woff2"  # under _static

ROW_LIKE = {"math", "mrow", "mtd", "msqrt", "mstyle", "mpadded", "mphantom", "menclose"}
OPEN = set("([{⌊⌈⟨")
CLOSE = set(")]}⌋⌉⟩")
SIGNS = {"+", "\u2212", "-", "\u00b1", "\u2213"}
ORDINARY_BARS = {"|", "\u2016", "\u2225"}
ORDINARY = ORDINARY_BARS | {".", "/"}  # TeX draws these without operator spacing
SYMBOLS = {"\u2202", "\u2207", "\u221e", "\u2205"}  # ∂ ∇ ∞ ∅: symbols, not operators
PRIMES = set("\u2032\u2033\u2034'")
FUNCTIONS = {"log", "ln", "exp", "sin", "cos", "tan", "tanh", "sinh", "cosh", "det", "dim",
             "ker", "arg", "lg", "sec", "csc", "cot", "sgn", "sign"}
# TeX's \big family has no MathML counterpart that Chromium sizes well: drawn plain.
# `aligned` (what Jupyter's MathJax reads inside $$) is `split` to latex2mathml.
ALIGNED = re.compile(r"\\(begin|end)\{aligned\}")
BIG = re.compile(r"\\(?:big|Big|bigg|Bigg)[lrm]?(?=[\s(\[|.)\]\\])")


def _tag(el):
    return el.tag.rsplit("}", 1)[-1]


def _new(tag, text=None, **attrs):
    el = ET.Element(f"{{{MATHML}}}{tag}", {k: str(v) for k, v in attrs.items()})
    el.text = text
    return el


def _text(el):
    return "".join(el.itertext()).strip()


def _is_function_name(el):
    text = _text(el)
    if _tag(el) == "mo":
        return len(text) > 1 and text.isalpha()
    return _tag(el) == "mi" and text in FUNCTIONS


def _opens(el):
    return el is not None and _tag(el) == "mo" and _text(el) in OPEN


def _is_sign(prev, el):
    """A plus or minus after nothing, an opening bracket, an operator or a relation."""
    if _tag(el) != "mo" or _text(el) not in SIGNS:
        return False
    if prev is None:
        return True
    if _tag(prev) != "mo":
        return False
    text = _text(prev)
    return text not in CLOSE and text not in ORDINARY_BARS and not _is_function_name(prev)


def _space_row(row):
    children = list(row)
    out = []
    for i, el in enumerate(children):
        prev = children[i - 1] if i else None
        following = children[i + 1] if i + 1 < len(children) else None
        tag = _tag(el)
        if _is_sign(prev, el):
            el.set("lspace", "0")
            el.set("rspace", "0")
        elif tag == "mo" and _text(el) in ORDINARY and el.get("stretchy") != "true":
            el.set("lspace", "0")
            el.set("rspace", "0")
        if _is_function_name(el):
            gap = following is not None and not _opens(following)
            if tag == "mo":
                el.set("lspace", "0")
                el.set("rspace", "0.1667em" if gap else "0")
                out.append(el)
            else:
                out.append(el)
                if gap:
                    out.append(_new("mspace", width="0.1667em"))
            continue
        if tag == "msup" and len(el) == 2 and _text(el[1]) and set(_text(el[1])) <= PRIMES:
            prime = _new("mo", _text(el[1]).replace("'", "\u2032"), lspace="0", rspace="0")
            out.append(_new("mrow"))
            out[-1].extend([el[0], prime])
            continue
        out.append(el)
    if out != children:
        for el in children:
            row.remove(el)
        row.extend(out)


SCRIPTED = {"msub", "msup", "msubsup", "munder", "mover", "munderover"}


def _respace(el, in_script=False):
    """Add TeX's spacing to ``el`` and below; in a sub- or superscript, as in TeX's script
    style, operators and relations take no space (`x_{r+i,c+j}`)."""
    if _tag(el) == "mo" and _text(el) in SYMBOLS:
        el.tag = f"{{{MATHML}}}mi"
        el.set("mathvariant", "normal")  # the font's own ∂, not an italic copy
    for i, child in enumerate(el):
        _respace(child, in_script or (_tag(el) in SCRIPTED and i > 0))
    if _tag(el) in ROW_LIKE:
        _space_row(el)
    if in_script and _tag(el) == "mo" and not _is_function_name(el):
        el.set("lspace", "0")
        el.set("rspace", "0")


def tex_to_mathml(tex, display=False):
    """MathML for a TeX formula, spaced as TeX spaces it.

    Parameters
    ----------
    tex : str
        The formula, without `$` delimiters.
    display : bool
        A displayed formula (its own line, limits under sums) or one inside text.

    Returns
    -------
    str
        One ``<math>`` element with the TeX source as its ``alttext``.

    Raises
    ------
    ValueError
        If ``latex2mathml`` cannot read the formula; the message quotes it.
    """
    source = ALIGNED.sub(r"\\\1{split}", BIG.sub("", tex.strip()))
    try:
        mathml = convert(source, display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises its own and built-in errors
        why = type(exc).__name__ + (f": {exc}" if str(exc) else "")
        raise ValueError(f"cannot convert the formula {tex!r} to MathML ({why})") from exc
    try:
        root = ET.fromstring(mathml)
    except ET.ParseError as exc:  # e.g. an `&` outside an environment that aligns
        raise ValueError(f"cannot convert the formula {tex!r} to MathML (it gives "
                         f"malformed MathML: {exc}); align with \\begin{{split}}") from exc
    _respace(root)
    root.set("alttext", " ".join(tex.split()))
    return ET.tostring(root, encoding="unicode", short_empty_elements=True)


def _displayed_parts(node):
    """The TeX of each equation in a displayed formula: blank lines separate equations, and
    an equation with ``\\\\`` lines is aligned at its ``&`` (TeX's ``split``), as Sphinx's
    MathJax writer does. An amsmath environment (``nowrap``) is one part, as written."""
    if node["nowrap"]:
        return [node.astext()]
    parts = [p for p in node.astext().split("\n\n") if p.strip()]
    return [r"\begin{split}" + p + r"\end{split}" if r"\\" in _outside_environments(p) else p
            for p in parts]


ENVIRONMENT = re.compile(r"\\begin\{(\w+\*?)\}(?:(?!\\begin\{).)*?\\end\{\1\}", re.S)


def _outside_environments(tex):
    """``tex`` without its ``\\begin{...} ... \\end{...}`` blocks (innermost first)."""
    while True:
        shorter = ENVIRONMENT.sub("", tex)
        if shorter == tex:
            return tex
        tex = shorter


def _convert(node, tex, display):
    """The MathML; a formula that cannot be converted is a build warning (an error with
    `--warningiserror`) naming the formula and where it is, and shows as its TeX source."""
    try:
        return tex_to_mathml(tex, display)
    except ValueError as exc:
        logger.warning(str(exc), location=node)
        return f'<code class="math-error">{html.escape(tex)}</code>'


def visit_math(self, node):
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(_convert(node, node.astext(), display=False))
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_displaymath(self, node):
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node["number"]:
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, "Link to this equation")
        self.body.append("</span>")
    for part in _displayed_parts(node):
        self.body.append(_convert(node, part, display=True))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def preload_font(app, pagename, templatename, context, doctree):
    """Pages with formulas ask for the math font with the stylesheets, not after layout."""
    if doctree is None or not any(
            True for _ in doctree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block)))):
        return
    add_font_preload(context, "_static/" + FONT)


def setup(app):
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    app.connect("html-page-context", preload_font)
    static = Path(__file__).resolve().parents[1] / "_static" / FONT
    if not static.exists():
        raise FileNotFoundError(f"the math font {static} is missing: run assets/make_math_font.py")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
