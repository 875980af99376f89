"""Tie numbers to what they measure: results (subject, dataset, metric, value, unit) and
quantities (model sizes, frame counts, data sizes...)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from kg.extract.numbers import Number
from kg.model import Evidence, Quantity, Result, TextField

COUNT_NOUNS = re.compile(
    r"^\s*(?:[\w-]+\s+){0,2}?(parameters?|params|tokens?|samples?|pairs?|images?|videos?|frames?|"
    r"steps?|hours?|GPUs?|examples?|instances?|problems?|questions?|tasks?|languages?|"
    r"layers?|users?|prompts?|clips?|documents?|trajectories|episodes?|iterations?|epochs?|"
    r"models?|datasets?|benchmarks?|categories|classes|demonstrations?|annotations?|"
    r"queries|papers|articles|videos|seconds|minutes|days|times)\b",
    re.I,
)
SPEED = re.compile(r"^\s*(?:faster|speed-?ups?|acceleration|quicker|higher throughput)", re.I)
COMPARE = re.compile(r"\b(?:outperform\w*|surpass\w*|beat(?:s|ing)?|exceed\w*|better than)\b", re.I)
RESPECTIVELY = re.compile(r"\brespectively\b", re.I)
SIZE_UNITS = {"B", "M", "K"}
COUNT_UNITS = {
    "frames",
    "steps",
    "tokens",
    "parameters",
    "params",
    "layers",
    "samples",
    "images",
    "videos",
    "hours",
    "GPU hours",
    "days",
    "minutes",
    "GB",
    "MB",
    "TB",
}


@dataclass
class Ents:
    methods: list[Span]
    datasets: list[Span]
    metrics: list[Span]


def _ents(sent: Span) -> Ents:
    by: dict[str, list[Span]] = {"METHOD": [], "DATASET": [], "METRIC": []}
    for ent in sent.ents:
        by.setdefault(ent.label_, []).append(ent)
    return Ents(by["METHOD"], by["DATASET"], by["METRIC"])


def _what(text: str, end: int) -> str:
    match = re.match(r"\s*((?:[\w$^{}-]+\s?){1,3})", text[end : end + 40])
    if not match:
        return ""
    words = match.group(1).split()
    stop = {"and", "or", "of", "on", "in", "for", "with", "to", "the", "a", "an", "that", "which"}
    kept: list[str] = []
    for word in words:
        if word.lower() in stop:
            break
        kept.append(word)
    return " ".join(kept)


def _nearest(spans: list[Span], position: int, before_only: bool = False) -> Span | None:
    before = [s for s in spans if s.end_char <= position]
    if before:
        return before[-1]
    if before_only:
        return None
    after = [s for s in spans if s.start_char >= position]
    return after[0] if after else None


def _direct_subject(doc: Doc, number: Number, methods: list[Span]) -> Span | None:
    """``SDXL-TURBO of 5.33`` / ``GPT-4 (61.2%)``: a method right before the number."""
    for span in methods:
        if span.end_char > number.start:
            continue
        gap = doc.text[span.end_char : number.start]
        if re.fullmatch(r"\s*(?:of|with|at|:|\(|achieves|scores?|reaches)?\s*", gap):
            return span
    return None


def tie_numbers(
    doc: Doc, field: TextField, main_subject: str | None, proposed: set[str]
) -> tuple[list[Result], list[Quantity], list[tuple[str, str]]]:
    """Results, quantities and (winner, baseline) comparisons in one field's doc."""
    results: list[Result] = []
    quantities: list[Quantity] = []
    comparisons: list[tuple[str, str]] = []
    numbers: list[Number] = doc._.numbers or []
    text = doc.text
    for sent in doc.sents:
        in_sent = [n for n in numbers if sent.start_char <= n.start < sent.end_char]
        ents = _ents(sent)
        evidence_of = lambda s, e, sent=sent: Evidence(field, s, e, sent.text)  # noqa: E731
        sentence_subject = next((m.text for m in ents.methods if m.text in proposed), None)
        pending: list[Number] = []
        for number in in_sent:
            after = text[number.end : number.end + 40]
            if number.unit == "x" and SPEED.match(after):
                results.append(
                    Result(
                        number.value,
                        "x",
                        evidence_of(number.start, number.end),
                        subject=sentence_subject or main_subject,
                        dataset=None,
                        metric="speedup",
                        text=number.text,
                    )
                )
                continue
            counted = COUNT_NOUNS.match(after)
            is_count = (
                number.unit in SIZE_UNITS or number.unit in COUNT_UNITS or counted is not None
            )
            has_measure = bool(ents.metrics) or number.unit in ("%", "pp") or bool(ents.datasets)
            if (
                is_count
                or not has_measure
                or (1900 <= number.value <= 2100 and number.unit is None)
            ):
                if 1900 <= number.value <= 2100 and number.unit is None and not counted:
                    continue  # a year
                what = number.unit if number.unit in COUNT_UNITS else _what(text, number.end)
                quantities.append(
                    Quantity(
                        number.value,
                        number.unit,
                        what or "",
                        evidence_of(number.start, number.end),
                        text=number.text,
                    )
                )
                continue
            pending.append(number)
        winner = sentence_subject or main_subject
        for cue in COMPARE.finditer(sent.text):
            cue_end = sent.start_char + cue.end()
            for method in ents.methods:
                if method.start_char >= cue_end and winner and method.text != winner:
                    comparisons.append((winner, method.text))
        if not pending:
            continue
        respectively = RESPECTIVELY.search(sent.text) is not None
        datasets_in_order = _dedupe(ents.datasets)
        metrics_in_order = _dedupe(ents.metrics)
        for index, number in enumerate(pending):
            dataset = _nearest(ents.datasets, number.start)
            metric = _nearest(ents.metrics, number.start, before_only=True) or _nearest(
                ents.metrics, number.start
            )
            if respectively and len(pending) > 1:
                if len(datasets_in_order) == len(pending):
                    dataset = datasets_in_order[index]
                if len(metrics_in_order) == len(pending):
                    metric = metrics_in_order[index]
            direct = _direct_subject(doc, number, ents.methods)
            before = [m.text for m in ents.methods if m.end_char <= number.start]
            subject = (
                direct.text
                if direct is not None
                else sentence_subject or (before[0] if before else main_subject)
            )
            results.append(
                Result(
                    value=number.value,
                    unit=number.unit,
                    evidence=evidence_of(number.start, number.end),
                    subject=subject,
                    dataset=dataset.text if dataset is not None else None,
                    metric=metric.text if metric is not None else None,
                    text=number.text,
                )
            )
    return results, quantities, comparisons


def _dedupe(spans: list[Span]) -> list[Span]:
    seen: set[str] = set()
    kept = []
    for span in spans:
        if span.text not in seen:
            seen.add(span.text)
            kept.append(span)
    return kept
