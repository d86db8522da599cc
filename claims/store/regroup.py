"""The claim groups of the store after an ingest, with everything the pipeline gives a group.

:func:`claims.store.ids.resolve_claims` decides which sentences each claim holds; this module
turns that into :class:`~claims.records.ClaimGroup` values like :func:`claims.pipeline.analyze`
makes: a claim whose sentences are exactly a group of the new run takes that group's mentions
(centroid cosine, link); a stored claim whose sentences are unchanged keeps its stored mentions;
any other gets its centroid cosines and links worked out for its own members. Stance runs on the
claims that changed, comparison on every claim, as in the pipeline.
"""

from __future__ import annotations

import dataclasses
from typing import Hashable, Mapping, NamedTuple, Optional, Sequence

import numpy as np

from claims.analysis import Analysis
from claims.records import ClaimGroup, Mention
from claims.settings import Settings
from claims.store.ids import Resolution


def row_keys(analysis: Analysis) -> list[tuple[str, str]]:
    """The mention key of each row: its article and sentence text."""
    return [(s.article, s.text) for s in analysis.sentences]


class StoredMention(NamedTuple):
    """A mention as the store holds it: its claim, centroid cosine, stance, link and the link's partner key."""

    claim: str
    score: float
    stance: Optional[str]
    link: Optional[str]  # JSON of the Link (claims.store.codec)
    partner: Optional[tuple[str, str]]  # the partner's mention key


def claim_groups(analysis: Analysis, resolution: Resolution, settings: Settings, scorer=None,
                 stored: Optional[Mapping[Hashable, StoredMention]] = None) -> tuple[ClaimGroup, ...]:
    """The claims of ``resolution`` as groups over the rows of ``analysis``, ordered by first mention.

    A stored claim whose sentences did not change keeps its stored mentions (centroid cosine,
    stance, link as computed when it last changed): neither explained nor given stances again.

    Args:
        analysis: the new run over the whole corpus (:func:`claims.store.run.run_corpus`: no
            link, no stance yet).
        resolution: which keys each claim holds.
        settings: the store's settings (whether to assign stances).
        scorer: the pair scorer fitted on the corpus, for the links (None: cosine).
        stored: mention key → what the store holds for it, before this ingest.
    """
    from claims.pipeline import assign_group_stances, compare_groups, explain_groups

    stored = stored or {}
    rows_of: dict[Hashable, list[int]] = {}
    for row, key in enumerate(row_keys(analysis)):
        rows_of.setdefault(key, []).append(row)
    before: dict[str, set] = {}
    for key, m in stored.items():
        before.setdefault(m.claim, set()).add(key)
    as_run = {frozenset(m.row for m in g.mentions): g for g in analysis.groups}
    groups, unchanged = [], set()
    for claim, members in resolution.members.items():
        rows = sorted({r for k in members for r in rows_of.get(k, ())})
        if not rows:
            continue
        if before.get(claim) == set(members):
            unchanged.add(claim)
            groups.append(_stored_group(analysis, claim, rows, stored, rows_of))
        elif frozenset(rows) in as_run:
            groups.append(dataclasses.replace(as_run[frozenset(rows)], id=claim))
        else:
            groups.append(_group_of_rows(analysis, claim, rows))
    groups.sort(key=lambda g: g.mentions[0].row)
    todo = [i for i, g in enumerate(groups) if g.id not in unchanged]
    if todo:
        from claims.matching.explain import Explainer

        changed = explain_groups(tuple(groups[i] for i in todo),
                                 Explainer([r.sentence.text for r in analysis.rows], analysis.embeddings, scorer))
        if settings.stance:
            changed = assign_group_stances(changed, analysis.embeddings, settings, analysis.encoder)
        for i, group in zip(todo, changed):
            groups[i] = group
    return compare_groups(tuple(groups), analysis.articles)


def _stored_group(analysis: Analysis, claim: str, rows: Sequence[int], stored, rows_of) -> ClaimGroup:
    """A claim whose sentences did not change, with the mentions the store holds."""
    from claims.store.codec import link_from_json

    mentions = []
    for r in rows:
        row = analysis.rows[r]
        held = stored[(row.sentence.article, row.sentence.text)]
        partner = rows_of.get(held.partner, [None])[0] if held.partner else None
        link = link_from_json(held.link, {})  # the partner is found by its key, not its old id
        link = link._replace(partner=partner) if link is not None else None
        mentions.append(Mention(row.sentence, held.score, row.attribution, held.stance, row=r, link=link))
    return ClaimGroup(claim, tuple(mentions))


def _group_of_rows(analysis: Analysis, claim: str, rows: Sequence[int]) -> ClaimGroup:
    """A group of these rows, each mention scored by its cosine to the group's centroid."""
    vectors = analysis.embeddings[rows]
    centroid = vectors.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    scores = vectors @ centroid
    return ClaimGroup(claim, tuple(Mention(analysis.rows[r].sentence, float(s), analysis.rows[r].attribution, row=r)
                                   for r, s in zip(rows, scores)))


__all__ = ["StoredMention", "claim_groups", "row_keys"]
