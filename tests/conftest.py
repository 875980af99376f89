"""Shared fixtures: the seed corpus built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg
from kg.api import KnowledgeGraph

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
INPUTS = Path(__file__).parent / "data" / "inputs"


@pytest.fixture(scope="session")
def seed_graph() -> KnowledgeGraph:
    return kg.build([SEEDS])


@pytest.fixture(scope="session")
def seed_exports(seed_graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    seed_graph.export(out)
    return out


def paper_by_title(graph: KnowledgeGraph, prefix: str):  # type: ignore[no-untyped-def]
    return next(x for x in graph.corpus.extractions if x.paper.title.startswith(prefix))
