"""What ``kg add`` does for each streamed writer, registered by the writer's format name.

A build feeds every streamed writer (``kg.export.registry``). When it keeps its state, the
appender of each writer records what an append needs: where the writer put each job's bytes
(``record``) and what each job's part brought (``job_fields``). An append
(``kg.stream.append``) asks the appenders of the build's writers to check that their output
is as the build left it (``check``), to render the jobs that changed and the new ones
(``render``) and to splice their output from the old one (``patch``). A streamed writer with
no appender is written again from the spilled papers (``kg.stream.whole.rewrite_from_spill``).
Adding a format that appends in place is its writer, its appender and their tests."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from kg.export.jsonl import JsonlWriter
from kg.export.neo4j_csv import Neo4jWriter, part_kinds, table_file
from kg.export.ntriples import nt_lines
from kg.export.registry import Item
from kg.model import Entity
from kg.resolve.entities import StreamingResolver
from kg.stream.patch import patch_jsonl, patch_neo4j, patch_nt
from kg.stream.state import STATE, AppendRefused, BuildState, JobState, Location


@dataclass
class Rendered:
    """A job rendered again (or new) for the writers that need it."""

    job: int
    refs: list[str]
    parts: dict[str, Any] = field(default_factory=dict)  # writer name -> its appender's part
    counts: Counter[str] = field(default_factory=Counter)
    locations: list[Location] | None = None


@dataclass
class Splice:
    """What an appender's ``patch`` works from."""

    out: Path
    staging: Path
    state: BuildState  # as the last build or append left it
    layout: BuildState  # after this append (each appender fills in its own layout)
    rendered: dict[int, Rendered]
    new_jobs: list[tuple[int, list[Location]]]
    entities: list[Entity]  # the new entity table
    old: StreamingResolver  # the resolver before this append
    store: bool

    def parts(self, name: str) -> dict[int, Any]:
        """Job -> the part ``name``'s appender rendered, for the jobs it rendered."""
        return {j: r.parts[name] for j, r in self.rendered.items() if name in r.parts}


Before = Callable[[], list[Item]]
"""A re-rendered job's items under the old resolver (what its old bytes said)."""


class Appender(Protocol):
    aliases: bool  # re-render a job when only an entity's aliases changed

    def check(self, out: Path, state: BuildState, store: bool) -> None: ...
    def render(
        self, items: list[Item], base: str, spill: Path, job: int, before: Before | None
    ) -> Any: ...
    def job_fields(self, part: Any) -> dict[str, Any]: ...
    def record(self, state: BuildState, writer: Any) -> None: ...
    def patch(self, splice: Splice) -> list[Path]: ...


APPENDERS: dict[str, Appender] = {}
A = TypeVar("A")


def register_appender(name: str) -> Callable[[type[A]], type[A]]:
    def decorate(cls: type[A]) -> type[A]:
        APPENDERS[name] = cls()  # type: ignore[assignment]
        return cls

    return decorate


def appenders(names: tuple[str, ...]) -> dict[str, Appender]:
    """The appenders of those of a build's streamed writers that have one."""
    return {name: APPENDERS[name] for name in names if name in APPENDERS}


def fill_job(job: JobState, parts: dict[str, Any]) -> None:
    """Set what each writer's part of a job brought (``parts``: writer name -> part)."""
    for name, part in parts.items():
        appender = APPENDERS.get(name)
        if appender is not None:
            for key, value in appender.job_fields(part).items():
                setattr(job, key, value)


def new_job(locations: list[Location], refs: list[str], parts: dict[str, Any]) -> JobState:
    """The state of a job just rendered (``parts``: writer name -> part)."""
    job = JobState(
        locations=locations,
        papers=sum(location[3] for location in locations),
        refs=refs,
        claims=[],
        outperforms=[],
        neo4j_kinds={},
    )
    fill_job(job, parts)
    return job


def _sized(out: Path, path: Path, size: int, exact: bool = True) -> None:
    """``path`` has the size the state says (at least that size: ``exact`` False)."""
    now = path.stat().st_size if path.is_file() else -1
    if now < 0 or (now != size if exact else now < size):
        raise AppendRefused(f"{path}: changed since the build that left {out / STATE}")


@register_appender("jsonl")
class JsonlAppender:
    aliases = True  # (papers.jsonl lists each mention's aliases)

    def check(self, out: Path, state: BuildState, store: bool) -> None:
        _sized(out, out / "papers.jsonl", state.jsonl[-1])

    def render(
        self, items: list[Item], base: str, spill: Path, job: int, before: Before | None
    ) -> Any:
        return JsonlWriter.render(items, base, spill, job)

    def job_fields(self, part: Any) -> dict[str, Any]:
        return {}

    def record(self, state: BuildState, writer: Any) -> None:
        state.jsonl = writer.offsets

    def patch(self, splice: Splice) -> list[Path]:
        s = splice
        return [patch_jsonl(s.out, s.staging, s.state, s.parts("jsonl"), s.new_jobs, s.layout)]


@register_appender("rdf")
class NTriplesAppender:
    aliases = False

    def check(self, out: Path, state: BuildState, store: bool) -> None:
        if not (out / "graph.nt").is_file():
            raise AppendRefused(f"{out / 'graph.nt'}: missing")
        if store and not (out / "store").is_dir():
            raise AppendRefused(f"{out / 'store'}: missing")

    def render(
        self, items: list[Item], base: str, spill: Path, job: int, before: Before | None
    ) -> Any:
        """(lines, claims, the lines it had before: those leave ``graph.nt``)."""
        lines, claims = nt_lines(items, base)
        return lines, claims, nt_lines(before(), base)[0] if before is not None else None

    def job_fields(self, part: Any) -> dict[str, Any]:
        return {"claims": part[1]}

    def record(self, state: BuildState, writer: Any) -> None:
        pass  # (graph.nt is spliced by its lines: the build's triple count is in the state)

    def patch(self, splice: Splice) -> list[Path]:
        s = splice
        parts = s.parts("rdf")
        return patch_nt(s.out, s.staging, s.state, parts, s.entities, s.old, s.layout, s.store)


@register_appender("neo4j")
class Neo4jAppender:
    aliases = False

    def check(self, out: Path, state: BuildState, store: bool) -> None:
        for key, ends in state.tables.items():
            _sized(out, out / "neo4j" / table_file(key), ends[-1], exact=False)

    def render(
        self, items: list[Item], base: str, spill: Path, job: int, before: Before | None
    ) -> Any:
        return Neo4jWriter.render(items, base, spill, job)

    def job_fields(self, part: Any) -> dict[str, Any]:
        return {"outperforms": part[5], "neo4j_kinds": part_kinds(part)}

    def record(self, state: BuildState, writer: Any) -> None:
        state.tables = writer.segments
        state.table_kinds = {t.label: t.props for t in writer.node_tables}
        state.table_kinds.update({(t.type, t.start, t.end): t.props for t in writer.rel_tables})
        state.shared = writer.shared

    def patch(self, splice: Splice) -> list[Path]:
        s = splice
        return patch_neo4j(s.out, s.staging, s.state, s.parts("neo4j"), s.entities, s.layout)
