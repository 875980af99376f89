"""``site.db``: the SQLite database the research site reads (``kg serve``, ``kg site``).

Tables: ``entity`` (one row per canonical entity, with its papers per listing week or day),
``paper`` (title, authors, dates, links and every extracted fact with its offsets, for
highlighting), ``result`` (reported numbers with their subject, dataset and metric ids and
evidence), ``uses`` (paper to entity, by relation, with the paper's first listing date and
order, so an entity's papers page by index), ``outperforms`` (winner, baseline, paper),
``stats`` (counts of papers, results and entities by type) and ``search``, an FTS5 index of
entity names and aliases and of paper titles, authors and abstracts. Rows are inserted batch
by batch as the build streams; the file is then compacted with ``VACUUM INTO``, so the same
input gives the same bytes.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from kg.export.registry import Item, Task, register_writer
from kg.model import Entity, Extraction
from kg.resolve.lineage import date_key

SCHEMA = """
CREATE TABLE entity (
  id TEXT PRIMARY KEY, type TEXT, name TEXT, aliases TEXT, papers INT, trend TEXT
);
CREATE TABLE paper (
  ord INT, id TEXT PRIMARY KEY, title TEXT, abstract TEXT, authors TEXT, published TEXT,
  dates TEXT, first_date TEXT, last_date TEXT, last_key TEXT, links TEXT, facts TEXT,
  upvotes INT, categories TEXT
);
CREATE TABLE result (
  paper TEXT, ord INT, subject TEXT, dataset TEXT, metric TEXT, value REAL, unit TEXT,
  delta INT, text TEXT, field TEXT, start INT, "end" INT, sentence TEXT
);
CREATE TABLE uses (
  paper TEXT, entity TEXT, relation TEXT, mentions INT, first_key TEXT, paper_ord INT
);
CREATE TABLE outperforms (winner TEXT, baseline TEXT, paper TEXT);
CREATE TABLE lineage (paper TEXT, earlier TEXT, entity TEXT);
CREATE TABLE stats (name TEXT PRIMARY KEY, value INT);
CREATE VIRTUAL TABLE search USING fts5(
  kind UNINDEXED, ref UNINDEXED, name, body, tokenize = 'unicode61 remove_diacritics 2'
);
"""
INDEXES = """
CREATE INDEX result_board ON result (dataset, metric, delta, value);
CREATE INDEX result_subject ON result (subject, dataset, metric, delta, paper, ord);
CREATE INDEX result_metric ON result (metric, dataset, delta, paper, ord);
CREATE INDEX result_paper ON result (paper, ord);
CREATE INDEX uses_entity ON uses (entity, relation, first_key, paper_ord);
CREATE INDEX uses_paper ON uses (paper);
CREATE INDEX outperforms_winner ON outperforms (winner);
CREATE INDEX outperforms_baseline ON outperforms (baseline);
CREATE INDEX lineage_paper ON lineage (paper);
CREATE INDEX lineage_earlier ON lineage (earlier);
CREATE INDEX paper_last ON paper (last_key, ord);
CREATE INDEX entity_type ON entity (type, papers);
INSERT INTO stats SELECT 'papers', COUNT(*) FROM paper;
INSERT INTO stats SELECT 'results', COUNT(*) FROM result;
INSERT INTO stats SELECT type, COUNT(*) FROM entity GROUP BY type;
"""
Rows = dict[str, list[tuple[Any, ...]]]
RELATION = {"Method": "uses", "Dataset": "evaluatedOn", "Metric": "measuredBy", "Task": "addresses"}


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def trend_bucket(day: str | None) -> tuple[str, str] | None:
    """Where a listing date counts in an entity's trend strip, as (sort key, label): the ISO
    week of an ISO date (``2025-W07``), the day itself for a daily dump's ``Sep 17`` (no
    year, so no week)."""
    if not day:
        return None
    if ISO_DATE.match(day):
        try:
            year, week, _ = date.fromisoformat(day[:10]).isocalendar()
        except ValueError:
            return None
        return f"{year}-W{week:02d}", f"{year}-W{week:02d}"
    key = date_key(day)
    return (key, day) if key != day else None


def strip(buckets: Counter[tuple[str, str]]) -> list[list[Any]]:
    """A trend strip from counts per ``trend_bucket``: [[label, papers], ...], oldest first."""
    return [[label, n] for (_, label), n in sorted(buckets.items())]


def trend(dates: list[str]) -> list[list[Any]]:
    """The trend strip of papers listed on ``dates`` (the writer counts the same way as the
    build streams)."""
    return strip(Counter(b for b in map(trend_bucket, dates) if b))


def _facts(x: Extraction, ids: dict[tuple[str, str], str]) -> list[list[Any]]:
    """Every extracted span, for highlighting: field, start, end, kind, entity id, extractor."""
    facts: list[list[Any]] = []
    for m in x.mentions:
        ev = m.evidence
        kind = f"{m.type} (proposed)" if m.proposed else m.type
        facts.append([ev.field, ev.start, ev.end, kind, ids.get((m.type, m.name)), ev.extractor])
    for r in x.results:
        ev = r.evidence
        facts.append([ev.field, ev.start, ev.end, "Result", None, ev.extractor])
    for link in x.links:
        if link.evidence is not None:
            ev = link.evidence
            facts.append([ev.field, ev.start, ev.end, f"link: {link.kind}", None, ev.extractor])
    return sorted(facts, key=lambda f: (f[0], f[1], -f[2]))


def paper_rows(x: Extraction, ids: dict[tuple[str, str], str], ord_: int) -> Rows:
    """The rows of one resolved paper."""
    p = x.paper
    dates = sorted({li.date for li in p.listings if li.date}, key=date_key)
    links = [[link.kind, link.url] for link in x.links]
    rows: Rows = {
        "paper": [
            (
                ord_,
                p.id,
                p.title,
                p.abstract,
                json.dumps(p.authors, ensure_ascii=False),
                p.published,
                json.dumps(dates),
                dates[0] if dates else None,
                dates[-1] if dates else None,
                date_key(dates[-1]) if dates else None,
                json.dumps(links, ensure_ascii=False),
                json.dumps(_facts(x, ids), ensure_ascii=False),
                p.upvotes,
                json.dumps(p.categories),
            )
        ],
        "result": [],
        "uses": [],
        "outperforms": [],
        "lineage": [(p.id, b.paper, ids.get((b.type, b.name))) for b in x.builds_on],
        "search": [("paper", p.id, p.title, " ".join([*p.authors, p.abstract]))],
    }
    for i, r in enumerate(x.results):
        ev = r.evidence
        rows["result"].append(
            (
                p.id,
                i,
                ids.get(("Method", r.subject or "")),
                ids.get(("Dataset", r.dataset or "")),
                ids.get(("Metric", r.metric or "")),
                r.value,
                r.unit,
                int(r.delta),
                r.text,
                ev.field,
                ev.start,
                ev.end,
                ev.sentence,
            )
        )
    counts: dict[tuple[str, str], int] = {}
    for m in x.mentions:
        key = (ids[(m.type, m.name)], "proposes" if m.proposed else RELATION[m.type])
        counts[key] = counts.get(key, 0) + 1
    first = date_key(dates[0]) if dates else None
    rows["uses"] = [(p.id, eid, rel, n, first, 0) for (eid, rel), n in counts.items()]
    for winner, baseline in x.comparisons:
        a, b = ids.get(("Method", winner)), ids.get(("Method", baseline))
        if a and b and a != b:
            rows["outperforms"].append((a, b, p.id))
    return rows


@register_writer("site")
class SiteWriter:
    """``site.db``, filled batch by batch (see the module docstring)."""

    def __init__(self, out: Path, base_iri: str) -> None:
        self.path = out / "site.db"
        self.work = out / ".site-build.db"
        self.db = sqlite3.connect(self.work)
        self.db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
        self.count = 0
        self.weeks: defaultdict[str, Counter[tuple[str, str]]] = defaultdict(Counter)

    @staticmethod
    def render(items: list[Item], base: str, out: Path, job: int) -> list[Rows]:
        return [paper_rows(x, ids, 0) for x, ids in items]

    def begin(self, entities: list[Entity]) -> None:
        rows = [
            (e.id, e.type, e.name, json.dumps(e.aliases, ensure_ascii=False), len(e.papers), None)
            for e in entities
        ]
        self.db.executemany("INSERT INTO entity VALUES (?, ?, ?, ?, ?, ?)", rows)
        search = [(e.type, e.id, e.name, " ".join(e.aliases)) for e in entities]
        self.db.executemany("INSERT INTO search VALUES (?, ?, ?, ?)", search)

    def emit(self, part: list[Rows]) -> None:
        for rows in part:
            paper = rows["paper"][0]
            rows["paper"] = [(self.count, *paper[1:])]
            rows["uses"] = [(*u[:5], self.count) for u in rows["uses"]]
            bucket = trend_bucket(paper[7])
            if bucket:
                for eid in {u[1] for u in rows["uses"]}:
                    self.weeks[eid][bucket] += 1
            self.count += 1
            for table, values in rows.items():
                if values:
                    marks = ", ".join("?" * len(values[0]))
                    self.db.executemany(f"INSERT INTO {table} VALUES ({marks})", values)

    def tasks(self) -> list[Task]:
        trends = [(json.dumps(strip(weeks)), eid) for eid, weeks in sorted(self.weeks.items())]
        self.db.executemany("UPDATE entity SET trend = ? WHERE id = ?", trends)
        self.db.executescript(INDEXES + "INSERT INTO search(search) VALUES ('optimize');")
        self.db.commit()
        self.db.execute("VACUUM INTO ?", (str(self.path),))
        self.db.close()
        self.work.unlink()
        return []

    def finish(self, results: list[Any]) -> list[Path]:
        return [self.path]
