"""Out-of-fold refits of the learned pair score: no event is scored by a model that saw it."""

import numpy as np
import pytest

import claims.training.pair_scorer as pair_scorer
from benchmarks.realnews_events import Event
from benchmarks.realnews_pair_refit import nested_thresholds
from claims.evaluation.metrics import with_singletons
from claims.matching.pair_features import FEATURE_NAMES
from claims.training.pair_data import PairSet


def pair_set(event: str, value: float, n: int = 6) -> PairSet:
    """Pairs of one event whose first feature is ``value`` everywhere (half positive)."""
    x = np.random.default_rng(len(event)).normal(size=(n, len(FEATURE_NAMES)))
    x[:, 0] = value
    return PairSet("realnews", x, np.arange(n) % 2 == 0, np.zeros(n, bool), np.full(n, event))


def fake_event(event_id: str) -> Event:
    return Event(event_id, [], [], np.zeros((0, 2)), [], [], [], [], set(), [])


def test_each_event_is_grouped_by_a_model_fitted_without_it(monkeypatch):
    seen = {}
    monkeypatch.setattr(pair_scorer, "group_event",
                        lambda event, scorer, grid: seen.setdefault(event.id, scorer.weights["mean"][0]))
    events = [fake_event(e) for e in ("a", "b", "c")]
    sets = [pair_set("a", 1.0), pair_set("b", 2.0), pair_set("c", 4.0)]
    pair_scorer.out_of_fold_predictions(events, sets, [], gate=0.5, C=1.0, grid=(0.5,))
    assert seen == pytest.approx({"a": 3.0, "b": 2.5, "c": 1.5})  # the mean of the OTHER events
    seen.clear()
    pair_scorer.out_of_fold_predictions(events, sets, [], gate=0.5, C=1.0, grid=(0.5,),
                                        train_events=("a", "b"))
    assert seen == pytest.approx({"a": 2.0, "b": 1.0, "c": 1.5})  # c is never learnt from


def two_sentence_event(event_id: str, same_claim: bool) -> Event:
    claims = ["x", "x"] if same_claim else ["x", "y"]
    labels = with_singletons([c if same_claim else None for c in claims])
    return Event(event_id, [], [None, None], np.zeros((2, 2)), [0, 1], labels,
                 [frozenset([c]) for c in claims], claims, set(), [])


def test_nested_threshold_of_an_event_ignores_its_own_predictions():
    # Every event merges its two sentences at 0.1 and keeps them apart at 0.2. Merging is right
    # in e1 and e2 and wrong in e3, so e3 alone would choose 0.2; the others choose 0.1 for it.
    events = [two_sentence_event("e1", True), two_sentence_event("e2", True),
              two_sentence_event("e3", False)]
    preds = [{0.1: [0, 0], 0.2: [None, None]} for _ in events]
    assert nested_thresholds(events, preds, (0.1, 0.2)) == [0.1, 0.1, 0.1]


def test_bootstrap_of_identical_systems_is_zero_and_of_a_better_one_positive():
    from benchmarks.realnews_pair_refit import paired_bootstrap

    old = [[2, 4, 4], [1, 2, 3], [0, 1, 2]]
    assert paired_bootstrap(old, old) == {"difference": 0.0, "p05": 0.0, "p95": 0.0, "share_above_zero": 0.0}
    better = [[3, 4, 4], [2, 2, 3], [1, 1, 2]]  # one more true pair per event, same predictions
    boot = paired_bootstrap(old, better)
    assert boot["difference"] > 0 and boot["p05"] > 0 and boot["share_above_zero"] == 1.0


def test_quick_scoring_of_chosen_events_refuses_held_out_ones():
    from benchmarks.realnews_quality import quick
    from claims.evaluation.realnews import read_split

    held_out = read_split()["heldout"][0]
    with pytest.raises(SystemExit, match=f"refused: {held_out}"):
        quick(only=["e39", held_out])


def test_per_event_weighting_gives_a_small_event_as_much_say_as_a_large_one():
    from claims.training.pair_data import concatenate

    small, large = pair_set("a", 1.0, n=4), pair_set("bb", 2.0, n=40)
    _, _, w, g = concatenate([small, large], {"realnews": 1.0}, by_set=True)
    assert w[g == "a"].sum() == pytest.approx(w[g == "bb"].sum())
    _, _, w, g = concatenate([small, large], {"realnews": 1.0})
    assert w[g == "bb"].sum() == pytest.approx(10 * w[g == "a"].sum())  # per pair: ten times the pairs
