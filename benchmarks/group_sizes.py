"""Group sizes at 1k, 10k and 100k sentences, and stance + comparison time as groups grow.

``python -m benchmarks.group_sizes [--sizes 1000,10000,all,100000] [--stance-sizes 5000,10000]``

Sentences of STS-B-fr (all splits, each distinct sentence once, shuffled with a fixed seed)
cut into pseudo-articles of 20 sentences: unrelated events, so a claim group holds a handful
of paraphrases and never a sizeable share of the corpus. They are grouped as ``claims match``
groups them: e5-small vectors, the default pair score (hybrid, which reads the texts) at its
calibrated threshold, the default pair guard. STS-B-fr has 15,198 distinct sentences of
three words or more (``all``); the 100,000 row uses the synthetic vectors of
:mod:`benchmarks.speed` (no texts: cosine at its calibrated threshold, no guard), said so
in its line.

For each size it prints the largest group, its share of the corpus, and how many groups have
2, 3-5, 6-20, 21-100 and more than 100 mentions; and, with STS-B-fr's own labels, the share
of its paraphrase pairs (score >= 4) grouped together and of its unrelated pairs (score <= 1)
wrongly grouped together. Then, at each ``--stance-sizes`` size, the
full analysis after encoding (group, attribute, stance, compare) on precomputed vectors, with
the time of each stage, to show stance and comparison growing linearly with the corpus.
Each size runs in its own subprocess, so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time

import numpy as np

from benchmarks.machine import describe, machine, run_isolated, write_results
from claims.evaluation.data import REPO

RESULTS = REPO / "benchmarks" / "results" / "group_sizes.json"
CACHE = REPO / ".cache" / "benchmarks"
SENTENCES_PER_ARTICLE = 20
BINS = ((2, 2), (3, 5), (6, 20), (21, 100), (101, None))


def stsb_texts() -> list[str]:
    """Distinct STS-B-fr sentences of all splits, shuffled with seed 0."""
    from claims.evaluation.data import read_stsb_fr

    seen = dict.fromkeys(s.strip() for split in ("train", "dev", "test")
                         for pair in read_stsb_fr(split) for s in pair[:2])
    texts = sorted(t for t in seen if len(t.split()) >= 3)
    random.Random(0).shuffle(texts)
    return texts


def stsb_vectors(texts: list[str]) -> np.ndarray:
    """e5-small vectors of ``texts`` (cached under .cache/benchmarks with the texts' hash)."""
    import hashlib

    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:12]
    path = CACHE / f"stsb_fr_e5-small_{digest}.npy"
    if path.exists():
        return np.load(path)
    from claims.models import get_encoder

    vectors = get_encoder("e5-small", cache=False).encode(texts)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def corpus(n: int):
    """``n`` STS-B-fr sentences as pseudo-articles: (texts, article ids, vectors)."""
    texts = stsb_texts()
    if n > len(texts):
        raise ValueError(f"STS-B-fr has {len(texts)} distinct sentences, asked for {n}")
    vectors = stsb_vectors(texts)[:n]
    articles = [f"a{i // SENTENCES_PER_ARTICLE:05d}" for i in range(n)]
    return texts[:n], articles, vectors


def size_profile(labels: np.ndarray) -> dict:
    """Largest group, its share, and the number of groups per size bin."""
    sizes = np.bincount(labels[labels >= 0]) if (labels >= 0).any() else np.zeros(0, int)
    largest = int(sizes.max()) if len(sizes) else 0
    bins = {}
    for lo, hi in BINS:
        name = f">{lo - 1}" if hi is None else (str(lo) if lo == hi else f"{lo}-{hi}")
        bins[name] = int(((sizes >= lo) & (sizes <= (hi or np.inf))).sum())
    return {"groups": int(len(sizes)), "grouped": int(sizes.sum()), "largest": largest,
            "largest_share": round(largest / len(labels), 4), "bins": bins}


def paraphrase_pairs(texts: list[str], labels: np.ndarray) -> dict:
    """STS-B-fr's own pairs among ``texts``: the share of paraphrases (score >= 4) grouped
    together, and of unrelated pairs (score <= 1) wrongly grouped together."""
    from claims.evaluation.data import read_stsb_fr

    pos = {t: k for k, t in enumerate(texts)}
    together = {"ge4": [], "le1": []}
    for split in ("train", "dev", "test"):
        for pair in read_stsb_fr(split):
            a, b = pos.get(pair.sentence1.strip()), pos.get(pair.sentence2.strip())
            if a is None or b is None or a == b or 1 < pair.score < 4:
                continue
            together["ge4" if pair.score >= 4 else "le1"].append(labels[a] >= 0 and labels[a] == labels[b])
    return {"paraphrases_grouped": round(float(np.mean(together["ge4"])), 3), "paraphrase_pairs": len(together["ge4"]),
            "unrelated_grouped": round(float(np.mean(together["le1"])), 3), "unrelated_pairs": len(together["le1"])}


def run_sizes(n: int) -> dict:
    """Group ``n`` sentences as ``claims match`` does (called in a subprocess)."""
    from claims.matching.grouping import group_embeddings

    load = os.getloadavg()[0]
    if n <= len(stsb_texts()):
        from claims.matching.scores import build_scorer, pair_score
        from claims.models import model_entry
        from claims.pipeline import default_guard

        texts, articles, vectors = corpus(n)
        entry = model_entry("e5-small")
        threshold = entry.threshold("hybrid")
        start = time.perf_counter()
        scorer = build_scorer(pair_score("hybrid"), entry.lexical_weight, texts, vectors, articles)
        guard = default_guard(texts)
        labels = group_embeddings(vectors, articles, threshold, texts=texts, guard=guard,
                                  pair_scorer=scorer).labels
        data = "STS-B-fr, hybrid + guard"
        pairs = paraphrase_pairs(texts, labels)
    else:
        from benchmarks.speed import dense_threshold, synthetic_vectors

        vectors, articles = synthetic_vectors(n)
        threshold = dense_threshold()
        start = time.perf_counter()
        labels = group_embeddings(vectors, articles, threshold).labels
        data = "synthetic vectors, cosine"
        pairs = {}
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": n, "data": data, "threshold": round(float(threshold), 4), "seconds": round(seconds, 2),
            "peak_mb": round(peak_mb), "load": round(load, 2), **size_profile(labels), **pairs}


def run_stages(n: int) -> dict:
    """The analysis after encoding on ``n`` STS-B-fr sentences, time per stage (subprocess)."""
    import warnings

    from claims.pipeline import analyze
    from claims.records import Article

    texts, articles, vectors = corpus(n)
    by_article: dict[str, list[str]] = {}
    for t, a in zip(texts, articles):
        by_article.setdefault(a, []).append(t)
    docs = [Article(a, "\n\n".join(ts)) for a, ts in by_article.items()]  # one paragraph a sentence
    rows = _rows_for(docs, texts, vectors)
    from claims.models import get_encoder

    encoder = get_encoder("e5-small", cache=False)
    encoder.encode(["Le modèle est chargé avant la mesure."])  # warm: stance encodes coordinated parts
    load = os.getloadavg()[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        result = analyze(docs, encoder, cache=False, embeddings=rows)
        seconds = time.perf_counter() - start
    stages = {s.stage: round(s.seconds, 2) for s in result.timings}
    sizes = [len(g.mentions) for g in result.groups]
    return {"n": n, "sentences": len(result.rows), "seconds": round(seconds, 2), "stages": stages,
            "groups": len(sizes), "mentions": sum(sizes), "largest": max(sizes, default=0), "load": round(load, 2),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def _rows_for(docs, texts, vectors) -> np.ndarray:
    """The vector of each sentence the splitter finds, in sentence order (by text; encoded
    when the splitter cut a sentence differently)."""
    from claims.ingest import split_corpus

    sentences = split_corpus(docs)
    known = {t: i for i, t in enumerate(texts)}
    rows = [known.get(s.text) for s in sentences]
    missing = [k for k, r in enumerate(rows) if r is None]
    out = np.zeros((len(sentences), vectors.shape[1]), np.float32)
    found = [k for k, r in enumerate(rows) if r is not None]
    out[found] = vectors[[rows[k] for k in found]]
    if missing:
        from claims.models import get_encoder

        out[missing] = get_encoder("e5-small", cache=True).encode([sentences[k].text for k in missing])
    return out


def _subprocess(args: list[str], bound: float) -> dict:
    return run_isolated("benchmarks.group_sizes", args, bound)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,all,100000", help="'all': every STS-B-fr sentence")
    parser.add_argument("--stance-sizes", default="5000,10000")
    parser.add_argument("--bound", type=float, default=1800, help="seconds per run before it is stopped")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--stages", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_sizes(args.one)))
        return 0
    if args.stages:
        print(json.dumps(run_stages(args.stages)))
        return 0
    stsb_vectors(stsb_texts())
    print(f"machine: {describe(machine())}")
    print(f"{'n':>8}  {'data':28}{'largest':>8}{'share':>8}{'groups':>8}  sizes 2 / 3-5 / 6-20 / 21-100 / >100"
          f"{'seconds':>9}{'peak MB':>9}{'load':>6}")
    rows = []
    for n in (len(stsb_texts()) if s == "all" else int(s) for s in args.sizes.split(",") if s):
        r = _subprocess(["--one", str(n)], args.bound)
        rows.append(r)
        if "largest" not in r:
            print(f"{n:>8}  {r}", flush=True)
            continue
        bins = " / ".join(str(v) for v in r["bins"].values())
        print(f"{n:>8}  {r['data']:28}{r['largest']:>8}{r['largest_share']:>8.2%}{r['groups']:>8}  {bins:36}"
              f"{r['seconds']:>9}{r['peak_mb']:>9}{r['load']:>6}", flush=True)
        if "paraphrases_grouped" in r:
            print(f"{'':10}STS-B-fr pairs: paraphrases (score >= 4) grouped together {r['paraphrases_grouped']:.3f} "
                  f"of {r['paraphrase_pairs']}; unrelated (score <= 1) grouped together {r['unrelated_grouped']:.3f} "
                  f"of {r['unrelated_pairs']}", flush=True)
    stage_rows = []
    for n in (int(s) for s in args.stance_sizes.split(",") if s):
        r = _subprocess(["--stages", str(n)], args.bound)
        stage_rows.append(r)
        if "stages" not in r:
            print(f"analysis n={n}: {r}", flush=True)
            continue
        st = r["stages"]
        print(f"analysis n={r['sentences']}: " + ", ".join(f"{k} {v} s" for k, v in st.items())
              + f"; stance+compare {st.get('stance', 0) + st.get('compare', 0):.2f} s for {r['mentions']} mentions "
              f"in {r['groups']} groups, largest {r['largest']}; peak {r['peak_mb']} MB; load {r['load']}", flush=True)
    write_results(RESULTS, {"machine": machine(), "sizes": rows, "stages": stage_rows})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
