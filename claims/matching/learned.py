"""The learned pair score: a logistic regression over pair features, read from plain JSON.

The weights live in ``claims/data/pair_scorer.json`` (written by ``python -m
claims.training.pair_scorer``; no pickle), one entry per model since the cosine feature is the
model's. A pair scores the model's probability that the two sentences state one claim, in
0..1. Pairs whose cosine is below the entry's ``gate_cosine`` (none of the training's same-claim
pairs was that far apart) score 0 without their features being computed: the grouping scores
every nearest-neighbour candidate, and most are unrelated.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from claims.matching.pair_features import FEATURE_NAMES, PairFeatures

WEIGHTS_FILE = Path(__file__).resolve().parents[1] / "data" / "pair_scorer.json"


@lru_cache(maxsize=4)
def _read(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def read_weights(model: str, path: Optional[Path] = None) -> dict:
    """The fitted weights for ``model``, or for the model whose calibration it shares
    (``e5-small-onnx`` gives e5-small's vectors, so it reads e5-small's weights).

    Raises:
        ValueError: no weights for this model, or weights that do not fit the features.
    """
    table = _read(str(path or WEIGHTS_FILE))
    entry = table.get("models", {}).get(model)
    if entry is None:
        from claims.models import model_entry

        try:
            shared = model_entry(model).calibration
        except ValueError:
            shared = None
        entry = table.get("models", {}).get(shared) if shared else None
    if entry is None:
        raise ValueError(f"no learned pair-scorer weights for model {model!r} (have: "
                         f"{', '.join(table.get('models', {})) or 'none'}); fit them with "
                         f"python -m claims.training.pair_scorer --model {model}")
    check_weights(entry)
    return entry


def check_weights(entry: dict) -> None:
    """Raise ValueError unless ``entry`` holds weights for :data:`FEATURE_NAMES`."""
    if tuple(entry.get("features", ())) != FEATURE_NAMES:
        raise ValueError("the pair-scorer weights were fitted on other features; refit them with "
                         "python -m claims.training.pair_scorer")
    k = len(FEATURE_NAMES)
    for key in ("mean", "scale", "coef"):
        values = entry.get(key)
        if not isinstance(values, list) or len(values) != k or not all(np.isfinite(values)):
            raise ValueError(f"pair-scorer weights: {key!r} must be {k} finite numbers")
    if not np.isfinite(entry.get("intercept", np.nan)):
        raise ValueError("pair-scorer weights: 'intercept' must be a finite number")
    if any(s <= 0 for s in entry["scale"]):
        raise ValueError("pair-scorer weights: every 'scale' must be positive")


def probabilities(entry: dict, features: np.ndarray) -> np.ndarray:
    """The model's same-claim probability of each feature row."""
    z = (np.asarray(features, np.float64) - np.asarray(entry["mean"])) / np.asarray(entry["scale"])
    logit = z @ np.asarray(entry["coef"]) + float(entry["intercept"])
    return (1.0 / (1.0 + np.exp(-np.clip(logit, -30, 30)))).astype(np.float32)


class LearnedPairScorer:
    """Pair scorer for :func:`claims.matching.grouping.group_embeddings`: fitted probabilities.

    Args:
        model: whose weights to use (a key of ``pair_scorer.json``).
        weights: the weights themselves (overrides ``model``; for tests and training).
        gate_cosine: overrides the entry's gate (-1 scores every pair).

    Attributes:
        weights_: the weights in use.
        features_: the fitted :class:`claims.matching.pair_features.PairFeatures`.
    """

    scale = "learned"

    def __init__(self, model: str = "e5-small", weights: Optional[dict] = None,
                 gate_cosine: Optional[float] = None):
        self.model = model
        self.weights = weights
        self.gate_cosine = gate_cosine

    def fit(self, texts: Sequence[str], embeddings: np.ndarray, article_ids=None, encoder=None,
            lexical=None) -> "LearnedPairScorer":
        """Read the weights and the corpus' per-sentence features.

        Raises:
            ValueError: missing or malformed weights, a gate outside [-1, 1], or texts and
                embeddings of different lengths.
        """
        weights = self.weights if self.weights is not None else read_weights(self.model)
        check_weights(weights)
        gate = weights.get("gate_cosine", -1.0) if self.gate_cosine is None else self.gate_cosine
        if not -1.0 <= gate <= 1.0:
            raise ValueError(f"gate_cosine must be in [-1, 1], got {gate}")
        if len(texts) != len(embeddings):
            raise ValueError(f"{len(texts)} texts for {len(embeddings)} embeddings")
        self.weights_ = weights
        self.gate_ = float(gate)
        self.embeddings_ = np.asarray(embeddings, np.float32)
        self.features_ = PairFeatures(lexical).fit(texts)
        self.lexical_ = self.features_.lexical_  # what the explainer reads
        self._memo: dict[tuple[int, int], float] = {}
        return self

    def features(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Feature rows of pairs (i, j), whatever their cosine."""
        i, j = np.asarray(i, np.int64).ravel(), np.asarray(j, np.int64).ravel()
        cos = np.einsum("ij,ij->i", self.embeddings_[i], self.embeddings_[j])
        return self.features_.transform(i, j, cos)

    def __call__(self, i: np.ndarray, j: np.ndarray, dense: Optional[np.ndarray] = None) -> np.ndarray:
        """Same-claim probability of sentence pairs (i, j); 0 below the cosine gate."""
        if not hasattr(self, "weights_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("LearnedPairScorer is not fitted: call fit(texts, embeddings) first")
        i, j = np.asarray(i, np.int64).ravel(), np.asarray(j, np.int64).ravel()
        out = np.zeros(len(i), np.float32)
        if not len(i):
            return out
        cos = np.einsum("ij,ij->i", self.embeddings_[i], self.embeddings_[j])
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        todo = []
        for k in np.flatnonzero(cos >= self.gate_).tolist():
            known = self._memo.get((int(lo[k]), int(hi[k])))
            if known is None:
                todo.append(k)
            else:
                out[k] = known
        if todo:
            rows = np.asarray(todo)
            probs = probabilities(self.weights_, self.features_.transform(lo[rows], hi[rows], cos[rows]))
            out[rows] = probs
            self._memo.update(zip(zip(lo[rows].tolist(), hi[rows].tolist()), probs.tolist()))
        return out


__all__ = ["LearnedPairScorer", "WEIGHTS_FILE", "check_weights", "probabilities", "read_weights"]
