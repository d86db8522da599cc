"""FAISS vector index: exact inner product for small corpora, IVF above a measured size.

Vectors are L2-normalised, so inner product is cosine similarity. ``benchmarks/speed.py``
measured where exact search stops being the better choice on a 2-core machine and the
recall of the IVF settings against exact search; the defaults below come from there.
"""

from __future__ import annotations

import math
import os
from typing import NamedTuple

import faiss
import numpy as np

# Up to this many vectors an exact search of every neighbour list stays within a few
# seconds on 2 cores (benchmarks/speed.py); above it the IVF index is used.
EXACT_MAX = 50_000
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
        nlist: IVF cells; default ``4 * sqrt(n)`` rounded, at least 1.
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
        nprobe: int = 16,
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
            nlist = self.nlist or max(1, int(round(4 * math.sqrt(n))))
            nlist = min(nlist, n)
            quantizer = faiss.IndexFlatIP(dim)
            index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
            index.cp.seed = self.seed
            # k-means on a sample: 64 points per cell is plenty and keeps training time flat.
            rng = np.random.default_rng(self.seed)
            sample = vectors if n <= 64 * nlist else vectors[rng.choice(n, 64 * nlist, replace=False)]
            index.train(sample)
            index.nprobe = min(self.nprobe, nlist)
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
        return self

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
        scores, ids = self.index_.search(queries, k)
        scores = np.where(ids < 0, -np.inf, scores).astype(np.float32)
        return Neighbours(scores, ids.astype(np.int64))


def exact_neighbours(vectors: np.ndarray, k: int) -> Neighbours:
    """Exact k nearest neighbours of every vector among ``vectors`` (itself included)."""
    return VectorIndex(kind="exact").fit(vectors).search(vectors, k)
