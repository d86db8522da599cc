"""Grouping speed and memory from 1k to 1M sentence vectors; recall of the approximate index.

``python -m benchmarks.speed [--sizes 1000,10000,100000,1000000] [--bound 900]``

Vectors are realistic without encoding a million sentences: the e5-small embeddings of the
seed sentences, mixed in random pairs plus noise (so nearest neighbours sit at cosine
0.83-0.89, like unrelated sentences on one topic), with 5 % near-duplicates (cosine ~0.94,
the paraphrases a grouping must find). Each run is a fresh subprocess, so its peak memory
is its own. Methods that would exceed the time bound at a size are not started there.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time

import numpy as np

from benchmarks.machine import describe, machine, run_isolated, write_results
from claims.evaluation.data import REPO

RESULTS = REPO / "benchmarks" / "results" / "speed.json"
SEED_VECTORS = REPO / ".cache" / "benchmarks" / "seed_vectors.npy"
SENTENCES_PER_ARTICLE = 20
# Largest size each baseline is started at within the bound (measured: both grow as n^2,
# agglomerative also in memory: 8 n^2 bytes).
LIMITS = {"claims": 10**7, "exact": 20_000, "community_detection": 100_000, "agglomerative": 10_000}


def seed_vectors() -> np.ndarray:
    """e5-small vectors of the seed sentences (cached under .cache/benchmarks)."""
    if SEED_VECTORS.exists():
        return np.load(SEED_VECTORS)
    from claims.ingest.corpus import load_articles
    from claims.models import get_encoder
    from claims.ingest.sentences import split_sentences

    texts = [s.text for a in load_articles([REPO / "seeds"]).articles for s in split_sentences(a)]
    vectors = get_encoder("e5-small", cache=True).encode(texts)
    SEED_VECTORS.parent.mkdir(parents=True, exist_ok=True)
    np.save(SEED_VECTORS, vectors)
    return vectors


def synthetic_vectors(n: int, seed: int = 0, chunk: int = 100_000) -> tuple[np.ndarray, np.ndarray]:
    """``n`` unit vectors and their article ids (see module docstring), made chunk by chunk
    so that generating them does not dominate the peak memory being measured."""
    base = seed_vectors()
    rng = np.random.default_rng(seed)
    dim = base.shape[1]
    vectors = np.empty((n, dim), np.float32)
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        mix = rng.uniform(0, 0.7, size=(m, 1)).astype(np.float32)
        noise = rng.normal(size=(m, dim)).astype(np.float32)
        noise *= 0.6 / np.linalg.norm(noise, axis=1, keepdims=True)
        noise += base[rng.integers(0, len(base), m)]
        noise += mix * base[rng.integers(0, len(base), m)]
        vectors[start : start + m] = noise / np.linalg.norm(noise, axis=1, keepdims=True)
    copies = n // 20
    src, dst = rng.integers(0, n, copies), rng.choice(n, copies, replace=False)
    for start in range(0, copies, chunk):
        s, d = src[start : start + chunk], dst[start : start + chunk]
        small = rng.normal(size=(len(s), dim)).astype(np.float32)
        small *= 0.35 / np.linalg.norm(small, axis=1, keepdims=True)
        small += vectors[s]
        vectors[d] = small / np.linalg.norm(small, axis=1, keepdims=True)
    articles = rng.integers(0, max(1, n // SENTENCES_PER_ARTICLE), n).astype(str)
    return vectors, articles


def dense_threshold() -> float:
    from claims.models import model_entry

    return model_entry("e5-small").threshold("dense") or 0.9


def run_one(method: str, n: int) -> dict:
    """Time one method at one size (called in a subprocess)."""
    vectors, articles = synthetic_vectors(n)
    load = os.getloadavg()[0]  # other work on the machine inflates the timing
    threshold = dense_threshold()
    start = time.perf_counter()
    if method in ("claims", "exact"):
        from claims.matching.grouping import group_embeddings
        from embeddings.index import VectorIndex

        index = VectorIndex(kind="exact" if method == "exact" else "auto")
        labels = group_embeddings(vectors, articles, threshold, n_neighbors=10, index=index).labels
        groups = int(labels.max() + 1)
        extra = {"index": index.kind_}
    elif method == "community_detection":
        import torch
        from sentence_transformers.util import community_detection

        torch.set_num_threads(os.cpu_count() or 1)
        groups = len(community_detection(torch.from_numpy(vectors), threshold=threshold, min_community_size=2))
        extra = {}
    elif method == "agglomerative":
        from sklearn.cluster import AgglomerativeClustering

        labels = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                         distance_threshold=1 - threshold).fit_predict(vectors)
        groups = int((np.bincount(labels) > 1).sum())
        extra = {}
    else:
        raise ValueError(method)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"method": method, "n": n, "seconds": round(seconds, 2), "peak_mb": round(peak_mb),
            "groups": groups, "threshold": round(threshold, 4), "load": round(load, 2), **extra}


def recall(n: int, queries: int = 300, k: int = 10) -> dict:
    """Recall of the auto-chosen index against exact search, on sampled sentences.

    The approximate lists are those grouping uses: every vector searched against the
    index of all (a pair found from either side counts for both), then sampled.
    """
    from embeddings.index import VectorIndex

    vectors, _ = synthetic_vectors(n)
    threshold = dense_threshold()
    rng = np.random.default_rng(7)
    q = rng.choice(n, queries, replace=False)
    approx = VectorIndex().fit(vectors)
    found = approx.search(vectors, k + 1)
    found = found._replace(scores=found.scores[q], ids=found.ids[q])
    exact = VectorIndex(kind="exact").fit(vectors).search(vectors[q], k + 1)
    at_k = np.mean([len(set(a) & set(b)) / (k + 1) for a, b in zip(exact.ids, found.ids)])
    linked = [(set(ids[s >= threshold]), set(f)) for ids, s, f in zip(exact.ids, exact.scores, found.ids)]
    total = sum(len(a) for a, _ in linked)
    above = sum(len(a & b) for a, b in linked) / total if total else float("nan")
    return {"n": n, "index": approx.kind_, "recall_at_k": round(float(at_k), 4), "k": k + 1,
            "recall_above_threshold": round(float(above), 4), "pairs_above_threshold": total}


def _subprocess(args: list[str], bound: float) -> dict:
    return run_isolated("benchmarks.speed", args, bound)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--bound", type=float, default=900, help="seconds per run before it is stopped")
    parser.add_argument("--one", nargs=2, metavar=("METHOD", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--recall", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one[0], int(args.one[1]))))
        return 0
    if args.recall:
        print(json.dumps(recall(args.recall)))
        return 0
    seed_vectors()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {describe(machine())}; threshold {dense_threshold():.4f}; bound {args.bound:.0f} s per run")
    print(f"{'method':22}{'n':>9}{'seconds':>10}{'peak MB':>9}{'groups':>8}{'load':>6}  note")
    rows = []
    for n in sizes:
        for method in ("claims", "exact", "community_detection", "agglomerative"):
            if n > LIMITS[method]:
                row = {"method": method, "n": n, "skipped": f"not started above {LIMITS[method]:,} (bound)"}
            else:
                row = {"method": method, "n": n, **_subprocess(["--one", method, str(n)], args.bound)}
            rows.append(row)
            note = row.get("index") or row.get("skipped") or row.get("error") or (
                f"timeout {row['timeout']:.0f}s" if "timeout" in row else "")
            print(f"{method:22}{n:>9}{row.get('seconds', ''):>10}{row.get('peak_mb', ''):>9}"
                  f"{row.get('groups', ''):>8}{row.get('load', ''):>6}  {note}", flush=True)
    recalls = []
    for n in sizes:
        if n > 10_000:
            r = _subprocess(["--recall", str(n)], args.bound)
            recalls.append(r)
            print(f"recall n={n}: {r}", flush=True)
    write_results(RESULTS, {"machine": machine(), "runs": rows, "recall": recalls})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
