"""Attribution of a whole corpus: the pipeline's attribution stage."""

from __future__ import annotations

from typing import Sequence

from claims.records import Article, Attribution, Sentence


def attribute_corpus(articles: Sequence[Article], sentences: Sequence[Sentence],
                     attributor=None) -> list[Attribution]:
    """Who said each sentence (same order as ``sentences``), article by article.

    Args:
        articles: the articles the sentences come from.
        sentences: the corpus' sentences, article by article.
        attributor: an object with ``attribute(article, sentences)`` returning one
            Attribution per sentence; the spaCy-based :class:`SpeakerAttributor` by default.
    """
    if attributor is None:
        from claims.attribution.attributor import SpeakerAttributor
        from claims.french.nlp import french_nlp

        attributor = SpeakerAttributor(nlp=french_nlp())
    by_article: dict[str, list[Sentence]] = {}
    for s in sentences:
        by_article.setdefault(s.article, []).append(s)
    out: list[Attribution] = []
    for article in articles:
        out.extend(attributor.attribute(article, by_article.get(article.id, [])))
    return out


__all__ = ["attribute_corpus"]
