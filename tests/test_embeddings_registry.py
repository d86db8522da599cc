"""Choosing encoders by name: built-ins, local folders, and names that are not installed."""

import numpy as np
import pytest

from claims.models import available_models, get_encoder

FRENCH = ["La Russie dément toute implication.", "Moscou nie être impliquée.", "Il fait beau à Lyon."]


@pytest.fixture(scope="session")
def use():
    return get_encoder("use")


@pytest.fixture(scope="session")
def minilm():
    return get_encoder("minilm")


def test_available_encoders_lists_the_built_ins_with_descriptions():
    names = available_models()
    assert {"e5-small", "e5-small-int8", "use", "minilm"} <= set(names)
    assert all(isinstance(d, str) and d and "\n" not in d for d in names.values())


def test_use_encoder_gives_unit_512_d_vectors(use):
    vectors = use.encode(FRENCH)
    assert use.name == "use" and vectors.shape == (3, 512) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_minilm_encoder_gives_unit_384_d_vectors(minilm):
    vectors = minilm.encode(["The sky is blue.", "The sky is azure.", "Stocks fell sharply."])
    assert minilm.name == "minilm" and vectors.shape == (3, 384)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_same_name_shares_the_already_loaded_model(use):
    assert get_encoder("use").loaded is use.loaded


def test_local_sentence_transformers_folder_loads_by_path(minilm):
    enc = get_encoder(minilm.loaded.path)
    assert enc.dim == 384
    np.testing.assert_allclose(enc.encode(["hello"]), minilm.encode(["hello"]), atol=1e-6)


@pytest.mark.parametrize("name", ["intfloat/some-model-not-on-this-disk", "no-such-encoder"])
def test_unknown_model_is_not_downloaded(name):
    with pytest.raises(ValueError, match="not installed locally"):
        get_encoder(name)


def test_missing_folder_and_empty_name_are_rejected(tmp_path):
    with pytest.raises(ValueError, match="no such model folder"):
        get_encoder(str(tmp_path / "absent"))
    with pytest.raises(ValueError):
        get_encoder("")
