"""Scoring disputed facts against gold facts, and leave-one-event-out over a settings sweep."""

from benchmarks.disputes import leave_one_event_out
from claims.evaluation.facts import matches, score_facts, summarise

# Rows 0-3 and 6 give five tolls of one country (one gold fact); row 4 the injured (another fact).
CLAIMS = {0: frozenset({"toll-10"}), 1: frozenset({"toll-20"}), 2: frozenset({"toll-30"}),
          3: frozenset({"toll-40"}), 4: frozenset({"injured-5"}), 5: frozenset({"injured-9"}),
          6: frozenset({"toll-50"})}
TOLL = frozenset({"toll-10", "toll-20", "toll-30", "toll-40", "toll-50"})
INJURED = frozenset({"injured-5", "injured-9"})


def test_a_fact_counts_only_when_its_versions_are_versions_of_one_gold_fact():
    assert matches([[0], [1], [2]], TOLL, CLAIMS)
    assert not matches([[0], [1], [4]], TOLL, CLAIMS)  # the injured given as a version of the toll
    assert matches([[0], [1]], TOLL, CLAIMS, whole=False) and not matches([[0], [1]], TOLL, CLAIMS)  # 2 of 5
    assert matches([[0], [1, 7], [2]], TOLL, CLAIMS)  # row 7 is not annotated: not held against it


def test_precision_recall_and_mixed_pairs_of_a_corpus():
    main = {r: next(iter(c)) for r, c in CLAIMS.items()}
    counts = score_facts([[[0], [1], [2]], [[3], [4]]], [(0, 1), (3, 4)], CLAIMS, [TOLL, INJURED], main,
                         [("toll-40", "injured-5")])
    s = summarise([counts])
    assert (s["facts"]["tp_predicted"], s["facts"]["predicted"]) == (1, 2)
    assert (s["facts"]["tp_gold"], s["facts"]["gold"]) == (1, 2)
    assert s["mixed_pairs"] == 1  # toll-40 with injured-5


def _counts(tp):
    return {"facts_pred": 1, "facts_tp_pred": tp, "facts_gold": 1, "facts_tp_gold": tp, "pairs_pred": 1,
            "pairs_tp": tp, "pairs_gold": 1, "mixed_pairs": 0}


def test_leave_one_event_out_scores_each_event_with_the_setting_best_on_the_others():
    # Setting "a" is right on e1 and e2, "b" only on e3: e3 left out picks "a", and loses e3.
    swept = [{"params": {"x": "a"}, "counts": {"e1": _counts(1), "e2": _counts(1), "e3": _counts(0)}},
             {"params": {"x": "b"}, "counts": {"e1": _counts(0), "e2": _counts(0), "e3": _counts(1)}}]
    out = leave_one_event_out(swept)
    assert out["chosen"] == {"e1": {"x": "a"}, "e2": {"x": "a"}, "e3": {"x": "a"}}
    assert (out["facts"]["tp_gold"], out["facts"]["gold"]) == (2, 3)


def test_an_event_counts_for_facts_once_its_facts_are_annotated_even_when_it_has_none():
    from benchmarks.disputes import facts_annotated

    assert facts_annotated({"facts": {}, "facts_status": "annotated", "facts_note": "no disputed fact"})
    assert facts_annotated({"facts": {"toll": {"claims": ["a", "b"]}}})  # the first sixteen events
    assert not facts_annotated({"facts": {}, "facts_status": "not annotated"})
    assert not facts_annotated({"claims": {}})
    # With no gold fact, every disputed fact found is a false positive.
    counts = score_facts([[[0], [1]]], [(0, 1)], {0: frozenset({"a"}), 1: frozenset({"b"})}, [], {0: "a", 1: "b"}, [])
    assert (counts["facts_pred"], counts["facts_tp_pred"], counts["facts_gold"]) == (1, 0, 0)


def test_facts_only_tuning_events_are_scored_and_unannotated_ones_are_named():
    from benchmarks.disputes import fact_events

    keep, left = fact_events({"tuning": [], "tuning_speakers": ["e99"], "tuning_facts": ["e24"]})
    assert keep == ["e24"] and left == ["e99"]  # e24's facts are annotated; e99 has no file
