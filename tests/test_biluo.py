"""The tagger-style NER's decoding (``kg/extract/biluo.py``): the best *valid* BILUO tag
sequence, checked against brute force and an independent statement of BILUO validity."""

from __future__ import annotations

import itertools
import random

import numpy
import pytest

from kg.extract.biluo import decode, tag_names, transitions, viterbi

LABELS = ["METHOD", "TASK"]
TAGS = tag_names(LABELS)


def valid(tags: list[str]) -> bool:
    """BILUO, as written in the literature: an entity is U, or B I* L of one label."""
    open_label = None
    for tag in tags:
        prefix, _, label = tag.partition("-")
        if open_label is None:
            if prefix in ("I", "L"):
                return False
            if prefix == "B":
                open_label = label
        else:
            if prefix not in ("I", "L") or label != open_label:
                return False
            if prefix == "L":
                open_label = None
    return open_label is None


def entities(tags: list[str]) -> list[tuple[int, int, int]]:
    spans, begin = [], 0
    for i, tag in enumerate(tags):
        prefix, _, label = tag.partition("-")
        if prefix == "B":
            begin = i
        elif prefix in ("L", "U"):
            spans.append((begin if prefix == "L" else i, i + 1, LABELS.index(label)))
    return spans


def brute_force(logp: numpy.ndarray) -> list[int]:
    best, best_score = None, -numpy.inf
    for seq in itertools.product(range(len(TAGS)), repeat=len(logp)):
        if valid([TAGS[t] for t in seq]):
            score = sum(logp[i, t] for i, t in enumerate(seq))
            if score > best_score:
                best, best_score = list(seq), score
    assert best is not None
    return best


def test_tag_set_and_masks_say_what_biluo_allows() -> None:
    allowed, first, last = transitions(len(LABELS))
    for a, b in itertools.product(range(len(TAGS)), repeat=2):
        pair_ok = allowed[a, b] == 0.0
        # A pair is allowed iff it can appear inside some valid sequence.
        assert pair_ok == any(
            valid([*pre, TAGS[a], TAGS[b], *post])
            for pre in ([], ["B-METHOD"], ["B-TASK"])
            for post in ([], ["L-METHOD"], ["L-TASK"])
        ), (TAGS[a], TAGS[b])
    assert [TAGS[i] for i in range(len(TAGS)) if first[i] == 0.0] == [
        "O",
        "B-METHOD",
        "U-METHOD",
        "B-TASK",
        "U-TASK",
    ]
    assert [TAGS[i] for i in range(len(TAGS)) if last[i] == 0.0] == [
        "O",
        "L-METHOD",
        "U-METHOD",
        "L-TASK",
        "U-TASK",
    ]


def test_viterbi_finds_the_best_valid_sequence_for_windows_of_any_length() -> None:
    rng = numpy.random.default_rng(5)
    windows = [
        numpy.log(rng.dirichlet(numpy.ones(len(TAGS)), size=n)).astype("float32")
        for n in (4, 1, 3, 4, 2, 3)
    ]
    allowed, first, last = transitions(len(LABELS))
    found = viterbi(windows, allowed, first, last)
    for window, tags in zip(windows, found, strict=True):
        assert valid([TAGS[t] for t in tags])
        assert tags == brute_force(window)


@pytest.mark.parametrize("seed", range(3))
def test_decode_keeps_valid_best_tags_and_repairs_the_others(seed: int) -> None:
    rng = random.Random(seed)
    allowed, first, last = transitions(len(LABELS))
    docs, expected = [], []
    for _ in range(20):
        n = rng.randrange(1, 30)
        probs = numpy.full((n, len(TAGS)), 0.01, dtype="float32")
        best = [rng.choice(TAGS) if rng.random() < 0.3 else "O" for _ in range(n)]
        for i, tag in enumerate(best):
            probs[i, TAGS.index(tag)] = 0.9
        probs /= probs.sum(axis=1, keepdims=True)
        docs.append(probs)
        expected.append(entities(best) if valid(best) else None)
    for probs, spans, want in zip(docs, decode(docs, allowed, first, last), expected, strict=True):
        covered = [False] * len(probs)
        for start, end, label in spans:
            assert 0 <= start < end <= len(probs) and label in (0, 1)
            assert not any(covered[start:end]), "entities do not overlap"
            covered[start:end] = [True] * (end - start)
        assert spans == sorted(spans)
        if want is not None:  # the most likely tags are valid: taken as they are
            assert spans == want


def test_decode_turns_a_broken_run_into_the_likeliest_entity() -> None:
    allowed, first, last = transitions(len(LABELS))
    # "I-METHOD L-METHOD" with no B: the best valid reading is B L on the same tokens.
    probs = numpy.full((4, len(TAGS)), 0.01, dtype="float32")
    for i, (best, second) in enumerate(
        [("O", "O"), ("I-METHOD", "B-METHOD"), ("L-METHOD", "L-METHOD"), ("O", "O")]
    ):
        probs[i, TAGS.index(best)] = 0.6
        probs[i, TAGS.index(second)] += 0.3
    probs /= probs.sum(axis=1, keepdims=True)
    assert decode([probs], allowed, first, last) == [[(1, 3, 0)]]
