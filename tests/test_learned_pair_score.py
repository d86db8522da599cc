"""The learned pair score: its features, its weights file, its decisions, and cannot-links."""

import json

import numpy as np
import pytest

from claims.matching.grouping import group_embeddings
from claims.matching.learned import WEIGHTS_FILE, LearnedPairScorer, read_weights
from claims.matching.pair_features import FEATURE_NAMES, PairFeatures
from claims.models import model_entry
from claims.training.pair_scorer import LogisticPairModel


def feature(features: PairFeatures, a: int, b: int, name: str) -> float:
    return float(features.transform([a], [b], [0.9])[0, FEATURE_NAMES.index(name)])


def pair_vectors(n_pairs: int, cosine: float) -> np.ndarray:
    """Unit vectors, consecutive rows (2k, 2k+1) at ``cosine``, other pairs far apart."""
    rows = np.zeros((2 * n_pairs, 2 * n_pairs), np.float32)
    for k in range(n_pairs):
        rows[2 * k, 2 * k] = 1.0
        rows[2 * k + 1, 2 * k] = cosine
        rows[2 * k + 1, 2 * k + 1] = np.sqrt(1 - cosine ** 2)
    return rows


def test_swapped_roles_keep_the_words_and_lose_the_order():
    texts = ["Le Sénat a rejeté la proposition du gouvernement sur les retraites.",
             "Le gouvernement a rejeté la proposition du Sénat sur les retraites.",
             "Le Sénat a rejeté la proposition du gouvernement sur les retraites, a-t-on appris."]
    f = PairFeatures().fit(texts)
    assert feature(f, 0, 1, "content_overlap") == 1.0  # the same words
    assert feature(f, 0, 1, "order_agreement") < feature(f, 0, 2, "order_agreement") == 1.0
    assert feature(f, 0, 1, "lcs_ratio") < feature(f, 0, 2, "lcs_ratio")


def test_figures_compared_by_kind():
    texts = ["Le séisme a fait au moins 62 morts.", "Le séisme a fait 80 morts.",
             "Le séisme a fait 62 morts et 300 blessés.", "Le séisme a fait 300 blessés."]
    f = PairFeatures().fit(texts)
    assert feature(f, 0, 1, "figures_differ") == 1.0  # dead vs dead, different
    assert feature(f, 0, 2, "figures_agree") == 1.0 and feature(f, 0, 2, "figures_differ") == 0.0
    assert feature(f, 0, 3, "figures_differ") == 0.0  # dead vs injured: no conflict


def test_acronym_introduced_in_parentheses_stands_for_its_name():
    texts = ["La Banque centrale européenne (BCE) abaisse ses taux.",
             "La BCE a abaissé ses taux directeurs.",
             "La Réserve fédérale a abaissé ses taux directeurs."]
    f = PairFeatures().fit(texts)
    assert feature(f, 0, 1, "names_shared") == 1.0
    assert feature(f, 1, 2, "names_differ") == 1.0


def test_weights_file_is_plain_json_for_the_default_model():
    raw = WEIGHTS_FILE.read_bytes()
    assert not raw.startswith(b"\x80")  # not a pickle
    table = json.loads(raw)
    entry = read_weights("e5-small")
    assert entry == table["models"]["e5-small"]
    assert read_weights("e5-small-onnx") == entry  # the default model gives e5-small's vectors
    assert entry["features"] == list(FEATURE_NAMES)
    assert model_entry("e5-small").threshold("learned") is not None


def test_different_death_tolls_below_threshold_restatement_above():
    threshold = model_entry("e5-small").threshold("learned")
    texts = ["Le séisme a fait au moins 57 morts dans le sud du pays, selon les autorités.",
             "Selon les autorités, le tremblement de terre a fait 80 morts dans le sud du pays.",
             "Le séisme a fait au moins 57 morts dans le sud du pays, selon les autorités.",
             "Au moins 57 personnes ont été tuées par le séisme dans le sud du pays, selon les autorités."]
    scorer = LearnedPairScorer("e5-small").fit(texts, pair_vectors(2, 0.93))
    different, restated = scorer(np.array([0, 2]), np.array([1, 3]))
    assert different < threshold < restated


def test_pairs_below_the_cosine_gate_score_zero():
    texts = ["Le séisme a fait 62 morts.", "Le séisme a fait 62 morts."]
    scorer = LearnedPairScorer("e5-small", gate_cosine=0.9).fit(texts, pair_vectors(1, 0.5))
    assert scorer(np.array([0]), np.array([1]))[0] == 0.0


def test_bad_parameters_raise_value_error():
    texts, vectors = ["a b c", "a b d"], pair_vectors(1, 0.9)
    with pytest.raises(ValueError, match="no learned pair-scorer weights"):
        LearnedPairScorer("no-such-model").fit(texts, vectors)
    broken = dict(read_weights("e5-small"), coef=[1.0])
    with pytest.raises(ValueError, match="coef"):
        LearnedPairScorer(weights=broken).fit(texts, vectors)
    with pytest.raises(ValueError, match="gate_cosine"):
        LearnedPairScorer(gate_cosine=2.0).fit(texts, vectors)
    with pytest.raises(ValueError, match="C must be"):
        LogisticPairModel(C=-1.0).fit(np.zeros((2, len(FEATURE_NAMES))), [True, False])


def test_refused_pair_never_ends_in_one_group_through_average_linkage():
    # 16 near-identical sentences in 16 articles; the guard refuses only (0, 1). Average linkage
    # alone would merge them: one refused pair among many close ones barely moves the mean.
    rng = np.random.default_rng(0)
    vectors = np.ones((16, 8), np.float32) + rng.normal(0, 0.01, (16, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    texts = [f"phrase {k}" for k in range(16)]

    def guard(a, b):
        return "different figure" if {a, b} == {"phrase 0", "phrase 1"} else None
    result = group_embeddings(vectors, [str(k) for k in range(16)], 0.6, texts=texts, guard=guard)
    labels = result.labels
    assert (labels != -1).sum() >= 14  # the others are still grouped (with one or the other)
    assert labels[0] == -1 or labels[0] != labels[1]
