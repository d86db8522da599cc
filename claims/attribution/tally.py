"""Who is quoted in a corpus, how often and where: the data of ``claims speakers``."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import NamedTuple, Sequence

from claims.records import Article, Attribution, Sentence


class SpeakerCount(NamedTuple):
    """One speaker: sentences attributed to them, by quote type, and the articles they appear in."""

    speaker: str
    sentences: int
    direct: int
    indirect: int
    articles: list[str]


def count_speakers(sentences: Sequence[Sentence], attributions: Sequence[Attribution]) -> list[SpeakerCount]:
    """One count per speaker, most quoted first (ties by name)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    where: dict[str, dict[str, None]] = defaultdict(dict)
    for sentence, who in zip(sentences, attributions, strict=True):
        if who.speaker:
            counts[who.speaker][who.quote] += 1
            where[who.speaker][sentence.article] = None
    rows = [SpeakerCount(name, sum(c.values()), c["direct"], c["indirect"], list(where[name]))
            for name, c in counts.items()]
    return sorted(rows, key=lambda r: (-r.sentences, r.speaker))


def who_is_quoted(articles: Sequence[Article]) -> list[SpeakerCount]:
    """Split and attribute ``articles`` (no model, no grouping) and count the speakers."""
    from claims.ingest import split_corpus
    from claims.attribution.corpus import attribute_corpus

    sentences = split_corpus(articles)
    return count_speakers(sentences, attribute_corpus(articles, sentences))


__all__ = ["SpeakerCount", "count_speakers", "who_is_quoted"]
