"""Precision, recall and F1 per field of a paper annotation, with per-paper diffs.

Each gold item is matched to at most one predicted item (maximum bipartite matching), so a
name extracted twice under two canonical names counts once right and once wrong. Names match
when they agree up to case, spaces and hyphens, on any alternative of either side.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from kg.evaluate.annotations import NAME_FIELDS, URL_FIELDS, Annotation, Names, ResultTuple

RESULT_FIELDS = ("results", "results_strict", "results_delta")
FIELDS = (*URL_FIELDS, *NAME_FIELDS, "proposed", *RESULT_FIELDS)
T = TypeVar("T")
U = TypeVar("U")


def match_key(name: str) -> str:
    """The form names are compared in: NFKC, case-folded, without spaces and hyphens."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return re.sub(r"[\s\-‐‑–—]+", "", text)


def url_key(url: str) -> str:
    """URLs compare without scheme, ``www.``, case, trailing ``/`` and ``.git``."""
    key = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.strip().casefold()).rstrip("/")
    return key.removesuffix(".git").rstrip("/")


def names_match(a: Names, b: Names) -> bool:
    """Two entities match when any alternatives agree; two unnamed slots agree too."""
    if not a or not b:
        return not a and not b
    return not {match_key(x) for x in a}.isdisjoint(match_key(y) for y in b)


def values_match(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def result_match(strict: bool, delta: bool = False) -> Callable[[ResultTuple, ResultTuple], bool]:
    """Lenient: value and dataset agree. Strict: also subject and metric. Delta: lenient, and
    both call the value a change (a gain or reduction) or both a level."""

    def match(gold: ResultTuple, pred: ResultTuple) -> bool:
        ok = values_match(gold.value, pred.value) and names_match(gold.dataset, pred.dataset)
        if strict:
            ok = ok and names_match(gold.subject, pred.subject)
            ok = ok and names_match(gold.metric, pred.metric)
        if delta:
            ok = ok and gold.delta == pred.delta
        return ok

    return match


def matching(gold: Sequence[T], pred: Sequence[U], same: Callable[[T, U], bool]) -> dict[int, int]:
    """Maximum bipartite matching gold index -> pred index (Kuhn's augmenting paths)."""
    edges = [[j for j, p in enumerate(pred) if same(g, p)] for g in gold]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


@dataclass
class Counts:
    """True positives and sizes for one field; P/R/F1 derive from them."""

    tp: int = 0
    gold: int = 0
    pred: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.gold += other.gold
        self.pred += other.pred

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class PaperDiff:
    """What one paper's prediction missed and added, per field."""

    id: str
    title: str
    missed: dict[str, list[str]] = field(default_factory=dict)
    spurious: dict[str, list[str]] = field(default_factory=dict)
    found: bool = True  # False when the paper is absent from the predictions


@dataclass
class Report:
    """Scores per field over all gold papers, and each paper's diff."""

    counts: dict[str, Counts]
    diffs: list[PaperDiff]


def _items(ann: Annotation, name: str) -> list[object]:
    if name in URL_FIELDS:
        return list(ann.urls.get(name, []))
    if name in RESULT_FIELDS:
        return list(ann.results)
    return list(ann.names.get(name, []))


def _describe(item: object) -> str:
    if isinstance(item, ResultTuple):
        return item.describe()
    if isinstance(item, tuple):
        return " | ".join(item)
    return str(item)


def _same(name: str) -> Callable[[object, object], bool]:
    if name in URL_FIELDS:
        return lambda a, b: url_key(str(a)) == url_key(str(b))
    if name in RESULT_FIELDS:
        check = result_match(name == "results_strict", name == "results_delta")
        return lambda a, b: check(a, b)  # type: ignore[arg-type]
    return lambda a, b: names_match(a, b)  # type: ignore[arg-type]


def score_paper(gold: Annotation, pred: Annotation | None) -> tuple[dict[str, Counts], PaperDiff]:
    """Counts per field for one paper, and its diff."""
    diff = PaperDiff(gold.id, gold.title, found=pred is not None)
    counts: dict[str, Counts] = {}
    for name in FIELDS:
        g_items = _items(gold, name)
        p_items = _items(pred, name) if pred is not None else []
        pairs = matching(g_items, p_items, _same(name))
        counts[name] = Counts(len(pairs), len(g_items), len(p_items))
        matched_pred = set(pairs.values())
        missed = [_describe(g) for i, g in enumerate(g_items) if i not in pairs]
        spurious = [_describe(p) for j, p in enumerate(p_items) if j not in matched_pred]
        if missed:
            diff.missed[name] = missed
        if spurious:
            diff.spurious[name] = spurious
    return counts, diff


def _fold_title(title: str) -> str:
    return re.sub(r"\W+", "", title.casefold())


def score(gold: Sequence[Annotation], pred: Sequence[Annotation]) -> Report:
    """Score predictions against gold papers (matched by id, else by folded title).

    Predicted papers without gold are ignored; gold papers without a prediction count as
    all missed.
    """
    by_id = {p.id: p for p in pred}
    by_title = {_fold_title(p.title): p for p in pred if p.title}
    totals = {name: Counts() for name in FIELDS}
    diffs = []
    for g in gold:
        p = by_id.get(g.id) or by_title.get(_fold_title(g.title)) if g.title else by_id.get(g.id)
        counts, diff = score_paper(g, p)
        for name, c in counts.items():
            totals[name].add(c)
        diffs.append(diff)
    return Report(totals, diffs)
