"""Formulas as MathML (`_ext/book_math.py`) and the math font they are drawn with.

The converter is checked on the TeX spacing rules it adds to `latex2mathml`'s output; the font
(`_static/fonts/latinmodern-math.woff2`) on its MATH table and on covering every character of
every formula in the built book. How the formulas look in a browser is checked in
`test_browser.py` (`test_formulas_are_mathml_drawn_with_the_math_font`).
"""
import html
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

from book_math import MATHML, tex_to_mathml  # noqa: E402

FONT = ROOT / "_static" / "fonts" / "latinmodern-math.woff2"
HTML = ROOT / "_build" / "html"
NS = {"m": MATHML}


def tree(tex, display=False):
    return ET.fromstring(tex_to_mathml(tex, display))


def operators(root, text):
    return [el for el in root.iter(f"{{{MATHML}}}mo") if el.text == text]


def test_a_minus_after_a_bracket_is_a_sign_and_between_terms_an_operator():
    root = tree(r"\operatorname{ReLU}(-z) = a - b")
    sign, binary = operators(root, "\u2212")
    assert (sign.get("lspace"), sign.get("rspace")) == ("0", "0")
    assert binary.get("lspace") is None  # the font's spacing for a binary minus


def test_a_minus_that_starts_a_formula_or_follows_a_relation_is_a_sign():
    for tex in (r"-1", r"y = -x", r"(a, -b)"):
        minus = operators(tree(tex), "\u2212")[0]
        assert minus.get("rspace") == "0", tex


def test_function_names_hug_a_bracket_and_keep_a_thin_space_otherwise():
    root = tree(r"\max(0, z) + \log p")
    name = operators(root, "max")[0]
    assert (name.get("lspace"), name.get("rspace")) == ("0", "0")
    row = list(root.find("m:mrow", NS))
    log = next(i for i, el in enumerate(row) if el.text == "log")
    assert row[log + 1].tag == f"{{{MATHML}}}mspace" and row[log + 1].get("width") == "0.1667em"


def test_bars_slash_and_period_are_ordinary():
    root = tree(r"|z| = a/b.")
    for text in ("|", "/", "."):
        for el in operators(root, text):
            assert (el.get("lspace"), el.get("rspace")) == ("0", "0"), text


def test_partial_is_a_symbol_not_an_operator():
    root = tree(r"\partial L / \partial w")
    assert not operators(root, "\u2202")
    partials = [el for el in root.iter(f"{{{MATHML}}}mi") if el.text == "\u2202"]
    assert len(partials) == 2 and all(p.get("mathvariant") == "normal" for p in partials)


def test_a_prime_follows_its_base_instead_of_being_raised():
    root = tree(r"n' = \text{size}'")
    assert root.find(".//m:msup", NS) is None
    primes = operators(root, "\u2032")
    assert len(primes) == 2


def test_operators_in_scripts_take_no_space():
    root = tree(r"x_{r+i,\,c+j} = a + b")
    plus_in_script = [el for el in root.find(".//m:msub", NS).iter(f"{{{MATHML}}}mo")
                      if el.text == "+"]
    assert plus_in_script and all(el.get("lspace") == "0" for el in plus_in_script)
    outside = [el for el in operators(root, "+") if el not in plus_in_script]
    assert outside and outside[0].get("lspace") is None


def test_big_delimiters_are_drawn_plain():
    root = tree(r"\big(a - b\big)^2")
    assert all(el.get("minsize") is None for el in root.iter(f"{{{MATHML}}}mo"))
    assert "\\big" not in "".join(root.itertext())


def test_display_and_alttext():
    root = tree(r"y = \sum_i w_i x_i", display=True)
    assert root.get("display") == "block"
    assert root.get("alttext") == r"y = \sum_i w_i x_i"
    assert tree("x").get("display") == "inline"


@pytest.mark.parametrize("bad", [r"\frac{1}{", "x^", r"\left( x"])
def test_unreadable_tex_is_an_error_that_quotes_it(bad):
    with pytest.raises(ValueError, match=re.escape(repr(bad))):
        tex_to_mathml(bad)


def _font():
    ttlib = pytest.importorskip("fontTools.ttLib")
    return ttlib.TTFont(FONT)


def test_math_font_is_a_small_woff2_with_a_math_table():
    font = _font()
    assert font.flavor == "woff2"
    assert "MATH" in font, "without its MATH table the browser cannot stretch brackets"
    assert FONT.stat().st_size < 200_000, f"{FONT.name} is {FONT.stat().st_size} bytes"


def _italic(ch):
    """The code point MathML draws a one-letter <mi> with (its automatic italic)."""
    if ch == "h":
        return 0x210E
    if "a" <= ch <= "z":
        return 0x1D44E + ord(ch) - ord("a")
    if "A" <= ch <= "Z":
        return 0x1D434 + ord(ch) - ord("A")
    if "\u03b1" <= ch <= "\u03c9":
        return 0x1D6FC + ord(ch) - 0x03B1
    if "\u0391" <= ch <= "\u03a9":
        return 0x1D6E2 + ord(ch) - 0x0391
    return None


def test_math_font_has_every_character_of_every_formula_in_the_book():
    pages = sorted(HTML.rglob("*.html")) if HTML.is_dir() else []
    formulas = [m for p in pages for m in re.findall(r"<math\b.*?</math>",
                                                      p.read_text(encoding="utf-8"), re.S)]
    if not formulas:
        pytest.skip("the book is not built: run `make book`")
    cmap = _font().getBestCmap()
    missing = set()
    for mathml in formulas:
        root = ET.fromstring(mathml)
        for el in root.iter():
            text = html.unescape(el.text or "").strip()
            for ch in text:
                if ord(ch) not in cmap:
                    missing.add(ch)
            if (el.tag == f"{{{MATHML}}}mi" and len(text) == 1 and el.get("mathvariant") is None
                    and _italic(text) is not None and _italic(text) not in cmap):
                missing.add(f"italic {text}")
    assert not missing, (
        f"{len(formulas)} formulas use characters the math font lacks: {sorted(missing)}; "
        "add them to RANGES in assets/make_math_font.py and run it")


class _Block(dict):
    """A stand-in for a docutils math_block node: its text and its options."""

    def astext(self):
        return self["text"]


def test_lines_of_a_displayed_formula_align_at_their_ampersands():
    from book_math import _displayed_parts
    parts = _displayed_parts(_Block(nowrap=False, text="a &= b + c \\\\\n  &= d\n\nx = 1"))
    assert len(parts) == 2 and parts[1] == "x = 1"
    root = ET.fromstring(tex_to_mathml(parts[0], display=True))
    rows = root.findall(".//m:mtr", NS)
    assert len(rows) == 2 and all(len(r.findall("m:mtd", NS)) == 2 for r in rows)


def test_a_matrix_alone_is_not_split_into_lines():
    from book_math import _displayed_parts
    tex = r"\begin{pmatrix}1&2\\3&4\end{pmatrix} \to 10"
    assert _displayed_parts(_Block(nowrap=False, text=tex)) == [tex]


def test_an_ampersand_outside_an_alignment_is_a_clear_error():
    with pytest.raises(ValueError, match=r"split"):
        tex_to_mathml("a &= b")


def test_aligned_as_jupyter_writes_it_becomes_rows():
    root = tree(r"\begin{aligned} a &= b \\ c &= d \end{aligned}", display=True)
    assert len(root.findall(".//m:mtr", NS)) == 2

