"""The manifest of a built model folder: every file's size and sha256, written last.

A folder is trusted only if its manifest lists exactly the files present, with the same
sizes and contents. Contents are checked by sha256 for files under ``HASH_ALWAYS``
bytes (configs, tokenizer: a few ms); the large weight files are re-hashed only when
their modification time differs from the one recorded. Hashing the 470 MB of e5-small's
weights costs about 0.5 s on every load; a damaged weights file (cut short, replaced,
rewritten) changes its size or its modification time, so the hash is paid only then.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Optional

MANIFEST = "MANIFEST.json"
VERSION = 1
HASH_ALWAYS = 32 * 1024 * 1024  # files below this are hashed on every check


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(folder: Path) -> dict[str, Path]:
    """Every entry under ``folder`` except directories and the manifest, by relative path."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            path = Path(root, name)
            rel = path.relative_to(folder).as_posix()
            if rel != MANIFEST:
                found[rel] = path
    return found


def write_manifest(folder: Path) -> None:
    """Record the files of a finished build; call it last, after every file is written."""
    entries = {}
    for rel, path in sorted(_files(folder).items()):
        st = path.stat()
        entries[rel] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": _sha256(path)}
    tmp = folder / f"{MANIFEST}.tmp"
    tmp.write_text(json.dumps({"version": VERSION, "files": entries}, indent=1))
    os.replace(tmp, folder / MANIFEST)


def check_manifest(folder: Path) -> Optional[str]:
    """Why ``folder`` cannot be trusted, or None when it matches its manifest."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
        expected = manifest["files"]
        if manifest.get("version") != VERSION or not isinstance(expected, dict):
            return "its manifest has an unknown format"
    except FileNotFoundError:
        return "it has no manifest (an older or unfinished build)"
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"its manifest is unreadable ({type(exc).__name__})"
    try:
        present = _files(folder)
        extra = sorted(set(present) - set(expected))
        if extra:
            return f"unexpected file {extra[0]}"
        for rel, entry in expected.items():
            path = present.get(rel)
            if path is None or path.is_symlink():
                return f"{rel} is missing"
            st = path.stat()
            if st.st_size != entry["size"]:
                return f"{rel} has {st.st_size} bytes instead of {entry['size']}"
            if (st.st_size < HASH_ALWAYS or st.st_mtime_ns != entry["mtime_ns"]) and _sha256(path) != entry["sha256"]:
                return f"{rel} was altered"
    except (OSError, KeyError, TypeError) as exc:
        return f"it cannot be checked ({type(exc).__name__}: {exc})"
    return None
