"""Nearest-neighbour search: exact (FAISS) for small corpora, a cell-by-cell IVF search above.

Vectors are L2-normalised, so inner product is cosine similarity. ``benchmarks/speed.py``
measured where exact search stops being the better choice on a 2-core machine and the
recall of the IVF settings against exact search; the defaults below come from there.

The IVF search partitions the vectors into cells (k-means on a 64-d PCA projection) and
compares each vector with the vectors of its ``nprobe`` nearest cells. The comparisons are
matrix products of one cell's vectors against the vectors probing it, on the full vectors,
so the scores are true cosines; only which neighbours are found is approximate. When the
queries are the indexed vectors themselves (grouping, hubness), a pair compared for one of
its vectors is offered to the other too: a pair straddling a cell border is found from
either side. The cells are spread over a thread pool running single-threaded BLAS, which
beats nested threading on many small products and stays fast on a busy machine.

Work is bounded per input: exact-duplicate vectors are searched once (see
:mod:`embeddings.duplicates`), and a cell too large for one product is compared in
blocks of rows, so no product's memory grows with the square of a cell's size.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor

import faiss
import numpy as np
from threadpoolctl import threadpool_limits

from .cells import by_cell, kmeans, nearest, pca
from .duplicates import Duplicates, Neighbours, unique_rows

# Up to this many vectors an exact search of every neighbour list stays within a few
# seconds on 2 cores (benchmarks/speed.py); above it the IVF search is used.
EXACT_MAX = 10_000
CELL_PCA_DIM = 64  # dimensions the cells are found in (the comparisons use all of them)
TRAIN_PER_CELL = 40  # k-means sample size per cell: enough, and keeps training time flat
KMEANS_ITER = 10
PCA_SAMPLE = 10_000  # vectors the PCA is fitted on: plenty for 64 axes
MERGE_EVERY = 4_000_000  # candidate pairs buffered before they are merged into the lists
KINDS = ("auto", "exact", "ivf", "hnsw")
# Scores computed at once by one cell product (64 MB of float32). Cells up to ~2,900
# vectors fit in one product, far above the ~200 of a balanced cell; larger ones are
# compared in blocks of rows.
BLOCK_ENTRIES = 1 << 24
TIES_PER_ROW = 4  # candidates per row and per k beyond which ties are cut to k per row

__all__ = ["Neighbours", "VectorIndex", "exact_neighbours", "KINDS"]


def _as_float32(vectors: np.ndarray) -> np.ndarray:
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if vectors.ndim != 2:
        raise ValueError(f"expected a 2-d array of vectors, got shape {vectors.shape}")
    return vectors


class VectorIndex:
    """Nearest-neighbour search over L2-normalised vectors.

    Identical vectors are indexed once; results list every copy (see
    :mod:`embeddings.duplicates`), so the kind chosen by "auto" and the IVF cells follow
    the number of distinct vectors.

    Args:
        kind: "exact" (``IndexFlatIP``), "ivf" (cells searched with matrix products),
            "hnsw" (``IndexHNSWFlat``) or "auto": exact up to ``exact_max`` vectors, IVF above.
        exact_max: size limit of the exact index when ``kind="auto"``.
        nlist: IVF cells; default ``sqrt(2 * nprobe * n)``, which balances the cost of
            finding the cells of every vector with the cost of comparing within them.
        nprobe: IVF cells compared per query.
        hnsw_m: HNSW graph degree.
        ef_search: HNSW search breadth.
        threads: worker threads (FAISS OpenMP threads for exact and HNSW); default all cores.
        seed: seed of the IVF sample and k-means, so the same vectors give the same index.

    Attributes:
        kind_: the index kind actually built.
        index_: the FAISS index (None for "ivf").
        ntotal_: number of vectors indexed.
        duplicates_: the :class:`Duplicates` map when some vectors are identical, else None.
        projection_, centroids_: IVF only: the PCA projection (d, 64) the cells are found
            in, and the cell centres in it.
        probes_: IVF only: the ``nprobe`` nearest cells of each distinct indexed vector,
            its own first.
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
        for name in ("nlist", "threads"):
            if getattr(self, name) is not None and getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")

    def fit(self, vectors: np.ndarray) -> "VectorIndex":
        """Build the index over ``vectors`` (n, d)."""
        self._check_params()
        vectors = _as_float32(vectors)
        n, dim = vectors.shape
        self.threads_ = self.threads or os.cpu_count() or 1
        faiss.omp_set_num_threads(self.threads_)
        self.ntotal_ = n
        self.vectors_ = vectors  # a view when the input was float32 already: no copy
        first, inverse = unique_rows(vectors)
        self.duplicates_ = Duplicates(first, inverse) if len(first) < n else None
        self.base_ = vectors if self.duplicates_ is None else vectors[first]  # what is searched
        kind = self.kind
        if kind == "auto":
            kind = "exact" if len(self.base_) <= self.exact_max else "ivf"
        self.kind_ = kind
        self.index_ = None
        if kind == "ivf":
            if n:
                self._fit_cells(self.base_)
            return self
        if kind == "hnsw":
            index = faiss.IndexHNSWFlat(dim, self.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efSearch = self.ef_search
        else:
            index = faiss.IndexFlatIP(dim)
        if n:
            index.add(self.base_)
        self.index_ = index
        return self

    def search(self, queries: np.ndarray, k: int) -> Neighbours:
        """The ``k`` nearest indexed vectors of each query, best first."""
        if not hasattr(self, "kind_"):
            raise RuntimeError("VectorIndex.search called before fit")
        if k < 1:
            raise ValueError(f"k must be >= 1, got {k}")
        queries = _as_float32(queries)
        k = min(k, max(self.ntotal_, 1))
        if self.ntotal_ == 0 or len(queries) == 0:
            return _empty(len(queries), k)
        is_self = queries is self.vectors_ or (queries.shape == self.vectors_.shape
                                               and np.array_equal(queries, self.vectors_))
        dups = self.duplicates_
        if dups is None:
            return self._search_distinct(queries, k, is_self)
        # Each distinct vector stands for all its copies: k distinct neighbours are enough.
        kd = min(k, len(self.base_))
        if is_self:
            return dups.expand_self(self._search_distinct(self.base_, kd, True), self.base_, k)
        return dups.expand(self._search_distinct(queries, kd, False), k)

    def _search_distinct(self, queries: np.ndarray, k: int, is_self: bool) -> Neighbours:
        """Search the distinct vectors; ``is_self`` when ``queries`` are exactly them."""
        if self.kind_ != "ivf":
            scores, ids = self.index_.search(queries, k)
            scores = np.where(ids < 0, -np.inf, scores).astype(np.float32)
            return Neighbours(scores, ids.astype(np.int64))
        with threadpool_limits(1), ThreadPoolExecutor(self.threads_) as pool:
            return self._search_self(k, pool) if is_self else self._search_cells(queries, k, pool)

    # IVF: cells ----------------------------------------------------------------------

    def _fit_cells(self, vectors: np.ndarray) -> None:
        n, dim = vectors.shape
        nlist = min(n, self.nlist or max(1, round(math.sqrt(2 * self.nprobe * n))))
        self.nprobe_ = min(self.nprobe, nlist)
        rng = np.random.default_rng(self.seed)
        size = min(n, max(TRAIN_PER_CELL * nlist, 10_000))
        sample = vectors if size == n else vectors[np.sort(rng.choice(n, size, replace=False))]
        with threadpool_limits(1), ThreadPoolExecutor(self.threads_) as pool:
            spread = sample[:: max(1, len(sample) // PCA_SAMPLE)]  # from the whole corpus
            self.projection_ = pca(spread, min(CELL_PCA_DIM, dim))
            self.centroids_ = kmeans(sample @ self.projection_, nlist, rng, pool, KMEANS_ITER)
            self.probes_ = self._probe(vectors, pool)
        cell = self.probes_[:, 0]
        self.order_ = np.argsort(cell, kind="stable")  # vector ids, cell by cell
        self.bounds_ = np.searchsorted(cell[self.order_], np.arange(nlist + 1))

    def _probe(self, vectors: np.ndarray, pool, chunk: int = 8192) -> np.ndarray:
        """The ``nprobe`` nearest cells of each vector, nearest first: (n, nprobe) int32."""
        out = np.empty((len(vectors), self.nprobe_), np.int32)

        def job(start: int) -> None:
            z = vectors[start : start + chunk] @ self.projection_
            out[start : start + chunk] = nearest(z, self.centroids_, self.nprobe_)

        list(pool.map(job, range(0, len(vectors), chunk)))
        return out

    def _members(self, cell: int) -> np.ndarray:
        return self.order_[self.bounds_[cell] : self.bounds_[cell + 1]]

    def _search_cells(self, queries: np.ndarray, k: int, pool) -> Neighbours:
        """Each query against the vectors of its ``nprobe`` nearest cells."""
        lists = _Lists(len(queries), k)
        probing, starts = by_cell(self._probe(queries, pool), len(self.centroids_))

        def block(cell: int):
            members, rows = self._members(cell), probing[starts[cell] : starts[cell + 1]]
            if not len(members) or not len(rows):
                return None
            found = []
            cols = self.base_[members].T
            for part in _row_blocks(rows, len(members)):
                scores = queries[part] @ cols
                r, c = _top_k(scores, k)
                found.append((part[r], members[c], scores[r, c]))
            return tuple(np.concatenate(a) for a in zip(*found))

        lists.add_all(pool, block, len(self.centroids_))
        return lists.result()

    def _search_self(self, k: int, pool) -> Neighbours:
        """Neighbours of every indexed vector: its own cell, then the other probed cells."""
        vectors, probes, nlist = self.base_, self.probes_, len(self.centroids_)
        own_cell = probes[:, 0]
        lists = _Lists(len(vectors), k)

        def own(cell: int) -> None:  # each vector is in one cell: the rows written are disjoint
            members = self._members(cell)
            cols = vectors[members].T
            for part in _row_blocks(members, len(members)):
                scores = vectors[part] @ cols
                r, c = _top_k(scores, k)
                lists.merge(part[r], members[c], scores[r, c])

        list(pool.map(own, range(nlist)))
        if self.nprobe_ == 1:
            return lists.result()
        probing, starts = by_cell(probes[:, 1:], nlist)
        bound = lists.kth()  # only pairs beating a vector's k-th best so far can enter

        def cross(cell: int):
            members, rows = self._members(cell), probing[starts[cell] : starts[cell + 1]]
            if not len(members) or not len(rows):
                return None
            cols = vectors[members].T
            blocks = _row_blocks(rows, len(members))
            # A cell compared in several blocks keeps only each member's k best offers
            # across blocks, so what it returns stays linear in the cell's size.
            offers = _Lists(len(members), k) if len(blocks) > 1 else None
            forward, backward = [], []
            for part in blocks:
                scores = vectors[part] @ cols
                above = scores > bound[part][:, None]
                if offers is not None:
                    above &= scores >= _kth_per_row(scores, k)[:, None]
                r, c = np.nonzero(above)
                forward.append((part[r], members[c], scores[r, c]))
                # The same pair offered to the member, unless the member probes the row's
                # cell itself (then it is found from that side, once).
                r2, c2 = np.nonzero(scores > bound[members][None, :])
                back = ~(probes[members[c2], 1:] == own_cell[part[r2], None]).any(axis=1)
                r2, c2 = r2[back], c2[back]
                if offers is None:
                    backward.append((members[c2], part[r2], scores[r2, c2]))
                else:
                    offers.merge(c2, part[r2], scores[r2, c2])
            if offers is not None:
                c2, rank = np.nonzero(offers.ids >= 0)
                backward.append((members[c2], offers.ids[c2, rank], offers.scores[c2, rank]))
            return tuple(np.concatenate(a) for a in zip(*(forward + backward)))

        lists.add_all(pool, cross, nlist, on_merge=lambda: np.copyto(bound, lists.kth()))
        return lists.result()


class _Lists:
    """Best-first neighbour lists of ``n`` queries, grown by merging candidate pairs."""

    def __init__(self, n: int, k: int):
        self.scores = np.full((n, k), -np.inf, np.float32)
        self.ids = np.full((n, k), -1, np.int64)

    def kth(self) -> np.ndarray:
        return self.scores[:, -1].copy()

    def add_all(self, pool, block, nlist: int, on_merge=None, batch: int = 64) -> None:
        """Run ``block(cell)`` for every cell on the pool; merge its (rows, ids, scores)."""
        pending, size = [], 0
        for start in range(0, nlist, batch):
            for found in pool.map(block, range(start, min(start + batch, nlist))):
                if found is not None:
                    pending.append(found)
                    size += len(found[0])
            if pending and (size >= MERGE_EVERY or start + batch >= nlist):
                self.merge_parallel(pool, *(np.concatenate(parts) for parts in zip(*pending)))
                pending, size = [], 0
                if on_merge is not None:
                    on_merge()

    def merge_parallel(self, pool, rows, ids, scores, parts: int = 16) -> None:
        """:meth:`merge` in slices of rows, on the pool."""
        n = len(self.scores)
        slice_of = (rows * parts // n).astype(np.uint8)
        order = np.argsort(slice_of, kind="stable")  # radix sort of small ints
        starts = np.searchsorted(slice_of[order], np.arange(parts + 1))
        rows, ids, scores = rows[order], ids[order], scores[order]
        list(pool.map(lambda p: self.merge(*(a[starts[p] : starts[p + 1]] for a in (rows, ids, scores))),
                      range(parts)))

    def merge(self, rows: np.ndarray, ids: np.ndarray, scores: np.ndarray) -> None:
        """Keep the k best of each row among its list and the new pairs (no duplicates)."""
        if not len(rows):
            return
        n, k = self.scores.shape
        if len(rows) * 8 > n:
            touched = np.zeros(n, bool)
            touched[rows] = True
            touched = np.flatnonzero(touched)
        else:
            touched = np.unique(rows)
        rows = np.concatenate([np.repeat(touched, k), rows])
        ids = np.concatenate([self.ids[touched].ravel(), ids])
        scores = np.concatenate([self.scores[touched].ravel(), scores])
        # Sort by row, then by descending score: cosines lie in [-1, 1] (-inf, a missing
        # neighbour, is clipped to -2) so rows 4 apart never interleave, and float64 keeps
        # distinct float32 cosines apart for up to ~10M rows.
        order = np.argsort(4.0 * rows - np.maximum(scores, -2.0))
        rows = rows[order]
        first = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        rank = np.arange(len(rows)) - np.repeat(first, np.diff(np.r_[first, len(rows)]))
        keep = rank < k
        self.scores[rows[keep], rank[keep]] = scores[order[keep]]
        self.ids[rows[keep], rank[keep]] = ids[order[keep]]

    def result(self) -> Neighbours:
        return Neighbours(self.scores, self.ids)


def _row_blocks(rows: np.ndarray, width: int) -> list[np.ndarray]:
    """``rows`` cut so that each block times ``width`` columns fits in BLOCK_ENTRIES."""
    step = max(1, BLOCK_ENTRIES // max(width, 1))
    return [rows[s : s + step] for s in range(0, len(rows), step)]


def _top_k(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of the k best scores of each row, ties at the k-th included.

    Mass ties (many vectors at one score) are cut to exactly k per row, so that the
    candidates stay O(k) per row whatever the input.
    """
    r, c = np.nonzero(scores >= _kth_per_row(scores, k)[:, None])
    if len(r) > TIES_PER_ROW * k * len(scores) and scores.shape[1] > k:
        c = np.argpartition(scores, scores.shape[1] - k, axis=1)[:, -k:].ravel()
        r = np.repeat(np.arange(len(scores)), k)
    return r, c


def _kth_per_row(scores: np.ndarray, k: int) -> np.ndarray:
    """k-th highest score of each row (-inf when a row has fewer than k)."""
    if scores.shape[1] <= k:
        return np.full(len(scores), -np.inf, np.float32)
    cut = scores.shape[1] - k
    return np.partition(scores, cut, axis=1)[:, cut]


def _empty(n: int, k: int) -> Neighbours:
    return Neighbours(np.full((n, k), -np.inf, np.float32), np.full((n, k), -1, np.int64))


def exact_neighbours(vectors: np.ndarray, k: int) -> Neighbours:
    """Exact k nearest neighbours of every vector among ``vectors`` (itself included)."""
    return VectorIndex(kind="exact").fit(vectors).search(vectors, k)
