"""claims: compare what news articles claim.

Example::

    from claims import analyze
    analysis = analyze(["seeds/"])
    for group in analysis.groups:
        print(group.id, group.articles, [m.sentence.text[:60] for m in group.mentions])

The model-level :func:`analyze` wraps the embedding-level :func:`group_embeddings`.
"""

from claims.ingest.corpus import articles_from_texts, load_articles
from claims.matching.grouping import ClaimGrouper, group_embeddings
from claims.records import Article, Attribution, ClaimGroup, Mention, Sentence
from claims.ingest.sentences import split_sentences

__all__ = [
    "Analysis", "Article", "Attribution", "ClaimGroup", "ClaimGrouper", "Mention", "Sentence",
    "analyze", "articles_from_texts", "group_embeddings", "load_articles", "similarity",
    "split_sentences",
]


def __getattr__(name):
    # The pipeline imports the encoders (torch): load it only when asked for.
    if name in ("Analysis", "analyze", "similarity"):
        from claims import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'claims' has no attribute {name!r}")
