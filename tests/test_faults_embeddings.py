"""Faults inside embeddings/: huge duplicate inputs, damaged or unwritable caches, damaged models.

Each test builds a small fault (a file cut in half, a read-only folder, a planted file)
and checks what a user would notice: one warning line, a result equal to a clean run's,
a cache or model folder that is whole again.
"""

import hashlib
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from embeddings.cache import CachedEncoder, EmbeddingCache
from embeddings.index import VectorIndex, exact_neighbours
from embeddings.paths import CacheWarning
from tests.fake_encoders import RandomByText

REPO = Path(__file__).resolve().parents[1]


class FakeEncoder(RandomByText):
    """Deterministic vectors from the text's hash; records what it encodes."""

    def __init__(self):
        super().__init__("fake", 8)


TEXTS = [f"Phrase numéro {i} de l'article." for i in range(400)]


def expected(texts):
    return FakeEncoder().encode(texts)


def cache_warnings(record):
    return [str(w.message) for w in record if issubclass(w.category, CacheWarning)]


# Bounded work per input ------------------------------------------------------------


def unit(rows):
    rows = np.asarray(rows, np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_83k_copies_of_one_vector_are_searched_in_bounded_memory():
    # The 5 MB article of one repeated sentence: 83,246 identical vectors (the IVF path).
    rng = np.random.default_rng(0)
    other = unit(rng.normal(size=(2000, 32)))
    vectors = np.vstack([np.repeat(other[:1], 83_246, axis=0), other[1:], other[:1]])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    found = VectorIndex().fit(vectors).search(vectors, 21)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 1500  # the unbounded product asked for 25.8 GiB
    n = len(vectors)
    assert found.ids.shape == (n, 21)
    # Each copy lists itself first, then other copies (score 1), the last row included.
    assert (found.ids[:, 0] == np.arange(n)).all()
    copies = np.r_[np.arange(83_246), n - 1]
    assert np.isin(found.ids[copies], copies).all()
    assert np.allclose(found.scores[copies], 1.0, atol=1e-5)
    assert (found.ids[-1, 1:] < 83_246).all()  # the last copy is linked to the first ones


def test_duplicates_give_the_same_neighbour_scores_as_a_brute_force_search():
    rng = np.random.default_rng(1)
    base = unit(rng.normal(size=(300, 16)))
    vectors = np.vstack([base[:40], base[:40], base[5:15], base, base[:3]])
    truth = np.sort(vectors @ vectors.T, axis=1)[:, ::-1][:, :7]
    for index in (VectorIndex(kind="exact"), VectorIndex(kind="ivf", nlist=6, nprobe=6), VectorIndex(kind="hnsw")):
        found = index.fit(vectors).search(vectors, 7)
        assert index.duplicates_ is not None
        assert np.allclose(found.scores, truth, atol=1e-5), index.kind
        assert (found.ids[:, 0] == np.arange(len(vectors))).all()
        assert np.allclose(np.einsum("ij,ij->i", vectors[np.repeat(np.arange(len(vectors)), 7)],
                                     vectors[found.ids.ravel()]), found.scores.ravel(), atol=1e-5)
    queries = base[:50] + 0.0  # other queries against duplicated vectors
    found = VectorIndex(kind="exact").fit(vectors).search(queries, 4)
    assert np.allclose(found.scores, np.sort(queries @ vectors.T, axis=1)[:, ::-1][:, :4], atol=1e-5)


def test_a_cell_too_large_for_one_product_is_compared_in_blocks(monkeypatch):
    import embeddings.index as index_module

    rng = np.random.default_rng(2)
    vectors = unit(np.repeat(rng.normal(size=(30, 24)), 40, axis=0) + rng.normal(scale=0.2, size=(1200, 24)))
    whole = VectorIndex(kind="ivf", nlist=3, nprobe=2).fit(vectors).search(vectors, 6)
    monkeypatch.setattr(index_module, "BLOCK_ENTRIES", 4000)  # every cell now takes many blocks
    blocked = VectorIndex(kind="ivf", nlist=3, nprobe=2).fit(vectors).search(vectors, 6)
    assert (blocked.ids == whole.ids).mean() > 0.999  # equal up to float ties
    assert np.allclose(blocked.scores, whole.scores, atol=1e-5)


def test_vectors_without_duplicates_are_searched_as_before():
    vectors = unit(np.random.default_rng(3).normal(size=(500, 12)))
    index = VectorIndex(kind="exact").fit(vectors)
    assert index.duplicates_ is None
    assert np.array_equal(index.search(vectors, 5).ids, exact_neighbours(vectors, 5).ids)


# Caches that heal ------------------------------------------------------------------


def fill_cache(path):
    with EmbeddingCache(path) as cache:
        CachedEncoder(FakeEncoder(), cache).encode(TEXTS)
    return path.stat().st_size


def truncate_half(path, size):
    os.truncate(path, size // 2)


def random_bytes(path, size):
    path.write_bytes(np.random.default_rng(4).bytes(size))


def overwrite_pages(path, size):
    with open(path, "r+b") as f:  # a few pages in the middle of the b-tree
        f.seek(4096 * 3)
        f.write(np.random.default_rng(5).bytes(4096 * 4))


@pytest.mark.parametrize("damage", [truncate_half, random_bytes, overwrite_pages])
def test_a_damaged_cache_is_moved_aside_with_one_warning_and_rebuilt(tmp_path, damage):
    path = tmp_path / "emb.sqlite3"
    damage(path, fill_cache(path))
    inner = FakeEncoder()
    with pytest.warns(CacheWarning) as record, EmbeddingCache(path) as cache:
        got = CachedEncoder(inner, cache).encode(TEXTS)
    messages = cache_warnings(record)
    assert len(messages) == 1 and "damaged" in messages[0] and str(path) in messages[0]
    np.testing.assert_array_equal(got, expected(TEXTS))
    assert len(list(tmp_path.glob("emb.sqlite3.damaged-*"))) == 1
    again = FakeEncoder()
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)  # the new cache opens silently
        with EmbeddingCache(path) as cache:
            CachedEncoder(again, cache).encode(TEXTS)
    assert again.seen == []  # the new cache holds every vector


def test_cached_vectors_that_are_nan_or_cut_short_are_recomputed(tmp_path):
    path = tmp_path / "emb.sqlite3"
    fill_cache(path)
    with sqlite3.connect(path) as conn:
        keys = [hashlib.sha256(t.encode()).digest() for t in TEXTS[:3]]
        conn.execute("UPDATE vectors SET vector = ? WHERE key = ?", (np.full(8, np.nan, "<f4").tobytes(), keys[0]))
        conn.execute("UPDATE vectors SET vector = ? WHERE key = ?", (np.full(8, np.inf, "<f4").tobytes(), keys[1]))
        conn.execute("UPDATE vectors SET vector = ? WHERE key = ?", (np.ones(5, "<f4").tobytes(), keys[2]))
    inner = FakeEncoder()
    with pytest.warns(CacheWarning) as record, EmbeddingCache(path) as cache:
        got = CachedEncoder(inner, cache).encode(TEXTS)
    assert sorted(inner.seen) == sorted(TEXTS[:3])
    np.testing.assert_array_equal(got, expected(TEXTS))
    messages = cache_warnings(record)
    assert len(messages) == 1 and messages[0].startswith("3 vectors")
    with EmbeddingCache(path) as cache:  # the good vectors replaced the bad ones
        vectors, found = cache.get("fake", TEXTS[:3], 8)
    assert found.all() and np.isfinite(vectors).all()


def test_non_finite_vectors_are_never_stored(tmp_path):
    with EmbeddingCache(tmp_path / "emb.sqlite3") as cache:
        cache.put("m", ["a", "b"], np.array([[np.nan, 0.0], [1.0, 0.0]], np.float32))
        assert cache.get("m", ["a", "b"], 2)[1].tolist() == [False, True]


def run_without_root_rights(script, *args):
    """Run ``script`` where file permissions apply (root loses its override)."""
    command = [sys.executable, "-c", script, *args]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot be enforced")
        caps = "-dac_override,-dac_read_search,-fowner"
        command = [setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}", *command]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=60)


ENCODE_SCRIPT = """
import json, sys, warnings
sys.path.insert(0, {tests!r})
from test_faults_embeddings import FakeEncoder, TEXTS
from embeddings.cache import CachedEncoder, EmbeddingCache
with warnings.catch_warnings(record=True) as record:
    warnings.simplefilter("always")
    cache = EmbeddingCache({path!r})
    inner = FakeEncoder()
    got = CachedEncoder(inner, cache).encode(TEXTS)
ok = bool((got == FakeEncoder().encode(TEXTS)).all())
print(json.dumps({{"ok": ok, "encoded": len(inner.seen), "warnings": [str(w.message) for w in record]}}))
"""


def run_encode(path):
    proc = run_without_root_rights(ENCODE_SCRIPT.format(tests=str(REPO / "tests"), path=str(path)))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("locked", ["folder", "file"])
def test_a_read_only_cache_is_used_read_only_and_the_run_succeeds(tmp_path, locked):
    folder = tmp_path / "cache"
    folder.mkdir()
    path = folder / "emb.sqlite3"
    with EmbeddingCache(path) as cache:
        CachedEncoder(FakeEncoder(), cache).encode(TEXTS[:100])  # some sentences cached, not all
    before = path.read_bytes()
    (folder if locked == "folder" else path).chmod(0o555 if locked == "folder" else 0o444)
    try:
        out = run_encode(path)
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)
    assert out["ok"] and out["encoded"] == 300  # the 100 cached vectors were read
    assert len(out["warnings"]) == 1 and "cannot be written" in out["warnings"][0]
    assert path.read_bytes() == before


def test_a_damaged_cache_in_a_read_only_folder_is_skipped_with_one_warning(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    path = folder / "emb.sqlite3"
    random_bytes(path, fill_cache(path))
    folder.chmod(0o555)
    try:
        out = run_encode(path)
    finally:
        folder.chmod(0o755)
    assert out["ok"] and out["encoded"] == len(TEXTS)
    assert len(out["warnings"]) == 1 and "cannot be moved aside" in out["warnings"][0]


def test_a_cache_folder_that_cannot_be_created_means_no_cache_and_one_warning(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    out = run_encode(locked / "cache" / "emb.sqlite3")
    assert out["ok"] and out["encoded"] == len(TEXTS)
    assert len(out["warnings"]) == 1 and "cannot be created or written" in out["warnings"][0]
    assert "PermissionError" in out["warnings"][0]


# Built model folders ---------------------------------------------------------------

WORDS = "le la les un une de des et est à sommet ciel bleu bonjour monde otan kiev armes phrase".split()
SENTENCES = ["le ciel est bleu", "bonjour le monde", "kiev et les armes", "un sommet de l' otan"]


def tiny_hf_model(folder):
    """Stands in for the 470 MB e5 weights: a 1-layer BERT (384 d) and a word-level tokenizer."""
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import BertConfig, BertModel

    folder.mkdir(parents=True)
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    vocab.update({w: len(vocab) + i for i, w in enumerate(WORDS + [f"w{i}" for i in range(40)])})
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)])
    tokenizer.save(str(folder / "tokenizer.json"))
    (folder / "tokenizer_config.json").write_text(json.dumps({
        "tokenizer_class": "PreTrainedTokenizerFast", "bos_token": "<s>", "eos_token": "</s>",
        "pad_token": "<pad>", "unk_token": "<unk>", "model_max_length": 64}))
    torch.manual_seed(0)  # every build gives the same weights, like the real one
    config = BertConfig(vocab_size=len(vocab), hidden_size=384, num_hidden_layers=1, num_attention_heads=6,
                        intermediate_size=64, max_position_embeddings=64, pad_token_id=1)
    BertModel(config).save_pretrained(str(folder))
    return 384


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Pristine tiny e5 and int8 folders, and their vectors for SENTENCES."""
    import embeddings.e5 as e5
    from embeddings.onnx_e5 import OnnxE5Encoder

    mp = pytest.MonkeyPatch()
    mp.setattr(e5, "_write_hf_model", tiny_hf_model)
    cache = tmp_path_factory.mktemp("pristine")
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)  # a first build warns about nothing
        vectors = e5.E5Encoder(cache).encode(SENTENCES)
        int8 = OnnxE5Encoder(cache).encode(SENTENCES)
    yield cache / "models", vectors, int8
    mp.undo()


@pytest.fixture
def cache(built, tmp_path, monkeypatch):
    """A cache folder holding copies of the pristine builds (times kept, so the manifests hold)."""
    import embeddings.e5 as e5

    monkeypatch.setattr(e5, "_write_hf_model", tiny_hf_model)
    shutil.copytree(built[0], tmp_path / "models", copy_function=shutil.copy2)
    return tmp_path


def e5_folder(cache):
    from embeddings.e5 import E5_FOLDER

    return cache / "models" / E5_FOLDER


def truncate_weights(folder):
    os.truncate(folder / "model.safetensors", (folder / "model.safetensors").stat().st_size // 2)


def plant_pickle(folder):
    (folder / "pytorch_model.bin").write_bytes(b"\x80\x04\x95junk, not a checkpoint")


def break_config(folder):
    (folder / "config.json").write_text('{"model_type": "bert", "hidden_size": ')


def break_tokenizer(folder):
    with open(folder / "tokenizer.json", "r+b") as f:
        f.write(b"{{{{")  # same size, first bytes garbage


@pytest.mark.parametrize("damage", [truncate_weights, plant_pickle, break_config, break_tokenizer])
def test_a_damaged_model_folder_is_removed_with_one_warning_and_rebuilt(built, cache, damage):
    from embeddings.e5 import E5Encoder
    from embeddings.manifest import check_manifest

    damage(e5_folder(cache))
    with pytest.warns(CacheWarning) as record:
        vectors = E5Encoder(cache).encode(SENTENCES)
    messages = cache_warnings(record)
    assert len(messages) == 1 and "damaged" in messages[0] and "rebuilding" in messages[0]
    np.testing.assert_allclose(vectors, built[1], atol=1e-6)
    assert check_manifest(e5_folder(cache)) is None
    assert not (e5_folder(cache) / "pytorch_model.bin").exists()
    assert [p.name for p in (cache / "models").iterdir() if p.name.startswith(".")] == []


def test_weights_rewritten_in_place_with_the_same_time_are_caught_when_loading(built, cache, monkeypatch):
    import embeddings.manifest as manifest
    from embeddings.e5 import E5Encoder

    monkeypatch.setattr(manifest, "HASH_ALWAYS", 0)  # as for the real 470 MB file: size and time only
    weights = e5_folder(cache) / "model.safetensors"
    st = weights.stat()
    with open(weights, "r+b") as f:
        f.write(b"\xff" * 64)  # the header length and JSON header are garbage now
    os.utime(weights, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert manifest.check_manifest(e5_folder(cache)) is None  # invisible to the cheap check
    with pytest.warns(CacheWarning) as record:
        vectors = E5Encoder(cache).encode(SENTENCES)
    messages = cache_warnings(record)
    assert len(messages) == 1 and "SafetensorError" in messages[0]
    np.testing.assert_allclose(vectors, built[1], atol=1e-6)


def test_a_damaged_int8_model_is_rebuilt(built, cache):
    from embeddings.onnx_e5 import ONNX_FOLDER, OnnxE5Encoder

    onnx = cache / "models" / ONNX_FOLDER / "model.onnx"
    os.truncate(onnx, onnx.stat().st_size // 3)
    with pytest.warns(CacheWarning) as record:
        vectors = OnnxE5Encoder(cache).encode(SENTENCES)
    assert len(cache_warnings(record)) == 1
    np.testing.assert_allclose(vectors, built[2], atol=1e-5)


def test_a_folder_built_before_manifests_is_rebuilt_once(built, cache):
    from embeddings.e5 import E5Encoder

    (e5_folder(cache) / "MANIFEST.json").unlink()
    with pytest.warns(CacheWarning) as record:
        E5Encoder(cache)
    assert len(cache_warnings(record)) == 1 and "no manifest" in cache_warnings(record)[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        E5Encoder(cache)  # now trusted


# Leftover temporaries --------------------------------------------------------------

KILLED_BUILD = """
import os, signal, sys
from embeddings.paths import build_once
def build(out):
    (out / "model.safetensors").write_bytes(b"x" * 1_000_000)
    os.kill(os.getpid(), signal.SIGKILL)  # killed mid-build
build_once(__import__("pathlib").Path(sys.argv[1]), build)
"""


def test_a_killed_build_leaves_a_folder_that_the_next_run_removes(built, cache):
    from embeddings.e5 import E5_FOLDER, build_e5_model
    from embeddings.paths import _temp_prefix

    models = cache / "models"
    proc = subprocess.run([sys.executable, "-c", KILLED_BUILD, str(models / "other-model")], cwd=REPO)
    assert proc.returncode == -9
    killed = [p for p in models.iterdir() if p.name.startswith(".tmp-other-model-")]
    assert len(killed) == 1 and (killed[0] / "model.safetensors").exists()
    live = models / f"{_temp_prefix(E5_FOLDER)}live"  # a build running now in this process
    live.mkdir()
    foreign = models / f".tmp-{E5_FOLDER}-999999999@0badc0de-abc"  # a dead pid, on another machine
    foreign.mkdir()
    stalled = models / f".tmp-{E5_FOLDER}-{os.getppid()}-old"  # alive, but silent for an hour
    stalled.mkdir()
    os.utime(stalled, (os.path.getmtime(stalled) - 3600,) * 2)

    assert build_e5_model(cache) == e5_folder(cache)  # the model is there: nothing is built
    assert not killed[0].exists() and not stalled.exists()
    assert live.exists() and foreign.exists()


CANNOT_WRITE = """
import json, sys, warnings
from pathlib import Path
from embeddings.paths import build_once
with warnings.catch_warnings(record=True) as record:
    warnings.simplefilter("always")
    a = build_once(Path(sys.argv[1]) / "a", lambda out: (out / "w").write_text("a"))
    b = build_once(Path(sys.argv[1]) / "b", lambda out: (out / "w").write_text("b"))
print(json.dumps({"read": [(a / "w").read_text(), (b / "w").read_text()],
                  "warnings": [str(w.message) for w in record]}))
"""


def test_models_that_cannot_be_stored_are_built_for_the_run_with_one_warning(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    proc = run_without_root_rights(CANNOT_WRITE, str(locked / "cache" / "models"))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["read"] == ["a", "b"]
    assert len(out["warnings"]) == 1 and "cannot be created or written" in out["warnings"][0]
    assert list(locked.iterdir()) == []
