"""Decoding BILUO tag probabilities into entity spans: the most likely tags where they form
valid sequences, Viterbi over the allowed transitions elsewhere (see ``kg.extract.biluo``)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy

GAP = 2 * 4 + 1  # non-O tokens at most this far apart are decoded together
PAD = 4  # tokens of context on either side of a group that needs Viterbi decoding


def tag_names(labels: Iterable[str]) -> list[str]:
    """The tag set for entity ``labels``: ``O`` first, then ``B I L U`` of each label."""
    return ["O"] + [f"{prefix}-{label}" for label in labels for prefix in "BILU"]


def transitions(n_labels: int) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """Log-space masks of the allowed moves for :func:`tag_names`: ``allowed[i, j]`` (tag i
    then tag j), ``first`` (tags that may start a doc or follow an entity's end) and
    ``last`` (tags that may end a doc). 0 where allowed, -inf where not."""
    n = 1 + 4 * n_labels
    begins = [0] + [1 + 4 * k + p for k in range(n_labels) for p in (0, 3)]  # O B U
    ends = [0] + [1 + 4 * k + p for k in range(n_labels) for p in (2, 3)]  # O L U
    allowed = numpy.full((n, n), -numpy.inf, dtype="float32")
    for i in ends:
        allowed[i, begins] = 0.0
    for k in range(n_labels):
        for p in (0, 1):  # B, I -> I, L of the same label
            allowed[1 + 4 * k + p, [1 + 4 * k + 1, 1 + 4 * k + 2]] = 0.0
    first = numpy.full(n, -numpy.inf, dtype="float32")
    first[begins] = 0.0
    last = numpy.full(n, -numpy.inf, dtype="float32")
    last[ends] = 0.0
    return allowed, first, last


def viterbi(
    windows: list[numpy.ndarray],
    allowed: numpy.ndarray,
    first: numpy.ndarray,
    last: numpy.ndarray,
) -> list[list[int]]:
    """The most likely valid tag sequence for each of ``windows`` (log-probabilities,
    tokens x tags), all windows at once: at step ``t`` the windows longer than ``t``."""
    order = sorted(range(len(windows)), key=lambda i: -len(windows[i]))
    lengths = [len(windows[i]) for i in order]
    longest, n_tags = lengths[0], windows[0].shape[1]
    logp = numpy.zeros((len(order), longest, n_tags), dtype="float32")
    for row, i in enumerate(order):
        logp[row, : lengths[row]] = windows[i]
    back = numpy.zeros((len(order), longest, n_tags), dtype="int32")
    score = logp[:, 0] + first
    final = numpy.empty_like(score)
    active = len(order)
    for t in range(1, longest):
        while lengths[active - 1] <= t:  # windows that ended at t - 1
            active -= 1
            final[active] = score[active] + last
        candidates = score[:active, :, None] + allowed
        back[:active, t] = candidates.argmax(axis=1)
        score = candidates.max(axis=1) + logp[:active, t]
    final[:active] = score + last
    # Backtrack all windows at once: before step t, the windows longer than t.
    best = numpy.zeros((len(order), longest), dtype="int32")
    ends = numpy.asarray(lengths) - 1
    best[numpy.arange(len(order)), ends] = final.argmax(axis=1)
    active = 0
    for t in range(longest - 1, 0, -1):
        while active < len(order) and lengths[active] > t:
            active += 1
        rows = numpy.arange(active)
        best[:active, t - 1] = back[rows, t, best[:active, t]]
    out: list[list[int]] = [[] for _ in windows]
    for row, i in enumerate(order):
        out[i] = best[row, : lengths[row]].tolist()
    return out


def decode(
    batch: list[numpy.ndarray], allowed: numpy.ndarray, first: numpy.ndarray, last: numpy.ndarray
) -> list[list[tuple[int, int, int]]]:
    """Entities ``(start, end, label index)`` from each doc's tag probabilities."""
    out: list[list[tuple[int, int, int]]] = []
    pending: list[tuple[int, int]] = []  # (doc, offset) of each window
    windows: list[numpy.ndarray] = []
    for probs in batch:
        spans: list[tuple[int, int, int]] = []
        out.append(spans)
        tags = probs.argmax(axis=1)
        inside = numpy.flatnonzero(tags)
        if not len(inside):
            continue
        # Groups of non-O tokens at most GAP tokens apart (an entity's tags may be
        # interrupted by a few O's); each is decoded on its own.
        breaks = numpy.flatnonzero(numpy.diff(inside) > GAP)
        starts = [int(inside[0]), *inside[breaks + 1].tolist()]
        stops = [*(inside[breaks] + 1).tolist(), int(inside[-1]) + 1]
        for start, stop in zip(starts, stops, strict=True):
            found = _valid_run(tags[start:stop].tolist(), start)
            if found is not None:
                spans += found
            else:
                lo, hi = max(0, start - PAD), min(len(tags), stop + PAD)
                pending.append((len(out) - 1, lo))
                windows.append(numpy.log(numpy.maximum(probs[lo:hi], 1e-12)))
    if windows:
        for (doc, offset), tags in zip(
            pending, viterbi(windows, allowed, first, last), strict=True
        ):
            out[doc] += _spans_of(tags, offset)
        for spans in out:
            spans.sort()
    return out


def _valid_run(run: list[int], offset: int) -> list[tuple[int, int, int]] | None:
    """The entities of a run of non-O tag ids if it is a valid BILUO sequence, else None."""
    spans = []
    begin = -1
    for i, tag in enumerate(run):
        if not tag:
            if begin >= 0:
                return None
            continue
        label, prefix = divmod(tag - 1, 4)
        if begin < 0:
            if prefix == 3:  # U
                spans.append((offset + i, offset + i + 1, label))
            elif prefix == 0:  # B
                begin, current = i, label
            else:
                return None
        elif label != current or prefix in (0, 3):
            return None
        elif prefix == 2:  # L
            spans.append((offset + begin, offset + i + 1, label))
            begin = -1
    return spans if begin < 0 else None


def confidence(probs: numpy.ndarray, start: int, end: int, label: int) -> float:
    """The least probability of the tags that make entity [start, end) of ``label``."""
    tags = [1 + 4 * label + _prefix(i, start, end) for i in range(start, end)]
    return float(probs[numpy.arange(start, end), tags].min())


def _prefix(i: int, start: int, end: int) -> int:
    """The BILUO prefix index (B 0, I 1, L 2, U 3) of token ``i`` of entity [start, end)."""
    if end - start == 1:
        return 3
    return 0 if i == start else 2 if i == end - 1 else 1


def _spans_of(tags: list[int], offset: int) -> list[tuple[int, int, int]]:
    spans = []
    begin = 0
    for i, tag in enumerate(tags):
        if not tag:
            continue
        label, prefix = divmod(tag - 1, 4)
        if prefix == 0:
            begin = i
        elif prefix == 2:
            spans.append((offset + begin, offset + i + 1, label))
        elif prefix == 3:
            spans.append((offset + i, offset + i + 1, label))
    return spans
