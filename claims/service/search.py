"""Nearest sentences for many concurrent requests: queries that wait together are served together.

Encoding dominates a query's cost, and for e5-small on a CPU it grows with the tokens encoded
(measured: about the same CPU time per short query alone or in a batch of 20), so batching
saves the per-call overhead and the Python work per query, not the model's arithmetic; the
scoring of a batch against every stored vector is one matrix product. :class:`QueryBatcher`
runs ``workers`` batches at once, off the event loop; the queries arriving meanwhile form the
next batches, so an idle service adds no waiting. The search is exact: every stored sentence
is scored (10,000 x 384 floats per query is well under a millisecond of a matrix product).
"""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple, Optional

import numpy as np

from embeddings.base import Encoder

MAX_BATCH = 64  # queries served by one batch
WORKERS = 2  # batches encoded at once: one per core of the 2-core machine it was tuned on


class QueryTiming(NamedTuple):
    """Where one query's time went in the batcher, in seconds."""

    queued: float  # waiting for a free worker
    encode: float  # encoding its batch
    search: float  # scoring its batch against the stored vectors
    batch: int  # queries in its batch


def top_rows(scores: np.ndarray, k: int) -> list[list[tuple[int, float]]]:
    """For each row of ``scores`` (queries x sentences), the ``k`` best columns, best first."""
    k = min(k, scores.shape[1])
    if k == 0:
        return [[] for _ in range(len(scores))]
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    out = []
    for row, cols in zip(scores, part):
        cols = cols[np.lexsort((cols, -row[cols]))]  # by score, ties by row: deterministic
        out.append([(int(c), float(row[c])) for c in cols])
    return out


class QueryBatcher:
    """Encode and search query texts in batches, ``workers`` batches at a time, off the event loop.

    Each worker takes every query waiting when it is free (up to ``max_batch``), so an idle
    service answers a query at once and a busy one serves many per batch. Two workers keep
    both cores of a small machine busy: while one batch is encoded, the queries arriving
    form the other.

    Args:
        encoder: the model's encoder, loaded once for the service (thread-safe).
        max_batch: most queries served by one batch.
        workers: batches encoded at once, each on its own thread.
    """

    def __init__(self, encoder: Encoder, max_batch: int = MAX_BATCH, workers: int = WORKERS):
        if max_batch < 1:
            raise ValueError(f"max_batch must be >= 1, got {max_batch}")
        if workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        self.encoder = encoder
        self.max_batch = max_batch
        self.workers = workers
        self._queue: Optional[asyncio.Queue] = None
        self._tasks: list[asyncio.Task] = []
        self._pool: Optional[ThreadPoolExecutor] = None
        self._columns: dict[int, tuple[weakref.ref, np.ndarray]] = {}  # id(embeddings) -> its transpose
        self._columns_lock = threading.Lock()

    def columns(self, embeddings: np.ndarray) -> np.ndarray:
        """``embeddings.T`` as a C-contiguous array, made once per stored-vector array.

        ``queries @ embeddings.T`` on the strided transpose made OpenBLAS repack the whole
        10,000 x 384 matrix at every product: 4.4 ms of CPU for 8 queries against 1.8 ms on a
        contiguous copy (benchmarks/service.py's store). The copy lives as long as the array.
        """
        key = id(embeddings)
        with self._columns_lock:
            ref, columns = self._columns.get(key, (None, None))
            if ref is not None and ref() is embeddings:
                return columns
            columns = np.ascontiguousarray(embeddings.T)
            drop = lambda _, key=key: self._columns.pop(key, None)  # noqa: E731 - the array died
            self._columns[key] = (weakref.ref(embeddings, drop), columns)
            return columns

    async def nearest(self, text: str, embeddings: np.ndarray, top_k: int) -> list[tuple[int, float]]:
        """The ``top_k`` rows of ``embeddings`` (unit vectors) nearest to ``text``, with cosines."""
        rows, _ = await self.nearest_timed(text, embeddings, top_k)
        return rows

    async def nearest_timed(self, text: str, embeddings: np.ndarray,
                            top_k: int) -> tuple[list[tuple[int, float]], QueryTiming]:
        """:meth:`nearest`, and where the query's time went."""
        loop = asyncio.get_running_loop()
        if not self._tasks or any(t.done() for t in self._tasks):
            self._start(loop)
        future = loop.create_future()
        await self._queue.put((text, embeddings, top_k, future, time.perf_counter()))
        return await future

    def _start(self, loop) -> None:
        for task in self._tasks:
            task.cancel()
        self._queue = asyncio.Queue()
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="query")
        self._tasks = [loop.create_task(self._run()) for _ in range(self.workers)]

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self.max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                found = await loop.run_in_executor(self._pool, self._serve, batch)
            except Exception as error:  # every waiting request gets the error, the worker lives on
                found = [error] * len(batch)
            for (*_, future, _), result in zip(batch, found):
                if future.done():
                    continue
                if isinstance(result, Exception):
                    future.set_exception(result)
                else:
                    future.set_result(result)
            batch = found = None  # an idle worker holds no snapshot's vectors alive

    def _serve(self, batch: list) -> list:
        began = time.perf_counter()
        vectors = self.encoder.encode([text for text, *_ in batch], batch_size=self.max_batch)
        encoded = time.perf_counter()
        results: list = [None] * len(batch)
        by_corpus: dict[int, list[int]] = {}  # requests reading one snapshot's vectors share a product
        for i, (_, embeddings, *_) in enumerate(batch):
            by_corpus.setdefault(id(embeddings), []).append(i)
        for members in by_corpus.values():
            scores = vectors[members] @ self.columns(batch[members[0]][1])
            k = max(batch[i][2] for i in members)
            for i, rows in zip(members, top_rows(scores, k)):
                results[i] = rows[:batch[i][2]]
        done = time.perf_counter()
        return [(rows, QueryTiming(began - queued, encoded - began, done - encoded, len(batch)))
                for rows, (*_, queued) in zip(results, batch)]

    async def close(self) -> None:
        """Stop the workers (pending requests are cancelled)."""
        for task in self._tasks:
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass
        if self._pool is not None:
            self._pool.shutdown(wait=False)


__all__ = ["MAX_BATCH", "QueryBatcher", "QueryTiming", "WORKERS", "top_rows"]
