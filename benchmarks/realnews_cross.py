"""The cross-encoder as a re-scorer of borderline pairs, judged out of fold on the TUNING events.

``python -m benchmarks.realnews_cross score --tag T --adapter PATH [--events ids]``
    scores, with one adapter file, every candidate pair (20 nearest neighbours, different
    articles) of the named tuning events (default: all ten, minus those the adapter was trained
    on) whose hybrid score lies in [:data:`BAND_LO`, :data:`BAND_HI`], and caches the
    probabilities under ``.cache/cross/probs/T/``.
``python -m benchmarks.realnews_cross evaluate --tags T1,T2``
    groups each event with the shipped hybrid score, where pairs with ``|hybrid - t| <= b``
    become ``hybrid + w * (p - q)`` (p the cross-encoder's probability, t the threshold), and
    scores the pooled predictions **out of fold**: for each event, (b, w, q) and t are the best
    micro pair F1 on the nine others. Each event's probabilities must come from exactly one of
    the tags, from a model that did not train on that event.
``python -m benchmarks.realnews_cross public --adapter PATH``
    the report splits of PAWS-X-fr, RTE3-fr and DACCORD (never trained on).

Held-out events are never loaded. Default guard without dates, as ``analyze`` runs.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

REPO = Path(__file__).resolve().parents[1]
PROBS = REPO / ".cache" / "cross" / "probs"
RESULTS = REPO / "benchmarks" / "results" / "realnews_cross.json"
BAND_LO, BAND_HI = 0.57, 0.77
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.62, 0.721, 0.01))
SETTINGS = {"base": (0.0, 0.0, 0.5)} | {
    f"b{b} w{w} q{q}": (b, w, q)
    for b, w, q in itertools.product((0.02, 0.03, 0.05), (0.05, 0.1, 0.2), (0.3, 0.5, 0.7))}


def hybrid_matrix(event) -> np.ndarray:
    """The shipped hybrid score of every pair of the event (symmetric matrix)."""
    from benchmarks.realnews_hubness import Lookup
    from claims.matching.scores import build_scorer
    from claims.models import DEFAULT_MODEL, get_encoder
    from claims.settings import resolve_settings

    s = resolve_settings(DEFAULT_MODEL, pair_score_name="hybrid")
    encoder = get_encoder(s.model.name, cache=True)
    scorer = build_scorer(s.pair_score, s.model.lexical_weight, event.texts, event.vectors, event.article_ids, encoder)
    return Lookup(scorer, len(event.texts)).matrix


def band_pairs(matrix: np.ndarray, candidates: set) -> tuple[np.ndarray, np.ndarray]:
    """(i, j), i < j, of the candidate pairs whose hybrid score lies in the re-scored band
    (other pairs keep their hybrid score, as a deployment re-scoring only candidates would)."""
    pairs = np.array(sorted(candidates), np.int64).reshape(-1, 2)
    i, j = pairs[:, 0], pairs[:, 1]
    h = matrix[i, j]
    keep = (h >= BAND_LO) & (h <= BAND_HI)
    return i[keep], j[keep]


def knn_pairs(event, k: int = 20) -> set:
    """Pairs of different articles the grouping's neighbour search hands the scorer."""
    from embeddings.index import VectorIndex

    v = np.ascontiguousarray(event.vectors, np.float32)
    found = VectorIndex().fit(v).search(v, min(len(v), k + 1))
    art = event.article_ids
    return {(min(a, b), max(a, b)) for a in range(len(v)) for b in found.ids[a]
            if b >= 0 and b != a and art[a] != art[b]}


def cmd_score(args) -> int:
    import torch

    from benchmarks.pair_guard_check import tuning_events
    from claims.matching.cross import CrossEncoder

    torch.set_num_threads(args.threads)
    events = tuning_events()
    if events is None:
        return 0
    enc = CrossEncoder.load(Path(args.adapter))
    trained = enc.meta_.get("events", "none")
    trained = {e.id for e in events} if trained == "all" else set() if trained == "none" else set(trained.split(","))
    wanted = args.events.split(",") if args.events else [e.id for e in events if e.id not in trained]
    if set(wanted) & trained:
        raise SystemExit(f"adapter trained on {sorted(set(wanted) & trained)}: not out of fold")
    out = PROBS / args.tag
    out.mkdir(parents=True, exist_ok=True)
    for e in events:
        if e.id not in wanted:
            continue
        m = hybrid_matrix(e)
        knn = knn_pairs(e)
        i, j = band_pairs(m, knn)
        texts = e.texts
        start = time.perf_counter()
        p = enc.predict_proba([texts[a] for a in i], [texts[b] for b in j])
        took = time.perf_counter() - start
        print(f"{e.id}: {len(texts)} sentences, {len(knn)} candidate pairs (20-NN, different articles), "
              f"{len(i)} in the band, {took:.1f} s, {len(i) / max(took, 1e-9):.1f} pairs/s", flush=True)
        np.savez(out / f"{e.id}.npz", i=i, j=j, p=p, seconds=took, knn=len(knn), n=len(texts))
    return 0


def load_probs(events, tags: Sequence[str]) -> list[dict]:
    found = []
    for e in events:
        files = [PROBS / t / f"{e.id}.npz" for t in tags if (PROBS / t / f"{e.id}.npz").is_file()]
        if len(files) != 1:
            raise SystemExit(f"{e.id}: probabilities in {len(files)} of the tags {tags} (need exactly one)")
        with np.load(files[0]) as f:
            found.append({k: f[k] for k in f.files})
    return found


def auc(score: np.ndarray, label: np.ndarray) -> float:
    """ROC AUC (ties counted half)."""
    from scipy.stats import rankdata

    pos = label.sum()
    neg = len(label) - pos
    if not pos or not neg:
        return float("nan")
    r = rankdata(score)
    return float((r[label].sum() - pos * (pos + 1) / 2) / (pos * neg))


def pair_diagnostics(events, mats, probs) -> None:
    """AUC of the hybrid score and of the cross-encoder on gold pairs of different articles in the band."""
    for lo, hi in ((BAND_LO, BAND_HI), (0.60, 0.72)):
        h_all, p_all, y_all = [], [], []
        for e, m, pr in zip(events, mats, probs):
            pos = {r: k for k, r in enumerate(e.scored)}
            art = e.article_ids
            for a, b, p in zip(pr["i"], pr["j"], pr["p"]):
                if a in pos and b in pos and art[a] != art[b] and lo <= m[a, b] <= hi:
                    ka, kb = sorted((pos[a], pos[b]))
                    if (ka, kb) in e.ignore:
                        continue
                    h_all.append(m[a, b])
                    p_all.append(p)
                    y_all.append(e.labels[ka] == e.labels[kb])
        y = np.array(y_all, bool)
        print(f"gold pairs of different articles, hybrid in [{lo:.2f}, {hi:.2f}]: {len(y)} ({y.sum()} same claim); "
              f"ROC AUC hybrid {auc(np.array(h_all), y):.3f}, cross-encoder {auc(np.array(p_all), y):.3f}, "
              f"hybrid + 0.1 * cross {auc(np.array(h_all) + 0.1 * np.array(p_all), y):.3f}", flush=True)


def cmd_evaluate(args) -> int:
    from benchmarks.pair_guard_check import tuning_events
    from benchmarks.realnews_events import default_guard_of
    from benchmarks.realnews_hubness import _memo_guard, out_of_fold, pair_counts
    from claims.matching.grouping import group_embeddings

    events = tuning_events()
    if events is None:
        return 0
    tags = args.tags.split(",")
    probs = load_probs(events, tags)
    mats = [hybrid_matrix(e) for e in events]
    pair_diagnostics(events, mats, probs)
    preds = []
    start = time.perf_counter()
    for e, m, pr in zip(events, mats, probs):
        guard = _memo_guard(default_guard_of(e, False))
        h = m[pr["i"], pr["j"]]
        by_setting = {}
        for name, (b, w, q) in SETTINGS.items():
            by_setting[name] = {}
            for t in THRESHOLDS:
                mat = m.copy()
                sel = np.abs(h - t) <= b
                new = h[sel] + np.float32(w) * (pr["p"][sel] - np.float32(q))
                mat[pr["i"][sel], pr["j"][sel]] = new
                mat[pr["j"][sel], pr["i"][sel]] = new
                scorer = (lambda mm: (lambda i, j, dense: mm[np.asarray(i), np.asarray(j)]))(mat)
                by_setting[name][t] = group_embeddings(e.vectors, e.article_ids, t, 2, texts=e.texts, guard=guard,
                                                       pair_scorer=scorer).labels.tolist()
        preds.append(by_setting)
        print(f"... {e.id} {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    counts = pair_counts(events, preds)
    out = {"tags": tags}
    families = {"base (threshold only)": ["base"], "cross re-score, (b, w, q) and threshold": list(SETTINGS)}
    for family, names in families.items():
        out[family] = r = out_of_fold(events, preds, names, counts)
        print(f"{family:40} OOF F1 {r['pair_f1']:.3f} (P {r['pair_precision']:.3f} R {r['pair_recall']:.3f}) "
              f"B3 {r['bcubed_f1']:.3f} MNM {r['mnm_claim']}/{r['mnm_of']} ({r['mnm_sent']})  "
              f"chosen {sorted(set(r['chosen']))}", flush=True)
    for s in SETTINGS:
        r = out_of_fold(events, preds, [s], counts)
        best = max(THRESHOLDS, key=lambda t: (sum(counts[(k, s, t)] for k in range(len(events)))[0] * 2
                                            / max(1, sum(sum(counts[(k, s, t)] for k in range(len(events)))[1:])), -t))
        tp, pp, gp = sum(counts[(k, s, best)] for k in range(len(events)))
        out[f"fixed {s}"] = {**r, "in_sample_best": [best, 2 * tp / (pp + gp)]}
        print(f"  fixed {s:18} OOF F1 {r['pair_f1']:.3f} (P {r['pair_precision']:.2f} R {r['pair_recall']:.2f}) "
              f"MNM {r['mnm_claim']}/{r['mnm_of']}; in-sample best {2 * tp / (pp + gp):.3f} @ {best}", flush=True)
    n = sum(int(p["n"]) for p in probs)
    print(f"cost: {sum(len(p['i']) for p in probs)} band pairs [{BAND_LO}, {BAND_HI}] of "
          f"{sum(int(p['knn']) for p in probs)} candidate pairs over {n} sentences; "
          f"{sum(float(p['seconds']) for p in probs):.0f} s of cross-encoder", flush=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=1, default=str) + "\n", encoding="utf-8")
    return 0


def cmd_public(args) -> int:
    """Report splits of the public pair data (never trained on): accuracy at p >= 0.5 and AUC."""
    import torch

    from benchmarks.pair_public import read_daccord, read_pawsx, read_rte
    from claims.matching.cross import CrossEncoder

    torch.set_num_threads(args.threads)
    enc = CrossEncoder.load(Path(args.adapter))
    sets = {"PAWS-X-fr rows 1001-2000 (paraphrase)": (read_pawsx()[1], False),
            "RTE3-fr test (entailment)": (read_rte()[1], False),
            "DACCORD ukraine + climat (contradiction = not same)": (read_daccord()[1], True)}
    out = {}
    for name, (pairs, flip) in sets.items():
        if 0 < args.limit < len(pairs):  # a seeded sample: CPU-bound on a shared machine
            keep = np.random.default_rng(0).permutation(len(pairs))[:args.limit]
            pairs = [pairs[k] for k in sorted(keep.tolist())]
        start = time.perf_counter()
        p = enc.predict_proba([x.a for x in pairs], [x.b for x in pairs])
        y = np.array([x.label for x in pairs], bool)
        score, pred = (1 - p, p < 0.5) if flip else (p, p >= 0.5)
        tp, fp, fn = (pred & y).sum(), (pred & ~y).sum(), (~pred & y).sum()
        f1 = 2 * tp / max(1, 2 * tp + fp + fn)
        majority = max(y.mean(), 1 - y.mean())
        out[name] = r = {"n": len(y), "accuracy": float((pred == y).mean()), "f1_positive": float(f1),
                         "auc": auc(score, y), "majority": float(majority),
                         "pairs_per_s": len(y) / (time.perf_counter() - start)}
        print(f"{name:52} n {r['n']:4} accuracy {r['accuracy']:.3f} (majority {majority:.3f}) "
              f"F1 {f1:.3f} AUC {r['auc']:.3f}  {r['pairs_per_s']:.1f} pairs/s", flush=True)
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("score")
    s.add_argument("--tag", required=True)
    s.add_argument("--adapter", required=True)
    s.add_argument("--events", default="")
    s.add_argument("--threads", type=int, default=2)
    ev = sub.add_parser("evaluate")
    ev.add_argument("--tags", required=True)
    pub = sub.add_parser("public")
    pub.add_argument("--adapter", required=True)
    pub.add_argument("--threads", type=int, default=2)
    pub.add_argument("--limit", type=int, default=0, help="a seeded sample of this many pairs per split")
    args = parser.parse_args(argv)
    return {"score": cmd_score, "evaluate": cmd_evaluate, "public": cmd_public}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
