"""spaCy pipeline components, registered by name (see ``config.cfg``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.extract import attrs, biluo, wordforms  # noqa: F401  (the last two register factories)
from kg.extract.abbreviations import find_abbreviations
from kg.extract.coined import coined_entities
from kg.extract.compounds import HEAD_WORDS, compound_entities
from kg.extract.criteria import criteria_spans, retype_measured
from kg.extract.definitions import apply_definitions
from kg.extract.ents import ents_of, set_ents
from kg.extract.gazetteer import TYPE_TO_LABEL
from kg.extract.introduced import introduced_spans, word_indices
from kg.extract.lists import typed_by_list
from kg.extract.metriccontext import metric_phrases
from kg.extract.modelfilter import keep_guess, keep_model_entity
from kg.extract.naming import domain_default, is_generic, type_from_head
from kg.extract.numbers import Number, find_numbers
from kg.extract.proposing import proposed_label, proposed_spans, retype_formed
from kg.extract.scan import occurrences
from kg.extract.sentences import keep_sentences, sentences, text_of
from kg.extract.words import WordIndex


def _span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    """``[start, end)`` widened to whole tokens; None if that takes in a bracket ("ECI)--to")."""
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is not None and (span.start_char < start or span.end_char > end):
        extra = text_of(doc)[span.start_char : start] + text_of(doc)[end : span.end_char]
        return None if "(" in extra or ")" in extra else span
    return span


def add_ents(doc: Doc, spans: list[Span]) -> None:
    """Add spans to ``doc.ents``; existing (curated) entities win over overlapping new ones."""
    if not spans:
        return
    existing = ents_of(doc)
    taken = {i for e in existing for i in range(e.start, e.end)}
    fresh = [s for s in filter_spans(spans) if not any(i in taken for i in range(s.start, s.end))]
    if fresh:  # (often none: the spans found again are entities already)
        set_ents(doc, sorted(existing + fresh, key=lambda s: s.start))


def _label_of(doc: Doc, start: int, end: int) -> str | None:
    for ent in ents_of(doc):
        if ent.start_char <= start and end <= ent.end_char:
            return str(ent.label_)
    return None


@Language.factory("kg_sentences")
def make_sentences(nlp: Language, name: str) -> Any:
    """Sentence boundaries as spaCy's sentencizer sets them (after ``. ! ?``), except after
    abbreviations (``vs.``, ``e.g.``, ``syn.``): a "sentence" that would start with a
    lower-case letter or a digit continues the previous one. Works on token arrays, not
    Token objects, for speed."""

    def component(doc: Doc) -> Doc:
        if not len(doc):
            return doc
        token_starts = doc.to_array(IDX)
        ends = [match.end() for match in sentence_breaks(text_of(doc))]
        # The token that starts where each break ends (none if the break ends inside one).
        at = numpy.asarray(ends, dtype=token_starts.dtype)
        index = numpy.searchsorted(token_starts, at)
        inside = (index > 0) & (index < len(doc))
        index, at = index[inside], at[inside]
        firsts = [0, *index[token_starts[index] == at].tolist()]  # each sentence's first token
        starts = numpy.full(len(doc), -1, dtype="int64")
        starts[firsts] = 1
        doc.from_array([SENT_START], starts.view("uint64").reshape(-1, 1))  # type: ignore[arg-type]
        keep_sentences(doc, firsts, token_starts[firsts].tolist())
        return doc

    return component


# The end of a sentence: . ! ? (and closing quotes or brackets), space, then a character
# that is not a lower-case letter or a digit.
SENTENCE_BREAK = re.compile(r"[.!?]+[\"')\]]*\s+(?=[^\sa-z0-9])")


def sentence_breaks(text: str) -> Iterator[re.Match[str]]:
    """``SENTENCE_BREAK.finditer(text)``, tried only where a ``. ! ?`` is (found with
    ``str.find``; the regex engine would try every character)."""
    end = 0
    for at in occurrences(text, (".", "!", "?")):
        if at >= end and (match := SENTENCE_BREAK.match(text, at)):
            end = match.end()
            yield match


@Language.factory(
    "kg_model_ents", default_config={"spans_key": None, "min_confidence": 0.0, "labels": []}
)
def make_model_ents(
    nlp: Language, name: str, spans_key: str | None, min_confidence: float, labels: list[str]
) -> Any:
    """The statistical model's guesses worth a node, remembered for ``extractor``
    provenance. With ``spans_key`` (a head trained on the project's conventions, writing
    ``doc.spans[key]`` with a confidence per span): its guesses of at least
    ``min_confidence`` and of ``labels`` (all when empty); otherwise ``doc.ents`` through
    the filter for corpus conventions (see ``modelfilter``)."""

    def component(doc: Doc) -> Doc:
        if spans_key is not None and spans_key in doc.spans:
            group = doc.spans[spans_key]
            scores = group.attrs.get("scores") or [1.0] * len(group)
            kept = [
                s
                for s, score in zip(group, scores, strict=True)
                if score >= min_confidence
                and (not labels or s.label_ in labels)
                and keep_guess(s.text)
            ]
            kept = filter_spans(kept)
            # Every confident guess's type, for names the rules find but type by default.
            attrs.put(
                doc,
                "model_types",
                {
                    (s.start_char, s.end_char): s.label_
                    for s, score in zip(group, scores, strict=True)
                    if score >= min_confidence
                },
            )
        else:
            kept = [e for e in doc.ents if keep_model_entity(e.text, e.label_)]
        set_ents(doc, kept)
        attrs.put(doc, "model_ents", {(e.start_char, e.end_char) for e in kept})
        return doc

    return component




@Language.factory("kg_abbreviations")
def make_abbreviations(nlp: Language, name: str) -> Any:
    """Find ``Long Form (LF)`` definitions; type the pair from the gazetteer or the head noun."""

    def component(doc: Doc) -> Doc:
        pairs = []
        new: list[Span] = []
        terms: set[str] = set()  # (acronyms of domain terms: no coined names either)
        for ls, le, ss, se in find_abbreviations(text_of(doc)):
            if is_generic(text_of(doc)[ss:se]):
                continue
            pairs.append((ls, le, ss, se))
            label = _label_of(doc, ss, se) or _label_of(doc, ls, le)
            if label is None:  # (a lower-case term with no technique head: "unmanned aerial
                # vehicle (UAV)" is no method, unless a proposal cue makes it one later)
                long_form = text_of(doc)[ls:le]
                entity_type = type_from_head(long_form, default=domain_default(long_form))
                label = TYPE_TO_LABEL[entity_type] if entity_type else None
            if label is None:
                terms.add(text_of(doc)[ss:se])
                continue
            for start, end in ((ls, le), (ss, se)):
                span = _span(doc, start, end, label)
                if span is not None:
                    new.append(span)
        attrs.put(doc, "abbreviations", pairs)
        attrs.put(doc, "domain_terms", terms)
        add_ents(doc, new)
        return doc

    return component


@Language.factory("kg_proposed")
def make_proposed(nlp: Language, name: str) -> Any:
    """Mark names the text introduces ("we propose X", "called X", "X, a novel ...", "X: ...")."""

    indices = word_indices(nlp.vocab.strings)

    def component(doc: Doc) -> Doc:
        introduced, phrases = introduced_spans(doc, indices)
        component_spans = [_span(doc, s, e, "METHOD") for s, e in phrases]
        add_ents(doc, [s for s in component_spans if s is not None])
        spans = sorted(set(proposed_spans(doc)) | set(introduced))
        # A proposed name inside (or equal to) a statistical guess or a coined name typed for
        # want of evidence replaces it: the proposal cues ("a new benchmark, X") type it
        # more reliably than the model or the default do.
        guessed = attrs.get(doc, "guessed") or set()
        weak = (attrs.get(doc, "model_ents") or set()) | guessed
        # (a name a text introduces is a method, a dataset or a metric, never a task: a task
        # label on it came from a guess, or from its acronym's guess)
        inside = [
            e
            for e in ents_of(doc)
            if ((e.start_char, e.end_char) in weak or e.label_ == "TASK")
            and any(e.start_char <= s and t <= e.end_char for s, t in spans)
        ]
        if inside:
            set_ents(doc, [e for e in ents_of(doc) if e not in inside])
            attrs.put(doc, "guessed", guessed - {(e.start_char, e.end_char) for e in inside})
        new = []
        title, untyped = doc.user_data.get("kg_field") == "title", set()
        for start, end in spans:
            if _label_of(doc, start, end) is None:
                label, typed = proposed_label(text_of(doc), start, end)
                span = _span(doc, start, end, label)
                if span is not None:
                    new.append(span)
                    if title and not typed:
                        untyped.add((start, end))  # ("X: Evaluating LLMs with ...")
        if untyped:  # (a title name typed for want of evidence: the abstract's type wins)
            attrs.put(doc, "guessed", (attrs.get(doc, "guessed") or set()) | untyped)
        attrs.put(doc, "proposed", spans)
        add_ents(doc, new)
        retype_formed(doc, attrs.get(doc, "formed") or set(), set(spans))
        return doc

    return component


@Language.factory("kg_coined")
def make_coined(nlp: Language, name: str) -> Any:
    """Names no earlier component found, typed by form and context (see ``coined``)."""

    def component(doc: Doc) -> Doc:
        taken = [(e.start_char, e.end_char, str(e.label_)) for e in ents_of(doc)]
        bounds = [(s.start_char, s.end_char) for s in sentences(doc)]
        # A title is in Title Case: only coined tokens are names there.
        title = doc.user_data.get("kg_field") == "title"
        terms = attrs.get(doc, "domain_terms") or set()
        coined = [
            c
            for c in coined_entities(text_of(doc), taken, bounds, title)
            if text_of(doc)[c[0] : c[1]] not in terms  # ("NSCLC": a domain term's acronym)
        ]
        found = typed_by_list(text_of(doc), taken, coined)
        spans = [_span(doc, s, e, label.rstrip("?!")) for s, e, label in found]
        add_ents(doc, [s for s in spans if s is not None])
        guessed = {(s, e) for s, e, label in found if label.endswith("?")}
        attrs.put(doc, "guessed", guessed)  # (typed Method for want of evidence)
        attrs.put(doc, "formed", {(s, e) for s, e, label in found if label.endswith("!")})
        return doc

    return component


@Language.factory("kg_metric_context")
def make_metric_context(nlp: Language, name: str) -> Any:
    """Metrics named by a result statement (``a 60% improvement in safety``)."""

    def component(doc: Doc) -> Doc:
        spans = [_span(doc, s, e, "METRIC") for s, e in metric_phrases(text_of(doc))]
        add_ents(doc, [s for s in spans if s is not None])
        return doc

    return component


@Language.factory("kg_compounds")
def make_compounds(nlp: Language, name: str) -> Any:
    """Metrics and tasks named by a head word and its modifiers (``grounding accuracy``,
    ``step localization``; see ``compounds``). Coordinated names that are no span of the text
    (``training`` accuracy in ``training and test accuracy``) go to ``doc._.expanded``."""

    heads = WordIndex(nlp.vocab.strings, HEAD_WORDS, "compound_heads")

    def component(doc: Doc) -> Doc:
        ents = ents_of(doc)
        plain = [(e.start_char, e.end_char, str(e.label_)) for e in ents]
        starts = [s.start_char for s in sentences(doc)]
        add, replaced, expanded = compound_entities(text_of(doc), plain, starts, heads.find(doc))
        if replaced:
            gone = set(replaced)
            set_ents(doc, [e for e, p in zip(ents, plain, strict=True) if p not in gone])
        spans = [_span(doc, s, e, label) for s, e, label in add]
        add_ents(doc, [s for s in spans if s is not None])
        attrs.put(doc, "expanded", expanded)
        return doc

    return component


@Language.factory("kg_criteria")
def make_criteria(nlp: Language, name: str) -> Any:
    """Metrics a text evaluates by (lists after ``metrics including``, ``based on``, ``in
    terms of``; short names tagged to a number: ``a c-index of 0.82``; see ``criteria``).
    Known names win: an item that is a curated or other entity stays what it is."""

    def component(doc: Doc) -> Doc:
        retype_measured(doc)
        spans = [_span(doc, s, e, "METRIC") for s, e in criteria_spans(doc)]
        add_ents(doc, [s for s in spans if s is not None])
        return doc

    return component


@Language.factory("kg_numbers")
def make_numbers(nlp: Language, name: str) -> Any:
    """Numbers with units that are not part of an entity name."""

    def component(doc: Doc) -> Doc:
        inside = [(e.start_char, e.end_char) for e in ents_of(doc)]
        numbers: list[Number] = [
            n
            for n in find_numbers(text_of(doc))
            if not any(s <= n.start and n.end <= e for s, e in inside)
        ]
        attrs.put(doc, "numbers", numbers)
        return doc

    return component


@Language.factory("kg_definitions")
def make_definitions(nlp: Language, name: str) -> Any:
    """An acronym the text defines means what its definition says (see ``definitions``)."""
    return apply_definitions


@Language.factory("kg_entities")
def make_entities(nlp: Language, name: str) -> Any:
    """Write the entities the kg components collected to ``doc.ents`` (once, at the end)."""

    def component(doc: Doc) -> Doc:
        doc.ents = ents_of(doc)
        return doc

    return component
