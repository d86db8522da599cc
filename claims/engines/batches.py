"""The encoder batches both engines use: one order of the corpus's distinct sentences by length.

The int8 encoder quantises activations per batch (dynamic quantisation), so a sentence's
vector depends on the sentences sharing its batch. Both engines therefore encode the same
batches: the distinct sentences of the corpus (first occurrence kept), sorted by length
(stable), cut into runs of :data:`BATCH_SIZE`. The local engine hands that sorted list to its
encoder in one call; the Ray engine cuts it into chunks of whole batches
(:func:`chunk_bounds`) and gives each chunk to an encoder actor. An encoder sorts its input
by length, stably, before batching, so an input already in that order is batched as given.
Sorting by length also keeps padding low.
"""

from __future__ import annotations

from typing import Callable, Optional, Sequence

import numpy as np

BATCH_SIZE = 32  # sentences per forward pass (the encoders' default)
CHUNK_BATCHES = 32  # batches per chunk shipped to an encoder actor (1,024 sentences)


def length_order(texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """The distinct texts sorted by length, and where each of ``texts`` is in that list.

    Returns:
        ``(ordered, where)``: ``ordered[where[i]] == texts[i]`` for every i.
    """
    distinct = list(dict.fromkeys(texts))
    order = np.argsort(np.fromiter((len(t) for t in distinct), np.int64, len(distinct)), kind="stable")
    position = np.empty(len(distinct), np.int64)
    position[order] = np.arange(len(distinct))
    slot = dict(zip(distinct, position.tolist()))
    return [distinct[i] for i in order], np.fromiter((slot[t] for t in texts), np.int64, len(texts))


def chunk_bounds(n: int, per_chunk: int = BATCH_SIZE * CHUNK_BATCHES) -> list[tuple[int, int]]:
    """``(start, end)`` of consecutive chunks of ``n`` ordered texts, each a run of whole batches."""
    if per_chunk < 1 or per_chunk % BATCH_SIZE:
        raise ValueError(f"a chunk must hold whole batches of {BATCH_SIZE}, got {per_chunk}")
    return [(start, min(start + per_chunk, n)) for start in range(0, n, per_chunk)]


def encode_in_length_order(encoder, texts: Sequence[str],
                           progress: Optional[Callable[[int], Callable[[int], None]]] = None) -> np.ndarray:
    """Vectors of ``texts`` encoded in the batches of :func:`length_order` (the local engine's way).

    ``progress(total)`` returns a callback advanced by the sentences of each batch; the
    total is the number of distinct texts.
    """
    ordered, where = length_order(texts)
    if not ordered:
        return np.zeros((0, encoder.dim), np.float32)
    vectors = encoder.encode(ordered, batch_size=BATCH_SIZE, progress=progress(len(ordered)) if progress else None)
    return vectors[where]
