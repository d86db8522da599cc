"""Check that no tracked file repeats six running words of a publisher's article.

``python -m benchmarks.text_leak_check`` reads the real-news texts (``~/claims-realnews/e*/``,
outside git) and lists every line of a git-tracked file that shares a run of six or more
words with one of them. Runs that also occur in the demo corpus ``seeds/`` (written for the
project) are ignored, and so are the annotation files and the manifest, which may hold
anchors of at most six words and URLs. Exit status 1 when a line is listed, 0 otherwise;
the run skips with one message (exit 0) when the texts are absent.

A listed run may still be a set phrase any French text uses; reading the line decides.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

RUN_LENGTH = 6
ALLOWED_PATHS = ("benchmarks/realnews/annotations/", "benchmarks/realnews/manifest.jsonl")
BINARY_SUFFIXES = {".png", ".parquet", ".npy", ".onnx", ".bin", ".pt", ".safetensors", ".gz"}


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _runs(text: str) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i : i + RUN_LENGTH]) for i in range(len(words) - RUN_LENGTH + 1)}


def _runs_of_files(paths) -> set[tuple[str, ...]]:
    runs: set[tuple[str, ...]] = set()
    for path in paths:
        if path.is_file():
            runs |= _runs(path.read_text(errors="ignore"))
    return runs


def find_leaks(repo: Path, texts_dir: Path) -> list[tuple[str, int, str]]:
    """Return ``(path, line number, shared run)`` for every leaking line of ``repo``."""
    publisher = _runs_of_files(texts_dir.glob("e*/*"))
    publisher -= _runs_of_files((repo / "seeds").glob("*"))
    tracked = subprocess.run(
        ["git", "-C", str(repo), "ls-files"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    leaks = []
    for name in tracked:
        if name.startswith(ALLOWED_PATHS) or Path(name).suffix in BINARY_SUFFIXES:
            continue
        try:
            text = (repo / name).read_text()
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            words = _words(line)
            for i in range(len(words) - RUN_LENGTH + 1):
                run = tuple(words[i : i + RUN_LENGTH])
                if run in publisher:
                    leaks.append((name, number, " ".join(run)))
                    break
    return leaks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--texts-dir", type=Path, default=Path("~/claims-realnews"))
    args = parser.parse_args(argv)
    texts_dir = args.texts_dir.expanduser()
    if not any(texts_dir.glob("e*/*")):
        print(f"text_leak_check: no publisher texts under {texts_dir}; nothing to check.")
        return 0
    leaks = find_leaks(args.repo, texts_dir)
    for name, number, run in leaks:
        print(f"{name}:{number}: {run}")
    print(f"text_leak_check: {len(leaks)} line(s) share {RUN_LENGTH} running words "
          "with a publisher's text.")
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
