"""Ingest stage: read paper listings in any supported format into ``Paper`` records.

Readers are plugins registered by name (see ``registry``); ``read_paths`` expands folders,
detects each file's format, reads every file and merges repeated papers.
"""

from kg.ingest.dedup import merge_papers
from kg.ingest.registry import READERS, detect_format, read_file, register_reader
from kg.ingest.sources import expand_paths, read_paths

__all__ = [
    "READERS",
    "detect_format",
    "expand_paths",
    "merge_papers",
    "read_file",
    "read_paths",
    "register_reader",
]
