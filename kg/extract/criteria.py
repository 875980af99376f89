"""Metrics named by how a text evaluates, not by a curated list.

* Lists after an evaluation word: ``metrics including accuracy, MCC and Brier score``,
  ``a human evaluation based on correctness, clarity, and hallucination``, ``evaluated in
  terms of latency and coverage``: each item (one to three words) is a metric.
* A short name right before ``of`` / ``=`` and a number, or right after one: ``a c-index of
  0.82``, ``r = 0.083``, ``0.41 MCC``.
"""

from __future__ import annotations

import re

from kg.extract.compounds import STOP

# What introduces a list of evaluation criteria.
TRIGGER = re.compile(
    r"\b(?:metrics?|measures?|criteria|dimensions|aspects|in\s+terms\s+of|evaluated\s+(?:on|for|by)|"
    r"assessed\s+(?:on|for|by)|rated\s+(?:on|for)|judged\s+(?:on|for)|(?:evaluation|assessment)\s+"
    r"(?:of\s+(?:[\w-]+\s+){1,4})?(?:based\s+on|on|of))\s*(?::|,)?\s*(?:(?:such\s+as|including|like|namely)\s+)?",
    re.I,
)
WORD = r"[A-Za-z][\w@-]*(?:\.\d+)?"
ITEM = re.compile(rf"(?P<item>{WORD}(?:\s(?!and\b|or\b){WORD}){{0,2}})")
JOINT = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s*\band\s+|\s*\bor\s+)")
# "c-index of 0.82", "r = 0.083", "MCC: 0.41"; "0.41 MCC".
BEFORE_NUMBER = re.compile(r"(?<![\w-])(?P<name>[A-Za-z][\w-]{0,9})\s*(?:of|=|:)\s*[-−]?\d")
AFTER_NUMBER = re.compile(r"\d(?:\.\d+)?\s(?P<name>[A-Z][A-Z0-9-]{1,6})\b")
SHORT_METRIC = re.compile(r"[A-Z]{2,6}|[a-z]-[a-z]+|[rRρτκ]|rho|tau|kappa|[A-Za-z]+@\d+")
NOT_METRICS = frozenset("""which that each both this these those there here they them them it its
    who what when where order up use rate average all total one two three our their most
    over than only just about around""".split())


def _cut(text: str, start: int, end: int) -> int:
    """Where an item ends: before its first word that is no part of a name (a verb, a
    preposition: "blorbity shows gains" is blorbity); ``start`` if its first word is."""
    pos = start
    for word in text[start:end].split(" "):
        if word.lower() in STOP or word.lower() in NOT_METRICS:
            break
        pos += len(word) + 1
    return max(start, pos - 1)


def criteria_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the metrics the text's evaluation lists and number tags name."""
    found: list[tuple[int, int]] = []
    for trigger in TRIGGER.finditer(text):
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
    for pattern in (BEFORE_NUMBER, AFTER_NUMBER):
        for match in pattern.finditer(text):
            name = match.group("name")
            if SHORT_METRIC.fullmatch(name) and name.lower() not in NOT_METRICS:
                found.append(match.span("name"))
    return sorted(set(found))
