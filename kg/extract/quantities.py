"""Decide what a number is: a result, a quantity (size, count, setting) or nothing (a year).

Results: percentages and decimals near a metric or dataset, speed-ups (``20x faster``),
measured times and costs (``0.1s latency``, ``3.8 A100 GPU days``). Quantities: model and
data sizes, counts of steps, frames, samples..., and bare integers not tied to a metric.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.ents import Ent
from kg.extract.numbers import Number

# "8 tasks", "30 test questions"; not "5.2% across tasks" (a value measured over them).
COUNT_NOUNS = re.compile(
    r"^\s*(?:(?!(?:across|on|over|in|for|at|with|than)\s)[\w-]+\s+){0,2}?(parameters?|params|tokens?|samples?|pairs?|images?|videos?|frames?|"
    r"steps?|hours?|GPUs?|examples?|instances?|problems?|questions?|tasks?|languages?|"
    r"layers?|users?|prompts?|clips?|documents?|trajectories|episodes?|iterations?|epochs?|"
    r"models?|datasets?|benchmarks?|categories|classes|demonstrations?|annotations?|"
    r"queries|papers|articles|seconds|minutes|days|times|bits?|NFEs?|sub-?tasks?|"
    r"compression|(?:down|up)sampling)\b",
    re.I,
)
RESOLUTION = re.compile(r"\s*\d")
SPEED = re.compile(
    r"^\s*(?:[a-z][a-z-]*\s+)?(?:faster|speed-?ups?|acceleration|quicker)\b", re.I
)
GPU_COST = re.compile(r"^\s*(?:[A-Z]?\d+\s+)?GPU[- ]?(?:days?|hours?)", re.I)
TIME_METRIC = re.compile(r"latency|time|runtime|speed|cost", re.I)
SIZE_UNITS = {"B", "M", "K"}
COUNT_UNITS = {
    "frames",
    "steps",
    "tokens",
    "parameters",
    "params",
    "layers",
    "samples",
    "images",
    "videos",
    "GB",
    "MB",
    "TB",
    "NFE",
    "NFEs",
}
TIME_UNITS = {"s", "ms", "minutes", "hours", "days", "GPU hours", "GPU days", "GPU-days"}
ADJACENT = re.compile(r"\s*(?:of|=|:|>|<|≥|≤|>=|<=|is|at|reaches|score of)?\s*")


@dataclass(frozen=True)
class Kind:
    """``result`` numbers carry a ``metric`` when it is implied (speedup, training cost)."""

    result: bool
    what: str = ""
    metric: str | None = None
    unit: str | None = None


WORDS_AFTER = re.compile(r"\s*((?:[\w$^{}-]+\s?){1,3})")
FASTER = re.compile(r"\s*faster")


# The time measure a sentence speaks of, when it names none as an entity: "latency" and
# "runtime" are words of their own; generating, training and inference are activities.
TIME_MEASURES = (
    (re.compile(r"\blatenc", re.I), "latency"),
    (re.compile(r"\brun[- ]?time", re.I), "runtime"),
    (re.compile(r"\btrain", re.I), "training time"),
    (re.compile(r"\bgenerat|\bsynthesi", re.I), "generation time"),
    (re.compile(r"\binference|\bsampl|\bdecod", re.I), "inference time"),
)


def _time_measure(sentence: str) -> str | None:
    for pattern, name in TIME_MEASURES:
        if pattern.search(sentence):
            return name
    return None


def _what(text: str, end: int) -> str:
    match = WORDS_AFTER.match(text[end : end + 40])
    if not match:
        return ""
    stop = {"and", "or", "of", "on", "in", "for", "with", "to", "the", "a", "an", "that", "which"}
    kept: list[str] = []
    for word in match.group(1).split():
        if word.lower() in stop:
            break
        kept.append(word)
    return " ".join(kept)


def _adjacent_metric(text: str, number: Number, metrics: list[Ent]) -> bool:
    """``FID of 23``, ``FID>100``, ``23 FID``: a metric touches the number."""
    for span in metrics:
        if span.end_char <= number.start and ADJACENT.fullmatch(text[span.end_char : number.start]):
            return True
        if span.start_char >= number.end and not text[number.end : span.start_char].strip():
            return True
    return False


ACCELERATED = re.compile(
    r"\b(?:accelerat|speed(?:s|ing)?\s+up)\w*\b[^.;,]{0,50}?\bby\s+(?:(?:up\s+to|about|"
    r"around|over|nearly|roughly)\s+)?\$?$",
    re.I,
)
CURRENCY = re.compile(r"(?:\\?\$|USD\s?|US\$|€|£)$")
# "improving X from 12.13 to 19.58", "reduces decoding steps from 256 to 30": both ends of a
# change are values, with or without a unit or a metric noun.
CHANGED_FROM = re.compile(
    r"\b(?:improv|increas|reduc|rais|boost|lower|cut|decreas|drop|lift)\w*\b[^.;:]{0,60}?"
    r"\bfrom\s+\$?(?:(?P<low>[\d.,]+)\s?(?:\\?%)?\$?\s*(?:to|->|→|\\rightarrow)\s*\$?)?$",
    re.I,
)
ARROW_AFTER = re.compile(r"\s?(?:\\?%)?\$?\s*(?:to|->|→|\\rightarrow)\s*\$?\d")


def _changed_from_to(text: str, number: Number) -> bool:
    """``number`` is an end of a change ``from A to B`` that a change verb reports."""
    before = CHANGED_FROM.search(text, max(0, number.start - 120), number.start)
    if before is None:
        return False
    return before.group("low") is not None or ARROW_AFTER.match(text, number.end) is not None


def classify(
    text: str, sentence: str, number: Number, metrics: list[Ent], datasets: list[Ent]
) -> Kind:
    """What ``number`` (in ``text``, in its sentence ``sentence``) reports."""
    after = text[number.end : number.end + 40]
    unit = number.unit
    if unit == "x" and RESOLUTION.match(after):
        return Kind(False, what="resolution")  # "ImageNet 64 times 64", "256 × 256"
    if (unit == "x" and SPEED.match(after)) or (unit == "%" and FASTER.match(after)):
        return Kind(True, metric="speedup", unit=unit)
    if unit in ("x", "%") and ACCELERATED.search(text, max(0, number.start - 80), number.start):
        return Kind(True, metric="speedup", unit=unit)  # ("accelerating convergence by 15%")
    counted = COUNT_NOUNS.match(after)
    if 1900 <= number.value <= 2100 and unit is None and "." not in number.text and not counted:
        return Kind(False, what="skip")
    gpu = GPU_COST.match(after)
    if unit in TIME_UNITS or gpu:
        timed = [m for m in metrics if TIME_METRIC.search(m.text)]
        if timed:
            nearest = min(timed, key=lambda m: abs(m.start_char - number.start))
            return Kind(True, metric=nearest.text, unit=None)
        if gpu or unit in ("GPU hours", "GPU days", "GPU-days"):
            return Kind(True, metric="training cost", unit=None)
        named = _time_measure(sentence)
        if named is not None:
            return Kind(True, metric=named, unit=None)
        if unit in ("s", "ms"):
            return Kind(True, metric="inference time", unit=None)
        return Kind(False, what=unit or "GPU time")
    if unit in SIZE_UNITS or unit in COUNT_UNITS or counted is not None:
        what = unit if unit in COUNT_UNITS else _what(text, number.end)
        return Kind(False, what=what)
    if _changed_from_to(text, number):
        return Kind(True, unit=unit)  # ("reduces decoding steps from 256 to 30")
    if unit is None and CURRENCY.search(text, max(0, number.start - 5), number.start):
        return Kind(True, unit=None)  # ("cuts monthly cost from \$1,503 to \$708", "USD 38.99")
    if unit is None and "." not in number.text and not _adjacent_metric(text, number, metrics):
        return Kind(False, what=_what(text, number.end))
    if not (metrics or datasets or unit in ("%", "pp", "x")):
        return Kind(False, what=_what(text, number.end))
    return Kind(True, unit=unit)
