import numpy as np
import pytest

from claims.matching.grouping import group_embeddings
from claims.matching.hubness import CSLSScorer, neighbourhood_density


def unit(rows):
    rows = np.asarray(rows, np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_density_ignores_sentences_of_the_same_article():
    vectors = unit([[1, 0], [1, 0], [0, 1]])
    density = neighbourhood_density(vectors, ["a", "a", "b"], k=1)
    # Sentence 0's only other-article neighbour is sentence 2 (cosine 0), not its twin.
    assert density[0] == pytest.approx(0.0, abs=1e-6)
    assert density[2] == pytest.approx(0.0, abs=1e-6)


def test_a_hub_close_to_everything_loses_to_a_specific_pair():
    # Article a: a hub h near every sentence of b; a specific sentence s near one of b.
    h, s = [1, 1, 1, 1], [0, 0, 1, 0.05]
    b1, b2, b3 = [1, 0.9, 0.2, 0.1], [0.9, 1, 0.3, 0.1], [0.1, 0, 1, 0]
    vectors = unit([h, s, b1, b2, b3])
    articles = ["a", "a", "b", "b", "b"]
    cos = vectors @ vectors.T
    scorer = CSLSScorer(k=2).fit(vectors, articles)
    csls = lambda i, j: scorer(np.array([i]), np.array([j]), np.array([cos[i, j]]))[0]
    # Under cosine the hub pair (h, b1) rivals the specific pair (s, b3); CSLS separates them.
    assert csls(1, 4) > csls(0, 2)
    labels = group_embeddings(vectors, articles, threshold=csls(1, 4) - 1e-4, pair_scorer=scorer).labels
    assert labels[1] == labels[4] != -1
    assert labels[0] == -1


def test_bad_k_raises():
    with pytest.raises(ValueError):
        CSLSScorer(k=0).fit(unit([[1, 0]]), ["a"])
