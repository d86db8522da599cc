"""The hubness experiment's pieces: all-but-the-top, banded density, leave-one-event-out choice."""

import numpy as np

from benchmarks.realnews_events import Event
from benchmarks.realnews_hubness import abtt, banded_density, out_of_fold, pair_counts


def _unit(rows):
    rows = np.asarray(rows, np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_all_but_the_top_removes_the_shared_direction():
    # Two claims on one topic: a large shared "topic" component hides which claim each
    # sentence states (every cosine is above 0.9); with the topic mean and direction removed,
    # restatements are close and the two claims are apart.
    topic = np.array([1.0, 0.0, 0.0, 0.0])
    claim_a, claim_b = np.array([0.0, 1.0, 0.0, 0.0]), np.array([0.0, 0.0, 1.0, 0.0])
    v = _unit([3 * topic + claim_a, 3 * topic + claim_a + [0, 0, 0, 0.2], 3 * topic + claim_b])
    assert (v @ v.T).min() > 0.89
    mean = np.array([1.0, 0.0, 0.0, 0.0], np.float32) * 0.9
    out = abtt(v, mean, np.array([[1.0, 0.0, 0.0, 0.0]], np.float32))
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0)
    assert out[0] @ out[1] > 0.95
    assert abs(out[0] @ out[2]) < 0.05


def test_banded_density_skips_same_article_neighbours_and_near_ranks():
    # Sentence 0 has a near twin in its own article (ignored) and, in other articles,
    # neighbours at cosines 0.9, 0.5 and 0.1.
    v = _unit([[1, 0, 0], [1, 0.01, 0], [0.9, np.sqrt(1 - 0.81), 0], [0.5, 0, np.sqrt(0.75)],
               [0.1, -np.sqrt(0.99), 0]])
    articles = ["a", "a", "b", "c", "d"]
    r_all = banded_density(v, articles, 0, 3)
    r_far = banded_density(v, articles, 1, 3)
    assert np.isclose(r_all[0], np.mean([0.9, 0.5, 0.1]), atol=1e-3)
    assert np.isclose(r_far[0], np.mean([0.5, 0.1]), atol=1e-3)


def _event(name, labels):
    n = len(labels)
    return Event(name, [], [None] * n, np.zeros((n, 2), np.float32), list(range(n)), labels,
                 [frozenset()] * n, [None] * n, set(), [])


def test_out_of_fold_never_chooses_a_setting_on_the_event_it_scores():
    # Setting "good" groups events 0 and 1 right and event 2 wrong; "odd" only event 2.
    # Out of fold, event 2 is scored with "good" (best on the others): pooled F1 < 1.
    gold = [0, 0, 1, 1]
    events = [_event(f"e{k}", gold) for k in range(3)]
    right, wrong = [0, 0, 1, 1], [0, 1, 0, 1]
    preds = [{"good": {0.5: right}, "odd": {0.5: wrong}},
             {"good": {0.5: right}, "odd": {0.5: wrong}},
             {"good": {0.5: wrong}, "odd": {0.5: right}}]
    result = out_of_fold(events, preds, ["good", "odd"], pair_counts(events, preds))
    assert result["chosen"] == ["good@0.5"] * 3
    assert 0.0 < result["pair_f1"] < 1.0
