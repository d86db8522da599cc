"""Grouping scores on tiny labelings whose values are worked out by hand in the comments."""

import math

import pytest

from claims.evaluation.metrics import (
    adjusted_rand, bcubed, merged_distinct_claims, pair_scores, score_grouping, v_measure,
    with_singletons,
)

# Six sentences: gold claims a a a b b c; the prediction splits a and merges its third
# sentence with the two b's.
GOLD = ["a", "a", "a", "b", "b", "c"]
PRED = ["x", "x", "y", "y", "y", "z"]


def test_pair_scores_count_pairs_by_hand():
    # gold pairs: C(3,2) + C(2,2) = 4; predicted: C(2,2) + C(3,2) = 4;
    # together in both: (0,1) and (3,4) = 2.
    scores = pair_scores(GOLD, PRED)
    assert (scores.true_pairs, scores.predicted_pairs, scores.gold_pairs) == (2, 4, 4)
    assert scores.precision == pytest.approx(0.5)
    assert scores.recall == pytest.approx(0.5)
    assert scores.f1 == pytest.approx(0.5)


def test_ignored_pair_is_neither_wrong_nor_required():
    # (2,3) is a predicted pair of different gold claims: ignoring it leaves 3 predicted pairs.
    wrong_ignored = pair_scores(GOLD, PRED, ignore=[(3, 2)])
    assert wrong_ignored.precision == pytest.approx(2 / 3)
    assert wrong_ignored.recall == pytest.approx(0.5)
    # (0,2) is a gold pair the prediction missed: ignoring it leaves 3 gold pairs.
    missed_ignored = pair_scores(GOLD, PRED, ignore=[(0, 2)])
    assert missed_ignored.recall == pytest.approx(2 / 3)
    assert missed_ignored.precision == pytest.approx(0.5)


def test_bcubed_by_hand():
    # precision per sentence: 2/2, 2/2, 1/3, 2/3, 2/3, 1/1 -> mean 7/9;
    # recall per sentence:    2/3, 2/3, 1/3, 2/2, 2/2, 1/1 -> mean 7/9.
    scores = bcubed(GOLD, PRED)
    assert scores.precision == pytest.approx(7 / 9)
    assert scores.recall == pytest.approx(7 / 9)
    assert scores.f1 == pytest.approx(7 / 9)


def test_bcubed_tells_precision_from_recall():
    # One predicted group of everything: recall 1, precision (3*3/6 + 2*2/6 + 1/6)/6 = 14/36.
    scores = bcubed(GOLD, ["all"] * 6)
    assert scores.recall == pytest.approx(1.0)
    assert scores.precision == pytest.approx(14 / 36)


def test_adjusted_rand_by_hand():
    # sum C(n_ij,2) = 2, sum C(a_i,2) = 4, sum C(b_j,2) = 4, C(6,2) = 15:
    # (2 - 16/15) / (4 - 16/15) = 7/22.
    assert adjusted_rand(GOLD, PRED) == pytest.approx(7 / 22)


def test_v_measure_by_hand():
    # H(gold) = H(1/2, 1/3, 1/6); H(gold | pred) = 3/6 * H(1/3, 2/3), and by symmetry the
    # same for completeness, so V = 1 - H(gold|pred) / H(gold).
    def h(*p):
        return -sum(x * math.log(x) for x in p)
    expected = 1 - 0.5 * h(1 / 3, 2 / 3) / h(1 / 2, 1 / 3, 1 / 6)
    assert v_measure(GOLD, PRED) == pytest.approx(expected)


def test_perfect_and_empty_predictions():
    perfect = score_grouping(GOLD, ["p", "p", "p", "q", "q", "r"])
    assert perfect["pair_f1"] == perfect["bcubed_f1"] == perfect["ari"] == pytest.approx(1.0)
    nothing = pair_scores(GOLD, with_singletons([None] * 6))
    assert (nothing.precision, nothing.recall, nothing.f1) == (1.0, 0.0, 0.0)


def test_merged_distinct_claims_lists_wrong_merges_of_claim_sentences():
    # Sentence 5 states no named claim, so merging it is not counted here.
    claims = [frozenset("a")] * 3 + [frozenset("b")] * 2 + [frozenset()]
    assert merged_distinct_claims(claims, ["x", "x", "y", "y", "y", "y"]) == [(2, 3), (2, 4)]
    # A sentence stating both a and b may sit with either.
    claims[2] = frozenset("ab")
    assert merged_distinct_claims(claims, PRED) == []


def test_with_singletons_gives_each_missing_label_its_own_group():
    labels = with_singletons([None, "g", -1, "g"])
    assert labels[1] == labels[3] == "g"
    assert len({labels[0], labels[2], "g"}) == 3


def test_labelings_of_different_lengths_are_refused():
    with pytest.raises(ValueError):
        pair_scores(["a", "a"], ["x"])


# -- gold alignment (claims.evaluation.gold) -----------------------------------------------------
def test_gold_rows_align_by_text_then_containment_and_report_the_rest():
    from types import SimpleNamespace as S

    from claims.evaluation.gold import GoldRow, align_gold

    sentences = [S(article="a", text="Un milliard pour les obus."), S(article="a", text="Autre chose."),
                 S(article="b", text="Une ligne de 1 milliard pour les obus, dit-il."),
                 S(article="b", text="Les stocks sont bas.")]
    rows = [GoldRow("a", "Un milliard pour les obus.", "credit", (), ""),
            GoldRow("b", "Une ligne de 1 milliard pour les obus", "credit", ("stocks",), ""),
            GoldRow("b", "Les stocks sont bas.", "stocks", (), ""),
            GoldRow("b", "Phrase absente.", "credit", (), "")]
    gold = align_gold(sentences, rows)
    assert [r.text for r in gold.unmatched] == ["Phrase absente."]
    assert gold.shared == ["credit"]  # "stocks" is the main claim in one article only
    assert gold.labels[0] == gold.labels[2] == "credit"
    assert len(set(gold.labels)) == 4 - 1
    # Sentence 2 also states "stocks": pairing it with sentence 3 is allowed, not required.
    assert gold.ignore == {(2, 3)}


def test_shipped_gold_matches_the_sentences_of_the_demo_corpus():
    from claims.evaluation.gold import SEEDS, align_gold, read_gold
    from claims.ingest.corpus import load_articles
    from claims.ingest.sentences import split_sentences

    sentences = [s for a in load_articles([SEEDS]).articles for s in split_sentences(a)]
    gold = align_gold(sentences, read_gold())
    assert [r.text for r in gold.unmatched] == []
    assert {"credit-line-155mm", "heavy-weapons"} <= set(gold.shared)


def test_average_precision_at_5_by_hand():
    from claims.evaluation.metrics import average_precision

    # One relevant claim found at rank 2: 1/2. Two relevant at ranks 1 and 3: (1/1 + 2/3) / 2.
    assert average_precision(["x", "a", "y"], {"a"}) == pytest.approx(0.5)
    assert average_precision(["a", "x", "b"], {"a", "b"}) == pytest.approx(5 / 6)
    # Found only below rank 5: nothing.
    assert average_precision(["v", "w", "x", "y", "z", "a"], {"a"}) == 0.0


def test_leave_one_group_out_scores_each_group_with_a_setting_fitted_elsewhere():
    from claims.evaluation.metrics import leave_one_group_out, pair_counts_where

    gold = ["x", "x", "y", "y", "z", "w"]
    groups = ["a", "b", "a", "c", "b", "c"]
    preds = {"merge all": ["g"] * 6, "perfect": gold, "nothing": list(range(6))}
    cv = leave_one_group_out(gold, preds, groups)
    assert set(cv["chosen"].values()) == {"perfect"}
    assert cv["pair_f1"] == 1.0
    # Only pairs with a held-out member are scored in each fold: every pair counts twice
    # at most (once per group it touches), never zero times.
    tp, predicted, required = pair_counts_where(gold, gold, lambda i, j: groups[i] == "a" or groups[j] == "a")
    assert (tp, predicted, required) == (2, 2, 2)
