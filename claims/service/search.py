"""Nearest sentences for many concurrent requests: queries that wait together are encoded together.

Encoding one short query with e5-small costs about as much as encoding a dozen: the model's
fixed cost per call dominates. :class:`QueryBatcher` runs one encoding at a time; the
queries that arrive while it runs form the next batch, so under load the latency grows with
the number of batches, not of queries, and an idle service adds no waiting.
"""

from __future__ import annotations

import asyncio
from typing import Optional, Sequence

import numpy as np

from embeddings.base import Encoder

MAX_BATCH = 64  # queries encoded in one call


class QueryBatcher:
    """Encode query texts in batches, one batch at a time, off the event loop.

    Args:
        encoder: the model's encoder, loaded once for the service.
        max_batch: most queries encoded in one call.
    """

    def __init__(self, encoder: Encoder, max_batch: int = MAX_BATCH):
        if max_batch < 1:
            raise ValueError(f"max_batch must be >= 1, got {max_batch}")
        self.encoder = encoder
        self.max_batch = max_batch
        self._queue: Optional[asyncio.Queue] = None
        self._worker: Optional[asyncio.Task] = None

    async def encode(self, text: str) -> np.ndarray:
        """The unit vector of ``text`` (shape ``(dim,)``)."""
        if self._worker is None or self._worker.done():
            self._queue = asyncio.Queue()
            self._worker = asyncio.get_running_loop().create_task(self._run())
        future = asyncio.get_running_loop().create_future()
        await self._queue.put((text, future))
        return await future

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self.max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            texts = [text for text, _ in batch]
            try:
                vectors = await loop.run_in_executor(None, self._encode, texts)
            except Exception as error:  # every waiting request gets the error, the worker lives on
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            for (_, future), vector in zip(batch, vectors):
                if not future.done():
                    future.set_result(vector)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.encoder.encode(list(texts), batch_size=self.max_batch)

    async def close(self) -> None:
        """Stop the worker (pending requests are cancelled)."""
        if self._worker is not None:
            self._worker.cancel()
            try:
                await self._worker
            except (asyncio.CancelledError, Exception):
                pass


def nearest_rows(index, query: np.ndarray, top_k: int) -> list[tuple[int, float]]:
    """Rows of ``index`` (a fitted :class:`embeddings.index.VectorIndex`) nearest to one unit
    vector, best first, with their cosines."""
    found = index.search(query.reshape(1, -1), top_k)
    return [(int(i), float(s)) for i, s in zip(found.ids[0], found.scores[0]) if i >= 0]


__all__ = ["MAX_BATCH", "QueryBatcher", "nearest_rows"]
