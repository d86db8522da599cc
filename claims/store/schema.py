"""The SQLite layout of a store, its schema version, and opening it safely.

One file, ``store.sqlite3``, in WAL mode: readers keep reading the last committed state while
an ingest writes. The ``meta`` table holds the schema version, the generation (raised by every
committed ingest), the settings the store was built with and the name of the vector file of
the current generation.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

SCHEMA_VERSION = 1
DB_NAME = "store.sqlite3"
BUSY_TIMEOUT_S = 30.0  # how long a second writer waits for the first before "locked"

DDL = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    text_hash TEXT NOT NULL,          -- sha256 of the text: same id and hash = nothing to do
    title TEXT, date TEXT, source TEXT, url TEXT, path TEXT,
    added_generation INTEGER NOT NULL,
    updated_generation INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sentences (
    id INTEGER PRIMARY KEY,           -- stable while its article's text is unchanged
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    row INTEGER NOT NULL,             -- its row in the analysis and in the vector file
    UNIQUE (article_id, idx)
);
CREATE INDEX IF NOT EXISTS sentences_row ON sentences(row);
CREATE TABLE IF NOT EXISTS attributions (
    sentence_id INTEGER PRIMARY KEY REFERENCES sentences(id) ON DELETE CASCADE,
    speaker TEXT, cue TEXT,
    quote TEXT NOT NULL,
    quote_start INTEGER, quote_end INTEGER
);
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY,              -- "c001": never reused, never renamed
    number INTEGER NOT NULL UNIQUE,
    status TEXT NOT NULL,             -- active | merged | retired
    merged_into TEXT,                 -- the kept claim, when merged
    created_generation INTEGER NOT NULL,
    updated_generation INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS mentions (
    sentence_id INTEGER PRIMARY KEY REFERENCES sentences(id) ON DELETE CASCADE,
    claim_id TEXT NOT NULL REFERENCES claims(id),
    score REAL NOT NULL,              -- cosine to the claim's centroid
    stance TEXT,
    link TEXT                         -- JSON of claims.matching.explain.Link, partner as a sentence id
);
CREATE INDEX IF NOT EXISTS mentions_claim ON mentions(claim_id);
CREATE TABLE IF NOT EXISTS claim_merges (
    kept_id TEXT NOT NULL REFERENCES claims(id),
    absorbed_id TEXT NOT NULL REFERENCES claims(id),
    generation INTEGER NOT NULL,
    PRIMARY KEY (kept_id, absorbed_id)
);
CREATE TABLE IF NOT EXISTS facts (      -- fact slots of a claim's mentions (filled by the fact stage)
    id INTEGER PRIMARY KEY,
    claim_id TEXT REFERENCES claims(id),
    sentence_id INTEGER REFERENCES sentences(id) ON DELETE CASCADE,
    slot TEXT NOT NULL,
    value TEXT,
    unit TEXT,
    data TEXT                          -- JSON: whatever else the fact record carries
);
CREATE INDEX IF NOT EXISTS facts_claim ON facts(claim_id);
CREATE TABLE IF NOT EXISTS ingests (
    generation INTEGER PRIMARY KEY,
    finished_at TEXT NOT NULL,
    added INTEGER NOT NULL, replaced INTEGER NOT NULL, unchanged INTEGER NOT NULL,
    claims_new INTEGER NOT NULL, claims_kept INTEGER NOT NULL, merges INTEGER NOT NULL
);
"""


class StoreError(Exception):
    """A store that cannot be used: missing, damaged, locked, or written by a newer version."""


def connect(path: Path, create: bool) -> sqlite3.Connection:
    """A connection to the store database in ``path`` (a folder), checked and ready.

    Raises:
        StoreError: with a message saying what is wrong and what to do.
    """
    folder = Path(path)
    db = folder / DB_NAME
    if not db.is_file():
        if not create:
            what = "no store" if not folder.exists() else f"no {DB_NAME}"
            raise StoreError(f"{folder}: {what} here; create one with `claims ingest PATHS --store {folder}`")
        if folder.exists() and not folder.is_dir():
            raise StoreError(f"{folder}: is a file, not a store folder")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"{folder}: cannot create the store folder: {error.strerror or error}") from None
    try:
        conn = sqlite3.connect(db, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable across a killed process
        version = _version(conn)
        if version is None:
            if not create:
                conn.close()
                raise StoreError(f"{folder}: {DB_NAME} is not a store (no schema version); "
                                 f"create one with `claims ingest PATHS --store DIR`")
            _create(conn)
        elif version > SCHEMA_VERSION:
            conn.close()
            raise StoreError(f"{folder}: written by a newer version of claims (store schema {version}, "
                             f"this version reads up to {SCHEMA_VERSION}); upgrade claims")
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise StoreError(f"{folder}: the store is locked by another process; try again "
                             f"when it finishes") from None
        raise StoreError(f"{folder}: cannot open the store: {error}") from None
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{folder}: the store is damaged ({error}); ingest the articles again "
                         f"into a new store") from None
    return conn


def _version(conn: sqlite3.Connection):
    has_meta = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
    if not has_meta:
        return None
    row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    return int(row[0]) if row else None


def _create(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        if _version(conn) is None:  # another process may have created it meanwhile
            for statement in DDL.split(";"):  # executescript would commit the transaction
                if statement.strip():
                    conn.execute(statement)
            conn.executemany("INSERT INTO meta(key, value) VALUES (?, ?)",
                             [("schema_version", str(SCHEMA_VERSION)), ("generation", "0"),
                              ("next_claim", "1")])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def get_meta(conn: sqlite3.Connection, key: str, default=None):
    """One value of the meta table (a string), or ``default``."""
    row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
    return row[0] if row else default


def set_meta(conn: sqlite3.Connection, key: str, value) -> None:
    """Set one value of the meta table (inside the caller's transaction)."""
    conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                 (key, str(value)))


__all__ = ["DB_NAME", "SCHEMA_VERSION", "StoreError", "connect", "get_meta", "set_meta"]
