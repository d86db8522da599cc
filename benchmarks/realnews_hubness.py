"""Hubness corrections of the hybrid pair score, judged leave one event out on the TUNING events.

``python -m benchmarks.realnews_hubness [--only PREFIX,...] [--adaptive]``

On news of one topic, every sentence is close to every other: restatements of one claim score
no higher than other claims on the topic. Corrections from the literature, and variants the measurements suggested:

* ``csls``: the cosine part of the hybrid score is discounted by how close each sentence is
  to its neighbourhood, ``cos - beta * ((r(x) + r(y)) / 2 - R0)`` (CSLS, Conneau et al. 2018,
  at beta = 1; :func:`claims.matching.hubness.neighbourhood_density`), r(x) the mean cosine
  of x to its nearest sentences of other articles at ranks ``[lo, hi)``;
* ``abtt``: "all-but-the-top" (Mu and Viswanath 2018): the vectors minus a FIXED mean, with
  their top ``D`` principal directions projected out, both computed once on STS-B-fr train
  sentences (a tuning split); ``center``: minus the corpus' own mean (corpus-dependent, for
  the size of the effect only);
* ``score-csls``: CSLS on the final hybrid score, r(x) the mean of x's k best scores;
* ``mix``: the shipped score plus ``gamma`` times the all-but-the-top cosine (its scale kept);
* ``--adaptive``: the shipped threshold moved by the event's mean density.

Candidates are retrieved on the model's vectors; the transforms act inside the pair score, as
shipping them would.

Each family is scored **out of fold**: for each tuning event, its parameters and threshold are
those with the best micro pair F1 on the nine other tuning events; the ten events' predictions
so obtained are pooled and scored (pair P/R/F1, B-cubed, must-not-merge claim pairs). Held-out
events are never loaded. Skips with one message when the texts are absent.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "realnews_hubness.json"
CACHE_PREDS = REPO / ".cache" / "benchmarks" / "realnews_hubness_preds.pkl"
STSB_TRAIN = "stsb-fr/stsb-fr-train.csv"
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.10, 0.851, 0.01))
R0 = 0.85  # a typical density under e5: keeps corrected scores near the hybrid's scale


def _memo_guard(guard):
    @lru_cache(maxsize=None)
    def check(a: str, b: str):
        return guard(a, b)
    return check


class Corrected:
    """A pair scorer minus ``beta * ((r[i] + r[j]) / 2 - R0) / (1 + w)``: the hub correction
    applied to the cosine part of the hybrid score."""

    def __init__(self, base, density: np.ndarray, beta: float, weight: float):
        self.base, self.density, self.beta, self.weight = base, density, beta, weight

    def __call__(self, i, j, dense):
        shift = self.beta * ((self.density[i] + self.density[j]) / 2.0 - R0) / (1.0 + self.weight)
        return self.base(i, j, dense) - shift.astype(np.float32)


class Lookup:
    """A fitted pair scorer evaluated once on every pair of a small corpus, then looked up."""

    def __init__(self, scorer, n: int):
        i, j = np.triu_indices(n, 1)
        self.matrix = np.zeros((n, n), np.float32)
        s = np.asarray(scorer(i, j, np.zeros(len(i), np.float32)), np.float32)
        self.matrix[i, j] = s
        self.matrix[j, i] = s

    def __call__(self, i, j, dense):
        return self.matrix[np.asarray(i), np.asarray(j)]

    def correct(self, article_ids, k: int, beta: float) -> None:
        """score - beta * ((r(x) + r(y)) / 2 - mean r), r(x) the mean of x's k best scores
        with sentences of other articles."""
        codes = np.unique(np.asarray(article_ids, dtype=object).astype(str), return_inverse=True)[1]
        other = np.where(codes[:, None] != codes[None, :], self.matrix, -np.inf)
        top = -np.sort(-other, axis=1)[:, :k]
        r = np.array([row[np.isfinite(row)].mean() if np.isfinite(row).any() else 0.0 for row in top])
        r = np.where(np.isfinite(top).any(axis=1), r, r[np.isfinite(top).any(axis=1)].mean())
        self.matrix = (self.matrix - beta * ((r[:, None] + r[None, :]) / 2 - r.mean())).astype(np.float32)


def banded_density(vectors: np.ndarray, article_ids: Sequence[str], lo: int, hi: int) -> np.ndarray:
    """Mean cosine of each vector to its nearest vectors of other articles at ranks [lo, hi)
    (rank 0 = nearest)."""
    from embeddings.index import VectorIndex

    v = np.ascontiguousarray(vectors, np.float32)
    codes = np.unique(np.asarray(article_ids, dtype=object).astype(str), return_inverse=True)[1]
    n = len(v)
    found = VectorIndex().fit(v).search(v, min(n, hi + 60))
    other = (found.ids >= 0) & (codes[np.maximum(found.ids, 0)] != codes[:, None])
    rank = np.cumsum(other, axis=1) - 1
    keep = other & (rank >= lo) & (rank < hi)
    total = np.where(keep, found.scores, 0.0).sum(axis=1)
    count = keep.sum(axis=1)
    return np.where(count > 0, total / np.maximum(count, 1), R0).astype(np.float32)


def abtt(vectors: np.ndarray, mean: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """Vectors minus ``mean`` with ``directions`` (rows, orthonormal) projected out, re-normalised."""
    x = np.asarray(vectors, np.float32) - mean
    if len(directions):
        x = x - (x @ directions.T) @ directions
    return (x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def stsb_statistics(encoder, eval_dir: Path, top: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """Mean vector and top principal directions of the STS-B-fr train sentences."""
    import csv

    with open(eval_dir / STSB_TRAIN, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    texts = list(dict.fromkeys([r[0] for r in rows] + [r[1] for r in rows]))
    v = np.asarray(encoder.encode(texts), np.float64)
    mean = v.mean(axis=0)
    _, _, vt = np.linalg.svd(v - mean, full_matrices=False)
    return mean.astype(np.float32), vt[:top].astype(np.float32)


# -- one event: labels at every (setting, threshold) ------------------------------------------
def event_predictions(event, settings: dict[str, dict], stats, thresholds=THRESHOLDS) -> dict:
    """{setting: {threshold: labels}} for one event."""
    from benchmarks.realnews_events import default_guard_of
    from claims.matching.grouping import group_embeddings
    from claims.matching.scores import build_scorer
    from claims.models import DEFAULT_MODEL, get_encoder
    from claims.settings import resolve_settings

    settings_ = resolve_settings(DEFAULT_MODEL, pair_score_name="hybrid")
    weight = settings_.model.lexical_weight
    encoder = get_encoder(settings_.model.name, cache=True)
    guard = _memo_guard(default_guard_of(event, False))
    out = {}
    scorers: dict = {}
    for name, p in settings.items():
        vectors = event.vectors
        if p.get("mix"):  # the shipped score plus a share of the all-but-the-top cosine
            mean, dirs = stats
            t = abtt(vectors, mean, dirs[: p["abtt"]])
            scorer = Lookup(build_scorer(settings_.pair_score, weight, event.texts, vectors, event.article_ids,
                                         encoder), len(vectors))
            scorer.matrix = scorer.matrix + np.float32(p["mix"]) * (t @ t.T - np.float32(0.3))
            out[name] = {t_: group_embeddings(vectors, event.article_ids, t_, 2, texts=event.texts,
                                              guard=guard, pair_scorer=scorer).labels.tolist()
                         for t_ in thresholds}
            continue
        if p.get("abtt") is not None:
            mean, dirs = stats
            vectors = abtt(vectors, mean, dirs[: p["abtt"]])
        elif p.get("center"):
            vectors = abtt(vectors, vectors.mean(axis=0), np.zeros((0, vectors.shape[1]), np.float32))
        w = p.get("w", weight)
        score = settings_.pair_score._replace(figure_bonus=p.get("bonus", settings_.pair_score.figure_bonus))
        key = (p.get("abtt"), p.get("center"), w, score.figure_bonus)
        if key not in scorers:
            scorers[key] = build_scorer(score, w, event.texts, vectors, event.article_ids, encoder)
        scorer = scorers[key]
        if p.get("beta"):
            density = banded_density(vectors, event.article_ids, p["lo"], p["hi"])
            scorer = Corrected(scorer, density, p["beta"], w)
        scorer = Lookup(scorer, len(vectors))
        if p.get("score_k"):  # CSLS on the final score: r(x) from the hybrid scores themselves
            scorer.correct(event.article_ids, p["score_k"], p["score_beta"])
        out[name] = {t: group_embeddings(event.vectors, event.article_ids, t, 2, texts=event.texts,
                                         guard=guard, pair_scorer=scorer).labels.tolist()
                     for t in thresholds}
    return out


def pair_counts(events, preds: list[dict]) -> dict:
    """(event, setting, threshold) -> (true, predicted, required) pair counts."""
    from benchmarks.realnews_events import score_events

    counts = {}
    for k, e in enumerate(events):
        for s, by_t in preds[k].items():
            for t, labels in by_t.items():
                r = score_events([e], [labels])
                counts[(k, s, t)] = np.array([r["true_pairs"], r["predicted_pairs"], r["gold_pairs"]])
    return counts


def out_of_fold(events, preds: list[dict], family: Sequence[str], counts: dict) -> dict:
    """Pooled score of each event's predictions at the (setting, threshold) best on the others."""
    from benchmarks.realnews_events import score_events

    chosen, pooled = [], []
    for k, e in enumerate(events):
        def f1(s, t):
            tp, pp, gp = sum(counts[(o, s, t)] for o in range(len(events)) if o != k)
            return 2 * tp / (pp + gp) if pp + gp else 0.0
        best = max(((s, t) for s in family for t in preds[k][s]), key=lambda st: (f1(*st), -st[1]))
        chosen.append(best)
        pooled.append(preds[k][best[0]][best[1]])
    result = score_events(events, pooled)
    return {"pair_precision": result["pair_precision"], "pair_recall": result["pair_recall"],
            "pair_f1": result["pair_f1"], "bcubed_f1": result["bcubed_f1"],
            "mnm_claim": result["must_not_merge"]["claim_pairs"],
            "mnm_of": result["must_not_merge"]["of_claim_pairs"],
            "mnm_sent": result["must_not_merge"]["sentence_pairs"],
            "chosen": [f"{s}@{t}" for s, t in chosen]}


def in_sample_best(counts: dict, n_events: int, setting: str) -> tuple[float, float]:
    """(threshold, pair F1) best over all events pooled."""
    def f1(t):
        tp, pp, gp = sum(counts[(k, setting, t)] for k in range(n_events))
        return 2 * tp / (pp + gp) if pp + gp else 0.0
    best = max(THRESHOLDS, key=lambda t: (f1(t), -t))
    return best, f1(best)


def adaptive_threshold(events, preds: list[dict], setting: str, lo: int, hi: int) -> dict:
    """Out of fold, the threshold ``t0 + a * (mean density of the event - R0)``: a corpus-level
    hubness correction (a denser topic gets a higher threshold), (t0, a) chosen on the others."""
    from benchmarks.realnews_events import score_events

    counts = pair_counts(events, [{setting: p[setting]} for p in preds])
    density = [float(banded_density(e.vectors, e.article_ids, lo, hi).mean()) for e in events]
    grid = np.array(THRESHOLDS)

    def at(k, t0, a):
        return float(grid[np.argmin(np.abs(grid - (t0 + a * (density[k] - R0))))])
    options = [(t0, a) for t0 in THRESHOLDS for a in (-2, -1, -0.5, 0, 0.5, 1, 2)]
    pooled, chosen = [], []
    for k in range(len(events)):
        def f1(option):
            tp, pp, gp = sum(counts[(o, setting, at(o, *option))] for o in range(len(events)) if o != k)
            return 2 * tp / (pp + gp) if pp + gp else 0.0
        best = max(options, key=lambda o: (f1(o), -abs(o[1])))
        chosen.append((float(best[0]), best[1]))
        pooled.append(preds[k][setting][at(k, *best)])
    r = score_events(events, pooled)
    return {"pair_f1": r["pair_f1"], "pair_precision": r["pair_precision"], "pair_recall": r["pair_recall"],
            "mnm_claim": r["must_not_merge"]["claim_pairs"], "chosen": sorted(set(chosen)),
            "per_event_best": {e.id: float(in_sample_best({(0,) + key[1:]: v for key, v in counts.items() if key[0] == k},
                                                          1, setting)[0]) for k, e in enumerate(events)}}


def all_settings() -> dict[str, dict]:
    """Every setting tried; families are name prefixes."""
    s: dict[str, dict] = {"base": {}}
    for beta, (lo, hi) in itertools.product((0.5, 1.0), ((0, 5), (0, 10), (0, 20), (10, 30))):
        s[f"csls k{lo}-{hi} b{beta}"] = {"beta": beta, "lo": lo, "hi": hi}
    for d, w in itertools.product((0, 3, 8, 16, 32), (0.5, 1.0, 2.0)):
        s[f"abtt D{d} w{w}"] = {"abtt": d, "w": w}
    for w in (0.5, 1.0):
        s[f"center w{w}"] = {"center": True, "w": w}
    # Second round: the transformed cosines spread ~6x wider between same-claim and other pairs,
    # so the TF-IDF weight and the figure bonus are re-chosen with it.
    for d, w, b in itertools.product((8, 16), (1.0, 2.0, 4.0), (0.15, 0.3)):
        s[f"abtt D{d} w{w} b{b}"] = {"abtt": d, "w": w, "bonus": b}
    # Third round: CSLS on the final hybrid score (its own neighbourhood), not the cosine.
    for k, beta in itertools.product((5, 10), (0.5, 1.0)):
        s[f"score-csls k{k} b{beta}"] = {"score_k": k, "score_beta": beta}
    # Fourth round: keep the shipped score's scale, add a share of the transformed cosine.
    for gamma in (0.1, 0.2, 0.4):
        s[f"mix D16 g{gamma}"] = {"abtt": 16, "mix": gamma}
    # Sixth round (e39-e42 added): the shipped figure bonus (0.06) re-chosen on more events.
    for b in (0.0, 0.03, 0.09, 0.12):
        s[f"bonus {b}"] = {"bonus": b}
    return s


FAMILIES: dict[str, Callable[[str], bool]] = {
    "base (threshold only)": lambda s: s == "base",
    "csls k0-5": lambda s: s == "base" or s.startswith("csls k0-5 "),
    "csls k0-10": lambda s: s == "base" or s.startswith("csls k0-10 "),
    "csls k0-20": lambda s: s == "base" or s.startswith("csls k0-20 "),
    "csls k10-30": lambda s: s == "base" or s.startswith("csls k10-30 "),
    "csls any": lambda s: s == "base" or s.startswith("csls"),
    "score-csls any": lambda s: s == "base" or s.startswith("score-csls"),
    "mix any": lambda s: s == "base" or s.startswith("mix"),
    "abtt any D, w": lambda s: s.startswith("abtt") and " b" not in s,
    "abtt D8/16, w, bonus": lambda s: s.startswith("abtt D8 ") or s.startswith("abtt D16 "),
    "abtt D8/16, w": lambda s: s.startswith("abtt D8 ") or s.startswith("abtt D16 "),
    "abtt any D, w 0.5": lambda s: s.startswith("abtt") and s.endswith("w0.5"),
    "center (per corpus)": lambda s: s.startswith("center"),
    "figure bonus any": lambda s: s == "base" or s.startswith("bonus "),
}


def main(argv: Optional[Sequence[str]] = None) -> int:
    from benchmarks.pair_guard_check import tuning_events
    from claims.evaluation.data import eval_dir

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="comma-separated setting name prefixes (default: all)")
    parser.add_argument("--adaptive", action="store_true",
                        help="only the density-adaptive threshold, on the predictions of the last run")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"results file (default {RESULTS.name})")
    args = parser.parse_args(argv)
    events = tuning_events()
    if events is None:
        return 0
    if args.adaptive:
        import pickle

        preds = pickle.loads(CACHE_PREDS.read_bytes())
        for setting in ("base", "abtt D16 w0.5"):
            for lo, hi in ((0, 10), (10, 30)):
                r = adaptive_threshold(events, preds, setting, lo, hi)
                print(f"{setting}, threshold + a * density k{lo}-{hi}: OOF F1 {r['pair_f1']:.3f} "
                      f"(P {r['pair_precision']:.3f} R {r['pair_recall']:.3f}) MNM {r['mnm_claim']}; "
                      f"chosen (t0, a) {r['chosen']}; per-event best threshold {r['per_event_best']}", flush=True)
        return 0
    settings = all_settings()
    if args.only:
        settings = {k: v for k, v in settings.items()
                    if k == "base" or any(k.startswith(p) for p in args.only.split(","))}
    stats = None
    if any("abtt" in p or "mix" in p for p in settings.values()):
        from claims.models import DEFAULT_MODEL, get_encoder

        stats = stsb_statistics(get_encoder(DEFAULT_MODEL, cache=True), eval_dir())
    start = time.perf_counter()
    preds = []
    for e in events:
        preds.append(event_predictions(e, settings, stats))
        print(f"... {e.id} {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    import pickle

    CACHE_PREDS.parent.mkdir(parents=True, exist_ok=True)
    CACHE_PREDS.write_bytes(pickle.dumps(preds))
    counts = pair_counts(events, preds)
    out = {}
    for family, member in FAMILIES.items():
        names = [s for s in settings if member(s)]
        if not names:
            continue
        out[family] = r = out_of_fold(events, preds, names, counts)
        print(f"{family:24} OOF F1 {r['pair_f1']:.3f} (P {r['pair_precision']:.3f} R {r['pair_recall']:.3f}) "
              f"B3 {r['bcubed_f1']:.3f} MNM {r['mnm_claim']}/{r['mnm_of']} ({r['mnm_sent']})  "
              f"chosen {sorted(set(r['chosen']))}", flush=True)
    for s in settings:  # threshold-only OOF of each fixed setting, and its in-sample best
        r = out_of_fold(events, preds, [s], counts)
        best, f1 = in_sample_best(counts, len(events), s)
        out[f"fixed {s}"] = {**r, "in_sample_best": [best, f1]}
        print(f"  fixed {s:22} OOF F1 {r['pair_f1']:.3f} (P {r['pair_precision']:.2f} R {r['pair_recall']:.2f}) "
              f"MNM {r['mnm_claim']}/{r['mnm_of']}; in-sample best {f1:.3f} @ {best}", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
