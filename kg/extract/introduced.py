"""Names a text introduces beyond the first one after a cue: the named components of a
proposed system and the acronyms it defines.

* After a proposing cue (``we propose``, ``consists of``, ``called``...), every later name in
  the sentence that no curated list holds is introduced too (``we introduce two techniques,
  Annealing Reflow and Flow-Guided Distillation``), until a word says the names are used
  rather than new (``using``, ``based on``, ``outperforming``, ``evaluated on``...).
* So are component phrases there: two or more words before a component head (``hybrid
  linear attention``, ``clustering-based diversity search``), and the Title Case names an
  enumerating noun lists (``two techniques, Flux Reweighting and Spectral Warmup``); they
  become Method entities.
* An acronym definition (``Multi-Matrix Factorization Attention (MFA)``) of a method,
  dataset or metric no curated list holds, not in a "used" context, is introduced when its
  sentence has a proposing cue (the title rule is in ``assemble``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.strings import StringStore
from spacy.tokens import Doc

from kg.extract import attrs
from kg.extract.compounds import WORD_BEFORE, modifier_ok
from kg.extract.ents import ents_of
from kg.extract.naming import BUILT_ON_NAME, looks_like_name
from kg.extract.scan import CaselessPattern
from kg.extract.sentences import sentences, text_of
from kg.extract.words import WordIndex

Span2 = tuple[int, int]
# Words after which the names that follow are used, compared with or evaluated on.
USED_WORDS = frozenset(
    """use uses used using via through following like e.g. existing prior previous popular
    standard conventional traditional baseline baselines than compared versus vs vs. against
    experiment experiments benchmark benchmarks on from across state-of-the-art sota
    including extend extends extending inspired""".split()
)
USED_PREFIXES = ("leverag", "adopt", "employ", "appl", "outperform", "surpass", "evaluat",
                 "improv", "achiev")
USED_PAIRS = frozenset({("based", "on"), ("built", "on"), ("built", "upon"), ("relying", "on"),
                        ("such", "as")})
WORD = re.compile(r"\S+")


def _used(doc: Doc, start: int, end: int) -> int | None:
    """Where the first word of ``[start, end)`` that says the names after it are used,
    compared with or evaluated on starts (``using``, ``based on``, ``outperforms``), or None."""
    text = text_of(doc)
    previous, previous_start = "", start
    for match in WORD.finditer(text, start, end):
        word = match.group().lower().strip(",;:()[]\"'")
        if (previous, word) in USED_PAIRS:
            return previous_start
        if word in USED_WORDS or word.startswith(USED_PREFIXES):
            return match.start()
        previous, previous_start = word, match.start()
    return None


# What introduces new names ("we propose", "our", "consists of", "called").
INTRODUCING_STARTS = (
    "we", "paper", "work", "study", "report", "our", "consist", "compris", "compos",
    "incorporat", "integrat", "equipped", "called", "named", "dubbed", "termed", "coined",
    "novel", "new",
)
INTRODUCING = CaselessPattern(
    r"\b(?:we\s+(?:\w+\s+)?(?:propose|present|introduce|develop|design|build|construct|"
    r"create|curate|release|devise|formulate|contribute|establish|offer|unveil|name|call|"
    r"term|dub)\w*|(?:(?<=\bthis )|(?<=\bthe ))(?:paper|work|study|report)\s+(?:\w+\s+)?"
    r"(?:propose|present|introduce|develop|describe)\w*|our|consist\w*\s+of|compris\w*|compos\w*\s+of|"
    r"incorporat\w*|integrat\w*|equipped\s+with|called|named|dubbed|termed|coined|"
    r"(?:(?<=\ba )|(?<=\ban ))(?:novel|new))\b",
    word_start=True,
    starts=INTRODUCING_STARTS,
)
KINDS = frozenset({"METHOD", "DATASET", "METRIC"})


COMPONENT_HEADS = (
    "attention", "loss", "module", "mechanism", "strategy", "estimation", "representation",
    "specialization", "selection", "search", "distillation", "scheme", "regularization",
    "decoding", "pruning", "merging", "fusion", "premetric", "guidance", "schedule", "router",
    "objective", "estimator", "verifier", "verifiers", "embedding", "adapter", "planner",
    "critic", "curriculum",
)
# "hybrid linear attention", "clustering-based diversity search", "U-shaped timestep
# distribution": two or more words (or a hyphenated one) before a component head.
COMPONENT_STOP = frozenset(
    """a an the our this that these its their novel new simple effective efficient general
    unified first two three several more better key main core additional further specific
    dedicated carefully designed proposed lightweight powerful robust principled and or of
    for to with in on by from as is are be which that training learning""".split()
)


# What stands right before a named component: the cue, an article, an enumerator.
INTRODUCED_BY = re.compile(
    r"(?:\b(?:a|an|the|our|two|three|novel|new)|\(\w\)|[:,]|\band)\s*$", re.IGNORECASE
)


def _component_phrases(
    text: str, heads: list[tuple[int, int, str]], start: int, end: int
) -> list[Span2]:
    """Named components in ``text[start:end]`` (after a proposing cue; ``heads``: where
    component heads occur): a head after two or more plain words (or one hyphenated word;
    no verb, preposition or evaluative adjective), introduced by an article, an enumerator
    or the cue itself."""
    found = []
    for at, head_end, _ in heads:
        if not start <= at < end:
            continue
        words: list[tuple[int, int]] = []
        pos = at
        while len(words) < 3:
            word = WORD_BEFORE.search(text, max(start, pos - 40), pos)
            if word is None or not _component_word(word.group(1)):
                break
            words.insert(0, word.span(1))
            pos = word.start(1)
        while words and text[words[0][0] : words[0][1]].lower() in COMPONENT_STOP:
            words.pop(0)
        if words and _introduced_by(text, start, words[0][0]) and (
            len(words) >= 2 or "-" in text[words[0][0] : words[0][1]]
        ):
            found.append((words[0][0], head_end))
    return found


def _component_word(word: str) -> bool:
    """A word of a component's name: a modifier of a metric would do, and so would a
    participle ("structured", "guided"): components are often named by them."""
    return modifier_ok(word, "METRIC") or (
        word.endswith("ed") and word.isalpha() and word.lower() not in COMPONENT_STOP
    )


def _introduced_by(text: str, start: int, first: int) -> bool:
    return first <= start or INTRODUCED_BY.search(text, max(start, first - 12), first) is not None


# "two techniques, A and B", "three modules: A, B and C", "components (1) A ... (2) B".
ENUMERATING = (
    "techniques", "components", "modules", "strategies", "mechanisms", "stages", "innovations",
    "contributions", "designs", "methods", "algorithms", "variants", "losses", "objectives",
    "parts", "blocks", "ideas", "steps", "phases", "agents", "roles", "experts", "operators",
)
# What may follow an enumerating noun before its list of names.
LIST_START = re.compile(r"\s*(?::|,|\(|including|namely)?\s*")
ITEM = re.compile(
    r"(?:\(\w\)\s*)?(?:(?:a|an|the)\s+)?"
    r"(?P<item>[A-Z][\w*'-]*(?:[ ][A-Z0-9][\w*'-]*){0,4})"
)
SEPARATOR = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|;\s*)")


def _enumerated(text: str, nouns: list[tuple[int, int, str]], start: int, end: int) -> list[Span2]:
    """The Title Case names listed after an enumerating noun (``nouns``: where those occur)
    in ``text[start:end]``."""
    found: list[Span2] = []
    for at, noun_end, _ in nouns:
        if not start <= at < end:
            continue
        pos = LIST_START.match(text, noun_end, end).end()  # type: ignore[union-attr]
        while pos < end:
            item = ITEM.match(text, pos, end)
            if item is None:
                break
            found.append(item.span("item"))
            separator = SEPARATOR.match(text, item.end(), end)
            if separator is None:
                break
            pos = separator.end()
        if found:
            break
    return found


@dataclass(frozen=True)
class Indices:
    """Where the component heads and the enumerating nouns occur in a doc."""

    heads: WordIndex
    nouns: WordIndex


def word_indices(strings: StringStore) -> Indices:
    return Indices(
        WordIndex(strings, COMPONENT_HEADS, "component_heads"),
        WordIndex(strings, ENUMERATING, "enumerating"),
    )


# "we propose a new DEIS (...)": only these words between a cue and the name it introduces.
RIGHT_AFTER = re.compile(r"\s*(?:(?:a|an|the|our|novel|new|simple|fast)\s+)*")


# "an rFID of 0.9", "0.9 rFID": a metric with its value is reported, not introduced.
VALUE_AFTER = re.compile(r"\s*(?:of|=|:|is|was)?\s*[-+−]?\$?\d")
VALUE_BEFORE = re.compile(r"\d(?:\.\d+)?\s?%?\s*$")


def _introduced_metric(text: str, start: int, end: int) -> bool:
    """Whether a metric after a proposing cue is one the paper introduces: a name, not one
    it reports a value in."""
    return (
        looks_like_name(text[start:end])
        and VALUE_AFTER.match(text, end) is None
        and VALUE_BEFORE.search(text, max(0, start - 12), start) is None
    )


def _right_after(text: str, cue_end: int, start: int) -> bool:
    """Whether the name at ``start`` is what the cue ending at ``cue_end`` introduces (a
    curated pair is new only there: the paper that first defined it)."""
    match = RIGHT_AFTER.match(text, cue_end, start)
    return match is not None and match.end() == start


def introduced_spans(doc: Doc, indices: Indices) -> tuple[list[Span2], list[Span2]]:
    """Spans of the components and defined acronyms ``doc`` introduces (curated names left
    out), and which of them are component phrases that are no entity yet."""
    text = text_of(doc)
    ents = [e for e in ents_of(doc) if e.label_ in KINDS and not e.id_]
    spans = {(e.start_char, e.end_char) for e in ents}
    found: list[Span2] = []
    phrases: list[Span2] = []
    cues: list[tuple[int, int]] = []  # (first cue's end, sentence end)
    # (one scan of the whole text; each sentence's first cue, found by its position)
    matches = [(m.start(), m.end()) for m in INTRODUCING.in_span(doc, 0, len(text))]
    curated = {(e.start_char, e.end_char) for e in ents_of(doc) if e.id_}
    # An acronym of a curated name is its alias ("Stable Diffusion (SD)"): neither is new.
    known_pairs = {
        span
        for ls, le, ss, se in attrs.get(doc, "abbreviations") or []
        if {(ls, le), (ss, se)} & curated
        for span in ((ls, le), (ss, se))
    }
    for sent in sentences(doc):
        match = next((m for m in matches if sent.start_char <= m[0] < sent.end_char), None)
        if match is None:
            continue
        cue_end = match[1]
        cues.append((cue_end, sent.end_char))
        used = _used(doc, cue_end, sent.end_char)
        stop = sent.end_char if used is None else used
        for ent in ents:
            if (
                cue_end <= ent.start_char < stop
                and (
                    (ent.start_char, ent.end_char) not in known_pairs
                    or _right_after(text, cue_end, ent.start_char)
                )
                and not ent.text[:1].isdigit()  # ("a 321B-parameter VLM" describes)
                and not BUILT_ON_NAME.match(text, ent.end_char)  # ("a BERT-based model")
                and (
                    ent.label_ != "METRIC"
                    or _introduced_metric(text, ent.start_char, ent.end_char)
                )
            ):
                found.append((ent.start_char, ent.end_char))
        heads, nouns = indices.heads.find(doc), indices.nouns.find(doc)
        candidates = [
            *_component_phrases(text, heads, cue_end, stop),
            *_enumerated(text, nouns, cue_end, stop),
        ]
        for span in candidates:
            if not any(s < span[1] and span[0] < e for s, e in spans):
                phrases.append(span)
            elif span in spans:
                found.append(span)
    for ls, le, ss, se in attrs.get(doc, "abbreviations") or []:
        if not ({(ls, le), (ss, se)} & spans):
            continue  # (a task or an unknown kind: not a proposed name)
        if (ls, le) in known_pairs:
            continue  # (a well-known pair: Direct Preference Optimization (DPO))
        floor = max((c for c, _ in cues if c <= ls), default=-1)
        cued = floor >= 0 and any(c <= ls < end for c, end in cues)
        if cued and _used(doc, max(floor, ls - 40), ls) is None:
            found.extend([(ls, le), (ss, se)])
    return found + phrases, phrases
