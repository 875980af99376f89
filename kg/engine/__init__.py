"""Extraction engines: bounded batches run in-process, on a process pool or on a Dask
cluster, with an optional content-keyed cache. Every engine yields the same extractions in
input order, so the outputs do not depend on the engine or on ``--jobs``."""

from kg.engine.cache import ExtractionCache
from kg.engine.run import ENGINES, EngineOptions, extract_batches, extract_stream

__all__ = ["ENGINES", "EngineOptions", "ExtractionCache", "extract_batches", "extract_stream"]
