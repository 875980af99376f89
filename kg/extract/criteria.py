"""Metrics named by how a text evaluates, not by a curated list.

* Lists after an evaluation word: ``metrics including accuracy, MCC and Brier score``,
  ``a human evaluation based on correctness, clarity, and hallucination``, ``evaluated in
  terms of latency and coverage``: each item (one to three words) is a metric.
* A short name right before ``of`` / ``=`` and a number, or right after one: ``a c-index of
  0.82``, ``r = 0.083``, ``0.41 MCC``.
"""

from __future__ import annotations

import itertools
import re

from spacy.tokens import Doc

from kg.extract.compounds import STOP
from kg.extract.ents import ents_of, relabel, set_ents
from kg.extract.scan import CaselessPattern
from kg.extract.sentences import text_of

# What introduces a list of evaluation criteria.
TRIGGER = CaselessPattern(
    r"\b(?:(?:measur|comput)(?:e|es|ed|ing)\s+(?:for\s+)?both\s+|"
    r"(?:metrics?|measures?|criteria|dimensions|aspects)\b|in\s+terms\s+of|evaluated\s+(?:on|for|by)|"
    r"assessed\s+(?:on|for|by)|rated\s+(?:on|for)|judged\s+(?:on|for)|"
    r"(?:evaluation|assessment)\s+"
    r"(?:of\s+(?:[\w-]+\s+){1,4})?(?:based\s+on|on|of))\s*(?::|,|\()?\s*(?:(?:such\s+as|including|like|namely)\s+)?",
    word_start=True,
    starts=(
        "metric", "measur", "criteria", "dimensions", "aspects", "in terms", "evaluat",
        "assess", "rated", "judged", "comput",
    ),
)
WORD = r"[A-Za-z][\w@-]*(?:\.\d+)?"
ITEM = re.compile(rf"(?P<item>{WORD}(?:\s(?!and\b|or\b){WORD}){{0,2}})")
JOINT = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s*\band\s+|\s*\bor\s+)")
# "c-index of 0.82", "r = 0.083", "MCC: 0.41" (the name is the word before the mark);
# "0.41 MCC".
TAG_MARK = re.compile(r"(?: of|=|:)\s*[-−]?\d")
NAME_BEFORE = re.compile(r"(?<![\w-])([A-Za-z][\w-]{0,9})\s*$")
AFTER_NUMBER = re.compile(r"\d(?:\.\d+)?\s(?P<name>[A-Z][A-Z0-9-]{1,6})\b")
HYPHENED_VALUE = re.compile(r"(?<![\w-])(?P<name>[a-z]-[a-z]+) \d*\.\d")  # "c-index 0.82"
SHORT_METRIC = re.compile(r"[A-Z]{2,6}|[a-z]-[a-z]+|[rRρτκ]|rho|tau|kappa|[A-Za-z]+@\d+")
NOT_METRICS = frozenset("""which that each both this these those there here they them them it its
    who what when where order up use rate average all total one two three our their most
    over than only just about around""".split())

# "93.06% ASR": an acronym right after a number is what the number measures, even one a
# curated list knows as a task (automatic speech recognition).
NUMBER_THEN = re.compile(r"\d(?:\.\d+)?\s?(?:\\?%)?\s$")
ACRONYM = re.compile(r"[A-Z][A-Z0-9-]{1,5}")


def retype_measured(doc: Doc) -> None:
    """Task acronyms right after a number (``93.06% ASR``) become metrics."""
    text, ents = text_of(doc), ents_of(doc)
    measured = [
        e.label_ == "TASK"
        and ACRONYM.fullmatch(text, e.start_char, e.end_char) is not None
        and NUMBER_THEN.search(text, max(0, e.start_char - 12), e.start_char) is not None
        for e in ents
    ]
    if any(measured):
        pairs = zip(ents, measured, strict=True)
        set_ents(doc, [relabel(doc, e, "METRIC") if m else e for e, m in pairs])


UNITS = frozenset("kb mb gb tb pb kib mib gib tib hz khz mhz ghz ms us ns".split())
"""Units, not measures: "2.1 GB" is an amount of memory."""
HEAD_ONLY = frozenset({"rate", "average", "total"})
"""No metric alone, but the head of one ("pass rate")."""


def _cut(text: str, start: int, end: int) -> int:
    """Where an item ends: before its first word that is no part of a name (a verb, a
    preposition: "blorbity shows gains" is blorbity); ``start`` if its first word is."""
    pos = start
    for i, word in enumerate(text[start:end].split(" ")):
        low = word.lower()
        ends = low in STOP or low in NOT_METRICS or (low.endswith(("ly", "ed")) and len(low) > 4)
        if ends and not (i and low in HEAD_ONLY):
            break  # (a verb or an adverb ends the item: "followed", "particularly")
        pos += len(word) + 1
    return max(start, pos - 1)


# A measure and its value: "safety 54.7%", "total score 57.2%", "specificity 0.813",
# "safety (0.912)".
NAMED_VALUE = re.compile(
    r"(?<![\w-])(?P<np>[a-z][a-z-]{2,}(?: [a-z][a-z-]{2,}){0,2}) (?P<open>\()?"
    r"(?:[-+]?\d+(?:\.\d+)?\s?(?:%|\\%)|\d*\.\d+(?![\w.]))(?(open)\))"
)
LIST_GAP = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
OPENERS = frozenset(
    """a an the our its their with and or of in on at by for to from achieves achieving
    achieved reaches reaching reached attains attaining obtains obtaining yields yielding
    scores scoring shows showing""".split()
)


def _np_span(match: re.Match[str]) -> tuple[int, int]:
    """The measure's words, without the function words that may open them."""
    start, end = match.span("np")
    words = match.group("np").split()
    while words and words[0] in OPENERS:
        start += len(words.pop(0)) + 1
    return (start, end) if words else (end, end)


def criteria_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the metrics the doc's evaluation lists and number tags name."""
    text = text_of(doc)
    found: list[tuple[int, int]] = []
    for trigger in TRIGGER.in_span(doc, 0, len(text)):
        if trigger.group().rstrip().endswith(","):
            continue  # ("a trajectory of metrics, logs and design choices": a list it is in)
        pos = trigger.end()
        items: list[tuple[int, int]] = []
        while len(items) < 12:
            item = ITEM.match(text, pos)
            if item is None:
                break
            end = _cut(text, item.start(), item.end())
            if end <= item.start():
                break
            items.append((item.start(), end))
            joint = JOINT.match(text, end)
            if end < item.end() or joint is None or joint.end() == end:
                break  # (the list ends with a cut item or without a joint)
            pos = joint.end()
        if len(items) >= 2:  # (a list: one item alone may be any noun)
            found += items
    # "(average total score 57.2%, safety 54.7%, effectiveness 62.3%)": a list of measures,
    # each with its number.
    pairs = list(NAMED_VALUE.finditer(text))
    for a, b in itertools.pairwise(pairs):
        b_span = _np_span(b)
        if a.end() <= b_span[0] and LIST_GAP.fullmatch(text, a.end(), b_span[0]):
            found += [_np_span(a), b_span]
    tagged: list[tuple[tuple[int, int], str]] = []
    for mark in TAG_MARK.finditer(text):
        before = NAME_BEFORE.search(text, max(0, mark.start() - 12), mark.start())
        if before is not None:
            tagged.append((before.span(1), before.group(1)))
    tagged += [(m.span("name"), m.group("name")) for m in AFTER_NUMBER.finditer(text)]
    tagged += [(m.span("name"), m.group("name")) for m in HYPHENED_VALUE.finditer(text)]
    for span, word in tagged:
        if SHORT_METRIC.fullmatch(word) and word.lower() not in NOT_METRICS | UNITS:
            found.append(span)
    return sorted(set(found))
