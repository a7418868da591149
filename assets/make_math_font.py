"""Write the book's math font: a subset of Latin Modern Math as WOFF2.

    python assets/make_math_font.py [SOURCE.otf]

The source is `latinmodern-math.otf` from Debian's `fonts-lmodern` package (GUST Font License,
copied beside the font): `apt-get download fonts-lmodern && dpkg-deb -x fonts-lmodern_*.deb x`
puts it under `x/usr/share/texmf/fonts/opentype/public/lm-math/`, the default path here is
where `apt-get install fonts-lmodern` puts it. The subset keeps the font's MATH table, so the
browser can stretch brackets and place limits, and every character a formula of this book can
produce: Latin and Greek letters, their mathematical italic and bold forms (MathML draws a
single-letter variable in italic by mapping it to those), digits, punctuation and the common
operators, relations and arrows. Bold Greek, double-struck and script letters are
left out (each letter costs about 100 bytes); add a range and run this again if a formula
needs them. `tests/test_book_math.py` checks that every character in the built
book's formulas is in the font.
"""
import argparse
import shutil
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "_static" / "fonts" / "latinmodern-math.woff2"
DEFAULT = Path("/usr/share/texmf/fonts/opentype/public/lm-math/latinmodern-math.otf")
LICENSE = "GUST-FONT-LICENSE.txt"

# The common operators, relations and arrows (not whole Unicode blocks: each of their
# glyphs brings its size variants along, and the font would triple).
OPERATORS = ("∀∂∃∅∇∈∉∋∏∐∑−∓∕∗∘∙√∝∞∠∣∤∥∦∧∨∩∪∫∬∮∴∵∼≃≅≈≍≐≠≡≤≥≦≧≪≫≺≻⊂⊃⊆⊇⊎⊏⊑⊓⊔⊕⊖⊗⊘⊙⊢⊣⊤⊥"
             "⋀⋁⋂⋃⋄⋅⋆⋮⋯⋰⋱←↑→↓↔↕↖↗↘↙↦↩↪⇐⇑⇒⇓⇔⟵⟶⟷⟸⟹⟺⟼")
RANGES = [
    (0x0020, 0x007E),    # Basic Latin
    (0x00A0, 0x00A0), (0x00AC, 0x00AC), (0x00B1, 0x00B1), (0x00B7, 0x00B7),
    (0x00D7, 0x00D7), (0x00F7, 0x00F7),  # no-break space ¬ ± · × ÷
    (0x0131, 0x0131), (0x0237, 0x0237),  # dotless i and j (accents)
    (0x02C6, 0x02DC),    # modifier accents
    (0x0300, 0x030C),    # combining accents
    (0x0391, 0x03A9), (0x03B1, 0x03C9), (0x03D1, 0x03D6), (0x03F0, 0x03F5),  # Greek
    (0x2000, 0x200B), (0x2013, 0x2016), (0x2020, 0x2022), (0x2026, 0x2026),
    (0x2032, 0x2037), (0x2061, 0x2064),  # spaces, dashes, ‖, †, …, ′ ″ ‴, invisible operators
    (0x20D7, 0x20D7),    # combining vector arrow
    (0x2102, 0x2102), (0x210E, 0x210E), (0x2113, 0x2113), (0x2115, 0x2115),
    (0x211A, 0x211D), (0x2124, 0x2124),  # ℂ ℎ ℓ ℕ ℚ ℝ ℤ
    (0x2308, 0x230B),    # ⌈ ⌉ ⌊ ⌋
    (0x27E8, 0x27E9),    # ⟨ ⟩
    (0x1D400, 0x1D433),  # bold A-z (\mathbf)
    (0x1D434, 0x1D467),  # italic A-z: every single-letter variable
    (0x1D6E2, 0x1D71B),  # italic Greek
] + [(ord(c), ord(c)) for c in OPERATORS]


def make(source, out=OUT):
    """Subset ``source`` (an OpenType math font) into ``out`` (WOFF2); return its size in bytes."""
    source = Path(source)
    if not source.is_file():
        raise FileNotFoundError(
            f"no font at {source}: install Debian's fonts-lmodern or pass the path of "
            "latinmodern-math.otf")
    if "MATH" not in TTFont(source):
        raise ValueError(f"{source} has no MATH table: it is not an OpenType math font")
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[u for lo, hi in RANGES for u in range(lo, hi + 1)])
    subsetter.subset(font)
    out.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(out), options)
    license_file = source.parents[4] / "doc" / "fonts" / "lm-math" / LICENSE
    if license_file.is_file():
        shutil.copyfile(license_file, out.parent / LICENSE)
    return out.stat().st_size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", default=DEFAULT, type=Path)
    args = parser.parse_args()
    size = make(args.source)
    print(f"wrote {OUT} ({size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
