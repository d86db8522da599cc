"""The whole pipeline in one call: articles → sentences → embeddings → groups → attribution → stance.

:func:`analyze` is the model-level entry point; :func:`claims.matching.grouping.group_embeddings`
is the embedding-level one it wraps.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Optional, Sequence, Union

import numpy as np

from claims.ingest.corpus import articles_from_texts, load_articles
from claims.matching.grouping import group_embeddings
from claims.records import NO_ATTRIBUTION, Article, Attribution, ClaimGroup, Mention, Sentence
from claims.ingest.sentences import split_sentences
from claims.matching.thresholds import fallback_threshold, lexical_weight_for, threshold_for
from embeddings.base import Encoder

DEFAULT_MODEL = "e5-small"
# scoring -> calibrated scale in claims/data/thresholds.json
SCORINGS = {"clauses": "clauses", "clauses-dense": "clauses_dense", "hybrid": "hybrid",
            "csls": "csls", "cosine": "dense"}
DEFAULT_SCORING = "hybrid"  # lexical weight and threshold chosen on CheckThat! 2020 train
ArticlesLike = Union[Sequence[Article], Sequence[Union[str, Path]], Mapping[str, str]]
ProgressFactory = Callable[[int], Callable[[int], None]]


@dataclass
class Analysis:
    """Everything the pipeline found in a corpus.

    Attributes:
        articles: the articles, in input order.
        sentences: every sentence of every article, article by article.
        embeddings: one unit vector per sentence.
        groups: claim groups spanning several articles, ordered by first mention.
        labels: the group id of each sentence, or None.
        attributions: who said each sentence (``NO_ATTRIBUTION`` when not computed).
        comparisons: per group id, what its articles disagree on (when computed).
        encoder: the encoder used, for :meth:`similar`.
        threshold: the similarity threshold used.
        threshold_source: "calibrated", "user" or "corpus fallback".
    """

    articles: list[Article]
    sentences: list[Sentence]
    embeddings: np.ndarray
    groups: list[ClaimGroup]
    labels: list[Optional[str]]
    attributions: list[Attribution]
    encoder: Encoder
    threshold: float
    threshold_source: str
    comparisons: dict = field(default_factory=dict)

    def article(self, article_id: str) -> Article:
        """The article with this id."""
        for article in self.articles:
            if article.id == article_id:
                return article
        raise KeyError(article_id)

    def similar(self, text: str, top_k: int = 5) -> list[tuple[Sentence, float]]:
        """The ``top_k`` sentences of the corpus nearest to ``text``, with cosine scores."""
        from embeddings.index import VectorIndex

        if top_k < 1:
            raise ValueError(f"top_k must be >= 1, got {top_k}")
        if not self.sentences:
            return []
        query = self.encoder.encode([text])
        # One query costs n dot products: exact search is cheap at any corpus size, and the
        # IVF settings are tuned for near-duplicate pairs, not for ranking loose matches.
        found = VectorIndex(kind="exact").fit(self.embeddings).search(query, top_k)
        return [(self.sentences[i], float(s)) for i, s in zip(found.ids[0], found.scores[0]) if i >= 0]


def resolve_articles(inputs: ArticlesLike) -> list[Article]:
    """Articles from Article records, paths (files or folders) or a mapping id → text."""
    if isinstance(inputs, Mapping):
        return articles_from_texts(inputs)
    inputs = list(inputs)
    if all(isinstance(x, Article) for x in inputs):
        return inputs
    loaded = load_articles(inputs)
    for problem in loaded.problems:
        warnings.warn(f"{problem.path}: {problem.reason}", stacklevel=3)
    return loaded.articles


def get_cached_encoder(model: Union[str, Encoder], cache: bool = True) -> Encoder:
    """The encoder named ``model``, wrapped in the on-disk embedding cache if ``cache``."""
    from embeddings.registry import get_encoder

    encoder = model if isinstance(model, Encoder) else get_encoder(model)
    if not cache:
        return encoder
    from embeddings.cache import CachedEncoder, EmbeddingCache

    return CachedEncoder(encoder, EmbeddingCache())


def analyze(
    inputs: ArticlesLike,
    model: Union[str, Encoder] = DEFAULT_MODEL,
    threshold: Optional[float] = None,
    min_articles: int = 2,
    *,
    scoring: str = DEFAULT_SCORING,
    guard=True,
    attribution: bool = True,
    stance: bool = True,
    cache: bool = True,
    progress: Optional[ProgressFactory] = None,
) -> Analysis:
    """Find the claims that recur across articles.

    Args:
        inputs: Article records, paths of files/folders, or a mapping id → text.
        model: encoder name ("e5-small", "e5-small-int8", "use", "minilm", a
            sentence-transformers name or local folder) or an Encoder.
        threshold: similarity needed to link two sentences; default: the model's calibrated one.
        min_articles: distinct articles a group must span.
        scoring: how a pair is scored before the threshold: "hybrid" (the default: whole
            sentences, ``(cosine + w TF-IDF) / (1 + w)``), "clauses" (the best pair of
            clauses, quotations or frame-free contents, scored the same way; see
            :mod:`claims.matching.clauses`), "clauses-dense" (the same without TF-IDF), "csls"
            (cosine corrected for hubness) or "cosine". The weight w and every threshold
            come from CheckThat! 2020 train (``benchmarks/calibrate.py``).
        guard: True for the default pair guard (figures, negation, entities), a guard
            callable, or False/None for none.
        attribution: find who said each sentence.
        stance: give each mention a stance toward its group's claim (needs attribution).
        cache: keep embeddings in the on-disk cache.
        progress: ``progress(total)`` returns a callback advanced after each encoded batch.

    Returns:
        An :class:`Analysis`.
    """
    articles = resolve_articles(inputs)
    sentences = [s for article in articles for s in split_sentences(article)]
    encoder = get_cached_encoder(model, cache)
    texts = [s.text for s in sentences]
    embeddings = encoder.encode(texts, progress=progress(len(texts)) if progress else None)
    article_ids = [s.article for s in sentences]

    if scoring not in SCORINGS:
        raise ValueError(f"scoring must be one of {tuple(SCORINGS)}, got {scoring!r}")
    source = "user"
    if threshold is None:
        threshold = threshold_for(encoder.name, SCORINGS[scoring])
        source = "calibrated"
        if threshold is None:
            scoring = "cosine"
            threshold = fallback_threshold(embeddings, article_ids)
            source = "corpus fallback"
    scorer = _pair_scorer(scoring, encoder, texts, embeddings, article_ids)
    if guard is True:
        from claims.french.nlp import french_nlp
        from claims.matching.pair_guards import PairGuard

        guard = PairGuard(nlp=french_nlp())
    result = group_embeddings(embeddings, article_ids, threshold, min_articles,
                              texts=texts, guard=guard or None, pair_scorer=scorer)

    attributions = attribute_corpus(articles, sentences) if attribution else [NO_ATTRIBUTION] * len(sentences)
    groups, labels = _build_groups(sentences, result.labels, result.scores, attributions)
    analysis = Analysis(articles, sentences, embeddings, groups, labels, attributions,
                        encoder, float(threshold), source)
    if stance and groups:
        _add_stances_and_comparisons(analysis)
    return analysis


def _pair_scorer(scoring: str, encoder: Encoder, texts, embeddings, article_ids):
    """The pair scorer of ``scoring`` fitted on this corpus (None for plain cosine)."""
    if scoring == "csls":
        from claims.matching.hubness import CSLSScorer

        return CSLSScorer().fit(embeddings, article_ids)
    if scoring in ("clauses", "clauses-dense", "hybrid"):
        from claims.matching.clauses import ClauseScorer

        weight = 0.0 if scoring == "clauses-dense" else lexical_weight_for(encoder.name)
        return ClauseScorer(lexical_weight=weight, clauses=scoring != "hybrid").fit(texts, embeddings, encoder)
    return None


def attribute_corpus(articles: Sequence[Article], sentences: Sequence[Sentence]) -> list[Attribution]:
    """Who said each sentence (same order as ``sentences``), with the shared spaCy pipeline."""
    from claims.attribution import SpeakerAttributor
    from claims.french.nlp import french_nlp

    attributor = SpeakerAttributor(nlp=french_nlp())
    by_article: dict[str, list[Sentence]] = {}
    for s in sentences:
        by_article.setdefault(s.article, []).append(s)
    out: list[Attribution] = []
    for article in articles:
        out.extend(attributor.attribute(article, by_article.get(article.id, [])))
    return out


def _build_groups(sentences, labels, scores, attributions) -> tuple[list[ClaimGroup], list[Optional[str]]]:
    n_groups = int(labels.max() + 1) if len(labels) else 0
    width = max(3, len(str(n_groups)))
    ids = [f"c{g + 1:0{width}d}" for g in range(n_groups)]
    members: list[list[Mention]] = [[] for _ in range(n_groups)]
    for i, g in enumerate(labels.tolist()):
        if g >= 0:
            members[g].append(Mention(sentences[i], float(scores[i]), attributions[i]))
    groups = [ClaimGroup(ids[g], tuple(m)) for g, m in enumerate(members)]
    return groups, [ids[g] if g >= 0 else None for g in labels.tolist()]


def _add_stances_and_comparisons(analysis: Analysis) -> None:
    if not analysis.groups:  # nothing to compare: do not load the stance encoder
        return
    from claims.comparison import compare_group
    from claims.stance import assign_stances
    from claims.stance.classifier import ENCODERS

    position = {(s.article, s.index): i for i, s in enumerate(analysis.sentences)}
    articles = {a.id: a for a in analysis.articles}
    # The classifier reads e5-small vectors (or int8 ones): with another model, mentions are
    # encoded again.
    reuse = analysis.encoder.name in ENCODERS
    encoder = analysis.encoder if reuse else get_cached_encoder(ENCODERS[0])
    groups = []
    for group in analysis.groups:
        vectors = ({m.sentence: analysis.embeddings[position[(m.sentence.article, m.sentence.index)]]
                    for m in group.mentions} if reuse else None)
        group = assign_stances(group, vectors, encoder=encoder)
        analysis.comparisons[group.id] = compare_group(group, articles)
        groups.append(group)
    analysis.groups = groups


def stance_of(analysis: Analysis) -> list[Optional[str]]:
    """The stance of each sentence toward its group's claim (None when ungrouped)."""
    by_key = {(m.sentence.article, m.sentence.index): m.stance for g in analysis.groups for m in g.mentions}
    return [by_key.get((s.article, s.index)) for s in analysis.sentences]


def similarity(text_a: str, text_b: str, model: Union[str, Encoder] = DEFAULT_MODEL) -> float:
    """Cosine similarity of two texts under ``model``."""
    vectors = get_cached_encoder(model).encode([text_a, text_b])
    return float(vectors[0] @ vectors[1])


__all__ = ["Analysis", "analyze", "attribute_corpus", "similarity", "resolve_articles", "stance_of"]
