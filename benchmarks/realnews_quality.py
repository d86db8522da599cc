"""Claim grouping, attribution and stance on the real-news development set (issue 12, item 7).

``python -m benchmarks.realnews_quality`` scores, on the events of ``benchmarks/realnews/``
(texts outside git, see its README; the run skips with one message, exit 0, when they are
absent):

* claim grouping, each event run as its own corpus (the articles of one event are what a
  user would compare), figures micro-averaged over events (pair counts summed, B-cubed
  averaged over sentences):

  - ``default``: :func:`claims.analyze` with its defaults (e5-small, hybrid pair score,
    calibrated threshold, pair guards on);
  - ``hybrid``: the same pipeline (guards on) at a threshold chosen on the tuning events;
  - ``e5 cosine``: plain cosine of e5-small vectors, grouped by
    :func:`claims.matching.grouping.group_embeddings` (no guard, no lexical score);
  - ``TF-IDF char``: TF-IDF character n-grams (``claims/matching/lexical.py``), same grouping;
  - ``community_detection``: ``sentence_transformers.util.community_detection`` on e5-small.

  Every tuned threshold is the one with the best micro pair F1 over the **tuning** events
  (a sweep), then applied unchanged to the held-out events. Per system: pair P/R/F1,
  B-cubed F1, must-not-merge violations (sentence pairs of two must-not-merge claims put
  in one group, and how many annotated claim pairs have at least one), and fragility: the
  lowest and highest pair F1 over thresholds within +-0.02 of the chosen one.
* attribution of the default attributor against the gold speaker, cue and quote type:
  speaker exact (canonical name) and lenient (case- and accent-folded, last word), per split;
* stance of the gold groups' mentions with gold speakers (report-only; the gold has no
  ``against``, so macro-F1 is over favor and neutral).

Held-out events (``split.json``) are only ever reported in aggregate: no per-sentence output,
no error list, no per-event figure. ``--tuning-errors`` prints the errors of the tuning
events (never of the held-out ones) for reading. ``--only attribution`` scores the attribution
alone (no encoder, no grouping sweep, no stance; the attribution memo is used) on the tuning
events, and on the held-out ones in aggregate with ``--with-heldout``, for iterating on
attribution rules; it writes ``benchmarks/results/realnews_attribution.json``.

Writes ``benchmarks/results/realnews_quality.json``. Sentences marked ``skip`` in the gold
are given to the systems (they are in the articles) but not scored.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

import numpy as np

from benchmarks.machine import describe, machine
from benchmarks.realnews_attribution import (attribution_errors, attribution_scores, report_attribution,
                                             run_attribution, stance_report)
from benchmarks.realnews_events import Event, build_event, default_guard_of, same_partition, score_events
from benchmarks.realnews_report import report
from claims.evaluation.metrics import threshold_band, with_singletons
from claims.models import DEFAULT_MODEL

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "realnews_quality.json"
RESULTS_ATTRIBUTION = REPO / "benchmarks" / "results" / "realnews_attribution.json"
MODEL = DEFAULT_MODEL  # what analyze() runs by default; run() checks it
MIN_ARTICLES = 2
BAND = 0.02
STEP = 0.01


def _grid(low: float, high: float) -> tuple[float, ...]:
    return tuple(round(float(t), 2) for t in np.arange(low, high + STEP / 2, STEP))


SWEEPS = {"hybrid": _grid(0.50, 0.85), "e5 cosine": _grid(0.78, 0.96),
          "TF-IDF char": _grid(0.10, 0.80), "community_detection": _grid(0.78, 0.96)}


# -- one event -------------------------------------------------------------------------------
# -- systems: labels of all rows of one event at one threshold --------------------------------
def _hybrid(event: Event, threshold: float) -> list:
    """What :func:`claims.analyze` groups (hybrid pair score, default pair guard) at ``threshold``.

    The same public calls as :func:`claims.analyze` makes (pair scorer, guard, grouping), with the pair scorer fitted and the guard
    (``claims.pipeline.default_guard``) built once per event for the whole sweep. :func:`run` checks that
    this gives the default analysis' groups at the calibrated threshold.
    """
    from claims.matching.grouping import group_embeddings

    if "hybrid" not in event.extra:
        from claims.matching.scores import build_scorer
        from claims.models import get_encoder
        from claims.settings import resolve_settings

        settings = resolve_settings(MODEL, pair_score_name="hybrid")
        scorer = build_scorer(settings.pair_score, settings.model.lexical_weight, event.texts,
                              event.vectors, event.article_ids, get_encoder(MODEL, cache=True))
        event.extra["hybrid"] = scorer, default_guard_of(event, PREVIEW_DATES)
    scorer, guard = event.extra["hybrid"]
    return group_embeddings(event.vectors, event.article_ids, threshold, MIN_ARTICLES,
                            texts=event.texts, guard=guard, pair_scorer=scorer).labels.tolist()


PREVIEW_DATES = False  # --quick: give the guard the article dates (analyze() does not)


def _cosine(event: Event, threshold: float) -> list:
    from claims.matching.grouping import group_embeddings

    return group_embeddings(event.vectors, event.article_ids, threshold, MIN_ARTICLES).labels.tolist()


def _tfidf(event: Event, threshold: float) -> list:
    from benchmarks.quality import tfidf_vectors
    from claims.matching.grouping import group_embeddings

    if "tfidf" not in event.extra:
        event.extra["tfidf"] = tfidf_vectors(event.texts)
    return group_embeddings(event.extra["tfidf"], event.article_ids, threshold, MIN_ARTICLES).labels.tolist()


def _community(event: Event, threshold: float) -> list:
    from benchmarks.quality import community_detection

    return community_detection(event.vectors, event.article_ids, threshold)


def _learned(event: Event, threshold: float) -> list:
    """The pipeline with the learned pair score (``-S learned``) and the default guard."""
    from claims.matching.grouping import group_embeddings

    if "learned" not in event.extra:
        from claims.matching.learned import LearnedPairScorer

        event.extra["learned"] = (LearnedPairScorer(MODEL).fit(event.texts, event.vectors),
                                  default_guard_of(event, PREVIEW_DATES))
    scorer, guard = event.extra["learned"]
    return group_embeddings(event.vectors, event.article_ids, threshold, MIN_ARTICLES,
                            texts=event.texts, guard=guard, pair_scorer=scorer).labels.tolist()


SYSTEMS: dict[str, Callable[[Event, float], list]] = {
    "hybrid": _hybrid, "e5 cosine": _cosine, "TF-IDF char": _tfidf,
    "community_detection": _community, "learned": _learned}


def predict(event: Event, system: str, threshold: float) -> list:
    key = (system, round(threshold, 4))
    if key not in event.preds:
        event.preds[key] = SYSTEMS[system](event, threshold)
    return event.preds[key]


def sweep(events: Sequence[Event], system: str, thresholds: Iterable[float]) -> dict:
    return {t: score_events(events, [predict(e, system, t) for e in events]) for t in thresholds}


def band(threshold: float) -> list[float]:
    return threshold_band(threshold, BAND, STEP)


def _row(name: str, threshold: float, tuned_on: str, scores: dict, around: dict) -> dict:
    f1s = [s["pair_f1"] for s in around.values()]
    keep = ("pair_precision", "pair_recall", "pair_f1", "bcubed_precision", "bcubed_recall",
            "bcubed_f1", "true_pairs", "predicted_pairs", "gold_pairs", "merged_distinct_claims",
            "must_not_merge", "groups", "sentences")
    return {"system": name, "threshold": threshold, "tuned_on": tuned_on,
            **{k: scores[k] for k in keep},
            "band": {"thresholds": sorted(around), "f1_min": min(f1s), "f1_max": max(f1s)}}


def grouping(tuning: Sequence[Event], heldout: Sequence[Event], demo: Sequence[Event], calibrated: dict,
             default: str) -> dict:
    """Every system on the held-out events, the demo and the tuning events; thresholds chosen
    on the tuning events (the learned score's out of fold, by its training command)."""
    splits = (("tuning", tuning), ("heldout", heldout), ("demo", demo))
    out = {name: [] for name, _ in splits}
    out["sweeps_on_tuning"] = {}
    for split, events in splits:
        if not events:
            continue
        nothing = score_events(events, [[None] * len(e.sentences) for e in events])
        out[split].append(_row("reference: no grouping", None, "-", nothing, {0.0: nothing}))
        t = calibrated[default]
        out[split].append(_row("default", t, "calibrated (claims/data/thresholds.json)",
                               score_events(events, [predict(e, default, t) for e in events]),
                               sweep(events, default, band(t))))
    for system in list(SWEEPS) + ["learned"]:
        start = time.perf_counter()
        if system in SWEEPS:
            grid = SWEEPS[system]
            found = sweep(tuning, system, grid)
            best = max(grid, key=lambda t: found[t]["pair_f1"])  # ties: the lowest threshold
            out["sweeps_on_tuning"][system] = {str(t): round(found[t]["pair_f1"], 4) for t in grid}
            tuned_on = "tuning events"
        else:
            best, tuned_on = calibrated["learned"], "tuning events, out of fold"
        for split, events in splits:
            if events:
                found = sweep(events, system, band(best))
                out[split].append(_row(system, best, tuned_on + (" (in-sample)" if split == "tuning" else ""),
                                       found[round(best, 4)], found))
        print(f"... {system}: threshold {best}, {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return out


def tuning_errors(gold, events: Sequence[Event], system: str, threshold: float) -> None:
    """Print false merges, misses and attribution errors of the TUNING events."""
    for event in events:
        labels = with_singletons(list(predict(event, system, threshold)))
        print(f"\n=== {event.id} ({system} @ {threshold}) ===")
        pos = {r: k for k, r in enumerate(event.scored)}
        for a, ra in enumerate(event.scored):
            for rb in event.scored[a + 1:]:
                b = pos[rb]
                same_gold, same_pred = event.labels[a] == event.labels[b], labels[ra] == labels[rb]
                if same_gold == same_pred or (a, b) in event.ignore:
                    continue
                kind = "MISS " if same_gold else "MERGE"
                sa, sb = event.sentences[ra], event.sentences[rb]
                print(f"{kind} {event.main[a]} | {event.main[b]}\n   {sa.article}#{sa.index} "
                      f"{sa.text[:150]!r}\n   {sb.article}#{sb.index} {sb.text[:150]!r}")
        if "attribution" in event.preds:
            attribution_errors(gold, event)


def run(errors: bool = False) -> Optional[dict]:
    from benchmarks.realnews_demo import demo_checks, demo_event
    from claims import analyze
    from claims.evaluation.realnews import read_split, try_load_gold
    from claims.matching.scores import DEFAULT_PAIR_SCORE
    from claims.models import get_encoder
    from claims.settings import resolve_settings

    split = read_split()
    gold, why = try_load_gold(split["tuning"] + split["heldout"])
    if gold is None:
        print(f"realnews_quality skipped: {why}")
        return None
    start = time.perf_counter()
    encoder = get_encoder(MODEL, cache=True)
    events = {e: build_event(gold, e, encoder) for e in split["tuning"] + split["heldout"]}
    demo = [demo_event(encoder)]
    encode_s = time.perf_counter() - start
    calibrated = {name: resolve_settings(MODEL, pair_score_name=name).threshold.value
                  for name in ("hybrid", "learned")}
    for event in events.values():  # the default system, once per event, with attribution
        analysis = analyze(event.articles, embeddings=event.vectors)
        event.preds["default"] = analysis.labels
        event.preds["attribution"] = [r.attribution for r in analysis.rows]
        if analysis.settings.threshold.source != "calibrated" or analysis.settings.model.name != MODEL \
                or analysis.settings.pair_score.name != DEFAULT_PAIR_SCORE:
            raise RuntimeError(f"the default analysis is not the calibrated {MODEL}: {analysis.settings}")
    default_s = time.perf_counter() - start - encode_s
    for event in events.values():
        if not same_partition(event.preds["default"], predict(event, DEFAULT_PAIR_SCORE,
                                                              calibrated[DEFAULT_PAIR_SCORE])):
            raise RuntimeError(f"{event.id}: the benchmark's {DEFAULT_PAIR_SCORE} grouping differs from analyze()")
    tuning = [events[e] for e in split["tuning"]]
    heldout = [events[e] for e in split["heldout"]]
    result = {
        "machine": machine(),
        "split": {"tuning": split["tuning"], "heldout": split["heldout"], "seed": split["seed"]},
        "gold": {name: {"events": len(evs), "articles": sum(len(e.articles) for e in evs),
                        "sentences": sum(len(e.sentences) for e in evs),
                        "scored": sum(len(e.scored) for e in evs),
                        "required_pairs": score_events(evs, [[None] * len(e.sentences) for e in evs])["gold_pairs"],
                        "must_not_merge_claim_pairs": sum(len(e.must_not_merge) for e in evs)}
                 for name, evs in (("tuning", tuning), ("heldout", heldout))},
        "grouping": grouping(tuning, heldout, demo, calibrated, DEFAULT_PAIR_SCORE),
        "per_event_tuning": {e.id: round(score_events([e], [e.preds["default"]])["pair_f1"], 4)
                             for e in tuning},
        "attribution": {"tuning": attribution_scores(gold, tuning),
                        "heldout": attribution_scores(gold, heldout)},
        "stance_gold_groups": {"tuning": stance_report(gold, tuning, encoder),
                               "heldout": stance_report(gold, heldout, encoder)},
        "seconds": {"encode": round(encode_s, 1), "default_analyses": round(default_s, 1),
                    "total": round(time.perf_counter() - start, 1)},
    }
    for row in result["grouping"]["demo"]:
        system = DEFAULT_PAIR_SCORE if row["system"] == "default" else row["system"]
        labels = ([None] * len(demo[0].sentences) if row["threshold"] is None
                  else predict(demo[0], system, row["threshold"]))
        row["checks_passed"] = demo_checks(demo[0], labels)
    if errors:
        tuning_errors(gold, tuning, DEFAULT_PAIR_SCORE, calibrated[DEFAULT_PAIR_SCORE])
    return result


def quick(errors: bool = False, dates: bool = True, scoring: str = "",
          only: Sequence[str] = ()) -> None:
    """``--quick``: the default grouping on the TUNING events only (no attribution, stance or
    other systems), for measuring a change to the guards or features in a minute; ``only``
    restricts it to some tuning events (held-out ones are refused)."""
    from claims.evaluation.realnews import read_split, try_load_gold
    from claims.matching.scores import DEFAULT_PAIR_SCORE
    from claims.models import get_encoder
    from claims.settings import resolve_settings

    scoring = scoring or DEFAULT_PAIR_SCORE
    global PREVIEW_DATES
    PREVIEW_DATES = dates
    split = read_split()
    names = list(only) or split["tuning"]
    refused = [e for e in names if e not in split["tuning"]]
    if refused:
        raise SystemExit(f"--events takes tuning events only; refused: {', '.join(refused)}")
    gold, why = try_load_gold(names)
    if gold is None:
        print(f"realnews_quality skipped: {why}")
        return
    start = time.perf_counter()
    encoder = get_encoder(MODEL, cache=True)
    tuning = [build_event(gold, e, encoder) for e in names]
    calibrated = resolve_settings(MODEL, pair_score_name=scoring).threshold.value
    preds = [predict(e, scoring, calibrated) for e in tuning]
    s = score_events(tuning, preds)
    m = s["must_not_merge"]
    print(f"tuning ({', '.join(names)}), {scoring} grouping @ {calibrated:.3f}: pair P {s['pair_precision']:.3f} "
          f"R {s['pair_recall']:.3f} F1 {s['pair_f1']:.3f}, B3 F1 {s['bcubed_f1']:.3f}, "
          f"MNM claim pairs {m['claim_pairs']}/{m['of_claim_pairs']} "
          f"(sentence pairs {m['sentence_pairs']}), groups {s['groups']}")
    print("per event (pair F1, MNM claim pairs): " + ", ".join(
        f"{e.id} {score_events([e], [p])['pair_f1']:.2f}/{score_events([e], [p])['must_not_merge']['claim_pairs']}"
        for e, p in zip(tuning, preds)))
    if errors:
        tuning_errors(gold, tuning, scoring, calibrated)
        for e, p in zip(tuning, preds):
            full = with_singletons(list(p))
            rows = {c: [r for r, mc in zip(e.scored, e.main) if mc == c] for c in set(e.main)}
            for a, b in e.must_not_merge:
                for ra in rows.get(a, []):
                    for rb in rows.get(b, []):
                        if full[ra] == full[rb]:
                            print(f"MNM {a} | {b}\n   {e.sentences[ra].text[:160]!r}\n"
                                  f"   {e.sentences[rb].text[:160]!r}")
    print(f"{time.perf_counter() - start:.0f} s", file=sys.stderr)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tuning-errors", action="store_true",
                        help="also print the errors of the TUNING events (never the held-out ones)")
    parser.add_argument("--quick", action="store_true",
                        help="only the default grouping on the TUNING events (no attribution, "
                             "stance, other systems or held-out events; nothing written)")
    parser.add_argument("--scoring", choices=("hybrid", "learned"), default="",
                        help="with --quick: the pair score (default: the pipeline's)")
    parser.add_argument("--events", default="",
                        help="with --quick: comma-separated tuning events (default: all tuning events)")
    parser.add_argument("--no-dates", action="store_true",
                        help="with --quick: do not give the pair guard the article dates")
    parser.add_argument("--only", choices=("attribution",),
                        help="score only this part (attribution: no encoder, grouping or stance; "
                             "tuning events only unless --with-heldout)")
    parser.add_argument("--with-heldout", action="store_true",
                        help="with --only attribution: also score the held-out events (aggregate)")
    args = parser.parse_args(argv)
    if args.quick:
        quick(errors=args.tuning_errors, dates=not args.no_dates, scoring=args.scoring,
              only=[e for e in args.events.split(",") if e])
        return 0
    if args.only == "attribution":
        result = run_attribution(errors=args.tuning_errors, heldout=args.with_heldout)
        if result is None:
            return 0
        print(f"machine: {describe(result['machine'])}")
        report_attribution(result)
        print(f"\nseconds: total {result['seconds']['total']}")
        out = RESULTS_ATTRIBUTION
    else:
        result = run(errors=args.tuning_errors)
        if result is None:
            return 0
        report(result)
        out = RESULTS
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n",
                   encoding="utf-8")
    print(f"\nwrote {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
