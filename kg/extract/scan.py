"""Regex scanning that starts at word boundaries, faster than a leading ``\\b``.

Python's regex engine cannot skip ahead for a pattern that opens with ``\\b`` before an
alternation, so it tries a full match at every character. ``word_matches`` runs the same
pattern without the ``\\b`` and drops matches that start inside a word: the same matches as
``re.finditer(r"\\b" + pattern)`` when every alternative begins with a word character.
When every match also begins with one of a few known words (``starts``), ``WordPattern``
tries the pattern only where ``str.find`` sees one of them, which is faster still.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from spacy.tokens import Doc

from kg.extract.sentences import folded_text, text_of


def word_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    r"""Compile ``pattern`` (which starts with ``\b``) for ``word_matches``."""
    if not pattern.startswith(r"\b"):
        raise ValueError(f"pattern does not start with \\b: {pattern[:30]!r}")
    return re.compile(pattern[2:], flags)


def _inside_word(text: str, start: int) -> bool:
    return start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_")


def word_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Non-overlapping matches of ``pattern`` that start at a word boundary."""
    pos = 0
    search = pattern.search
    while True:
        match = search(text, pos)
        if match is None:
            return
        start = match.start()
        if _inside_word(text, start):
            pos = start + 1
            continue
        yield match
        pos = max(match.end(), start + 1)


def occurrences(text: str, words: tuple[str, ...]) -> list[int]:
    """Where any of ``words`` occurs in ``text``, sorted (each position once)."""
    found = set()
    for word in words:
        at = text.find(word)
        while at >= 0:
            found.add(at)
            at = text.find(word, at + 1)
    return sorted(found)


def matches_at(
    pattern: re.Pattern[str], text: str, candidates: list[int]
) -> Iterator[re.Match[str]]:
    """``word_matches(pattern, text)`` for a pattern that can match only at ``candidates``
    (sorted): non-overlapping matches tried there, at word starts only."""
    end = 0
    for at in candidates:
        if at < end or _inside_word(text, at):
            continue
        match = pattern.match(text, at)
        if match:
            end = max(match.end(), at + 1)
            yield match


class WordPattern:
    r"""A pattern that opens with ``\b``, scanned with ``word_matches``, or with
    ``started_matches`` when ``starts`` lists the words every match begins with (as
    written: lower-case words for a pattern run on lower-cased text)."""

    def __init__(self, pattern: str, flags: int = 0, starts: tuple[str, ...] = ()) -> None:
        self.regex = word_pattern(pattern, flags)
        self.starts = starts

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Non-overlapping matches that start at a word boundary."""
        if self.starts:
            return matches_at(self.regex, text, occurrences(text, self.starts))
        return word_matches(self.regex, text)


class CaselessPattern:
    """A case-insensitive pattern, run on the doc's cached lower-cased text when that text is
    ASCII (the same matches, faster: no case folding per character), else with ``re.I``.
    ``word_start``: the pattern opens with ``\\b`` and is scanned as a ``WordPattern`` (with
    ``starts``, lower-case words every match begins with)."""

    def __init__(self, pattern: str, word_start: bool = False, starts: tuple[str, ...] = ()):
        self.anycase = re.compile(pattern, re.I)
        self.lower = WordPattern(pattern, starts=starts) if word_start else re.compile(pattern)

    def in_span(self, doc: Doc, start: int, end: int) -> Iterator[re.Match[str]]:
        """Matches in ``doc``'s text between ``start`` and ``end`` (offsets from ``start``)."""
        folded = folded_text(doc)
        if folded is None:
            return self.anycase.finditer(text_of(doc)[start:end])
        if isinstance(self.lower, WordPattern) and self.lower.starts:
            # The start words are looked for once in the whole text (cached on the doc):
            # str.find costs about as much on a sentence as on the text.
            cache: dict[object, list[int]] = doc.user_data.setdefault("kg_starts", {})
            found = cache.get(self.lower.starts)
            if found is None:
                found = cache[self.lower.starts] = occurrences(folded, self.lower.starts)
            within = found[bisect_left(found, start) : bisect_left(found, end)]
            if not within:
                return iter(())
            return matches_at(self.lower.regex, folded[start:end], [at - start for at in within])
        return self.lower.finditer(folded[start:end])
