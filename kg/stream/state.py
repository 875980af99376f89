"""What a streaming build keeps so that ``kg add`` can append to it (``kg.stream.append``).

A build with a cache leaves ``OUT/.kg-state/``: its spilled extractions (unresolved, in the
order they were extracted), the resolver before and after ``finish``, and, for each pass-2
job (a run of about 256 consecutive papers), where its bytes lie in every output file and
what it points to. An append re-renders only the jobs whose entities changed and splices
the rest of every file as it is."""

from __future__ import annotations

import pickle
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.engine.cache import extractor_fingerprint
from kg.errors import KgError


class AppendRefused(KgError):
    """This append cannot be done in place; a full rebuild gives the right output."""


STATE = ".kg-state"
VERSION = 3  # 2: spilled batches are LZ4 frames (were zlib)
Location = tuple[str, int, int, int]
"""Where a spilled batch of extractions is: file name, offset, length, papers."""
Claim = tuple[str, str, str]
"""An ``outperforms`` claim of the N-Triples export: winner id, baseline id, paper id."""
Outperforms = tuple[str, str, list[str]]
"""An ``outperforms`` edge of the Neo4j export: winner id, baseline id, papers."""


@dataclass
class JobState:
    """One pass-2 job: its spilled batches and what its papers point to and bring."""

    locations: list[Location]
    papers: int
    refs: list[str]  # ids of the entities its papers point to
    claims: list[Claim]
    outperforms: list[Outperforms]
    neo4j_kinds: dict[Any, dict[str, Any]]  # property kinds it brought, per Neo4j table


@dataclass
class BuildState:
    """Everything an append needs besides the outputs themselves."""

    fingerprint: str
    base_iri: str
    names: tuple[str, ...]  # the streamed writers that ran
    listings: int
    counts: Counter[str]
    jobs: list[JobState]
    keys: dict[int, int]  # duplicate key -> paper index
    arxiv: dict[str, int]  # arXiv id -> duplicate key
    jsonl: list[int] = field(default_factory=list)  # where each job's lines end
    tables: dict[Any, list[int]] = field(default_factory=dict)  # Neo4j: segment ends
    table_kinds: dict[Any, dict[str, Any]] = field(default_factory=dict)
    shared: dict[str, int] = field(default_factory=dict)  # shared Neo4j node -> first job
    triples: int | None = None
    graphs: tuple[str, ...] = ()  # the whole-graph writers asked for
    graph_limit: int = 0  # papers up to which they are written
    version: int = VERSION


def fingerprint(fast: bool) -> str:
    return f"{VERSION}:{extractor_fingerprint(fast).hex()}"


def _write(path: Path, value: Any) -> None:
    path.write_bytes(zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1))


def _read(path: Path) -> Any:
    return pickle.loads(zlib.decompress(path.read_bytes()))


def save_state(folder: Path, state: BuildState, resolver_raw: bytes, resolver: bytes) -> None:
    """Write the state into ``folder`` (which already holds the spill, in ``spill/``)."""
    folder.mkdir(exist_ok=True)
    _write(folder / "build.pickle", state)
    (folder / "resolver-raw.pickle").write_bytes(zlib.compress(resolver_raw, 1))
    (folder / "resolver.pickle").write_bytes(zlib.compress(resolver, 1))


def load_state(folder: Path) -> BuildState:
    state: BuildState = _read(folder / "build.pickle")
    return state


def load_resolver(folder: Path, raw: bool) -> Any:
    """The resolver as it was before (``raw``) or after ``finish``."""
    return _read(folder / ("resolver-raw.pickle" if raw else "resolver.pickle"))
