"""FAISS vector index: exact inner product for small corpora, IVF above a measured size.

Vectors are L2-normalised, so inner product is cosine similarity. ``benchmarks/speed.py``
measured where exact search stops being the better choice on a 2-core machine and the
recall of the IVF settings against exact search; the defaults below come from there.

The IVF index searches a PCA projection of the vectors (128 dimensions: 3x less work per
candidate) and the candidates are then re-scored exactly on the full vectors, so the
scores it returns are true cosines; only which neighbours are found is approximate.
"""

from __future__ import annotations

import math
import os
from typing import NamedTuple

import faiss
import numpy as np

# Up to this many vectors an exact search of every neighbour list stays within a few
# seconds on 2 cores (benchmarks/speed.py); above it the IVF index is used.
EXACT_MAX = 10_000
PCA_DIM = 128
REFINE_FACTOR = 3  # IVF candidates fetched per neighbour asked, before exact re-scoring
KINDS = ("auto", "exact", "ivf", "hnsw")


class Neighbours(NamedTuple):
    """The k nearest vectors of each query: ``ids[i, r]`` has similarity ``scores[i, r]``.

    Missing neighbours (fewer than k reachable) have id -1 and score -inf.
    """

    scores: np.ndarray  # (n, k) float32, descending per row
    ids: np.ndarray  # (n, k) int64


def _as_float32(vectors: np.ndarray) -> np.ndarray:
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if vectors.ndim != 2:
        raise ValueError(f"expected a 2-d array of vectors, got shape {vectors.shape}")
    return vectors


class VectorIndex:
    """Nearest-neighbour search over L2-normalised vectors.

    Args:
        kind: "exact" (``IndexFlatIP``), "ivf" (``IndexIVFFlat``), "hnsw" (``IndexHNSWFlat``)
            or "auto": exact up to ``exact_max`` vectors, IVF above.
        exact_max: size limit of the exact index when ``kind="auto"``.
        nlist: IVF cells; default ``sqrt(nprobe * n)``, which balances the cost of
            finding the cells with the cost of scanning them.
        nprobe: IVF cells visited per query.
        hnsw_m: HNSW graph degree.
        ef_search: HNSW search breadth.
        threads: FAISS OpenMP threads; default all cores.
        seed: seed of the IVF k-means, so the same vectors give the same index.

    Attributes:
        kind_: the index kind actually built.
        index_: the FAISS index.
        ntotal_: number of vectors indexed.
    """

    def __init__(
        self,
        kind: str = "auto",
        exact_max: int = EXACT_MAX,
        nlist: int | None = None,
        nprobe: int = 2,
        hnsw_m: int = 32,
        ef_search: int = 64,
        threads: int | None = None,
        seed: int = 1234,
    ):
        self.kind = kind
        self.exact_max = exact_max
        self.nlist = nlist
        self.nprobe = nprobe
        self.hnsw_m = hnsw_m
        self.ef_search = ef_search
        self.threads = threads
        self.seed = seed

    def _check_params(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        for name in ("exact_max", "nprobe", "hnsw_m", "ef_search"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        if self.nlist is not None and self.nlist < 1:
            raise ValueError(f"nlist must be >= 1, got {self.nlist}")

    def fit(self, vectors: np.ndarray) -> "VectorIndex":
        """Build the index over ``vectors`` (n, d)."""
        self._check_params()
        vectors = _as_float32(vectors)
        n, dim = vectors.shape
        faiss.omp_set_num_threads(self.threads or os.cpu_count() or 1)
        kind = self.kind
        if kind == "auto":
            kind = "exact" if n <= self.exact_max else "ivf"
        if kind == "ivf":
            index = self._build_ivf(vectors)
        elif kind == "hnsw":
            index = faiss.IndexHNSWFlat(dim, self.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efSearch = self.ef_search
        else:
            index = faiss.IndexFlatIP(dim)
        if n:
            index.add(vectors)
        self.kind_ = kind
        self.index_ = index
        self.ntotal_ = n
        self.vectors_ = vectors  # a view when the input was float32 already: no copy
        return self

    def _build_ivf(self, vectors: np.ndarray):
        n, dim = vectors.shape
        nlist = min(n, self.nlist or max(1, int(round(math.sqrt(self.nprobe * n)))))
        ivf_dim = min(PCA_DIM, dim)
        quantizer = faiss.IndexFlatIP(ivf_dim)
        ivf = faiss.IndexIVFFlat(quantizer, ivf_dim, nlist, faiss.METRIC_INNER_PRODUCT)
        ivf.cp.seed = self.seed
        ivf.cp.niter = 10
        ivf.nprobe = min(self.nprobe, nlist)
        index = ivf
        if ivf_dim < dim:
            pca = faiss.PCAMatrix(dim, ivf_dim)
            index = faiss.IndexPreTransform(pca, ivf)
        # k-means on a sample: 40 points per cell is plenty and keeps training time flat.
        rng = np.random.default_rng(self.seed)
        size = min(n, max(40 * nlist, 10_000))
        sample = vectors if size == n else vectors[np.sort(rng.choice(n, size, replace=False))]
        index.train(sample)
        self._ivf = ivf  # kept so the Python wrapper of the inner index outlives the transform
        return index

    def search(self, queries: np.ndarray, k: int) -> Neighbours:
        """The ``k`` nearest indexed vectors of each query, best first."""
        if not hasattr(self, "index_"):
            raise RuntimeError("VectorIndex.search called before fit")
        if k < 1:
            raise ValueError(f"k must be >= 1, got {k}")
        queries = _as_float32(queries)
        k = min(k, max(self.ntotal_, 1))
        if self.ntotal_ == 0 or len(queries) == 0:
            return Neighbours(
                np.full((len(queries), k), -np.inf, np.float32), np.full((len(queries), k), -1, np.int64)
            )
        if self.kind_ != "ivf":
            scores, ids = self.index_.search(queries, k)
            scores = np.where(ids < 0, -np.inf, scores).astype(np.float32)
            return Neighbours(scores, ids.astype(np.int64))
        return self._search_refined(queries, k)

    def _search_refined(self, queries: np.ndarray, k: int, chunk: int = 2_000) -> Neighbours:
        """IVF candidates re-scored exactly on the full vectors, best ``k`` kept."""
        wide = min(k * REFINE_FACTOR, self.ntotal_)
        out_scores = np.empty((len(queries), k), np.float32)
        out_ids = np.empty((len(queries), k), np.int64)
        for start in range(0, len(queries), chunk):
            q = queries[start : start + chunk]
            _, cand = self.index_.search(q, wide)
            exact = np.einsum("qd,qkd->qk", q, self.vectors_[np.maximum(cand, 0)])
            exact = np.where(cand < 0, -np.inf, exact)
            top = np.argsort(-exact, axis=1, kind="stable")[:, :k]
            out_scores[start : start + len(q)] = np.take_along_axis(exact, top, 1)
            out_ids[start : start + len(q)] = np.where(
                np.isinf(np.take_along_axis(exact, top, 1)), -1, np.take_along_axis(cand, top, 1))
        return Neighbours(out_scores, out_ids)


def exact_neighbours(vectors: np.ndarray, k: int) -> Neighbours:
    """Exact k nearest neighbours of every vector among ``vectors`` (itself included)."""
    return VectorIndex(kind="exact").fit(vectors).search(vectors, k)
