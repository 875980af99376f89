"""Stable paper identifiers."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NEW = r"\d{4}\.\d{4,5}"  # 2502.10248 (since April 2007)
_OLD = r"[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z-]{2,})?/\d{7}"  # cond-mat/0412498, math.GT/0309136
ARXIV_ID = re.compile(rf"({_NEW}|{_OLD})(?:v(\d+))?")
"""An arXiv identifier, new or old style, with an optional version (``v2``)."""
_IN_TEXT = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf|html)/|\barxiv:\s*|^)({_NEW}|{_OLD})(?:v(\d+))?(?![\d/])",
    re.IGNORECASE,
)


def title_key(title: str) -> str:
    """A title folded for duplicate detection: case, accents, spacing and punctuation ignored."""
    text = unicodedata.normalize("NFKD", title).casefold()
    return re.sub(r"[\W_]+", "", text)


def arxiv_id(text: str) -> tuple[str, int | None] | None:
    """The arXiv id (without version) and version in an id, ``arXiv:`` reference or
    arxiv.org abs/pdf URL (``http://arxiv.org/abs/cond-mat/0412498v1`` -> ``cond-mat/0412498``,
    1), or None."""
    text = text.strip()
    match = _IN_TEXT.search(text)
    if match is None:
        match = re.search(rf"(?<![\w./])({_NEW})(?:v(\d+))?(?![\w/])", text)
        if match is None:
            return None
    return match.group(1), int(match.group(2)) if match.group(2) else None


def paper_id(title: str, raw_id: str | None = None) -> str:
    """The arXiv id when ``raw_id`` holds one, else ``raw_id`` made safe, else a short hash
    of the folded title."""
    if raw_id:
        found = arxiv_id(raw_id)
        if found:
            return found[0]
        return re.sub(r"[^\w.-]+", "-", raw_id).strip("-")
    return "t" + hashlib.sha1(title_key(title).encode()).hexdigest()[:12]
