"""Per-doc caches: sentences (``Span.sent`` re-walks the doc), text (``Doc.text`` re-joins
every token on each access) and its lower-cased form."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from typing import TypeVar

from spacy.tokens import Doc, Span

T = TypeVar("T")


def sentences(doc: Doc) -> list[Span]:
    """``list(doc.sents)``, cached on the doc."""
    cached = doc.user_data.get("kg_sents")
    if cached is None:
        cached = list(doc.sents)
        _keep(doc, cached, [s.start_char for s in cached])
    return cached


def keep_sentences(doc: Doc, firsts: list[int], start_chars: list[int]) -> None:
    """Cache the sentences that start at tokens ``firsts`` (sorted, from 0), whose first
    characters are ``start_chars``: what ``sentences`` would build from ``doc.sents``."""
    ends = [*firsts[1:], len(doc)]
    _keep(doc, [Span(doc, s, e) for s, e in zip(firsts, ends, strict=True)], start_chars)


def _keep(doc: Doc, sents: list[Span], start_chars: list[int]) -> None:
    text = text_of(doc)
    doc.user_data["kg_sents"] = sents
    doc.user_data["kg_sent_starts"] = start_chars
    # One string per sentence: the evidence of every fact in a sentence shares it, in
    # memory and in pickles.
    doc.user_data["kg_sent_texts"] = [text[s.start_char : s.end_char] for s in sents]


def sentence_at(doc: Doc, char: int) -> Span:
    """The sentence holding character offset ``char``."""
    sents = sentences(doc)
    index = max(0, bisect_right(doc.user_data["kg_sent_starts"], char) - 1)
    return sents[index]


def sentence_texts(doc: Doc) -> list[str]:
    """The text of each of ``sentences(doc)`` (cached)."""
    texts: list[str] | None = doc.user_data.get("kg_sent_texts")
    if texts is None:
        sentences(doc)
        texts = doc.user_data["kg_sent_texts"]
    return texts


def sentence_text_at(doc: Doc, char: int) -> str:
    """The text of ``sentence_at(doc, char)`` (the cached string of ``sentence_texts``)."""
    texts = sentence_texts(doc)
    return texts[max(0, bisect_right(doc.user_data["kg_sent_starts"], char) - 1)]


def by_sentence(doc: Doc, items: Iterable[T], start: Callable[[T], int]) -> list[list[T]]:
    """``items`` (in order) grouped by the sentence their start character ``start(item)`` is
    in (items outside every sentence are dropped)."""
    sents = sentences(doc)
    starts = doc.user_data["kg_sent_starts"]
    groups: list[list[T]] = [[] for _ in sents]
    for item in items:
        at = start(item)
        index = bisect_right(starts, at) - 1
        if index >= 0 and at < sents[index].end_char:
            groups[index].append(item)
    return groups


def text_of(doc: Doc) -> str:
    """``doc.text``, cached on the doc (spaCy rebuilds the string on every access)."""
    text = doc.user_data.get("kg_text")
    if text is None:
        text = doc.text
        doc.user_data["kg_text"] = text
    return text


def folded_text(doc: Doc) -> str | None:
    """The text lower-cased, cached on the doc, when it is ASCII (then offsets are the
    same, and a case-sensitive pattern on it finds what ``re.I`` finds on the text)."""
    if "kg_folded" not in doc.user_data:
        text = text_of(doc)
        doc.user_data["kg_folded"] = text.lower() if text.isascii() else None
    folded: str | None = doc.user_data["kg_folded"]
    return folded


def span_text(span: Span) -> str:
    """``span.text`` from the cached doc text (``Span.text`` re-joins its tokens)."""
    return text_of(span.doc)[span.start_char : span.end_char]
