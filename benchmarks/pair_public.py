"""The pair scorer on public pair data: PAWS-X-fr, RTE3-fr, DACCORD (issue 12, item 7).

``python -m benchmarks.pair_public``

Each pair is scored as the grouping scores a candidate pair: the default hybrid score
(e5-small cosine + TF-IDF of character n-grams, TF-IDF fitted on the pair's split) and the
default pair guard (different figures, negation, actors refuse a pair). Per data set:

* PAWS-X-fr: paraphrase or not. Threshold chosen on rows 1-1,000 (tuning), accuracy on rows
  1,001-2,000 (report). Word swaps that change who did what make this hard for any scorer
  without cross-sentence interaction (the PAWS authors show bag-of-words and bi-encoders near
  chance).
* RTE3-fr: entailment against the rest. Threshold on the dev file, accuracy on the test file.
* DACCORD: contradiction. A pair is called a contradiction when the guard refuses it, or
  when its score is below a threshold chosen on the ``covid`` rows (tuning); F1 of the
  contradiction class on the ``conflit ukrainien-russe`` and ``climat`` rows (report).

Beside the scorer: the majority class, and TF-IDF alone with its threshold chosen the same way;
and the learned pair score (``-S learned``, ``claims/data/pair_scorer.json``, every pair scored:
no cosine gate) with the same guard, its threshold chosen the same way on each tuning split.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Callable, NamedTuple, Optional, Sequence

import numpy as np

from benchmarks.machine import describe, machine, write_results
from claims.evaluation.data import EvalDataMissing, eval_file

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "pair_public.json"
MODEL = "e5-small"


class Pair(NamedTuple):
    a: str
    b: str
    label: bool  # the positive class: paraphrase, entailment, contradiction


def read_pawsx() -> tuple[list[Pair], list[Pair]]:
    rows = list(csv.reader(eval_file("pawsx-fr", "dev-fr.tsv").open(encoding="utf-8"), delimiter="\t",
                           quoting=csv.QUOTE_NONE))
    pairs = [Pair(a, b, label.strip() == "1") for a, b, label in (r[:3] for r in rows if len(r) >= 3)]
    return pairs[:1000], pairs[1000:2000]


def _rte(name: str) -> list[Pair]:
    with eval_file("rte3-fr", name).open(encoding="utf-8") as f:
        return [Pair(r["premise"], r["hypothesis"], r["label_text"] == "entailment")
                for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]


def read_rte() -> tuple[list[Pair], list[Pair]]:
    return _rte("RTE3-FR-dev-set-3class.tsv"), _rte("RTE3-FR-test-gold-3class.tsv")


def read_daccord() -> tuple[list[Pair], list[Pair]]:
    with eval_file("daccord", "daccord_dataset.tsv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    pairs = [(r["genre"], Pair(r["premise"], r["hypothesis"], r["label"].strip() == "1")) for r in rows]
    return [p for g, p in pairs if g == "covid"], [p for g, p in pairs if g != "covid"]


class Scored(NamedTuple):
    hybrid: np.ndarray
    tfidf: np.ndarray
    guarded: np.ndarray  # the pair guard refuses the pair
    learned: np.ndarray  # the learned pair score (claims/data/pair_scorer.json)


def score(pairs: Sequence[Pair], encoder) -> Scored:
    """The default pair score, TF-IDF alone, and the guard's verdict, for each pair."""
    from claims.matching.learned import LearnedPairScorer
    from claims.matching.pair_guards import PairGuard
    from claims.matching.scores import build_scorer, pair_score
    from claims.models import model_entry

    texts = [t for p in pairs for t in (p.a, p.b)]
    vectors = encoder.encode(texts)
    i = np.arange(0, len(texts), 2)
    j = i + 1
    cosines = np.einsum("ij,ij->i", vectors[i], vectors[j])
    entry = model_entry(MODEL)
    scorer = build_scorer(pair_score("hybrid"), entry.lexical_weight, texts, vectors,
                          [str(k // 2) for k in range(len(texts))], encoder)
    guard = PairGuard().prepare(texts)
    learned = LearnedPairScorer(MODEL, gate_cosine=-1.0).fit(texts, vectors)
    return Scored(np.asarray(scorer(i, j, cosines), np.float64),
                  np.asarray(scorer.lexical_.pair_scores(i, j), np.float64),
                  np.array([guard(p.a, p.b) is not None for p in pairs]),
                  np.asarray(learned(i, j), np.float64))


def best_threshold(values: np.ndarray, labels: np.ndarray, metric: Callable, above: bool = True) -> float:
    """The cut on ``values`` maximising ``metric`` on tuning pairs (positive when above, or below)."""
    candidates = np.unique(np.round(values, 4))
    scores = [metric(labels, values >= t if above else values < t) for t in candidates]
    return float(candidates[int(np.argmax(scores))])


def accuracy(labels, predicted) -> float:
    return float(np.mean(np.asarray(labels) == np.asarray(predicted)))


def f1(labels, predicted) -> float:
    labels, predicted = np.asarray(labels, bool), np.asarray(predicted, bool)
    tp = float(np.sum(labels & predicted))
    return 2 * tp / max(1.0, float(np.sum(labels) + np.sum(predicted)))


def evaluate(name: str, tune: Sequence[Pair], report: Sequence[Pair], encoder, metric: Callable,
             contradiction: bool = False) -> dict:
    """One data set: thresholds on ``tune``, figures on ``report`` (scorer, TF-IDF, majority)."""
    st, sr = score(tune, encoder), score(report, encoder)
    yt = np.array([p.label for p in tune])
    yr = np.array([p.label for p in report])
    out = {"tune": len(tune), "report": len(report), "positive_share": round(float(yr.mean()), 3)}
    majority = bool(yt.mean() >= 0.5)
    out["majority"] = round(metric(yr, np.full(len(yr), majority)), 3)
    no_guard_t, no_guard_r = np.zeros(len(yt), bool), np.zeros(len(yr), bool)
    for system, values_t, values_r, guard_t, guard_r in (
            ("hybrid + guard", st.hybrid, sr.hybrid, st.guarded, sr.guarded),
            ("learned + guard", st.learned, sr.learned, st.guarded, sr.guarded),
            ("tf-idf", st.tfidf, sr.tfidf, no_guard_t, no_guard_r)):
        if contradiction:  # a contradiction is a pair the guard refuses, or one scoring low
            cut = best_threshold(values_t, yt, lambda y, low: metric(y, low | guard_t), above=False)
            predicted = (values_r < cut) | guard_r
        else:  # a match is a pair scoring high that the guard lets through
            cut = best_threshold(values_t, yt, lambda y, high: metric(y, high & ~guard_t))
            predicted = (values_r >= cut) & ~guard_r
        out[system] = {"threshold": round(cut, 4), "score": round(metric(yr, predicted), 3)}
    return out


def main(argv: Optional[Sequence[str]] = None) -> int:
    from claims.models import get_encoder

    try:
        sets = {"PAWS-X-fr (accuracy; tune rows 1-1000, report 1001-2000)": (read_pawsx(), accuracy, False),
                "RTE3-fr (accuracy, entailment vs rest; tune dev, report test)": (read_rte(), accuracy, False),
                "DACCORD (contradiction F1; tune covid, report ukraine + climat)": (read_daccord(), f1, True)}
    except EvalDataMissing as missing:
        print(f"skipped: public pair data not found ({missing})")
        return 0
    encoder = get_encoder(MODEL, cache=True)
    results = {name: evaluate(name, *split, encoder, metric, contradiction)
               for name, (split, metric, contradiction) in sets.items()}
    info = machine()
    print(f"machine: {describe(info)}; model {MODEL}, default hybrid pair score and pair guard")
    print(f"{'data (metric)':66}{'majority':>9}{'tf-idf':>8}{'hybrid+guard':>14}{'learned+guard':>15}")
    for name, r in results.items():
        print(f"{name:66}{r['majority']:>9.3f}{r['tf-idf']['score']:>8.3f}{r['hybrid + guard']['score']:>14.3f}"
              f"{r['learned + guard']['score']:>15.3f}")
    write_results(RESULTS, {"machine": info, "model": MODEL, "results": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
