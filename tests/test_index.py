import numpy as np
import pytest

from embeddings.index import VectorIndex, exact_neighbours


def unit(rows):
    rows = np.asarray(rows, np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_exact_neighbours_are_sorted_by_cosine():
    vectors = unit([[1, 0], [0.9, 0.1], [0, 1]])
    nb = exact_neighbours(vectors, 3)
    assert nb.ids[0].tolist() == [0, 1, 2]
    assert nb.scores[0, 0] == pytest.approx(1.0)
    assert nb.scores[0, 1] > nb.scores[0, 2]


def test_auto_switches_to_ivf_above_exact_max():
    rng = np.random.default_rng(0)
    vectors = unit(rng.normal(size=(300, 8)))
    assert VectorIndex(exact_max=1000).fit(vectors).kind_ == "exact"
    ivf = VectorIndex(exact_max=100).fit(vectors)
    assert ivf.kind_ == "ivf"
    # Each vector finds itself first, even through the approximate index.
    nb = ivf.search(vectors, 1)
    assert (nb.ids[:, 0] == np.arange(300)).mean() > 0.95


def test_k_larger_than_index_is_capped():
    nb = exact_neighbours(unit([[1, 0], [0, 1]]), 10)
    assert nb.ids.shape == (2, 2)


@pytest.mark.parametrize("params", [{"kind": "kd-tree"}, {"nprobe": 0}, {"nlist": 0}, {"threads": 0}])
def test_bad_parameters_raise_value_error(params):
    with pytest.raises(ValueError):
        VectorIndex(**params).fit(unit([[1, 0]]))


def test_search_before_fit_is_an_error():
    with pytest.raises(RuntimeError):
        VectorIndex().search(unit([[1, 0]]), 1)


def test_ivf_finds_close_pairs_and_returns_exact_cosines():
    # 200-d vectors: the IVF index searches a PCA projection, then re-scores exactly.
    rng = np.random.default_rng(1)
    base = unit(rng.normal(size=(1500, 200)))
    near = unit(base + rng.normal(scale=0.02, size=base.shape))
    vectors = np.vstack([base, near])
    index = VectorIndex(exact_max=100).fit(vectors)
    assert index.kind_ == "ivf"
    nb = index.search(vectors[:1500], 2)
    found = (nb.ids[:, 1] == np.arange(1500) + 1500).mean()
    assert found > 0.98
    true = np.einsum("ij,ij->i", vectors[:1500], vectors[nb.ids[:, 1]])
    assert np.allclose(nb.scores[:, 1], true, atol=1e-5)


def _paraphrase_corpus(seed=2, topics=40, per_topic=30, dim=48):
    """Topic blobs (cosine ~0.5 inside a topic) with one near-copy (cosine ~0.98) per topic."""
    rng = np.random.default_rng(seed)
    centres = unit(rng.normal(size=(topics, dim)))
    vectors = unit(np.repeat(centres, per_topic, axis=0) + rng.normal(scale=0.15, size=(topics * per_topic, dim)))
    copies = unit(vectors[::per_topic] + rng.normal(scale=0.02, size=(topics, dim)))
    return np.vstack([vectors, copies])


def test_ivf_probing_every_cell_equals_exact_search():
    vectors = _paraphrase_corpus()
    exact = exact_neighbours(vectors, 6)
    ivf = VectorIndex(kind="ivf", nlist=8, nprobe=8).fit(vectors)
    found = ivf.search(vectors, 6)
    assert np.allclose(found.scores, exact.scores, atol=1e-5)
    assert (found.ids == exact.ids).mean() > 0.99  # equal up to ties


def test_ivf_finds_the_same_pairs_above_a_threshold_as_exact():
    vectors = _paraphrase_corpus()
    index = VectorIndex(kind="ivf", nlist=12, nprobe=2).fit(vectors)
    assert index.kind_ == "ivf"

    def pairs(nb):
        return {(i, int(j)) for i, (ids, s) in enumerate(zip(nb.ids, nb.scores)) for j in ids[s >= 0.9] if j != i}

    expected = pairs(exact_neighbours(vectors, 5))
    assert len(expected) == 80  # each copy and its original, both ways
    assert pairs(index.search(vectors, 5)) == expected
    # Queries that are not the indexed vectors go through the same cells.
    assert pairs(index.search(vectors.copy(), 5)) == expected


def test_ivf_is_deterministic():
    vectors = _paraphrase_corpus(seed=3)
    a = VectorIndex(kind="ivf", nlist=10).fit(vectors).search(vectors, 4)
    b = VectorIndex(kind="ivf", nlist=10, threads=1).fit(vectors).search(vectors, 4)
    assert np.array_equal(a.ids, b.ids) and np.array_equal(a.scores, b.scores)


def test_ivf_lists_are_best_first_and_padded_when_short():
    vectors = unit(np.random.default_rng(4).normal(size=(40, 6)))
    nb = VectorIndex(kind="ivf", nlist=20, nprobe=1).fit(vectors).search(vectors, 8)
    assert (nb.ids[:, 0] == np.arange(40)).all()
    real = nb.ids >= 0
    assert (np.diff(np.where(real, nb.scores, -9), axis=1) <= 0).all()
    assert (~real).any() and np.isinf(nb.scores[~real]).all()  # cells hold fewer than 8
