"""Regex scanning that starts at word boundaries, faster than a leading ``\\b``.

Python's regex engine cannot skip ahead for a pattern that opens with ``\\b`` before an
alternation, so it tries a full match at every character. ``word_matches`` runs the same
pattern without the ``\\b`` and drops matches that start inside a word: the same matches as
``re.finditer(r"\\b" + pattern)`` when every alternative begins with a word character.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Doc

from kg.extract.sentences import folded_text, text_of


def word_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    r"""Compile ``pattern`` (which starts with ``\b``) for ``word_matches``."""
    if not pattern.startswith(r"\b"):
        raise ValueError(f"pattern does not start with \\b: {pattern[:30]!r}")
    return re.compile(pattern[2:], flags)


def word_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Non-overlapping matches of ``pattern`` that start at a word boundary."""
    pos = 0
    search = pattern.search
    while True:
        match = search(text, pos)
        if match is None:
            return
        start = match.start()
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            pos = start + 1
            continue
        yield match
        pos = max(match.end(), start + 1)


class CaselessPattern:
    """A case-insensitive pattern, run on the doc's cached lower-cased text when that text is
    ASCII (the same matches, faster: no case folding per character), else with ``re.I``.
    ``word_start``: the pattern opens with ``\\b`` and is scanned with ``word_matches``."""

    def __init__(self, pattern: str, word_start: bool = False) -> None:
        self.anycase = re.compile(pattern, re.I)
        self.lower = word_pattern(pattern) if word_start else re.compile(pattern)
        self.word_start = word_start

    def in_span(self, doc: Doc, start: int, end: int) -> Iterator[re.Match[str]]:
        """Matches in ``doc``'s text between ``start`` and ``end`` (offsets from ``start``)."""
        folded = folded_text(doc)
        if folded is None:
            return self.anycase.finditer(text_of(doc)[start:end])
        if self.word_start:
            return word_matches(self.lower, folded[start:end])
        return self.lower.finditer(folded[start:end])
