"""A threshold estimated from the corpus, for a model nobody calibrated.

Calibrated thresholds belong to each model's registry entry (:mod:`claims.models`): a
threshold only means something for the model it was calibrated for (e5 puts unrelated
sentences on one topic at cosine 0.83-0.88, where another model puts its paraphrases).
"""

from __future__ import annotations

import numpy as np


def fallback_threshold(embeddings: np.ndarray, article_ids, quantile: float = 0.995,
                       max_sentences: int = 4000, seed: int = 0) -> float:
    """A corpus-relative threshold for a model nobody calibrated.

    Takes a high quantile of the cosines between sentences of different articles: only the
    closest pairs of the corpus link. A rough guide, which is why the CLI warns when it is used.
    Large corpora are sampled (``max_sentences``, fixed seed): the quantile needs no more, and
    the full similarity matrix of 100k sentences would not fit in memory.
    """
    embeddings = np.asarray(embeddings, np.float32)
    articles = np.asarray(article_ids, dtype=object)
    if len(embeddings) > max_sentences:
        keep = np.sort(np.random.default_rng(seed).choice(len(embeddings), max_sentences, replace=False))
        embeddings, articles = embeddings[keep], articles[keep]
    if len(embeddings) < 2:
        return 1.0
    sims = embeddings @ embeddings.T
    cross = articles[:, None] != articles[None, :]
    values = sims[np.triu(cross, 1)]
    return float(np.quantile(values, quantile)) if len(values) else 1.0
