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
        rf"{NP}\s+(?=(?:from|by|to)\s+(?:about\s+|approximately\s+|up\s+to\s+|only\s+)?"
        r"\\?[$+−-]*\d)",
        starts=CHANGE_VERBS,
    ),
]
# "improves the success of flight search from 0% to 32.2%" (the head is the measure);
# "reduces the number of binary variables by 6 times" (a count is named whole).
VALUE_AHEAD = (
    r"\s+(?=(?:from|by|to)\s+(?:(?:about|approximately|around|roughly|nearly|over|only|"
    r"up\s+to|upwards\s+of)\s+)?\\?[$+−-]*\d)"
)
OF_PATTERN = WordPattern(
    rf"\b(?:{'|'.join(CHANGE_VERBS)})\w*\s+(?:the\s+|its\s+)?"
    r"(?P<np>(?P<head>[a-z][a-z-]*)\s+of\s+[a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,2}?)" + VALUE_AHEAD,
    starts=CHANGE_VERBS,
)
COUNT_HEADS = frozenset({"number", "fraction", "percentage", "proportion", "share"})
NUMBER_NEAR = re.compile(r"\d")
# "recovers 17.7 points of retention", "a 3.2 percentage-point gain in accuracy"
POINTS_PATTERN = re.compile(
    rf"\d(?:\.\d+)?\s+(?:percentage[\s-])?(?:points?|pp|pts)\s+(?:of|in)\s+(?:the\s+)?{NP}{END}"
)
RATIO_PATTERN = re.compile(
    rf"\d(?:\.\d+)?\s?(?:x|×|times|\\?%)\s+(?:faster|greater|higher|lower|better|"
    rf"more|less|smaller|larger)\s+{NP}{END}"
)
# "100% sensitivity and 67% specificity", "35% test-train duplication": a percentage written
# right before a noun phrase reports it in that measure (not after "at", "with", "using":
# "at 50% sparsity" is a setting).
PERCENT_PATTERN = re.compile(rf"(?<![\w.])\d+(?:\.\d+)?\s?\\?%\s+{NP}{END}")
SETTING_BEFORE = re.compile(r"\b(?:at|with|under|using|only|of|to|for|keeping|retaining)\s+$")
NOT_A_MEASURE = frozenset(
    """on in of at for to by from with and or while than compared over more fewer less
    faster slower higher lower better worse smaller larger greater relative absolute average
    overall total additional extra improvement reduction increase decrease gain drop boost
    speedup speed-up accurate via point points pp earlier later sooner longer shorter""".split()
)
COUNTED = re.compile(r"(?<!s)(?<!nes)(?<!u)(?<!i)s$")
"""A plural head: the percentage counts items ("99% molecules", "30% tokens"), it is not a
measure ("100% sensitivity", "35% duplication")."""
DETERMINERS = frozenset(
    """the a an their its our his her this that these those some such any each every
    respective both all many several most""".split()
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


# "communication overhead", "inference time": a vague head word with a modifier names a
# cost; "the time", "this overhead" do not.
COST_TAILS = frozenset({"time", "overhead"})
VAGUE_OPENERS = frozenset("the a an it them this that and with than those these up".split())


FUNCTION_WORD = re.compile(
    r"(?<![\w-])(?:was|were|is|are|be|been|being|has|have|had|when|where|which|who|whose|"
    r"while|if|as|due|because|since|then|so|not|can|could|will|would|may|might|should|must|"
    r"do|does|did)(?![\w-])"
)
LY_ADJECTIVES = frozenset("monthly weekly daily yearly hourly quarterly".split())  # (no adverbs)


def _adverb(word: str) -> bool:
    return word.endswith("ly") and len(word) > 4 and word not in LY_ADJECTIVES
NUMBER_WORDS = frozenset("hundred thousand million billion trillion".split())


def _name_words(text: str, start: int, end: int) -> tuple[int, int, list[str]]:
    """A measure's name ends before a function word ("processing speed due to"); one that
    starts with it is none ("80% was consumed", "10% when equipped")."""
    cut = FUNCTION_WORD.search(text, start, end)
    end = cut.start() if cut else end
    return start, end, text[start:end].split()


def metric_phrases(text: str) -> list[tuple[int, int]]:
    """Character spans of metric noun phrases in result statements."""
    found = []
    change, verb = WORD_PATTERNS
    # ("a 19.5% increase in X"; not "there has been an increase in recent advancements")
    matches = [
        m
        for m in change.finditer(text)
        if NUMBER_NEAR.search(text, max(0, m.start() - 30), m.start())
    ]
    matches += verb.finditer(text)
    matches += RATIO_PATTERN.finditer(text)
    matches += POINTS_PATTERN.finditer(text)
    for match in PERCENT_PATTERN.finditer(text):
        words = _name_words(text, *match.span("np"))[2]
        if not words or words[0] in NOT_A_MEASURE or words[0].endswith("ed"):
            continue  # ("50% exposed unfair suppression": a verb, not a measure)
        if COUNTED.search(words[-1]):
            continue  # ("99% molecules were solved": a count)
        if not SETTING_BEFORE.search(text, max(0, match.start() - 12), match.start()):
            matches.append(match)
    for match in OF_PATTERN.finditer(text):
        head = match.group("head")
        if head in COUNT_HEADS:
            start, end, words = _name_words(text, *match.span("np"))
            if len(words) > 2 and not any(w in DETERMINERS for w in words):
                found.append((start, start + len(text[start:end].rstrip())))
        elif head not in VAGUE and head not in NOT_A_MEASURE:
            found.append(match.span("head"))
    for match in matches:
        start, end, words = _name_words(text, *match.span("np"))
        if not words or words[0] in NUMBER_WORDS:
            continue
        costed = len(words) > 1 and words[-1] in COST_TAILS and words[0] not in VAGUE_OPENERS
        if not costed and (words[-1] in VAGUE or words[0] in VAGUE):
            continue
        if any(w in DETERMINERS or _adverb(w) for w in words):
            continue  # ("their respective capability", "particularly"): no metric's name
        found.append((start, start + len(text[start:end].rstrip())))
    return sorted(set(found))
