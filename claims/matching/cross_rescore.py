"""The hybrid pair score with borderline pairs re-scored by the cross-encoder.

Not registered as a pair score (``claims.matching.scores.PAIR_SCORES``): the adapters trained
so far do not beat the hybrid score out of fold (BENCHMARKS.md, "A small cross-encoder").
Registering it is one entry there (scale ``hybrid``) calling :func:`build_cross_scorer` on
the fitted hybrid scorer, once an adapter file stores a ``rescore`` band that earns it.

Only pairs whose hybrid score lies within ``band`` of ``centre`` (the threshold the band was
chosen around) are read by the cross-encoder (:mod:`claims.matching.cross`), which costs a
forward pass of the encoder per pair; their score becomes ``hybrid + weight * (p - offset)``,
p the cross-encoder's probability of "same claim". Other pairs keep their hybrid score. The
band, weight and offset were chosen out of fold on the real-news tuning events
(``benchmarks/realnews_cross.py``) and are stored with the adapters.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from claims.matching.cross import ADAPTER_PATH, CrossEncoder

_LOADED: dict = {}


def load_cross_encoder(path=ADAPTER_PATH) -> CrossEncoder:
    """The cross-encoder of ``path``, loaded once per process (loading takes seconds)."""
    key = str(path)
    if key not in _LOADED:
        _LOADED[key] = CrossEncoder.load(path)
    return _LOADED[key]


class CrossRescorer:
    """A fitted pair scorer: ``base`` with borderline pairs re-scored by ``cross``.

    Args:
        base: the fitted hybrid scorer (``scorer(i, j, cosines)``).
        cross: a :class:`CrossEncoder`.
        texts: the corpus' sentences.
        centre, band: pairs with ``|base - centre| <= band`` are re-scored.
        weight, offset: the re-scored value is ``base + weight * (p - offset)``.
    """

    scale = "hybrid"

    def __init__(self, base, cross: CrossEncoder, texts: Sequence[str], centre: float, band: float,
                 weight: float, offset: float):
        if band < 0 or weight < 0 or not 0.0 <= offset <= 1.0:
            raise ValueError(f"need band >= 0, weight >= 0 and 0 <= offset <= 1; got {band}, {weight}, {offset}")
        self.base, self.cross, self.texts = base, cross, list(texts)
        self.centre, self.band, self.weight, self.offset = centre, band, weight, offset
        self.probability_: dict[tuple[int, int], float] = {}  # memo: the grouping asks for a pair again

    def __call__(self, i: np.ndarray, j: np.ndarray, dense: np.ndarray) -> np.ndarray:
        i, j = np.asarray(i, np.int64), np.asarray(j, np.int64)
        score = np.array(self.base(i, j, dense), np.float32)
        near = np.flatnonzero(np.abs(score - self.centre) <= self.band)
        keys = [(int(min(i[k], j[k])), int(max(i[k], j[k]))) for k in near]
        todo = sorted({key for key in keys if key not in self.probability_})
        if todo:
            p = self.cross.predict_proba([self.texts[a] for a, _ in todo], [self.texts[b] for _, b in todo])
            self.probability_.update(zip(todo, p.tolist()))
        for k, key in zip(near, keys):
            score[k] += self.weight * (self.probability_[key] - self.offset)
        return score


def build_cross_scorer(base, texts: Sequence[str], path=ADAPTER_PATH,
                       setting: Optional[dict] = None) -> CrossRescorer:
    """The re-scorer over a fitted hybrid ``base``, with the band stored in the adapter file."""
    cross = load_cross_encoder(path)
    chosen = setting or cross.meta_.get("rescore")
    if not chosen:
        raise ValueError(f"adapter {path} stores no re-scoring band: choose one with benchmarks.realnews_cross")
    return CrossRescorer(base, cross, texts, chosen["centre"], chosen["band"], chosen["weight"], chosen["offset"])


__all__ = ["CrossRescorer", "build_cross_scorer", "load_cross_encoder"]
