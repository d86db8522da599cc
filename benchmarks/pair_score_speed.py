"""What the learned pair score adds to an analysis: ``analyze`` on 5,000 sentences, hybrid vs learned.

``python -m benchmarks.pair_score_speed [--n 5000] [--repeat 2]``

The corpus of :mod:`benchmarks.group_sizes` (STS-B-fr sentences as pseudo-articles of 20,
vectors precomputed, the e5-small encoder loaded before the clock starts): the analysis as
``claims match`` runs it once vectors are cached (grouping with its guard, explain, comparison),
without attribution and stance (the stages a pair score does not
touch), with ``-S hybrid`` and ``-S learned``, alternating, ``--repeat`` times, each in its own
process; the best time of each is kept (the machine is shared). What the learned score adds is
the difference, as a share of the hybrid run: an upper bound of its share of the whole analysis,
which ``--with-full`` also times (with attribution and stance) to divide by instead.
Target (issue 12): at most 30 %.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from benchmarks.machine import describe, machine, run_isolated, write_results
from claims.evaluation.data import REPO

RESULTS = REPO / "benchmarks" / "results" / "pair_score_speed.json"


def run_one(n: int, scoring: str, light: bool = False) -> dict:
    """One timed analysis (called in a subprocess); ``light``: no attribution or stance, the
    stages the pair score does not touch."""
    import warnings

    from benchmarks.group_sizes import _rows_for, corpus
    from claims.models import get_encoder
    from claims.pipeline import analyze
    from claims.records import Article

    texts, articles, vectors = corpus(n)
    by_article: dict[str, list[str]] = {}
    for t, a in zip(texts, articles):
        by_article.setdefault(a, []).append(t)
    docs = [Article(a, "\n\n".join(ts)) for a, ts in by_article.items()]
    rows = _rows_for(docs, texts, vectors)
    encoder = get_encoder("e5-small", cache=False)
    encoder.encode(["Le modèle est chargé avant la mesure."])
    load = os.getloadavg()[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        options = {"attribution": False, "stance": False} if light else {}
        result = analyze(docs, encoder, cache=False, embeddings=rows, scoring=scoring, **options)
        seconds = time.perf_counter() - start
    return {"scoring": scoring, "light": light, "n": len(result.rows), "seconds": round(seconds, 2),
            "stages": {s.stage: round(s.seconds, 2) for s in result.timings},
            "groups": len(result.groups), "load": round(load, 2)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--bound", type=float, default=1800)
    parser.add_argument("--with-full", action="store_true",
                        help="also time the full hybrid analysis (attribution and stance on) as the base")
    parser.add_argument("--one", nargs=3, metavar=("SCORING", "N", "LIGHT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(int(args.one[1]), args.one[0], args.one[2] == "light")))
        return 0

    def once(scoring: str, light: str) -> dict:
        r = run_isolated("benchmarks.pair_score_speed", ["--one", scoring, str(args.n), light], args.bound)
        print(f"{scoring:8} {light:5} n={r.get('n')}: {r.get('seconds')} s, stages {r.get('stages')}, "
              f"groups {r.get('groups')}, load {r.get('load')}", flush=True)
        return r
    full = once("hybrid", "full") if args.with_full else None
    runs = {"hybrid": [], "learned": []}
    for _ in range(args.repeat):
        for scoring in runs:
            runs[scoring].append(once(scoring, "light"))
    best = {s: min(rs, key=lambda r: r.get("seconds", float("inf"))) for s, rs in runs.items()}
    base = full if full and "seconds" in full else best["hybrid"]
    added = (best["learned"]["seconds"] - best["hybrid"]["seconds"]) / base["seconds"]
    info = machine()
    print(f"machine: {describe(info)}")
    print(f"without attribution and stance, best of {args.repeat}: hybrid {best['hybrid']['seconds']} s, "
          f"learned {best['learned']['seconds']} s")
    if base is full:
        print(f"full analysis with hybrid: {full['seconds']} s; the learned score adds {100 * added:.0f} % (target <= 30 %)")
    else:
        print(f"the learned score adds {100 * added:.0f} % of the analysis without attribution and stance, "
              f"an upper bound of what it adds to the full one (target <= 30 %)")
    write_results(RESULTS, {"machine": info, "full_hybrid": full, "runs": runs, "added": round(added, 3)})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
