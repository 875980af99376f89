"""A tagger-style named-entity recogniser: one softmax over BILUO tags per token, decoded
into ``doc.ents`` as the best *valid* tag sequence.

spaCy's transition-based ``ner`` runs a small network once per parser step (about one step
a token, plus one per entity), which costs as much as the tok2vec under it on abstracts.
This component scores all tokens of a batch with one matrix product instead, so that
its cost is about the tok2vec's. Decoding: where the most likely tags already form valid
BILUO sequences (the common case) they are taken as they are; every other run of
non-``O`` tokens, widened by ``PAD`` tokens on either side, is decoded with Viterbi over
the allowed BILUO transitions (``B``/``I`` of a label continue with ``I``/``L`` of the same
label; nothing else may follow them; ``I``/``L`` follow only ``B``/``I``).

Registered as the ``kg_biluo_ner`` factory; the model ships as a component named ``ner``
whose ``labels`` are the entity labels (``METHOD``, ...), like spaCy's ``ner``. Labels
that start with ``_`` are *hidden*: learnt and decoded like the others (an auxiliary
class, e.g. SciERC's other scientific terms), but never set on ``doc.ents`` nor listed
in ``labels``.

With ``spans_key`` set, the component reads its gold entities from ``doc.spans[key]`` and
writes its predictions there instead of ``doc.ents`` (a training doc without that key
teaches it nothing), with each span's confidence (the least probability of its decoded
tags) in the group's ``attrs["scores"]``: a second head on a shared tok2vec, trained on
other data and conventions than ``doc.ents``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice
from typing import Any

import numpy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.scorer import Scorer, get_ner_prf
from spacy.tokens import Doc, Span, SpanGroup
from spacy.training import Example, offsets_to_biluo_tags, validate_examples
from spacy.vocab import Vocab
from thinc.api import Config, Model, SequenceCategoricalCrossentropy, set_dropout_rate

from kg.extract.biluo_decode import (  # noqa: F401  (decode, tag_names, viterbi: re-exported)
    confidence,
    decode,
    tag_names,
    transitions,
    viterbi,
)

#: ``Doc.user_data`` key of a training doc that is annotated for some labels only (their
#: list): its tokens outside entities may still be entities of the other labels.
PARTIAL = "kg_partial_labels"

DEFAULT_MODEL = Config().from_str(
    """
[model]
@architectures = "spacy.Tagger.v2"
nO = null
normalize = true

[model.tok2vec]
@architectures = "spacy.HashEmbedCNN.v2"
pretrained_vectors = null
width = 64
depth = 2
embed_size = 2000
window_size = 1
maxout_pieces = 3
subword_features = true
"""
)["model"]


@Language.factory(
    "kg_biluo_ner",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={
        "model": DEFAULT_MODEL,
        "scorer": {"@scorers": "spacy.ner_scorer.v1"},
        "spans_key": None,
    },
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_biluo_ner(
    nlp: Language,
    name: str,
    model: Model,
    scorer: Callable[..., Any] | None,
    spans_key: str | None,
) -> BiluoNER:
    return BiluoNER(nlp.vocab, model, name, scorer=scorer, spans_key=spans_key)


class BiluoNER(TrainablePipe):
    """Named entities from per-token BILUO tag probabilities (see the module docstring)."""

    def __init__(
        self,
        vocab: Vocab,
        model: Model,
        name: str = "ner",
        *,
        scorer: Callable[..., Any] | None = None,
        spans_key: str | None = None,
    ) -> None:
        self.vocab = vocab
        self.model = model
        self.name = name
        self._rehearsal_model = None
        self.cfg: dict[str, Any] = {"labels": [], "spans_key": spans_key}
        self.scorer = scorer
        self._masks: tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray] | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        """The entity labels that reach ``doc.ents`` (not the tags, nor hidden labels)."""
        return tuple(label for label in self.cfg["labels"] if not label.startswith("_"))

    @property
    def label_data(self) -> tuple[str, ...]:
        return self.labels

    @property
    def tags(self) -> list[str]:
        return tag_names(self.cfg["labels"])

    @property
    def spans_key(self) -> str | None:
        key: str | None = self.cfg.get("spans_key")
        return key

    @property
    def partial_key(self) -> str:
        """The ``Doc.user_data`` key of the labels a training doc annotates for this head
        (``PARTIAL``, or ``PARTIAL:<spans_key>``): one head's partial annotation says
        nothing about another head's."""
        return PARTIAL if self.spans_key is None else f"{PARTIAL}:{self.spans_key}"

    def _truth(self, eg: Example) -> list[str | None]:
        """The gold tag of each predicted token (None: unknown)."""
        key = self.spans_key
        if key is None:
            return list(eg.get_aligned_ner())
        reference = eg.reference
        if key not in reference.spans or len(reference) != len(eg.predicted):
            return [None] * len(eg.predicted)
        offsets = [(s.start_char, s.end_char, s.label_) for s in reference.spans[key]]
        tags = offsets_to_biluo_tags(reference, offsets, missing="O")
        return [None if tag == "-" else tag for tag in tags]

    def add_label(self, label: str) -> int:
        if label in self.cfg["labels"]:
            return 0
        self._allow_extra_label()
        self.cfg["labels"].append(label)
        self.vocab.strings.add(label)
        self._masks = None
        return 1

    def predict(self, docs: Iterable[Doc]) -> list[numpy.ndarray]:
        docs = list(docs)
        if not any(len(doc) for doc in docs):
            return [numpy.zeros((len(doc), len(self.tags)), dtype="float32") for doc in docs]
        return list(self.model.predict(docs))

    def set_annotations(self, docs: Iterable[Doc], scores: list[numpy.ndarray]) -> None:
        docs = list(docs)
        if self._masks is None:
            self._masks = transitions(len(self.cfg["labels"]))
        allowed, first, last = self._masks
        labels = [None if label.startswith("_") else label for label in self.cfg["labels"]]
        batch = [numpy.asarray(probs) for probs in scores]
        key = self.spans_key
        for doc, probs, found in zip(docs, batch, decode(batch, allowed, first, last), strict=True):
            if not len(doc):
                if key is not None:
                    doc.spans[key] = SpanGroup(doc, name=key, attrs={"scores": []})
                continue
            kept = [(s, e, label) for s, e, label in found if labels[label] is not None]
            spans = [
                Span(doc, start, end, label=labels[label])  # type: ignore[arg-type]
                for start, end, label in kept
            ]
            if key is None:
                doc.set_ents(spans, default="outside")
                continue
            confidences = [confidence(probs, s, e, label) for s, e, label in kept]
            doc.spans[key] = SpanGroup(doc, name=key, attrs={"scores": confidences}, spans=spans)

    def update(
        self,
        examples: Iterable[Example],
        *,
        drop: float = 0.0,
        sgd: Any = None,
        losses: dict[str, float] | None = None,
    ) -> dict[str, float]:
        examples = list(examples)
        if losses is None:
            losses = {}
        losses.setdefault(self.name, 0.0)
        validate_examples(examples, "BiluoNER.update")
        if not any(len(eg.predicted) if eg.predicted else 0 for eg in examples):
            return losses
        set_dropout_rate(self.model, drop)
        scores, backprop = self.model.begin_update([eg.predicted for eg in examples])
        loss, d_scores = self.get_loss(examples, scores)
        backprop(d_scores)
        if sgd not in (None, False):
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def get_loss(self, examples: Iterable[Example], scores: Any) -> tuple[float, Any]:
        examples = list(examples)
        tags = self.tags
        if any(eg.reference.user_data.get(self.partial_key) for eg in examples):
            return self._partial_loss(examples, scores)
        known = set(tags)
        loss_func = SequenceCategoricalCrossentropy(names=tags, normalize=False)
        truths = [[tag if tag in known else None for tag in self._truth(eg)] for eg in examples]
        d_scores, loss = loss_func(scores, truths)  # type: ignore[arg-type]
        return float(loss), d_scores

    def _partial_loss(self, examples: list[Example], scores: Any) -> tuple[float, Any]:
        """Cross-entropy where a reference doc may be *partially* annotated: with
        ``doc.user_data[PARTIAL]`` = the labels annotated in it, a token with a missing
        tag is known only not to be part of those labels' entities, so its target is any
        of ``O`` and the other labels' tags (loss ``-log`` of their summed probability;
        gradient ``p - p * allowed / sum(p * allowed)``). Missing tags in other docs
        give no loss."""
        index = {tag: i for i, tag in enumerate(self.tags)}
        labels = self.cfg["labels"]
        total = 0.0
        d_scores = []
        for eg, guesses in zip(examples, scores, strict=True):
            probs = numpy.asarray(self.model.ops.to_numpy(guesses), dtype="float32")
            d = numpy.zeros_like(probs)
            annotated = set(eg.reference.user_data.get(self.partial_key) or ())
            allowed = numpy.zeros(probs.shape[1], dtype="float32")
            allowed[0] = 1.0
            for k, label in enumerate(labels):
                if label not in annotated:
                    allowed[1 + 4 * k : 5 + 4 * k] = 1.0
            for i, tag in enumerate(self._truth(eg)):
                if tag in index:
                    j = index[tag]
                    d[i] = probs[i]
                    d[i, j] -= 1.0
                    total -= float(numpy.log(max(probs[i, j], 1e-8)))
                elif annotated:
                    q = probs[i] * allowed
                    mass = float(q.sum())
                    d[i] = probs[i] - q / max(mass, 1e-8)
                    total -= float(numpy.log(max(mass, 1e-8)))
            d_scores.append(self.model.ops.asarray2f(d))  # type: ignore[arg-type]
        return total, d_scores

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language | None = None,
        labels: Iterable[str] | None = None,
    ) -> None:
        if labels is None and self.spans_key is None:
            labels = sorted({e.label_ for eg in get_examples() for e in eg.reference.ents})
        elif labels is None:
            key = self.spans_key
            labels = sorted(
                {s.label_ for eg in get_examples() for s in eg.reference.spans.get(key, [])}
            )
        for label in labels:
            self.add_label(label)
        tags = self.tags
        index = {t: i for i, t in enumerate(tags)}
        docs, truths = [], []
        for eg in islice(get_examples(), 10):
            docs.append(eg.predicted)
            gold = numpy.zeros((len(eg.predicted), len(tags)), dtype="float32")
            for i, tag in enumerate(self._truth(eg)):
                if tag in index:
                    gold[i, index[tag]] = 1.0
            truths.append(self.model.ops.asarray2f(gold))  # type: ignore[arg-type]
        self.model.initialize(X=docs, Y=truths)

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        key = self.spans_key
        if key is not None:  # spans_<key>_f, _p, _r, _per_type
            return dict(
                Scorer.score_spans(
                    examples,
                    f"spans_{key}",
                    getter=lambda doc, attr: doc.spans.get(key, []),
                    has_annotation=lambda doc: key in doc.spans,
                    labeled=True,
                )
            )
        # Only docs annotated for doc.ents count (a doc trained for another head is not).
        examples = [eg for eg in examples if eg.reference.has_annotation("ENT_IOB")]
        if self.scorer is not None:
            return dict(self.scorer(examples, **kwargs))
        return dict(get_ner_prf(examples))
