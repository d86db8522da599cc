"""Where built models and cached embeddings live, and how cache entries are built safely.

Everything the package writes goes under :func:`cache_dir`: the environment variable
``CLAIMS_CACHE_DIR`` if set, else ``~/.cache/claims`` (never inside the git checkout by
default). A built model appears there only through one ``os.rename`` of a finished
temporary folder, so an interrupted build never leaves a folder that later loads.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Callable, Optional, Union

logger = logging.getLogger(__name__)


class CacheWarning(UserWarning):
    """A cache or built model was damaged, unwritable or missing; the run goes on without it.

    Each problem is reported once, as one line; front ends show it as a warning line.
    """


def warn(message: str) -> None:
    """Report a cache problem the run recovered from (one line, :class:`CacheWarning`)."""
    warnings.warn(message, CacheWarning, stacklevel=3)


def reason(exc: BaseException) -> str:
    """A short one-line description of an exception, for warning messages."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    name = type(exc).__name__
    return f"{name}: {text[:160]}" if text else name

ENV_VAR = "CLAIMS_CACHE_DIR"
_TMP_PREFIX = ".tmp-"

PathLike = Union[str, os.PathLike]


def cache_dir(override: Optional[PathLike] = None) -> Path:
    """Return the cache folder (not created).

    Args:
        override: explicit folder; wins over ``CLAIMS_CACHE_DIR`` and the default.
    """
    if override is not None:
        return Path(override).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "claims"


def models_dir(override: Optional[PathLike] = None) -> Path:
    """Return the folder holding built models, ``<cache_dir>/models``."""
    return cache_dir(override) / "models"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def clean_stale_temp(parent: Path, name: str) -> None:
    """Delete temporary build folders for ``name`` whose building process has died."""
    if not parent.is_dir():
        return
    for tmp in parent.glob(f"{_TMP_PREFIX}{name}-*"):
        try:
            pid = int(tmp.name[len(_TMP_PREFIX) + len(name) + 1 :].split("-", 1)[0])
        except ValueError:
            pid = -1
        if pid == os.getpid() or (pid > 0 and _pid_alive(pid)):
            continue  # a build in progress (here or in another process): leave it
        logger.info("removing stale temporary build folder %s", tmp)
        shutil.rmtree(tmp, ignore_errors=True)


def build_once(target: Path, build: Callable[[Path], None]) -> Path:
    """Return ``target``, building it first with ``build(tmp_folder)`` if it is absent.

    ``build`` writes the complete content into an empty temporary folder beside
    ``target``; the folder is then renamed to ``target`` in one step. If the build
    raises (or the process is killed), ``target`` does not exist afterwards; leftover
    temporary folders of dead processes are removed on the next call. If another
    process finishes the same build first, its result is kept and ours discarded.
    """
    target = Path(target)
    if target.is_dir():
        return target
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    clean_stale_temp(parent, target.name)
    tmp = Path(tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}{target.name}-{os.getpid()}-", dir=parent))
    os.chmod(tmp, 0o755)  # mkdtemp makes it private; the built model is not secret
    try:
        build(tmp)
        try:
            os.rename(tmp, target)
        except OSError:
            if not target.is_dir():
                raise
            logger.info("%s was built concurrently; keeping that copy", target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target
