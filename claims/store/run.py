"""The grouping and attribution of the whole stored corpus, the first stages of :func:`claims.pipeline.analyze`.

An ingest needs the groups of a fresh run only to decide what the stored claims become
(:mod:`claims.store.ids`); explaining and giving stances to every group of that run, as
``analyze`` does, would be wasted on the claims that did not change. So this runs the same
stages as ``analyze`` up to the groups (same settings, guard, pair scorer, attribution and
memo), and returns the fitted pair scorer so the claims that changed are explained with it.
"""

from __future__ import annotations

import warnings
from typing import Sequence

import numpy as np

from claims.analysis import Analysis, table_rows
from claims.records import NO_ATTRIBUTION, Article
from claims.settings import ESTIMATED, Settings, Threshold


def run_corpus(articles: Sequence[Article], vectors: np.ndarray, settings: Settings):
    """Group and attribute ``articles`` with their row ``vectors``, as ``analyze`` would.

    Returns:
        ``(analysis, scorer)``: an Analysis whose groups carry no link and no stance yet,
        and the pair scorer fitted on the corpus.
    """
    from claims.attribution.corpus import attribute_corpus
    from claims.french.parses import Parses
    from claims.ingest import split_corpus
    from claims.matching.grouping import group_embeddings
    from claims.matching.scores import build_scorer
    from claims.models import get_encoder
    from claims.pipeline import ClaimsWarning, build_groups, default_guard
    from embeddings.base import l2_normalize

    sentences = split_corpus(articles)
    texts = [s.text for s in sentences]
    article_ids = [s.article for s in sentences]
    vectors = l2_normalize(np.asarray(vectors, dtype=np.float32))
    encoder = get_encoder(settings.model, cache=settings.cache)
    if settings.threshold is None:
        from claims.matching.thresholds import fallback_threshold

        value = fallback_threshold(vectors, article_ids)
        settings = settings.with_threshold(Threshold(value, settings.pair_score.name, ESTIMATED),
                                           f"estimated threshold: {value:.3f} on the cosine scale")
    for note in settings.notes:
        warnings.warn(note, ClaimsWarning, stacklevel=3)
    memo, parses = _memo(settings), Parses()
    guard = default_guard(texts, memo, parses) if settings.guards else None
    scorer = build_scorer(settings.pair_score, settings.model.lexical_weight, texts, vectors, article_ids, encoder,
                          model=settings.model.calibration or settings.model.name)
    grouping = group_embeddings(vectors, article_ids, settings.threshold.value, settings.min_articles,
                                texts=texts, guard=guard, pair_scorer=scorer)
    attributions = (attribute_corpus(articles, sentences, None, memo, parses) if settings.attribution
                    else [NO_ATTRIBUTION] * len(sentences))
    groups = build_groups(sentences, grouping, attributions)
    vectors.setflags(write=False)
    analysis = Analysis(tuple(articles), tuple(table_rows(sentences, attributions, groups)), vectors, groups,
                        settings, encoder)
    return analysis, scorer


def _memo(settings: Settings):
    if not settings.cache:
        return None
    from claims.memo import Memo

    return Memo()


__all__ = ["run_corpus"]


def fitted_scorer(analysis: Analysis):
    """The pair scorer of ``analysis``'s settings fitted on its rows, as :func:`run_corpus` fits it.

    Another engine (:mod:`claims.engines`) returns an analysis without its scorer; the claims
    that changed are explained with one fitted on the same texts and vectors.
    """
    from claims.matching.scores import build_scorer
    from claims.models import get_encoder

    settings = analysis.settings
    texts = [r.sentence.text for r in analysis.rows]
    article_ids = [r.sentence.article for r in analysis.rows]
    encoder = get_encoder(settings.model, cache=settings.cache)
    return build_scorer(settings.pair_score, settings.model.lexical_weight, texts, analysis.embeddings,
                        article_ids, encoder, model=settings.model.calibration or settings.model.name)
