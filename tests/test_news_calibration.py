"""The news calibration procedure on tiny hand-built data: out-of-fold choice, sweep, table.

No model and no news text: pair counts and vectors are made up by hand.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks.realnews_events import Event
from claims.records import Sentence
from claims.training import news_calibration as nc


def test_pair_f1_by_hand():
    # 2 true of 4 predicted, 4 required: P 0.5, R 0.5; nothing predicted or required: vacuous 1.
    assert nc.pair_f1(np.array([[2, 4, 4], [0, 0, 0], [0, 3, 0], [1, 1, 3]])) == \
        pytest.approx([0.5, 1.0, 0.0, 0.5])


SETTINGS = [(0.25, 0.6), (0.5, 0.6), (0.5, 0.7)]


def test_choice_on_all_events_and_out_of_fold_by_hand():
    # Three events x three settings, (true, predicted, required) pairs.
    counts = np.array([
        [[4, 4, 4], [2, 4, 4], [0, 0, 4]],  # e0
        [[1, 4, 4], [4, 4, 4], [4, 4, 4]],  # e1
        [[1, 4, 4], [4, 4, 4], [4, 4, 4]],  # e2
    ])
    choice = nc.SettingChoice(SETTINGS).fit(counts)
    # All events: F1 6/12 = 0.5, 10/12, and P 1 R 8/12 = 0.8: the second setting.
    assert choice.best_ == 1
    assert choice.in_sample_f1_ == pytest.approx(10 / 12)
    # Without e0 the second and third tie at 1.0 (the lower threshold wins); without e1 or
    # e2: 0.625, 0.75, 0.667.
    assert choice.fold_choices_ == [1, 1, 1]
    assert choice.out_of_fold_f1_ == pytest.approx(10 / 12)

    counts[0] = [[4, 4, 4], [0, 4, 4], [0, 0, 4]]  # the second setting now fails e0
    choice = nc.SettingChoice(SETTINGS).fit(counts)
    assert choice.best_ == 2  # all: 0.5, 8/12, 0.8
    # e0 still gets the second setting (the others' best); without e1: 0.625, 0.5, 0.667.
    assert choice.fold_choices_ == [1, 2, 2]
    assert choice.out_of_fold_counts_.tolist() == [8, 12, 12]
    assert choice.out_of_fold_f1_ == pytest.approx(2 / 3)
    assert choice.in_sample_f1_ == pytest.approx(0.8)


def test_out_of_fold_is_lower_when_the_best_setting_is_carried_by_one_event():
    counts = np.array([
        [[10, 10, 10], [0, 0, 10]],  # e0: a big event only the first setting fits
        [[0, 2, 2], [2, 2, 2]],
        [[0, 2, 2], [2, 2, 2]],
    ])
    choice = nc.SettingChoice([(0.5, 0.6), (0.5, 0.7)]).fit(counts)
    assert choice.best_ == 0  # 10/14 pooled against P 1 R 4/14
    assert choice.fold_choices_ == [1, 0, 0]  # each event gets the others' best
    assert choice.in_sample_f1_ == pytest.approx(2 * 10 / 28)
    assert choice.out_of_fold_f1_ == 0.0


def test_ties_go_to_the_smaller_weight_then_the_lower_threshold():
    same = [[3, 4, 4]] * 3
    choice = nc.SettingChoice([(0.5, 0.6), (0.25, 0.7), (0.25, 0.65)]).fit(np.array([same, same]))
    assert choice.best_ == 2


@pytest.mark.parametrize("counts, settings", [
    (np.zeros((1, 3, 3)), SETTINGS),  # one event: no fold to choose on
    (np.zeros((2, 2, 3)), SETTINGS),  # counts for two settings, three listed
    (np.zeros((2, 3, 2)), SETTINGS),
    (-np.ones((2, 3, 3)), SETTINGS),
    (np.zeros((2, 0, 3)), []),
])
def test_bad_input_is_refused(counts, settings):
    with pytest.raises(ValueError):
        nc.SettingChoice(settings).fit(counts)


def _unit(rows) -> np.ndarray:
    rows = np.asarray(rows, np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def tiny_event(event_id: str, same_cosine: float) -> Event:
    """Two articles of two sentences: a0 and b0 state one claim (cosine ``same_cosine``), a1 and
    b1 two other claims, at cosine 0.5 from each other."""
    texts = [("a", 0, "Le pont sera fermé lundi."), ("a", 1, "La mairie ouvre une enquête."),
             ("b", 0, "Le pont sera fermé lundi, dit-on."), ("b", 1, "Les commerçants protestent.")]
    sentences = [Sentence(f"{event_id}/{a}", k, t, 0, len(t)) for a, k, t in texts]
    side = np.sqrt(1 - same_cosine ** 2)
    vectors = _unit([[1, 0, 0, 0], [0, 0, 1, 0], [same_cosine, side, 0, 0], [0, 0, 0.5, np.sqrt(0.75)]])
    labels = ["c1", ("singleton", 1), "c1", ("singleton", 3)]
    claims = [frozenset({"c1"}), frozenset({"c2"}), frozenset({"c1"}), frozenset({"c3"})]
    return Event(event_id, [], sentences, vectors, [0, 1, 2, 3], labels, claims, ["c1", "c2", "c1", "c3"],
                 set(), [])


def test_sweep_counts_pairs_at_every_setting_without_lexical_weight():
    event = tiny_event("x", 0.8)
    settings, counts, labels = nc.sweep_event(event, weights=(0.0,), thresholds=(0.3, 0.6, 0.9),
                                              figure_bonus=0.0)
    assert settings == [(0.0, 0.3), (0.0, 0.6), (0.0, 0.9)]
    # 0.3: both pairs of different articles linked (0.8 right, 0.5 wrong); 0.6: only the right
    # one; 0.9: none.
    assert counts.tolist() == [[1, 2, 1], [1, 1, 1], [0, 0, 1]]
    assert labels[1][0] == labels[1][2] != -1 and labels[1][1] == labels[1][3] == -1


def test_the_lexical_weight_moves_the_scores_and_the_guard_refuses_pairs():
    event = tiny_event("x", 0.8)
    # Cosine alone (weight 0) links the pair at 0.75; with weight 2 the score is mostly the
    # TF-IDF of the two wordings (0.65 here), and the pair falls under.
    _, counts, _ = nc.sweep_event(event, weights=(0.0, 2.0), thresholds=(0.75,), figure_bonus=0.0)
    assert counts.tolist() == [[1, 1, 1], [0, 0, 1]]
    _, refused, _ = nc.sweep_event(event, weights=(0.0,), thresholds=(0.3,), figure_bonus=0.0,
                                   guard=lambda a, b: "no")
    assert refused.tolist() == [[0, 0, 1]]


def test_procedure_on_tiny_events_chooses_between_the_right_and_wrong_cosines():
    events = [tiny_event(f"e{k}", c) for k, c in enumerate((0.8, 0.75, 0.85))]
    per_event = [nc.sweep_event(e, weights=(0.0,), thresholds=(0.3, 0.6, 0.9), figure_bonus=0.0) for e in events]
    settings = per_event[0][0]
    choice = nc.SettingChoice(settings).fit(np.stack([c for _, c, _ in per_event]))
    assert settings[choice.best_] == (0.0, 0.6)
    assert choice.out_of_fold_f1_ == pytest.approx(1.0)


def test_news_entry_keeps_checkthat_values_once_and_the_package_reads_the_new_ones(monkeypatch):
    from claims import models

    table = {"models": {"m": {"lexical_weight": 0.25, "hybrid": 0.75, "hybrid_f1": 0.68, "dense": 0.9}}}
    found = {"lexical_weight": 0.5, "hybrid": 0.66, "news": {"out_of_fold": {"pair_f1": 0.5}}}
    once = nc.news_entry(table, "m", found)
    twice = nc.news_entry(once, "m", {**found, "hybrid": 0.67})
    entry = twice["models"]["m"]
    assert entry["checkthat_lexical_weight"] == 0.25 and entry["checkthat_hybrid"] == 0.75
    assert entry["hybrid"] == 0.67 and entry["dense"] == 0.9 and "hybrid_f1" not in entry
    assert table["models"]["m"]["hybrid"] == 0.75  # the input is not changed
    assert "news_calibration" in twice["news_method"]
    monkeypatch.setattr(models, "calibration_table", lambda: json.loads(json.dumps(twice)))
    fake = models.ModelEntry("m", "test model", lambda cache: None, 4)
    assert fake.lexical_weight == 0.5 and fake.threshold("hybrid") == 0.67


def test_checkthat_recalibration_keeps_the_news_choice():
    from claims.training.calibrate import calibration_table

    previous = {"models": {
        "news": {"lexical_weight": 1.0, "hybrid": 0.55, "news": {"out_of_fold": {}}, "learned": 0.2, "dense": 0.8},
        "plain": {"lexical_weight": 0.25, "hybrid": 0.7}}}
    checkthat = {"lexical_weight": 0.5, "hybrid": 0.66, "hybrid_f1": 0.68, "dense": 0.89}
    table = calibration_table({"news": checkthat, "plain": checkthat}, previous)
    news, plain = table["models"]["news"], table["models"]["plain"]
    assert (news["lexical_weight"], news["hybrid"], news["learned"]) == (1.0, 0.55, 0.2)
    assert (news["checkthat_lexical_weight"], news["checkthat_hybrid"], news["dense"]) == (0.5, 0.66, 0.89)
    assert plain == checkthat  # a model never calibrated on news takes the CheckThat! values


def test_command_without_the_news_texts_skips_and_writes_nothing(tmp_path, monkeypatch, capsys):
    from claims.evaluation.realnews import ENV_VAR

    monkeypatch.setenv(ENV_VAR, str(tmp_path / "absent"))
    out = tmp_path / "thresholds.json"
    out.write_text('{"models": {}}\n', encoding="utf-8")
    assert nc.main(["e5-small-int8", "--output", str(out)]) == 0
    assert "skipped" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8") == '{"models": {}}\n'


def test_model_choice_share_of_resampled_events_where_a_model_is_eligible():
    from benchmarks.model_choice import eligible_share

    best = {"e1": [4, 4, 4], "e2": [4, 4, 4], "e3": [2, 4, 4]}
    rows = {"best": {"event_counts": best},
            "same": {"event_counts": dict(best)},
            "worse": {"event_counts": {"e1": [0, 4, 4], "e2": [0, 4, 4], "e3": [0, 4, 4]}},
            # as good on e1 and e2, far worse on e3: eligible only in draws without e3
            "mixed": {"event_counts": {"e1": [4, 4, 4], "e2": [4, 4, 4], "e3": [0, 4, 4]}}}
    share = eligible_share(rows, "best", resamples=4000)
    assert share["best"] == share["same"] == 1.0 and share["worse"] == 0.0
    assert share["mixed"] == pytest.approx((2 / 3) ** 3, abs=0.03)
