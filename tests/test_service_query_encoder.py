"""The service's fast query encoder finds what the store's own model finds."""

import numpy as np
import pytest

from claims.models import get_encoder
from claims.service.query_encoder import bf16_cpu, chunk_sizes, query_encoder

SENTENCES = [
    "Le secrétaire général de l'OTAN a déclaré que l'Ukraine avait besoin de plus d'armes lourdes.",
    "Les alliés se réuniront de nouveau à Bruxelles la semaine prochaine.",
    "Un homme joue de la guitare.",
    "La Banque centrale européenne a augmenté ses taux d'un quart de point.",
    "Selon le ministre, l'inflation devrait ralentir à la fin de l'année.",
    "Des enfants jouent au football dans le parc.",
    "Le gouvernement prévoit 413 milliards d'euros pour les armées d'ici 2030.",
    "Une femme coupe un oignon.",
]
QUERIES = ["l'OTAN veut envoyer des chars", "un musicien et sa guitare", "hausse des taux de la BCE",
           "budget militaire de la France"]


def test_batches_are_split_in_few_shapes():
    assert chunk_sizes(13) == [8, 4, 1]
    assert chunk_sizes(70) == [32, 32, 4, 2]
    assert chunk_sizes(1) == [1] and chunk_sizes(0) == []


def test_engine_choice_is_explained():
    own = get_encoder("e5-small-onnx")
    assert query_encoder("e5-small-onnx", own, "onnxruntime") == (own, "onnxruntime")
    assert query_encoder("minilm", own, "auto") == (own, "onnxruntime")  # nothing faster for it
    with pytest.raises(ValueError, match="choose one of"):
        query_encoder("e5-small-onnx", own, "gpu")
    with pytest.raises(ValueError, match="needs the e5-small-onnx model"):
        query_encoder("minilm", own, "openvino")


@pytest.mark.skipif(not bf16_cpu(), reason="OpenVINO is not installed or this CPU has no bfloat16")
def test_bf16_queries_rank_sentences_as_the_store_model_does():
    own = get_encoder("e5-small-onnx")
    fast, engine = query_encoder("e5-small-onnx", own, "openvino")
    assert engine == "openvino-bf16"
    stored = own.encode(SENTENCES)
    exact, quick = own.encode(QUERIES), fast.encode(QUERIES)
    assert np.all((exact * quick).sum(axis=1) > 0.9999)  # the same vectors, to bfloat16 rounding
    assert np.array_equal(np.argsort(-(exact @ stored.T), axis=1)[:, :3], np.argsort(-(quick @ stored.T), axis=1)[:, :3])
    alone = np.concatenate([fast.encode([q]) for q in QUERIES])
    assert np.all((alone * quick).sum(axis=1) > 0.9999)  # a query's vector hardly depends on its batch
