"""On-disk embedding cache, so sentences already seen are never encoded twice.

Vectors live in one sqlite3 file keyed by (model name, sha256 of the sentence text).
Each write is one transaction: an interrupted or failed write rolls back as a whole,
so a reader never sees a half-written batch.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path
from typing import Iterable, Optional, Sequence

import numpy as np

from .base import Encoder, Progress
from .paths import PathLike, cache_dir

CACHE_FILE = "embeddings.sqlite3"
_LOOKUP_CHUNK = 500  # keys per SELECT, well under sqlite's bound-parameter limit

_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    model  TEXT    NOT NULL,
    key    BLOB    NOT NULL,  -- sha256 of the UTF-8 text
    dim    INTEGER NOT NULL,
    vector BLOB    NOT NULL,  -- float32, little-endian
    PRIMARY KEY (model, key)
) WITHOUT ROWID
"""


def text_key(text: str) -> bytes:
    """Cache key of a sentence: the sha256 digest of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).digest()


class EmbeddingCache:
    """Vectors stored by model name and sentence text in a sqlite3 file.

    Args:
        path: database file; default ``<cache_dir>/embeddings.sqlite3``.
    """

    def __init__(self, path: Optional[PathLike] = None):
        self.path = Path(path) if path is not None else cache_dir() / CACHE_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(str(self.path), timeout=30.0, check_same_thread=False)
        with self._lock, self._conn:
            self._conn.execute(_SCHEMA)

    def get(self, model: str, texts: Sequence[str], dim: int) -> tuple[np.ndarray, np.ndarray]:
        """Look sentences up.

        Returns:
            ``(vectors, found)``: float32 array ``(len(texts), dim)`` (rows of missing
            texts are zero) and a boolean mask of the rows found.
        """
        keys = [text_key(t) for t in texts]
        stored: dict[bytes, bytes] = {}
        unique = list(dict.fromkeys(keys))
        with self._lock:
            for start in range(0, len(unique), _LOOKUP_CHUNK):
                chunk = unique[start : start + _LOOKUP_CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    f"SELECT key, vector FROM vectors WHERE model = ? AND dim = ? AND key IN ({marks})",
                    [model, dim, *chunk],
                )
                stored.update(rows)
        vectors = np.zeros((len(texts), dim), dtype=np.float32)
        found = np.zeros(len(texts), dtype=bool)
        for i, key in enumerate(keys):
            blob = stored.get(key)
            if blob is not None and len(blob) == 4 * dim:
                vectors[i] = np.frombuffer(blob, dtype="<f4")
                found[i] = True
        return vectors, found

    def put(self, model: str, texts: Iterable[str], vectors: np.ndarray) -> None:
        """Store one vector per text, all in one transaction (all or nothing)."""
        vectors = np.asarray(vectors, dtype="<f4")
        if vectors.ndim != 2:
            raise ValueError(f"vectors must be 2-D, got shape {vectors.shape}")
        dim = vectors.shape[1]
        rows = ((model, text_key(t), dim, v.tobytes()) for t, v in zip(texts, vectors, strict=True))
        with self._lock, self._conn:  # commits on success, rolls back on any exception
            self._conn.executemany(
                "INSERT OR REPLACE INTO vectors (model, key, dim, vector) VALUES (?, ?, ?, ?)", rows
            )

    def count(self, model: Optional[str] = None) -> int:
        """Number of stored vectors, for one model or all."""
        with self._lock:
            if model is None:
                (n,) = self._conn.execute("SELECT COUNT(*) FROM vectors").fetchone()
            else:
                (n,) = self._conn.execute("SELECT COUNT(*) FROM vectors WHERE model = ?", (model,)).fetchone()
        return int(n)

    def clear(self, model: Optional[str] = None) -> None:
        """Delete the stored vectors of one model, or all of them."""
        with self._lock, self._conn:
            if model is None:
                self._conn.execute("DELETE FROM vectors")
            else:
                self._conn.execute("DELETE FROM vectors WHERE model = ?", (model,))

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "EmbeddingCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"EmbeddingCache(path={str(self.path)!r})"


class CachedEncoder(Encoder):
    """An encoder that only encodes sentences the cache does not hold yet.

    New vectors are stored every ``flush_every`` sentences, so an interrupted run
    keeps what it finished. Vectors come back exactly as first computed.

    Args:
        encoder: the encoder doing the work; its ``cache_key`` keys the cache.
        cache: where vectors are stored.
        flush_every: sentences encoded between two writes to the cache.
    """

    def __init__(self, encoder: Encoder, cache: EmbeddingCache, flush_every: int = 1024):
        if flush_every < 1:
            raise ValueError(f"flush_every must be >= 1, got {flush_every}")
        self.encoder = encoder
        self.cache = cache
        self.flush_every = flush_every
        self.name = encoder.name
        self.dim = encoder.dim

    def encode(self, texts: Sequence[str], batch_size: int = 32, progress: Progress = None) -> np.ndarray:
        """Encode like :meth:`Encoder.encode`, reading and filling the cache.

        ``progress`` first receives the number of sentences served from the cache
        (and repeats within ``texts``), then the size of each encoded batch.
        """
        if isinstance(texts, str):
            raise TypeError("texts must be a sequence of strings, not a single string")
        texts = list(texts)
        vectors, found = self.cache.get(self.cache_key, texts, self.dim)
        missing = list(dict.fromkeys(t for t, ok in zip(texts, found) if not ok))
        if progress is not None and len(texts) > len(missing):
            progress(len(texts) - len(missing))  # cached rows and repeats cost nothing
        fresh: dict[str, np.ndarray] = {}
        for start in range(0, len(missing), self.flush_every):
            chunk = missing[start : start + self.flush_every]
            chunk_vectors = self.encoder.encode(chunk, batch_size=batch_size, progress=progress)
            self.cache.put(self.cache_key, chunk, chunk_vectors)
            fresh.update(zip(chunk, chunk_vectors))
        for i in np.flatnonzero(~found):
            vectors[i] = fresh[texts[i]]
        return vectors

    @property
    def cache_key(self) -> str:
        """The wrapped encoder's cache key."""
        return self.encoder.cache_key

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return self.encode(texts)

    def __repr__(self) -> str:
        return f"CachedEncoder({self.encoder!r}, {self.cache!r})"
