"""Calibrate each model's similarity threshold on a tuning split; writes claims/data/thresholds.json.

``python -m benchmarks.calibrate [MODEL ...]``

Tuning data: STS-B French **dev** (never test). A pair counts as "the same claim" when its
gold score is at least 4 ("mostly equivalent"); the threshold is the cosine (or hybrid
score) that maximises F1 at telling those pairs from the rest. One number per model and
scale, because a threshold made for one model is wrong for another.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from benchmarks.eval_data import REPO, EvalDataMissing, read_stsb_fr

SAME_CLAIM_MIN_SCORE = 4.0
MODELS = ("e5-small", "e5-small-int8", "use", "minilm")
OUT = REPO / "claims" / "data" / "thresholds.json"


def best_f1_threshold(scores: np.ndarray, positive: np.ndarray) -> tuple[float, float]:
    """The threshold on ``scores`` with the best F1 for ``positive``, and that F1.

    The threshold returned is the midpoint between the cut score and the next lower one,
    so it does not sit exactly on one tuning pair.
    """
    order = np.argsort(-scores, kind="stable")
    sorted_scores, sorted_pos = scores[order], positive[order].astype(float)
    tp = np.cumsum(sorted_pos)
    predicted = np.arange(1, len(scores) + 1)
    f1 = 2 * tp / (predicted + positive.sum())
    best = int(np.argmax(f1))
    lower = sorted_scores[best + 1] if best + 1 < len(scores) else sorted_scores[best] - 1e-3
    return float((sorted_scores[best] + lower) / 2), float(f1[best])


def calibrate(model: str) -> dict:
    """Dense (and, where a hybrid scorer exists, hybrid) thresholds of ``model``."""
    from claims.pipeline import get_cached_encoder

    pairs = read_stsb_fr("dev")
    encoder = get_cached_encoder(model)
    a = encoder.encode([p.sentence1 for p in pairs])
    b = encoder.encode([p.sentence2 for p in pairs])
    dense = np.einsum("ij,ij->i", a, b)
    positive = np.array([p.score >= SAME_CLAIM_MIN_SCORE for p in pairs])
    threshold, f1 = best_f1_threshold(dense, positive)
    entry = {"dense": round(threshold, 4), "dense_dev_f1": round(f1, 4)}
    try:
        from claims.lexical import HybridScorer

        scorer = HybridScorer.for_model(model)
    except (ImportError, KeyError, ValueError):
        scorer = None
    if scorer is not None:
        texts = [p.sentence1 for p in pairs] + [p.sentence2 for p in pairs]
        scorer.fit(texts)
        idx = np.arange(len(pairs))
        hybrid = scorer(idx, idx + len(pairs), dense)
        h_threshold, h_f1 = best_f1_threshold(np.asarray(hybrid), positive)
        entry.update({"hybrid": round(h_threshold, 4), "hybrid_dev_f1": round(h_f1, 4)})
    return entry


def main(argv: list[str]) -> int:
    models = argv or list(MODELS)
    try:
        read_stsb_fr("dev")
    except EvalDataMissing as missing:
        print(f"skipped: {missing}")
        return 0
    table = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    table["method"] = (
        "STS-B-fr dev (tuning split): threshold maximising F1 of score >= "
        f"{SAME_CLAIM_MIN_SCORE} pairs; python -m benchmarks.calibrate"
    )
    table.setdefault("models", {})
    print(f"{'model':16} {'dense':>7} {'F1':>6} {'hybrid':>7} {'F1':>6}")
    for model in models:
        entry = calibrate(model)
        table["models"][model] = entry
        print(f"{model:16} {entry['dense']:7.4f} {entry['dense_dev_f1']:6.3f} "
              f"{entry.get('hybrid', float('nan')):7.4f} {entry.get('hybrid_dev_f1', float('nan')):6.3f}")
    OUT.write_text(json.dumps(table, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
