"""Locating and reading ``../shared/eval``: public data labelled by others.

The folder sits beside the repository (``$CLAIMS_EVAL_DIR`` overrides it) and is absent on a
user's machine: every reader raises :class:`EvalDataMissing`, which benchmarks and the
training commands turn into a "skipped" message.

Readers: STS-B French (:func:`read_stsb_fr`), CheckThat! 2020 task 2 (:func:`read_checkthat`)
and E-FRA stance tweets (:func:`load_efra`).
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path
from typing import NamedTuple, Optional

from claims.records import Attribution

REPO = Path(__file__).resolve().parents[2]


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


# -- STS-B French ------------------------------------------------------------------------


class StsPair(NamedTuple):
    sentence1: str
    sentence2: str
    score: float  # 0-5


def read_stsb_fr(split: str) -> list[StsPair]:
    """STS-B French pairs of ``split`` ("train", "dev" or "test")."""
    with eval_file("stsb-fr", f"stsb-fr-{split}.csv").open(encoding="utf-8", newline="") as f:
        return [StsPair(row[0], row[1], float(row[2])) for row in csv.reader(f) if len(row) >= 3]


# -- CheckThat! 2020 task 2 ----------------------------------------------------------------

_CHECKTHAT_URL = re.compile(r"https?://\S+|pic\.twitter\.com/\S+")


class CheckThat(NamedTuple):
    """One CheckThat! 2020 task 2 split with the verified claims."""

    claim_ids: list[str]
    claim_texts: list[str]
    query_ids: list[str]
    query_texts: list[str]
    relevant: dict[str, set[str]]  # tweet id -> verified claim ids


def checkthat_files(split: str) -> list[Path]:
    """The files :func:`read_checkthat` reads for ``split``, or :class:`EvalDataMissing`."""
    return [eval_file("checkthat2020", "verified_claims.docs.tsv"),
            eval_file("checkthat2020", split, "tweets.queries.tsv"),
            eval_file("checkthat2020", split, "tweet-vclaim-pairs.qrels")]


def _read_tsv(path, quoted: bool) -> list[list[str]]:
    # The claims file quotes fields that span lines; tweets are raw single lines.
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE))
    return [r for r in rows[1:] if r]  # first row is a header


def read_checkthat(split: str) -> CheckThat:
    """Tweets, relevance judgements and verified claims of ``split`` ("train", "dev", "test")."""
    claims_path, tweets_path, qrels_path = checkthat_files(split)
    claims = _read_tsv(claims_path, quoted=True)
    tweets = _read_tsv(tweets_path, quoted=False)
    relevant: dict[str, set[str]] = {}
    with qrels_path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 4 and parts[3] != "0":
                relevant.setdefault(parts[0], set()).add(parts[2])
    tweets = [t for t in tweets if t[0] in relevant]  # a tweet without a judgement has no answer
    return CheckThat([c[0] for c in claims], [" ".join(c[1:3]).strip() for c in claims],
                     [t[0] for t in tweets], [clean_checkthat_tweet(t[1]) for t in tweets], relevant)


def clean_checkthat_tweet(text: str) -> str:
    """A CheckThat! tweet without links (identical for every system)."""
    return " ".join(_CHECKTHAT_URL.sub(" ", text).split())


# -- E-FRA stance tweets (Lai et al. 2020) -------------------------------------------------

EFRA_LABELS = {"FAVOUR": "favor", "AGAINST": "against", "NONE": "neutral"}
EFRA_TARGETS = {"efra-macron-train": "Emmanuel Macron", "efra-macron-test": "Emmanuel Macron",
                "efra-lepen-test": "Marine Le Pen"}  # stance target of each file
_URL = re.compile(r"https?://\S+")
_SPACES = re.compile(r"\s+")


class Labelled(NamedTuple):
    """One sentence labelled with a stance (training or evaluation of the stance classifier)."""

    text: str
    stance: str
    attribution: Optional[Attribution]  # None: the author speaks (tweets)
    source: str  # "efra-macron-train", "efra-lepen-test", "examples"…


def clean_tweet(text: str) -> str:
    """Drop links and collapse white space: links carry no stance and blur embeddings."""
    return _SPACES.sub(" ", _URL.sub(" ", text)).strip()


def load_efra(split: str) -> list[Labelled]:
    """E-FRA rows: "train" = Macron ``Training`` rows; "test" = Macron ``Test`` rows + Le Pen.

    Raises:
        EvalDataMissing: when the E-FRA files are absent.
    """
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    files = [("macron_fr.csv", "macron")] + ([("lepen_fr.csv", "lepen")] if split == "test" else [])
    wanted = "Training" if split == "train" else "Test"
    rows = []
    for name, target in files:
        with open(eval_file("e-fra", name), encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                if row["Set"] == wanted:
                    rows.append(Labelled(clean_tweet(row["Tweet"]), EFRA_LABELS[row["Stance"]], None,
                                         f"efra-{target}-{split}"))
    return rows
