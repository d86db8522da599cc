"""Nearest sentences for many concurrent requests: queries that wait together are served together.

Encoding one short query with e5-small costs nearly as much as encoding a dozen (the model's
fixed cost per call dominates), and scoring a dozen queries against every stored vector is one
matrix product instead of a dozen. :class:`QueryBatcher` runs one batch at a time, off the
event loop; the queries that arrive while it runs form the next batch, so under load the
latency grows with the number of batches, not of queries, and an idle service adds no waiting.
The search is exact: every stored sentence is scored (10,000 x 384 floats per query is
microseconds of a matrix product).
"""

from __future__ import annotations

import asyncio
from typing import Optional

import numpy as np

from embeddings.base import Encoder

MAX_BATCH = 64  # queries served by one batch


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
    """Encode and search query texts in batches, one batch at a time, off the event loop.

    Args:
        encoder: the model's encoder, loaded once for the service.
        max_batch: most queries served by one batch.
    """

    def __init__(self, encoder: Encoder, max_batch: int = MAX_BATCH):
        if max_batch < 1:
            raise ValueError(f"max_batch must be >= 1, got {max_batch}")
        self.encoder = encoder
        self.max_batch = max_batch
        self._queue: Optional[asyncio.Queue] = None
        self._worker: Optional[asyncio.Task] = None

    async def nearest(self, text: str, embeddings: np.ndarray, top_k: int) -> list[tuple[int, float]]:
        """The ``top_k`` rows of ``embeddings`` (unit vectors) nearest to ``text``, with cosines."""
        loop = asyncio.get_running_loop()
        if self._worker is None or self._worker.done():
            self._queue = asyncio.Queue()
            self._worker = loop.create_task(self._run())
        future = loop.create_future()
        await self._queue.put((text, embeddings, top_k, future))
        return await future

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self.max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                found = await loop.run_in_executor(None, self._serve, batch)
            except Exception as error:  # every waiting request gets the error, the worker lives on
                found = [error] * len(batch)
            for (*_, future), result in zip(batch, found):
                if future.done():
                    continue
                if isinstance(result, Exception):
                    future.set_exception(result)
                else:
                    future.set_result(result)

    def _serve(self, batch: list) -> list:
        vectors = self.encoder.encode([text for text, *_ in batch], batch_size=self.max_batch)
        results: list = [None] * len(batch)
        by_corpus: dict[int, list[int]] = {}  # requests reading one snapshot's vectors share a product
        for i, (_, embeddings, _, _) in enumerate(batch):
            by_corpus.setdefault(id(embeddings), []).append(i)
        for members in by_corpus.values():
            embeddings = batch[members[0]][1]
            scores = vectors[members] @ embeddings.T
            k = max(batch[i][2] for i in members)
            for i, rows in zip(members, top_rows(scores, k)):
                results[i] = rows[:batch[i][2]]
        return results

    async def close(self) -> None:
        """Stop the worker (pending requests are cancelled)."""
        if self._worker is not None:
            self._worker.cancel()
            try:
                await self._worker
            except (asyncio.CancelledError, Exception):
                pass


__all__ = ["MAX_BATCH", "QueryBatcher", "top_rows"]
