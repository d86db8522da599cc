"""The one result of an analysis: a table of sentences, and claim groups over its rows.

An :class:`Analysis` is immutable. Row ``i`` of :attr:`Analysis.rows` is sentence ``i`` of
the corpus and row ``i`` of :attr:`Analysis.embeddings`; every mention of a group carries
that row number. Every output format, command and API function reads this one value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, NamedTuple, Optional

import numpy as np

from claims.records import Article, Attribution, ClaimGroup, Sentence
from claims.settings import Settings
from embeddings.base import Encoder


class Row(NamedTuple):
    """One sentence of the corpus with what each stage found about it.

    Attributes:
        sentence: article, index, text and offsets.
        attribution: who said it (``NO_ATTRIBUTION`` when attribution did not run).
        group: id of its claim group, or None.
        score: cosine of the sentence to its group's centroid (None when ungrouped).
        stance: toward its group's claim (None when ungrouped or stance did not run).
    """

    sentence: Sentence
    attribution: Attribution
    group: Optional[str] = None
    score: Optional[float] = None
    stance: Optional[str] = None


class StageTime(NamedTuple):
    """Wall time of one pipeline stage."""

    stage: str
    seconds: float


@dataclass(frozen=True)
class Analysis:
    """Everything the pipeline found in a corpus.

    Attributes:
        articles: the articles, in input order.
        rows: one :class:`Row` per sentence, article by article.
        embeddings: one unit vector per row (read-only).
        groups: claim groups spanning several articles, ordered by first mention; each
            mention knows its row, each group its comparison.
        settings: the resolved settings (model, pair score, threshold with its scale).
        encoder: the encoder of the settings' model, for :meth:`similar`.
        timings: wall time of each stage, in order.
        facts: fact slots with at least two mentions (:class:`claims.facts.Fact`, ids
            ``f001``…): versions of one figure, opposite stances, different speakers.
    """

    articles: tuple[Article, ...]
    rows: tuple[Row, ...]
    embeddings: np.ndarray
    groups: tuple[ClaimGroup, ...]
    settings: Settings
    encoder: Encoder
    timings: tuple[StageTime, ...] = ()
    facts: tuple = ()

    @property
    def sentences(self) -> list[Sentence]:
        """The sentence of each row."""
        return [r.sentence for r in self.rows]

    @property
    def labels(self) -> list[Optional[str]]:
        """The group id of each row, or None."""
        return [r.group for r in self.rows]

    def article(self, article_id: str) -> Article:
        """The article with this id."""
        for article in self.articles:
            if article.id == article_id:
                return article
        raise KeyError(article_id)

    def group(self, group_id: str) -> ClaimGroup:
        """The group with this id."""
        for group in self.groups:
            if group.id == group_id:
                return group
        raise KeyError(group_id)

    def select(self, speaker: Optional[str] = None, disputed: bool = False) -> tuple[ClaimGroup, ...]:
        """The groups where ``speaker`` (case-insensitive substring) speaks, and/or that are disputed.

        Disputed: opposite stances, or figures that differ for the same slot
        (:func:`claims.comparison.is_disputed`), or a mention giving a version of a disputed
        fact (:meth:`disputes`).
        """
        from claims.comparison import is_disputed

        groups = self.groups
        if speaker:
            wanted = speaker.casefold()
            groups = tuple(g for g in groups
                           if any(wanted in (m.attribution.speaker or "").casefold() for m in g.mentions))
        if disputed:
            in_dispute = {row for fact in self.disputes() for row in fact.rows}
            groups = tuple(g for g in groups if (g.comparison is not None and is_disputed(g.comparison))
                           or any(m.row in in_dispute for m in g.mentions))
        return groups

    def disputes(self) -> list:
        """The disputed facts (:func:`claims.facts.most_contested`), most contested first."""
        from claims.facts.build import most_contested

        return most_contested(self.facts)

    def fact(self, fact_id: str):
        """The fact with this id."""
        for fact in self.facts:
            if fact.id == fact_id:
                return fact
        raise KeyError(fact_id)

    def similar(self, text: str, top_k: int = 5) -> list[tuple[Sentence, float]]:
        """The ``top_k`` sentences of the corpus nearest to ``text``, with cosine scores."""
        from claims.search import nearest

        return nearest(self.encoder, self.embeddings, self.sentences, text, top_k)


def table_rows(sentences: list[Sentence], attributions: list[Attribution],
               groups: tuple[ClaimGroup, ...]) -> Iterator[Row]:
    """The rows of the table: each sentence with its attribution and, if grouped, its group."""
    placed = {m.row: (g.id, m) for g in groups for m in g.mentions}
    for i, (sentence, who) in enumerate(zip(sentences, attributions, strict=True)):
        found = placed.get(i)
        if found is None:
            yield Row(sentence, who)
        else:
            group_id, mention = found
            yield Row(sentence, who, group_id, mention.score, mention.stance)


__all__ = ["Analysis", "Row", "StageTime", "table_rows"]
