"""Tie numbers to what they measure: results (subject, dataset, metric, value, unit) and
quantities (model sizes, frame counts, data sizes...).

Per sentence, each number is first classified (:mod:`kg.extract.quantities` decides what is
not a result), then tied: the dataset named right after it (``6.3% on MultiArith``), the
``respectively`` order, or the nearest one in the number's own clause (none else);
the nearest metric; and the subject: a method right before the number (``SDXL-Turbo of
5.33``), the baseline of ``from A to B``, or the sentence's/paper's proposed method.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from kg.extract import attrs
from kg.extract.deltas import mark_changes
from kg.extract.ents import Ent, plain_ents
from kg.extract.gazetteer import curated_types, generic_names
from kg.extract.numbers import Number
from kg.extract.quantities import Kind, classify
from kg.extract.scan import CaselessPattern
from kg.extract.sentences import by_sentence, sentence_texts, sentences, text_of
from kg.model import Evidence, Quantity, Result, TextField

COMPARE = CaselessPattern(
    r"\b(?:outperform\w*|surpass\w*|beat(?:s|ing)?|exceed\w*|better than)\b",
    word_start=True,
    starts=("outperform", "surpass", "beat", "exceed", "better"),
)
RESPECTIVELY = re.compile(r"\brespectively\b", re.I)
# Words after which a method is compared with, not the one that scored.
COMPARED = re.compile(
    r"\b(?:outperform\w*|surpass\w*|beat(?:s|ing)?|exceed\w*|than|over|compared|versus|vs\.?|"
    r"relative\s+to|against)\b",
    re.I,
)
DATASET_AFTER = re.compile(
    r"\s*(?:%|points?|pp)?\s*(?:[\w@.-]+\s+)?(?:on|for|in|over|at)\s+(?:the\s+)?"
    r"(?:[\w-]+\s+){0,2}?$"
)
METRIC_AFTER = re.compile(
    r"\s*(?:(?!(?:and|or|but|while|whereas|than|with|vs)\b)[a-z][a-z-]*\s+){0,2}?"
    r"(?:(?:in|of|on)\s+(?:the\s+)?)?|\s*(?:points?\s+)?"
)
FROM_TO = re.compile(r"\bfrom\s+$", re.I)
DIRECT = re.compile(
    r"\s*(?:of|with|at|:|\(|achieves|achieving|scores?|reaches|obtains|attains|yields)?\s*"
)


@dataclass
class Ents:
    methods: list[Ent]
    datasets: list[Ent]
    metrics: list[Ent]


def _ents(doc_ents: list[Ent]) -> Ents:
    """The methods, datasets and metrics among one sentence's entities."""
    by: dict[str, list[Ent]] = {"METHOD": [], "DATASET": [], "METRIC": []}
    generic = generic_names()
    for ent in doc_ents:
        if ent.id_ not in generic:
            by.setdefault(ent.label_, []).append(ent)
    return Ents(by["METHOD"], by["DATASET"], by["METRIC"])


def _nearest(spans: list[Ent], position: int, before_only: bool = False) -> Ent | None:
    before = [s for s in spans if s.end_char <= position]
    if before:
        return before[-1]
    if before_only:
        return None
    after = [s for s in spans if s.start_char >= position]
    return after[0] if after else None


def _dataset_after(doc: Doc, number: Number, limit: int, datasets: list[Ent]) -> Ent | None:
    """``6.3% on the MultiArith dataset``: a dataset named right after the number."""
    for span in datasets:
        if number.end <= span.start_char < limit and DATASET_AFTER.fullmatch(
            text_of(doc)[number.end : span.start_char]
        ):
            return span
    return None


def _metric_after(doc: Doc, number: Number, limit: int, metrics: list[Ent]) -> Ent | None:
    """``a 60% improvement in safety`` / ``7.94 FID``: a metric right after the number."""
    for span in metrics:
        gap = text_of(doc)[number.end : span.start_char]
        if number.end <= span.start_char < limit and METRIC_AFTER.fullmatch(gap):
            return span
    return None


def _direct_subject(doc: Doc, number: Number, methods: list[Ent]) -> Ent | None:
    """``SDXL-TURBO of 5.33`` / ``GPT-4 (61.2%)``: a method right before the number."""
    text = text_of(doc)
    for span in methods:
        if span.end_char <= number.start and DIRECT.fullmatch(text[span.end_char : number.start]):
            return span
    # "outperforming FLUX-schnell (7.94 FID / 0.71 GenEval)": every number in the brackets
    # that open right after a method is that method's.
    opened = text.rfind("(", max(0, number.start - 80), number.start)
    if opened < 0 or ")" in text[opened : number.start]:
        return None
    before = text[:opened].rstrip()
    return next((span for span in methods if span.end_char == len(before)), None)


# Where a sentence's clauses meet: a number's dataset is one its own clause names.
CLAUSE_BREAK = re.compile(r";|,?\s+(?:while|whereas|but|although|though)\s+")
# "On the USPTO dataset, ...": a leading phrase whose dataset holds for the whole sentence.
LEADING = re.compile(r"\s*(?:On|For|Across|Over|In|Using|With)\b[^,;]*,")


def _in_clause(text: str, sent: Span, number: Number, spans: list[Ent]) -> list[Ent]:
    """The spans in the clause of ``sent`` that holds ``number`` (or in the sentence's
    leading ``On X,`` phrase)."""
    start, end = sent.start_char, sent.end_char
    leading = LEADING.match(text, start, end)
    lead_end = leading.end() if leading else start
    for match in CLAUSE_BREAK.finditer(text, start, end):
        if match.end() <= number.start:
            start = match.end()
        elif match.start() >= number.end:
            end = match.start()
            break
    return [
        s
        for s in spans
        if (start <= s.start_char and s.end_char <= end) or s.end_char <= lead_end
    ]


# The paper's own method, referred to ("our method", "our approach"): the number is its.
OUR_METHOD = re.compile(
    r"\b(?:our|the\s+proposed)\s+(?:[\w-]+\s+)?(?:method|approach|model|framework|system|"
    r"algorithm|technique|pipeline|agent)s?\b",
    re.I,
)


def _clause_subject(ctx: _Context, sent: Span, number: Number, methods: list[Ent]) -> str | None:
    """The method a number's clause is about (``MiniLM achieves the highest accuracy
    (87.58%)``): the nearest before the number that no comparison word just precedes
    (``outperforms X by 3%`` is about the winner); none when the paper's own method is
    named before the number in the clause (it is then the one applied to the others)."""
    text = text_of(ctx.doc)
    before = [m for m in _in_clause(text, sent, number, methods) if m.end_char <= number.start]
    if any(m.text in ctx.proposed for m in before):
        return None  # "Step-DPO, when applied to Qwen2-72B-Instruct, achieves 70.8%"
    if before and OUR_METHOD.search(text, before[-1].end_char, number.start):
        return None  # "On the Qwen2.5-7B model, our method boosts accuracy to 80%"
    for method in reversed(before):
        window = max(sent.start_char, method.start_char - 30)
        if not COMPARED.search(text, window, method.start_char):
            return method.text
    return None


def _leading_dataset(text: str, sent: Span, spans: list[Ent]) -> Ent | None:
    """The dataset of a sentence's leading ``On X,`` phrase, if any."""
    leading = LEADING.match(text, sent.start_char, sent.end_char)
    if leading is None:
        return None
    return next((s for s in spans if s.end_char <= leading.end()), None)


def _metric_name(doc: Doc, number: Number, limit: int, metrics: list[Ent]) -> str | None:
    """The metric right after the number, else the nearest before it, else after it."""
    metric = (
        _metric_after(doc, number, limit, metrics)
        or _nearest(metrics, number.start, before_only=True)
        or _nearest(metrics, number.start)
    )
    return metric.text if metric is not None else None


def _benchmark_of_score(metric: str | None, metrics: list[Ent]) -> str | None:
    """``a GenEval score of 0.74``: a benchmark that is also its score (curated as both) is
    the dataset of a number measured in it."""
    for ent in metrics:
        if ent.text == metric and "Dataset" in curated_types(ent.id_):
            return ent.id_
    return None


def _own(methods: list[Ent], proposed: set[str], main: str | None) -> str | None:
    """The paper's own method a sentence names: its main one if named there, else the first
    proposed name (not a dataset it also proposes, guessed a method in this sentence)."""
    names = [m.text for m in methods if m.text in proposed]
    return main if main in names else next(iter(names), None)


def _dedupe(spans: list[Ent]) -> list[Ent]:
    seen: set[str] = set()
    kept = []
    for span in spans:
        if span.text not in seen:
            seen.add(span.text)
            kept.append(span)
    return kept


@dataclass
class _Context:
    doc: Doc
    field: TextField
    main_subject: str | None
    proposed: set[str]
    # The subject of the last result, for "It also reaches 4.5 FID." (None at the start).
    last_subject: str | None = None
    # Results whose subject is the method their clause names, with the paper's own method:
    # a change ("improves ELECTRA by 2.8%") is the paper's method's, not the base model's.
    clause_subjects: dict[int, str | None] = dataclasses.field(default_factory=dict)


# A sentence that starts by referring back to the method just named.
REFERRING = re.compile(
    r"\s*(?:It|They|(?:This|These|The|Our)\s+(?:model|method|approach|system|framework)s?)\b"
)
Pending = tuple[Number, Kind]  # (a number that is a result, what classify said of it)


IT = re.compile(r"\b(?:it|its)\b")
RANGE = re.compile(r"\s*(?:%|x|×)?\s*(?:-|–|—|~)\s*")  # "51.7%-91.9% lower latency"
ARROW = re.compile(r"\s*(?:to|->|→|rightarrow)\s*")  # "from 35.5% to 44.5%"


def _tie(
    ctx: _Context,
    sent: Span,
    sentence: str,
    ents: Ents,
    pending: list[Pending],
) -> list[Result]:
    """Results for the numbers of one sentence (``sent``, whose text is ``sentence``) that
    measure something. A number whose kind names its metric (a speed-up, a cost) keeps it,
    and is on a dataset only when the text names one after it or in a leading ``On X,``."""
    doc = ctx.doc
    text = text_of(doc)
    own = _own(ents.methods, ctx.proposed, ctx.main_subject)
    winner = own or ctx.main_subject
    respectively = RESPECTIVELY.search(sentence) is not None and len(pending) > 1
    datasets = _dedupe(ents.datasets)
    if respectively and len(datasets) > len(pending):
        datasets = datasets[: len(pending)]
    metrics = _dedupe(ents.metrics)
    results = []
    for index, (number, kind) in enumerate(pending):
        limit = pending[index + 1][0].start if index + 1 < len(pending) else sent.end_char
        dataset = _dataset_after(doc, number, limit, ents.datasets)
        named_after = dataset is not None
        if respectively and len(datasets) == len(pending):
            # "81.2% and 85.3% on MMLU and GSM8K, respectively": in order, whatever is next.
            dataset, named_after = datasets[index], True
        if kind.metric is not None:
            dataset = dataset or _leading_dataset(text, sent, ents.datasets)
        else:
            clause = _in_clause(text, sent, number, ents.datasets)
            dataset = dataset or _nearest(clause, number.start)
        metric_name = kind.metric or _metric_name(doc, number, limit, ents.metrics)
        if respectively and len(metrics) == len(pending) and kind.metric is None:
            metric_name = metrics[index].text
        dataset_name = dataset.text if dataset is not None else None
        benchmark = _benchmark_of_score(metric_name, ents.metrics) if kind.metric is None else None
        if benchmark and not named_after:
            dataset_name = benchmark
        direct = _direct_subject(doc, number, ents.methods)
        named = _clause_subject(ctx, sent, number, ents.methods)
        subject = direct.text if direct is not None else (named or winner)
        by_clause = direct is None and named is not None
        if FROM_TO.search(text[max(sent.start_char, number.start - 12) : number.start]):
            baselines = [m.text for m in ents.methods if m.text != winner]
            subject = direct.text if direct is not None else (baselines[0] if baselines else None)
        elif subject is None:
            # "QuuxNet reaches 1.02, while on Zorb-128 it reaches 2.3": "it" is the method
            # before; a method only named earlier in the sentence ("with CoT, ...") is not.
            before = [m for m in ents.methods if m.end_char <= number.start]
            if before and IT.search(text, before[-1].end_char, number.start):
                subject = before[-1].text
        if subject is None and not ents.methods and REFERRING.match(sentence):
            subject = ctx.last_subject
        results.append(
            Result(
                value=number.value,
                unit=kind.unit if kind.metric is not None else number.unit,
                evidence=Evidence(ctx.field, number.start, number.end, sentence),
                subject=subject,
                dataset=dataset_name,
                metric=metric_name,
                text=number.text,
            )
        )
        if by_clause:
            ctx.clause_subjects[id(results[-1])] = winner
        ctx.last_subject = subject or ctx.last_subject
    for first, second in itertools.pairwise(results):
        # "from 35.5% to 44.5% for GSM8K": the baseline value is on the same dataset.
        gap = text[first.evidence.end : second.evidence.start]
        if ARROW.fullmatch(gap) and second.dataset:
            first.dataset = second.dataset
        if RANGE.fullmatch(gap) and second.metric:
            # "1.85x-10.83x higher throughput": both ends are in the measure named after it.
            first.metric = second.metric
    return results


def tie_numbers(
    doc: Doc, field: TextField, main_subject: str | None, proposed: set[str]
) -> tuple[list[Result], list[Quantity], list[tuple[str, str]]]:
    """Results, quantities and (winner, baseline) comparisons in one field's doc."""
    ctx = _Context(doc, field, main_subject, proposed)
    results: list[Result] = []
    quantities: list[Quantity] = []
    comparisons: list[tuple[str, str]] = []
    numbers: list[Number] = attrs.get(doc, "numbers") or []
    text = text_of(doc)
    sents = sentences(doc)
    # Coordinated names ("training, validation and test accuracy") count as entities here, at
    # their modifier: "4.6%, 4.1% and 2.4% in training, validation and test accuracy,
    # respectively" ties each number to its own.
    coordinated = attrs.get(doc, "expanded") or []
    expanded = [Ent(s, e, label, "", name) for name, s, e, label in coordinated]
    all_ents = sorted([*plain_ents(doc), *expanded], key=lambda e: e.start_char)
    ents_in = by_sentence(doc, all_ents, lambda e: e.start_char)
    numbers_in = by_sentence(doc, numbers, lambda n: n.start)
    texts = sentence_texts(doc)
    for sent, sentence, sent_ents, sent_numbers in zip(
        sents, texts, ents_in, numbers_in, strict=True
    ):
        ents = _ents(sent_ents)
        own = _own(ents.methods, proposed, main_subject)
        winner = own or main_subject
        evidence = lambda n, sentence=sentence: Evidence(field, n.start, n.end, sentence)  # noqa: E731
        pending: list[Pending] = []
        for number in sent_numbers:
            kind = classify(text, sentence, number, ents.metrics, ents.datasets)
            if kind.what == "skip":
                continue
            if kind.result:
                pending.append((number, kind))
                continue
            quantities.append(
                Quantity(number.value, number.unit, kind.what, evidence(number), number.text)
            )
        cues = (
            COMPARE.in_span(doc, sent.start_char, sent.end_char) if winner and ents.methods else ()
        )
        for cue in cues:
            cue_end = sent.start_char + cue.end()
            for method in ents.methods:
                if method.start_char >= cue_end and winner and method.text != winner:
                    comparisons.append((winner, method.text))
        if pending:
            results.extend(_tie(ctx, sent, sentence, ents, pending))
    mark_changes(text, results)
    for result in results:
        if result.delta and id(result) in ctx.clause_subjects:
            result.subject = ctx.clause_subjects[id(result)]
    return results, quantities, comparisons
