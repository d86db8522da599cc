"""claims: compare what news articles claim.

Example::

    from claims import analyze, render
    analysis = analyze(["seeds/"])
    for group in analysis.groups:
        print(group.id, group.articles, [m.sentence.text[:60] for m in group.mentions])
    print(render(analysis, "table"))

The model-level :func:`analyze` wraps the embedding-level :func:`group_embeddings`.
Names are imported on first use, so ``import claims`` (and ``claims --help``) stays light.
"""

from claims.records import Article, Attribution, ClaimGroup, Mention, Sentence

_LAZY = {  # name -> module
    "Analysis": "claims.analysis", "Row": "claims.analysis",
    "analyze": "claims.pipeline", "similarity": "claims.pipeline",
    "render": "claims.output",
    "Settings": "claims.settings", "resolve_settings": "claims.settings",
    "similar_sentences": "claims.search",
    "resolve_articles": "claims.ingest", "split_corpus": "claims.ingest",
    "articles_from_texts": "claims.ingest.corpus", "load_articles": "claims.ingest.corpus",
    "split_sentences": "claims.ingest.sentences",
    "ClaimGrouper": "claims.matching.grouping", "group_embeddings": "claims.matching.grouping",
    "Fact": "claims.facts", "build_facts": "claims.facts", "fact_as_dict": "claims.facts",
}
__all__ = ["Article", "Attribution", "ClaimGroup", "Mention", "Sentence", *sorted(_LAZY)]


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'claims' has no attribute {name!r}")
