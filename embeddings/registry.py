"""Encoders by name: the built-in ones, or any sentence-transformers model on disk."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable, Optional

from .base import Encoder
from .paths import PathLike, cache_dir as default_cache_dir

DEFAULT_ENCODER = "e5-small"

_DESCRIPTIONS = {
    "e5-small": "multilingual-e5-small, torch float32, 384 d: best French quality (STS-B-fr 0.788), slowest",
    "e5-small-int8": "multilingual-e5-small, int8 ONNX, 384 d: several times faster, STS-B-fr 0.773",
    "use": "Universal Sentence Encoder multilingual v3, numpy, 512 d: fastest, STS-B-fr 0.752",
    "minilm": "all-MiniLM-L6-v2, 384 d: English only, poor on French (STS-B-fr 0.649)",
}


def _make_e5(cache: Optional[PathLike]) -> Encoder:
    from .e5 import E5Encoder

    return E5Encoder(cache)


def _make_e5_int8(cache: Optional[PathLike]) -> Encoder:
    from .onnx_e5 import OnnxE5Encoder

    return OnnxE5Encoder(cache)


def _make_use(cache: Optional[PathLike]) -> Encoder:
    from .use import USEEncoder

    return USEEncoder()


def _make_minilm(cache: Optional[PathLike]) -> Encoder:
    from .st import MiniLMEncoder

    return MiniLMEncoder()


_FACTORIES: dict[str, Callable[[Optional[PathLike]], Encoder]] = {
    "e5-small": _make_e5,
    "e5-small-int8": _make_e5_int8,
    "use": _make_use,
    "minilm": _make_minilm,
}

# Loading a model takes seconds and hundreds of MB: one instance per (name, cache) per process.
_loaded: dict[tuple[str, str], Encoder] = {}
_lock = threading.Lock()


def available_encoders() -> dict[str, str]:
    """Built-in encoder names, each with a one-line description."""
    return dict(_DESCRIPTIONS)


def get_encoder(name: str = DEFAULT_ENCODER, cache_dir: Optional[PathLike] = None) -> Encoder:
    """Return the encoder called ``name``, loading (and on first use building) it.

    Args:
        name: a built-in name (see :func:`available_encoders`), or a
            sentence-transformers model folder or model id already on disk.
        cache_dir: where built models go; default :func:`embeddings.paths.cache_dir`.

    Returns:
        A loaded encoder, shared with earlier calls that used the same arguments.

    Raises:
        ValueError: if ``name`` is not built in and not installed locally (nothing
            is ever downloaded).
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"encoder name must be a non-empty string, got {name!r}")
    key = (name, str(default_cache_dir(cache_dir)))
    with _lock:
        if key not in _loaded:
            factory = _FACTORIES.get(name)
            if factory is not None:
                _loaded[key] = factory(cache_dir)
            else:
                _loaded[key] = _make_local_sentence_transformer(name)
        return _loaded[key]


def _make_local_sentence_transformer(name: str) -> Encoder:
    from .st import SentenceTransformerEncoder

    path = Path(name).expanduser()
    looks_like_path = path.is_absolute() or name.startswith((".", "~")) or path.exists()
    if looks_like_path and not path.is_dir():
        raise ValueError(f"encoder {name!r}: no such model folder (built-in encoders: {', '.join(_FACTORIES)})")
    try:
        return SentenceTransformerEncoder(str(path) if looks_like_path else name, name=name)
    except ValueError:
        if looks_like_path:
            raise ValueError(f"encoder {name!r}: not a loadable sentence-transformers model folder") from None
        raise ValueError(
            f"encoder {name!r} is not installed locally and nothing is downloaded; "
            f"use a local sentence-transformers folder or one of: {', '.join(_FACTORIES)}"
        ) from None
