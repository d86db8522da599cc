"""Lexical similarity of French sentences (TF-IDF character n-grams, BM25).

Two lexical measures, both symmetric and in 0..1:

* ``"tfidf-char"``: cosine of TF-IDF vectors of character n-grams inside word boundaries
  (``char_wb``, 3-5, sublinear tf). Robust to inflection ("rejoindre"/"rejoint") and typos.
* ``"bm25"``: Okapi BM25 over accent-folded words without stop words, made symmetric and
  bounded: ``(bm25(a→b) / bm25(a→a) + bm25(b→a) / bm25(b→b)) / 2``, clipped to 1.

IDF comes from the texts given to :meth:`LexicalSimilarity.fit` (the corpus being grouped),
as in the pipeline. The pipeline's "hybrid" scoring, ``(cosine + w * tfidf-char) / (1 + w)``,
is :class:`claims.clauses.ClauseScorer` (``clauses=False``); ``benchmarks/calibrate.py``
fits w on CheckThat! 2020 train.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

import numpy as np
from scipy import sparse

DATA_DIR = Path(__file__).resolve().parent / "data"
KINDS = ("tfidf-char", "bm25")

# Same-length replacements, so offsets found in folded text hold in the original.
_CHAR_MAP = {
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\t": " ", "\n": " ", "\r": " ",
    "\u00ab": '"', "\u00bb": '"', "\u201c": '"', "\u201d": '"',
    "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u2010": "-",
}
_WORD = re.compile(r"[^\W_]+")


def fold_french(text: str, strip_accents: bool = True) -> str:
    """Lower-case ``text`` and unify apostrophes, spaces, quotes and dashes.

    The result has exactly the length of ``text`` (one character for one), so character
    offsets found in it point into the original.

    Args:
        text: any string.
        strip_accents: also drop diacritics ("é" → "e"; "œ" is kept).
    """
    out = []
    for ch in text:
        ch = _CHAR_MAP.get(ch, ch)
        low = ch.lower()
        if len(low) == 1:
            ch = low
        if strip_accents and not ch.isascii():
            parts = unicodedata.normalize("NFD", ch)
            if len(parts) > 1 and all(unicodedata.combining(c) for c in parts[1:]):
                ch = parts[0]
        out.append(ch)
    return "".join(out)


@lru_cache(maxsize=1)
def french_stopwords() -> frozenset[str]:
    """Accent-folded French function words of ``claims/data/lexical_stopwords_fr.txt``."""
    words = set()
    for line in (DATA_DIR / "lexical_stopwords_fr.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(fold_french(line))
    return frozenset(words)


def french_words(text: str, strip_accents: bool = True, stopwords: bool = False) -> list[str]:
    """Folded words of ``text`` ("l'Ukraine" → "l", "ukraine"), stop words dropped unless asked."""
    words = _WORD.findall(fold_french(text, strip_accents))
    if stopwords:
        return words
    stop = french_stopwords()
    return [w for w in words if w not in stop]


def alternation(forms: Iterable[str]) -> str:
    """Regex alternation of folded ``forms``, longest first; a space matches any spaces.

    Longest first, so "dollars canadiens" wins over "dollars" where both match.
    """
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in sorted(set(forms), key=len, reverse=True))


def _row_dots(a: sparse.csr_matrix, b: sparse.csr_matrix) -> np.ndarray:
    """Dot product of each row of ``a`` with the same row of ``b``."""
    return np.asarray(a.multiply(b).sum(axis=1)).ravel()


class LexicalSimilarity:
    """Symmetric lexical similarity in 0..1 between sentences of one corpus.

    Args:
        kind: "tfidf-char" or "bm25".
        ngram_range: character n-gram sizes for "tfidf-char".
        strip_accents: fold accents before comparing ("Etats" matches "États").
        k1: BM25 term-frequency saturation.
        b: BM25 length normalisation.

    Attributes:
        matrix_: (n, vocabulary) sparse matrix of the fitted texts.
        n_texts_: number of fitted texts.
    """

    def __init__(self, kind: str = "tfidf-char", ngram_range: tuple[int, int] = (3, 5),
                 strip_accents: bool = True, k1: float = 1.2, b: float = 0.75):
        self.kind = kind
        self.ngram_range = ngram_range
        self.strip_accents = strip_accents
        self.k1 = k1
        self.b = b

    def _check_params(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        lo, hi = self.ngram_range
        if not 1 <= lo <= hi:
            raise ValueError(f"ngram_range must be (lo, hi) with 1 <= lo <= hi, got {self.ngram_range}")
        if self.k1 < 0 or not 0 <= self.b <= 1:
            raise ValueError(f"need k1 >= 0 and 0 <= b <= 1, got k1={self.k1}, b={self.b}")

    def _preprocess(self, text: str) -> str:
        return fold_french(text, self.strip_accents)

    def fit(self, texts: Sequence[str]) -> "LexicalSimilarity":
        """Learn the vocabulary and IDF of ``texts`` and keep their vectors."""
        self._check_params()
        texts = list(texts)
        if self.kind == "tfidf-char":
            from sklearn.feature_extraction.text import TfidfVectorizer

            self.vectorizer_ = TfidfVectorizer(
                analyzer="char_wb", ngram_range=tuple(self.ngram_range), sublinear_tf=True,
                preprocessor=self._preprocess, lowercase=False, dtype=np.float32)
            if texts:
                self.matrix_ = self.vectorizer_.fit_transform(texts).tocsr()
            else:
                self.matrix_ = sparse.csr_matrix((0, 0), dtype=np.float32)
        else:
            self._fit_bm25(texts)
        self.n_texts_ = len(texts)
        return self

    # -- BM25 ----------------------------------------------------------------------------
    def _fit_bm25(self, texts: list[str]) -> None:
        docs = [Counter(french_words(t, self.strip_accents)) for t in texts]
        vocab: dict[str, int] = {}
        for doc in docs:
            for w in doc:
                vocab.setdefault(w, len(vocab))
        df = np.zeros(len(vocab), np.float64)
        for doc in docs:
            for w in doc:
                df[vocab[w]] += 1
        n = max(len(docs), 1)
        self.vocabulary_ = vocab
        self.idf_ = np.log1p((n - df + 0.5) / (df + 0.5))  # Lucene's IDF: never negative
        lengths = np.array([sum(d.values()) for d in docs], np.float64)
        self.avgdl_ = float(lengths.mean()) if len(lengths) and lengths.mean() > 0 else 1.0
        self.n_docs_ = n
        self.matrix_, self.presence_ = self._bm25_matrices(docs)
        self.self_scores_ = _row_dots(self.presence_, self.matrix_)

    def _bm25_matrices(self, docs: list[Counter]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """BM25 document weights and binary query vectors of ``docs`` (unknown words: max IDF)."""
        vocab = dict(self.vocabulary_)
        extra_idf = []
        rows, cols, weights = [], [], []
        max_idf = math.log1p((self.n_docs_ + 0.5) / 0.5)
        for r, doc in enumerate(docs):
            dl = sum(doc.values())
            norm = self.k1 * (1 - self.b + self.b * dl / self.avgdl_)
            for w, tf in doc.items():
                if w not in vocab:
                    vocab[w] = len(vocab)
                    extra_idf.append(max_idf)
                c = vocab[w]
                idf = self.idf_[c] if c < len(self.idf_) else extra_idf[c - len(self.idf_)]
                rows.append(r)
                cols.append(c)
                weights.append(idf * tf * (self.k1 + 1) / (tf + norm))
        shape = (len(docs), len(vocab))
        w = sparse.csr_matrix((weights, (rows, cols)), shape=shape, dtype=np.float64)
        q = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape, dtype=np.float64)
        return w, q

    @staticmethod
    def _bm25_symmetric(q_a, w_a, q_b, w_b) -> np.ndarray:
        # Pad to one width: texts scored after fit may add words unknown to the corpus.
        width = max(q_a.shape[1], q_b.shape[1])
        q_a, w_a, q_b, w_b = (m if m.shape[1] == width else sparse.csr_matrix(
            (m.data, m.indices, m.indptr), shape=(m.shape[0], width)) for m in (q_a, w_a, q_b, w_b))
        self_a, self_b = _row_dots(q_a, w_a), _row_dots(q_b, w_b)
        ab, ba = _row_dots(q_a, w_b), _row_dots(q_b, w_a)
        with np.errstate(divide="ignore", invalid="ignore"):
            s = 0.5 * (np.where(self_a > 0, ab / self_a, 0.0) + np.where(self_b > 0, ba / self_b, 0.0))
        return np.clip(s, 0.0, 1.0)

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
        if self.kind == "tfidf-char":
            s = _row_dots(self.matrix_[i_idx], self.matrix_[j_idx])
        else:
            s = self._bm25_symmetric(self.presence_[i_idx], self.matrix_[i_idx],
                                     self.presence_[j_idx], self.matrix_[j_idx])
        return np.clip(s, 0.0, 1.0).astype(np.float32)

    def similarity(self, a_text: str, b_text: str) -> float:
        """Similarity of two texts, with the vocabulary and IDF learnt by :meth:`fit`."""
        self._check_fitted()
        if self.kind == "tfidf-char":
            m = self.vectorizer_.transform([a_text, b_text])
            return float(np.clip(m[0].multiply(m[1]).sum(), 0.0, 1.0))
        docs = [Counter(french_words(t, self.strip_accents)) for t in (a_text, b_text)]
        w, q = self._bm25_matrices(docs)
        return float(self._bm25_symmetric(q[[0]], w[[0]], q[[1]], w[[1]])[0])
