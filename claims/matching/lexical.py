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
        texts = [self._preprocess(t) for t in texts]
        self.matrix_, self.vocabulary_, self.idf_ = char_wb_tfidf(texts, tuple(self.ngram_range))
        self.n_texts_ = len(texts)
        return self

    # -- scoring -------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "matrix_"):
            from sklearn.exceptions import NotFittedError  # only on this error path: a slow import

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
        a, b = (self._transform(self._preprocess(t)) for t in (a_text, b_text))
        return float(np.clip(sum(w * b.get(term, 0.0) for term, w in a.items()), 0.0, 1.0))

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Unit TF-IDF rows of new ``texts`` over the fitted vocabulary and IDF."""
        self._check_fitted()
        rows = [self._transform(self._preprocess(t)) for t in texts]
        indptr = np.zeros(len(rows) + 1, np.int64)
        indptr[1:] = np.cumsum([len(r) for r in rows])
        indices = np.fromiter((c for r in rows for c in sorted(r)), np.int64, count=int(indptr[-1]))
        data = np.fromiter((r[c] for r in rows for c in sorted(r)), np.float32, count=int(indptr[-1]))
        return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), len(self.vocabulary_)))

    def _transform(self, text: str) -> dict[int, float]:
        """The unit TF-IDF vector of one text, as {column: weight}, over the fitted vocabulary."""
        counts: dict[int, int] = {}
        for gram in char_wb_ngrams(text, *self.ngram_range):
            column = self.vocabulary_.get(gram)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        weights = {c: (1.0 + np.log(n)) * float(self.idf_[c]) for c, n in counts.items()}
        norm = float(np.sqrt(sum(w * w for w in weights.values()))) or 1.0
        return {c: w / norm for c, w in weights.items()}


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams inside word boundaries, each word padded with one space on both sides.

    The same n-grams, in the same order, as scikit-learn's ``analyzer="char_wb"``: a word
    shorter than ``n`` gives itself once.
    """
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        length = len(padded)
        for n in range(low, high + 1):
            grams.extend(padded[i:i + n] for i in range(max(1, length - n + 1)))
            if length <= n:
                break
    return grams


def char_wb_tfidf(texts: Sequence[str], ngram_range: tuple[int, int]):
    """Unit-length TF-IDF rows of character n-grams (sublinear tf, smoothed idf), float32.

    The weights of scikit-learn's ``TfidfVectorizer(analyzer="char_wb", sublinear_tf=True,
    lowercase=False, dtype=float32)``, computed here because importing scikit-learn costs
    a warm run most of a second (``tests/test_lexical.py`` compares the two).

    Returns:
        ``(matrix, vocabulary, idf)``: a CSR matrix (texts × n-grams, columns in sorted
        n-gram order), the n-gram → column mapping and the idf of each column.
    """
    first_seen: dict[str, int] = {}  # n-gram -> id in order of first appearance
    # Each row kept as two small arrays, not a dict: a dict of ~250 n-grams costs ~11 KB, which
    # made this fit the peak of a 50,000-sentence run (~550 MB held at once).
    row_ids: list[np.ndarray] = []
    row_counts: list[np.ndarray] = []
    for text in texts:
        gids = [first_seen.setdefault(gram, len(first_seen)) for gram in char_wb_ngrams(text, *ngram_range)]
        # np.unique sorts by id, i.e. in first-appearance order as scikit-learn keeps them.
        unique, counts = np.unique(np.asarray(gids, np.int64), return_counts=True)
        row_ids.append(unique.astype(np.int32))
        row_counts.append(counts.astype(np.float32))
    order = sorted(first_seen, key=str)
    vocabulary = {gram: column for column, gram in enumerate(order)}
    column_of = np.empty(len(first_seen), np.int32)
    for gram, gid in first_seen.items():
        column_of[gid] = vocabulary[gram]
    n = len(row_ids)
    indptr = np.zeros(n + 1, np.int64)
    indptr[1:] = np.cumsum([len(r) for r in row_ids])
    ids = np.concatenate(row_ids) if n else np.zeros(0, np.int32)
    data = np.concatenate(row_counts) if n else np.zeros(0, np.float32)
    del row_ids, row_counts
    indices = column_of[ids] if len(ids) else ids
    df = np.bincount(indices, minlength=len(vocabulary)).astype(np.float32)
    idf = np.log(np.full_like(df, n + 1, dtype=np.float32) / (df + 1)) + np.float32(1.0)
    np.log(data, out=data)
    data += np.float32(1.0)
    data *= idf[indices]
    squares = (data * data).astype(np.float64)
    sums = np.zeros(n, np.float64)
    filled = np.diff(indptr) > 0
    sums[filled] = np.add.reduceat(squares, indptr[:-1][filled])
    norms = np.sqrt(sums)
    norms[norms == 0] = 1.0
    data = (data / np.repeat(norms, np.diff(indptr))).astype(np.float32)
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(n, len(vocabulary)), dtype=np.float32)
    return matrix, vocabulary, idf
