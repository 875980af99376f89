"""Acronym definitions such as ``Direct Preference Optimization (DPO)``.

An implementation of Schwartz & Hearst (2003), "A simple algorithm for identifying
abbreviation definitions in biomedical text", on character offsets.
"""

from __future__ import annotations

import re

PAREN = re.compile(r"\(([^()]{1,20})\)")


NOT_SHORT = re.compile(r"[\d.,%]+|[ivx]+|[IVX]+")  # numbers and roman numerals
LIST_MARK = re.compile(r"[;,]")
ABBREVIATED = re.compile(r"[A-Za-z]\.|e\.g\.|i\.e\.")  # a full stop that ends no clause


def _valid_short(short: str) -> bool:
    return (
        2 <= len(short) <= 12
        and any(c.isupper() for c in short)
        and short[0].isalnum()
        and len(short.split()) <= 2
        and not NOT_SHORT.fullmatch(short)
    )


def _best_long_start(short: str, text: str, window_start: int) -> int | None:
    """Walk backwards matching the short form's characters (Schwartz & Hearst)."""
    s_index = len(short) - 1
    l_index = len(text) - 1
    while s_index >= 0:
        c = short[s_index].lower()
        if not c.isalnum():
            s_index -= 1
            continue
        while l_index >= window_start and (
            text[l_index].lower() != c
            or (s_index == 0 and l_index > window_start and text[l_index - 1].isalnum())
        ):
            l_index -= 1
        if l_index < window_start:
            return None
        l_index -= 1
        s_index -= 1
    start = l_index + 1
    # Extend to the start of the word the first character is in.
    while start > window_start and text[start - 1].isalnum():
        start -= 1
    return start


INITIALS_WORD = re.compile(r"[^\s-]+")
WORD = re.compile(r"\S+")
MINOR = frozenset({"of", "the", "and", "for", "a", "an", "in", "on", "to", "with", "via"})


def _initials_start(short: str, text: str, window_start: int) -> int | None:
    """Start of the words whose initials spell ``short`` (``Distilled Decoding`` for DD),
    tried before the character walk, which would settle for ``Decoding``."""
    letters = [c.lower() for c in short if c.isalpha()]
    # window_start follows white space, so no word straddles it.
    words = list(INITIALS_WORD.finditer(text, window_start))
    for n in range(len(letters), min(len(words), len(letters) + 3) + 1):
        tail = words[-n:]
        content = [w for w in tail if w.group(0).lower() not in MINOR]
        if tail[0].group(0).lower() in MINOR:
            continue
        if [w.group(0)[0].lower() for w in content] == letters:
            start = tail[0].start()
            # (a long form starts at a word: "Multi-Matrix Factorization Attention (MFA)",
            # not inside "Multi-Matrix")
            while start > window_start and text[start - 1] == "-":
                start = text.rfind(" ", window_start, start - 1) + 1 or window_start
            return start
    return None


def _last_words(text: str, n: int) -> list[re.Match[str]]:
    """The last ``n`` whitespace-separated words of ``text`` (all of them if fewer), found
    from a short tail of the text when that holds more than ``n`` words."""
    start = max(0, len(text) - 16 * n)
    tail = list(WORD.finditer(text, start))
    if start == 0 or len(tail) > n:  # more than n: the first, maybe cut, word is not kept
        return tail[-n:]
    return list(WORD.finditer(text))[-n:]


def find_abbreviations(text: str) -> list[tuple[int, int, int, int]]:
    """(long_start, long_end, short_start, short_end) for each ``Long Form (LF)`` in ``text``."""
    found = []
    for match in PAREN.finditer(text):
        short = match.group(1).strip()
        if ";" in short or "," in short:
            short = LIST_MARK.split(short)[0].strip()
        if not _valid_short(short):
            continue
        long_end = match.start()
        while long_end > 0 and text[long_end - 1] in " \t~\u00a0":  # ~ is a LaTeX space
            long_end -= 1
        # Only the last few words matter: look at a bounded window, not the whole prefix.
        offset = max(0, long_end - 600)
        before = text[offset:long_end]
        max_words = min(len(short) + 5, len(short) * 2)
        window = _last_words(before, max_words)
        if not window:
            continue
        # Do not cross a sentence or clause boundary.
        window_start = window[0].start()
        for w in window[:-1]:
            if w.group(0)[-1] in ".;:!?" and not ABBREVIATED.fullmatch(w.group(0)):
                window_start = w.end() + 1
        start = _initials_start(short, before, window_start)
        if start is None:
            start = _best_long_start(short, before, window_start)
        if start is None:
            continue
        long_form = before[start:]
        if len(long_form) <= len(short) or short.lower() in long_form.lower().split():
            continue
        short_start = match.start(1) + match.group(1).index(short)
        found.append((offset + start, long_end, short_start, short_start + len(short)))
    return found
