"""Where built models and cached embeddings live, and how cache entries are built safely.

Everything the package writes goes under :func:`cache_dir`: the environment variable
``CLAIMS_CACHE_DIR`` if set, else ``~/.cache/claims`` (never inside the git checkout by
default). A built model appears there only through one ``os.rename`` of a finished
temporary folder holding a manifest of its files, so an interrupted build never leaves
a folder that later loads, and a folder damaged afterwards is detected and rebuilt.
Problems the run recovers from are reported as one :class:`CacheWarning` each.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import logging
import os
import re
import secrets
import shutil
import socket
import tempfile
import time
import warnings
from pathlib import Path
from typing import Callable, Optional, Union

from .manifest import check_manifest, write_manifest

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
# ".tmp-<name>-<pid>[@<host tag>]-<random>": the builder of a temporary folder
_TMP_NAME = re.compile(r"^\.tmp-(?P<name>.+)-(?P<pid>\d+)(?:@(?P<host>[0-9a-f]{8}))?-[A-Za-z0-9_]+$")
STALE_AFTER = 30 * 60  # seconds without a write after which a build is taken as abandoned
_warned_folders: set[str] = set()

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


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _host_tag() -> str:
    """Short tag of this machine: a pid means nothing on another machine sharing the folder."""
    return hashlib.sha1(socket.gethostname().encode()).hexdigest()[:8]


def _temp_prefix(name: str) -> str:
    return f"{_TMP_PREFIX}{name}-{os.getpid()}@{_host_tag()}-"


def _last_write(folder: Path) -> float:
    newest = folder.lstat().st_mtime
    for root, dirs, files in os.walk(folder):
        for entry in dirs + files:
            with contextlib.suppress(OSError):
                newest = max(newest, os.lstat(os.path.join(root, entry)).st_mtime)
    return newest


def _abandoned(tmp: Path) -> bool:
    """True for a temporary build folder whose builder died, or that nobody wrote for long."""
    match = _TMP_NAME.match(tmp.name)
    if match is None:
        return False  # not one of ours
    pid, host = int(match["pid"]), match["host"]
    if (host is None or host == _host_tag()) and pid != os.getpid() and not pid_alive(pid):
        return True
    # Its builder may be alive (here, elsewhere, or a reused pid): only silence counts.
    try:
        return time.time() - _last_write(tmp) > STALE_AFTER
    except OSError:
        return False


def clean_stale_temp(parent: Path, name: Optional[str] = None) -> list[Path]:
    """Delete temporary build folders (of ``name``, or all) whose build died or stalled.

    A killed build leaves up to 0.9 GB behind. A folder is removed when its process is
    dead on this machine, or when nothing in it was written for ``STALE_AFTER`` seconds
    (builds write every few seconds to a minute): a build running in another process is
    left alone.

    Returns:
        The folders removed.
    """
    removed = []
    try:
        entries = sorted(parent.glob(f"{_TMP_PREFIX}*"))
    except OSError:
        return removed
    for tmp in entries:
        if name is not None and not tmp.name.startswith(f"{_TMP_PREFIX}{name}-"):
            continue
        if tmp.is_dir() and not tmp.is_symlink() and _abandoned(tmp):
            logger.info("removing stale temporary build folder %s", tmp)
            shutil.rmtree(tmp, ignore_errors=True)
            removed.append(tmp)
    return removed


def discard(target: Path, problem: str) -> bool:
    """Remove a damaged built folder, with one warning; False if it cannot be removed.

    The folder is first renamed out of the way in one step (a concurrent run sees either
    the old folder or none), then deleted; a deletion cut short is cleaned up later
    like any stale temporary folder.
    """
    trash = target.parent / f"{_temp_prefix(target.name)}trash{secrets.token_hex(4)}"
    try:
        os.rename(target, trash)
    except FileNotFoundError:
        return True  # removed by a concurrent run already
    except OSError as exc:
        warn(f"built model {target} is damaged ({problem}) and cannot be removed ({reason(exc)}); "
             "building a private copy for this run")
        return False
    warn(f"built model {target} was damaged ({problem}); removed it, rebuilding")
    if trash.is_dir() and not trash.is_symlink():
        shutil.rmtree(trash, ignore_errors=True)
    else:
        trash.unlink(missing_ok=True)
    return True


def folder_unusable(folder: Path, exc: OSError) -> None:
    """Warn, once per folder, that the cache cannot be created or written there."""
    missing = Path(folder)
    while not missing.parent.exists() and missing.parent != missing:
        missing = missing.parent  # the folder whose creation failed: shared by all users
    if str(missing) not in _warned_folders:
        _warned_folders.add(str(missing))
        warn(f"cache folder {missing} cannot be created or written ({reason(exc)}); running without it "
             "(models are built in a temporary folder, sentence vectors are not kept)")


def _build_private(target: Path, build: Callable[[Path], None], exc: Optional[OSError]) -> Path:
    """Build into a temporary folder removed at exit, when the cache cannot hold the model."""
    if exc is not None:
        folder_unusable(target.parent, exc)
    folder = Path(tempfile.mkdtemp(prefix="claims-model-"))
    atexit.register(shutil.rmtree, folder, True)
    out = folder / target.name
    out.mkdir()
    try:
        build(out)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return out


def build_once(target: Path, build: Callable[[Path], None]) -> Path:
    """Return ``target``, building it first with ``build(tmp_folder)`` if absent or damaged.

    ``build`` writes the complete content into an empty temporary folder beside
    ``target``; a manifest of the files is written last (see :mod:`embeddings.manifest`)
    and the folder is renamed to ``target`` in one step. If the build raises (or the
    process is killed), ``target`` does not exist afterwards; leftover temporary folders
    of dead builds are removed on the next call. An existing ``target`` is used only if
    it matches its manifest; otherwise it is removed (one warning) and rebuilt. If
    another process finishes the same build first, its result is kept and ours
    discarded. If the folder cannot be written, the model is built for this run only.
    """
    target = Path(target)
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _build_private(target, build, exc)
    clean_stale_temp(parent)
    if target.exists() or target.is_symlink():
        problem = check_manifest(target) if target.is_dir() else "it is not a folder"
        if problem is None:
            return target
        if not discard(target, problem):
            return _build_private(target, build, None)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=_temp_prefix(target.name), dir=parent))
    except OSError as exc:
        return _build_private(target, build, exc)
    os.chmod(tmp, 0o755)  # mkdtemp makes it private; the built model is not secret
    try:
        build(tmp)
        write_manifest(tmp)  # last: a folder without a complete manifest is never trusted
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
