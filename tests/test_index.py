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


@pytest.mark.parametrize("params", [{"kind": "kd-tree"}, {"nprobe": 0}, {"nlist": 0}])
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
