"""Printing the results of :mod:`benchmarks.realnews_quality`."""

from __future__ import annotations

from typing import Optional

from benchmarks.machine import describe
from benchmarks.realnews_attribution import report_attribution

DESCRIBED = {
    "default": "claims.analyze defaults (e5-small, hybrid, calibrated threshold, guards on)",
    "hybrid": "claims.analyze, hybrid + guards, threshold tuned",
    "e5 cosine": "e5-small cosine + group_embeddings, no guard",
    "TF-IDF char": "TF-IDF char 3-5 + group_embeddings",
    "community_detection": "sentence-transformers community_detection on e5-small",
    "learned": "claims.analyze, learned pair score + guards, threshold chosen out of fold on tuning events",
}


def _thr(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.3f}"


def _fmt_table(rows: list[dict]) -> list[str]:
    head = (f"  {'system':26} {'thr':>6} {'pairP':>5} {'pairR':>5} {'pairF1':>6} {'B3F1':>5} "
            f"{'MNM sent':>8} {'MNM claim':>9} {'F1 +-0.02':>11} {'grp':>4}")
    lines = [head, "  " + "-" * (len(head) - 2)]
    for r in rows:
        m, b = r["must_not_merge"], r["band"]
        lines.append(
            f"  {r['system'][:26]:26} {_thr(r['threshold']):>6} {r['pair_precision']:5.2f} "
            f"{r['pair_recall']:5.2f} {r['pair_f1']:6.3f} {r['bcubed_f1']:5.2f} "
            f"{m['sentence_pairs']:>8d} {m['claim_pairs']:>4d}/{m['of_claim_pairs']:<4d} "
            f"{b['f1_min']:5.3f}-{b['f1_max']:5.3f} {r['groups']:>4d}"
            + (f" {r['checks_passed']}/3" if "checks_passed" in r else ""))
    return lines


def report(result: dict) -> None:
    print(f"machine: {describe(result['machine'])}")
    for name, g in result["gold"].items():
        print(f"{name}: {g['events']} events, {g['articles']} articles, {g['sentences']} sentences "
              f"({g['scored']} scored), {g['required_pairs']} required pairs, "
              f"{g['must_not_merge_claim_pairs']} must-not-merge claim pairs")
    gr = result["grouping"]
    print("\nHELD-OUT events (" + ", ".join(result["split"]["heldout"]) + "), thresholds chosen on "
          "tuning events; each event its own corpus, micro-averaged over events:")
    print("\n".join(_fmt_table(gr["heldout"])))
    if gr.get("demo"):
        print("\nDEMO gold (seeds/, benchmarks/gold/claims.jsonl), same thresholds; last column: "
              "the demo's three checks passed:")
        print("\n".join(_fmt_table(gr["demo"])))
    print("\ntuning events (" + ", ".join(result["split"]["tuning"]) + "), IN-SAMPLE for the "
          "tuned thresholds:")
    print("\n".join(_fmt_table(gr["tuning"])))
    print("\nthr: pair-score threshold (hybrid and default: hybrid scale; e5 cosine and "
          "community_detection: cosine; TF-IDF: TF-IDF cosine).")
    print("pairP/R/F1: over required pairs (pairs sharing only an `also` claim ignored); B3F1: "
          "B-cubed on the main-claim partition (rewards grouping nothing: see the reference row).")
    print("MNM sent: must-not-merge sentence pairs put in one group; MNM claim: annotated "
          "must-not-merge claim pairs with at least one such sentence pair / all.")
    print("F1 +-0.02: lowest-highest pair F1 at thresholds within 0.02 of the one used (0.01 steps).")
    for name, text in DESCRIBED.items():
        print(f"{name}: {text}")
    print("\ndefault, pair F1 per tuning event: " + ", ".join(
        f"{e} {f:.2f}" for e, f in result["per_event_tuning"].items()))
    report_attribution(result)
    print("\nstance of gold-group mentions with gold speakers (report only; the gold has no "
          "`against`, macro-F1 over favor and neutral):")
    for split in ("heldout", "tuning"):
        st = result["stance_gold_groups"][split]
        d, m = st["default"], st["majority"]
        print(f"  {split:8} n {d['n']:>3d}: macro-F1 {d['macro_f1']:.3f} (F1 favor "
              f"{d['f1']['favor']:.3f}, neutral {d['f1']['neutral']:.3f}), accuracy "
              f"{d['accuracy']:.3f}, predicted against {d['predicted']['against']}; "
              f"majority class macro-F1 {m['macro_f1']:.3f}")
    s = result["seconds"]
    print(f"\nseconds: encode {s['encode']}, default analyses {s['default_analyses']}, total {s['total']}")


