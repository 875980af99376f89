"""Streaming build for large corpora: flat memory, incremental writers, on-disk store, and
appends that redo only what new listings change."""

from kg.resolve.entities import StreamingResolver
from kg.stream.append import stream_append
from kg.stream.build import stream_build
from kg.stream.ingest import PaperStream, iter_listings
from kg.stream.state import AppendRefused

__all__ = [
    "AppendRefused",
    "PaperStream",
    "StreamingResolver",
    "iter_listings",
    "stream_append",
    "stream_build",
]
