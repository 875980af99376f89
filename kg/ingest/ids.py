"""Stable paper identifiers."""

from __future__ import annotations

import hashlib
import re
import unicodedata

ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5})(?:v\d+)?")


def title_key(title: str) -> str:
    """A title folded for duplicate detection: case, accents, spacing and punctuation ignored."""
    text = unicodedata.normalize("NFKD", title).casefold()
    return re.sub(r"[\W_]+", "", text)


def paper_id(title: str, arxiv_id: str | None = None) -> str:
    """The arXiv id when known, otherwise a short hash of the folded title."""
    if arxiv_id:
        match = ARXIV_ID.search(arxiv_id)
        if match:
            return match.group(1)
        return re.sub(r"[^\w.-]+", "-", arxiv_id).strip("-")
    return "t" + hashlib.sha1(title_key(title).encode()).hexdigest()[:12]
