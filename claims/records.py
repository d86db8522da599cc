"""Small immutable records passed from one pipeline stage to the next.

Data flows one way: :class:`Article` → :class:`Sentence` → (embeddings, index) →
:class:`ClaimGroup` of :class:`Mention` → :class:`Attribution` / stance → comparison.
Every stage reads these records and returns new ones; none mutates them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple, Optional


@dataclass(frozen=True)
class Article:
    """One news article as read from disk or standard input.

    ``text`` is the original text, unchanged: every character offset in the
    project (sentences, quote spans) points into it.
    """

    id: str
    text: str
    title: Optional[str] = None
    date: Optional[str] = None  # "YYYY-MM" or "YYYY-MM-DD" as given
    source: Optional[str] = None  # agency mark or jsonl "source" ("ATS", "AFP", "Reuters")
    url: Optional[str] = None
    path: Optional[str] = None  # where it was read from, for messages


class Sentence(NamedTuple):
    """A French sentence (or headline) of one article, with offsets into ``Article.text``."""

    article: str  # Article.id
    index: int  # 0-based position among the article's sentences
    text: str  # == article.text[start:end], whitespace-trimmed
    start: int
    end: int


class Attribution(NamedTuple):
    """Who a sentence's claim belongs to, and how it is reported."""

    speaker: Optional[str]  # canonical name ("Jens Stoltenberg", "Russie"); None = narration
    cue: Optional[str]  # reporting verb or marker as written ("a déclaré", "selon")
    quote: str  # "direct" | "indirect" | "none"
    quote_span: Optional[tuple[int, int]] = None  # offsets of the quoted words in Article.text


NO_ATTRIBUTION = Attribution(speaker=None, cue=None, quote="none", quote_span=None)

STANCES = ("favor", "against", "neutral")


@dataclass(frozen=True)
class Mention:
    """One sentence inside a claim group."""

    sentence: Sentence
    score: float  # cosine of the sentence to its group's centroid
    attribution: Attribution = NO_ATTRIBUTION
    stance: Optional[str] = None  # one of STANCES, None until stance is computed
    row: Optional[int] = None  # its row in the analysis table (and in its embeddings)
    link: Optional[Any] = None  # why it is in its group (claims.matching.explain.Link)


@dataclass(frozen=True)
class ClaimGroup:
    """Sentences from at least ``min_articles`` articles that state the same claim."""

    id: str  # stable string id, e.g. "c001"
    mentions: tuple[Mention, ...]
    comparison: Optional[Any] = None  # GroupComparison once compared (claims.comparison)

    @property
    def articles(self) -> list[str]:
        """Distinct article ids, in order of first mention."""
        return list(dict.fromkeys(m.sentence.article for m in self.mentions))
