"""The claim groups of the store after an ingest, with everything the pipeline gives a group.

:func:`claims.store.ids.resolve_claims` decides which sentences each claim holds; this module
turns that into :class:`~claims.records.ClaimGroup` values like :func:`claims.pipeline.analyze`
makes: a claim whose sentences are exactly a group of the new run takes that group's mentions
(centroid cosine, link); any other gets its centroid cosines and links worked out for its own
members. Then stance and comparison run on every claim, as in the pipeline.
"""

from __future__ import annotations

import dataclasses
from typing import Hashable, Sequence

import numpy as np

from claims.analysis import Analysis
from claims.records import ClaimGroup, Mention
from claims.settings import Settings
from claims.store.ids import Resolution


def row_keys(analysis: Analysis) -> list[tuple[str, str]]:
    """The mention key of each row: its article and sentence text."""
    return [(s.article, s.text) for s in analysis.sentences]


def claim_groups(analysis: Analysis, resolution: Resolution, settings: Settings) -> tuple[ClaimGroup, ...]:
    """The claims of ``resolution`` as groups over the rows of ``analysis``, ordered by first mention.

    Args:
        analysis: the new run over the whole corpus (stance not assigned).
        resolution: which keys each claim holds.
        settings: the store's settings (whether to assign stances).
    """
    from claims.pipeline import assign_group_stances, compare_groups, explain_groups

    keys = row_keys(analysis)
    rows_of: dict[Hashable, list[int]] = {}
    for row, key in enumerate(keys):
        rows_of.setdefault(key, []).append(row)
    as_run = {frozenset(m.row for m in g.mentions): g for g in analysis.groups}
    groups, rebuilt = [], []
    for claim, members in resolution.members.items():
        rows = sorted({r for k in members for r in rows_of.get(k, ())})
        if not rows:
            continue
        same = as_run.get(frozenset(rows))
        if same is not None:
            groups.append(dataclasses.replace(same, id=claim))
        else:
            rebuilt.append(len(groups))
            groups.append(_group_of_rows(analysis, claim, rows))
    if rebuilt:
        explained = explain_groups(tuple(groups[i] for i in rebuilt), _explainer(analysis))
        for i, group in zip(rebuilt, explained):
            groups[i] = group
    groups.sort(key=lambda g: g.mentions[0].row)
    result = tuple(groups)
    if settings.stance and result:
        result = assign_group_stances(result, analysis.embeddings, settings, analysis.encoder)
    return compare_groups(result, analysis.articles)


def _group_of_rows(analysis: Analysis, claim: str, rows: Sequence[int]) -> ClaimGroup:
    """A group of these rows, each mention scored by its cosine to the group's centroid."""
    vectors = analysis.embeddings[rows]
    centroid = vectors.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    scores = vectors @ centroid
    return ClaimGroup(claim, tuple(Mention(analysis.rows[r].sentence, float(s), analysis.rows[r].attribution, row=r)
                                   for r, s in zip(rows, scores)))


def _explainer(analysis: Analysis):
    """The explainer of the run, with the pair scorer fitted on the whole corpus."""
    from claims.matching.explain import Explainer
    from claims.matching.scores import build_scorer

    sentences = analysis.sentences
    texts = [s.text for s in sentences]
    scorer = build_scorer(analysis.settings.pair_score, analysis.settings.model.lexical_weight, texts,
                          analysis.embeddings, [s.article for s in sentences], analysis.encoder)
    return Explainer(texts, analysis.embeddings, scorer)


__all__ = ["claim_groups", "row_keys"]
