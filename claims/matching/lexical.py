"""Lexical similarity of French sentences (TF-IDF of character n-grams).

``"tfidf-char"``: cosine of TF-IDF vectors of character n-grams inside word boundaries
(``char_wb``, 3-5, sublinear tf), symmetric and in 0..1. Robust to inflection
("rejoindre"/"rejoint") and typos.

IDF comes from the texts given to :meth:`LexicalSimilarity.fit` (the corpus being grouped),
as in the pipeline. The pipeline's "hybrid" scoring, ``(cosine + w * tfidf-char) / (1 + w)``,
is :class:`claims.matching.clauses.ClauseScorer` (``clauses=False``); ``claims/training/calibrate.py``
fits w on CheckThat! 2020 train.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy import sparse

from claims.french.text import fold_french

KINDS = ("tfidf-char",)


def _row_dots(a: sparse.csr_matrix, b: sparse.csr_matrix) -> np.ndarray:
    """Dot product of each row of ``a`` with the same row of ``b``."""
    return np.asarray(a.multiply(b).sum(axis=1)).ravel()


class LexicalSimilarity:
    """Symmetric lexical similarity in 0..1 between sentences of one corpus.

    Args:
        kind: "tfidf-char" (the one measure kept).
        ngram_range: character n-gram sizes for "tfidf-char".
        strip_accents: fold accents before comparing ("Etats" matches "États").

    Attributes:
        matrix_: (n, vocabulary) sparse matrix of the fitted texts.
        n_texts_: number of fitted texts.
    """

    def __init__(self, kind: str = "tfidf-char", ngram_range: tuple[int, int] = (3, 5),
                 strip_accents: bool = True):
        self.kind = kind
        self.ngram_range = ngram_range
        self.strip_accents = strip_accents

    def _check_params(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        lo, hi = self.ngram_range
        if not 1 <= lo <= hi:
            raise ValueError(f"ngram_range must be (lo, hi) with 1 <= lo <= hi, got {self.ngram_range}")

    def _preprocess(self, text: str) -> str:
        return fold_french(text, self.strip_accents)

    def fit(self, texts: Sequence[str]) -> "LexicalSimilarity":
        """Learn the vocabulary and IDF of ``texts`` and keep their vectors."""
        self._check_params()
        texts = list(texts)
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer_ = TfidfVectorizer(
            analyzer="char_wb", ngram_range=tuple(self.ngram_range), sublinear_tf=True,
            preprocessor=self._preprocess, lowercase=False, dtype=np.float32)
        if texts:
            self.matrix_ = self.vectorizer_.fit_transform(texts).tocsr()
        else:
            self.matrix_ = sparse.csr_matrix((0, 0), dtype=np.float32)
        self.n_texts_ = len(texts)
        return self

    # -- scoring -------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "matrix_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("LexicalSimilarity is not fitted: call fit(texts) first")

    def pair_scores(self, i_idx, j_idx) -> np.ndarray:
        """Similarity of fitted texts ``i_idx[k]`` and ``j_idx[k]`` for every k, in 0..1."""
        self._check_fitted()
        i_idx = np.asarray(i_idx, dtype=np.int64).ravel()
        j_idx = np.asarray(j_idx, dtype=np.int64).ravel()
        if i_idx.shape != j_idx.shape:
            raise ValueError(f"i_idx and j_idx differ in length: {len(i_idx)} vs {len(j_idx)}")
        if len(i_idx) == 0:
            return np.zeros(0, np.float32)
        if min(i_idx.min(), j_idx.min()) < 0 or max(i_idx.max(), j_idx.max()) >= self.n_texts_:
            raise IndexError(f"pair index out of range for {self.n_texts_} fitted texts")
        s = _row_dots(self.matrix_[i_idx], self.matrix_[j_idx])
        return np.clip(s, 0.0, 1.0).astype(np.float32)

    def similarity(self, a_text: str, b_text: str) -> float:
        """Similarity of two texts, with the vocabulary and IDF learnt by :meth:`fit`."""
        self._check_fitted()
        m = self.vectorizer_.transform([a_text, b_text])
        return float(np.clip(m[0].multiply(m[1]).sum(), 0.0, 1.0))
