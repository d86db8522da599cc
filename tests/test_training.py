"""The training commands on tiny synthetic data: they fit, write a file, and the package reads it.

No model and no evaluation data: vectors are made up, the encoder is a fake.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from claims.evaluation.data import CheckThat, Labelled
from claims.records import STANCES, Attribution
from claims.training import calibrate as cal
from claims.training import stance as st
from tests.fake_encoders import WordVectors


def unit(rows) -> np.ndarray:
    rows = np.asarray(rows, np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


# -- thresholds ----------------------------------------------------------------------------


def test_best_f1_threshold_cuts_between_pairs_by_hand():
    scores = np.array([0.9, 0.8, 0.7, 0.6])
    # Cut after 0.8: 2 true of 2 predicted, 2 positives: F1 1.0; threshold halfway to 0.7.
    assert cal.best_f1_threshold(scores, np.array([True, True, False, False])) == pytest.approx((0.75, 1.0))
    # Positives 0.9 and 0.7: cutting after 0.7 gives 2 of 3 (F1 0.8), after 0.9 1 of 1 (F1 2/3).
    assert cal.best_f1_threshold(scores, np.array([True, False, True, False])) == pytest.approx((0.65, 0.8))


@pytest.fixture
def checkthat():
    """Four tweets, six claims: q0 and q1 make claim c0, q2 makes c1, q3 makes c2."""
    claim_ids = [f"c{k}" for k in range(6)]
    claim_texts = ["les prix du gaz montent", "le pont est fermé", "la récolte est bonne",
                   "le gaz coûte plus cher", "la route est coupée", "les vendanges sont bonnes"]
    query_ids = ["q0", "q1", "q2", "q3"]
    query_texts = ["le gaz monte encore", "prix du gaz en hausse", "pont fermé demain", "belle récolte"]
    relevant = {"q0": {"c0"}, "q1": {"c0"}, "q2": {"c1"}, "q3": {"c2"}}
    rng = np.random.default_rng(0)
    claims = unit(rng.normal(size=(6, 8)))
    tweets = unit(claims[[0, 0, 1, 2]] + 0.3 * rng.normal(size=(4, 8)))
    return CheckThat(claim_ids, claim_texts, query_ids, query_texts, relevant), tweets, claims


def test_checkthat_pairs_hold_each_gold_claim_and_hard_negatives(checkthat):
    data, tweets, claims = checkthat
    base = cal.tweet_claim_pairs(data, tweets, claims, negatives=2)
    assert base.texts == data.query_texts + data.claim_texts
    assert len(base.i) == 4 * (1 + 2)  # each tweet: its claim and 2 wrong ones
    pairs = {(data.query_ids[i], data.claim_ids[j - 4]): bool(p)
             for i, j, p in zip(base.i, base.j, base.positive)}
    assert {pair for pair, positive in pairs.items() if positive} == {
        ("q0", "c0"), ("q1", "c0"), ("q2", "c1"), ("q3", "c2")}
    both = cal.with_tweet_pairs(base, data, tweets, negatives=2)
    assert len(both.texts) == len(both.vectors) <= len(base.texts)
    tweet_pairs = {(both.texts[i], both.texts[j]): bool(p) for i, j, p in
                   zip(both.i[len(base.i):], both.j[len(base.i):], both.positive[len(base.i):])}
    assert tweet_pairs[("le gaz monte encore", "prix du gaz en hausse")] is True
    assert sum(tweet_pairs.values()) == 1  # the only two tweets of one claim
    # The tweet-claim pairs keep their texts after the remapping.
    assert [(both.texts[i], both.texts[j]) for i, j in zip(both.i[:len(base.i)], both.j[:len(base.i)])] == \
        [(base.texts[i], base.texts[j]) for i, j in zip(base.i, base.j)]


def test_calibration_table_is_written_and_read_by_the_package(checkthat, tmp_path, monkeypatch):
    from claims import models

    data, _, _ = checkthat
    encoder = WordVectors(16)
    base = cal.tweet_claim_pairs(data, encoder.encode(data.query_texts), encoder.encode(data.claim_texts),
                                 negatives=2)
    entry = cal.dense_thresholds(base)
    entry.update(cal.unit_thresholds(base, encoder, weights=(0.0, 0.5)))
    assert {"dense", "csls", "hybrid", "clauses", "clauses_dense", "lexical_weight"} <= set(entry)
    assert entry["lexical_weight"] in (0.0, 0.5)

    out = tmp_path / "thresholds.json"
    cal.write_table(cal.calibration_table({"fake": entry}, {"models": {"other": {"dense": 0.5}}}), out)
    table = json.loads(out.read_text(encoding="utf-8"))
    assert set(table["models"]) == {"fake", "other"}  # models not calibrated are kept
    assert "python -m claims.training.calibrate" in table["method"]
    monkeypatch.setattr(models, "calibration_table", lambda: table)
    fake = models.ModelEntry("fake", "test model", lambda cache: encoder, encoder.dim)
    assert fake.threshold("clauses") == entry["clauses"]
    assert fake.lexical_weight == entry["lexical_weight"]


def test_clause_threshold_follows_the_weight_the_model_ships(checkthat):
    from claims.matching.clauses import ClauseScorer

    data, _, _ = checkthat
    encoder = WordVectors(16)
    base = cal.tweet_claim_pairs(data, encoder.encode(data.query_texts), encoder.encode(data.claim_texts),
                                 negatives=2)
    entry = cal.unit_thresholds(base, encoder, weights=(0.0,), clause_weight=2.0)
    assert entry["lexical_weight"] == 0.0  # the CheckThat! choice is still reported
    scores = ClauseScorer(lexical_weight=2.0).fit(base.texts, base.vectors, encoder)(base.i, base.j)
    assert entry["clauses"] == round(cal.best_f1_threshold(np.asarray(scores), base.positive)[0], 4)


def test_calibrate_without_tuning_data_skips_and_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CLAIMS_EVAL_DIR", str(tmp_path / "absent"))
    out = tmp_path / "thresholds.json"
    assert cal.main(["e5-small", "--output", str(out)]) == 0
    assert "skipped" in capsys.readouterr().out
    assert not out.exists()


# -- stance --------------------------------------------------------------------------------

TEXTS = {"favor": ["la cible a raison", "bravo à la cible", "je soutiens la cible", "la cible défend bien"],
         "against": ["la cible a tort", "honte à la cible", "la cible ment encore", "la cible a échoué"],
         "neutral": ["la cible parle demain", "la cible était à Lyon", "réunion avec la cible",
                     "la cible a dit"]}


@pytest.fixture
def stance_rows():
    """Nine tweets (three per stance) to cross-validate, three news examples always trained on."""
    rows, vectors = [], []
    rng = np.random.default_rng(1)
    for k, stance in enumerate(STANCES):
        for text in TEXTS[stance][:3]:
            rows.append(Labelled(text, stance, None, "efra-macron-train"))
        rows.append(Labelled(TEXTS[stance][3], stance, Attribution("le ministre", "a déclaré", "indirect"),
                             "examples"))
    for row in rows:
        centre = np.eye(8)[STANCES.index(row.stance)]
        vectors.append(centre + 0.2 * rng.normal(size=8))
    return rows, unit(vectors)


GRID = [{"C": C, "cue_scale": 1.0, "target_focus": False, "class_weight": "balanced", "neutral_bias": 0.0}
        for C in (0.1, 1.0)]


def test_stance_fit_is_saved_and_loaded_back(stance_rows, tmp_path):
    from claims.stance.classifier import StanceClassifier

    rows, X = stance_rows
    fit = st.fit_stance(rows, X, grid=GRID, folds=3, seeds=(1,))
    assert set(fit.scores) == {st.describe(p) for p in GRID}
    assert fit.params in GRID
    again = st.fit_stance(rows, X, grid=GRID, folds=3, seeds=(1,))
    np.testing.assert_array_equal(again.classifier.coef_, fit.classifier.coef_)  # deterministic

    path = tmp_path / "stance.npz"
    st.save_fit(fit, rows, path, "fake")
    loaded = StanceClassifier.load(path)
    texts, atts = [r.text for r in rows], [r.attribution for r in rows]
    assert list(loaded.predict(X, texts, atts)) == list(fit.classifier.predict(X, texts, atts))
    meta = loaded.metadata_
    assert meta["encoder"] == "fake" and meta["n_rows"] == 12
    assert meta["label_counts"] == {s: 4 for s in STANCES}
    assert set(meta["cv_macron_by_params"]) == set(fit.scores)


def test_stance_choice_breaks_ties_toward_stronger_regularisation():
    scores = {st.describe(p): 0.5 for p in GRID}
    assert st.choose(GRID, scores)["C"] == 0.1
    scores[st.describe(GRID[1])] = 0.6
    assert st.choose(GRID, scores)["C"] == 1.0


def test_stance_training_without_efra_skips_and_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CLAIMS_EVAL_DIR", str(tmp_path / "absent"))
    out = tmp_path / "stance.npz"
    assert st.main(["--output", str(out)]) == 0
    assert "skipped" in capsys.readouterr().out
    assert not out.exists()
