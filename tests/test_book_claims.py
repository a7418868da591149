"""Every number a chapter's prose states is computed in that chapter.

A number written in a chapter's markdown (digits, or words such as "sixteen") must appear
in the source or the printed output of one of that chapter's code cells, possibly rounded
("0.96" for a printed 0.963, "99%" for 98.8%), or be definitional: a chapter or section
number, a citation year from references.bib, "8-bit", or 0 and 1. Vague quantities with a
unit ("several times", "a few seconds", "a few dozen steps") are refused outright: the
chapter should print the measured number instead. Fractions in words ("two thirds") must
match a computed ratio or percentage.

The chapters' outputs come from the book's execution cache when its code matches the
notebook (``_build/.jupyter_cache``, or the one beside ``$BOOK_HTML``), otherwise from
executing the notebook in memory with nbclient.
"""
import functools
import os
import re
from decimal import Decimal
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]

# --------------------------------------------------------------------------- allow-list
# Reviewed: numbers that define rather than measure. Keep this list short.
ALLOWED_VALUES = {Decimal(0), Decimal(1)}
DEFINITIONAL = [
    r"\b[Cc]hapters?\s+\d+(?:\s*(?:,|and|or|to|-|–)\s*\d+)*",  # "chapter 3", "chapters 5-7"
    r"\b[Ss]ections?\s+\d+(?:\.\d+)*",                           # "section 3.1"
    r"\b[Ff]ig(?:ure|\.)?\s+\d+(?:\.\d+)*",                      # "Fig 6.5"
    r"\b\d+-(?:bit|D)\b",                                        # "8-bit", "2-D"
    r"\b(?:Python|numpy|version)\s+\d+(?:\.\d+)+",                 # "Python 3.11"
    r"\bsteps? it by \d+(?:\.\d+)?",       # a control's key step, set in its JavaScript
]
NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
NUMBER_WORDS.update({w: 10 * i for i, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)})
NUMBER_WORDS["twice"] = 2
FRACTIONS = {"halves": 2, "thirds": 3, "quarters": 4, "fifths": 5, "tenths": 10}
VAGUE = re.compile(
    r"\b(?:several|a few|a couple of|a handful of|dozens of|hundreds of|many)\s+"
    r"(?:times|seconds|minutes|hours|steps|epochs|dozen|percent|points)\b", re.I)


def citation_years():
    """The years of references.bib, allowed next to the works they date."""
    bib = (ROOT / "references.bib").read_text()
    return {Decimal(y) for y in re.findall(r"year\s*=\s*[{\"]?(\d{4})", bib)}


# --------------------------------------------------------------------------- prose

def clean_markdown(text):
    """Markdown without the parts that are not prose: roles, targets, link targets, options."""
    text = text.replace("{,}", ",")                           # LaTeX 8{,}392
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", text)          # {cite}`x`, {ref}`ex-1`
    text = re.sub(r"^\([\w-]+\)=\s*$", " ", text, flags=re.M)  # (label)=
    text = re.sub(r"^\s*:[\w-]+:.*$", " ", text, flags=re.M)   # :label: ex-ch1-x
    text = re.sub(r"^\s*(?:```|~~~|:::).*$", " ", text, flags=re.M)
    text = re.sub(r"(!?)\[([^\]]*)\]\([^)]*\)", r"\2", text)   # [text](target)
    text = re.sub(r"<[^>]+>", " ", text)
    for pattern in DEFINITIONAL:
        text = re.sub(pattern, " ", text)
    text = re.sub(r"(\d)\s*[x×]\s*(?=\d)", r"\1 × ", text)     # 3x3 -> 3 × 3
    return re.sub(r"(\d)x\b", r"\1 x", text)                   # 3x slower


NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w])")
WORD = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")(?:-(" +
                  "|".join(w for w in NUMBER_WORDS if NUMBER_WORDS[w] < 10) + r"))?\b",
                  re.I)
FRACTION = re.compile(r"\b(two|three|four|five|six|seven|eight|nine)\s+(" +
                      "|".join(FRACTIONS) + r")\b", re.I)


RATIO = re.compile(r"\s*(?:times\b|-fold\b)")


def stated_numbers(markdown):
    """(value, text, is_ratio) for every number the prose states, digits and words.

    A ratio ("sixteen times", "10-fold", "twice") is a measured comparison: it must be
    printed or asserted, not merely appear somewhere in the code.
    """
    text = clean_markdown(markdown)
    found = []
    for m in NUMBER.finditer(text):
        ratio = bool(RATIO.match(text, m.end()))
        found.append((Decimal(m.group(0).replace(",", "")), m.group(0), ratio))
    for m in WORD.finditer(text):
        value = NUMBER_WORDS[m.group(1).lower()]
        if m.group(2):
            value += NUMBER_WORDS[m.group(2).lower()]
        ratio = m.group(1).lower() == "twice" or bool(RATIO.match(text, m.end()))
        found.append((Decimal(value), m.group(0), ratio))
    return found


def stated_fractions(markdown):
    text = clean_markdown(markdown)
    return [(NUMBER_WORDS[m.group(1).lower()] / FRACTIONS[m.group(2).lower()], m.group(0))
            for m in FRACTION.finditer(text)]


# --------------------------------------------------------------------------- code

CODE_NUMBER = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")


def computed_numbers(texts):
    """Every number in code sources and printed outputs, as Decimals."""
    values = set()
    for text in texts:
        text = re.sub(r"(?<=\d)_(?=\d)", "", text)   # 50_000
        for m in CODE_NUMBER.finditer(text):
            values.add(Decimal(m.group(0).replace(",", "")))
    return values


def output_texts(cell):
    """The text a reader sees printed under a code cell (no images, no HTML players).

    A figure's or widget's placeholder ("<Figure size 640x480 with 1 Axes>") is skipped:
    its numbers are not on the page.
    """
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            yield out.get("text", "")
        elif out.get("output_type") in ("execute_result", "display_data"):
            data = out.get("data", {})
            plain = data.get("text/plain", "")
            if plain and not re.fullmatch(r"\s*<.*>\s*", plain, flags=re.S):
                yield plain
            if "text/markdown" in data:
                yield data["text/markdown"]


def matches(value, text, computed):
    """Is the stated ``value`` (written as ``text``) computed, exactly or rounded?"""
    if value in computed:
        return True
    places = len(text.split(".")[1]) if "." in text else 0
    quantum = Decimal(1).scaleb(-places)
    return any(x.as_tuple().exponent < -places
               and x.quantize(quantum, rounding="ROUND_HALF_UP") == value
               for x in computed)


def fraction_matches(fraction, computed, tolerance=0.02):
    return any(abs(float(x) - fraction) <= tolerance
               or abs(float(x) / 100 - fraction) <= tolerance for x in computed)


def unsupported(markdown_cells, computed, allowed=frozenset(), checked=None):
    """The stated numbers and vague quantities that no code cell supports.

    ``computed`` holds the numbers of the code and its printed output; ``checked`` (default:
    the same) those printed or written in an ``assert`` line, which a ratio needs.
    """
    checked = computed if checked is None else checked
    problems = []
    for source in markdown_cells:
        for value, text, ratio in stated_numbers(source):
            if ratio and not matches(value, text, checked):
                problems.append(f"ratio {text!r} is neither printed nor asserted, in: "
                                f"{context(source, text)}")
            elif value in ALLOWED_VALUES or value in allowed:
                continue
            elif not matches(value, text, computed):
                problems.append(f"{text!r} in: {context(source, text)}")
        for fraction, text in stated_fractions(source):
            if not fraction_matches(fraction, checked):
                problems.append(f"{text!r} (= {fraction:.3f}) in: {context(source, text)}")
        for m in VAGUE.finditer(clean_markdown(source)):
            problems.append(f"vague quantity {m.group(0)!r}: print the measured number, "
                            f"in: {context(source, m.group(0))}")
    return list(dict.fromkeys(problems))


def context(source, text, width=50):
    flat = " ".join(source.split())
    i = flat.find(text)
    return "…" + flat[max(0, i - width):i + len(text) + width] + "…"


# --------------------------------------------------------------------------- chapters

def toc_chapters():
    """The notebooks _toc.yml lists, in order."""
    from test_book_sources import toc_files
    return [ROOT / (f + ".ipynb") for f in toc_files() if (ROOT / (f + ".ipynb")).exists()]


def cache_dirs():
    dirs = [ROOT / "_build" / ".jupyter_cache"]
    if os.environ.get("BOOK_HTML"):
        dirs.insert(0, Path(os.environ["BOOK_HTML"]).parent / ".jupyter_cache")
    return [d for d in dirs if (d / "global.db").exists()]


@functools.lru_cache(maxsize=None)
def executed(path):
    """The chapter with its outputs: from a matching execution cache, or run now."""
    nb = nbformat.read(path, as_version=4)
    for directory in cache_dirs():
        from jupyter_cache import get_cache
        try:
            _, merged = get_cache(str(directory)).merge_match_into_notebook(nb)
            return merged
        except KeyError:  # the cache holds another version of the code
            continue
    from nbclient import NotebookClient
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(Path(path).parent)}}).execute()
    return nb


def chapter_corpus(path):
    """The chapter's prose, the numbers of its code and outputs, and those it checks."""
    nb = executed(path)
    code = [c for c in nb.cells if c.cell_type == "code"]
    printed = [t for c in code for t in output_texts(c)]
    asserts = [line for c in code for line in c.source.splitlines()
               if line.lstrip().startswith("assert")]
    prose = [c.source for c in nb.cells if c.cell_type == "markdown"]
    prose += [c.metadata.get("mystnb", {}).get("figure", {}).get("caption", "")
              for c in code]                # figure captions are prose too
    return (prose, computed_numbers([c.source for c in code] + printed),
            computed_numbers(printed + asserts))


CHAPTERS = toc_chapters()


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_number_in_the_prose_is_computed_in_the_chapter(chapter):
    prose, computed, checked = chapter_corpus(chapter)
    problems = unsupported(prose, computed, citation_years(), checked)
    assert not problems, (f"{chapter.name}: {len(problems)} stated numbers that no code cell "
                          "computes or prints:\n  " + "\n  ".join(problems))


def test_front_page_numbers_are_computed_in_some_chapter():
    computed, checked = set(), set()
    for chapter in CHAPTERS:
        computed |= chapter_corpus(chapter)[1]
        checked |= chapter_corpus(chapter)[2]
    intro = (ROOT / "intro.md").read_text()
    intro = re.sub(r"```console.*?```|```python.*?```", " ", intro, flags=re.S)
    problems = unsupported([intro], computed, citation_years(), checked)
    assert not problems, "intro.md:\n  " + "\n  ".join(problems)


# --------------------------------------------------------------------------- the checker

ISSUE_13_EXAMPLES = [
    "a dense layer with $16 \\cdot 8 \\cdot 8 \\cdot 2 + 2$ weights, sixteen times more",
    "only the dense layer grows, four times.",
    "so each epoch takes several times longer",
    "it trains in a few seconds",
    "within a few dozen steps the middle column turns red",
    "a layer-2 unit sees about two thirds of the image.",
]


@pytest.mark.parametrize("sentence", ISSUE_13_EXAMPLES)
def test_checker_catches_the_typed_numbers_of_issue_13(sentence):
    source = "w = 16 * 8 * 8 * 2 + 2\nprint(w, 0.25)"
    computed = computed_numbers([source, "2050\n"])
    checked = computed_numbers(["2050\n"])
    assert unsupported([sentence], computed, checked=checked)


@pytest.mark.parametrize("sentence", [
    "The correlation is 0.96.",            # printed 0.963, rounded
    "98.8% of the test images",            # printed as a percentage
    "about 99% of them",                   # the same, rounded to a whole number
    "32,770 weights",                      # thousands separator
    "$32{,}770$ weights",                  # the same in LaTeX
    "Chapter 6 trains it; see section 3.1 and {cite}`sobel1968`",
    "Sobel and Feldman, in 1968, on an 8-bit image of 3x3 patches",
    "the output is $4\\times 4$: one of 16 values",
    "it learns nine weights, a third of them positive",
])
def test_checker_accepts_computed_rounded_and_definitional_numbers(sentence):
    computed = computed_numbers(["r = 0.963\n", "98.8%", "32770", "(4, 4) 16 3 9"])
    assert unsupported([sentence], computed, allowed=citation_years()) == []


def test_checker_refuses_a_number_that_is_only_close():
    computed = computed_numbers(["0.963", "16"])
    assert unsupported(["the correlation is 0.97"], computed)
    assert unsupported(["16.5 times"], computed)
    assert unsupported(["an identifier like conv2d is not a number, but 17 is"], computed)
    assert not unsupported(["it is 16 times larger"], computed)
    assert unsupported(["it is 16 times larger"], computed, checked=set())
