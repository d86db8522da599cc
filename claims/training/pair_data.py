"""Labelled sentence pairs for the learned pair score, with their features.

Sources, all tuning splits (never a report split, never XNLI):

* ``realnews``: the tuning events of ``benchmarks/realnews`` (texts outside git; skipped with a
  message when absent). Each event is one corpus; pairs of scored sentences whose cosine
  reaches :data:`REALNEWS_MIN_COSINE` (what the grouping's neighbour search hands the scorer),
  plus every pair the gold puts in one claim. Positive: the same gold claim; pairs sharing
  only a secondary claim are left out; pairs of two must-not-merge claims are marked.
* ``pawsx``: PAWS-X-fr rows 1-1,000 (paraphrase or not, word swaps).
* ``stsb``: STS-B-fr train, score >= 4 positive, <= 2 negative (a seeded sample).
* ``rte``: RTE3-fr dev, entailment positive.
* ``daccord``: DACCORD ``covid`` rows that contradict, as negatives.

Features of public pairs come from a :class:`claims.matching.pair_features.PairFeatures`
fitted on the texts of that source, as if they were one corpus.
"""

from __future__ import annotations

import sys
from typing import NamedTuple, Optional, Sequence

import numpy as np

from claims.matching.pair_features import PairFeatures

REALNEWS_MIN_COSINE = 0.75
STSB_SAMPLE = 3000
SEED = 0


class PairSet(NamedTuple):
    """Feature rows of labelled pairs from one source."""

    source: str
    features: np.ndarray  # (pairs, features)
    positive: np.ndarray  # bool
    must_not_merge: np.ndarray  # bool: a pair of two claims annotated must-not-merge
    group: np.ndarray  # event id of each pair ("" for public data), for leaving one event out


def _features(texts: list[str], vectors: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    cos = np.einsum("ij,ij->i", vectors[i], vectors[j])
    return PairFeatures().fit(texts).transform(i, j, cos)


def event_pairs(event) -> PairSet:
    """Labelled pairs of one :class:`benchmarks.realnews_events.Event`."""
    vectors = np.asarray(event.vectors, np.float32)
    rows = np.asarray(event.scored, np.int64)
    sims = vectors[rows] @ vectors[rows].T
    mnm = {frozenset(p) for p in event.must_not_merge}
    pi, pj, pos, bad = [], [], [], []
    for a in range(len(rows)):
        for b in range(a + 1, len(rows)):
            same = event.labels[a] == event.labels[b]
            if (a, b) in event.ignore or (not same and sims[a, b] < REALNEWS_MIN_COSINE):
                continue
            pi.append(rows[a])
            pj.append(rows[b])
            pos.append(same)
            bad.append(frozenset((event.main[a], event.main[b])) in mnm)
    i, j = np.asarray(pi, np.int64), np.asarray(pj, np.int64)
    return PairSet("realnews", _features(event.texts, vectors, i, j), np.asarray(pos, bool),
                   np.asarray(bad, bool), np.full(len(i), event.id))


def tuning_events(encoder) -> list:
    """The tuning events (:class:`benchmarks.realnews_events.Event`), or [] without the texts."""
    from benchmarks.realnews_events import build_event
    from claims.evaluation.realnews import read_split, try_load_gold

    split = read_split()
    gold, why = try_load_gold(split["tuning"])
    if gold is None:
        print(f"real-news tuning events skipped: {why}", file=sys.stderr)
        return []
    return [build_event(gold, e, encoder) for e in split["tuning"]]


def text_pairs(source: str) -> list[tuple[str, str, bool]]:
    """(a, b, positive) pairs of one public tuning source."""
    from benchmarks.pair_public import read_daccord, read_pawsx, read_rte
    from claims.evaluation.data import read_stsb_fr

    if source == "pawsx":
        return [(p.a, p.b, p.label) for p in read_pawsx()[0]]
    if source == "rte":
        return [(p.a, p.b, p.label) for p in read_rte()[0]]
    if source == "daccord":
        return [(p.a, p.b, False) for p in read_daccord()[0] if p.label]
    if source == "stsb":
        rows = [(p.sentence1, p.sentence2, p.score >= 4.0) for p in read_stsb_fr("train")
                if p.score >= 4.0 or p.score <= 2.0]
        keep = np.random.default_rng(SEED).permutation(len(rows))[:STSB_SAMPLE]
        return [rows[k] for k in sorted(keep.tolist())]
    raise ValueError(f"unknown pair source {source!r}")


def public_pairs(source: str, encoder) -> PairSet:
    """Labelled pairs of one public tuning source, featurised as one corpus."""
    pairs = text_pairs(source)
    texts = [t for a, b, _ in pairs for t in (a, b)]
    vectors = np.asarray(encoder.encode(texts), np.float32)
    i = np.arange(0, len(texts), 2)
    return PairSet(source, _features(texts, vectors, i, i + 1), np.array([p[2] for p in pairs], bool),
                   np.zeros(len(pairs), bool), np.full(len(pairs), ""))


def concatenate(sets: Sequence[PairSet], shares: Optional[dict] = None,
                by_set: bool = False) -> tuple[np.ndarray, ...]:
    """(features, positive, sample weight, group) of all sets; each source weighs its share in total.

    With ``by_set``, the sets of one source (the events) weigh alike within its share, however
    many pairs each has; otherwise every pair of a source weighs alike.
    """
    shares = shares or {}
    x, y, w, g = [], [], [], []
    for s in sets:
        if not len(s.positive):
            continue
        same = [t for t in sets if t.source == s.source and len(t.positive)]
        total = len(same) * len(s.positive) if by_set else sum(len(t.positive) for t in same)
        weight = np.full(len(s.positive), shares.get(s.source, 1.0) / total)
        weight[s.must_not_merge] *= 3.0  # the product promises these stay apart
        x.append(s.features)
        y.append(s.positive)
        w.append(weight)
        g.append(s.group)
    return np.vstack(x), np.concatenate(y), np.concatenate(w), np.concatenate(g)


__all__ = ["PairSet", "concatenate", "event_pairs", "public_pairs", "text_pairs", "tuning_events"]
