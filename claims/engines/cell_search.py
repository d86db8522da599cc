"""Nearest-neighbour search of the grouping as per-cell Ray tasks.

:class:`RayCellIndex` is an :class:`embeddings.index.VectorIndex` whose cell-by-cell search
of the indexed vectors runs on Ray: the cells (PCA projection and k-means on a sample,
trained on the driver with the same seed) are cut into batches of consecutive cells, and
each task receives only the vectors of its cells and of the vectors probing them. A
first round compares each cell with itself; a second, given each vector's k-th best score
so far, compares each cell with the vectors probing it as a neighbouring cell and offers
every pair to both sides. The driver merges the pairs into the neighbour lists. The
arithmetic per cell is the local index's (same products, same selection), so the lists,
and the groups built from them, are the local engine's.

Small inputs (up to ``exact_max`` distinct vectors) are searched exactly on the driver,
as locally: that search takes seconds and shipping vectors would cost more.
"""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_limits

from embeddings.cells import by_cell
from embeddings.index import EXACT_MAX, Neighbours, VectorIndex, _kth_per_row, _Lists, _row_blocks, _top_k

TASKS_PER_CPU = 4  # cell batches per CPU of the cluster: enough to balance uneven cells


def own_cells(vectors: np.ndarray, ids: np.ndarray, bounds: np.ndarray, k: int):
    """Each cell against itself: the k best (row, id, score) of each member, global ids."""
    found = []
    with threadpool_limits(1):
        for c in range(len(bounds) - 1):
            lo, hi = int(bounds[c]), int(bounds[c + 1])
            if lo == hi:
                continue
            cols = vectors[lo:hi].T
            for part in _row_blocks(np.arange(lo, hi), hi - lo):
                scores = vectors[part] @ cols
                r, col = _top_k(scores, k)
                found.append((ids[part[r]], ids[lo + col], scores[r, col]))
    return _concat(found)


def cross_cells(mem_vectors, mem_ids, mem_bounds, mem_bound, mem_probes, row_vectors, row_ids,
                row_bounds, row_bound, row_cell, k: int):
    """Each cell against the vectors probing it as a neighbour, pairs offered to both sides.

    ``mem_*`` describe the cells' members (cell c: ``mem_bounds[c]:mem_bounds[c+1]``) with
    their k-th best score so far and their other probed cells; ``row_*`` the vectors probing
    each cell (cell c: ``row_bounds[c]:row_bounds[c+1]``), their k-th best and own cell.
    """
    found = []
    with threadpool_limits(1):
        for c in range(len(mem_bounds) - 1):
            m_lo, m_hi = int(mem_bounds[c]), int(mem_bounds[c + 1])
            r_lo, r_hi = int(row_bounds[c]), int(row_bounds[c + 1])
            if m_lo == m_hi or r_lo == r_hi:
                continue
            members = np.arange(m_lo, m_hi)
            cols = mem_vectors[m_lo:m_hi].T
            blocks = _row_blocks(np.arange(r_lo, r_hi), m_hi - m_lo)
            offers = _Lists(len(members), k) if len(blocks) > 1 else None
            for part in blocks:
                scores = row_vectors[part] @ cols
                above = scores > row_bound[part][:, None]
                if offers is not None:
                    above &= scores >= _kth_per_row(scores, k)[:, None]
                r, col = np.nonzero(above)
                found.append((row_ids[part[r]], mem_ids[members[col]], scores[r, col]))
                # offered to the member too, unless it probes the row's cell (found from there)
                r2, c2 = np.nonzero(scores > mem_bound[members][None, :])
                back = ~(mem_probes[members[c2]] == row_cell[part[r2], None]).any(axis=1)
                r2, c2 = r2[back], c2[back]
                if offers is None:
                    found.append((mem_ids[members[c2]], row_ids[part[r2]], scores[r2, c2]))
                else:
                    offers.merge(c2, row_ids[part[r2]], scores[r2, c2])
            if offers is not None:
                c2, rank = np.nonzero(offers.ids >= 0)
                found.append((mem_ids[members[c2]], offers.ids[c2, rank], offers.scores[c2, rank]))
    return _concat(found)


def _concat(found):
    if not found:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
    return tuple(np.concatenate(a) for a in zip(*found))


class RayCellIndex(VectorIndex):
    """:class:`~embeddings.index.VectorIndex` whose cell search of its own vectors runs as Ray tasks.

    Args:
        tasks: cell batches per round; default ``TASKS_PER_CPU`` times the cluster's CPUs.
        max_retries: Ray retries of a cell task whose worker died.
        **kwargs: the :class:`~embeddings.index.VectorIndex` parameters (same defaults, so
            the same cells as the local engine).

    Attributes:
        cell_tasks_: cell tasks run by the last search (0 when it ran on the driver).
        shipped_bytes_: vector bytes sent to the cell tasks by the last search.
        returned_pairs_: candidate pairs the cell tasks sent back (20 bytes each).
    """

    def __init__(self, tasks: int | None = None, max_retries: int = 3, kind: str = "auto",
                 exact_max: int = EXACT_MAX, nlist: int | None = None, nprobe: int = 2,
                 hnsw_m: int = 32, ef_search: int = 64, threads: int | None = None, seed: int = 1234):
        super().__init__(kind=kind, exact_max=exact_max, nlist=nlist, nprobe=nprobe, hnsw_m=hnsw_m,
                         ef_search=ef_search, threads=threads, seed=seed)
        self.tasks = tasks
        self.max_retries = max_retries

    def _search_distinct(self, queries: np.ndarray, k: int, is_self: bool) -> Neighbours:
        self.cell_tasks_, self.shipped_bytes_, self.returned_pairs_ = 0, 0, 0
        if self.kind_ != "ivf" or not is_self:
            return super()._search_distinct(queries, k, is_self)
        return self._search_self_ray(k)

    def _batches(self) -> list[tuple[int, int]]:
        import ray

        nlist = len(self.centroids_)
        tasks = self.tasks or max(1, TASKS_PER_CPU * int(ray.cluster_resources().get("CPU", 1)))
        step = max(1, -(-nlist // tasks))
        return [(c, min(c + step, nlist)) for c in range(0, nlist, step)]

    def _search_self_ray(self, k: int) -> Neighbours:
        import ray

        vectors, probes, nlist = self.base_, self.probes_, len(self.centroids_)
        own_cell = probes[:, 0]
        lists = _Lists(len(vectors), k)
        own_task = ray.remote(max_retries=self.max_retries)(own_cells)
        cross_task = ray.remote(max_retries=self.max_retries)(cross_cells)
        batches = self._batches()
        futures = []
        for c0, c1 in batches:
            b0, b1 = int(self.bounds_[c0]), int(self.bounds_[c1])
            ids = self.order_[b0:b1]
            self.shipped_bytes_ += vectors[ids].nbytes
            futures.append(own_task.remote(vectors[ids], ids, self.bounds_[c0 : c1 + 1] - b0, k))
        self.cell_tasks_ += len(futures)
        self.returned_pairs_ += self._merge_as_ready(lists, futures)
        if self.nprobe_ == 1:
            return lists.result()
        probing, starts = by_cell(probes[:, 1:], nlist)
        bound = lists.kth()
        futures = []
        for c0, c1 in batches:
            b0, b1 = int(self.bounds_[c0]), int(self.bounds_[c1])
            mem = self.order_[b0:b1]
            rows = probing[starts[c0] : starts[c1]]
            self.shipped_bytes_ += vectors[mem].nbytes + vectors[rows].nbytes
            futures.append(cross_task.remote(
                vectors[mem], mem, self.bounds_[c0 : c1 + 1] - b0, bound[mem], probes[mem, 1:],
                vectors[rows], rows, starts[c0 : c1 + 1] - starts[c0], bound[rows], own_cell[rows], k))
        self.cell_tasks_ += len(futures)
        self.returned_pairs_ += self._merge_as_ready(lists, futures)
        return lists.result()

    @staticmethod
    def _merge_as_ready(lists: _Lists, futures: list) -> int:
        """Merge each task's pairs into the lists as it finishes; returns how many pairs came back.

        The lists keep each vector's k best whatever the order pairs arrive in (ties aside).
        """
        import ray

        pending, returned = list(futures), 0
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            rows, ids, scores = ray.get(done[0])
            lists.merge(rows, ids, scores)
            returned += len(rows)
        return returned
