"""Coordinated names are of one kind: a list that holds datasets lists datasets.

* ``averaged over CMB, CMExam, MedQA and MedMCQA``, ``on CodeSearchNet and RepoQA``: a
  coined name that only its form or the default typed as a method is a dataset when the list
  it stands in names a dataset and no method an earlier component knows.
* ``four benchmark datasets (Multi-News, DUC-2004, PubMed, and WikiSum)``: the items of a
  bracketed list right after a data noun are datasets, named elsewhere or not.
"""

from __future__ import annotations

import itertools
import re

Entity = tuple[int, int, str]  # (start, end, label); "?": a default, "!": by form alone

# What joins the items of a list: ", ", ", and ", " and ", " or ".
JOINED = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)"
# What may stand between two items of a list: a joint, after an optional remark in
# brackets ("MultiWOZ 2.2 (5 domains) and SGD (20 domains)").
JOINT = re.compile(rf"(?:\s*\([^()]{{0,40}}\))?{JOINED}")
DATA_PAREN = re.compile(
    r"\b(?:datasets|benchmarks|corpora|data\s+sets|test\s+sets|suites)\s*\(\s*"
    r"(?:(?:e\.g\.|i\.e\.|including|such\s+as|namely)[,:]?\s+)?(?P<items>[^()]{3,200})\)",
    re.I,
)
ITEM_SPLIT = re.compile(JOINED)
# An item of such a list that is a name: it starts with a capital or a digit-led name and
# holds at most four words ("Multi-News", "DUC-2004", "MS MARCO"); not "5 domains".
ITEM_NAME = re.compile(r"[A-Z][\w.'&+-]*(?:\s[\w.'&+-]+){0,3}")
CODED = ("METHOD!", "METHOD?")  # (typed by form alone, or for want of evidence)


def _runs(everything: list[tuple[int, int, str, int]], text: str) -> list[list[int]]:
    """Indexes of ``everything`` grouped into coordinated runs (in text order)."""
    runs: list[list[int]] = []
    for index, (start, end, _, _) in enumerate(everything):
        if index and JOINT.fullmatch(text, everything[index - 1][1], start):
            before = everything[index - 1]
            if not _leading(text, before[0], before[1], start, end):
                runs[-1].append(index)
                continue
        runs.append([index])
    return runs


# "On ARC-AGI-2, GPT-5 Pro scores 54%": the comma ends a sentence's leading phrase.
LEADING_ON = re.compile(r"(?:^|[.!?]\s+)(?:On|For|Across|Over|In)\s+(?:the\s+)?$")
LIST_GOES_ON = re.compile(r"\s*(?:,|and\b|or\b)")


def _leading(text: str, first: int, first_end: int, start: int, end: int) -> bool:
    """``text[first:first_end]`` opens its sentence's ``On X,`` and the comma after it ends
    that phrase: the name at ``[start, end)`` goes on with no list."""
    return (
        text[first_end:start].strip() == ","
        and LEADING_ON.search(text, max(0, first - 12), first) is not None
        and LIST_GOES_ON.match(text, end) is None
    )


def typed_by_list(text: str, taken: list[Entity], found: list[Entity]) -> list[Entity]:
    """``found`` (the coined names) with the types their lists give; plus the unnamed items
    of bracketed data lists. ``taken``: the entities of earlier components (they win)."""
    labels = [label for _, _, label in found]
    # (source: the index in found, or -1 for an earlier component's entity)
    everything = sorted(
        [(s, e, label, -1) for s, e, label in taken]
        + [(s, e, label, i) for i, (s, e, label) in enumerate(found)]
    )
    for run in _runs(everything, text):
        if len(run) < 2:
            continue
        members = [everything[i] for i in run]
        data = any(label.rstrip("!") == "DATASET" for _, _, label, _ in members)
        known_method = any(label == "METHOD" and src < 0 for _, _, label, src in members)
        if data and not known_method:
            for _, _, label, src in members:
                if src >= 0 and label in CODED:
                    labels[src] = "DATASET"
    extra: list[Entity] = []
    spans = [(s, e) for s, e, _, _ in everything]
    for match in DATA_PAREN.finditer(text):
        pos = match.start("items")
        for piece in ITEM_SPLIT.split(match.group("items")):
            start = text.index(piece, pos) if piece else pos
            pos = start + len(piece)
            item = piece.strip(" .;:")
            if not ITEM_NAME.fullmatch(item):
                continue
            end = start + len(item)
            inside = [i for i, (s, e, _) in enumerate(found) if s < end and start < e]
            for i in inside:
                if labels[i] in CODED:
                    labels[i] = "DATASET"
            if not inside and not any(s < end and start < e for s, e in spans):
                extra.append((start, end, "DATASET"))
    typed = [(s, e, label) for (s, e, _), label in zip(found, labels, strict=True)]
    return sorted(typed + extra + _listed_acronyms(text, taken, typed))


ACRONYMS_BETWEEN = re.compile(rf"{JOINED}(?:[A-Z][A-Z0-9]{{1,4}}{JOINED})+")
ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,4}")


def _listed_acronyms(text: str, taken: list[Entity], typed: list[Entity]) -> list[Entity]:
    """Short acronyms listed between two names of one kind are of that kind ("All-MPNet,
    BGE, GTE, and Qwen": BGE and GTE are models too; alone, an acronym is no name)."""
    names = sorted((s, e, label.rstrip("?!")) for s, e, label in [*taken, *typed])
    extra: list[Entity] = []
    for (_, end, kind), (start, _, other) in itertools.pairwise(names):
        same = kind == other and kind in ("METHOD", "DATASET")
        if same and ACRONYMS_BETWEEN.fullmatch(text, end, start):
            extra += [(m.start(), m.end(), kind) for m in ACRONYM.finditer(text, end, start)]
    return extra
