"""Articles in: reading files and standard input, and splitting French sentences.

Example::

    from claims.ingest import resolve_articles, split_corpus
    sentences = split_corpus(resolve_articles(["seeds/"]))
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Mapping, Sequence, Union

from claims.ingest.corpus import articles_from_texts, load_articles
from claims.ingest.sentences import iter_corpus_sentences
from claims.records import Article, Sentence

ArticlesLike = Union[Sequence[Article], Sequence[Union[str, Path]], Mapping[str, str]]


def resolve_articles(inputs: ArticlesLike) -> list[Article]:
    """Articles from Article records, paths (files or folders) or a mapping id → text.

    Each unreadable path is one warning; the others are read.
    """
    if isinstance(inputs, Mapping):
        return articles_from_texts(inputs)
    inputs = list(inputs)
    if all(isinstance(x, Article) for x in inputs):
        return inputs
    loaded = load_articles(inputs)
    for problem in loaded.problems:
        warnings.warn(f"{problem.path}: {problem.reason}", stacklevel=3)
    return loaded.articles


def split_corpus(articles: Sequence[Article]) -> list[Sentence]:
    """Every sentence of every article, article by article (row order of the analysis)."""
    return list(iter_corpus_sentences(articles))


def find_article(articles: Sequence[Article], ref: str) -> Article:
    """The one article whose id is ``ref`` or starts with ``ref_`` ("002" for "002_46166f…").

    Raises:
        ValueError: when no article or more than one matches.
    """
    found = [a for a in articles if a.id == ref or a.id.startswith(ref + "_")]
    if len(found) != 1:
        raise ValueError(f"{ref}: {'no' if not found else 'more than one'} article id matches it")
    return found[0]


__all__ = ["ArticlesLike", "find_article", "resolve_articles", "split_corpus"]
