"""Gold and predicted paper annotations in one comparable shape.

Gold files follow ``tests/data/README.md`` (one JSON object per paper: ``code_urls``,
``project_urls``, ``datasets``, ``metrics``, ``methods``, ``tasks``, ``proposed``,
``results``). Predictions are ``papers.jsonl`` records (README schema). Both become
:class:`Annotation` objects whose entities are tuples of alternative names.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError

NAME_FIELDS = ("datasets", "metrics", "methods", "tasks")
TYPE_OF_FIELD = {"datasets": "Dataset", "metrics": "Metric", "methods": "Method", "tasks": "Task"}
URL_FIELDS = ("code_urls", "project_urls")
PRED_URL_FIELDS = {"code_urls": ("code_urls", "dataset_urls", "model_urls")}
"""The fields of a prediction that a gold URL field covers."""

Names = tuple[str, ...]  # alternative names of one entity


@dataclass(frozen=True)
class ResultTuple:
    """A reported number with the alternatives of what it is tied to (empty = not named)."""

    subject: Names
    dataset: Names
    metric: Names
    value: float
    unit: str | None = None
    delta: bool = False

    def describe(self) -> str:
        def first(names: Names) -> str:
            return names[0] if names else "-"

        unit = self.unit or ""
        return (
            f"{self.value:g}{unit} subject={first(self.subject)} dataset={first(self.dataset)} "
            f"metric={first(self.metric)}"
        )


@dataclass
class Annotation:
    """What one paper names: entities per field, proposed names, URLs and results."""

    id: str
    title: str
    names: dict[str, list[Names]] = field(default_factory=dict)
    urls: dict[str, list[str]] = field(default_factory=dict)
    results: list[ResultTuple] = field(default_factory=list)


def _names(value: Any, where: tuple[str, int], key: str) -> list[Names]:
    if not isinstance(value, list):
        raise InputError(where[0], f"`{key}` must be a list", where[1])
    out: list[Names] = []
    for item in value:
        alternatives = [item] if isinstance(item, str) else item
        if (
            not isinstance(alternatives, list)
            or not alternatives
            or not all(isinstance(a, str) and a.strip() for a in alternatives)
        ):
            raise InputError(
                where[0], f"`{key}` items must be names or lists of names, got {item!r}", where[1]
            )
        out.append(tuple(alternatives))
    return out


def _expand(name: str, pools: list[list[Names]]) -> Names:
    """All alternatives of the gold entity a result or proposed name refers to."""
    for pool in pools:
        for names in pool:
            if name in names:
                return names
    return (name,)


def _gold_result(raw: Any, ann: Annotation, where: tuple[str, int]) -> ResultTuple:
    if not isinstance(raw, dict) or "value" not in raw:
        raise InputError(where[0], f"each result needs at least a `value`: {raw!r}", where[1])
    value = raw["value"]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(where[0], f"result value must be a number, got {value!r}", where[1])
    slots: dict[str, Names] = {}
    pools = {
        "subject": [ann.names["methods"], ann.names["datasets"]],
        "dataset": [ann.names["datasets"]],
        "metric": [ann.names["metrics"]],
    }
    for slot, pool in pools.items():
        name = raw.get(slot)
        if name is not None and not isinstance(name, str):
            raise InputError(where[0], f"result `{slot}` must be a name or null", where[1])
        slots[slot] = _expand(name, pool) if name else ()
    return ResultTuple(
        slots["subject"],
        slots["dataset"],
        slots["metric"],
        float(value),
        raw.get("unit"),
        bool(raw.get("delta", False)),
    )


def gold_record(raw: Any, where: tuple[str, int]) -> Annotation:
    """One gold line as an :class:`Annotation`; ``where`` is (file, line) for errors."""
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise InputError(where[0], "each line must be a JSON object with a string `id`", where[1])
    ann = Annotation(raw["id"], str(raw.get("title", "")))
    for key in NAME_FIELDS:
        ann.names[key] = _names(raw.get(key, []), where, key)
    ann.names["proposed"] = [
        _expand(names[0], [ann.names[k] for k in NAME_FIELDS])
        for names in _names(raw.get("proposed", []), where, "proposed")
    ]
    for key in URL_FIELDS:
        urls = raw.get(key, [])
        if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
            raise InputError(where[0], f"`{key}` must be a list of URLs", where[1])
        ann.urls[key] = list(urls)
    results = raw.get("results", [])
    if not isinstance(results, list):
        raise InputError(where[0], "`results` must be a list", where[1])
    ann.results = [_gold_result(r, ann, where) for r in results]
    return ann


def pred_record(raw: dict[str, Any]) -> Annotation:
    """A ``papers.jsonl`` record as an :class:`Annotation` (entities grouped by name)."""
    ann = Annotation(str(raw["id"]), str(raw.get("title", "")))
    groups: dict[tuple[str, str], list[str]] = {}
    proposed: set[tuple[str, str]] = set()
    for ent in raw.get("entities", []):
        key = (ent["type"], ent["name"])
        names = groups.setdefault(key, [ent["name"]])
        for alt in [ent.get("mention", ""), *ent.get("aliases", [])]:
            if alt and alt not in names:
                names.append(alt)
        if ent.get("proposed"):
            proposed.add(key)
    for fname, etype in TYPE_OF_FIELD.items():
        ann.names[fname] = [tuple(v) for (t, _), v in groups.items() if t == etype]
    ann.names["proposed"] = [tuple(groups[k]) for k in groups if k in proposed]
    for url_field in URL_FIELDS:
        # (the gold ``code_urls`` hold code and artifact repositories: HF datasets and
        # models too, which kg keeps as their own link kinds)
        parts = PRED_URL_FIELDS.get(url_field, (url_field,))
        ann.urls[url_field] = sorted({u for part in parts for u in raw.get(part, [])})

    def alts(name: str | None, types: tuple[str, ...]) -> Names:
        if not name:
            return ()
        for etype in types:
            if (etype, name) in groups:
                return tuple(groups[(etype, name)])
        return (name,)

    ann.results = [
        ResultTuple(
            alts(r.get("subject"), ("Method", "Dataset")),
            alts(r.get("dataset"), ("Dataset",)),
            alts(r.get("metric"), ("Metric",)),
            float(r["value"]),
            r.get("unit"),
            bool(r.get("delta", False)),
        )
        for r in raw.get("results", [])
    ]
    return ann


def _json_lines(path: Path) -> Iterator[tuple[int, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except UnicodeDecodeError as err:
        raise InputError(str(path), f"not UTF-8 ({err.reason})") from None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(str(path), f"invalid JSON: {err.msg}", number) from None


def read_gold(path: str | Path) -> list[Annotation]:
    """Every paper of a gold JSONL file; duplicate ids and bad shapes are errors."""
    path = Path(path)
    out: list[Annotation] = []
    seen: set[str] = set()
    for number, raw in _json_lines(path):
        ann = gold_record(raw, (str(path), number))
        if ann.id in seen:
            raise InputError(str(path), f"duplicate paper id {ann.id!r}", number)
        seen.add(ann.id)
        out.append(ann)
    if not out:
        raise InputError(str(path), "no gold papers in file")
    return out


def read_predictions(path: str | Path) -> list[Annotation]:
    """Predictions from a ``papers.jsonl`` file (or a folder holding one)."""
    path = Path(path)
    if path.is_dir():
        path = path / "papers.jsonl"
    out = []
    for number, raw in _json_lines(path):
        if not isinstance(raw, dict) or "id" not in raw:
            raise InputError(str(path), "expected a papers.jsonl record with an `id`", number)
        try:
            out.append(pred_record(raw))
        except (KeyError, TypeError, ValueError) as err:
            raise InputError(str(path), f"malformed papers.jsonl record: {err!r}", number) from None
    return out
