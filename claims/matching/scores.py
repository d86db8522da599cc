"""Pair scores: how two candidate sentences are scored before the threshold.

A pair score is a name, the scale its thresholds are calibrated on (a key of
``claims/data/thresholds.json``), the range its values can take (a threshold outside it is
refused), and a ``build`` that fits a scorer on one corpus. A fitted scorer is called as
``scorer(i, j, cosines)`` on index arrays of sentence pairs and returns their scores; the
grouping compares those scores with one threshold (see :mod:`claims.matching.grouping`).

Any object with ``scale`` and ``fit(texts, embeddings, article_ids, encoder)`` returning
such a callable can be passed to :func:`claims.analyze` as ``pair_scorer``.
"""

from __future__ import annotations

from typing import Callable, NamedTuple, Sequence

import numpy as np


class PairScore(NamedTuple):
    """One kind of pair score.

    Attributes:
        name: what users type (``-S NAME``).
        scale: the calibration key its thresholds are stored under.
        low, high: the range of its values; thresholds outside are refused.
        help: one line for ``--help``.
        lexical: whether it blends the model's calibrated TF-IDF weight.
        clauses: whether it scores the best pair of clauses instead of whole sentences.
        figure_bonus: added to a pair agreeing on a figure of one kind (lexical scores only;
            :class:`claims.matching.clauses.ClauseScorer`).
    """

    name: str
    scale: str
    low: float
    high: float
    help: str
    lexical: bool = False
    clauses: bool = False
    figure_bonus: float = 0.0


PAIR_SCORES: dict[str, PairScore] = {s.name: s for s in (
    # figure_bonus 0.06: chosen with the threshold, leave one event out, on the real-news tuning
    # events (benchmarks/pair_guard_check.py's events; BENCHMARKS.md, "Figure agreement").
    PairScore("hybrid", "hybrid", -1.0, 1.0, "cosine + TF-IDF of the whole sentences, plus a bonus when "
              "they agree on a figure (default)", lexical=True, figure_bonus=0.06),
    PairScore("clauses", "clauses", -1.0, 1.0, "best pair of clauses, each scored like hybrid",
              lexical=True, clauses=True),
    PairScore("clauses-dense", "clauses_dense", -1.0, 1.0, "best pair of clauses, cosine only", clauses=True),
    # CSLS = 2 cos - r(a) - r(b) with neighbourhood densities r in [-1, 1].
    PairScore("csls", "csls", -4.0, 4.0, "cosine corrected for hubness (CSLS)"),
    PairScore("cosine", "dense", -1.0, 1.0, "plain cosine of the sentence vectors"),
    PairScore("learned", "learned", 0.0, 1.0, "logistic regression over pair features (meaning, "
              "wording, word order, names, figures, times, negation)"),
)}
DEFAULT_PAIR_SCORE = "hybrid"


def pair_score(name: str) -> PairScore:
    """The pair score called ``name``.

    Raises:
        ValueError: for an unknown name.
    """
    try:
        return PAIR_SCORES[name]
    except KeyError:
        raise ValueError(f"pair score must be one of {', '.join(PAIR_SCORES)}; got {name!r}") from None


class CosineScorer:
    """The plain cosine: the identity on the candidates' cosines."""

    scale = "dense"

    def fit(self, texts, embeddings, article_ids, encoder=None) -> "CosineScorer":
        return self

    def __call__(self, i: np.ndarray, j: np.ndarray, dense: np.ndarray) -> np.ndarray:
        return np.asarray(dense, np.float32)


def build_scorer(score: PairScore, lexical_weight: float, texts: Sequence[str], embeddings: np.ndarray,
                 article_ids: Sequence[str], encoder=None, model: str = "e5-small",
                 prepared=None) -> Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]:
    """The scorer of ``score`` fitted on one corpus.

    Args:
        score: which pair score.
        lexical_weight: the model's TF-IDF weight (used by lexical scores only).
        texts, embeddings, article_ids: the corpus being grouped.
        encoder: encodes clauses, for clause scores.
        model: the model whose fitted weights the learned score reads.
        prepared: what :func:`prepare_scorer` returned for ``score`` and ``texts``.
    """
    if score.name == "learned":
        from claims.matching.learned import LearnedPairScorer

        return LearnedPairScorer(model).fit(texts, embeddings, article_ids, encoder)
    if score.name == "csls":
        from claims.matching.hubness import CSLSScorer

        return CSLSScorer().fit(embeddings, article_ids)
    if score.name == "cosine":
        return CosineScorer()
    return (prepared if prepared is not None else _clause_scorer(score, lexical_weight)).fit(texts, embeddings, encoder)


def _clause_scorer(score: PairScore, lexical_weight: float):
    from claims.matching.clauses import ClauseScorer

    weight = lexical_weight if score.lexical else 0.0
    return ClauseScorer(lexical_weight=weight, clauses=score.clauses, figure_bonus=score.figure_bonus)


def prepare_scorer(score: PairScore, lexical_weight: float, texts: Sequence[str]):
    """The scorer of ``score`` with what it reads from the texts alone worked out (a
    :class:`~claims.matching.clauses.ClauseScorer`'s TF-IDF, figures and clauses), to pass to
    :func:`build_scorer` once the vectors exist; None for scores that need the vectors first."""
    if score.name in ("learned", "csls", "cosine"):
        return None
    return _clause_scorer(score, lexical_weight).prepare(texts)


__all__ = ["CosineScorer", "DEFAULT_PAIR_SCORE", "PAIR_SCORES", "PairScore", "build_scorer", "pair_score",
           "prepare_scorer"]
