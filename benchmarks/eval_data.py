"""Locating and reading ../shared/eval (public data labelled by others).

The folder is absent on a user's machine: every reader raises :class:`EvalDataMissing`,
which benchmarks turn into a "skipped" message.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parents[1]


class EvalDataMissing(RuntimeError):
    """The public evaluation folder (or one of its files) is not on this machine."""


def eval_dir() -> Path:
    """``$CLAIMS_EVAL_DIR``, else ``shared/eval`` beside the repository."""
    return Path(os.environ.get("CLAIMS_EVAL_DIR") or REPO.parent / "shared" / "eval")


def eval_file(*parts: str) -> Path:
    """A file under the eval folder, or :class:`EvalDataMissing` naming it."""
    path = eval_dir().joinpath(*parts)
    if not path.is_file():
        raise EvalDataMissing(f"{path} not found (set CLAIMS_EVAL_DIR to the shared/eval folder)")
    return path


class StsPair(NamedTuple):
    sentence1: str
    sentence2: str
    score: float  # 0-5


def read_stsb_fr(split: str) -> list[StsPair]:
    """STS-B French pairs of ``split`` ("train", "dev" or "test")."""
    with eval_file("stsb-fr", f"stsb-fr-{split}.csv").open(encoding="utf-8", newline="") as f:
        return [StsPair(row[0], row[1], float(row[2])) for row in csv.reader(f) if len(row) >= 3]
