"""Reading a store back into an :class:`~claims.analysis.Analysis`, whole or within a time window.

One read transaction gives a consistent snapshot (WAL: an ingest running meanwhile is not
seen); the vectors come from the file the snapshot names. Within a window, only articles dated
inside it are loaded, each claim keeps the mentions of those articles and its id, and claims
left spanning fewer than ``min_articles`` articles are dropped; comparisons are worked out
again for what is left, and so are the facts (:func:`claims.facts.build.build_facts`). The
whole store reads its facts from the ``facts`` table, where the ingest wrote the same.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import time
from pathlib import Path
import numpy as np

from claims.analysis import Analysis, StageTime, table_rows
from claims.records import ClaimGroup, Mention, Sentence
from claims.store.codec import (article_from_row, attribution_from_row, facts_from_rows, link_from_json,
                                settings_from_json)
from claims.store.schema import StoreError, get_meta
from claims.store.vectors import read_vectors
from claims.store.window import Window


class Snapshot:
    """Everything one read transaction saw."""

    def __init__(self, conn: sqlite3.Connection):
        conn.row_factory = sqlite3.Row
        conn.execute("BEGIN")
        try:
            self.generation = int(get_meta(conn, "generation", "0"))
            self.settings_json = get_meta(conn, "settings")
            self.vector_file = get_meta(conn, "vectors")
            self.facts_generation = int(get_meta(conn, "facts_generation", "-1"))  # absent in older stores
            self.articles = conn.execute("SELECT * FROM articles ORDER BY id").fetchall()
            self.sentences = conn.execute(
                'SELECT s.id, s.article_id, s.idx, s.text, s.start, s."end", s.row, a.speaker, a.cue, a.quote, '
                "a.quote_start, a.quote_end FROM sentences s LEFT JOIN attributions a ON a.sentence_id = s.id "
                "ORDER BY s.row").fetchall()
            self.mentions = conn.execute(
                "SELECT m.sentence_id, m.claim_id, m.score, m.stance, m.link FROM mentions m "
                "JOIN sentences s ON s.id = m.sentence_id ORDER BY s.row").fetchall()
            self.facts = conn.execute("SELECT claim_id, sentence_id, slot, value, unit, data FROM facts "
                                      "ORDER BY id").fetchall()
        finally:
            conn.execute("COMMIT")
            conn.row_factory = None


def load_analysis(conn: sqlite3.Connection, folder: Path, window: Window = Window()) -> Analysis:
    """The stored corpus as an Analysis (see the module doc).

    Raises:
        StoreError: when the store is empty or its vector file is missing or damaged.
    """
    started = time.perf_counter()
    for attempt in range(3):  # a commit between the snapshot and opening its file: read again
        snap = Snapshot(conn)
        if snap.settings_json is None:
            raise StoreError(f"{folder}: the store is empty; add articles with `claims ingest PATHS --store {folder}`")
        try:
            vectors = read_vectors(folder, snap.vector_file, len(snap.sentences))
            break
        except FileNotFoundError:
            if attempt == 2:
                raise StoreError(f"{folder}: vector file {snap.vector_file} is missing; the store is damaged") from None
        except ValueError as error:
            raise StoreError(f"{folder}: the store is damaged: {error}") from None
    try:
        settings = settings_from_json(snap.settings_json)
    except ValueError as error:
        raise StoreError(f"{folder}: {error}") from None
    return _build(snap, vectors, settings, window, started)


def _build(snap: Snapshot, vectors: np.ndarray, settings, window: Window, started: float) -> Analysis:
    from claims.models import get_encoder

    articles = [article_from_row(r) for r in snap.articles]
    if not window.open:
        articles = [a for a in articles if window.holds(a.date)]
    kept_ids = {a.id for a in articles}
    rows = [r for r in snap.sentences if r["article_id"] in kept_ids]
    row_of = {r["id"]: i for i, r in enumerate(rows)}
    sentences = [Sentence(r["article_id"], r["idx"], r["text"], r["start"], r["end"]) for r in rows]
    attributions = [attribution_from_row(r) for r in rows]
    if len(rows) == len(snap.sentences):
        embeddings = vectors
    else:
        embeddings = np.asarray(vectors[[r["row"] for r in rows]])
        embeddings.setflags(write=False)
    members: dict[str, list[Mention]] = {}
    for m in snap.mentions:
        row = row_of.get(m["sentence_id"])
        if row is not None:
            members.setdefault(m["claim_id"], []).append(
                Mention(sentences[row], m["score"], attributions[row], m["stance"], row=row,
                        link=link_from_json(m["link"], row_of)))
    groups, table = assemble(articles, sentences, attributions, members, settings)
    loaded = StageTime("load store", time.perf_counter() - started)
    facts_started = time.perf_counter()
    if window.open and snap.facts_generation == snap.generation:
        facts = facts_from_rows(snap.facts, row_of)
    else:  # facts are worked out from what is loaded (the window's articles), as analyze does
        from claims.facts.build import build_facts

        facts = build_facts(articles, table, groups, embeddings)
    return Analysis(tuple(articles), table, embeddings, groups, settings, get_encoder(settings.model, cache=settings.cache),
                    (loaded, StageTime("facts", time.perf_counter() - facts_started)), facts)


def assemble(articles, sentences, attributions, members: dict[str, list[Mention]], settings):
    """The claim groups a store's reader shows, and the table rows, from each claim's mentions.

    Claims spanning fewer than ``settings.min_articles`` articles are left out; groups are in
    order of first mention, each with its comparison worked out again. The ingest calls it too,
    so the facts it stores are those a reader of the whole store would work out.
    """
    from claims.comparison import compare_group  # not claims.pipeline: its imports (scipy) cost seconds

    groups = [ClaimGroup(claim_id, tuple(sorted(ms, key=lambda m: m.row))) for claim_id, ms in members.items()
              if len({x.sentence.article for x in ms}) >= settings.min_articles]
    groups.sort(key=lambda g: g.mentions[0].row)
    by_id = {a.id: a for a in articles}
    groups = tuple(dataclasses.replace(g, comparison=compare_group(g, by_id)) for g in groups)
    return groups, tuple(table_rows(sentences, attributions, groups))


__all__ = ["Snapshot", "assemble", "load_analysis"]
