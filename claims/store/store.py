"""A corpus that grows: articles, sentences, attributions and claims in SQLite, vectors beside it.

Example::

    from claims.store import Store
    with Store.open("s", create=True) as store:
        report = store.ingest(["seeds/"])
        print(report.summary())
        analysis = store.load(since="2023-06")

Layout of the folder: ``store.sqlite3`` (WAL mode, so also ``store.sqlite3-wal`` and
``-shm`` while open) and ``vectors-<generation>.npy``, the row vectors of the current
generation (and of the previous one, for readers that were opening it during the last commit).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import Optional, Union

from claims.ingest.corpus import MAX_ARTICLE_CHARS
from claims.settings import Settings
from claims.store.schema import DB_NAME, StoreError, connect, get_meta
from claims.store.window import Window
from claims.store.writer import IngestReport


class Store:
    """An embedded store of analysed articles whose claim ids stay stable as articles are added.

    Open it with :meth:`open`. One object may be shared by threads; several processes may read
    while one ingests (each ingest is one transaction; readers see the last committed state).
    """

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = Path(path)
        self._conn = conn
        self._lock = threading.Lock()  # one statement stream at a time on the shared connection

    @classmethod
    def open(cls, path: Union[str, Path], create: bool = False) -> "Store":
        """Open the store in folder ``path``; with ``create``, make it when missing.

        Raises:
            StoreError: when it is missing (and not ``create``), damaged, locked, or written by
                a newer version of claims.
        """
        return cls(Path(path), connect(Path(path), create))

    @property
    def generation(self) -> int:
        """Raised by every committed ingest: a reader reloads when it changes."""
        with self._lock:
            return int(self._query(lambda c: get_meta(c, "generation", "0")))

    def change_mark(self) -> tuple:
        """A cheap sign of commits: the database and WAL files' sizes and change times.

        A commit writes the WAL (or, after a checkpoint, the database), so a reader can skip
        asking SQLite for :attr:`generation` while the mark is unchanged. On file systems with
        coarse times two commits may leave one mark: readers re-check now and then anyway.
        """
        mark = []
        for name in (DB_NAME, DB_NAME + "-wal"):
            try:
                st = os.stat(self.path / name)
                mark += [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]
            except FileNotFoundError:
                mark += [None] * 4
        return tuple(mark)

    def ingest(self, inputs, settings: Optional[Settings] = None, progress=None, engine: str = "local",
               address: Optional[str] = None) -> IngestReport:
        """Add articles: new ids are added, changed texts replaced, the same text skipped.

        Args:
            inputs: what :func:`claims.pipeline.analyze` accepts: paths, Article records or
                a mapping id → text (unreadable paths are one warning each).
            settings: resolved settings for a new store; for an existing one, None (its own)
                or equal to its own.
            progress: ``progress(total)`` returns a callback advanced as new sentences are encoded.
            engine: "local" (this process; only new sentences are encoded) or "ray" (the
                corpus is analysed on Ray, see :mod:`claims.engines`).
            address: the Ray cluster of the "ray" engine; None starts a local Ray.

        Returns:
            An :class:`IngestReport`.

        Raises:
            StoreError: locked by another ingest, settings differing from the store's.
            ValueError: no article in ``inputs``, an empty or too long text, or one id given twice.
        """
        from claims.engines import store_analyzer
        from claims.ingest import resolve_articles
        from claims.store.writer import ingest

        articles = resolve_articles(inputs)
        if not articles:
            raise ValueError("no article to ingest")
        for article in articles:  # what the command line refuses in a file, refused here too
            if not article.text.strip():
                raise ValueError(f"article {article.id!r}: empty text")
            if len(article.text) > MAX_ARTICLE_CHARS:
                raise ValueError(f"article {article.id!r}: {len(article.text):,} characters is over the limit "
                                 f"of {MAX_ARTICLE_CHARS:,}; split it")
        # A connection of its own: readers of this object are not held up by a long ingest.
        conn = connect(self.path, create=False)
        try:
            return ingest(conn, self.path, articles, settings, progress, store_analyzer(engine, address, self.path / "ray-work"))
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: the ingest failed and was rolled back: {error}") from None
        finally:
            conn.close()

    def load(self, since: Optional[str] = None, until: Optional[str] = None):
        """The stored corpus as a :class:`claims.analysis.Analysis` whose group ids are claim ids.

        Args:
            since, until: keep only articles dated in this window (``YYYY[-MM[-DD]]``; a
                partial date covers its whole period); undated articles are then left out,
                and claims left in fewer than ``min_articles`` articles are dropped.

        Raises:
            ValueError: for a bad date.
            StoreError: for an empty or damaged store.
        """
        from claims.store.reader import load_analysis

        window = Window.parse(since, until)
        conn = connect(self.path, create=False)  # its own: a long load does not hold up other threads
        try:
            return load_analysis(conn, self.path, window)
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: cannot read the store ({error})") from None
        finally:
            conn.close()

    def merges(self) -> list[tuple[str, str, int]]:
        """Every recorded merge: ``(kept_id, absorbed_id, generation)``, oldest first."""
        with self._lock:
            return self._query(lambda c: [tuple(r) for r in c.execute(
                "SELECT kept_id, absorbed_id, generation FROM claim_merges ORDER BY generation, absorbed_id")])

    def claim_status(self, claim_id: str) -> tuple[str, Optional[str]]:
        """``(status, merged_into)`` of a claim id ever given: active, merged or retired.

        Raises:
            KeyError: for an id the store never gave.
        """
        with self._lock:
            row = self._query(lambda c: c.execute("SELECT status, merged_into FROM claims WHERE id=?",
                                                  (claim_id,)).fetchone())
        if row is None:
            raise KeyError(claim_id)
        return row[0], row[1]

    def _query(self, read):
        try:
            return read(self._conn)
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: cannot read the store ({error})") from None

    def close(self) -> None:
        """Close the connection (the object is unusable after)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"


__all__ = ["DB_NAME", "IngestReport", "Store", "StoreError"]
