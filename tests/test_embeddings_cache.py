"""The on-disk embedding cache and CachedEncoder (with a fake encoder, no model)."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from embeddings.cache import CachedEncoder, EmbeddingCache
from tests.fake_encoders import RandomByText

REPO = Path(__file__).resolve().parents[1]


class CountingEncoder(RandomByText):
    """Deterministic fake that records every text it is asked to encode (``seen``)."""

    def __init__(self):
        super().__init__("counting", 6)


class ExplodingTexts:
    """A sequence of texts whose iteration fails after ``ok`` items, mid-write."""

    def __init__(self, texts, ok):
        self.texts, self.ok = texts, ok

    def __len__(self):
        return len(self.texts)

    def __iter__(self):
        for i, t in enumerate(self.texts):
            if i == self.ok:
                raise RuntimeError("disk on fire")
            yield t


@pytest.fixture
def cache(tmp_path):
    with EmbeddingCache(tmp_path / "emb.sqlite3") as c:
        yield c


TEXTS = ["Le ciel est bleu.", "Kiev demande des armes lourdes.", "L'OTAN se réunit à Bruxelles."]


def test_second_call_encodes_nothing(cache):
    inner = CountingEncoder()
    enc = CachedEncoder(inner, cache)
    first = enc.encode(TEXTS)
    assert sorted(inner.seen) == sorted(TEXTS)
    second = enc.encode(list(reversed(TEXTS)))
    assert len(inner.seen) == len(TEXTS)  # nothing new was encoded
    np.testing.assert_array_equal(second, first[::-1])


def test_cache_survives_reopening(tmp_path):
    path = tmp_path / "emb.sqlite3"
    with EmbeddingCache(path) as c:
        CachedEncoder(CountingEncoder(), c).encode(TEXTS)
    inner = CountingEncoder()
    with EmbeddingCache(path) as c:
        CachedEncoder(inner, c).encode(TEXTS + ["Nouvelle phrase."])
    assert inner.seen == ["Nouvelle phrase."]


def test_vectors_round_trip_exactly(cache):
    vectors = np.random.default_rng(0).normal(size=(3, 5)).astype(np.float32)
    cache.put("m", TEXTS, vectors)
    got, found = cache.get("m", TEXTS, 5)
    assert found.all() and got.dtype == np.float32
    np.testing.assert_array_equal(got, vectors)


def test_entries_are_separate_per_model_and_dimension(cache):
    cache.put("a", TEXTS[:1], np.ones((1, 4), np.float32))
    assert not cache.get("b", TEXTS[:1], 4)[1].any()
    assert not cache.get("a", TEXTS[:1], 8)[1].any()
    assert cache.get("a", TEXTS[:1], 4)[1].all()


def test_repeated_texts_are_encoded_once_and_progress_covers_all(cache):
    inner = CountingEncoder()
    done = []
    out = CachedEncoder(inner, cache).encode(["a", "b", "a", "a"], batch_size=1, progress=done.append)
    assert inner.seen == ["a", "b"]
    assert sum(done) == 4
    np.testing.assert_array_equal(out[0], out[2])


def test_failed_write_leaves_no_partial_rows(cache):
    cache.put("m", ["déjà là"], np.ones((1, 3), np.float32))
    with pytest.raises(RuntimeError):
        cache.put("m", ExplodingTexts(TEXTS, ok=2), np.zeros((3, 3), np.float32))
    assert cache.count("m") == 1
    _, found = cache.get("m", TEXTS + ["déjà là"], 3)
    assert found.tolist() == [False, False, False, True]


def test_killed_process_mid_write_leaves_cache_readable(tmp_path):
    path = tmp_path / "emb.sqlite3"
    with EmbeddingCache(path) as c:
        c.put("m", ["avant"], np.ones((1, 3), np.float32))
    # A child process dies abruptly (no rollback, no close) after writing two of three rows.
    script = f"""
import os, numpy as np
from embeddings.cache import EmbeddingCache
def texts():
    yield "un"
    yield "deux"
    os._exit(1)
c = EmbeddingCache({str(path)!r})
class T:
    def __len__(self): return 3
    def __iter__(self): return texts()
c.put("m", T(), np.zeros((3, 3), np.float32))
"""
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO)
    assert proc.returncode == 1
    with EmbeddingCache(path) as c:
        assert c.count("m") == 1
        assert c.get("m", ["avant", "un", "deux"], 3)[1].tolist() == [True, False, False]


def test_clear_forgets_one_model(cache):
    cache.put("a", TEXTS, np.ones((3, 2), np.float32))
    cache.put("b", TEXTS, np.ones((3, 2), np.float32))
    cache.clear("a")
    assert cache.count("a") == 0 and cache.count("b") == 3


def test_cached_encoder_keeps_name_and_dim(cache):
    enc = CachedEncoder(CountingEncoder(), cache)
    assert (enc.name, enc.dim) == ("counting", 6)
    assert enc.encode([]).shape == (0, 6)
    with pytest.raises(ValueError):
        CachedEncoder(CountingEncoder(), cache, flush_every=0)


def test_a_rebuilt_model_does_not_read_vectors_of_the_previous_build(cache):
    class Rebuilt(CountingEncoder):
        cache_key = "counting/v2"  # same name, new build version

    CachedEncoder(CountingEncoder(), cache).encode(TEXTS)
    rebuilt = Rebuilt()
    CachedEncoder(rebuilt, cache).encode(TEXTS)
    assert sorted(rebuilt.seen) == sorted(TEXTS)
