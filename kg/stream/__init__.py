"""Streaming build for large corpora: flat memory, incremental writers, on-disk store."""

from kg.resolve.entities import StreamingResolver
from kg.stream.build import stream_build
from kg.stream.ingest import PaperStream, iter_listings

__all__ = ["PaperStream", "StreamingResolver", "iter_listings", "stream_build"]
