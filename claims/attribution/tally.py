"""Who is quoted in a corpus, how often and where: the data of ``claims speakers``."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import NamedTuple, Optional, Sequence

from claims.records import Article, Attribution, Sentence


class SpeakerCount(NamedTuple):
    """One speaker: sentences attributed to them, by quote type, and the articles they appear in."""

    speaker: str
    sentences: int
    direct: int
    indirect: int
    articles: list[str]
    variants: list[str] = []  # other ways the articles name this source ("Lula", "le président brésilien")


def count_speakers(sentences: Sequence[Sentence], attributions: Sequence[Attribution],
                   variants: Optional[dict] = None) -> list[SpeakerCount]:
    """One count per speaker, most quoted first (ties by name); ``variants``: speaker -> written forms."""
    variants = variants or {}
    counts: dict[str, Counter] = defaultdict(Counter)
    where: dict[str, dict[str, None]] = defaultdict(dict)
    for sentence, who in zip(sentences, attributions, strict=True):
        if who.speaker:
            counts[who.speaker][who.quote] += 1
            where[who.speaker][sentence.article] = None
    rows = [SpeakerCount(name, sum(c.values()), c["direct"], c["indirect"], list(where[name]),
                         _variants(name, variants))
            for name, c in counts.items()]
    return sorted(rows, key=lambda r: (-r.sentences, r.speaker))


def who_is_quoted(articles: Sequence[Article], memo=None) -> list[SpeakerCount]:
    """Split and attribute ``articles`` (no model, no grouping) and count the speakers.

    ``memo`` (a :class:`claims.memo.Memo`) returns the attributions of articles seen before.
    """
    from claims.ingest import split_corpus
    from claims.attribution.corpus import attribute_corpus_named

    sentences = split_corpus(articles)
    attributions, variants = attribute_corpus_named(articles, sentences, memo=memo)
    return count_speakers(sentences, attributions, variants)


def _variants(name: str, variants: dict) -> list[str]:
    """Written forms of a speaker; of each part when several sources speak together ("A, B")."""
    parts = name.split(", ") if name not in variants else [name]
    return list(dict.fromkeys(f for p in parts for f in variants.get(p, [])))


__all__ = ["SpeakerCount", "count_speakers", "who_is_quoted"]
