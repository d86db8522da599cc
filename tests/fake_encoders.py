"""Stand-in models for tests: a hashed bag of words, so sentences sharing words are close.

No model is loaded, the vectors are the same on every machine, and which sentences come
out near each other can be read off their words.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from typing import Iterator, Sequence

import numpy as np

from claims.models import ModelEntry, register, unregister
from embeddings.base import Encoder, l2_normalize


def word_counts(texts: Sequence[str], dim: int, *, lower: bool = True) -> np.ndarray:
    """One row per text: counts of its words hashed (sum of code points) into ``dim`` slots.

    With ``lower``, words are lower-cased and full stops dropped, so "Paris." and "paris"
    fall in one slot.
    """
    out = np.zeros((len(texts), dim), np.float32)
    for row, text in enumerate(texts):
        words = text.lower().replace(".", " ").split() if lower else text.split()
        for word in words:
            out[row, sum(map(ord, word)) % dim] += 1.0
    return out


def normalised_word_vectors(texts: Sequence[str], dim: int, *, lower: bool = True) -> np.ndarray:
    """:func:`word_counts` scaled to unit length (an empty text gives a unit vector on slot 0)."""
    counts = word_counts(texts, dim, lower=lower)
    counts[~counts.any(axis=1), 0] = 1.0
    return l2_normalize(counts)


class BagOfWords(Encoder):
    """A fake model through the real :class:`Encoder` contract; ``calls`` counts batches."""

    def __init__(self, name: str = "fake-bow", dim: int = 64):
        self.name, self.dim, self.calls = name, dim, 0

    def _encode_batch(self, texts):
        self.calls += 1
        return word_counts(texts, self.dim)


class RandomByText(Encoder):
    """Unrelated texts get unrelated vectors: a normal draw seeded by the text's sha256.

    ``seen`` records every text encoded, in order, so tests can tell what was encoded again;
    ``scale`` makes the raw rows long, to show the encoder contract normalises them.
    """

    def __init__(self, name: str = "random-by-text", dim: int = 8, scale: float = 1.0):
        self.name, self.dim, self.scale, self.seen = name, dim, scale, []

    def _encode_batch(self, texts):
        self.seen.extend(texts)
        return np.array([text_seeded_row(t, self.dim) * self.scale for t in texts])


def text_seeded_row(text: str, dim: int) -> np.ndarray:
    """A normal draw of length ``dim`` fixed by the text (the first 4 bytes of its sha256)."""
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
    return np.random.default_rng(seed).normal(size=dim)


class WordVectors:
    """The bare ``encode`` a stage needs (no cache, no batching), unit vectors of hashed words."""

    def __init__(self, dim: int = 16, *, lower: bool = True):
        self.name, self.dim, self.lower = "fake-words", dim, lower

    def encode(self, texts, batch_size=32, progress=None):
        return normalised_word_vectors(texts, self.dim, lower=self.lower)


@contextmanager
def registered(encoder: Encoder, description: str = "a hashed bag of words, for tests") -> Iterator[ModelEntry]:
    """``encoder`` in the model registry under its name for the ``with`` block."""
    entry = register(ModelEntry(encoder.name, description, lambda cache: encoder, encoder.dim))
    try:
        yield entry
    finally:
        unregister(entry.name)
