"""Where the words of a closed list occur in a doc, found from its token hashes.

A regex alternation of many words, or one ``str.find`` loop per word, costs more than
comparing the doc's token hashes (``ORTH``, which spaCy has already computed) with the
list's: one ``numpy.searchsorted`` a doc. Words are matched as written (lower-case words
match lower-case occurrences) and as whole words, not inside a hyphenated one; words that
spaCy splits into several tokens ("speed-up") are looked for with ``str.find``.
"""

from __future__ import annotations

import numpy
from spacy.attrs import IDX, ORTH
from spacy.strings import StringStore
from spacy.tokens import Doc

from kg.extract.sentences import text_of

Found = tuple[int, int, str]  # (start, end, word)


class WordIndex:
    """The occurrences of ``words`` in a doc (cached on the doc under ``name``)."""

    def __init__(self, strings: StringStore, words: frozenset[str] | tuple[str, ...], name: str):
        plain = sorted(w for w in words if "-" not in w)
        self.by_hash = {strings.add(w): w for w in plain}
        self.hashes = numpy.asarray(sorted(self.by_hash), dtype="uint64")
        self.hyphenated = sorted(w for w in words if "-" in w)
        self.key = f"kg_words_{name}"

    def find(self, doc: Doc) -> list[Found]:
        """(start, end, word) of every whole-word occurrence, sorted by start."""
        cached: list[Found] | None = doc.user_data.get(self.key)
        if cached is not None:
            return cached
        text = text_of(doc)
        found: list[Found] = []
        if len(doc) and len(self.hashes):
            array = doc.user_data.get("kg_orth_idx")
            if array is None:  # (one token array a doc, for every index)
                array = doc.user_data["kg_orth_idx"] = doc.to_array([ORTH, IDX])
            orth = array[:, 0]
            slots = numpy.searchsorted(self.hashes, orth).clip(max=len(self.hashes) - 1)
            for i in numpy.flatnonzero(self.hashes[slots] == orth).tolist():
                word = self.by_hash[int(array[i, 0])]
                start = int(array[i, 1])
                end = start + len(word)
                before = text[start - 1] if start else " "
                after = text[end] if end < len(text) else " "
                if not (before.isalnum() or before == "-" or after.isalnum() or after in "@-"):
                    found.append((start, end, word))
        for word in self.hyphenated:
            pos = text.find(word)
            while pos >= 0:
                stop = pos + len(word)
                if not (pos and text[pos - 1].isalnum()) and not text[stop : stop + 1].isalnum():
                    found.append((pos, stop, word))
                pos = text.find(word, stop)
        found.sort()
        doc.user_data[self.key] = found
        return found

    def within(self, doc: Doc, start: int, end: int) -> list[Found]:
        """The occurrences in ``[start, end)``."""
        return [f for f in self.find(doc) if start <= f[0] and f[1] <= end]
