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


# Stance context and figure conflicts cost linear time in a group's size; on ordinary groups
# they give exactly what the all-pairs definitions give.

FIGURE_TEXTS = [
    "Le séisme a fait au moins 120 morts et 300 blessés selon les autorités.",
    "Le bilan du séisme s'élève à 95 morts, selon la protection civile.",
    "Les autorités font état de 120 morts et de plus de 300 blessés.",
    "Le séisme de magnitude 6,8 a fait 95 morts et 250 blessés.",
    "L'aide promise atteint 400 millions de dollars.",
    "L'aide promise atteint 325 millions de dollars, a dit le ministre.",
    "Le ministre ne confirme pas le montant de l'aide.",
    "Les secours ne sont pas arrivés avant la nuit, a déclaré le maire.",
    "Le maire a déclaré que les secours sont arrivés dans la nuit.",
]


def _mentions(rng, n):
    from claims.records import Attribution, Mention, Sentence

    out = []
    for k in range(n):
        text = FIGURE_TEXTS[int(rng.integers(len(FIGURE_TEXTS)))]
        article = f"a{int(rng.integers(max(1, n // 3)))}"
        speaker = ["Jean Dupont", None, "le maire", "Marie Durand"][int(rng.integers(4))]
        out.append(Mention(Sentence(article, k, text, 0, len(text)), 0.9,
                           Attribution(speaker, "a déclaré" if speaker else None,
                                       "indirect" if speaker else "none")))
    return out


def _reference_figure_conflicts(mentions):
    from itertools import combinations

    from claims.comparison import FigureConflict
    from claims.french.figure_conflicts import conflicting_quantities

    found = {}
    for m, n in combinations(mentions, 2):
        a, b = m.sentence.article, n.sentence.article
        if a == b:
            continue
        for qa, qb in conflicting_quantities(m.sentence.text, n.sentence.text):
            key, mirror = (qa.slot, qa.value, a, qb.value, b), (qa.slot, qb.value, b, qa.value, a)
            if key not in found and mirror not in found:
                found[key] = FigureConflict(qa.slot, qa.value, a, qb.value, b, qa.text, qb.text)
    return list(found.values())


def _reference_group_context(texts, articles, lexicon):
    from claims.stance.lexicon import content_words

    words = [content_words(t) for t in texts]
    focus = []
    for i, w in enumerate(words):
        shared = w & set().union(*(words[j] for j in range(len(texts)) if articles[j] != articles[i]))
        if not shared:
            shared = w & set().union(*(words[j] for j in range(len(texts)) if j != i))
        focus.append(shared)
    negated = [lexicon.score(t, f).negation >= 1.0 for t, f in zip(texts, focus)]
    group_negated = sum(negated) > len(negated) / 2
    return focus, [x != group_negated for x in negated]


@pytest.mark.parametrize("seed,n", [(0, 2), (1, 5), (2, 12), (3, 30), (4, 60)])
def test_figure_conflicts_match_the_all_pairs_definition(seed, n):
    from claims.comparison import figure_conflicts

    mentions = _mentions(np.random.default_rng(seed), n)
    assert figure_conflicts(mentions) == _reference_figure_conflicts(mentions)


@pytest.mark.parametrize("seed,n", [(0, 1), (1, 2), (2, 7), (3, 25), (4, 60)])
def test_group_context_matches_the_all_pairs_definition(seed, n):
    from claims.stance.assign import group_context
    from claims.stance.lexicon import default_lexicon

    mentions = _mentions(np.random.default_rng(seed), n)
    texts = [m.sentence.text for m in mentions]
    articles = [m.sentence.article for m in mentions]
    lexicon = default_lexicon()
    assert group_context(texts, articles, lexicon) == _reference_group_context(texts, articles, lexicon)


def test_figure_conflicts_of_a_huge_group_stay_linear(monkeypatch):
    import claims.comparison as comparison

    mentions = _mentions(np.random.default_rng(5), 300)
    calls = []
    from claims.french.figure_conflicts import conflicting_quantities as real

    def counting(a, b):
        calls.append(1)
        return real(a, b)

    monkeypatch.setattr("claims.french.figure_conflicts.conflicting_quantities", counting)
    monkeypatch.setattr(comparison, "FIGURE_PAIRS_MAX", 100)
    found = comparison.figure_conflicts(mentions)
    assert len(calls) <= 300 * 3  # each mention against one reference per kind of figure it gives
    assert {c.slot for c in found} >= {"count", "money"}
    reference = {(c.slot, frozenset([(c.value_a, c.article_a), (c.value_b, c.article_b)]))
                 for c in _reference_figure_conflicts(mentions)}
    assert all((c.slot, frozenset([(c.value_a, c.article_a), (c.value_b, c.article_b)])) in reference
               for c in found)
