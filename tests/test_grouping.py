import numpy as np
import pytest

from claims.matching.grouping import ClaimGrouper, group_embeddings


def unit(rows):
    rows = np.asarray(rows, np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


# Two claims stated in articles a and b, one sentence only in c.
VECTORS = unit([
    [1.0, 0.02, 0.0],   # a: claim 1
    [0.0, 1.0, 0.0],    # a: claim 2
    [0.99, 0.05, 0.0],  # b: claim 1
    [0.02, 1.0, 0.03],  # b: claim 2
    [0.0, 0.0, 1.0],    # c: unrelated
])
ARTICLES = ["a", "a", "b", "b", "c"]


def test_cross_article_paraphrases_share_a_group():
    result = group_embeddings(VECTORS, ARTICLES, threshold=0.95)
    labels = result.labels.tolist()
    assert labels[0] == labels[2] != -1
    assert labels[1] == labels[3] != -1
    assert labels[0] != labels[1]
    assert labels[4] == -1
    assert np.isnan(result.scores[4]) and result.scores[0] > 0.95


def test_groups_are_numbered_by_first_sentence():
    labels = group_embeddings(VECTORS, ARTICLES, threshold=0.95).labels
    assert labels[0] == 0 and labels[1] == 1


def test_pull_quote_inside_one_article_is_not_a_group():
    vectors = unit([[1, 0], [1, 0.001], [0, 1]])
    labels = group_embeddings(vectors, ["a", "a", "b"], threshold=0.9).labels
    assert labels.tolist() == [-1, -1, -1]


def test_repeated_mention_in_a_grouped_article_joins_the_group():
    vectors = unit([[1, 0, 0], [1, 0.01, 0], [0.99, 0.05, 0], [0, 0, 1]])
    labels = group_embeddings(vectors, ["a", "a", "b", "b"], threshold=0.95).labels
    assert labels[0] == labels[1] == labels[2] != -1
    assert labels[3] == -1


def test_min_articles_three_drops_two_article_groups():
    labels = group_embeddings(VECTORS, ARTICLES, threshold=0.95, min_articles=3).labels
    assert (labels == -1).all()


def test_guard_keeps_different_figures_apart_even_through_a_chain():
    # b0 is close to both a0 and c0; a0 and c0 disagree on a figure.
    vectors = unit([[1, 0.1], [1, 0.0], [1, -0.1]])
    texts = ["aide de 400 millions", "une aide", "aide de 325 millions"]

    def guard(x, y):
        return "numbers" if {x, y} == {texts[0], texts[2]} else None

    labels = group_embeddings(vectors, ["a", "b", "c"], threshold=0.98, texts=texts, guard=guard).labels
    assert labels[0] != labels[2] or labels[0] == -1
    unguarded = group_embeddings(vectors, ["a", "b", "c"], threshold=0.98).labels
    assert unguarded[0] == unguarded[2] != -1


def test_pair_scorer_changes_what_links():
    never = lambda i, j, dense: np.zeros_like(dense)
    labels = group_embeddings(VECTORS, ARTICLES, threshold=0.5, pair_scorer=never).labels
    assert (labels == -1).all()


def test_same_input_same_groups():
    rng = np.random.default_rng(3)
    base = unit(rng.normal(size=(40, 16)))
    vectors = unit(np.vstack([base, base + rng.normal(scale=0.05, size=base.shape)]))
    articles = [f"x{i % 5}" for i in range(40)] + [f"y{i % 7}" for i in range(40)]
    first = group_embeddings(vectors, articles, threshold=0.9).labels
    second = group_embeddings(vectors, articles, threshold=0.9).labels
    assert first.tolist() == second.tolist()
    assert (first >= 0).sum() > 40


def test_estimator_stores_learned_attributes():
    grouper = ClaimGrouper(threshold=0.95).fit(VECTORS, ARTICLES)
    assert grouper.n_groups_ == 2
    assert grouper.labels_.shape == (5,)


@pytest.mark.parametrize("kwargs", [{"min_articles": 0}, {"n_neighbors": 0}])
def test_bad_parameters_raise(kwargs):
    with pytest.raises(ValueError):
        group_embeddings(VECTORS, ARTICLES, threshold=0.9, **kwargs)


def test_mismatched_lengths_raise():
    with pytest.raises(ValueError):
        group_embeddings(VECTORS, ARTICLES[:3], threshold=0.9)


def near_chain(n, dim=64, step=0.3, seed=0):
    """A random walk on the sphere: each vector at cosine ~0.96 of the next, far ones unrelated."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=dim)
    out = np.empty((n, dim), np.float32)
    for k in range(n):
        out[k] = x / np.linalg.norm(x)
        step_k = rng.normal(size=dim)
        x = out[k] + step * step_k / np.linalg.norm(step_k)
    return out


def test_long_chain_of_near_pairs_is_cut_into_small_groups(monkeypatch):
    import claims.matching.grouping as grouping

    monkeypatch.setattr(grouping, "REFINE_MAX", 300)  # a chain five times the refinement bound
    vectors = near_chain(1500)
    articles = [str(k) for k in range(len(vectors))]
    labels = group_embeddings(vectors, articles, 0.9, n_neighbors=10).labels
    sizes = np.bincount(labels[labels >= 0])
    assert (labels >= 0).mean() > 0.9  # consecutive sentences do pair up…
    assert sizes.max() <= 20  # …but no group follows the chain
    again = group_embeddings(vectors, articles, 0.9, n_neighbors=10).labels
    assert np.array_equal(labels, again)


def test_split_component_bounds_every_part_and_keeps_every_member():
    from claims.matching.grouping import split_component

    n = 1000
    members = np.arange(n) * 3  # sentence numbers need not be contiguous
    i, j = members[:-1], members[1:]
    parts = split_component(members, i, j, np.ones(n - 1), max_size=100)
    assert max(len(p) for p in parts) <= 100
    assert np.array_equal(np.sort(np.concatenate(parts)), members)
    clique = np.arange(50)
    ci, cj = np.triu_indices(50, 1)
    parts = split_component(clique, ci, cj, np.ones(len(ci)), max_size=20)
    assert sorted(len(p) for p in parts) == [10, 20, 20]
