"""The Encoder contract, the cache folder, and atomic model builds (no model needed)."""

import os
import subprocess
import sys

import numpy as np
import pytest

from embeddings.base import l2_normalize
from embeddings.paths import build_once, cache_dir, models_dir
from tests.fake_encoders import RandomByText


class HashEncoder(RandomByText):
    """Deterministic fake: an unnormalised (long) vector derived from each text's hash."""

    def __init__(self):
        super().__init__("hash", 8, scale=5.0)


def test_encode_returns_unit_float32_rows_in_input_order():
    enc = HashEncoder()
    texts = ["une phrase assez longue", "un", "trois mots ici", "deux"]
    vectors = enc.encode(texts, batch_size=2)
    assert vectors.shape == (4, 8) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-6)
    for text, vector in zip(texts, vectors):
        np.testing.assert_array_equal(vector, enc.encode([text])[0])


def test_texts_of_similar_length_share_a_batch():
    batches = []

    class Recording(HashEncoder):
        def _encode_batch(self, texts):
            batches.append(texts)
            return super()._encode_batch(texts)

    Recording().encode(["long long long", "a", "encore plus long", "b"], batch_size=2)
    assert batches == [["a", "b"], ["long long long", "encore plus long"]]


def test_empty_input_gives_zero_rows_of_the_right_width():
    assert HashEncoder().encode([]).shape == (0, 8)


def test_progress_reports_each_batch_size():
    seen = []
    HashEncoder().encode([f"phrase {i}" for i in range(7)], batch_size=3, progress=seen.append)
    assert seen == [3, 3, 1]


def test_bad_arguments_are_rejected():
    with pytest.raises(ValueError):
        HashEncoder().encode(["a"], batch_size=0)
    with pytest.raises(TypeError):
        HashEncoder().encode("une seule phrase")


def test_l2_normalize_leaves_zero_rows_finite():
    out = l2_normalize(np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(out, [[0.6, 0.8], [0.0, 0.0]])


def test_cache_dir_follows_env_var_then_home(monkeypatch, tmp_path):
    monkeypatch.setenv("CLAIMS_CACHE_DIR", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    assert models_dir() == tmp_path / "c" / "models"
    assert cache_dir(tmp_path / "x") == tmp_path / "x"
    monkeypatch.delenv("CLAIMS_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "claims"


def test_failed_build_leaves_no_model_folder(tmp_path):
    target = tmp_path / "models" / "m"

    def build(out):
        (out / "half.bin").write_bytes(b"x" * 10)
        raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-build

    with pytest.raises(KeyboardInterrupt):
        build_once(target, build)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_build_runs_once_and_publishes_complete_folder(tmp_path):
    target = tmp_path / "models" / "m"
    calls = []

    def build(out):
        calls.append(out)
        (out / "weights").write_text("ok")

    assert build_once(target, build) == target
    assert build_once(target, build) == target
    assert len(calls) == 1 and (target / "weights").read_text() == "ok"


def test_stale_temp_folder_of_a_dead_process_is_removed(tmp_path):
    parent = tmp_path / "models"
    parent.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = parent / f".tmp-m-{int(dead.stdout)}-abc"
    stale.mkdir()
    (stale / "half.bin").write_bytes(b"x")
    live = parent / f".tmp-m-{os.getppid()}-def"  # a build running in a live process
    live.mkdir()

    build_once(parent / "m", lambda out: (out / "w").write_text("ok"))
    assert not stale.exists()
    assert live.exists()
    assert (parent / "m" / "w").read_text() == "ok"
