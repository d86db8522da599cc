"""Store timings: a first ingest of N sentences, one more article, the same articles again, a load.

STS-B-fr sentences cut into pseudo-articles of 20 sentences (as ``benchmarks.group_sizes``),
ingested into a new store in a temporary folder with the default settings (e5-small, hybrid
pair score, guards, attribution, stance; vectors from the embedding cache when there). Then
``tests/data/store_article_fr.txt`` is added (the incremental case: every stored claim keeps
its id), the same pseudo-articles are given again (nothing to do), and the store is loaded.

    python -m benchmarks.store_ingest --sizes 2000,10000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

from benchmarks.group_sizes import SENTENCES_PER_ARTICLE, stsb_texts
from benchmarks.machine import describe, machine, run_isolated
from claims.evaluation.data import REPO

RESULTS = REPO / "benchmarks" / "results" / "store_ingest.json"
NEW_ARTICLE = REPO / "tests" / "data" / "store_article_fr.txt"


def pseudo_articles(n: int) -> dict[str, str]:
    """``n`` STS-B-fr sentences as articles of 20, one paragraph a sentence."""
    texts = stsb_texts()[:n]
    return {f"a{i // SENTENCES_PER_ARTICLE:05d}": "\n\n".join(texts[i:i + SENTENCES_PER_ARTICLE])
            for i in range(0, len(texts), SENTENCES_PER_ARTICLE)}


def _timed(action):
    load = os.getloadavg()[0]
    start = time.perf_counter()
    result = action()
    return result, round(time.perf_counter() - start, 2), round(load, 2)


def run_size(n: int) -> dict:
    """The four timings at ``n`` sentences (run in its own process)."""
    from claims.store import Store

    docs = pseudo_articles(n)
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        store = Store.open(Path(folder) / "s", create=True)
        first, first_s, first_load = _timed(lambda: store.ingest(docs))
        one, one_s, one_load = _timed(lambda: store.ingest([str(NEW_ARTICLE)]))
        again, again_s, again_load = _timed(lambda: store.ingest(docs))
        analysis, load_s, load_load = _timed(store.load)
        size_mb = sum(f.stat().st_size for f in (Path(folder) / "s").iterdir()) / 2**20
        store.close()
    return {"n": n, "sentences": len(analysis.rows), "claims": len(analysis.groups),
            "first_ingest_s": first_s, "first_load": first_load,
            "one_more_s": one_s, "one_more_load": one_load, "one_more_new": len(one.claims_new),
            "one_more_kept": len(one.claims_kept), "one_more_merges": len(one.merges),
            "same_again_s": again_s, "same_again_load": again_load, "load_s": load_s, "load_load": load_load,
            "store_mb": round(size_mb, 1), "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,10000")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the isolated child run
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_size(args.one)))
        return 0
    info = machine()
    print(describe(info))
    print(f"{'n':>7} {'rows':>6} {'claims':>6} {'first':>8} {'one more':>9} {'same':>6} {'load':>6} "
          f"{'MB':>6} {'peak MB':>8}  load averages (first / one more)")
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        r = run_isolated("benchmarks.store_ingest", ["--one", str(n)], 3600)
        rows.append(r)
        if "sentences" not in r:
            print(f"{n:>7} failed: {r}")
            continue
        print(f"{r['n']:>7} {r['sentences']:>6} {r['claims']:>6} {r['first_ingest_s']:>7}s {r['one_more_s']:>8}s "
              f"{r['same_again_s']:>5}s {r['load_s']:>5}s {r['store_mb']:>6} {r['peak_mb']:>8}  "
              f"{r['first_load']} / {r['one_more_load']}; one more: {r['one_more_new']} new, "
              f"{r['one_more_kept']} kept, {r['one_more_merges']} merges")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"machine": info, "runs": rows}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
