"""Metrics named by how a result is reported, not by a curated list.

``a 19.5% increase in conversational abilities``, ``reduces reasoning lengths by 30-50%``,
``improving the total score from 80.91 to 81.65``, ``16.2x faster quantization speed``: the
noun phrase a change or a ratio is about is the metric. Vague heads (performance, quality,
results) are not metrics.
"""

from __future__ import annotations

import re

from kg.extract.scan import WordPattern

NP = r"(?P<np>[a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,2}?)"
END = r"(?=\s*(?:[,.;:)]|\s(?:and|by|from|to|with|while|compared|over|on|for|of|at|in)\b|$))"
# Changes ("an increase in X", "improves X by") start at a word boundary (see scan.py);
# ratios ("3x faster X") at a digit.
CHANGE_NOUNS = ("increase", "improvement", "reduction", "gain", "drop", "decrease", "boost")
CHANGE_VERBS = ("improv", "reduc", "increas", "boost", "lower", "rais", "decreas", "cut")
WORD_PATTERNS = [
    WordPattern(
        rf"\b(?:{'|'.join(f'{noun}s?' for noun in CHANGE_NOUNS)})"
        rf"\s+(?:in|of)\s+(?:the\s+)?{NP}{END}",
        starts=CHANGE_NOUNS,
    ),
    WordPattern(
        rf"\b(?:{'|'.join(CHANGE_VERBS)})\w*\s+(?:the\s+|its\s+)?"
        rf"{NP}\s+(?=(?:from|by)\s+(?:about\s+|approximately\s+|up\s+to\s+)?\d)",
        starts=CHANGE_VERBS,
    ),
]
RATIO_PATTERN = re.compile(
    rf"\d(?:\.\d+)?\s?(?:x|×|times|%)\s+(?:faster|greater|higher|lower|better|"
    rf"more|less|smaller|larger)\s+{NP}{END}"
)
DETERMINERS = frozenset(
    """the a an their its our his her this that these those some such any each every
    respective""".split()
)
VAGUE = frozenset(
    [
        "performance",
        "results",
        "result",
        "quality",
        "margin",
        "gain",
        "gains",
        "improvement",
        "improvements",
        "overhead",
        "number",
        "amount",
        "size",
        "scale",
        "data",
        "model",
        "models",
        "generation",
        "training",
        "inference",
        "time",
        "steps",
        "the",
        "a",
        "an",
        "it",
        "them",
        "this",
        "that",
        "and",
        "with",
        "than",
        "those",
        "these",
        "range",
        "up",
        "parameters",
        "convergence",
        "accurate",
        "effective",
        "terms",
        "term",
        "capturing",
        "entropy",
    ]
)


def metric_phrases(text: str) -> list[tuple[int, int]]:
    """Character spans of metric noun phrases in result statements."""
    found = []
    matches = [m for pattern in WORD_PATTERNS for m in pattern.finditer(text)]
    matches += RATIO_PATTERN.finditer(text)
    for match in matches:
        words = match.group("np").split()
        if not words or words[-1] in VAGUE or words[0] in VAGUE:
            continue
        if any(w in DETERMINERS or (w.endswith("ly") and len(w) > 4) for w in words):
            continue  # ("their respective capability", "particularly"): no metric's name
        found.append(match.span("np"))
    return sorted(set(found))
