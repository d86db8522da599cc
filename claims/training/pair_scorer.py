"""Fit the learned pair score and choose its threshold on the tuning events.

``python -m claims.training.pair_scorer [--model e5-small] [--dry-run]`` writes the model's
entry of ``claims/data/pair_scorer.json`` (plain JSON: feature means and scales, logistic
coefficients, intercept, cosine gate) and its ``learned`` threshold in
``claims/data/thresholds.json``.

Pairs (:mod:`claims.training.pair_data`): the real-news tuning events and the tuning splits of
STS-B-fr (train) and RTE3-fr (dev), each source weighing a fixed share; PAWS-X-fr rows 1-1,000
and DACCORD ``covid`` only on request (``--sources``), see :data:`SHARES`.

The threshold is chosen on the tuning events **out of fold**: each event is grouped (with the
default pair guard, as :func:`claims.analyze` does) by a model fitted without that event, at
every threshold of a grid, and the threshold with the best pair F1 over all events wins. The
shipped weights are then fitted on every event. Held-out events are never read.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Optional, Sequence

import numpy as np

from claims.matching.pair_features import FEATURE_NAMES

# Each source's total weight. PAWS-X-fr and DACCORD are left out by default: in one linear model
# their pairs (near-total word overlap, both classes) pull the weights away from news pairs
# (out-of-fold average precision on the tuning events' pairs 0.48 -> 0.33-0.38 with PAWS-X in).
SHARES = {"realnews": 0.8, "stsb": 0.1, "rte": 0.1, "pawsx": 0.2, "daccord": 0.05}
DEFAULT_SOURCES = ("stsb", "rte")
GRID = tuple(round(t, 2) for t in np.arange(0.03, 0.951, 0.01))
COMMAND = "python -m claims.training.pair_scorer"
GATE_MARGIN = 0.02


class LogisticPairModel:
    """Logistic regression on standardised pair features, exported as plain numbers.

    Args:
        C: inverse L2 regularisation strength (scikit-learn's ``C``).

    Attributes:
        weights_: ``{"features", "mean", "scale", "coef", "intercept"}``, what
            :class:`claims.matching.learned.LearnedPairScorer` reads.
    """

    def __init__(self, C: float = 1.0):
        self.C = C

    def fit(self, features: np.ndarray, positive: np.ndarray,
            sample_weight: Optional[np.ndarray] = None) -> "LogisticPairModel":
        from sklearn.linear_model import LogisticRegression

        if not (isinstance(self.C, (int, float)) and self.C > 0 and np.isfinite(self.C)):
            raise ValueError(f"C must be a positive number, got {self.C!r}")
        x = np.asarray(features, np.float64)
        if x.ndim != 2 or x.shape[1] != len(FEATURE_NAMES):
            raise ValueError(f"features must be (pairs, {len(FEATURE_NAMES)}), got {x.shape}")
        y = np.asarray(positive, bool)
        if len(np.unique(y)) < 2:
            raise ValueError("need both positive and negative pairs")
        mean = x.mean(axis=0)
        scale = x.std(axis=0)
        scale[scale < 1e-6] = 1.0
        w = None if sample_weight is None else np.asarray(sample_weight, np.float64) / np.mean(sample_weight)
        model = LogisticRegression(C=self.C, max_iter=2000).fit((x - mean) / scale, y, sample_weight=w)
        self.weights_ = {"features": list(FEATURE_NAMES), "mean": [round(float(v), 6) for v in mean],
                         "scale": [round(float(v), 6) for v in scale],
                         "coef": [round(float(v), 6) for v in model.coef_[0]],
                         "intercept": round(float(model.intercept_[0]), 6)}
        return self


def group_event(event, scorer, thresholds: Sequence[float]) -> dict:
    """Labels of all rows of ``event`` at each threshold, scored by ``scorer`` with the default guard."""
    from benchmarks.realnews_events import default_guard_of
    from claims.matching.grouping import group_embeddings

    scorer.fit(event.texts, event.vectors)
    pipeline_guard, verdicts = default_guard_of(event), {}

    def guard(a: str, b: str):  # one verdict per pair for the whole sweep
        if (a, b) not in verdicts:
            verdicts[(a, b)] = pipeline_guard(a, b)
        return verdicts[(a, b)]
    return {t: group_embeddings(event.vectors, event.article_ids, t, 2, texts=event.texts, guard=guard,
                                pair_scorer=scorer).labels.tolist() for t in thresholds}


def out_of_fold_predictions(events, sets, public, gate: float, C: float, grid=GRID,
                            train_events: Optional[Sequence[str]] = None,
                            by_event: bool = False) -> list[dict]:
    """Labels of each event at each threshold, the event grouped by a model fitted without it.

    ``sets`` are the events' pair sets (:func:`claims.training.pair_data.event_pairs`);
    ``train_events``, when given, limits the events a model may learn from (the event being
    grouped is always left out), to compare training sets on the same events; ``by_event`` makes
    every training event weigh alike (:func:`claims.training.pair_data.concatenate`).
    """
    from claims.matching.learned import LearnedPairScorer
    from claims.training.pair_data import concatenate

    allowed = None if train_events is None else set(train_events)
    preds = []
    for event in events:
        train = [s for s in sets if len(s.group) and s.group[0] != event.id
                 and (allowed is None or s.group[0] in allowed)] + list(public)
        x, y, w, _ = concatenate(train, SHARES, by_set=by_event)
        weights = dict(LogisticPairModel(C).fit(x, y, w).weights_, gate_cosine=gate)
        preds.append(group_event(event, LearnedPairScorer(weights=weights), grid))
        print(f"... {event.id} grouped out of fold", file=sys.stderr)
    return preds


def out_of_fold_sweep(events, sets, public, gate: float, C: float, grid=GRID) -> dict:
    """Pair F1 and must-not-merge violations over the events at each threshold, each event
    grouped by a model fitted without it."""
    from benchmarks.realnews_events import score_events

    preds = out_of_fold_predictions(events, sets, public, gate, C, grid)
    return {t: score_events(events, [p[t] for p in preds]) for t in grid}


def gate_of(sets) -> float:
    """The cosine gate: the lowest cosine of a same-claim training pair, floored, minus a margin."""
    positives = np.concatenate([s.features[s.positive, 0] for s in sets])
    return round(float(np.floor(positives.min() * 100) / 100) - GATE_MARGIN, 2)


def choose_threshold(sweep: dict) -> float:
    """The threshold with the best pair F1 (ties: fewer must-not-merge claim pairs, then lower)."""
    return min(sweep, key=lambda t: (-round(sweep[t]["pair_f1"], 4),
                                     sweep[t]["must_not_merge"]["claim_pairs"], t))


def write_entry(model: str, entry: dict, threshold: float, f1: float) -> None:
    from claims.matching.learned import WEIGHTS_FILE
    from claims.models import CALIBRATION_FILE

    table = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8")) if WEIGHTS_FILE.exists() else {}
    table["command"] = COMMAND
    table["method"] = (__doc__ or "").split("\n\n")[2].replace("\n", " ")
    table.setdefault("models", {})[model] = entry
    WEIGHTS_FILE.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    thresholds = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))
    thresholds["models"].setdefault(model, {})["learned"] = threshold
    thresholds["models"][model]["learned_f1"] = round(f1, 4)
    thresholds["learned_method"] = f"tuning events of benchmarks/realnews, out of fold; {COMMAND}"
    CALIBRATION_FILE.write_text(json.dumps(thresholds, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: Optional[Sequence[str]] = None) -> int:
    from claims.models import get_encoder
    from claims.training.pair_data import concatenate, event_pairs, public_pairs, tuning_events

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--model", default="e5-small")
    parser.add_argument("--C", type=float, default=1.0, help="inverse regularisation strength")
    parser.add_argument("--sources", default=",".join(DEFAULT_SOURCES),
                        help="public tuning sources, comma-separated (of: pawsx, stsb, rte, daccord)")
    parser.add_argument("--dry-run", action="store_true", help="print, write nothing")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    encoder = get_encoder(args.model, cache=True)
    events = tuning_events(encoder)
    if not events:
        print("no real-news tuning events: the threshold cannot be chosen; nothing written")
        return 1
    sets = [event_pairs(e) for e in events]
    public = [public_pairs(s, encoder) for s in args.sources.split(",") if s]
    gate = gate_of(sets)
    print("pairs: " + ", ".join(f"{s.source} {len(s.positive)} ({int(s.positive.sum())} positive)"
                                for s in public) +
          f", realnews {sum(len(s.positive) for s in sets)} ({int(sum(s.positive.sum() for s in sets))} "
          f"positive); cosine gate {gate}")
    sweep = out_of_fold_sweep(events, sets, public, gate, args.C)
    best = choose_threshold(sweep)
    s = sweep[best]
    print(f"out of fold on {len(events)} tuning events: threshold {best}, pair P {s['pair_precision']:.3f} "
          f"R {s['pair_recall']:.3f} F1 {s['pair_f1']:.3f}, B3 F1 {s['bcubed_f1']:.3f}, must-not-merge "
          f"claim pairs {s['must_not_merge']['claim_pairs']}/{s['must_not_merge']['of_claim_pairs']}")
    band = [sweep[round(best + d, 2)]["pair_f1"] for d in (-0.02, -0.01, 0.0, 0.01, 0.02)
            if round(best + d, 2) in sweep]
    print(f"F1 within +-0.02: {min(band):.3f}-{max(band):.3f}")
    x, y, w, _ = concatenate(sets + public, SHARES)
    entry = dict(LogisticPairModel(args.C).fit(x, y, w).weights_, gate_cosine=gate,
                 C=args.C, sources=["realnews"] + [p.source for p in public],
                 tuning_out_of_fold={"threshold": best, "pair_f1": round(s["pair_f1"], 4),
                                     "bcubed_f1": round(s["bcubed_f1"], 4),
                                     "must_not_merge_claim_pairs": s["must_not_merge"]["claim_pairs"]})
    for name, c in zip(FEATURE_NAMES, entry["coef"]):
        print(f"  {name:18} {c:+.3f}")
    if not args.dry_run:
        write_entry(args.model, entry, best, s["pair_f1"])
        print("wrote claims/data/pair_scorer.json and the 'learned' threshold in claims/data/thresholds.json")
    print(f"{time.perf_counter() - start:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
