"""Shared by the attribution tests: attribute a small made-up article."""

from claims.ingest.sentences import split_sentences
from claims.records import Article


def run(attributor, text: str, article_id: str = "t"):
    """Attribute every sentence of a small article; return (sentences, attributions, article)."""
    article = Article(id=article_id, text=text)
    sentences = list(split_sentences(article))
    return sentences, attributor.attribute(article, sentences), article
