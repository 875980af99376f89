"""Readers that turn shared NER corpora into one common, character-offset shape.

Every reader yields :class:`AnnotatedText` records whose ``spans`` are
``(start_char, end_char, type)`` triples (end exclusive) over ``text``, with the
project's type names: ``Method``, ``Task``, ``Metric`` and ``Dataset``.

* SciERC (Luan et al., 2018): one record per abstract. ``Material`` becomes
  ``Dataset``; ``OtherScientificTerm`` and ``Generic`` are dropped.
* TDMSci (Hou et al., 2021): one record per sentence. ``TASK``/``DATASET``/``METRIC``
  become ``Task``/``Dataset``/``Metric``.
* SciREX (Jain et al., 2020): one record per paper, by default title + abstract only.
  ``Material`` becomes ``Dataset``.

SciERC and SciREX ship token lists, so their text is rebuilt with :func:`detokenize`,
a deterministic rule (documented there); TDMSci ships character offsets, which are kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

#: Entity types used by the project (title case), in a fixed order.
TYPES: tuple[str, ...] = ("Method", "Task", "Metric", "Dataset")

#: spaCy entity labels for :data:`TYPES` (upper case, as used by the entity ruler).
LABELS: dict[str, str] = {t: t.upper() for t in TYPES}

SCIERC_TYPES: dict[str, str] = {
    "Method": "Method",
    "Task": "Task",
    "Metric": "Metric",
    "Material": "Dataset",
}
SCIREX_TYPES: dict[str, str] = SCIERC_TYPES
TDMSCI_TYPES: dict[str, str] = {"TASK": "Task", "DATASET": "Dataset", "METRIC": "Metric"}

#: Penn Treebank escapes and LaTeX-style quotes, mapped back to plain characters.
PTB_UNESCAPE: dict[str, str] = {
    "-LRB-": "(",
    "-RRB-": ")",
    "-LSB-": "[",
    "-RSB-": "]",
    "-LCB-": "{",
    "-RCB-": "}",
    "``": '"',
    "''": '"',
}
_NO_SPACE_BEFORE = frozenset({",", ".", ";", ":", "?", "!", ")", "]", "}", "%", "...", "-"})
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "-"})
_CLITICS = frozenset({"'s", "'S", "n't", "'re", "'ve", "'ll", "'d", "'m"})

Span3 = tuple[int, int, str]


@dataclass
class AnnotatedText:
    """A text with typed entity mentions given as character offsets (end exclusive)."""

    id: str
    text: str
    spans: list[Span3] = field(default_factory=list)

    def mentions(self) -> list[tuple[str, str]]:
        """``(surface text, type)`` of every span, in order (handy for tests and debugging)."""
        return [(self.text[s:e], t) for s, e, t in self.spans]


def detokenize(tokens: Sequence[str]) -> tuple[str, list[int]]:
    """Join PTB-style tokens into text and return it with each token's start offset.

    The rule is deterministic and local:

    1. PTB escapes are undone (``-LRB-`` -> ``(`` etc.; ````` and ``''`` -> ``"``).
    2. Tokens are separated by one space, except that there is no space
       * before closing punctuation ``, . ; : ? ! ) ] } % ...`` and clitics (``'s``, ``n't``),
       * after opening brackets ``( [ {``,
       * on either side of a lone hyphen ``-`` (SciREX splits ``state-of-the-art``),
       * inside double quotes: an opening ``"`` (odd occurrence) glues to the next token
         and a closing one (even occurrence) to the previous token.
    """
    pieces: list[str] = []
    starts: list[int] = []
    length = 0
    quotes = 0
    glue_next = True  # no space before the very first token
    for raw in tokens:
        tok = PTB_UNESCAPE.get(raw, raw)
        space = not glue_next
        glue_next = False
        if tok in _NO_SPACE_BEFORE or tok in _CLITICS:
            space = False
        if tok == '"':
            quotes += 1
            if quotes % 2 == 1:
                glue_next = True
            else:
                space = False
        if tok in _NO_SPACE_AFTER:
            glue_next = True
        if space:
            pieces.append(" ")
            length += 1
        starts.append(length)
        pieces.append(tok)
        length += len(tok)
    return "".join(pieces), starts


def _char_spans(
    tokens: Sequence[str],
    starts: Sequence[int],
    token_spans: Iterable[tuple[int, int, str]],
    type_map: dict[str, str],
) -> list[Span3]:
    """Map token spans (``end`` exclusive) to character spans, keeping mapped types only."""
    out: set[Span3] = set()
    for start, end, kind in token_spans:
        ours = type_map.get(kind)
        if ours is None or end <= start:
            continue
        last = end - 1
        char_end = starts[last] + len(PTB_UNESCAPE.get(tokens[last], tokens[last]))
        out.add((starts[start], char_end, ours))
    return sorted(out)


def read_scierc(path: str | Path, types: dict[str, str] | None = None) -> Iterator[AnnotatedText]:
    """One :class:`AnnotatedText` per SciERC abstract (``doc_key`` is the id); ``types``
    maps SciERC's types to ours (default ``SCIERC_TYPES``; others are dropped).

    SciERC ``ner`` indices are document-level and inclusive; sentences are joined with
    a single space (via :func:`detokenize`).
    """
    types = SCIERC_TYPES if types is None else types
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            tokens = [tok for sentence in record["sentences"] for tok in sentence]
            text, starts = detokenize(tokens)
            token_spans = [(s, e + 1, k) for sent in record["ner"] for s, e, k in sent]
            spans = _char_spans(tokens, starts, token_spans, types)
            yield AnnotatedText(id=str(record["doc_key"]), text=text, spans=spans)


def read_tdmsci(path: str | Path) -> Iterator[AnnotatedText]:
    """One :class:`AnnotatedText` per TDMSci sentence (id ``tdmsci-<n>``, from 0).

    The CoNLL file gives ``token \\t char_offset \\t BIO-tag``. The sentence text places
    every token at its offset relative to the sentence's first token, so the original
    spacing is kept; gaps are filled with single spaces when offsets overlap.
    """
    rows: list[tuple[str, int, str]] = []
    count = 0
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line.strip():
                if rows:
                    yield _tdmsci_sentence(f"tdmsci-{count}", rows)
                    count += 1
                    rows = []
                continue
            token, offset, tag = line.split("\t")
            rows.append((token, int(offset), tag))
    if rows:
        yield _tdmsci_sentence(f"tdmsci-{count}", rows)


def _tdmsci_sentence(sid: str, rows: list[tuple[str, int, str]]) -> AnnotatedText:
    base = rows[0][1]
    text = ""
    starts: list[int] = []
    for token, offset, _ in rows:
        target = offset - base
        if target < len(text) or (target == len(text) and text and target != offset - base):
            target = len(text) + (1 if text else 0)
        text += " " * (target - len(text))
        starts.append(len(text))
        text += token
    spans: list[Span3] = []
    open_span: tuple[int, int, str] | None = None  # (start char, end char, type)
    for i, (token, _, tag) in enumerate(rows):
        prefix, _, kind = tag.partition("-")
        end = starts[i] + len(token)
        if prefix == "I" and open_span is not None and open_span[2] == TDMSCI_TYPES.get(kind):
            open_span = (open_span[0], end, open_span[2])
            continue
        if open_span is not None:
            spans.append(open_span)
            open_span = None
        if prefix in ("B", "I") and kind in TDMSCI_TYPES:
            open_span = (starts[i], end, TDMSCI_TYPES[kind])
    if open_span is not None:
        spans.append(open_span)
    return AnnotatedText(id=sid, text=text, spans=spans)


_HEADERS = (("document", ":"), ("section", ":", "abstract"), ("section", ":"))


def _header_length(words: Sequence[str], start: int) -> int:
    """Number of header tokens (``document :`` / ``section : Abstract``) at ``start``."""
    for header in _HEADERS:
        got = tuple(w.lower() for w in words[start : start + len(header)])
        if got == header:
            return len(header)
    return 0


def scirex_abstract_range(record: dict[str, object], max_words: int = 400) -> list[tuple[int, int]]:
    """Word ranges (``[start, end)``) holding a SciREX paper's title and abstract.

    Following the dataset's SOURCE notes: usually ``sections[0]`` is
    ``document : <title> <abstract>``; otherwise ``sections[0]`` is the title and
    ``sections[1]`` starts with ``section : Abstract``. Header tokens are skipped. Some
    papers have no usable split (one giant first section), so the result is cut at the
    last sentence end within ``max_words`` words of the start.
    """
    words: list[str] = record["words"]  # type: ignore[assignment]
    sections: list[list[int]] = record["sections"]  # type: ignore[assignment]
    sentences: list[list[int]] = record["sentences"]  # type: ignore[assignment]
    ranges: list[tuple[int, int]] = []
    first_start, first_end = sections[0]
    ranges.append((first_start + _header_length(words, first_start), first_end))
    if len(sections) > 1 and not (
        words[first_start : first_start + 2] == ["document", ":"] and first_end - first_start > 40
    ):
        s1, e1 = sections[1]
        if tuple(w.lower() for w in words[s1 : s1 + 3]) == ("section", ":", "abstract"):
            ranges.append((s1 + 3, e1))
    # cap at a sentence boundary
    limit = ranges[0][0] + max_words
    if ranges[-1][1] > limit:
        sentence_ends = [end for _, end in sentences if end <= limit]
        cut = max([e for e in sentence_ends if e > ranges[0][0]], default=limit)
        ranges = [(s, min(e, cut)) for s, e in ranges if s < cut]
    return [(s, e) for s, e in ranges if e > s]


def read_scirex(path: str | Path, abstract_only: bool = True) -> Iterator[AnnotatedText]:
    """One :class:`AnnotatedText` per SciREX paper (``doc_id`` is the id).

    With ``abstract_only`` (the default) only the title and abstract are kept (see
    :func:`scirex_abstract_range`); otherwise the whole paper. Mentions crossing the
    kept ranges are dropped. SciREX ``ner`` spans are ``[start, end)`` word indices.
    """
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            words: list[str] = record["words"]
            ranges = scirex_abstract_range(record) if abstract_only else [(0, len(words))]
            kept: list[int] = [i for s, e in ranges for i in range(s, e)]
            index = {w: i for i, w in enumerate(kept)}
            tokens = [words[i] for i in kept]
            text, starts = detokenize(tokens)
            token_spans = [
                (index[s], index[e - 1] + 1, k)
                for s, e, k in record["ner"]
                if s in index and (e - 1) in index and index[e - 1] - index[s] == e - 1 - s
            ]
            spans = _char_spans(tokens, starts, token_spans, SCIREX_TYPES)
            yield AnnotatedText(id=str(record["doc_id"]), text=text, spans=spans)


def to_spacy_docs(
    texts: Iterable[AnnotatedText],
    nlp: Language,
    label_map: dict[str, str] | None = None,
) -> list[Doc]:
    """Tokenise each text with ``nlp`` (tokenizer only) and set its spans as ``doc.ents``.

    Labels are upper-cased via ``label_map`` (default :data:`LABELS`). Spans that do not
    fall on token boundaries are snapped inwards (``alignment_mode="contract"``), and
    dropped if nothing is left; overlapping spans keep the longest (``filter_spans``).
    """
    labels = LABELS if label_map is None else label_map
    docs: list[Doc] = []
    for item in texts:
        doc = nlp.make_doc(item.text)
        ents: list[Span] = []
        for start, end, kind in item.spans:
            span = doc.char_span(
                start, end, label=labels.get(kind, kind), alignment_mode="contract"
            )
            if span is not None and len(span) > 0:
                ents.append(span)
        doc.ents = filter_spans(ents)
        doc.user_data["id"] = item.id
        docs.append(doc)
    return docs
