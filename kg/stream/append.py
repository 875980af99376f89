"""Append new listings to a streamed build (``kg add``) in time proportional to what changes.

A build made with ``keep_state`` (``kg build --stream --cache DIR``) leaves its state in
``OUT/.kg-state`` (``kg.stream.state``). An append then

1. reads only the new listings; a listing of a paper already in the graph that brings only
   new listing metadata (a date, a file) updates that paper; one that changes its text or
   links makes the append give way to a full rebuild (``AppendRefused``);
2. extracts the new papers (through the cache), adds their names to the saved resolver and
   finishes it again, which gives the new entity table;
3. compares it with the old table: a job (about 256 consecutive papers) is re-rendered for
   ``papers.jsonl`` if one of its entities changed its id, name or aliases (or a name of
   its now resolves elsewhere), and for ``graph.nt`` and Neo4j if the id or name changed;
4. splices every output: unchanged jobs' bytes are copied as they are, re-rendered and new
   jobs' bytes written; ``graph.nt`` gets exactly the lines that left (old renderings of the
   re-rendered papers, old entity and claim lines) removed and the new ones inserted in
   order; the Oxigraph store gets the same removals and insertions.

The result is byte for byte what a full build of the old and new inputs writes."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import pickle
import tempfile
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate
from pathlib import Path
from typing import Any

from kg.engine import EngineOptions, extract_batches
from kg.engine.batching import windowed
from kg.errors import KgError
from kg.export.flatten import property_types
from kg.export.neo4j import NodeTable, RelTable
from kg.export.rdf import entity_lite, nt_line
from kg.ingest import expand_paths, merge_papers
from kg.ingest.dedup import _merge_into
from kg.model import ENTITY_TYPES, Entity, Extraction, Paper
from kg.resolve.entities import StreamingResolver
from kg.stream.build import (
    Clock,
    Progress,
    _counts,
    _jobs,
    _pool,
    _skeleton,
    _spill,
    _unspill,
    refs_of,
    replace_outputs,
    resolved_items,
)
from kg.stream.ingest import duplicate_key, iter_listings
from kg.stream.splice import splice_segments, splice_sorted
from kg.stream.state import (
    STATE,
    BuildState,
    JobState,
    Location,
    fingerprint,
    load_resolver,
    load_state,
    save_state,
)
from kg.stream.writers import (
    NODE_SKIP,
    REL_SKIP,
    JsonlWriter,
    Kinds,
    Neo4jPart,
    Neo4jWriter,
    TableKey,
    claim_lines,
    entity_nodes,
    merge_kinds,
    node_header,
    node_rows,
    nt_lines,
    outperforms_rows,
    part_kinds,
    part_rows,
    rel_header,
    rel_rows,
    table_file,
    write_csv_in_segments,
    write_scripts,
)


class AppendRefused(KgError):
    """This append cannot be done in place; a full rebuild gives the right output."""


TEXT_FIELDS = ("id", "title", "abstract", "code_urls", "project_urls")
"""What extraction and identity depend on: a listing that changes one needs a rebuild."""


def _text(paper: Paper) -> tuple[Any, ...]:
    return tuple(getattr(paper, name) for name in TEXT_FIELDS)


@dataclass
class NewListings:
    """The new listings: new papers (merged among themselves, in input order, with their
    duplicate keys) and listings of papers already in the graph, by paper index."""

    papers: list[Paper] = field(default_factory=list)
    keys: list[int] = field(default_factory=list)
    revisits: dict[int, list[Paper]] = field(default_factory=lambda: defaultdict(list))
    listings: int = 0


def read_new(paths: Iterable[str | Path], fmt: str | None, state: BuildState) -> NewListings:
    """Read the new listings and tell new papers from new listings of known ones."""
    new = NewListings()
    by_key: dict[int, Paper] = {}
    for listing in iter_listings(paths, fmt):
        new.listings += 1
        key = duplicate_key(listing, state.arxiv)
        if key in state.keys:
            new.revisits[state.keys[key]].append(listing)
        elif key in by_key:
            _merge_into(by_key[key], listing)
        else:
            by_key[key] = merge_papers([listing])[0]
            new.keys.append(key)
    new.papers = list(by_key.values())
    return new


@dataclass
class Views:
    """The resolver before and after the append, what changed, and where things are."""

    old: StreamingResolver
    new: StreamingResolver
    spill: Path
    base: str
    revised: dict[int, dict[int, Paper]]  # job -> position in job -> updated paper


_APPEND: Views | None = None


@dataclass
class Rendered:
    """A job rendered for the writers that need it (None: keep the old bytes)."""

    job: int
    refs: list[str]
    jsonl: str | None = None
    nt_new: set[str] | None = None
    nt_old: set[str] | None = None
    claims: list[tuple[str, str, str]] | None = None
    neo4j: Neo4jPart | None = None
    counts: Counter[str] = field(default_factory=Counter)
    locations: list[Location] | None = None


def _extractions(views: Views, job: int, locations: list[Location], new: bool) -> list[Extraction]:
    """A job's unresolved extractions; ``new`` ones carry the papers' updated listings."""
    extractions = [x for location in locations for x in _unspill(views.spill, location)]
    if new:
        for position, paper in views.revised.get(job, {}).items():
            extractions[position].paper = paper
    return extractions


def _render(job: int, locations: list[Location], writers: frozenset[str]) -> Rendered:
    """Render one job (old or new) for ``writers``; an old job's rdf rendering also gives the
    lines it had before (under the old resolver), which leave ``graph.nt``."""
    views = _APPEND
    assert views is not None, "the append state is set before the pool forks"
    fresh = _extractions(views, job, locations, new=True)
    out = Rendered(job, [])
    if job in views.revised:
        out.locations = [_spill(views.spill, fresh)[0]]
    items = resolved_items(views.new, fresh)
    out.refs = refs_of(items)
    for x, _ in items:
        out.counts.update(_counts(x))
    if "jsonl" in writers:
        out.jsonl = JsonlWriter.render(items, views.base, views.spill, job)
    if "rdf" in writers:
        out.nt_new, out.claims = nt_lines(items, views.base)
        if "old" in writers:
            old_items = resolved_items(views.old, _extractions(views, job, locations, new=False))
            out.nt_old, _ = nt_lines(old_items, views.base)
    if "neo4j" in writers:
        out.neo4j = Neo4jWriter.render(items, views.base, views.spill, job)
    return out


def _changed_entities(old: StreamingResolver, new: StreamingResolver) -> tuple[set[str], set[str]]:
    """Ids of old entities whose papers must be rendered again: (for the graph files: the id
    or name changed, or a name now resolves elsewhere; for papers.jsonl: those and aliases)."""
    graph: set[str] = set()
    text: set[str] = set()
    now = {e.id: e for e in new.entity_of.values()}
    for entity in old.entity_of.values():
        after = now.get(entity.id)
        if after is None or (after.type, after.name) != (entity.type, entity.name):
            graph.add(entity.id)
        elif after.aliases != entity.aliases:
            text.add(entity.id)
    for node in list(old.uf.parent):
        before = old.entity_of.get(old.uf.find(node))
        if before is None:
            continue
        after = new.entity_of.get(new.uf.find(node))
        if after is None or after.id != before.id:
            graph.add(before.id)
    return graph, text | graph


def _check_outputs(out: Path, state: BuildState, store: bool) -> None:
    """The outputs are those the state describes (same sizes), else refuse."""
    if "jsonl" in state.names:
        path = out / "papers.jsonl"
        if not path.is_file() or path.stat().st_size != state.jsonl[-1]:
            raise AppendRefused(f"{path}: changed since the build that left {out / STATE}")
    if "rdf" in state.names and not (out / "graph.nt").is_file():
        raise AppendRefused(f"{out / 'graph.nt'}: missing")
    if store and "rdf" in state.names and not (out / "store").is_dir():
        raise AppendRefused(f"{out / 'store'}: missing")
    for key, ends in state.tables.items():
        path = out / "neo4j" / table_file(key)
        if not path.is_file() or path.stat().st_size < ends[-1]:
            raise AppendRefused(f"{path}: changed since the build that left {out / STATE}")


def stream_append(
    paths: Iterable[str | Path],
    out: Path,
    fmt: str | None = None,
    options: EngineOptions | None = None,
    store: bool = True,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Add the listings in ``paths`` to the streamed build in ``out``; returns the summary
    (as ``stream_build``'s, plus ``rerendered``: jobs rendered again per output).

    Raises ``AppendRefused`` when only a full rebuild gives the right output (no state, a
    different extractor, outputs edited since, a listing that changes a known paper's text,
    a Neo4j column whose type the new rows change)."""
    options = options or EngineOptions()
    folder = out / STATE
    if not (folder / "build.pickle").is_file():
        raise AppendRefused(f"{out}: no append state ({folder}); build with --stream --cache")
    try:
        state = load_state(folder)
    except Exception as err:
        raise AppendRefused(f"{folder}: unreadable ({err})") from err
    if state.fingerprint != fingerprint(options.fast):
        raise AppendRefused("the extractor changed since the last build (code, model or --fast)")
    _check_outputs(out, state, store)
    clock = Clock()
    with clock("parse"):
        new = read_new(list(expand_paths(paths)), fmt, state)
    starts = [0, *accumulate(job.papers for job in state.jobs)]
    revised = _revisions(new, state, starts, folder / "spill")
    spill = folder / "spill"
    with clock("resolve"):
        resolver: StreamingResolver = load_resolver(folder, raw=True)
    stream: Iterable[Paper] = clock.timed(new.papers, "parse")
    stream = progress(stream, len(new.papers)) if progress else stream
    locations: list[Location] = []
    with clock("extract"):
        for location, seen in extract_batches(stream, options, partial(_spill, spill)):
            locations.append(location)
            with clock("resolve"):
                for one in seen:
                    resolver.add(_skeleton(one))
    with clock("resolve"):
        raw = pickle.dumps(resolver, protocol=pickle.HIGHEST_PROTOCOL)
        entities = sorted(resolver.finish().values(), key=lambda e: e.id)
        old: StreamingResolver = load_resolver(folder, raw=False)
        graph_changed, text_changed = _changed_entities(old, resolver)
    dirty: dict[int, set[str]] = defaultdict(set)
    for number, job in enumerate(state.jobs):
        refs = set(job.refs)
        if number in revised or refs & graph_changed:
            dirty[number].update(("jsonl", "rdf", "old", "neo4j"))
        elif refs & text_changed:
            dirty[number].add("jsonl")
    new_jobs = [(len(state.jobs) + number, job) for number, job in _jobs(locations)]
    names = set(state.names)
    work = [
        (number, state.jobs[number].locations, frozenset(dirty[number] & (names | {"old"})))
        for number in sorted(dirty)
    ] + [(number, job, frozenset(names)) for number, job in new_jobs]
    global _APPEND
    _APPEND = Views(old, resolver, spill, state.base_iri, revised)
    rendered: dict[int, Rendered] = {}
    try:
        with clock("export"), _pool(options.workers) as run:
            window = 2 * options.workers + 1
            for part in windowed(work, lambda job: run(_render, *job), window):
                rendered[part.job] = part
    finally:
        _APPEND = None
    counts = Counter(state.counts)
    for number, _ in new_jobs:
        counts.update(rendered[number].counts)
    with tempfile.TemporaryDirectory(prefix=".kg-staging-", dir=out) as tmp:
        staging = Path(tmp)
        written: list[Path] = []
        jobs = _updated_jobs(state, rendered, new_jobs)
        layout = BuildState(
            fingerprint=state.fingerprint,
            base_iri=state.base_iri,
            names=state.names,
            listings=state.listings + new.listings,
            counts=counts,
            jobs=jobs,
            keys=state.keys,
            arxiv=state.arxiv,
            shared=dict(state.shared),
        )
        layout.keys.update((key, starts[-1] + index) for index, key in enumerate(new.keys))
        with clock("export"):
            if "jsonl" in names:
                written.append(_append_jsonl(out, staging, state, rendered, new_jobs, layout))
            if "rdf" in names:
                written += _append_nt(out, staging, state, rendered, entities, old, layout, store)
            if "neo4j" in names:
                written += _append_neo4j(out, staging, state, rendered, entities, layout)
        (staging / STATE).mkdir()
        save_state(staging / STATE, layout, raw, pickle.dumps(resolver, protocol=-1))
        replace_outputs(staging, out, written)
        for item in sorted((staging / STATE).iterdir()):
            item.replace(folder / item.name)
    return {
        "listings": layout.listings,
        "papers": counts["papers"],
        "duplicates_merged": layout.listings - counts["papers"],
        "entities": dict(sorted(Counter(e.type for e in entities).items())),
        **{k: counts[k] for k in ("proposed", "results", "quantities")},
        **{k: counts[k] for k in ("code_links", "project_links")},
        "triples": layout.triples,
        "added_papers": len(new.papers),
        "updated_papers": sum(len(v) for v in revised.values()),
        "rerendered": {name: sum(name in dirty[j] for j in dirty) for name in sorted(names)},
        "seconds": {k: round(v, 3) for k, v in sorted(clock.seconds.items())},
        "cpu_seconds": {k: round(v, 3) for k, v in sorted(clock.cpu.items())},
        "written": sorted(out / p.relative_to(staging) for p in written),
    }


def _revisions(
    new: NewListings, state: BuildState, starts: list[int], spill: Path
) -> dict[int, dict[int, Paper]]:
    """Known papers with new listings: their merged record, by job and position in it;
    refuse when a listing changes what extraction reads or the paper's id."""
    revised: dict[int, dict[int, Paper]] = defaultdict(dict)
    by_job: dict[int, list[int]] = defaultdict(list)
    for index in sorted(new.revisits):
        by_job[bisect_right(starts, index) - 1].append(index)
    for job, indexes in by_job.items():
        extractions = [x for loc in state.jobs[job].locations for x in _unspill(spill, loc)]
        for index in indexes:
            paper = copy.deepcopy(extractions[index - starts[job]].paper)
            before = _text(paper)
            for listing in new.revisits[index]:
                _merge_into(paper, listing)
            if _text(paper) != before:
                raise AppendRefused(
                    f"{new.revisits[index][0].listings[0].source}: a new listing of paper "
                    f"{before[0]} changes its text, links or id"
                )
            revised[job][index - starts[job]] = paper
    return dict(revised)


def _updated_jobs(
    state: BuildState, rendered: dict[int, Rendered], new_jobs: list[tuple[int, list[Location]]]
) -> list[JobState]:
    jobs = [copy.copy(job) for job in state.jobs]
    for number, part in rendered.items():
        if number >= len(jobs):
            continue
        job = jobs[number]
        job.refs = part.refs
        if part.locations is not None:
            job.locations = part.locations
        if part.claims is not None:
            job.claims = part.claims
        if part.neo4j is not None:
            job.outperforms = part.neo4j[5]
            job.neo4j_kinds = part_kinds(part.neo4j)
    for number, locations in new_jobs:
        part = rendered[number]
        jobs.append(
            JobState(
                locations=locations,
                papers=sum(location[3] for location in locations),
                refs=part.refs,
                claims=part.claims or [],
                outperforms=part.neo4j[5] if part.neo4j is not None else [],
                neo4j_kinds=part_kinds(part.neo4j) if part.neo4j is not None else {},
            )
        )
    return jobs


def _append_jsonl(
    out: Path,
    staging: Path,
    state: BuildState,
    rendered: dict[int, Rendered],
    new_jobs: list[tuple[int, list[Location]]],
    layout: BuildState,
) -> Path:
    target = staging / "papers.jsonl"
    replaced = {
        j: part.jsonl.encode("utf-8")
        for j, part in rendered.items()
        if part.jsonl is not None and j < len(state.jobs)
    }
    appended = [(rendered[j].jsonl or "").encode("utf-8") for j, _ in new_jobs]
    layout.jsonl = splice_segments(out / "papers.jsonl", state.jsonl, replaced, appended, target)
    return target


def _aggregate(claims: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a, b, paper in claims:
        out[(a, b)].add(paper)
    return out


def _entity_lines(entities: Iterable[Entity], base: str) -> set[str]:
    return {nt_line(t) for e in entities for t in entity_lite(e, base)}


def _append_nt(
    out: Path,
    staging: Path,
    state: BuildState,
    rendered: dict[int, Rendered],
    entities: list[Entity],
    old: StreamingResolver,
    layout: BuildState,
    store: bool,
) -> list[Path]:
    """graph.nt (and the store): remove the lines that left, insert the new ones."""
    base = state.base_iri
    remove: set[str] = set()
    add: set[str] = set()
    for part in rendered.values():
        remove |= part.nt_old or set()
        add |= part.nt_new or set()
    before = {e.id: e for e in old.entity_of.values()}
    after = {e.id: e for e in entities}
    changed = {i for i in before.keys() | after.keys() if before.get(i) != after.get(i)}
    remove |= _entity_lines((before[i] for i in changed if i in before), base)
    add |= _entity_lines((after[i] for i in changed if i in after), base)
    remove |= claim_lines(_aggregate(c for job in state.jobs for c in job.claims), base)
    add |= claim_lines(_aggregate(c for job in layout.jobs for c in job.claims), base)
    target = staging / "graph.nt"
    done = splice_sorted(out / "graph.nt", remove - add, add - remove, target)
    if done.missing:
        raise AppendRefused(f"{out / 'graph.nt'}: lacks {len(done.missing)} lines it should have")
    layout.triples = (state.triples or 0) - done.removed + done.added
    written = [target]
    if store and (out / "store").is_dir():
        written.append(_update_store(out / "store", staging / "store", remove - add, add - remove))
    return written


def _update_store(old: Path, target: Path, remove: set[str], add: set[str]) -> Path:
    """A copy of the on-disk Oxigraph store (hard links: a RocksDB checkpoint) with the
    lines removed and added."""
    from pyoxigraph import RdfFormat, Store, parse

    try:
        source = Store(str(old))
    except OSError as err:
        raise AppendRefused(f"{old}: cannot open the Oxigraph store (in use?): {err}") from err
    source.backup(str(target))
    del source
    store = Store(str(target))
    if remove:
        for quad in parse("".join(sorted(remove)), format=RdfFormat.N_TRIPLES):
            store.remove(quad)
    if add:
        store.bulk_extend(parse("".join(sorted(add)), format=RdfFormat.N_TRIPLES))
    store.flush()
    del store
    return target


def _job_rows(
    part: Neo4jPart, job: int, shared: dict[str, int], new: bool
) -> dict[TableKey, list[Any]]:
    """A rendered part's rows per table, as the full build would emit them."""
    rows: dict[TableKey, list[Any]] = defaultdict(list)

    def first(node: str) -> bool:
        return shared.setdefault(node, job) == job if new else shared.get(node) == job

    for key, text, _ in part_rows(part, first):
        rows[key].extend(json.loads(line) for line in text.splitlines())
    return rows


def _append_neo4j(
    out: Path,
    staging: Path,
    state: BuildState,
    rendered: dict[int, Rendered],
    entities: list[Entity],
    layout: BuildState,
) -> list[Path]:
    """neo4j/: entity and outperforms tables written anew, the others spliced by job."""
    folder = staging / "neo4j"
    folder.mkdir()
    old_jobs = len(state.jobs)
    rows: dict[int, dict[TableKey, list[Any]]] = {}
    for number in sorted(rendered):
        part = rendered[number].neo4j
        if part is not None:
            rows[number] = _job_rows(part, number, layout.shared, new=number >= old_jobs)
    kinds: dict[TableKey, Kinds] = {}
    for job in layout.jobs:
        for key, k in job.neo4j_kinds.items():
            merge_kinds(kinds.setdefault(key, {}), k)
    node_tables: list[NodeTable] = []
    rel_tables: list[RelTable] = []
    written: list[Path] = []
    entity_rows: dict[str, list[Any]] = defaultdict(list)
    for node, props_of in entity_nodes(entities):
        entity_rows[props_of["type"]].append([node, props_of])
    zeros = [0] * len(layout.jobs)
    outperforms = _aggregate(
        (a, b, p) for job in layout.jobs for a, b, papers in job.outperforms for p in papers
    )
    keys: set[TableKey] = set(kinds) | set(entity_rows)
    if outperforms:
        keys.add(("outperforms", "Method", "Method"))
    for key in sorted(k for k in keys if isinstance(k, str)):
        if key in ENTITY_TYPES:
            table = entity_rows[key]
            props = property_types((d for _, d in table), skip=NODE_SKIP)
            path = folder / table_file(key)
            ends = write_csv_in_segments(
                path, node_header(key, props), node_rows(table, key, props), [len(table), *zeros]
            )
        else:
            props = kinds[key]
            path, ends = _splice_table(out, folder, state, layout, rows, key, props)
        layout.tables[key] = ends
        node_tables.append(NodeTable(key, props))
        written.append(path)
    for key in sorted(k for k in keys if isinstance(k, tuple)):
        if key == ("outperforms", "Method", "Method"):
            table = list(outperforms_rows(outperforms))
            rel = RelTable(*key, property_types((d for *_, d in table), skip=REL_SKIP))
            path = folder / table_file(key)
            ends = write_csv_in_segments(path, rel_header(rel), rel_rows(table, rel), [0, *zeros])
        else:
            rel = RelTable(*key, kinds[key])
            path, ends = _splice_table(out, folder, state, layout, rows, key, rel.props)
        layout.tables[key] = ends
        rel_tables.append(rel)
        written.append(path)
    layout.table_kinds = {t.label: t.props for t in node_tables}
    layout.table_kinds.update({(t.type, t.start, t.end): t.props for t in rel_tables})
    written += write_scripts(folder, node_tables, rel_tables)
    return written


def _csv_bytes(key: TableKey, props: Kinds, data: list[Any], header: bool = False) -> bytes:
    """CSV rows of a table (or its header row) as the full build writes them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if isinstance(key, tuple):
        rel = RelTable(*key, props)
        writer.writerows([rel_header(rel)] if header else rel_rows(data, rel))
    else:
        writer.writerows([node_header(key, props)] if header else node_rows(data, key, props))
    return buffer.getvalue().encode("utf-8")


def _splice_table(
    out: Path,
    folder: Path,
    state: BuildState,
    layout: BuildState,
    rows: dict[int, dict[TableKey, list[Any]]],
    key: TableKey,
    props: Kinds,
) -> tuple[Path, list[int]]:
    """A table whose rows come from the jobs: old jobs' bytes kept, others formatted."""
    path = folder / table_file(key)
    old_jobs = len(state.jobs)
    replaced = {
        job: _csv_bytes(key, props, table.get(key, []))
        for job, table in rows.items()
        if job < old_jobs
    }
    appended = [
        _csv_bytes(key, props, rows.get(job, {}).get(key, []))
        for job in range(old_jobs, len(layout.jobs))
    ]
    if key not in state.tables:  # a table the old build did not have
        header = _csv_bytes(key, props, [], header=True)
        ends = [0] * (old_jobs + 1)
        return path, splice_segments(Path(os.devnull), ends, replaced, appended, path, header)
    if list(state.table_kinds[key].items()) != list(props.items()):
        raise AppendRefused(f"neo4j/{table_file(key)}: the new rows change its column types")
    old = out / "neo4j" / table_file(key)
    return path, splice_segments(old, state.tables[key], replaced, appended, path)
