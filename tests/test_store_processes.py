"""The store across processes: an ingest killed inside its transaction, a reader during an ingest.

The writer is ``claims ingest`` in a subprocess; the environment variable of
:data:`claims.store.writer.PAUSE_ENV` makes it announce and sleep inside its transaction, after
all its writes and its new vector file, just before the commit.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claims.commands.common import read_articles
from claims.store import Store
from claims.store.writer import PAUSE_ENV

REPO = Path(__file__).resolve().parents[1]
NEW_ARTICLE = REPO / "tests" / "data" / "store_article_fr.txt"
TABLES = ("meta", "articles", "sentences", "attributions", "claims", "mentions", "claim_merges", "facts")
PAUSED = "paused before commit"


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stores") / "seeds"
    with Store.open(folder, create=True) as store:
        store.ingest(read_articles([str(REPO / "seeds")]))
    return folder


@pytest.fixture
def store_copy(seeds_store, tmp_path):
    target = tmp_path / "store"
    shutil.copytree(seeds_store, target)
    return target


def dump(folder: Path) -> dict:
    """Every row of every table, read by a plain SQLite connection."""
    with sqlite3.connect(folder / "store.sqlite3") as db:
        return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}


def start_paused_ingest(folder: Path, seconds: float) -> subprocess.Popen:
    """``claims ingest NEW_ARTICLE --store folder`` stopped inside its transaction."""
    env = dict(os.environ, **{PAUSE_ENV: str(seconds)})
    proc = subprocess.Popen([sys.executable, "cli.py", "ingest", str(NEW_ARTICLE), "--store", str(folder)],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 600
    seen = []
    for line in proc.stderr:  # the model may have to load first: wait for the announcement
        seen.append(line)
        if PAUSED in line:
            return proc
        if time.monotonic() > deadline:
            break
    proc.kill()
    pytest.fail(f"the ingest never reached its commit: {''.join(seen)}{proc.stdout.read()}")


def test_an_ingest_killed_before_its_commit_leaves_the_store_as_it_was(store_copy):
    before = dump(store_copy)
    with Store.open(store_copy) as store:
        groups_before = [(g.id, [m.row for m in g.mentions]) for g in store.load().groups]
    proc = start_paused_ingest(store_copy, 600)
    assert (store_copy / "vectors-2.npy").exists()  # written, not yet named by the database
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)

    assert dump(store_copy) == before
    with Store.open(store_copy) as store:
        assert store.generation == 1
        analysis = store.load()
        assert [(g.id, [m.row for m in g.mentions]) for g in analysis.groups] == groups_before
        assert "store_article_fr" not in {a.id for a in analysis.articles}
        report = store.ingest([str(NEW_ARTICLE)])  # the next ingest works and replaces the leftover
        assert report.added == ("store_article_fr",) and store.generation == 2
        assert len(store.load().embeddings) == len(store.load().rows)


def test_a_reader_sees_the_last_committed_store_while_an_ingest_runs(store_copy):
    with Store.open(store_copy) as reader:
        before = reader.load()
        proc = start_paused_ingest(store_copy, 45)
        try:
            started = time.monotonic()
            during = reader.load()
            with Store.open(store_copy) as another:  # a fresh connection too: not blocked, old state
                fresh = another.load()
                assert another.generation == 1
            assert time.monotonic() - started < 30, "readers must not wait for the writer"
            for seen in (during, fresh):
                assert [a.id for a in seen.articles] == [a.id for a in before.articles]
                assert [(g.id, len(g.mentions)) for g in seen.groups] == [(g.id, len(g.mentions)) for g in before.groups]
                assert seen.embeddings.shape == before.embeddings.shape
        finally:
            out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        assert "1 added" in out
        assert reader.generation == 2
        after = reader.load()
        assert "store_article_fr" in {a.id for a in after.articles}
        assert {g.id for g in before.groups} <= {g.id for g in after.groups}
