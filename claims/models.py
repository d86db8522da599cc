"""The models the pipeline can run: the one place a model is described.

Each :class:`ModelEntry` holds everything known about a model: how to load it, its
dimension, the build version that keys its cached vectors, the thresholds calibrated for
it on each pair score (``claims/data/thresholds.json``, written by
``python -m claims.training.calibrate``), its lexical weight, and whether the stance
classifier can read its vectors. Adding a model is one :func:`register` call.

Encoders are loaded lazily: :func:`get_encoder` returns a :class:`LazyEncoder` whose name,
dimension and cache key are known at once, and whose model loads on the first sentence
that really needs encoding (a warm run served by the embedding cache loads no model).

Example::

    from claims.models import get_encoder, model_entry
    entry = model_entry("e5-small")
    print(entry.dim, entry.threshold("hybrid"))
    vectors = get_encoder("e5-small").encode(["La Russie dément.", "Moscou nie."])
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional, Sequence, Union

from claims.french.resources import DATA_DIR
from embeddings.base import Encoder, Progress
from embeddings.paths import PathLike, cache_dir as default_cache_dir

if TYPE_CHECKING:
    import numpy as np

DEFAULT_MODEL = "e5-small-int8"  # chosen by benchmarks/model_choice.py (BENCHMARKS.md)
CALIBRATION_FILE = DATA_DIR / "thresholds.json"
DEFAULT_LEXICAL_WEIGHT = 0.25  # for a model nobody calibrated (hybrid and clause scores)


@lru_cache(maxsize=1)
def calibration_table() -> dict:
    """The calibration file: ``{"method": ..., "models": {name: {scale: threshold, ...}}}``."""
    with open(CALIBRATION_FILE, encoding="utf-8") as f:
        return json.load(f)


@dataclass(frozen=True)
class ModelEntry:
    """One model of the registry.

    Attributes:
        name: the name users type (``-m NAME``).
        description: one line for ``--help`` and the README table.
        load: ``load(cache_dir)`` returns the loaded :class:`~embeddings.base.Encoder`.
        dim: vector length.
        build: version of the model build; part of the embedding cache key, so vectors
            of an older build are never read.
        stance_readable: the stance classifier was fitted on vectors of this space
            (e5-small; its ONNX builds give the same stances), so they are reused.
        calibration: name of its entry in the calibration file (default: ``name``).
    """

    name: str
    description: str
    load: Callable[[Optional[PathLike]], Encoder] = field(repr=False)
    dim: int
    build: str = ""
    stance_readable: bool = False
    calibration: Optional[str] = None

    @property
    def cache_key(self) -> str:
        """What the embedding cache files this model's vectors under."""
        return f"{self.name}/{self.build}" if self.build else self.name

    def threshold(self, scale: str) -> Optional[float]:
        """The threshold calibrated for this model on pair-score ``scale``, or None."""
        value = calibration_table().get("models", {}).get(self.calibration or self.name, {}).get(scale)
        return float(value) if value is not None else None

    @property
    def lexical_weight(self) -> float:
        """Weight of the TF-IDF score beside the cosine in hybrid and clause scores."""
        value = calibration_table().get("models", {}).get(self.calibration or self.name, {}).get("lexical_weight")
        return float(value) if value is not None else DEFAULT_LEXICAL_WEIGHT


def _e5(cache: Optional[PathLike]) -> Encoder:
    from embeddings.e5 import E5Encoder

    return E5Encoder(cache)


def _e5_int8(cache: Optional[PathLike]) -> Encoder:
    from embeddings.onnx_e5 import OnnxE5Encoder

    return OnnxE5Encoder(cache)


def _e5_onnx(cache: Optional[PathLike]) -> Encoder:
    from embeddings.onnx_e5 import OnnxE5Fp32Encoder

    return OnnxE5Fp32Encoder(cache)


def _e5_ov_int8(cache: Optional[PathLike]) -> Encoder:
    from embeddings.openvino_e5 import OpenVinoInt8E5Encoder

    return OpenVinoInt8E5Encoder(_calibration_sentences, cache)


def _calibration_sentences() -> list[str]:
    """French news-style sentences written for this project, shipped with the package: what the
    OpenVINO int8 build calibrates its activation scales on (``stance_examples.tsv``, then
    ``calibration_fr.txt``: news sentences of every length and short search queries)."""
    from claims.french.resources import read_lines, read_tsv

    return ([row[0] for _, row in read_tsv(DATA_DIR / "stance_examples.tsv", 5)]
            + [line.strip() for _, line in read_lines(DATA_DIR / "calibration_fr.txt")])


def _use(cache: Optional[PathLike]) -> Encoder:
    from embeddings.use import USEEncoder

    return USEEncoder()


def _minilm(cache: Optional[PathLike]) -> Encoder:
    from embeddings.st import MiniLMEncoder

    return MiniLMEncoder()


_REGISTRY: dict[str, ModelEntry] = {}
_loaded: dict[tuple[str, str], Encoder] = {}  # loading takes seconds and hundreds of MB
_lock = threading.RLock()


def register(entry: ModelEntry, *, replace: bool = False) -> ModelEntry:
    """Add ``entry`` to the registry (``replace`` to redefine a name)."""
    if not entry.name or entry.name != entry.name.strip():
        raise ValueError(f"model name must be a non-empty string without spaces around, got {entry.name!r}")
    if entry.dim < 1:
        raise ValueError(f"model {entry.name!r}: dim must be >= 1, got {entry.dim}")
    with _lock:
        if entry.name in _REGISTRY and not replace:
            raise ValueError(f"model {entry.name!r} is already registered")
        _REGISTRY[entry.name] = entry
        for key in [k for k in _loaded if k[0] == entry.name]:
            del _loaded[key]
    return entry


def unregister(name: str) -> None:
    """Remove a model (tests plug fake models in and out)."""
    with _lock:
        _REGISTRY.pop(name, None)
        for key in [k for k in _loaded if k[0] == name]:
            del _loaded[key]


register(ModelEntry(
    "e5-small", "multilingual-e5-small, torch float32, 384 d: best French quality (STS-B-fr 0.788), slowest",
    _e5, 384, build="e5-small-st-v1", stance_readable=True))
register(ModelEntry(
    "e5-small-int8", "multilingual-e5-small, int8 ONNX (per-row activations), 384 d: the default; fastest e5, "
    "batch-independent vectors",
    _e5_int8, 384, build="e5-small-int8-onnx-v3", stance_readable=True))
register(ModelEntry(
    "e5-small-onnx", "multilingual-e5-small, float32 ONNX, 384 d: e5-small's vectors, ~3x faster than torch",
    _e5_onnx, 384, build="e5-small-onnx-fp32-v1", stance_readable=True, calibration="e5-small"))
register(ModelEntry(
    "e5-small-ov-int8", "multilingual-e5-small, int8 by NNCF on OpenVINO, 384 d: less CPU than e5-small-int8 on "
    "news-length sentences with AMX, batch-independent vectors; built at first use (needs nncf)",
    _e5_ov_int8, 384, build="e5-small-ov-int8-v2", stance_readable=True))
register(ModelEntry(
    "use", "Universal Sentence Encoder multilingual v3, numpy, 512 d: fastest, STS-B-fr 0.752",
    _use, 512))
register(ModelEntry(
    "minilm", "all-MiniLM-L6-v2, 384 d: English only, poor on French (STS-B-fr 0.649)",
    _minilm, 384))


def available_models() -> dict[str, str]:
    """Registered model names, each with its one-line description."""
    return {name: entry.description for name, entry in _REGISTRY.items()}


def stance_model_name() -> str:
    """The model whose vectors the stance classifier reads (the first stance-readable one)."""
    return next(name for name, entry in _REGISTRY.items() if entry.stance_readable)


def model_entry(name: str) -> ModelEntry:
    """The registry entry of ``name``, or an entry for a local sentence-transformers folder.

    Raises:
        ValueError: for an empty name, or a name that is neither registered nor a
            model installed on this machine (nothing is ever downloaded).
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"model name must be a non-empty string, got {name!r}")
    entry = _REGISTRY.get(name)
    if entry is not None:
        return entry
    return _local_entry(name)


def _local_entry(name: str) -> ModelEntry:
    """An entry for a sentence-transformers folder or locally cached hub id (loaded to learn its size)."""
    from embeddings.st import SentenceTransformerEncoder

    path = Path(name).expanduser()
    looks_like_path = path.is_absolute() or name.startswith((".", "~")) or path.exists()
    if looks_like_path and not path.is_dir():
        raise ValueError(f"model {name!r}: no such model folder (built-in models: {', '.join(_REGISTRY)})")
    try:
        encoder = SentenceTransformerEncoder(str(path) if looks_like_path else name, name=name)
    except ValueError:
        if looks_like_path:
            raise ValueError(f"model {name!r}: not a loadable sentence-transformers model folder") from None
        raise ValueError(f"model {name!r} is not installed locally and nothing is downloaded; "
                         f"use a local sentence-transformers folder or one of: {', '.join(_REGISTRY)}") from None
    with _lock:
        _loaded[(name, str(default_cache_dir(None)))] = encoder
    return ModelEntry(name, f"local sentence-transformers model {name}", lambda cache: encoder, encoder.dim)


class LazyEncoder(Encoder):
    """An encoder whose model loads on the first call that has sentences to encode.

    Args:
        entry: the model's registry entry (name, dimension, cache key, loader).
        cache_dir: where built models go; default :func:`embeddings.paths.cache_dir`.
    """

    def __init__(self, entry: ModelEntry, cache_dir: Optional[PathLike] = None):
        self.entry = entry
        self.name = entry.name
        self.dim = entry.dim
        self.cache_dir = cache_dir

    @property
    def cache_key(self) -> str:
        return self.entry.cache_key

    @property
    def loaded(self) -> Encoder:
        """The real encoder, loaded (and on first use built) now if it was not yet."""
        key = (self.entry.name, str(default_cache_dir(self.cache_dir)))
        with _lock:
            if key not in _loaded:
                _loaded[key] = self.entry.load(self.cache_dir)
            return _loaded[key]

    def encode(self, texts: Sequence[str], batch_size: int = 32, progress: Progress = None) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("texts must be a sequence of strings, not a single string")
        texts = list(texts)
        if not texts:
            import numpy as np

            return np.zeros((0, self.dim), np.float32)
        vectors = self.loaded.encode(texts, batch_size=batch_size, progress=progress)
        if vectors.shape != (len(texts), self.dim):
            raise ValueError(f"model {self.name!r} gave vectors of shape {vectors.shape}, "
                             f"expected ({len(texts)}, {self.dim})")
        return vectors


def get_encoder(model: Union[str, ModelEntry] = DEFAULT_MODEL, cache_dir: Optional[PathLike] = None, *,
                cache: bool = False) -> Encoder:
    """The encoder of ``model``, loaded lazily; with ``cache``, behind the embedding cache.

    Args:
        model: a registered name (see :func:`available_models`), a local
            sentence-transformers folder or model id already on disk, or an entry.
        cache_dir: where built models (and the embedding cache) go.
        cache: serve vectors from the on-disk embedding cache, storing new ones.

    Raises:
        ValueError: if ``model`` is neither registered nor installed locally.
    """
    entry = model if isinstance(model, ModelEntry) else model_entry(model)
    encoder: Encoder = LazyEncoder(entry, cache_dir)
    return cached(encoder, cache_dir) if cache else encoder


def cached(encoder: Encoder, cache_dir: Optional[PathLike] = None) -> Encoder:
    """``encoder`` behind the on-disk embedding cache of ``cache_dir``."""
    from embeddings.cache import CACHE_FILE, CachedEncoder, EmbeddingCache

    return CachedEncoder(encoder, EmbeddingCache(default_cache_dir(cache_dir) / CACHE_FILE))


__all__ = ["DEFAULT_MODEL", "LazyEncoder", "ModelEntry", "available_models", "cached", "calibration_table", "get_encoder",
           "model_entry", "register", "stance_model_name", "unregister"]
