"""Which reported numbers are changes rather than levels.

``improves accuracy by 3%``, ``a gain of 2.1 points``, ``+0.5%``, ``a 19.5% increase in``,
``2.64 dB PSNR gain``, ``3.1% higher than``, ``outperforming X with over 5.6%`` report the
size of a change (``Result.delta``); ``reaches 81.2%`` and ``from 80.91 to 81.65`` report
levels. Both ends of a range are changes when one is ("by 30-50%"), and so is a number
listed after a change ("by 6.3% on A and 3.1% on B"). Ratios ("20x faster", "a 1.8x
reduction in KV cache size") are not changes: they keep their own metric.
"""

from __future__ import annotations

import itertools
import re

from kg.model import Result

NOUN_WORDS = ("improvement", "gain", "increase", "boost", "reduction", "decrease", "drop")
VERB_STEMS = ("improv", "increas", "reduc", "boost", "rais", "lower", "cut", "decreas", "enhanc")
BEAT_STEMS = ("outperform", "surpass", "exceed", "beat")
CHANGE_NOUNS = "|".join(f"{word}s?" for word in NOUN_WORDS) + "|lift"
CHANGE_VERBS = "|".join(VERB_STEMS)
HEDGE = (
    r"(?:up\s+to\s+|about\s+|approximately\s+|nearly\s+|roughly\s+|around\s+|over\s+|"
    r"more\s+than\s+|at\s+least\s+|an?\s+average\s+of\s+|on\s+average\s+)?"
)
BEFORE = re.compile(
    # "by 3%", "a gain of 2.1", "improvements in the range of 15%", "the improvement ... is"
    rf"(?:\bby|\b(?:{CHANGE_NOUNS}|margin)\b[^.;:]{{0,60}}?\b(?:of|is|was|are|were))\s+{HEDGE}$"
    # "improves 9% to 46%", "further improved (up to 20%)"
    rf"|\b(?:{CHANGE_VERBS})\w*\s+\(?{HEDGE}$"
    # "outperforming NGS with over 5.6%"
    rf"|\b(?:{'|'.join(BEAT_STEMS)})\w*\b[^.;:]{{0,60}}?\bwith\s+{HEDGE}$"
    r"|(?<![\w.])\+\s?$",
    re.I,
)
AFTER = re.compile(
    r"\s*(?:points?|pp|percentage\s+points?|dB)?\s*"
    r"(?:absolute|relative|average|overall|additional)?\s*"
    r"(?:(?!(?:which|that|while|and|but|with|than|on|in|for|of|to|is|are)\b)[\w-]+\s+){0,2}?"
    rf"(?:{CHANGE_NOUNS}|higher|lower|better|fewer|less|more)\b",
    re.I,
)
RANGE = re.compile(r"\s*(?:%|x)?\s?(?:[-–~]|to)\s?")
# What may stand between two listed changes: no new verb of achievement, no clause break.
LISTED = re.compile(
    r"(?![^.;:]*\b(?:reach|achiev|obtain|attain|scor|get|yield|hit)\w*)"
    r"[^.;:()]{0,80}?(?:,\s*(?:and\s+|or\s+)?|\band\s+|\bor\s+)(?:by\s+)?(?:over\s+|up\s+to\s+)?",
    re.I,
)


# Every match of BEFORE holds one of these (lower-cased): a window without any is skipped.
BEFORE_WORDS = ("by", "margin", "lift", "+", *NOUN_WORDS, *VERB_STEMS, *BEAT_STEMS)


def is_change(text: str, start: int, end: int) -> bool:
    """Whether the number at ``text[start:end]`` (unit included) is the size of a change."""
    window = text[max(0, start - 80) : start].lower()
    before = any(word in window for word in BEFORE_WORDS) and BEFORE.search(
        text, max(0, start - 80), start
    )
    return bool(before or AFTER.match(text, end))


def mark_changes(text: str, results: list[Result]) -> None:
    """Set ``delta`` on the results of one text field that are changes."""
    ordered = sorted(
        (r for r in results if r.metric != "speedup" and r.unit != "x"),
        key=lambda r: r.evidence.start,
    )
    for result in ordered:
        result.delta = is_change(text, result.evidence.start, result.evidence.end)
    for _ in range(2):  # a range's low end learns from its high end, then lists propagate
        for first, second in itertools.pairwise(ordered):
            gap = (first.evidence.end, second.evidence.start)
            if RANGE.fullmatch(text, *gap):
                first.delta = second.delta = first.delta or second.delta
            elif first.delta and LISTED.fullmatch(text, *gap):
                second.delta = True
