"""Append new listings to a streamed build (``kg add``) in time proportional to what changes.

A build made with ``keep_state`` (``kg build --stream --cache DIR``) leaves its state in
``OUT/.kg-state`` (``kg.stream.state``). An append then

1. reads only the new listings; a listing of a paper already in the graph that brings only
   new listing metadata (a date, a file) updates that paper; one that changes its text or
   links makes the append give way to a full rebuild (``AppendRefused``);
2. extracts the new papers (through the cache), adds their names to the saved resolver and
   finishes it again, which gives the new entity table;
3. compares it with the old table: a job (about 256 consecutive papers) is re-rendered for
   every output if one of its entities changed its id, name or proposers (or a name of its
   now resolves elsewhere), and for the outputs that list aliases (``papers.jsonl``) if only
   those changed;
4. has each streamed writer's appender (``kg.stream.appenders``, registered by the writer's
   name) splice its output: unchanged jobs' bytes are copied as they are, re-rendered and
   new jobs' bytes written; ``graph.nt`` gets exactly the lines that left (old renderings of
   the re-rendered papers, old entity and claim lines) removed and the new ones inserted in
   order, and the Oxigraph store the same removals and insertions. A streamed writer with
   no appender is written again from the spilled papers.

The result is byte for byte what a full build of the old and new inputs writes."""

from __future__ import annotations

import copy
import pickle
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any

from kg.engine import EngineOptions
from kg.engine.batching import windowed
from kg.export.registry import Item, replace_outputs
from kg.export.staging import locked
from kg.export.staging import staging as staging_folder
from kg.ingest import expand_paths, merge_papers
from kg.ingest.dedup import merge_into
from kg.model import Extraction, Paper
from kg.resolve.entities import StreamingResolver
from kg.resolve.lineage import first_day
from kg.stream.appenders import APPENDERS, Rendered, Splice, appenders, fill_job, new_job
from kg.stream.build import (
    Progress,
    job_runs,
    pass_one,
    worker_pool,
)
from kg.stream.clock import Clock
from kg.stream.ingest import duplicate_key, iter_listings
from kg.stream.spill import spill_batch, unspill_batch
from kg.stream.state import (
    STATE,
    AppendRefused,
    BuildState,
    JobState,
    Location,
    fingerprint,
    load_resolver,
    load_state,
    save_state,
)
from kg.stream.summary import BuildSummary, paper_counts
from kg.stream.whole import rebuild_whole_graph, refs_of, resolved_items, rewrite_from_spill

TEXT_FIELDS = ("id", "title", "abstract", "code_urls", "project_urls", "comment")
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
            merge_into(by_key[key], listing)
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


def _extractions(views: Views, job: int, locations: list[Location], new: bool) -> list[Extraction]:
    """A job's unresolved extractions; ``new`` ones carry the papers' updated listings."""
    extractions = [x for location in locations for x in unspill_batch(views.spill, location)]
    if new:
        for position, paper in views.revised.get(job, {}).items():
            extractions[position].paper = paper
    return extractions


def _render(job: int, locations: list[Location], writers: frozenset[str], stale: bool) -> Rendered:
    """Render one job (old or new) for ``writers``; a ``stale`` old job's appenders may also
    read what its papers were under the old resolver (the lines that leave ``graph.nt``)."""
    views = _APPEND
    assert views is not None, "the append state is set before the pool forks"
    fresh = _extractions(views, job, locations, new=True)
    out = Rendered(job, [])
    if job in views.revised:
        out.locations = [spill_batch(views.spill, fresh)[0]]
    items = resolved_items(views.new, fresh)
    out.refs = refs_of(items)
    for x, _ in items:
        out.counts.update(paper_counts(x))

    def before() -> list[Item]:
        return resolved_items(views.old, _extractions(views, job, locations, new=False))

    for name in sorted(writers):
        appender = APPENDERS[name]
        out.parts[name] = appender.render(
            items, views.base, views.spill, job, before if stale else None
        )
    return out


def _changed_entities(old: StreamingResolver, new: StreamingResolver) -> tuple[set[str], set[str]]:
    """Ids of old entities whose papers must be rendered again: (for the graph files: the id,
    name or proposing papers changed, or a name now resolves elsewhere; for papers.jsonl:
    those and aliases)."""
    graph: set[str] = set()
    text: set[str] = set()
    now = {e.id: e for e in new.entity_of.values()}
    for entity in old.entity_of.values():
        after = now.get(entity.id)
        if after is None or (after.type, after.name, after.proposed_by) != (
            entity.type,
            entity.name,
            entity.proposed_by,
        ):
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


def stream_append(
    paths: Iterable[str | Path],
    out: Path,
    fmt: str | None = None,
    options: EngineOptions | None = None,
    store: bool = False,
    progress: Progress | None = None,
) -> BuildSummary:
    """Add the listings in ``paths`` to the streamed build in ``out``; returns the summary
    (as ``stream_build``'s, plus ``rerendered``: jobs rendered again per output).

    Raises ``AppendRefused`` when only a full rebuild gives the right output (no state, a
    different extractor, outputs edited since, a listing that changes a known paper's text,
    a Neo4j column whose type the new rows change)."""
    with locked(out):
        return _append(paths, out, fmt, options or EngineOptions(), store, progress)


def _append(
    paths: Iterable[str | Path],
    out: Path,
    fmt: str | None,
    options: EngineOptions,
    store: bool,
    progress: Progress | None,
) -> BuildSummary:
    folder = out / STATE
    if not (folder / "build.pickle").is_file():
        raise AppendRefused(f"{out}: no append state ({folder}); build with --stream --cache")
    try:
        state = load_state(folder)
    except Exception as err:
        raise AppendRefused(f"{folder}: unreadable ({err})") from err
    if state.fingerprint != fingerprint(options.fast):
        raise AppendRefused("the extractor changed since the last build (code, model or --fast)")
    writers = appenders(state.names)
    for appender in writers.values():
        appender.check(out, state, store)
    clock = Clock()
    with clock("parse"):
        new = read_new(list(expand_paths(paths)), fmt, state)
    starts = [0, *accumulate(job.papers for job in state.jobs)]
    revised = _revisions(new, state, starts, folder / "spill")
    spill = folder / "spill"
    with clock("resolve"):
        resolver: StreamingResolver = load_resolver(folder, raw=True)
        moved = _move_days(revised, resolver)
    locations = pass_one(new.papers, len(new.papers), options, spill, resolver, clock, progress)
    with clock("resolve"):
        raw = pickle.dumps(resolver, protocol=pickle.HIGHEST_PROTOCOL)
        entities = sorted(resolver.finish().values(), key=lambda e: e.id)
        old: StreamingResolver = load_resolver(folder, raw=False)
        graph_changed, text_changed = _changed_entities(old, resolver)
        # (the papers that use what a paper whose first day moved proposes: their lineage)
        moved_ids = {resolver.entity_of[resolver.uf.find(node)].id for node in moved}
        graph_changed |= moved_ids
        text_changed |= moved_ids
    # Old jobs rendered again: for every output when an entity they point to changed its
    # id, name or proposers (stale), for the outputs that list aliases when those changed.
    dirty: dict[int, set[str]] = {}
    stale: set[int] = set()
    names = set(writers)
    for number, job in enumerate(state.jobs):
        refs = set(job.refs)
        if number in revised or refs & graph_changed:
            dirty[number] = names
            stale.add(number)
        elif refs & text_changed:
            dirty[number] = {name for name in names if writers[name].aliases}
    new_jobs = [(len(state.jobs) + number, job) for number, job in job_runs(locations)]
    work = [
        (number, state.jobs[number].locations, frozenset(dirty[number]), number in stale)
        for number in sorted(dirty)
        if dirty[number]
    ] + [(number, job, frozenset(names), False) for number, job in new_jobs]
    global _APPEND
    _APPEND = Views(old, resolver, spill, state.base_iri, revised)
    rendered: dict[int, Rendered] = {}
    try:
        with clock("export"), worker_pool(options.workers) as run:
            window = 2 * options.workers + 1
            for part in windowed(work, lambda job: run(_render, *job), window):
                rendered[part.job] = part
    finally:
        _APPEND = None
    counts = Counter(state.counts)
    for number, _ in new_jobs:
        counts.update(rendered[number].counts)
    with staging_folder(out) as staging:
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
            graphs=state.graphs,
            graph_limit=state.graph_limit,
        )
        layout.keys.update((key, starts[-1] + index) for index, key in enumerate(new.keys))
        with clock("export"):
            splice = Splice(out, staging, state, layout, rendered, new_jobs, entities, old, store)
            for appender in writers.values():  # (in the build's order of writers)
                written += appender.patch(splice)
            written += rewrite_from_spill(layout, resolver, entities, spill, staging)
        with clock("graph"):
            more, notes = rebuild_whole_graph(layout, resolver, entities, spill, staging)
            written += more
        (staging / STATE).mkdir()
        save_state(staging / STATE, layout, raw, pickle.dumps(resolver, protocol=-1))
        replace_outputs(staging, out, written)
        for item in sorted((staging / STATE).iterdir()):
            item.replace(folder / item.name)
    return BuildSummary.of(
        layout.listings,
        counts,
        entities,
        triples=layout.triples,
        added_papers=len(new.papers),
        updated_papers=sum(len(v) for v in revised.values()),
        rerendered={name: sum(name in d for d in dirty.values()) for name in sorted(names)},
        seconds=clock.seconds,
        cpu_seconds=clock.cpu,
        written=sorted(out / p.relative_to(staging) for p in written),
        notes=notes,
    )


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
        extractions = [x for loc in state.jobs[job].locations for x in unspill_batch(spill, loc)]
        for index in indexes:
            paper = copy.deepcopy(extractions[index - starts[job]].paper)
            before = _text(paper)
            for listing in new.revisits[index]:
                merge_into(paper, listing)
            if _text(paper) != before:
                raise AppendRefused(
                    f"{new.revisits[index][0].listings[0].source}: a new listing of paper "
                    f"{before[0]} changes its text, links or id"
                )
            revised[job][index - starts[job]] = paper
    return dict(revised)


def _move_days(revised: dict[int, dict[int, Paper]], resolver: StreamingResolver) -> set[Any]:
    """Give the resolver the new first day of every revised paper that proposes methods or
    datasets (which earlier papers build on it may change); returns the names it proposes."""
    shifted: set[str] = set()
    for papers in revised.values():
        for paper in papers.values():
            day = first_day(paper)
            if paper.id in resolver.days and day != resolver.days[paper.id]:
                resolver.days[paper.id] = day
                shifted.add(paper.id)
    if not shifted:
        return set()
    return {node for node, pids in resolver.proposers.items() if pids & shifted}


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
        fill_job(job, part.parts)
    for number, locations in new_jobs:
        part = rendered[number]
        jobs.append(new_job(locations, part.refs, part.parts))
    return jobs
