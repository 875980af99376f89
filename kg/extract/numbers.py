"""Numbers with their units, found by regex on a text field."""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = (
    r"\\?%|percent(?:age points?)?|pp|x|×|\\times|times|"
    r"[BMK](?![a-z])|billion|million|thousand|"
    r"points?|hours?|GPU[- ]hours?|days?|minutes?|ms|seconds?|s(?![a-z])|"
    r"frames?|steps?|tokens?|parameters|params|layers|samples|images|videos|"
    r"dB|GB|MB|TB|FPS|fps|FLOPs|NFEs?|GPU[- ]days?"
)
# Each pattern starts with a digit (then looks behind it), so the regex engine can skip
# ahead to digits instead of trying every position.
# (a number may open LaTeX math, "$41.6\\%$", "$3.1\\times$", but no superscript or index
# follows it: "$10^{-3}$" is no number 10)
NUMBER = re.compile(
    rf"(?P<num>\d(?<![\w.^{{]\d)(?<![\w.^{{)\]]-\d)(?<![\w^{{]\$\d)"
    rf"(?:\d{{0,2}}(?:,\d{{3}})+(?:\.\d+)?|\d*(?:\.\d+)?))"
    rf"(?:\s?(?P<unit>{UNITS}))?(?![\w^_])(?!\.\d)",
)
# "\\textbf{11.91\\%}", "\\textit{\\textbf{43.2}}": a number LaTeX sets in bold or italics.
WRAPPED = re.compile(
    r"\\(?:textbf|textit|mathbf|emph|underline|bm)\{(?:\\(?:textbf|textit|mathbf|underline)\{)?"
    rf"(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?)(?:\s?(?P<unit>{UNITS}))?(?=\}})"
)
SIGNED = re.compile(r"[=:]\s?[-−]$")  # a minus sign that makes a value negative
SCALE = {"b": 1e9, "billion": 1e9, "m": 1e6, "million": 1e6, "k": 1e3, "thousand": 1e3}


@dataclass(frozen=True)
class Number:
    start: int
    end: int
    value: float
    unit: str | None
    text: str


def canonical_unit(unit: str | None) -> str | None:
    if unit is None:
        return None
    low = unit.lower()
    if low in ("%", "\\%", "percent"):  # ("\\%": LaTeX, as arXiv abstracts write it)
        return "%"
    if low.startswith("percentage point") or low == "pp":
        return "pp"
    if low in ("x", "×", "times", "\\times"):
        return "x"
    if low in ("b", "billion"):
        return "B"
    if low in ("m", "million"):
        return "M"
    if low in ("k", "thousand"):
        return "K"
    if low in ("h", "hour", "hours"):
        return "hours"
    if low in ("s", "second", "seconds"):
        return "s"
    if low.startswith("point"):
        return "points"
    if low.endswith("s") and low not in ("ms", "fps", "flops", "nfes"):
        return low
    if low in ("frame", "step", "token", "day", "minute"):
        return low + "s"
    return unit


# "15%-50%", "1-2% points", "1.5-5x", LaTeX's "62--73\\%" and "$8-15\\%$": both ends are
# numbers, with the high end's unit.
RANGE = re.compile(
    r"(?P<low>\d(?<![\w.^{-]\d)(?<![\w^{]\$\d)\d*(?:\.\d+)?)\s?(?:\\?%|x)?\s?(?:--|[-–~])\s?"
    r"(?P<high>\d+(?:\.\d+)?)\s?(?P<unit>\\?%|x|×|times|points?|pp|pts)(?![\w])"
)


def find_numbers(text: str) -> list[Number]:
    """Every number in ``text`` that is not part of a name (Llama-3-8B, GPT-4, T5); both ends
    of a range such as ``15%-50%`` are numbers; a minus sign after ``=`` or ``:`` makes a
    number negative (``rho = -0.817``; "a drop of −2.3" is the size of a change)."""
    numbers = []
    ranges = []
    for match in RANGE.finditer(text):
        unit = canonical_unit(match.group("unit"))
        ranges.append(match.span())
        for part in ("low", "high"):
            end = match.end() if part == "high" else match.end(part)
            numbers.append(
                Number(
                    match.start(part),
                    end,
                    float(match.group(part)),
                    unit,
                    text[match.start(part) : end],
                )
            )
    matches = list(NUMBER.finditer(text))
    if "{" in text:
        matches += WRAPPED.finditer(text)
    for match in matches:
        if any(s <= match.start("num") < e for s, e in ranges):
            continue
        raw = match.group("num")
        # Years and section numbers are kept; callers decide what they are.
        value = float(raw.replace(",", ""))
        unit = canonical_unit(match.group("unit"))
        start = match.start("num")
        if start and text[start - 1] in "-−" and SIGNED.search(text, max(0, start - 4), start):
            start, value = start - 1, -value  # "rho = -0.817" (a change "−2.3" is its size)
        numbers.append(Number(start, match.end(), value, unit, text[start : match.end()]))
    return sorted(numbers, key=lambda n: n.start)
