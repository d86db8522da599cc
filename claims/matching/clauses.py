"""Clause-level matching: two long news sentences that share one claim among other content.

A 40-word news sentence often states its claim in one clause and adds who said it, when,
and a second fact. Its full-sentence embedding then sits no closer to a short restatement
of the claim than to any sentence on the topic. :class:`ClauseScorer` scores a pair of
sentences by its best pair of *units* (the sentences and their clauses, quotations and
content without the reporting frame, cut by :func:`claims.french.clauses.split_clauses`),
each unit pair scored as ``(cos + w * tfidf) / (1 + w)``.

With ``figure_bonus`` b > 0, a pair whose sentences state a figure of one kind (slot and unit, or
counted noun) with agreeing values (:func:`claims.french.figure_conflicts.figure_agreement`) gets
b added: two outlets rarely word one claim alike, but they give its figure alike ("284 morts" /
"284 personnes ont péri"). Figures that disagree are left to the pair guard.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
from scipy import sparse

from claims.french.clauses import split_clauses
from claims.french.figure_conflicts import figure_agreement
from claims.matching.lexical import LexicalSimilarity

_PAIR_CHUNK = 4096  # unit pairs scored per block, to bound memory on large components


class ClauseScorer:
    """Pair scorer for :func:`claims.matching.grouping.group_embeddings`: best pair of units.

    A pair of sentences scores ``max over unit pairs (u, v) of (cos(u, v) + w * tfidf(u, v))
    / (1 + w)``, where units are each sentence and its :func:`split_clauses`. TF-IDF is
    :class:`claims.matching.lexical.LexicalSimilarity` ("tfidf-char") with IDF from the sentences.

    Args:
        lexical_weight: w, the weight of the lexical score (:mod:`claims.training.calibrate`
            fits it on CheckThat! 2020 train).
        min_words: shortest unit kept.
        clauses: also match clauses (False: the whole sentences only, a plain hybrid).
        figure_bonus: added to the score of a pair that agrees on a figure of one kind (0: none).

    Attributes:
        unit_owner_: sentence of each unit (sentences first, then extra units).
        unit_vectors_: (units, d) unit embeddings.
        n_units_: number of units per sentence.
        has_figures_: whether each sentence states a comparable figure (with ``figure_bonus``).
    """

    def __init__(self, lexical_weight: float = 0.25, min_words: int = 4, clauses: bool = True,
                 figure_bonus: float = 0.0):
        self.lexical_weight = lexical_weight
        self.min_words = min_words
        self.clauses = clauses
        self.figure_bonus = figure_bonus

    def fit(self, texts: Sequence[str], embeddings: np.ndarray, encoder=None) -> "ClauseScorer":
        """Split ``texts``, embed the extra units with ``encoder`` and fit the TF-IDF.

        Args:
            texts: the sentences being grouped.
            embeddings: their (n, d) unit vectors.
            encoder: an :class:`embeddings.base.Encoder` for the clauses (needed when any).
        """
        texts = list(texts)
        prepared = getattr(self, "_prepared", None)
        if prepared is None or prepared[0] != texts:
            self.prepare(texts)
        _, has_figures, extra, owner, lexical, unit_tfidf = self._prepared
        self._prepared = None
        self._texts = texts
        self._agree: dict[tuple[int, int], bool] = {}  # memo: refinement rescores the same pairs
        self.has_figures_ = has_figures
        n = len(texts)
        if extra and encoder is None:
            raise ValueError("an encoder is needed to embed the clauses")
        vectors = np.asarray(embeddings, np.float32)
        if extra:
            vectors = np.vstack([vectors, np.asarray(encoder.encode(extra), np.float32)])
        self.unit_owner_ = np.concatenate([np.arange(n), np.asarray(owner, np.int64)]).astype(np.int64)
        self.unit_vectors_ = vectors
        self.n_units_ = np.bincount(self.unit_owner_, minlength=n)
        # Units of sentence i: i itself, then extra units, listed contiguously.
        self._extra_start = np.concatenate([[0], np.cumsum(np.bincount(owner, minlength=n))])[:-1] + n \
            if n else np.zeros(0, np.int64)
        self.lexical_ = lexical
        self._unit_tfidf = unit_tfidf
        return self

    def prepare(self, texts: Sequence[str]) -> "ClauseScorer":
        """What the scores need from the texts alone (figures, clauses, TF-IDF), worked out before
        their vectors exist (a run does it while a second process encodes); :meth:`fit` on the
        same texts uses it instead of working it out again."""
        if self.lexical_weight < 0:
            raise ValueError(f"lexical_weight must be >= 0, got {self.lexical_weight}")
        if not 0.0 <= self.figure_bonus <= 1.0:
            raise ValueError(f"figure_bonus must be in [0, 1], got {self.figure_bonus}")
        texts = list(texts)
        has_figures = (np.array([figure_agreement(t, t)[0] > 0 for t in texts], bool)
                       if self.figure_bonus > 0 else np.zeros(len(texts), bool))
        extra, owner = [], []
        if self.clauses:
            for i, text in enumerate(texts):
                for clause in split_clauses(text, self.min_words):
                    extra.append(clause.text)
                    owner.append(i)
        lexical = LexicalSimilarity("tfidf-char").fit(texts)
        unit_tfidf = (sparse.vstack([lexical.matrix_, lexical.transform(extra)]).tocsr()
                      if texts and extra else lexical.matrix_)
        self._prepared = (texts, has_figures, extra, owner, lexical, unit_tfidf)
        return self

    def _units(self, i: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(pair position, unit id) of every unit of each sentence in ``i``."""
        counts = self.n_units_[i]
        pos = np.repeat(np.arange(len(i)), counts)
        offset = np.arange(len(pos)) - np.repeat(np.cumsum(counts) - counts, counts)
        sentence = i[pos]
        unit = np.where(offset == 0, sentence, self._extra_start[sentence] + offset - 1)
        return pos, unit

    def unit_pair_scores(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Score of each unit pair (u[k], v[k])."""
        out = np.empty(len(u), np.float32)
        w = self.lexical_weight
        for s in range(0, len(u), _PAIR_CHUNK):
            a, b = u[s:s + _PAIR_CHUNK], v[s:s + _PAIR_CHUNK]
            dense = np.einsum("ij,ij->i", self.unit_vectors_[a], self.unit_vectors_[b])
            lexical = np.asarray(self._unit_tfidf[a].multiply(self._unit_tfidf[b]).sum(axis=1)).ravel()
            out[s:s + _PAIR_CHUNK] = (dense + w * np.clip(lexical, 0.0, 1.0)) / (1.0 + w)
        return out

    def __call__(self, i: np.ndarray, j: np.ndarray, dense: Optional[np.ndarray] = None) -> np.ndarray:
        """Scores of sentence pairs (i, j); ``dense`` is unused (kept for the scorer signature)."""
        if not hasattr(self, "unit_vectors_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("ClauseScorer is not fitted: call fit(texts, embeddings, encoder) first")
        i = np.asarray(i, np.int64).ravel()
        j = np.asarray(j, np.int64).ravel()
        if len(i) == 0:
            return np.zeros(0, np.float32)
        # Every (unit of i, unit of j) combination of each pair, then the best per pair.
        pos_i, unit_i = self._units(i)
        per_pair_j = self.n_units_[j]
        reps = per_pair_j[pos_i]
        pair = np.repeat(pos_i, reps)
        u = np.repeat(unit_i, reps)
        _, unit_j = self._units(j)
        start_j = np.cumsum(per_pair_j) - per_pair_j
        offset = np.arange(len(pair)) - np.repeat(np.cumsum(reps) - reps, reps)
        v = unit_j[start_j[pair] + offset]
        scores = self.unit_pair_scores(u, v)
        best = np.full(len(i), -np.inf, np.float32)
        np.maximum.at(best, pair, scores)
        if self.figure_bonus > 0:
            both = np.flatnonzero(self.has_figures_[i] & self.has_figures_[j])
            agree = [self._figures_agree(int(i[k]), int(j[k])) for k in both.tolist()]
            best[both[np.asarray(agree, bool)]] += np.float32(self.figure_bonus)
        return best

    def _figures_agree(self, a: int, b: int) -> bool:
        key = (a, b) if a < b else (b, a)
        found = self._agree.get(key)
        if found is None:
            found = self._agree[key] = figure_agreement(self._texts[a], self._texts[b])[0] > 0
        return found
