"""What each page of the research site shows, read from ``site.db`` (``kg.export.site_db``).

Every function takes an open connection and returns a plain dict (the page's JSON, and the
template's context). Work per page is bounded: every list has a ``LIMIT`` and a page number.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from typing import Any

from kg.export.site_db import RELATION as USE_RELATION

PAGE_ROWS = 50
LEADERBOARD_ROWS = 100
BOARDS = 30
"""At most this many metrics' leaderboards on a dataset page (the most reported ones)."""
LOWER_IS_BETTER = re.compile(
    r"^(FID|FVD|KID|WER|CER|MSE|MAE|RMSE|perplexity|PPL|loss|error|latency|NFE|TPOT)",
    re.IGNORECASE,
)
"""Metrics where lower is better (as the ``leaderboard`` canned query ranks them)."""
TYPES = ("Dataset", "Method", "Metric", "Task")


class NotFound(LookupError):
    """No such page."""


def connect(path: str) -> sqlite3.Connection:
    """A read-only connection to ``site.db``."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    db.row_factory = sqlite3.Row
    return db


def _entity_ref(row: sqlite3.Row | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"id": row["id"], "type": row["type"], "name": row["name"]}


def _names(db: sqlite3.Connection, ids: set[str]) -> dict[str, dict[str, Any]]:
    ids.discard(None)  # type: ignore[arg-type,unused-ignore]
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = db.execute(f"SELECT id, type, name FROM entity WHERE id IN ({marks})", sorted(ids))
    return {r["id"]: _entity_ref(r) for r in rows}  # type: ignore[misc]


def _paper_refs(db: sqlite3.Connection, ids: set[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    sql = f"SELECT id, title, first_date, links FROM paper WHERE id IN ({marks})"
    out = {}
    for r in db.execute(sql, sorted(ids)):
        code = [url for kind, url in json.loads(r["links"]) if kind == "code"]
        out[r["id"]] = {
            "id": r["id"],
            "title": r["title"],
            "date": r["first_date"],
            "code": code[0] if code else None,
        }
    return out


def home(db: sqlite3.Connection) -> dict[str, Any]:
    counts = dict(db.execute("SELECT name, value FROM stats").fetchall())
    newest = db.execute(
        "SELECT id, title, last_date FROM paper WHERE last_date IS NOT NULL "
        "ORDER BY last_key DESC, ord LIMIT 20"
    )
    top = {
        t: [
            {"id": r["id"], "name": r["name"], "papers": r["papers"]}
            for r in db.execute(
                "SELECT id, name, papers FROM entity WHERE type = ? "
                "ORDER BY papers DESC, name LIMIT 10",
                (t,),
            )
        ]
        for t in ("Dataset", "Method", "Metric")
    }
    return {
        "page": "home",
        "papers": counts.get("papers", 0),
        "results": counts.get("results", 0),
        "entities": {t: counts.get(t, 0) for t in TYPES},
        "newest": [{"id": r["id"], "title": r["title"], "date": r["last_date"]} for r in newest],
        "top": top,
    }


def fts_query(text: str, prefix: bool = True) -> str | None:
    """The user's words as an FTS5 query: each a quoted term (a prefix term with
    ``prefix``), all required."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    star = "*" if prefix else ""
    return " ".join(f'"{w}"{star}' for w in words[:12]) or None


def search(db: sqlite3.Connection, text: str, page: int = 1) -> dict[str, Any]:
    """Entities (names and aliases) and papers (titles, authors, abstracts): those with
    every word whole first ("cifar 10" finds CIFAR-10 before CIFAR-100), each group ranked
    by BM25 with names weighted ten times the other text."""
    query = fts_query(text)
    hits: list[dict[str, Any]] = []
    if query:
        rows = db.execute(
            "SELECT kind, ref, name, snippet(search, 3, '[', ']', '…', 12) AS snip "
            "FROM search WHERE search MATCH ? ORDER BY "
            "rowid NOT IN (SELECT rowid FROM search WHERE search MATCH ?), "
            "bm25(search, 0, 0, 10.0, 1.0), rowid LIMIT ? OFFSET ?",
            (query, fts_query(text, prefix=False), PAGE_ROWS + 1, (page - 1) * PAGE_ROWS),
        ).fetchall()
        for r in rows[:PAGE_ROWS]:
            hits.append(
                {
                    "kind": r["kind"],
                    "id": r["ref"] if r["kind"] != "paper" else f"paper/{r['ref']}",
                    "name": r["name"],
                    "snippet": r["snip"],
                }
            )
        more = len(rows) > PAGE_ROWS
    else:
        more = False
    return {"page": "search", "q": text, "hits": hits, "page_no": page, "more": more}


def _leaderboards(db: sqlite3.Connection, dataset: str) -> list[dict[str, Any]]:
    """Per metric (the most reported first, at most ``BOARDS``): the best ``LEADERBOARD_ROWS``
    levels in the metric's direction, each read by index, and the first changes."""
    metrics = db.execute(
        "SELECT r.metric, m.name, COUNT(*) AS n FROM result r JOIN entity m ON m.id = r.metric "
        "WHERE r.dataset = ? GROUP BY r.metric ORDER BY n DESC, m.name LIMIT ?",
        (dataset, BOARDS),
    ).fetchall()
    boards = []
    for metric, name, _ in sorted(metrics, key=lambda m: (m["name"], m["metric"])):
        lower = bool(LOWER_IS_BETTER.match(name))
        levels = db.execute(
            "SELECT * FROM result WHERE dataset = ? AND metric = ? AND delta = 0 "
            f"ORDER BY value {'ASC' if lower else 'DESC'}, paper, ord LIMIT ?",
            (dataset, metric, LEADERBOARD_ROWS),
        ).fetchall()
        changes = db.execute(
            "SELECT * FROM result WHERE dataset = ? AND metric = ? AND delta = 1 "
            "ORDER BY paper, ord LIMIT 50",
            (dataset, metric),
        ).fetchall()
        subjects = _names(db, {r["subject"] for r in [*levels, *changes]})
        papers = _paper_refs(db, {r["paper"] for r in [*levels, *changes]})
        seen = _claims(db, dataset, metric, {r["subject"] for r in levels})
        boards.append(
            {
                "metric": {"id": metric, "name": name},
                "better": "lower" if lower else "higher",
                "rows": [_row(r, subjects, papers, seen) for r in levels],
                "changes": [_row(r, subjects, papers, None) for r in changes],
            }
        )
    return boards


def _claims(
    db: sqlite3.Connection, dataset: str, metric: str, subjects: set[str]
) -> dict[Any, set[tuple[str, float]]]:
    """The (paper, value) levels reported for each of ``subjects`` on a dataset and metric."""
    subjects.discard(None)  # type: ignore[arg-type,unused-ignore]
    seen: dict[Any, set[tuple[str, float]]] = defaultdict(set)
    if not subjects:
        return seen
    marks = ",".join("?" * len(subjects))
    rows = db.execute(
        "SELECT subject, paper, value FROM result WHERE subject IN "
        f"({marks}) AND dataset = ? AND metric = ? AND delta = 0 LIMIT 20000",
        (*sorted(subjects), dataset, metric),
    )
    for subject, paper_id, value in rows:
        seen[subject].add((paper_id, value))
    return seen


def _row(
    r: sqlite3.Row,
    subjects: dict[str, dict[str, Any]],
    papers: dict[str, dict[str, Any]],
    seen: dict[Any, set[tuple[str, float]]] | None,
) -> dict[str, Any]:
    """A result row; ``conflicts``: the values other papers report for the same method on the
    same dataset and metric."""
    sentence, text = r["sentence"] or "", r["text"] or ""
    at = sentence.find(text) if text else -1
    claims = seen.get(r["subject"], set()) if seen and r["subject"] else set()
    others = sorted({v for p, v in claims if p != r["paper"] and v != r["value"]})
    return {
        "value": r["value"],
        "unit": r["unit"],
        "text": text,
        "method": subjects.get(r["subject"]),
        "paper": papers.get(r["paper"]),
        "evidence": [sentence[:at], text, sentence[at + len(text) :]]
        if at >= 0
        else [sentence, "", ""],
        "conflicts": others,
    }


def _papers_with(
    db: sqlite3.Connection, entity_id: str, relation: str, page: int
) -> list[dict[str, Any]]:
    """The papers linked to an entity by ``relation``, oldest listing first, a page of them."""
    rows = db.execute(
        "SELECT p.id, p.title, p.first_date, u.relation FROM uses u "
        "JOIN paper p ON p.id = u.paper WHERE u.entity = ? AND u.relation = ? "
        "ORDER BY u.first_key, u.paper_ord LIMIT ? OFFSET ?",
        (entity_id, relation, PAGE_ROWS, (page - 1) * PAGE_ROWS),
    )
    return [
        {"id": r["id"], "title": r["title"], "date": r["first_date"], "relation": r["relation"]}
        for r in rows
    ]


def _results_of(db: sqlite3.Connection, column: str, entity_id: str) -> list[dict[str, Any]]:
    """The results a method reports (``subject``) or a metric measures (``metric``), grouped by
    dataset (and metric), at most ``LEADERBOARD_ROWS``."""
    order = (
        "dataset, metric, delta, paper, ord"
        if column == "subject"
        else "dataset, delta, paper, ord"
    )
    rows = db.execute(
        f"SELECT * FROM result WHERE {column} = ? ORDER BY {order}, delta, paper, ord LIMIT ?",
        (entity_id, LEADERBOARD_ROWS),
    ).fetchall()
    ids = {r[c] for r in rows for c in ("subject", "dataset", "metric")}
    names = _names(db, ids)
    papers = _paper_refs(db, {r["paper"] for r in rows})
    return [
        {
            **_row(r, names, papers, None),
            "dataset": names.get(r["dataset"]),
            "metric": names.get(r["metric"]),
            "delta": bool(r["delta"]),
        }
        for r in rows
    ]


def _comparisons(db: sqlite3.Connection, entity_id: str, column: str) -> list[dict[str, Any]]:
    """The methods this one outperforms (``column`` winner) or is outperformed by (baseline)."""
    other = "baseline" if column == "winner" else "winner"
    rows = db.execute(
        f"SELECT {other} AS other, paper FROM outperforms WHERE {column} = ? LIMIT 200",
        (entity_id,),
    ).fetchall()
    names = _names(db, {r["other"] for r in rows})
    papers = _paper_refs(db, {r["paper"] for r in rows})
    return [{"method": names.get(r["other"]), "paper": papers.get(r["paper"])} for r in rows]


def entity(db: sqlite3.Connection, entity_id: str, page: int = 1) -> dict[str, Any]:
    row = db.execute("SELECT * FROM entity WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        raise NotFound(entity_id)
    kind = row["type"]
    out: dict[str, Any] = {
        "page": "entity",
        "id": entity_id,
        "type": kind,
        "name": row["name"],
        "aliases": json.loads(row["aliases"]),
        "paper_count": row["papers"],
        "trend": json.loads(row["trend"] or "[]"),
        "proposed_by": _papers_with(db, entity_id, "proposes", 1),
        "used_by": _papers_with(db, entity_id, USE_RELATION[kind], page),
        "page_no": page,
    }
    if kind == "Dataset":
        out["leaderboards"] = _leaderboards(db, entity_id)
    if kind in ("Method", "Metric"):
        out["results"] = _results_of(db, "subject" if kind == "Method" else "metric", entity_id)
    if kind == "Method":
        out["outperforms"] = _comparisons(db, entity_id, "winner")
        out["outperformed_by"] = _comparisons(db, entity_id, "baseline")
    return out


def highlighted(text: str, facts: list[list[Any]], field: str) -> list[dict[str, Any]]:
    """``text`` cut into segments, each extracted span (first and longest wins where spans
    overlap) marked with its kind, extractor and entity."""
    segments: list[dict[str, Any]] = []
    pos = 0
    for f_field, start, end, kind, ref, extractor in facts:
        if f_field != field or start < pos or end > len(text) or end <= start:
            continue
        if start > pos:
            segments.append({"text": text[pos:start]})
        segments.append({"text": text[start:end], "kind": kind, "ref": ref, "extractor": extractor})
        pos = end
    if pos < len(text):
        segments.append({"text": text[pos:]})
    return segments


def paper(db: sqlite3.Connection, paper_id: str) -> dict[str, Any]:
    row = db.execute("SELECT * FROM paper WHERE id = ?", (paper_id,)).fetchone()
    if row is None:
        raise NotFound(paper_id)
    facts = json.loads(row["facts"])
    results = db.execute(
        "SELECT * FROM result WHERE paper = ? ORDER BY ord", (paper_id,)
    ).fetchall()
    names = _names(
        db,
        {r["subject"] for r in results}
        | {r["dataset"] for r in results}
        | {r["metric"] for r in results},
    )
    entities = db.execute(
        "SELECT e.id, e.type, e.name, u.relation FROM uses u JOIN entity e ON e.id = u.entity "
        "WHERE u.paper = ? ORDER BY e.type, e.name",
        (paper_id,),
    ).fetchall()
    builds_on = _lineage(db, "paper", "earlier", paper_id)
    built_on_by = _lineage(db, "earlier", "paper", paper_id)
    return {
        "page": "paper",
        "id": paper_id,
        "builds_on": builds_on,
        "built_on_by": built_on_by,
        "title": row["title"],
        "authors": json.loads(row["authors"]),
        "dates": json.loads(row["dates"]),
        "published": row["published"],
        "categories": json.loads(row["categories"]),
        "upvotes": row["upvotes"],
        "links": [{"kind": k, "url": u} for k, u in json.loads(row["links"])],
        "title_segments": highlighted(row["title"], facts, "title"),
        "abstract_segments": highlighted(row["abstract"], facts, "abstract"),
        "results": [
            {
                **_row(r, names, {}, None),
                "dataset": names.get(r["dataset"]),
                "metric": names.get(r["metric"]),
                "delta": bool(r["delta"]),
            }
            for r in results
        ],
        "entities": [
            {"id": e["id"], "type": e["type"], "name": e["name"], "relation": e["relation"]}
            for e in entities
        ],
    }


def _lineage(
    db: sqlite3.Connection, column: str, other: str, paper_id: str
) -> list[dict[str, Any]]:
    """The papers ``paper_id`` builds on (``column`` paper) or that build on it (earlier),
    each with the entities that link them."""
    rows = db.execute(
        f"SELECT {other} AS other, entity FROM lineage WHERE {column} = ? LIMIT 200", (paper_id,)
    ).fetchall()
    papers = _paper_refs(db, {r["other"] for r in rows})
    names = _names(db, {r["entity"] for r in rows})
    via: dict[str, list[dict[str, Any]]] = {pid: [] for pid in papers}
    for r in rows:
        if r["other"] in papers and r["entity"] in names:
            via[r["other"]].append(names[r["entity"]])
    return [{"paper": papers[pid], "via": via[pid]} for pid in sorted(via)]


def all_pages(db: sqlite3.Connection) -> tuple[list[str], list[str]]:
    """Every entity id and paper id (for the static site)."""
    entities = [r[0] for r in db.execute("SELECT id FROM entity ORDER BY id")]
    papers = [r[0] for r in db.execute("SELECT id FROM paper ORDER BY ord")]
    return entities, papers


def search_index(db: sqlite3.Connection) -> list[list[str]]:
    """The static site's client-side index: [kind, page, name, other words]."""
    rows = db.execute("SELECT kind, ref, name, body FROM search ORDER BY rowid")
    return [
        [
            r["kind"],
            f"paper/{r['ref']}" if r["kind"] == "paper" else r["ref"],
            r["name"],
            r["body"][:300] if r["kind"] == "paper" else r["body"],
        ]
        for r in rows
    ]
