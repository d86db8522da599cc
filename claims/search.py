"""Nearest sentences to a text: encoding and one exact search, no grouping.

Example::

    from claims.search import similar_sentences
    for sentence, score in similar_sentences(["seeds/"], "obus de 155 mm", top_k=3):
        print(round(score, 3), sentence.article, sentence.text[:80])
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from claims.models import DEFAULT_MODEL
from claims.records import Sentence
from embeddings.base import Encoder, ProgressFactory


def nearest(encoder: Encoder, embeddings: np.ndarray, sentences: Sequence[Sentence], text: str,
            top_k: int = 5) -> list[tuple[Sentence, float]]:
    """The ``top_k`` of ``sentences`` (with their ``embeddings``) nearest to ``text``, by cosine.

    Raises:
        ValueError: if ``top_k`` < 1 or ``text`` is blank.
    """
    from embeddings.index import VectorIndex

    if top_k < 1:
        raise ValueError(f"top_k must be >= 1, got {top_k}")
    if not text.strip():
        raise ValueError("the text to look for is empty")
    if not len(sentences):
        return []
    query = encoder.encode([text])
    # One query costs n dot products: exact search is cheap at any corpus size, and the
    # IVF settings are tuned for near-duplicate pairs, not for ranking loose matches.
    found = VectorIndex(kind="exact").fit(embeddings).search(query, top_k)
    return [(sentences[i], float(s)) for i, s in zip(found.ids[0], found.scores[0]) if i >= 0]


def similar_sentences(inputs, text: str, top_k: int = 5, model: str = DEFAULT_MODEL, *, cache: bool = True,
                      progress: Optional[ProgressFactory] = None) -> list[tuple[Sentence, float]]:
    """The sentences of a corpus nearest to ``text``: the corpus is encoded, never grouped.

    Args:
        inputs: paths, Article records or a mapping id → text (see :func:`claims.analyze`).
        text: what to look for.
        top_k: how many sentences to return.
        model: a model name of :mod:`claims.models`.
        cache: reuse cached embeddings.
        progress: ``progress(total)`` returns a callback advanced after each encoded batch.
    """
    from claims.ingest import resolve_articles, split_corpus
    from claims.models import get_encoder

    if not text.strip():
        raise ValueError("the text to look for is empty")
    encoder = get_encoder(model, cache=cache)
    sentences = split_corpus(resolve_articles(inputs))
    texts = [s.text for s in sentences]
    vectors = encoder.encode(texts, progress=progress(len(texts)) if progress else None)
    return nearest(encoder, vectors, sentences, text, top_k)


__all__ = ["nearest", "similar_sentences"]
