"""What each page of the research site shows, read from ``site.db`` (``kg.export.site_db``).

Every function takes an open connection and returns a plain dict (the page's JSON, and the
template's context). Work per page is bounded: every list has a ``LIMIT`` and a page number.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter, defaultdict
from datetime import date
from typing import Any

PAGE_ROWS = 50
LEADERBOARD_ROWS = 100
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


def _week(day: str) -> str:
    year, week, _ = date.fromisoformat(day[:10]).isocalendar()
    return f"{year}-W{week:02d}"


def trend(dates: list[str]) -> list[list[Any]]:
    """Papers per ISO week, oldest first: [[week, count], ...]."""
    weeks = Counter(_week(d) for d in dates if re.match(r"\d{4}-\d{2}-\d{2}", d))
    return [[w, n] for w, n in sorted(weeks.items())]


def home(db: sqlite3.Connection) -> dict[str, Any]:
    counts = {t: n for t, n in db.execute("SELECT type, COUNT(*) FROM entity GROUP BY type")}
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
        "papers": db.execute("SELECT COUNT(*) FROM paper").fetchone()[0],
        "results": db.execute("SELECT COUNT(*) FROM result").fetchone()[0],
        "entities": {t: counts.get(t, 0) for t in TYPES},
        "newest": [{"id": r["id"], "title": r["title"], "date": r["last_date"]} for r in newest],
        "top": top,
    }


def fts_query(text: str) -> str | None:
    """The user's words as an FTS5 query: each a quoted prefix term, all required."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    return " ".join(f'"{w}"*' for w in words[:12]) or None


def search(db: sqlite3.Connection, text: str, page: int = 1) -> dict[str, Any]:
    """Entities (names and aliases) and papers (titles, authors, abstracts), ranked by BM25
    with names weighted ten times the other text."""
    query = fts_query(text)
    hits: list[dict[str, Any]] = []
    if query:
        rows = db.execute(
            "SELECT kind, ref, name, snippet(search, 3, '[', ']', '…', 12) AS snip "
            "FROM search WHERE search MATCH ? ORDER BY bm25(search, 0, 0, 10.0, 1.0), ref "
            "LIMIT ? OFFSET ?",
            (query, PAGE_ROWS + 1, (page - 1) * PAGE_ROWS),
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
    rows = db.execute(
        "SELECT r.*, m.name AS metric_name FROM result r JOIN entity m ON m.id = r.metric "
        "WHERE r.dataset = ? ORDER BY m.name, r.paper, r.ord",
        (dataset,),
    ).fetchall()
    by_metric: dict[str, list[sqlite3.Row]] = defaultdict(list)
    for r in rows:
        by_metric[r["metric"]].append(r)
    subjects = _names(db, {r["subject"] for r in rows})
    papers = _paper_refs(db, {r["paper"] for r in rows})
    boards = []
    for metric, results in by_metric.items():
        name = results[0]["metric_name"]
        lower = bool(LOWER_IS_BETTER.match(name))
        levels = [r for r in results if not r["delta"]]
        levels.sort(key=lambda r: (r["value"] if lower else -r["value"], r["paper"], r["ord"]))
        seen: dict[Any, set[tuple[str, float]]] = defaultdict(set)
        for r in levels:
            seen[r["subject"]].add((r["paper"], r["value"]))
        board = {
            "metric": {"id": metric, "name": name},
            "better": "lower" if lower else "higher",
            "rows": [_row(r, subjects, papers, seen) for r in levels[:LEADERBOARD_ROWS]],
            "changes": [_row(r, subjects, papers, None) for r in results if r["delta"]][:50],
        }
        boards.append(board)
    return boards


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
    db: sqlite3.Connection, entity: str, relations: tuple[str, ...], page: int
) -> list[dict[str, Any]]:
    marks = ",".join("?" * len(relations))
    rows = db.execute(
        "SELECT p.id, p.title, p.first_date, u.relation FROM uses u "
        f"JOIN paper p ON p.id = u.paper WHERE u.entity = ? AND u.relation IN ({marks}) "
        "ORDER BY p.first_date, p.ord LIMIT ? OFFSET ?",
        (entity, *relations, PAGE_ROWS, (page - 1) * PAGE_ROWS),
    )
    return [
        {"id": r["id"], "title": r["title"], "date": r["first_date"], "relation": r["relation"]}
        for r in rows
    ]


def entity(db: sqlite3.Connection, entity_id: str, page: int = 1) -> dict[str, Any]:
    row = db.execute("SELECT * FROM entity WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        raise NotFound(entity_id)
    kind = row["type"]
    dates = [
        d
        for (d,) in db.execute(
            "SELECT p.first_date FROM uses u JOIN paper p ON p.id = u.paper "
            "WHERE u.entity = ? AND p.first_date IS NOT NULL LIMIT 100000",
            (entity_id,),
        )
    ]
    out: dict[str, Any] = {
        "page": "entity",
        "id": entity_id,
        "type": kind,
        "name": row["name"],
        "aliases": json.loads(row["aliases"]),
        "paper_count": row["papers"],
        "trend": trend(dates),
        "proposed_by": _papers_with(db, entity_id, ("proposes",), 1),
        "used_by": _papers_with(
            db, entity_id, ("uses", "evaluatedOn", "measuredBy", "addresses"), page
        ),
        "page_no": page,
    }
    if kind == "Dataset":
        out["leaderboards"] = _leaderboards(db, entity_id)
    if kind in ("Method", "Metric"):
        column = "subject" if kind == "Method" else "metric"
        rows = db.execute(
            f"SELECT * FROM result WHERE {column} = ? ORDER BY paper, ord LIMIT ?",
            (entity_id, LEADERBOARD_ROWS),
        ).fetchall()
        names = _names(
            db,
            {r["subject"] for r in rows}
            | {r["dataset"] for r in rows}
            | {r["metric"] for r in rows},
        )
        papers = _paper_refs(db, {r["paper"] for r in rows})
        out["results"] = [
            {
                **_row(r, names, papers, None),
                "dataset": names.get(r["dataset"]),
                "metric": names.get(r["metric"]),
                "delta": bool(r["delta"]),
            }
            for r in rows
        ]
    if kind == "Method":
        beats = db.execute(
            "SELECT baseline AS other, paper FROM outperforms WHERE winner = ? LIMIT 200",
            (entity_id,),
        ).fetchall()
        beaten = db.execute(
            "SELECT winner AS other, paper FROM outperforms WHERE baseline = ? LIMIT 200",
            (entity_id,),
        ).fetchall()
        names = _names(db, {r["other"] for r in [*beats, *beaten]})
        papers = _paper_refs(db, {r["paper"] for r in [*beats, *beaten]})
        out["outperforms"] = [
            {"method": names.get(r["other"]), "paper": papers.get(r["paper"])} for r in beats
        ]
        out["outperformed_by"] = [
            {"method": names.get(r["other"]), "paper": papers.get(r["paper"])} for r in beaten
        ]
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
    return {
        "page": "paper",
        "id": paper_id,
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
