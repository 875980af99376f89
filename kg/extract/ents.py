"""The entities the kg components pass along, kept as a Python list on the doc.

Reading ``doc.ents`` walks every token and setting it rewrites every token, so components
read and write this list instead (``ents_of`` / ``set_ents``) and the last component
(``kg_entities``) writes it to ``doc.ents`` once. Spans carry their canonical name in
``Span.id_`` (``doc.ents`` shows it as ``ent_id_``).

``set_ents`` lets a span that a later rule re-adds keep the canonical name the gazetteer gave
the same tokens. (spaCy's own ``doc.ents = ...`` lets a token remember its last canonical name
and gives it to any span starting there, so ``TTS-VAR`` would inherit ``TTS``'s
"text-to-speech"; only the exact span keeps it here.)
"""

from __future__ import annotations

from typing import NamedTuple

from spacy.tokens import Doc, Span

from kg.extract.sentences import text_of

ENTS = "kg_ents"
SPAN_IDS = "kg_span_ids"


def ents_of(doc: Doc) -> list[Span]:
    """The entities so far, sorted by start (``doc.ents`` until a kg component set them)."""
    cached: list[Span] | None = doc.user_data.get(ENTS)
    if cached is None:
        cached = list(doc.ents)
        doc.user_data[ENTS] = cached
    return cached


def set_ents(doc: Doc, spans: list[Span]) -> None:
    """Replace the entities (non-overlapping spans, sorted by start)."""
    ids: dict[tuple[int, int], str] = doc.user_data.setdefault(SPAN_IDS, {})
    kept = []
    for span in spans:
        key = (span.start, span.end)
        if span.id_:
            ids[key] = span.id_
        elif key in ids:
            span = Span(doc, span.start, span.end, label=span.label, span_id=ids[key])
        kept.append(span)
    doc.user_data[ENTS] = kept


def relabel(doc: Doc, span: Span, label: str) -> Span:
    """``span`` under another label and without the canonical name the gazetteer gave it (a
    text that defines the name otherwise); put it back with ``set_ents``."""
    doc.user_data.get(SPAN_IDS, {}).pop((span.start, span.end), None)
    return Span(doc, span.start, span.end, label=label)


class Ent(NamedTuple):
    """A plain copy of an entity span: the attributes the result rules read, without
    spaCy's per-access cost (``Span.text`` re-joins its tokens). A named tuple: built
    several times faster than a frozen dataclass."""

    start_char: int
    end_char: int
    label_: str
    id_: str
    text: str


def plain_ents(doc: Doc) -> list[Ent]:
    """``ents_of(doc)`` as ``Ent`` records."""
    text = text_of(doc)
    return [
        Ent(e.start_char, e.end_char, e.label_, e.id_, text[e.start_char : e.end_char])
        for e in ents_of(doc)
    ]
