"""The vector file of each generation, beside the database, written atomically.

``vectors-<generation>.npy`` holds one float32 unit vector per analysis row. It is written
to a temporary file and moved into place with :func:`os.replace` *before* the database
transaction that names it commits: a killed ingest leaves at most an unnamed file, which the
next ingest removes. The previous generation's file is kept so a reader that read the old
name just before a commit can still open it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterable

import numpy as np

PREFIX, SUFFIX = "vectors-", ".npy"


def vector_file_name(generation: int) -> str:
    """The file name of a generation's vectors."""
    return f"{PREFIX}{generation}{SUFFIX}"


def write_vectors(folder: Path, generation: int, vectors: np.ndarray) -> str:
    """Write ``vectors`` for ``generation`` atomically; return the file name."""
    name = vector_file_name(generation)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            np.save(f, np.ascontiguousarray(vectors, dtype=np.float32), allow_pickle=False)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)  # the usual mode of a new file, not mkstemp's 0600
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, folder / name)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return name


def read_vectors(folder: Path, name: str, rows: int) -> np.ndarray:
    """The vectors of file ``name`` (read-only), checked to hold ``rows`` rows.

    Raises:
        FileNotFoundError: when the file is gone.
        ValueError: when it is not a 2-D float32 array of ``rows`` rows.
    """
    vectors = np.load(folder / name, mmap_mode="r", allow_pickle=False)
    if vectors.ndim != 2 or len(vectors) != rows or vectors.dtype != np.float32:
        raise ValueError(f"{name} holds an array of shape {vectors.shape} ({vectors.dtype}), "
                         f"the database expects {rows} rows of float32")
    return vectors


def remove_unused(folder: Path, keep: Iterable[str]) -> None:
    """Remove vector files and temporaries not in ``keep`` (called by the one writer)."""
    keep = set(keep)
    for path in folder.iterdir():
        name = path.name
        stale_tmp = name.startswith("." + PREFIX) and name.endswith(".tmp")
        if (name.startswith(PREFIX) and name.endswith(SUFFIX) and name not in keep) or stale_tmp:
            with contextlib.suppress(OSError):
                path.unlink()


__all__ = ["read_vectors", "remove_unused", "vector_file_name", "write_vectors"]
