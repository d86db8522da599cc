"""The real-news events as corpora, with their gold, and the grouping scores over them.

Shared by :mod:`benchmarks.realnews_quality` (the systems side by side) and
:mod:`claims.training.pair_scorer` (the learned pair score's training pairs and threshold).
Each event is its own corpus: the articles of one event are what a user would compare.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np

from claims.evaluation.metrics import must_not_merge_violations, score_grouping, with_singletons

@dataclass
class Event:
    """One event as one corpus: its sentences and the gold over the scored ones."""

    id: str
    articles: list
    sentences: list
    vectors: np.ndarray
    scored: list[int]  # rows (sentence positions) that count
    labels: list  # gold partition of the scored rows (shared main claims, else singletons)
    claims: list[frozenset]  # every claim of each scored row
    main: list[Optional[str]]  # main claim of each scored row
    ignore: set  # pairs of scored positions sharing a claim without being required
    must_not_merge: list[tuple[str, str]]
    preds: dict = field(default_factory=dict)  # (system, threshold) -> labels of all rows
    extra: dict = field(default_factory=dict)  # vectors of other systems (TF-IDF)

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.sentences]

    @property
    def article_ids(self) -> list[str]:
        return [s.article for s in self.sentences]


def build_event(gold, event: str, encoder) -> Event:
    from claims.ingest import split_corpus

    articles = [a for a in gold.articles if gold.event_of[a.id] == event]
    sentences = split_corpus(articles)
    for s in sentences:
        if gold.sentences[s.article][s.index].text != s.text:
            raise RuntimeError(f"{s.article}#{s.index}: the pipeline splits differently from the gold")
    vectors = encoder.encode([s.text for s in sentences])
    scored = [r for r, s in enumerate(sentences) if not gold.gold[(s.article, s.index)].skip]
    rows = [gold.gold[(sentences[r].article, sentences[r].index)] for r in scored]
    main = [g.claim for g in rows]
    labels = with_singletons([c if c in gold.groups else None for c in main])
    claims = [frozenset((g.claim,) + g.also) if g.claim else frozenset() for g in rows]
    tagged = [k for k, c in enumerate(claims) if c]
    ignore = {(a, b) for n, a in enumerate(tagged) for b in tagged[n + 1:]
              if claims[a] & claims[b] and labels[a] != labels[b]}
    mnm = [(a, b) for a, b, _ in gold.must_not_merge if a.split("/")[0] == event]
    return Event(event, articles, sentences, vectors, scored, labels, claims, main, ignore, mnm)


def default_guard_of(event: Event, dates: bool = False):
    """The pipeline's default guard for the event (as :func:`claims.analyze` builds it), with
    the sentences' article dates when ``dates``."""
    from claims.memo import Memo
    from claims.pipeline import default_guard

    date_of = {a.id: a.date for a in event.articles}
    article_dates = [date_of.get(s.article) for s in event.sentences] if dates else None
    return default_guard(event.texts, Memo(), dates=article_dates)


def same_partition(a: Sequence, b: Sequence) -> bool:
    """Whether two labelings group the same rows together (None and -1: ungrouped)."""
    def groups(labels):
        out: dict = {}
        for i, label in enumerate(labels):
            if label is not None and label != -1:
                out.setdefault(label, set()).add(i)
        return {frozenset(g) for g in out.values()}
    return groups(a) == groups(b)


def score_events(events: Sequence[Event], preds: Sequence[Sequence]) -> dict:
    """Micro-averaged scores over events: labels qualified by event, lists concatenated."""
    gold, pred, claims, main, ignore, mnm = [], [], [], [], set(), []
    for event, labels in zip(events, preds):
        offset = len(gold)
        full = with_singletons(list(labels))
        gold += [(event.id, g) for g in event.labels]
        pred += [(event.id, full[r]) for r in event.scored]
        claims += event.claims
        main += event.main
        ignore |= {(a + offset, b + offset) for a, b in event.ignore}
        mnm += event.must_not_merge
    out = score_grouping(gold, pred, ignore, claims)
    out["must_not_merge"] = must_not_merge_violations(main, pred, mnm)
    out["groups"] = len({p for p in pred if not (isinstance(p[1], tuple) and p[1][0] == "singleton")})
    out["sentences"] = len(gold)
    return out



__all__ = ["Event", "build_event", "default_guard_of", "same_partition", "score_events"]
