"""The learned pair score refitted on more tuning events, against the shipped fit, out of fold.

``python -m benchmarks.realnews_pair_refit [--model e5-small-int8] [--C 1.0]`` groups every real-news
**tuning** event (never a held-out one) with learned pair scores fitted without it, two ways:

* ``old``: fitted on the ten tuning events of the draw (:data:`ORIGINAL`) only, as the shipped
  weights were; on an event added later this is the shipped fit itself;
* ``new``: fitted on every tuning event of ``split.json`` (what ``python -m
  claims.training.pair_scorer`` now reads).

Both use the public tuning pairs of the training command (:data:`claims.training.pair_scorer.
DEFAULT_SOURCES`) and the default pair guard without dates, as :func:`claims.analyze` runs. Per
way, the threshold is chosen three ways: the best pooled pair F1 over all events (what the
training command writes), **per event on the other events only** (nested: the honest figure),
and the shipped threshold. Figures are printed over all tuning events, over the ten original
ones and over the events added later. The default hybrid score at its calibrated threshold is
printed beside them for reference (it learns nothing from the events but its figure bonus).

Writes ``benchmarks/results/realnews_pair_refit.json``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Optional, Sequence

from benchmarks.machine import describe, machine, write_results

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "realnews_pair_refit.json"
# The tuning events of the draw (split.json, 2026-12-01), which the shipped weights were fitted on.
ORIGINAL = ("e02", "e03", "e04", "e05", "e10", "e11", "e13", "e14", "e15", "e16")
HYBRID_GRID = tuple(round(0.60 + 0.01 * k, 2) for k in range(13))


def scores(events, labels) -> dict:
    """Pair P/R/F1, B-cubed F1 and must-not-merge claim pairs of ``labels`` over ``events``."""
    from benchmarks.realnews_events import score_events

    s = score_events(events, labels)
    m = s["must_not_merge"]
    return {"pair_precision": round(s["pair_precision"], 4), "pair_recall": round(s["pair_recall"], 4),
            "pair_f1": round(s["pair_f1"], 4), "bcubed_f1": round(s["bcubed_f1"], 4),
            "mnm_claim_pairs": m["claim_pairs"], "of_mnm_claim_pairs": m["of_claim_pairs"],
            "mnm_sentence_pairs": m["sentence_pairs"]}


def nested_thresholds(events, preds: list[dict], grid: Sequence[float]) -> list[float]:
    """For each event, the threshold with the best pooled pair F1 over the OTHER events."""
    from benchmarks.realnews_events import score_events
    from claims.training.pair_scorer import choose_threshold

    chosen = []
    for k in range(len(events)):
        others = [e for n, e in enumerate(events) if n != k]
        rest = [p for n, p in enumerate(preds) if n != k]
        chosen.append(choose_threshold({t: score_events(others, [p[t] for p in rest]) for t in grid}))
    return chosen


def report_rows(events, preds: list[dict], grid: Sequence[float], shipped: float) -> dict:
    """Scores at the pooled-best, nested and shipped thresholds, over all / original / added events."""
    from benchmarks.realnews_events import score_events
    from claims.training.pair_scorer import choose_threshold

    pooled = choose_threshold({t: score_events(events, [p[t] for p in preds]) for t in grid})
    nested = nested_thresholds(events, preds, grid)
    ways = {f"pooled best {pooled}": [p[pooled] for p in preds],
            "nested (per event, on the others)": [p[t] for p, t in zip(preds, nested)],
            f"shipped threshold {shipped}": [p[shipped] for p in preds]}
    subsets = {"all": [True] * len(events), "original": [e.id in ORIGINAL for e in events],
               "added": [e.id not in ORIGINAL for e in events]}
    out = {"pooled_threshold": pooled, "nested_thresholds": dict(zip([e.id for e in events], nested)),
           "rows": {}}
    for way, labels in ways.items():
        for subset, keep in subsets.items():
            evs = [e for e, k in zip(events, keep) if k]
            if evs:
                out["rows"][f"{way} | {subset}"] = scores(evs, [lab for lab, k in zip(labels, keep) if k])
        out["rows"][f"{way} | per event"] = {e.id: scores([e], [lab])["pair_f1"] for e, lab in zip(events, labels)}
    out["nested_counts"] = [pair_counts(e, lab) for e, lab in zip(events, ways["nested (per event, on the others)"])]
    return out


def pair_counts(event, labels) -> list[int]:
    """(true, predicted, required) pair counts of one event's labels."""
    from benchmarks.realnews_events import score_events

    r = score_events([event], [labels])
    return [r["true_pairs"], r["predicted_pairs"], r["gold_pairs"]]


def paired_bootstrap(a: list, b: list, draws: int = 2000, seed: int = 0) -> dict:
    """Pooled pair F1 of ``b`` minus ``a`` (per-event count rows) over events drawn with replacement."""
    import numpy as np

    a, b = np.asarray(a, float), np.asarray(b, float)
    rng = np.random.default_rng(seed)

    def f1(rows):
        tp, pp, gp = rows.sum(axis=0)
        return 2 * tp / (pp + gp) if pp + gp else 0.0
    diffs = np.array([f1(b[k]) - f1(a[k]) for k in rng.integers(0, len(a), (draws, len(a)))])
    return {"difference": round(f1(b) - f1(a), 4), "p05": round(float(np.quantile(diffs, 0.05)), 4),
            "p95": round(float(np.quantile(diffs, 0.95)), 4),
            "share_above_zero": round(float((diffs > 0).mean()), 3)}


def hybrid_reference(events, model: str) -> dict:
    """The default hybrid score: calibrated threshold, and a threshold chosen per event on the others."""
    import benchmarks.realnews_quality as quality
    from claims.settings import resolve_settings

    calibrated = round(resolve_settings(model, pair_score_name="hybrid").threshold.value, 4)
    preds = [{t: quality.predict(e, "hybrid", t) for t in HYBRID_GRID + (calibrated,)} for e in events]
    nested = nested_thresholds(events, preds, HYBRID_GRID)
    return {"calibrated_threshold": calibrated, "nested_thresholds": dict(zip([e.id for e in events], nested)),
            "calibrated": scores(events, [p[calibrated] for p in preds]),
            "nested": scores(events, [p[t] for p, t in zip(preds, nested)]),
            "calibrated_added": scores([e for e in events if e.id not in ORIGINAL],
                                       [p[calibrated] for e, p in zip(events, preds) if e.id not in ORIGINAL])}


def family_nested(events, preds: dict[str, list[dict]], grid: Sequence[float]) -> dict:
    """Per event, the (variant, threshold) with the best pooled pair F1 over the OTHER events;
    the events' predictions so chosen, pooled and scored."""
    import numpy as np

    from benchmarks.realnews_events import score_events

    counts = {}
    for v, by_event in preds.items():
        for k, (e, p) in enumerate(zip(events, by_event)):
            for t in grid:
                r = score_events([e], [p[t]])
                counts[(k, v, t)] = np.array([r["true_pairs"], r["predicted_pairs"], r["gold_pairs"]])
    chosen, labels = [], []
    for k in range(len(events)):
        def f1(v, t):
            tp, pp, gp = sum(counts[(o, v, t)] for o in range(len(events)) if o != k)
            return 2 * tp / (pp + gp) if pp + gp else 0.0
        v, t = max(((v, t) for v in preds for t in grid), key=lambda vt: (round(f1(*vt), 6), -vt[1]))
        chosen.append(f"{v}@{t}")
        labels.append(preds[v][k][t])
    keep = [e.id not in ORIGINAL for e in events]
    return {"chosen": dict(zip([e.id for e in events], chosen)), "all": scores(events, labels),
            "original": scores([e for e, a in zip(events, keep) if not a], [x for x, a in zip(labels, keep) if not a]),
            "added": scores([e for e, a in zip(events, keep) if a], [x for x, a in zip(labels, keep) if a])}


def _line(name: str, s: dict) -> str:
    return (f"  {name:48} P {s['pair_precision']:.3f} R {s['pair_recall']:.3f} F1 {s['pair_f1']:.3f}  "
            f"B3 {s['bcubed_f1']:.3f}  MNM {s['mnm_claim_pairs']}/{s['of_mnm_claim_pairs']} "
            f"({s['mnm_sentence_pairs']})")


def main(argv: Optional[Sequence[str]] = None) -> int:
    import benchmarks.realnews_quality as quality
    from claims.models import DEFAULT_MODEL, get_encoder
    from claims.settings import resolve_settings
    from claims.training.pair_data import event_pairs, public_pairs, tuning_events
    from claims.training.pair_scorer import DEFAULT_SOURCES, GRID, gate_of, out_of_fold_predictions

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--C", type=float, default=1.0, help="inverse regularisation strength")
    parser.add_argument("--no-hybrid", action="store_true", help="skip the hybrid reference rows")
    parser.add_argument("--family", action="store_true",
                        help="also choose C in {0.1, 1, 10} and per-event weighting (or per-pair) with the "
                             "threshold, per event on the others, for each way")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"results file (default {RESULTS.name})")
    args = parser.parse_args(argv)
    start, cpu = time.perf_counter(), time.process_time()
    quality.MODEL = args.model
    encoder = get_encoder(args.model, cache=True)
    events = tuning_events(encoder)
    if not events:
        print("realnews_pair_refit skipped: no real-news tuning events on this machine")
        return 0
    missing = sorted(set(ORIGINAL) - {e.id for e in events})
    if missing:
        raise SystemExit(f"the original tuning events are not all tuning events: {missing}")
    sets = [event_pairs(e) for e in events]
    public = [public_pairs(s, encoder) for s in DEFAULT_SOURCES]
    shipped = round(resolve_settings(args.model, pair_score_name="learned").threshold.value, 2)
    result = {"machine": machine(), "model": args.model, "C": args.C,
              "events": [e.id for e in events], "original": list(ORIGINAL), "ways": {}}
    print(f"machine: {describe(result['machine'])}")
    print(f"{len(events)} tuning events ({len(ORIGINAL)} original); pairs: " + ", ".join(
        f"{e.id} {len(s.positive)} ({int(s.positive.sum())} +)" for e, s in zip(events, sets)))
    for way, train in (("old", ORIGINAL), ("new", None)):
        train_sets = [s for e, s in zip(events, sets) if train is None or e.id in train]
        gate = gate_of(train_sets)
        preds = out_of_fold_predictions(events, sets, public, gate, args.C, GRID, train_events=train)
        entry = result["ways"][way] = {"gate_cosine": gate, **report_rows(events, preds, GRID, shipped)}
        print(f"\n{way}: learned score fitted on {'the ten original' if train else 'all'} tuning events "
              f"(without the event grouped), gate {gate}, out of fold; pooled-best threshold "
              f"{entry['pooled_threshold']}")
        for name, s in entry["rows"].items():
            if not name.endswith("per event"):
                print(_line(name, s))
        nested = entry["rows"]["nested (per event, on the others) | per event"]
        print("  nested, per event F1: " + ", ".join(f"{k} {v:.2f}" for k, v in nested.items()))
        print("  nested thresholds: " + ", ".join(f"{k} {v}" for k, v in entry["nested_thresholds"].items()))
    boot = result["bootstrap_new_minus_old"] = paired_bootstrap(result["ways"]["old"]["nested_counts"],
                                                                result["ways"]["new"]["nested_counts"])
    print(f"\nnested pair F1, new minus old: {boot['difference']:+.4f}; events drawn with replacement "
          f"(2,000 draws): 90 % interval {boot['p05']:+.4f} to {boot['p95']:+.4f}, above zero in "
          f"{boot['share_above_zero']:.0%} of draws")
    if args.family:
        result["family"] = {}
        for way, train in (("old", ORIGINAL), ("new", None)):
            gate = result["ways"][way]["gate_cosine"]
            variants = {f"C{c} {'per-event' if by_event else 'per-pair'}":
                        out_of_fold_predictions(events, sets, public, gate, c, GRID, train_events=train,
                                                by_event=by_event)
                        for c in (0.1, 1.0, 10.0) for by_event in (False, True)}
            fam = result["family"][way] = family_nested(events, variants, GRID)
            print(f"\n{way}, C, weighting and threshold chosen per event on the others:")
            for subset in ("all", "original", "added"):
                print(_line(f"family nested | {subset}", fam[subset]))
            print("  chosen: " + ", ".join(f"{k} {v}" for k, v in fam["chosen"].items()))
    if not args.no_hybrid:
        ref = result["hybrid"] = hybrid_reference(events, args.model)
        print("\nreference, default hybrid score (+ figure bonus), guard without dates:")
        print(_line(f"calibrated {ref['calibrated_threshold']} | all", ref["calibrated"]))
        print(_line(f"calibrated {ref['calibrated_threshold']} | added", ref["calibrated_added"]))
        print(_line("nested (per event, on the others) | all", ref["nested"]))
    result["seconds"] = round(time.perf_counter() - start, 1)
    result["cpu_seconds"] = round(time.process_time() - cpu, 1)
    print(f"\n{result['seconds']} s wall, {result['cpu_seconds']} s CPU, load at the end "
          f"{describe(machine())}")
    write_results(args.out, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
