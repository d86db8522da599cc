"""claims: compare what news articles claim.

Example::

    from claims import analyze, render
    analysis = analyze(["seeds/"])
    for group in analysis.groups:
        print(group.id, group.articles, [m.sentence.text[:60] for m in group.mentions])
    print(render(analysis, "table"))

The model-level :func:`analyze` wraps the embedding-level :func:`group_embeddings`.
"""

from claims.ingest import resolve_articles, split_corpus
from claims.ingest.corpus import articles_from_texts, load_articles
from claims.ingest.sentences import split_sentences
from claims.matching.grouping import ClaimGrouper, group_embeddings
from claims.records import Article, Attribution, ClaimGroup, Mention, Sentence

__all__ = [
    "Analysis", "Article", "Attribution", "ClaimGroup", "ClaimGrouper", "Mention", "Row", "Sentence",
    "Settings", "analyze", "articles_from_texts", "group_embeddings", "load_articles", "render",
    "resolve_articles", "resolve_settings", "similar_sentences", "similarity", "split_corpus",
    "split_sentences",
]

_LAZY = {  # name -> module; loaded on first use so that `import claims` stays light
    "Analysis": "claims.analysis", "Row": "claims.analysis", "analyze": "claims.pipeline",
    "similarity": "claims.pipeline", "render": "claims.output", "Settings": "claims.settings",
    "resolve_settings": "claims.settings", "similar_sentences": "claims.search",
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'claims' has no attribute {name!r}")
