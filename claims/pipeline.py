"""The whole analysis in one call, stage after stage, into one immutable :class:`Analysis`.

corpus → sentences → embeddings → groups → attribution → stance → comparison → facts. Each stage
is a function that reads what earlier stages produced and returns new values; settings
are resolved once, first (:func:`claims.settings.resolve_settings`), so a bad option fails
before any work. Every step can be swapped: pass an :class:`~embeddings.base.Encoder` or
precomputed embeddings, a pair scorer, an attributor, a stance model.

:func:`analyze` is the model-level entry point; :func:`claims.matching.grouping.group_embeddings`
is the embedding-level one it wraps.
"""

from __future__ import annotations

import dataclasses
import time
import warnings
from contextlib import contextmanager
from typing import Iterator, NamedTuple, Optional, Sequence, Union

import numpy as np

from claims.analysis import Analysis, StageTime, table_rows
from claims.attribution.corpus import attribute_corpus
from claims.french.parses import Parses
from claims.ingest import ArticlesLike, resolve_articles, split_corpus
from claims.matching.explain import Explainer
from claims.matching.grouping import GroupingResult, group_embeddings
from claims.models import DEFAULT_MODEL, ModelEntry, cached, get_encoder, model_entry, stance_model_name
from claims.records import NO_ATTRIBUTION, Article, Attribution, ClaimGroup, Mention, Sentence
from claims.settings import ESTIMATED, Settings, Threshold, resolve_settings
from embeddings.base import Encoder, ProgressFactory, l2_normalize


GUARD_MEMO_KIND = "guard-roles"


class ClaimsWarning(UserWarning):
    """Something the user should know about a run: a fallback, an estimate, a skipped input."""


class Prepared(NamedTuple):
    """The per-article stages already run elsewhere (an engine working on partitions).

    Attributes:
        articles: the articles, in row order.
        sentences: their sentences, article by article (what ``split_corpus`` returns).
        attributions: one per sentence, speakers named corpus-wide, or None to attribute here.
        vectors: the encoder's vectors of the sentences, used as they are, or None to encode here.
    """

    articles: Sequence[Article]
    sentences: Sequence[Sentence]
    attributions: Optional[Sequence[Attribution]] = None
    vectors: Optional[np.ndarray] = None


class _Clock:
    """Collects the wall time of each stage (the parts of a stage done in two parts added up)."""

    def __init__(self):
        self.times: list[StageTime] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            seconds = time.perf_counter() - start
            done = next((k for k, t in enumerate(self.times) if t.stage == name), None)
            if done is None:
                self.times.append(StageTime(name, seconds))
            else:  # a stage done in two parts (the grouping's text-only part comes first)
                self.times[done] = StageTime(name, self.times[done].seconds + seconds)


def analyze(
    inputs: ArticlesLike,
    model: Union[str, Encoder] = DEFAULT_MODEL,
    threshold: Optional[float] = None,
    min_articles: int = 2,
    *,
    scoring: str = "hybrid",
    guard=True,
    attribution: bool = True,
    stance: bool = True,
    cache: bool = True,
    progress: Optional[ProgressFactory] = None,
    embeddings: Optional[np.ndarray] = None,
    pair_scorer=None,
    attributor=None,
    stance_model=None,
    settings: Optional[Settings] = None,
    index=None,
    prepared: Optional[Prepared] = None,
    second_process: Optional[bool] = None,
) -> Analysis:
    """Find the claims that recur across articles.

    Args:
        inputs: Article records, paths of files/folders, or a mapping id → text.
        model: a model name of :mod:`claims.models` ("e5-small", "e5-small-int8", "use",
            "minilm", a local sentence-transformers folder) or an Encoder.
        threshold: pair score needed to link two sentences, on the pair score's scale;
            default: the one calibrated for the model and pair score.
        min_articles: distinct articles a group must span.
        scoring: pair score name (:data:`claims.matching.scores.PAIR_SCORES`): "hybrid"
            (default), "clauses", "clauses-dense", "csls", "cosine".
        guard: True for the default pair guard (figures, negation, entities), a callable
            ``guard(text_a, text_b) -> reason or None``, or False for none.
        attribution: find who said each sentence.
        stance: give each mention a stance toward its group's claim.
        cache: reuse embeddings from the on-disk cache.
        progress: ``progress(total)`` returns a callback advanced after each encoded batch.
        embeddings: precomputed (n_sentences, dim) vectors, in sentence order; nothing is encoded.
        pair_scorer: instead of ``scoring``, an object with ``scale`` and
            ``fit(texts, embeddings, article_ids, encoder)`` returning a pair scorer
            (see :mod:`claims.matching.scores`); needs ``threshold``.
        attributor: instead of the default, an object with ``attribute(article, sentences)``
            returning one Attribution per sentence.
        stance_model: instead of the default, an object with ``assign(group, embeddings)``
            returning the group with a stance on every mention.
        settings: settings already resolved by :func:`claims.settings.resolve_settings`
            (the CLI resolves them before reading any file); they replace ``threshold``,
            ``min_articles``, ``scoring``, ``attribution``, ``stance`` and ``cache``.
        index: the nearest-neighbour index of the grouping (an :class:`embeddings.index.VectorIndex`
            or an object with its ``fit``/``search``); default: exact or cells by size.
        prepared: sentences (and attributions) made by an engine; ``inputs`` is then ignored.
        second_process: encode in a second process while this one parses and attributes
            (:mod:`claims.engines.encode_process`; same vectors, two cores busy). None: when the
            machine has two cores or more, the corpus 1,000 sentences or more and the model
            is given by name; False: never; True: whenever the model is given by name.

    Returns:
        An :class:`Analysis`.

    Raises:
        ValueError: for a bad setting (unknown model or pair score, threshold outside the
            pair score's range, NaN…), raised before any work.
    """
    if settings is None:
        settings = resolve_settings(
            _entry_of(model), threshold, min_articles, pair_score_name=scoring,
            custom_scale=getattr(pair_scorer, "scale", "custom") if pair_scorer is not None else None,
            guards=bool(guard), attribution=attribution, stance=stance, cache=cache)
    attribution, stance = settings.attribution, settings.stance
    guard = guard if settings.guards else False
    encoder = _encoder_for(model, settings.model, settings.cache)
    clock = _Clock()

    with clock.stage("read"):
        articles = resolve_articles(inputs) if prepared is None else list(prepared.articles)
        sentences = split_corpus(articles) if prepared is None else list(prepared.sentences)
    texts = [s.text for s in sentences]
    article_ids = [s.article for s in sentences]
    memo, parses = _memo(settings), Parses()
    given = prepared.vectors if prepared is not None and prepared.vectors is not None else embeddings
    background = _encode_process(second_process, model, settings, texts, given, progress,
                                 guard is True or (attribution and attributor is None))
    served = encoder  # what the stages after the grouping encode with (clauses, stance parts)
    try:
        if background is None:
            with clock.stage("encode"):
                vectors = _embeddings_of(texts, encoder, embeddings, prepared, progress)
        # The pair guard's entity roles, then the attribution: one parse per sentence for both.
        # They need no vector, so they run while a second process encodes, if there is one.
        with clock.stage("attribute"):
            if guard is True:
                guard = default_guard(texts, memo, parses)
            if prepared is not None and prepared.attributions is not None:
                attributions = list(prepared.attributions)
            elif attribution:
                attributions = attribute_corpus(articles, sentences, attributor, memo, parses)
            else:
                attributions = [NO_ATTRIBUTION] * len(sentences)
        with clock.stage("group"):  # the pair score's TF-IDF and figures: from the texts alone
            prepared_scorer = _prepare_scorer(settings, texts) if pair_scorer is None else None
        if background is not None:
            with clock.stage("encode"):  # what is left of it once the attribution is done
                vectors = background.vectors()
                if vectors is None:
                    warnings.warn(f"{background.failure_}; encoding in this process", ClaimsWarning, stacklevel=2)
                    vectors = _embeddings_of(texts, encoder, embeddings, prepared, progress)
            if background.seconds_ is not None:  # overlapped the stages above: not a stage of its own
                clock.times.append(StageTime("encode, second process", background.seconds_))
                served = background.encoder(encoder)  # its model, already loaded, encodes what follows
        if settings.threshold is None:
            settings = _estimate_threshold(settings, vectors, article_ids)
        for note in settings.notes:
            warnings.warn(note, ClaimsWarning, stacklevel=2)

        with clock.stage("group"):
            grouping, scorer = _group(settings, texts, vectors, article_ids, served, guard, pair_scorer, index,
                                      prepared_scorer)
        groups = build_groups(sentences, grouping, attributions)
        if groups:
            with clock.stage("explain"):
                groups = explain_groups(groups, Explainer(texts, vectors, scorer))
        if stance and groups:  # no group: the stance encoder is never loaded
            with clock.stage("stance"):
                groups = assign_group_stances(groups, vectors, settings, served, stance_model)
    finally:
        if background is not None:
            background.close()
    with clock.stage("compare"):
        groups = compare_groups(groups, articles)
    rows = tuple(table_rows(sentences, attributions, groups))
    with clock.stage("facts"):
        from claims.facts.build import build_facts

        facts = build_facts(articles, rows, groups, vectors, memo=memo)
    vectors.setflags(write=False)
    return Analysis(tuple(articles), rows, vectors, groups, settings, encoder, tuple(clock.times), facts)


def _entry_of(model: Union[str, Encoder]) -> ModelEntry:
    """The registry entry of a model name, or of a given encoder (its name's, if registered)."""
    if not isinstance(model, Encoder):
        return model_entry(model)
    try:
        return model_entry(model.name)
    except ValueError:
        return ModelEntry(model.name, "encoder given by the caller", lambda cache: model, model.dim)


def _memo(settings: Settings):
    """The on-disk memo of text analyses, when caches are on."""
    if not settings.cache:
        return None
    from claims.memo import Memo

    return Memo()


def _encoder_for(model: Union[str, Encoder], entry: ModelEntry, cache: bool) -> Encoder:
    if not isinstance(model, Encoder):
        return get_encoder(entry, cache=cache)
    return cached(model) if cache else model


def _encode_process(wanted: Optional[bool], model, settings: Settings, texts: list[str], given, progress,
                    parsing: bool):
    """An :class:`~claims.engines.encode_process.EncodeProcess` started on ``texts``, or None
    when the run encodes in this process (``second_process`` in :func:`analyze`)."""
    from claims.engines.encode_process import EncodeProcess, picklable, worth_a_second_process

    if wanted is False or given is not None or isinstance(model, Encoder) or not texts \
            or not picklable(settings.model):
        return None
    if wanted is None and not (parsing and worth_a_second_process(len(texts))):
        return None
    return EncodeProcess(settings.model, texts, settings.cache, progress)


def _embeddings_of(texts: list[str], encoder: Encoder, given: Optional[np.ndarray], prepared: Optional[Prepared],
                   progress: Optional[ProgressFactory]) -> np.ndarray:
    if prepared is not None and prepared.vectors is not None:
        return np.array(prepared.vectors, dtype=np.float32)  # writable: analyze freezes it
    if given is None:
        from claims.engines.batches import encode_in_length_order  # the Ray engine's batches too

        return encode_in_length_order(encoder, texts, progress)
    given = np.asarray(given, dtype=np.float32)
    if given.ndim != 2 or len(given) != len(texts):
        raise ValueError(f"embeddings must have one row per sentence: {len(texts)} sentences, "
                         f"got shape {given.shape}")
    if not np.isfinite(given).all():
        raise ValueError("embeddings hold NaN or infinite values")
    return l2_normalize(given)


def _estimate_threshold(settings: Settings, vectors: np.ndarray, article_ids: list[str]) -> Settings:
    from claims.matching.thresholds import fallback_threshold

    value = fallback_threshold(vectors, article_ids)
    return settings.with_threshold(Threshold(value, settings.pair_score.name, ESTIMATED),
                                   f"estimated threshold: {value:.3f} on the cosine scale")


def _prepare_scorer(settings: Settings, texts):
    """The default pair scorer with what it reads from the texts alone worked out (or None)."""
    from claims.matching.scores import prepare_scorer

    return prepare_scorer(settings.pair_score, settings.model.lexical_weight, texts)


def _group(settings: Settings, texts, vectors, article_ids, encoder, guard, pair_scorer, index=None,
           prepared_scorer=None):
    """The grouping of the corpus, and the fitted pair scorer it used."""
    from claims.matching.scores import build_scorer

    if pair_scorer is not None:
        scorer = pair_scorer.fit(texts, vectors, article_ids, encoder)
    else:
        scorer = build_scorer(settings.pair_score, settings.model.lexical_weight, texts, vectors,
                              article_ids, encoder, model=settings.model.calibration or settings.model.name,
                              prepared=prepared_scorer)
    grouping = group_embeddings(vectors, article_ids, settings.threshold.value, settings.min_articles,
                                texts=texts, guard=guard or None, pair_scorer=scorer, index=index)
    return grouping, scorer


def default_guard(texts: Sequence[str], memo=None, parses: Optional[Parses] = None,
                  dates: Optional[Sequence[Optional[str]]] = None):
    """The pair guard, with the entity roles of every text naming an entity worked out now.

    Roles come from ``memo`` when an earlier run stored them (no parse), else from
    ``parses`` (shared with the attribution), and new ones are stored. ``dates`` (the article
    date of each text) lets the guard resolve "lundi" or "le 15 juin"; :func:`analyze` does
    not pass them: on the demo gold they split restatements that give the day a speech was
    made (pair F1 0.391 -> 0.353) and on the real-news tuning events they changed nothing.
    """
    from claims.french.entities import entity_mentions
    from claims.matching.pair_guards import PairGuard

    guard = PairGuard()
    if dates is not None:
        guard.set_dates(texts, dates)
    named = [t for t in dict.fromkeys(texts) if entity_mentions(t)]
    if memo is not None:
        from claims.memo import fingerprint

        stamp = fingerprint("matching", "french", "data")
        stored = memo.get(GUARD_MEMO_KIND, stamp, named)
        guard.remember_roles({t: r for t, r in zip(named, stored) if r is not None})
    known = guard.known_roles()
    todo = [t for t in named if t not in known]
    guard.prepare(todo, (parses or Parses()).docs(todo))
    if memo is not None:
        roles = guard.known_roles()
        memo.put(GUARD_MEMO_KIND, stamp, [(t, {role: sorted(map(list, roles[t][role])) for role in roles[t]})
                                          for t in todo])
    return guard


def build_groups(sentences: Sequence[Sentence], grouping: GroupingResult,
                 attributions: Sequence[Attribution]) -> tuple[ClaimGroup, ...]:
    """Claim groups from the grouping's labels: ids ``c001``… in order of first mention."""
    labels = grouping.labels.tolist()
    n_groups = max(labels, default=-1) + 1
    width = max(3, len(str(n_groups)))
    members: list[list[Mention]] = [[] for _ in range(n_groups)]
    for row, g in enumerate(labels):
        if g >= 0:
            members[g].append(Mention(sentences[row], float(grouping.scores[row]), attributions[row], row=row))
    return tuple(ClaimGroup(f"c{g + 1:0{width}d}", tuple(m)) for g, m in enumerate(members))


def explain_groups(groups: tuple[ClaimGroup, ...], explainer: Explainer) -> tuple[ClaimGroup, ...]:
    """Each group with a :class:`~claims.matching.explain.Link` on every mention."""
    return tuple(dataclasses.replace(g, mentions=tuple(dataclasses.replace(m, link=link)
                                                       for m, link in zip(g.mentions, links)))
                 for g, links in zip(groups, explainer.groups(groups)))


def assign_group_stances(groups: tuple[ClaimGroup, ...], vectors: np.ndarray, settings: Settings,
                         encoder: Encoder, stance_model=None) -> tuple[ClaimGroup, ...]:
    """Each group with a stance on every mention.

    The shipped classifier reads e5-small vectors: the run's vectors are reused when the
    model's entry says they are in that space, else mentions are encoded again with it.
    """
    readable = settings.model.stance_readable
    if stance_model is None:
        from claims.stance.assign import GroupStance

        stance_encoder = encoder if readable else get_encoder(stance_model_name(), cache=settings.cache)
        stance_model = GroupStance(encoder=stance_encoder)
    rows = vectors if readable else None
    return tuple(stance_model.assign(group, rows) for group in groups)


def compare_groups(groups: tuple[ClaimGroup, ...], articles: Sequence[Article]) -> tuple[ClaimGroup, ...]:
    """Each group with its comparison: stances, differing figures, speakers, dates."""
    from claims.comparison import compare_group

    by_id = {a.id: a for a in articles}
    return tuple(dataclasses.replace(g, comparison=compare_group(g, by_id)) for g in groups)


def similarity(text_a: str, text_b: str, model: Union[str, Encoder] = DEFAULT_MODEL) -> float:
    """Cosine similarity of two texts under ``model``."""
    encoder = model if isinstance(model, Encoder) else get_encoder(model, cache=True)
    vectors = encoder.encode([text_a, text_b])
    return float(vectors[0] @ vectors[1])


__all__ = ["Analysis", "ClaimsWarning", "Prepared", "analyze", "assign_group_stances", "attribute_corpus", "explain_groups",
           "build_groups", "compare_groups", "similarity"]
