"""On-disk embedding cache, so sentences already seen are never encoded twice.

Vectors live in one sqlite3 file keyed by (model name, sha256 of the sentence text).
Each write is one transaction: an interrupted or failed write rolls back as a whole,
so a reader never sees a half-written batch.

The cache heals instead of failing a run: the file is checked when opened (``PRAGMA
quick_check``, about 0.3 s for 100,000 vectors); a damaged file is moved aside (renamed
``<name>.damaged-<time>-<pid>``) and a new one started; a file that cannot be written is
used read-only, and a folder that cannot be created means no cache. Each of these is
one :class:`~embeddings.paths.CacheWarning`. Vectors that are not finite or have the
wrong size are never returned: they are encoded again.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Iterable, Optional, Sequence

import numpy as np

from .base import Encoder, Progress
from .paths import PathLike, cache_dir, folder_unusable, reason, warn

CACHE_FILE = "embeddings.sqlite3"
_LOOKUP_CHUNK = 500  # keys per SELECT, well under sqlite's bound-parameter limit
_DAMAGE = ("SQLITE_CORRUPT", "SQLITE_NOTADB")  # error names (and extended ones) of a bad file
_SIDE_FILES = ("-journal", "-wal", "-shm")  # must follow the file: a hot journal replays

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


class _Damaged(sqlite3.DatabaseError):
    """``quick_check`` found the file damaged."""


def _is_damage(exc: sqlite3.Error) -> bool:
    return isinstance(exc, _Damaged) or str(getattr(exc, "sqlite_errorname", "")).startswith(_DAMAGE)


def _inode(path: Path) -> Optional[tuple[int, int]]:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _open(target: str, uri: bool = False) -> sqlite3.Connection:
    """Connect and check the file; raises ``_Damaged`` or sqlite's own errors."""
    conn = sqlite3.connect(target, timeout=30.0, check_same_thread=False, uri=uri)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise _Damaged(f"quick_check: {problems[0]}")
        with conn:
            conn.execute(_SCHEMA)  # writes nothing when the table exists (read-only files)
    except BaseException:
        conn.close()
        raise
    return conn


class EmbeddingCache:
    """Vectors stored by model name and sentence text in a sqlite3 file.

    Args:
        path: database file; default ``<cache_dir>/embeddings.sqlite3``.

    Attributes:
        enabled: False when no usable file could be opened (lookups find nothing).
        writable: False when new vectors cannot be stored.
    """

    def __init__(self, path: Optional[PathLike] = None):
        self.path = Path(path) if path is not None else cache_dir() / CACHE_FILE
        self._lock = threading.Lock()
        self._conn: Optional[sqlite3.Connection] = None
        self._inode: Optional[tuple[int, int]] = None
        self.writable = True
        self._warned: set[str] = set()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            folder_unusable(self.path.parent, exc)  # one warning, shared with the model builds
            return
        self._connect()

    @property
    def enabled(self) -> bool:
        return self._conn is not None

    def _warn_once(self, topic: str, message: str) -> None:
        if topic not in self._warned:
            self._warned.add(topic)
            warn(message)

    def _connect(self) -> None:
        """Open the file; a damaged one is moved aside and replaced (once)."""
        for attempt in range(2):
            self._inode = _inode(self.path)
            try:
                self._conn = _open(str(self.path))
                self._inode = _inode(self.path)
                return
            except sqlite3.Error as exc:
                if not _is_damage(exc):
                    return self._open_read_only(exc)
                if attempt or not self._move_aside(exc):
                    return

    def _open_read_only(self, exc: sqlite3.Error) -> None:
        """The file cannot be opened for writing: read it if possible, else do without."""
        if self.path.is_file():
            try:
                self._conn = _open(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
                self.writable = False
                self._warn_once("write", f"embedding cache {self.path} cannot be written ({reason(exc)}); "
                                         "using it read-only: new vectors are not stored")
                return
            except sqlite3.Error as ro_exc:
                exc = ro_exc
        self._warn_once("open", f"embedding cache {self.path} cannot be opened ({reason(exc)}); "
                                "running without the cache")

    def _move_aside(self, exc: sqlite3.Error) -> bool:
        """Rename the damaged file (and its journal) out of the way; True if the path is free."""
        aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
        try:
            # A concurrent run may have replaced the file already: never move its new one.
            if self._inode is not None and _inode(self.path) == self._inode:
                os.replace(self.path, aside)
                for side in _SIDE_FILES:
                    if os.path.exists(f"{self.path}{side}"):
                        os.replace(f"{self.path}{side}", f"{aside}{side}")
        except OSError as err:
            self._warn_once("open", f"embedding cache {self.path} is damaged ({reason(exc)}) and cannot be "
                                    f"moved aside ({reason(err)}); running without the cache")
            return False
        self._warn_once("damaged", f"embedding cache {self.path} was damaged ({reason(exc)}); "
                                   f"moved it aside to {aside.name} and started a new one")
        return True

    def _failed(self, exc: sqlite3.Error, writing: bool) -> None:
        """Recover from an error met mid-run (lock held): heal damage, else go on without."""
        if _is_damage(exc):
            self._conn.close()
            self._conn = None
            if self._move_aside(exc):
                self._connect()
        elif writing:
            self.writable = False
            self._warn_once("write", f"embedding cache {self.path} cannot be written ({reason(exc)}); "
                                     "new vectors are not stored")
        else:
            self._warn_once("read", f"embedding cache {self.path} cannot be read ({reason(exc)}); "
                                    "sentences are encoded again")

    def get(self, model: str, texts: Sequence[str], dim: int) -> tuple[np.ndarray, np.ndarray]:
        """Look sentences up.

        Returns:
            ``(vectors, found)``: float32 array ``(len(texts), dim)`` (rows of missing
            texts are zero) and a boolean mask of the rows found. A stored vector that
            is not finite or has the wrong size counts as missing.
        """
        keys = [text_key(t) for t in texts]
        stored: dict[bytes, bytes] = {}
        unique = list(dict.fromkeys(keys))
        with self._lock:
            try:
                for start in range(0, len(unique) if self._conn is not None else 0, _LOOKUP_CHUNK):
                    chunk = unique[start : start + _LOOKUP_CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows = self._conn.execute(
                        f"SELECT key, vector FROM vectors WHERE model = ? AND dim = ? AND key IN ({marks})",
                        [model, dim, *chunk],
                    )
                    stored.update(rows)
            except sqlite3.Error as exc:
                stored = {}
                self._failed(exc, writing=False)
        vectors = np.zeros((len(texts), dim), dtype=np.float32)
        found = np.zeros(len(texts), dtype=bool)
        bad = 0
        for i, key in enumerate(keys):
            blob = stored.get(key)
            if blob is None:
                continue
            vector = np.frombuffer(blob, dtype="<f4") if len(blob) == 4 * dim else None
            if vector is None or not np.isfinite(vector).all():
                bad += 1
                continue
            vectors[i] = vector
            found[i] = True
        if bad:
            self._warn_once("invalid", f"{bad} vectors in embedding cache {self.path} were not finite "
                                       "or had the wrong size; they are encoded again")
        return vectors, found

    def put(self, model: str, texts: Iterable[str], vectors: np.ndarray) -> None:
        """Store one vector per text, all in one transaction (all or nothing).

        Rows that are not finite are not stored. A cache that cannot be written
        stores nothing (one warning) and the caller goes on.
        """
        vectors = np.asarray(vectors, dtype="<f4")
        if vectors.ndim != 2:
            raise ValueError(f"vectors must be 2-D, got shape {vectors.shape}")
        dim = vectors.shape[1]
        finite = np.isfinite(vectors).all(axis=1)
        rows = ((model, text_key(t), dim, v.tobytes()) for t, v, ok in zip(texts, vectors, finite, strict=True)
                if ok)
        with self._lock:
            if self._conn is None or not self.writable:
                return
            try:
                with self._conn:  # commits on success, rolls back on any exception
                    self._conn.executemany(
                        "INSERT OR REPLACE INTO vectors (model, key, dim, vector) VALUES (?, ?, ?, ?)", rows
                    )
            except sqlite3.Error as exc:
                self._failed(exc, writing=True)

    def count(self, model: Optional[str] = None) -> int:
        """Number of stored vectors, for one model or all."""
        with self._lock:
            if self._conn is None:
                return 0
            if model is None:
                (n,) = self._conn.execute("SELECT COUNT(*) FROM vectors").fetchone()
            else:
                (n,) = self._conn.execute("SELECT COUNT(*) FROM vectors WHERE model = ?", (model,)).fetchone()
        return int(n)

    def clear(self, model: Optional[str] = None) -> None:
        """Delete the stored vectors of one model, or all of them."""
        with self._lock:
            if self._conn is None:
                return
            with self._conn:
                if model is None:
                    self._conn.execute("DELETE FROM vectors")
                else:
                    self._conn.execute("DELETE FROM vectors WHERE model = ?", (model,))

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

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
