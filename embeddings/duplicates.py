"""Exact-duplicate vectors collapsed before a neighbour search and expanded after it.

A sentence repeated 80,000 times (a pull quote, a pasted block) gives 80,000 identical
vectors. Searched as they are, they tie with each other: every cell product and every
candidate list grows with the square of the repeat count. The search runs on the
distinct vectors instead; each neighbour found then stands for all its copies, which
are listed in id order, a row's own id first among its copies.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

_PREFIX = 4  # coordinates compared first: distinct real vectors almost never share them
_CHUNK_ENTRIES = 1 << 21  # candidate entries expanded at once (ids + scores: ~25 MB)


class Neighbours(NamedTuple):
    """The k nearest vectors of each query: ``ids[i, r]`` has similarity ``scores[i, r]``.

    Missing neighbours (fewer than k reachable) have id -1 and score -inf.
    """

    scores: np.ndarray  # (n, k) float32, descending per row
    ids: np.ndarray  # (n, k) int64


def unique_rows(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows, by their bytes, in order of first occurrence.

    Returns:
        ``(first, inverse)``: the id of each distinct row's first occurrence (ascending)
        and, for every row, the number of its distinct row. Without duplicates,
        ``first`` is ``arange(n)``.
    """
    n = len(vectors)
    bits = np.ascontiguousarray(vectors).view(np.uint8).reshape(n, -1)
    if n == 0 or bits.shape[1] == 0:
        return np.arange(n), np.arange(n)
    # Cheap screen on a short prefix; only rows sharing one are compared in full.
    width = min(bits.shape[1], 4 * _PREFIX)
    prefix = np.ascontiguousarray(bits[:, :width]).view(np.dtype((np.void, width))).ravel()
    _, group, counts = np.unique(prefix, return_inverse=True, return_counts=True)
    inverse = np.arange(n)
    shared = np.flatnonzero(counts[group] > 1)
    if len(shared):
        seen: dict[bytes, int] = {}
        for i in shared.tolist():
            inverse[i] = seen.setdefault(bits[i].tobytes(), i)
    first = np.flatnonzero(inverse == np.arange(n))
    # Renumber: distinct row j is the j-th first occurrence.
    number = np.full(n, -1, np.int64)
    number[first] = np.arange(len(first))
    return first, number[inverse]


class Duplicates:
    """How rows map to distinct rows, and how to expand a search over distinct rows.

    Args:
        first: id of the first occurrence of each distinct row (from :func:`unique_rows`).
        inverse: distinct-row number of every row.
    """

    def __init__(self, first: np.ndarray, inverse: np.ndarray):
        self.first, self.inverse = first, inverse
        self.order = np.argsort(inverse, kind="stable")  # row ids, copies of one row together
        self.starts = np.searchsorted(inverse[self.order], np.arange(len(first) + 1))

    def _copies(self, width: int) -> np.ndarray:
        """(distinct, width): the first ``width`` row ids of each distinct row, -1 padded."""
        counts = np.diff(self.starts)
        j = np.arange(width)
        at = np.minimum(self.starts[:-1, None] + j, len(self.order) - 1)
        return np.where(j < counts[:, None], self.order[at], -1)

    def expand(self, found: Neighbours, k: int) -> Neighbours:
        """Neighbour lists over distinct rows → the first ``k`` rows they stand for."""
        q, kd = found.ids.shape
        copies = self._copies(k)
        ids = np.full((q, k), -1, np.int64)
        scores = np.full((q, k), -np.inf, np.float32)
        step = max(1, _CHUNK_ENTRIES // max(kd * k, 1))
        for start in range(0, q, step):
            d = found.ids[start : start + step]
            cand = np.where((d >= 0)[..., None], copies[np.maximum(d, 0)], -1).reshape(len(d), -1)
            cand_scores = np.repeat(found.scores[start : start + step], k, axis=1)
            valid = cand >= 0
            rank = np.cumsum(valid, axis=1) - 1
            r, c = np.nonzero(valid & (rank < k))
            ids[start + r, rank[r, c]] = cand[r, c]
            scores[start + r, rank[r, c]] = cand_scores[r, c]
        return Neighbours(scores, ids)

    def expand_self(self, found: Neighbours, distinct: np.ndarray, k: int) -> Neighbours:
        """Expand the search of the distinct rows among themselves to every row.

        Each row lists itself first among its copies (they all score the same), then
        the copies of the other neighbours, best first.
        """
        per_distinct = self.expand(found, k)
        u = len(self.first)
        hit = found.ids == np.arange(u)[:, None]
        own = np.where(hit.any(axis=1), found.scores[np.arange(u), hit.argmax(axis=1)],
                       np.einsum("ij,ij->i", distinct, distinct)).astype(np.float32)
        n = len(self.inverse)
        ids = np.empty((n, k), np.int64)
        scores = np.empty((n, k), np.float32)
        step = max(1, _CHUNK_ENTRIES // (k + 1))
        for start in range(0, n, step):
            rows = np.arange(start, min(start + step, n))
            d = self.inverse[rows]
            cand = np.hstack([rows[:, None], per_distinct.ids[d]])
            cand_scores = np.hstack([own[d][:, None], per_distinct.scores[d]])
            again = (cand == rows[:, None]) & (np.arange(k + 1) > 0)  # the row itself, listed twice
            cand[again], cand_scores[again] = -1, -np.inf
            # Best first; among equal scores the row itself first, then list order.
            position = np.broadcast_to(np.arange(k + 1), cand.shape)
            pick = np.lexsort((position, position > 0, -cand_scores), axis=1)[:, :k]
            ids[rows] = np.take_along_axis(cand, pick, axis=1)
            scores[rows] = np.take_along_axis(cand_scores, pick, axis=1)
        return Neighbours(scores, ids)
