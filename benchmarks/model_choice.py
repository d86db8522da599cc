"""Which build of e5-small is the default: pair F1 on the real-news events and encoding speed.

``python -m benchmarks.model_choice [--models e5-small-onnx,e5-small-int8] [--heldout]``

For each model: the default grouping (hybrid pair score at the model's calibrated threshold,
default pair guard, as ``claims.analyze`` groups; the code of :mod:`benchmarks.realnews_quality`
``--quick``) on the real-news TUNING events, and the model's encoding speed on 2,000
sentences (``--speed-sentences``) of the pool of :mod:`benchmarks.end_to_end` (model loaded
before the clock, load average printed). The rule of issue 16: the default is the fastest
build (CPU time a sentence) whose tuning pair F1 is within 0.01 of the best. ``--heldout``
also scores the held-out events (aggregate only), to report once after the choice; never to
choose.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from benchmarks.machine import describe, machine
from claims.evaluation.data import REPO

RESULTS = REPO / "benchmarks" / "results" / "model_choice.json"
WITHIN = 0.01
SPEED_SENTENCES = 2000


def quality(model: str, heldout: bool) -> dict:
    """Pair F1 of the default grouping with ``model`` on the tuning (and held-out) events."""
    import benchmarks.realnews_quality as rq
    from claims.evaluation.realnews import read_split, try_load_gold
    from claims.models import get_encoder
    from claims.settings import resolve_settings

    rq.MODEL = model  # the benchmark's systems read the model name from here
    split = read_split()
    names = split["tuning"] + (split["heldout"] if heldout else [])
    gold, why = try_load_gold(names)
    if gold is None:
        return {"skipped": why}
    encoder = get_encoder(model, cache=True)
    threshold = resolve_settings(model, pair_score_name="hybrid").threshold
    out = {"threshold": threshold.value, "threshold_source": threshold.source}
    for part in ("tuning", "heldout") if heldout else ("tuning",):
        events = [rq.build_event(gold, e, encoder) for e in split[part]]
        preds = [rq.predict(e, "hybrid", threshold.value) for e in events]
        s = rq.score_events(events, preds)
        out[part] = {k: round(s[k], 4) for k in ("pair_precision", "pair_recall", "pair_f1", "bcubed_f1")}
    return out


def speed(model: str, n: int = SPEED_SENTENCES) -> dict:
    """Sentences per second of ``model`` on pool sentences (no cache; model loaded first)."""
    from benchmarks.end_to_end import french_sentences
    from claims.models import get_encoder

    texts = french_sentences()[:n]
    encoder = get_encoder(model, cache=False)
    encoder.encode(texts[:16])
    load = os.getloadavg()[0]
    cpu = time.process_time()
    start = time.perf_counter()
    encoder.encode(texts)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu  # all threads: less swayed by other programs than wall time
    return {"sentences_per_s": round(len(texts) / seconds, 1), "cpu_ms_per_sentence": round(cpu / len(texts) * 1000, 2),
            "load": round(load, 2),
            "load_after": round(os.getloadavg()[0], 2)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="e5-small-onnx,e5-small-int8")
    parser.add_argument("--heldout", action="store_true", help="also score the held-out events (report only)")
    parser.add_argument("--speed-sentences", type=int, default=SPEED_SENTENCES,
                        help="sentences encoded to time each model")
    args = parser.parse_args(argv)
    print(f"machine: {describe(machine())}")
    rows = {}
    for model in args.models.split(","):
        q = quality(model, args.heldout)
        if "skipped" in q:
            print(f"model_choice skipped: {q['skipped']}")
            return 0
        rows[model] = {**q, "speed": speed(model, args.speed_sentences)}
        r = rows[model]
        held = (f"; HELD-OUT pair F1 {r['heldout']['pair_f1']:.3f} (P {r['heldout']['pair_precision']:.3f} "
                f"R {r['heldout']['pair_recall']:.3f})" if "heldout" in r else "")
        print(f"{model:16} threshold {r['threshold']:.4f} ({r['threshold_source']}): tuning pair F1 "
              f"{r['tuning']['pair_f1']:.3f} (P {r['tuning']['pair_precision']:.3f} R {r['tuning']['pair_recall']:.3f})"
              f"{held}; encoding {r['speed']['sentences_per_s']} sentences/s, CPU {r['speed']['cpu_ms_per_sentence']} ms "
              f"a sentence (load {r['speed']['load']} -> "
              f"{r['speed']['load_after']})", flush=True)
    best = max(r["tuning"]["pair_f1"] for r in rows.values())
    eligible = [m for m, r in rows.items() if r["tuning"]["pair_f1"] >= best - WITHIN]
    # fastest by CPU time a sentence: on a shared machine wall time follows the other programs
    choice = min(eligible, key=lambda m: rows[m]["speed"]["cpu_ms_per_sentence"])
    print(f"best tuning pair F1 {best:.3f}; within {WITHIN}: {', '.join(eligible)}; fastest of them: {choice}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"machine": machine(), "models": rows, "choice": choice}, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
