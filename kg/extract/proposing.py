"""Names a text introduces: cue phrases, appositions, titles and derived names.

Rules, each on one sentence: ``we propose/introduce/present X``; ``called/termed/dubbed X``;
``X, a novel ...``; ``a new <kind> benchmark, X,``; ``we propose a <modifier> strategy`` for
unnamed-but-named components; ``LONG (SHORT) method is proposed``; ``X: ...`` titles; and any
``X-suffix`` name derived from a proposed ``X`` (``Step-Audio`` -> ``Step-Audio-Chat``).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from kg.extract import attrs
from kg.extract.coined import MODIFIERS
from kg.extract.ents import ents_of, relabel, set_ents
from kg.extract.naming import (
    ADJECTIVE_SUFFIX,
    DATASET_NAME,
    PROPOSE_VERBS,
    is_generic,
    looks_like_name,
    type_from_head,
)
from kg.extract.scan import CaselessPattern
from kg.extract.sentences import folded_text, sentence_texts, sentences, text_of

Span2 = tuple[int, int]
WORD = re.compile(r"\S+")
LATEX_COMMAND = re.compile(r"\\[a-z]+\{")
CUE_SUBJECTS = ("we", "paper", "work", "study", "report", "here")
NAMING_WORDS = ("called", "dubbed", "named", "termed", "coined", "namely")
CUE = CaselessPattern(
    rf"\b(?:(?:{'|'.join(CUE_SUBJECTS)})\s+(?:also\s+|further\s+|first\s+|then\s+)?"
    rf"(?:{PROPOSE_VERBS}|describe[sd]?)|our\s+(?:new|novel|proposed)|"
    rf"(?P<strong>{'|'.join(NAMING_WORDS)}))\b",
    word_start=True,
    starts=(*CUE_SUBJECTS, "our", *NAMING_WORDS),
)
NAME_FIRST = re.compile(r"^(\S+),\s+(?:a|an)\s+(?:novel|new|simple|unified|general|first)\b")
REPORT_SUFFIX = re.compile(r"\s+(?:Technical Report|Tech(?:nical)? Report|Report)$")
TITLE_NAME = re.compile(r"^([^:]{2,60}?):\s")
STOP_WORDS = frozenset(
    {"that", "which", "where", "to", "for", "by", "while", "and", "with", "a", "an", "the"}
)
KINDS = (
    r"framework|model|method|approach|benchmark|dataset|corpus|metric|attack|algorithm|"
    r"technique|strategy|strategies|system|architecture|pipeline|agent|optimizer|remedy|"
    r"mechanism|suite|loss|autoencoder|transformer|network|solver|sampler|toolkit|library|"
    r"platform|language|paradigm|recipe|family"
)
# "a novel video generation benchmark, Step-Video-T2V-Eval," / "strategies: Zero-CFG,"
APPOSITION = CaselessPattern(
    rf"\b(?:a|an|our|the\s+(?:first|new))\s+(?:[\w*-]+\s+){{0,6}}?(?:{KINDS})\s*[,:]\s+"
    rf"(?P<name>[^\s,.;:()]+)(?=\s*(?:[,.;:(]|\s(?:is|was|that|which|to|and)\b))",
    word_start=True,
)
KIND_WORDS = tuple(KINDS.split("|"))


def _kind_marks(folded: str) -> list[tuple[int, int]]:
    """Each comma or colon of the lower-cased text with a kind word right before it (spaces
    between allowed), as (position of the mark, start of the latest such kind word)."""
    marks = []
    for mark in ",:":
        at = folded.find(mark)
        while at >= 0:
            stop = at
            while stop > 0 and folded[stop - 1].isspace():
                stop -= 1
            if folded.endswith(KIND_WORDS, 0, stop):
                shortest = min(len(w) for w in KIND_WORDS if folded.endswith(w, 0, stop))
                marks.append((at, stop - shortest))
            at = folded.find(mark, at + 1)
    return sorted(marks)


def _may_appose(marks: list[tuple[int, int]] | None, start: int, end: int) -> bool:
    """Whether ``APPOSITION`` can match in ``[start, end)`` of the lower-cased text: only
    where a kind word (within the span) stands right before a comma or colon (``marks``,
    from ``_kind_marks``; None: the text is not ASCII, so anywhere)."""
    if marks is None:
        return True
    return any(start <= at < end and word >= start for at, word in marks)


# "we introduce Distilling step-by-step, a new mechanism" / "X, a method that"
NAME_THEN_KIND = re.compile(
    rf"^\s*(?:a\s+|an\s+)?(?P<name>(?:[^\s,.;:()]+\s+){{0,3}}[^\s,.;:()]+),\s+(?:a|an)\s+"
    rf"(?:[\w-]+\s+){{0,3}}(?:{KINDS}|mechanism|method)\b",
    re.I,
)
# "we introduce a Critique-Based Reward Model" (Title Case phrase of two or more words)
TITLE_CASE = re.compile(
    r"^\s*(?:a\s+|an\s+)?(?P<name>[A-Z][\w*]*(?:-[A-Za-z][\w*]*)*(?:\s+[A-Z][\w*]*"
    r"(?:-[A-Za-z][\w*]*)*)+)"
)
COMPONENT_HEADS = (
    r"strategy|schedule|search|selection|optimization|scaling|sampling|distillation|"
    r"mechanism|module|scheme|regularization|attention|inheritance|distribution|premetric|"
    r"guidance|decoding|pruning|merging|fusion"
)
# "we design a model assembly strategy to" / "we propose clustering-based diversity search."
COMPONENT = re.compile(
    rf"^\s*(?:an?\s+)?(?P<name>(?!(?:a|an|the|novel|new|simple|general|unified|effective|efficient|"
    rf"two|three|several|more|better|our|valuable|useful|important|practical|key|further|deeper)\b)"
    rf"[a-zA-Z][\w-]*(?:\s+(?!(?:to|for|of|the|a|an|and|or|in|on|with|by)\b)[a-z][\w-]*){{0,3}}?\s+"
    rf"(?:{COMPONENT_HEADS}))(?=\s*(?:[,.;:]|\s(?:to|that|which|and|throughout|for|with|in)\b))",
)
PASSIVE = re.compile(r"^\s*(?:\w+\s+)?(?:method|approach|framework|model)\s+(?:is|are)\s+proposed")


def trimmed(text: str, s: int, e: int) -> tuple[int, int]:
    """A span without the punctuation and markup around it (``"\\textbf{X}"``, ``**X**``)."""
    markup = LATEX_COMMAND.match(text, s, e)
    s = markup.end() if markup else s
    while s < e and text[s] in "([{\"'`*":
        s += 1
    while e > s and text[e - 1] in ".,;:!?)]}\"'`*":
        e -= 1
    return s, e


def words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Whitespace-delimited words in ``text[start:end]``, trimmed of surrounding punctuation."""
    found = []
    for match in WORD.finditer(text, start, end):
        s, e = trimmed(text, *match.span())
        if text[s:e].endswith("'s"):
            e -= 2
        glued = text.find("(", s + 1, e)  # "SpeedUpNet(SUN)": the name ends at the bracket
        if glued > 0:
            e = glued
        if e > s:
            found.append((s, e))
    return found


# "a Diffusion GAN-based adversarial loss": a phrase ending in such a word is cut short.
TRAILING_ADJECTIVE = re.compile(
    r"\s\S+-(?:based|aware|driven|guided|oriented|specific|free)$", re.I
)
# "a framework using Markov Categories (MCs)": the acronym pair is used, not introduced.
USED_BEFORE = re.compile(r"\b(?:using|with|via|through|based\s+on|relying\s+on)\b", re.I)


# "\\textbf{Seed-Geometry}", "an \\textbf{Agent RL} module": a name set in bold, a whole word
# (not "\\textbf{Ta}sk") of at most six words, no number.
BOLD = re.compile(
    r"(?<![A-Za-z])\\textbf\{(?P<name>[A-Za-z][\w'-]*(?: [\w'-]+){0,5})\}(?![A-Za-z])"
)
# "(1) Unified Resource Integration: At its core, ...": an enumerated heading (not "Stage I").
HEADING = re.compile(
    r"\((?:\d|[ivx]+|[a-z])\)\s*(?!(?:Stage|Step|Phase|Part|Level)\s+\w+\s*:)"
    r"(?P<name>[A-Z][\w'-]*(?:\s+[A-Za-z][\w'-]*){0,5}?)\s*:"
)
NOT_A_NAME = re.compile(r"[\d.,%x×]+|\W+")
SPACE = re.compile(r"\s")
KIND = re.compile(KINDS, re.I)


def _name_ok(name: str) -> bool:
    return (
        bool(name)
        and name.lower() not in STOP_WORDS
        and not is_generic(name)
        and not (" " not in name and ADJECTIVE_SUFFIX.search(name))
        and not TRAILING_ADJECTIVE.search(name)
        and not NOT_A_NAME.fullmatch(name)
    )


def _title_spans(text: str, first_end: int) -> list[tuple[int, int]]:
    head = TITLE_NAME.match(text[:first_end])
    if not head:
        return []
    end = head.end(1)
    report = REPORT_SUFFIX.search(text, 0, end)
    end = report.start() if report else end
    if not SPACE.search(text[head.start(1) : end]) and _name_ok(text[head.start(1) : end]):
        return [(head.start(1), end)]
    tokens = words(text, head.start(1), end)
    if len(tokens) == 1 and _name_ok(text[tokens[0][0] : tokens[0][1]]):
        return [tokens[0]]
    while len(tokens) > 1 and KIND.fullmatch(text[slice(*tokens[-1])]):
        tokens.pop()
    if len(tokens) == 1 and looks_like_name(text[slice(*tokens[0])]):
        return [tokens[0]]
    if TITLE_CLAUSE.search(text, head.start(1), end) or "," in text[head.start(1) : end]:
        # "Step-3 is Large yet Affordable: ...", "We propose X, a method featuring: ...": a
        # sentence, not a name; keep its name only.
        named = [(s, e) for s, e in tokens if looks_like_name(text[s:e])]
        return named[:1]
    if any(looks_like_name(text[s:e]) for s, e in tokens):
        return [(head.start(1), end)]
    return []


TITLE_CLAUSE = re.compile(
    r"\b(?:is|are|was|were|can|could|makes?|meets?|needs?|matters?|yet|propose|present|"
    r"introduce)\b"
)


def _after_cue(text: str, cue_end: int, limit: int, strong: bool) -> tuple[list[Span2], bool]:
    """The name right after a cue, and whether the evidence is weak (a later word or a
    Title Case phrase, which may just as well be a well-known name the text uses)."""
    rest = text[cue_end:limit]
    for pattern in (NAME_THEN_KIND, TITLE_CASE, COMPONENT):
        match = pattern.match(rest)
        if match and _name_ok(match.group("name")):
            span = trimmed(text, cue_end + match.start("name"), cue_end + match.end("name"))
            return [span], pattern is TITLE_CASE
    for i, (s, e) in enumerate(words(text, cue_end, limit)):
        name = text[s:e]
        if (strong and i > 0) or name.lower() in STOP_WORDS:
            break
        if looks_like_name(name) or (strong and _name_ok(name) and not name.islower()):
            return [(s, e)], i > 0
        if strong and _name_ok(name) and "-" in name:
            return [(s, e)], False
    return [], False


def proposed_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the names a text introduces."""
    text, folded = text_of(doc), folded_text(doc)
    found: list[Span2] = []
    weak: list[Span2] = []
    abbreviations = attrs.get(doc, "abbreviations") or []
    first = next(iter(sentences(doc)), None)
    if first is not None:
        found.extend(_title_spans(text, first.end_char))
    marks = _kind_marks(folded) if folded is not None else None
    if "\\textbf{" in text:  # (authors set what they introduce in bold)
        found += [m.span("name") for m in BOLD.finditer(text) if _name_ok(m.group("name"))]
    if "(" in text:  # ("(1) Unified Resource Integration: ..." names a component)
        found += [m.span("name") for m in HEADING.finditer(text) if _name_ok(m.group("name"))]
    for sent, sentence in zip(sentences(doc), sentence_texts(doc), strict=True):
        base = sent.start_char
        match = NAME_FIRST.match(sentence)
        if match and looks_like_name(match.group(1)):
            found.append((base + match.start(1), base + match.end(1)))
        appose = _may_appose(marks, base, sent.end_char)
        for match in APPOSITION.in_span(doc, base, sent.end_char) if appose else ():
            name = text[base + match.start("name") : base + match.end("name")]
            if looks_like_name(name) or (name[:1].isupper() and _name_ok(name)):
                found.append((base + match.start("name"), base + match.end("name")))
        for ls, le, ss, se in abbreviations:
            if base <= ls and se < sent.end_char and PASSIVE.match(text[se + 1 : sent.end_char]):
                found.extend([(ls, le), (ss, se)])
        for match in CUE.in_span(doc, base, sent.end_char):
            strong = match.group("strong") is not None
            # "namely X and Y" enumerates (often well-known names); it does not name.
            enumerating = strong and match.group("strong").lower() == "namely"
            cue_end = base + match.end()
            limit = min(sent.end_char, cue_end + (40 if strong else 120))
            pair = next(
                (
                    a
                    for a in abbreviations
                    if cue_end <= a[0] <= cue_end + 60 and a[3] <= limit + 20
                ),
                None,
            )
            if pair is not None and not USED_BEFORE.search(text, cue_end, pair[0]):
                weak.extend([(pair[0], pair[1]), (pair[2], pair[3])])
                continue
            spans, is_weak = _after_cue(text, cue_end, limit, strong)
            (weak if is_weak or enumerating else found).extend(spans)
    # Well-known (curated) names are used, not introduced, unless a title or "called" says so;
    # nor is a piece of one ("namely text-to-image generation" is not a name "text-to-image").
    curated = {(e.start_char, e.end_char) for e in ents_of(doc) if e.id_}

    def well_known(span: Span2) -> bool:
        return any(s < span[1] and span[0] < e for s, e in curated)

    pairs = {span for a in abbreviations for span in ((a[0], a[1]), (a[2], a[3]))}
    # An acronym pair is new unless one of its forms is exactly a curated name.
    weak_ok = {s for s in weak if s in pairs or not well_known(s)}
    for ls, le, ss, se in abbreviations:
        if (ls, le) in curated or (ss, se) in curated:
            weak_ok -= {(ls, le), (ss, se)}
    return sorted(set(found) | weak_ok)


# "X, a new benchmark" / "X dataset": what follows a proposed name says it is data; "X, a
# framework": a method.
DATA_AFTER = re.compile(
    rf"\W*(?:(?:is|are|as)\s+)?(?:(?:a|an|the)\s+)?{MODIFIERS}{{0,5}}?"
    r"(?:bench|dataset|corpus|testbed|leaderboard|resource|collection)",
    re.I,
)
METHOD_AFTER = re.compile(rf"\W*(?:a|an|the)\s+{MODIFIERS}{{0,5}}?(?P<kind>{KINDS})\b", re.I)


NAMING_END = re.compile(rf"[\s,]*(?:{'|'.join(NAMING_WORDS)})$", re.I)


def proposed_label(text: str, start: int, end: int) -> tuple[str, bool]:
    """The label of a name ``text`` introduces at ``[start, end)`` that nothing typed yet,
    and whether the text says it: data words before or after it or a dataset-like name make
    it a dataset, a method kind after it a method; else a method for want of evidence."""
    following = text[end : end + 80]
    # ("the 15 trillion-token FineWeb dataset, termed FineWeb-Mask": the noun before the
    # naming word says what the name is)
    context = NAMING_END.sub("", text[max(0, start - 40) : start].rstrip(" ,:"))
    if type_from_head(context) == "Dataset" or DATA_AFTER.match(following) is not None:
        return "DATASET", True
    kind = METHOD_AFTER.match(following)
    if kind is not None:  # ("HonestVQA, a calibration framework": the kind beats the form)
        return ("METRIC" if kind.group("kind").lower() == "metric" else "METHOD"), True
    return ("DATASET", True) if DATASET_NAME.search(text[start:end]) else ("METHOD", False)


DERIVED_TAIL = re.compile(r"-[\w.-]*\w")


def derived_spans(text: str, roots: set[str]) -> list[tuple[int, int]]:
    """``X-suffix`` names built on a proposed single-token name ``X`` (``Step-Audio-Chat``)."""
    out = []
    for root in sorted(r for r in roots if " " not in r and len(r) > 2):
        # (?<![\w-])ROOT-[\w.-]*\w, found with str.find: a regex per name would evict the
        # module's static patterns from the re cache (each then recompiled, ~1 ms).
        start = text.find(root)
        while start >= 0:
            before = text[start - 1] if start else " "
            tail = DERIVED_TAIL.match(text, start + len(root))
            if tail and not (before.isalnum() or before in "_-"):
                out.append((start, tail.end()))
                start = text.find(root, tail.end())
            else:
                start = text.find(root, start + 1)
    return out


def retype_formed(doc: Doc, formed: set[tuple[int, int]], proposed: set[tuple[int, int]]) -> None:
    """A proposed name typed by its form alone takes the type its proposal says
    (``HonestVQA, a calibration framework``: a method, whatever its ``…QA`` says)."""
    text, ents = text_of(doc), ents_of(doc)
    swap: dict[int, Span] = {}
    for index, e in enumerate(ents):
        key = (e.start_char, e.end_char)
        if key in formed and key in proposed:
            label, typed = proposed_label(text, *key)
            if typed and label != e.label_:
                swap[index] = relabel(doc, e, label)
    if swap:
        set_ents(doc, [swap.get(i, e) for i, e in enumerate(ents)])
