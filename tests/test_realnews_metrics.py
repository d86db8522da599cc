"""Metric helpers of the real-news benchmark (claims.evaluation.metrics) on tiny hand-made labels."""

from claims.evaluation.metrics import (lenient_speaker_match, must_not_merge_violations, stance_scores,
                                       threshold_band, with_singletons)


def test_must_not_merge_counts_sentence_and_claim_pairs():
    main = ["t284", "t912", "t284", None, "syria", "t912"]
    pred = with_singletons(["g1", "g1", "g1", "g1", None, "g2"])
    out = must_not_merge_violations(main, pred, [("t284", "t912"), ("t284", "syria")])
    # t284 x t912: (0,1) and (2,1) together, (0,5) and (2,5) apart; t284 x syria: never.
    assert out == {"sentence_pairs": 2, "of_sentence_pairs": 6, "claim_pairs": 1, "of_claim_pairs": 2}


def test_must_not_merge_ignores_singletons_duplicates_and_unstated_claims():
    main = ["a", "b", "b"]
    pred = with_singletons([None, None, None])  # grouping nothing violates nothing
    pairs = [("a", "b"), ("b", "a"), ("a", "ghost")]  # same pair twice, a claim with no sentence
    assert must_not_merge_violations(main, pred, pairs) == {
        "sentence_pairs": 0, "of_sentence_pairs": 2, "claim_pairs": 0, "of_claim_pairs": 2}
    assert must_not_merge_violations(main, ["x", "x", "y"], pairs)["sentence_pairs"] == 1


def test_lenient_speaker_match():
    assert lenient_speaker_match(None, None)
    assert not lenient_speaker_match("OMS", None)
    assert not lenient_speaker_match(None, "OMS")
    assert lenient_speaker_match("Recep Tayyip Erdogan", "Erdogan")
    assert lenient_speaker_match("Emmanuel Macron", "emmanuel macron")
    assert lenient_speaker_match("ministère marocain de l’Intérieur", "ministère de l'Interieur")
    assert not lenient_speaker_match("Fuat Oktay", "AFAD")


def test_stance_scores_macro_over_given_labels():
    gold = ["favor", "favor", "neutral", "neutral"]
    pred = ["favor", "against", "neutral", "favor"]
    out = stance_scores(gold, pred, ["favor", "neutral"])
    # favor: tp 1, fp 1, fn 1 -> 0.5; neutral: tp 1, fn 1 -> 2/3
    assert abs(out["macro_f1"] - (0.5 + 2 / 3) / 2) < 1e-9
    assert out["predicted"]["against"] == 1 and out["gold"]["against"] == 0


def test_band_is_five_thresholds_around():
    assert threshold_band(0.66) == [0.64, 0.65, 0.66, 0.67, 0.68]
