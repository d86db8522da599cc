"""What the learned pair score adds to an analysis: ``analyze`` on 5,000 sentences, hybrid vs learned.

``python -m benchmarks.pair_score_speed [--n 5000] [--repeat 2]``

The corpus of :mod:`benchmarks.group_sizes` (STS-B-fr sentences as pseudo-articles of 20,
vectors precomputed, the e5-small encoder loaded before the clock starts): the whole analysis
(grouping with its guard, attribution, explain, stance, comparison) as ``claims match`` runs it
once vectors are cached, with ``-S hybrid`` and with ``-S learned``, each in its own process,
alternating, ``--repeat`` times; the best time of each is kept (the machine is shared).
Target (issue 12): the learned score adds at most 30 %.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from benchmarks.machine import describe, machine, run_isolated
from claims.evaluation.data import REPO

RESULTS = REPO / "benchmarks" / "results" / "pair_score_speed.json"


def run_one(n: int, scoring: str) -> dict:
    """One timed analysis (called in a subprocess)."""
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
        result = analyze(docs, encoder, cache=False, embeddings=rows, scoring=scoring)
        seconds = time.perf_counter() - start
    return {"scoring": scoring, "n": len(result.rows), "seconds": round(seconds, 2),
            "stages": {s.stage: round(s.seconds, 2) for s in result.timings},
            "groups": len(result.groups), "load": round(load, 2)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--bound", type=float, default=1800)
    parser.add_argument("--one", nargs=2, metavar=("SCORING", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(int(args.one[1]), args.one[0])))
        return 0
    runs = {"hybrid": [], "learned": []}
    for _ in range(args.repeat):
        for scoring in runs:
            runs[scoring].append(run_isolated("benchmarks.pair_score_speed", ["--one", scoring, str(args.n)],
                                              args.bound))
            r = runs[scoring][-1]
            print(f"{scoring:8} n={r.get('n')}: {r.get('seconds')} s, group {r.get('stages', {}).get('group')} s, "
                  f"groups {r.get('groups')}, load {r.get('load')}", flush=True)
    best = {s: min(rs, key=lambda r: r.get("seconds", float("inf"))) for s, rs in runs.items()}
    added = best["learned"]["seconds"] / best["hybrid"]["seconds"] - 1.0
    info = machine()
    print(f"machine: {describe(info)}")
    print(f"best of {args.repeat}: hybrid {best['hybrid']['seconds']} s, learned {best['learned']['seconds']} s: "
          f"the learned score adds {100 * added:.0f} % (target <= 30 %)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"machine": info, "runs": runs, "added": round(added, 3)}, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
