"""What the service holds in memory: the store's analysis of one generation, and what it derives.

A :class:`Snapshot` is immutable and built once per store generation. Requests take the
current snapshot and read only it, so an ingest committed meanwhile (by this service or by
``claims ingest`` in another process) never shows half-applied: the next request sees the
new generation once its snapshot is built, the ones in flight finish on the old one.
"""

from __future__ import annotations

import threading
import time
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Optional

from claims.analysis import Analysis
from claims.comparison import is_disputed
from claims.records import ClaimGroup
from claims.report.data import outlet_of
from claims.store import Store, StoreError

RECHECK = 1.0  # seconds: the longest a request trusts an unchanged file mark without asking SQLite


def fold(text: str) -> str:
    """Lower case without accents, for text filters ("Élysée" finds "elysee")."""
    decomposed = unicodedata.normalize("NFD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class ClaimFacets:
    """What the claim filters read about one group, computed once per snapshot."""

    group: ClaimGroup
    lead: str  # the mention nearest the group's centre: the claim as one sentence
    speakers: frozenset[str]  # folded
    outlets: frozenset[str]  # folded
    dates: tuple[str, ...]  # the mentions' article dates, sorted, as given
    text: str  # folded texts, speakers and outlets of the mentions
    disputed: bool


@dataclass(frozen=True)
class Snapshot:
    """The analysis of one store generation, and what requests derive from it.

    ``analysis`` is None while the store holds no article.
    """

    generation: int
    analysis: Optional[Analysis]

    @cached_property
    def facets(self) -> dict[str, ClaimFacets]:
        """Claim id → :class:`ClaimFacets`, in the analysis' group order."""
        if self.analysis is None:
            return {}
        outlets = {a.id: outlet_of(a) for a in self.analysis.articles}
        dates = {a.id: a.date for a in self.analysis.articles}
        facets = {}
        for g in self.analysis.groups:
            lead = max(g.mentions, key=lambda m: m.score if m.score == m.score else -1.0)
            speakers = {m.attribution.speaker for m in g.mentions if m.attribution.speaker}
            where = {outlets[a] for a in g.articles}
            facets[g.id] = ClaimFacets(
                g, lead.sentence.text, frozenset(fold(s) for s in speakers), frozenset(fold(o) for o in where),
                tuple(sorted(d for d in (dates[a] for a in g.articles) if d)),
                fold(" \x01 ".join([m.sentence.text for m in g.mentions] + sorted(speakers) + sorted(where))),
                g.comparison is not None and is_disputed(g.comparison))
        return facets

    @cached_property
    def report_html(self) -> str:
        """The report page of this generation (rendered on the first request for it)."""
        from claims.report import page_from_data
        from claims.report.data import report_data

        if self.analysis is None:
            return page_from_data({"title": "Claims: the store is empty", "claims": [], "articles": {},
                                   "generated": "", "sentences": 0, "settings": None, "facts": None})
        return page_from_data(report_data(self.analysis))


class StoreState:
    """The store, and the snapshot of its latest generation, reloaded when it changes.

    Args:
        store: an open :class:`~claims.store.Store`.
    """

    def __init__(self, store: Store):
        self.store = store
        self._reload = threading.Lock()
        self._ingest = threading.Lock()
        self._seen: Optional[tuple] = None  # (store.change_mark(), time) of the last generation read
        self._snapshot = self._load(store.generation)

    def _load(self, generation: int) -> Snapshot:
        try:
            analysis = self.store.load()
        except StoreError as error:
            if "empty" not in str(error):
                raise
            analysis = None
        return Snapshot(generation, analysis)

    def current(self) -> Optional[Snapshot]:
        """The snapshot, without reading SQLite, when the store's files show no commit since the
        last check (made at most ``RECHECK`` seconds ago); None when :meth:`snapshot` must look.

        Cheap enough for the event loop: the nearest-sentence endpoint skips a thread hop.
        """
        seen = self._seen
        if seen is None or time.monotonic() - seen[1] > RECHECK or self.store.change_mark() != seen[0]:
            return None
        return self._snapshot

    def snapshot(self) -> Snapshot:
        """The snapshot of the store's current generation (built now if the store moved on)."""
        current = self._snapshot
        mark, checked = self.store.change_mark(), time.monotonic()  # before the read: never newer than it
        generation = self.store.generation
        if generation == current.generation:
            self._seen = (mark, checked)
            return current
        with self._reload:  # one rebuild per generation, however many requests wait for it
            if self._snapshot.generation != generation:
                self._seen = None
                self._snapshot = self._load(generation)
            return self._snapshot

    def ingest(self, articles, progress=None):
        """Add articles to the store (one ingest at a time from this service), then reload."""
        with self._ingest:
            report = self.store.ingest(articles, progress=progress)
        self.snapshot()
        return report


__all__ = ["ClaimFacets", "Snapshot", "StoreState", "fold"]
