"""One ingest: new and changed articles in, the whole stored corpus grouped again, ids kept.

Everything happens inside one ``BEGIN IMMEDIATE`` transaction (one writer at a time; readers
keep the last committed state). The grouping runs over every stored sentence with the stored
vectors (only new sentences are encoded); :func:`claims.store.ids.resolve_claims` adds what its
groups say to the stored claims (new mentions join, new claims, merges on new evidence) and
:func:`claims.store.regroup.claim_groups` builds the claims' groups. The vector file of the new generation is
written before the commit that names it, so a kill at any point leaves the previous state.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sqlite3
import sys
import time
from pathlib import Path
from typing import NamedTuple, Optional, Sequence

import numpy as np

from claims.records import Article
from claims.settings import Settings
from claims.store import codec
from claims.store.ids import resolve_claims
from claims.store.regroup import StoredMention, claim_groups, row_keys
from claims.store.run import fitted_scorer, run_corpus
from claims.store.schema import StoreError, get_meta, set_meta
from claims.store.vectors import read_vectors, remove_unused, write_vectors

# Tests set this to a number of seconds: the ingest announces it on stderr and sleeps inside
# its transaction, after every write and before the commit, so a test can kill it there.
PAUSE_ENV = "CLAIMS_STORE_PAUSE_BEFORE_COMMIT"


class IngestReport(NamedTuple):
    """What one ingest did.

    Attributes:
        added: ids of articles new to the store.
        replaced: ids of stored articles whose text changed (their sentences were replaced).
        unchanged: ids given again with the same text (nothing done for them).
        claims_new: ids of claims created.
        claims_kept: ids of stored claims that still exist (possibly with new mentions).
        merges: ``(kept_id, absorbed_id)``: stored claims that new evidence joined; the
            absorbed id is kept in the store as merged into the other, never reused.
        claims_retired: stored claims left without mentions (their sentences changed).
        generation: the store's generation after the ingest.
    """

    added: tuple[str, ...]
    replaced: tuple[str, ...]
    unchanged: tuple[str, ...]
    claims_new: tuple[str, ...] = ()
    claims_kept: tuple[str, ...] = ()
    merges: tuple[tuple[str, str], ...] = ()
    claims_retired: tuple[str, ...] = ()
    generation: int = 0

    @property
    def changed(self) -> bool:
        """Whether the store was written."""
        return bool(self.added or self.replaced)

    def summary(self) -> str:
        """A few lines saying what was done, for a terminal."""
        lines = [f"articles: {len(self.added)} added, {len(self.replaced)} replaced, "
                 f"{len(self.unchanged)} unchanged"]
        if not self.changed:
            lines.append(f"nothing to do: the store stays at generation {self.generation}")
            return "\n".join(lines) + "\n"
        lines.append(f"claims: {len(self.claims_new)} new, {len(self.claims_kept)} kept, "
                     f"{len(self.merges)} merged, {len(self.claims_retired)} retired")
        lines += [f"merged: {absorbed} into {kept}" for kept, absorbed in self.merges]
        lines += [f"retired: {claim} (no mention left)" for claim in self.claims_retired]
        lines.append(f"store generation {self.generation}")
        return "\n".join(lines) + "\n"


def ingest(conn: sqlite3.Connection, folder: Path, incoming: Sequence[Article],
           settings: Optional[Settings], progress=None, analyzer=None) -> IngestReport:
    """Add ``incoming`` to the store of ``conn`` in one transaction (see the module doc).

    ``analyzer(articles, settings, progress)``, when given, returns the analysis of the whole corpus
    in place of the local pipeline (the Ray engine, :func:`claims.engines.store_analyzer`).

    Raises:
        StoreError: when the store is locked, or ``settings`` differ from the store's.
        ValueError: for duplicate article ids among ``incoming``.
    """
    _check_unique(incoming)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        raise StoreError(f"{folder}: the store is locked by another ingest ({error}); try again "
                         f"when it finishes") from None
    try:
        report = _ingest_locked(conn, folder, incoming, settings, progress, analyzer)
        if not report.changed:
            conn.execute("ROLLBACK")
            return report
        _pause_for_tests()
        conn.execute("COMMIT")
    except BaseException:
        # A vector file written for this generation stays unnamed: the next ingest removes it
        # (removing it here could, after an interrupt just past the commit, remove a named one).
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    return report


def _check_unique(incoming: Sequence[Article]) -> None:
    seen: set[str] = set()
    for article in incoming:
        if article.id in seen:
            raise ValueError(f"article id {article.id!r} is given twice")
        seen.add(article.id)


def _pause_for_tests() -> None:
    seconds = os.environ.get(PAUSE_ENV)
    if seconds:
        print("claims-store: paused before commit", file=sys.stderr, flush=True)
        time.sleep(float(seconds))


def _ingest_locked(conn, folder: Path, incoming, settings, progress, analyzer=None):
    """The work of one ingest, inside the write transaction."""
    generation = int(get_meta(conn, "generation", "0"))
    settings = _settings(conn, folder, settings)  # other settings are refused even when nothing changed
    hashes = dict(conn.execute("SELECT id, text_hash FROM articles"))
    added = [a for a in incoming if a.id not in hashes]
    replaced = [a for a in incoming if a.id in hashes and hashes[a.id] != codec.text_hash(a.text)]
    unchanged = tuple(a.id for a in incoming if a.id in hashes and hashes[a.id] == codec.text_hash(a.text))
    if not added and not replaced:
        return IngestReport((), (), unchanged, generation=generation)
    changed = {a.id: a for a in added + replaced}
    stored = [a for a in _stored_articles(conn) if a.id not in changed]
    articles = sorted(stored + list(changed.values()), key=lambda a: a.id)

    from claims.ingest import split_corpus

    if analyzer is None:
        sentences = split_corpus(articles)
        vectors = _vectors(conn, folder, sentences, settings, progress)
        analysis, scorer = run_corpus(articles, vectors, settings)
    else:  # another engine (claims.engines) analyses, and encodes, the whole corpus
        analysis = analyzer(articles, dataclasses.replace(settings, stance=False), progress)
        sentences = analysis.sentences
        scorer = fitted_scorer(analysis)
    settings = dataclasses.replace(analysis.settings, stance=settings.stance)  # an estimated threshold is kept

    stored_mentions = _stored_mentions(conn)
    stored_members = {k: m.claim for k, m in stored_mentions.items()}
    keys = row_keys(analysis)
    fresh = {k for k in keys if k[0] in changed}
    width = int(get_meta(conn, "id_width", "0")) or max(3, len(str(len(analysis.groups))))
    resolution = resolve_claims(stored_members, [[(m.sentence.article, m.sentence.text) for m in g.mentions]
                                                 for g in analysis.groups],
                                fresh, set(keys), int(get_meta(conn, "next_claim", "1")), width)
    groups = claim_groups(analysis, resolution, settings, scorer, stored_mentions)

    new_generation = generation + 1
    _write_articles(conn, added, replaced, new_generation)
    row_ids = _write_sentences(conn, analysis, set(changed))
    _write_claims(conn, resolution, new_generation)
    _write_mentions(conn, analysis, groups, row_ids)
    _write_facts(conn, articles, analysis, groups, settings, row_ids)
    previous = get_meta(conn, "vectors")
    written = write_vectors(folder, new_generation, analysis.embeddings)
    remove_unused(folder, keep={written, previous})
    for key, value in (("generation", new_generation), ("vectors", written), ("rows", len(sentences)),
                       ("next_claim", resolution.next_number), ("id_width", width),
                       ("facts_generation", new_generation),
                       ("settings", codec.settings_to_json(settings))):
        set_meta(conn, key, value)
    conn.execute("INSERT INTO ingests VALUES (?, datetime('now'), ?, ?, ?, ?, ?, ?)",
                 (new_generation, len(added), len(replaced), len(unchanged), len(resolution.new),
                  len(resolution.kept), len(resolution.merges)))
    report = IngestReport(tuple(a.id for a in added), tuple(a.id for a in replaced), unchanged,
                          tuple(resolution.new), tuple(resolution.kept), tuple(resolution.merges),
                          tuple(resolution.retired), new_generation)
    return report


def _stored_mentions(conn) -> dict[tuple, StoredMention]:
    """Mention key → what the store holds for it (the partner of its link named by key)."""
    key_of = {i: (a, t) for i, a, t in conn.execute("SELECT id, article_id, text FROM sentences")}
    out = {}
    for sid, claim, score, stance, link in conn.execute(
            "SELECT sentence_id, claim_id, score, stance, link FROM mentions"):
        partner = json.loads(link)["partner"] if link else None
        out[key_of[sid]] = StoredMention(claim, score, stance, link, key_of.get(partner))
    return out


def _stored_articles(conn) -> list[Article]:
    cursor = conn.execute("SELECT * FROM articles ORDER BY id")
    names = [d[0] for d in cursor.description]
    return [codec.article_from_row(dict(zip(names, row))) for row in cursor]


def _settings(conn, folder: Path, wanted: Optional[Settings]) -> Settings:
    """The store's settings; ``wanted`` on a new store; an error if ``wanted`` changes them."""
    from claims.settings import resolve_settings

    text = get_meta(conn, "settings")
    if text is None:
        settings = wanted or resolve_settings()
        if settings.pair_score is None:
            raise StoreError("a store needs a named pair score, not a custom pair scorer")
        return settings
    try:
        stored = codec.settings_from_json(text)
    except ValueError as error:
        raise StoreError(f"{folder}: {error}") from None
    if wanted is not None:
        changes = codec.settings_differences(stored, wanted)
        if changes:
            raise StoreError(f"{folder}: the store was built with other settings ({'; '.join(changes)}); "
                             f"its claim ids hold for its own settings: use a new store to change them")
    return stored


def _vectors(conn, folder: Path, sentences, settings: Settings, progress) -> np.ndarray:
    """One vector per sentence: the stored one when its article and text are unchanged, else encoded."""
    from claims.models import get_encoder

    old: dict[tuple, int] = {}
    stored = None
    name = get_meta(conn, "vectors")
    if name is not None:
        rows = conn.execute("SELECT article_id, text, row FROM sentences").fetchall()
        try:
            stored = read_vectors(folder, name, int(get_meta(conn, "rows", "0")))
        except (FileNotFoundError, ValueError) as error:
            raise StoreError(f"{folder}: the store's vector file is missing or damaged ({error})") from None
        old = {(a, t): r for a, t, r in rows}
    keys = [(s.article, s.text) for s in sentences]
    missing = [i for i, k in enumerate(keys) if k not in old]
    encoder = get_encoder(settings.model, cache=settings.cache)
    texts = [sentences[i].text for i in missing]
    fresh = encoder.encode(texts, progress=progress(len(texts)) if progress and texts else None)
    dim = fresh.shape[1] if stored is None else stored.shape[1]
    vectors = np.empty((len(sentences), dim), np.float32)
    for i, k in enumerate(keys):
        if k in old:
            vectors[i] = stored[old[k]]
    if missing:
        vectors[missing] = fresh
    return vectors


def _write_articles(conn, added, replaced, generation: int) -> None:
    conn.executemany(
        "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(a.id, a.text, codec.text_hash(a.text), a.title, a.date, a.source, a.url, a.path, generation, generation)
         for a in added])
    conn.executemany(
        "UPDATE articles SET text=?, text_hash=?, title=?, date=?, source=?, url=?, path=?, updated_generation=? "
        "WHERE id=?", [(a.text, codec.text_hash(a.text), a.title, a.date, a.source, a.url, a.path, generation, a.id)
                       for a in replaced])


def _write_sentences(conn, analysis, changed: set[str]) -> dict[int, int]:
    """Replace the sentences of changed articles, renumber every row; returns row -> sentence id."""
    stored: dict[str, list] = {}
    for article, idx, text, start, end in conn.execute(
            'SELECT article_id, idx, text, start, "end" FROM sentences ORDER BY article_id, idx'):
        stored.setdefault(article, []).append((idx, text, start, end))
    new: dict[str, list] = {}
    for s in analysis.sentences:
        new.setdefault(s.article, []).append((s.index, s.text, s.start, s.end))
    # An unchanged article whose sentences split differently (a newer splitter) is replaced too.
    redo = {a for a in new if a in changed or stored.get(a) != new[a]}
    conn.executemany("DELETE FROM sentences WHERE article_id=?", [(a,) for a in sorted(redo)])
    conn.executemany('INSERT INTO sentences(article_id, idx, text, start, "end", row) VALUES (?, ?, ?, ?, ?, ?)',
                     [(s.article, s.index, s.text, s.start, s.end, row)
                      for row, s in enumerate(analysis.sentences) if s.article in redo])
    conn.executemany("UPDATE sentences SET row=? WHERE article_id=? AND idx=?",
                     [(row, s.article, s.index) for row, s in enumerate(analysis.sentences) if s.article not in redo])
    return {row: sid for sid, row in conn.execute("SELECT id, row FROM sentences")}


def _write_claims(conn, ids, generation: int) -> None:
    """New claims in, merged and retired ones marked (their ids stay, never reused)."""
    conn.executemany("INSERT INTO claims VALUES (?, ?, 'active', NULL, ?, ?)",
                     [(c, int(c.lstrip("c")), generation, generation) for c in ids.new])
    conn.executemany("UPDATE claims SET updated_generation=? WHERE id=?", [(generation, c) for c in ids.kept])
    conn.executemany("UPDATE claims SET status='merged', merged_into=?, updated_generation=? WHERE id=?",
                     [(kept, generation, absorbed) for kept, absorbed in ids.merges])
    conn.executemany("INSERT INTO claim_merges VALUES (?, ?, ?)", [(k, a, generation) for k, a in ids.merges])
    conn.executemany("UPDATE claims SET status='retired', updated_generation=? WHERE id=?",
                     [(generation, c) for c in ids.retired])


def _write_mentions(conn, analysis, groups, row_ids: dict[int, int]) -> None:
    conn.execute("DELETE FROM attributions")
    conn.executemany("INSERT INTO attributions VALUES (?, ?, ?, ?, ?, ?)",
                     [(row_ids[i], *codec.attribution_values(r.attribution)) for i, r in enumerate(analysis.rows)])
    conn.execute("DELETE FROM mentions")
    conn.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?)",
                     [(row_ids[m.row], g.id, m.score, m.stance, codec.link_to_json(m.link, row_ids))
                      for g in groups for m in g.mentions])


def _write_facts(conn, articles, analysis, groups, settings: Settings, row_ids: dict[int, int]) -> None:
    """The facts a reader of the whole store would work out, so it need not (nor load the parser)."""
    from claims.facts.build import build_facts
    from claims.store.reader import assemble

    members = {g.id: list(g.mentions) for g in groups}
    shown, table = assemble(articles, analysis.sentences, [r.attribution for r in analysis.rows], members, settings)
    facts = build_facts(articles, table, shown, analysis.embeddings)
    conn.execute("DELETE FROM facts")
    conn.executemany("INSERT INTO facts(claim_id, sentence_id, slot, value, unit, data) VALUES (?, ?, ?, ?, ?, ?)",
                     codec.fact_rows(facts, row_ids))


__all__ = ["IngestReport", "PAUSE_ENV", "ingest"]
