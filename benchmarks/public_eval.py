"""Our similarity on public data labelled by others: STS-B French and CheckThat! 2020 task 2.

``python -m benchmarks.public_eval [--models e5-small,use] [--skip-checkthat]``

* STS-B-fr **test**: Spearman correlation of each model's cosine with the gold 0-5 score,
  next to the published figure of a comparable model.
* CheckThat! 2020 task 2 **test** (English): each tweet retrieves, among 10,375 verified
  claims, the claim it makes; MAP@5 of each model's cosine search (the search
  :meth:`claims.pipeline.Analysis.similar` does) next to a BM25 baseline run here.

Nothing is tuned: no threshold is involved, and the claim text (``vclaim`` + ``title``) and
the tweet cleaning (URLs removed) were fixed before looking at any split. Test splits serve
only for reporting. Skips with a message when the eval folder is absent (``CLAIMS_EVAL_DIR``
overrides its location). Writes ``benchmarks/results/public_eval.json``.

Also here: :func:`tuning_sets` and :func:`tune_thresholds`, the train/dev threshold tuning
that ``benchmarks.quality`` uses for its baselines.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from typing import NamedTuple, Sequence

import numpy as np

from benchmarks.machine import machine, write_results
from benchmarks.quality import MODELS
from claims.evaluation.data import (REPO, CheckThat, EvalDataMissing, eval_dir, eval_file, read_checkthat,
                                    read_stsb_fr)
from claims.evaluation.metrics import average_precision

RESULTS = REPO / "benchmarks" / "results" / "public_eval.json"
PUBLISHED_STS = {"paraphrase-multilingual-MiniLM-L12-v2": 0.799,
                 "paraphrase-multilingual-mpnet-base-v2": 0.847}
PUBLISHED_CHECKTHAT = ("n-gram/BM25 baseline, CheckThat! 2022 task 2A English "
                       "(a later release of similar data)", 0.818)
DEPTH = 5
_TOKEN = re.compile(r"[a-z0-9]+")


def retrieval_scores(rankings: Sequence[Sequence[str]], data: CheckThat) -> dict:
    """MAP@5 and precision@1 of one ranked list per query."""
    aps = [average_precision(r, data.relevant[q], DEPTH) for r, q in zip(rankings, data.query_ids)]
    p1 = [float(bool(r) and r[0] in data.relevant[q]) for r, q in zip(rankings, data.query_ids)]
    return {"map_at_5": round(float(np.mean(aps)), 4), "p_at_1": round(float(np.mean(p1)), 4),
            "queries": len(aps)}


def bm25_rankings(data: CheckThat) -> list[list[str]]:
    """Top-5 claims per tweet with rank_bm25's BM25Okapi (lower-cased words, English stop words out)."""
    from rank_bm25 import BM25Okapi
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    def tokens(text: str) -> list[str]:
        return [w for w in _TOKEN.findall(text.lower()) if w not in ENGLISH_STOP_WORDS]

    bm25 = BM25Okapi([tokens(t) for t in data.claim_texts])
    out = []
    for query in data.query_texts:
        scores = bm25.get_scores(tokens(query))
        top = np.argsort(-scores, kind="stable")[:DEPTH]
        out.append([data.claim_ids[i] for i in top])
    return out


def dense_rankings(encoder, data: CheckThat) -> list[list[str]]:
    """Top-5 claims per tweet by cosine, searched like ``Analysis.similar`` does."""
    from embeddings.index import VectorIndex

    docs = encoder.encode(data.claim_texts, batch_size=64)
    queries = encoder.encode(data.query_texts)
    # Exact, as Analysis.similar searches: the IVF settings are made for near-duplicate pairs.
    found = VectorIndex(kind="exact").fit(docs).search(queries, DEPTH)
    return [[data.claim_ids[i] for i in row if i >= 0] for row in found.ids]


def sts_spearman(encoder, split: str = "test") -> dict:
    """Spearman of cosine against the gold score on STS-B-fr ``split``."""
    from scipy.stats import spearmanr

    pairs = read_stsb_fr(split)
    a = encoder.encode([p.sentence1 for p in pairs])
    b = encoder.encode([p.sentence2 for p in pairs])
    rho = spearmanr(np.einsum("ij,ij->i", a, b), [p.score for p in pairs]).statistic
    return {"spearman": round(float(rho), 4), "pairs": len(pairs)}


def run(models: Sequence[str], checkthat: bool = True) -> dict:
    from claims.models import get_encoder

    result = {"machine": machine(), "eval_dir": str(eval_dir()), "sts_b_fr_test": {},
              "checkthat2020_test": {}, "errors": {}}
    encoders = {}
    for model in models:
        try:
            encoders[model] = get_encoder(model, cache=True)
        except Exception as error:  # a model that is not installed must not hide the others
            result["errors"][model] = f"{type(error).__name__}: {error}"
    for model, encoder in encoders.items():
        start = time.perf_counter()
        result["sts_b_fr_test"][model] = {**sts_spearman(encoder),
                                          "seconds": round(time.perf_counter() - start, 1)}
        print(f"... STS-B-fr test {model}: {result['sts_b_fr_test'][model]}", file=sys.stderr)
    if not checkthat:
        return result
    data = read_checkthat("test")
    start = time.perf_counter()
    result["checkthat2020_test"]["BM25 (rank_bm25)"] = {
        **retrieval_scores(bm25_rankings(data), data), "seconds": round(time.perf_counter() - start, 1)}
    for model, encoder in encoders.items():
        start = time.perf_counter()
        result["checkthat2020_test"][model] = {
            **retrieval_scores(dense_rankings(encoder, data), data),
            "seconds": round(time.perf_counter() - start, 1)}
        print(f"... CheckThat test {model}: {result['checkthat2020_test'][model]}", file=sys.stderr)
    result["checkthat2020_test"]["verified_claims"] = len(data.claim_ids)
    return result


# -- thresholds tuned on train/dev splits (used by benchmarks.quality) -------------------------
class TuningSet(NamedTuple):
    """Labelled pairs of texts for choosing a threshold: pair k is (texts[i[k]], texts[j[k]])."""

    name: str
    where: str
    texts: list[str]
    i: np.ndarray
    j: np.ndarray
    positive: np.ndarray


def tuning_sets() -> list[TuningSet]:
    """The tuning sets present on this machine (train/dev splits only).

    * ``sts``: STS-B-fr dev pairs, positive when scored >= 4 (the rule of the pipeline's
      calibration, :mod:`claims.training.calibrate`);
    * ``checkthat``: every pair of CheckThat! 2020 train + dev tweets (English), positive when
      both make the same verified claim: claim groups with mostly negative pairs, as in news.
    """
    from claims.training.calibrate import SAME_CLAIM_MIN_SCORE

    out = []
    try:
        pairs = read_stsb_fr("dev")
        n = len(pairs)
        out.append(TuningSet("sts", f"STS-B-fr dev, best F1 at score >= {SAME_CLAIM_MIN_SCORE:g}",
                             [p.sentence1 for p in pairs] + [p.sentence2 for p in pairs],
                             np.arange(n), np.arange(n, 2 * n),
                             np.array([p.score >= SAME_CLAIM_MIN_SCORE for p in pairs])))
    except EvalDataMissing as missing:
        print(f"no STS-B-fr dev: {missing}")
    try:
        texts, claims = [], []
        for split in ("train", "dev"):
            data = read_checkthat(split)
            texts += data.query_texts
            claims += [data.relevant[q] for q in data.query_ids]
        i, j = np.triu_indices(len(texts), 1)
        same = np.array([bool(claims[a] & claims[b]) for a, b in zip(i.tolist(), j.tolist())])
        out.append(TuningSet("checkthat", "CheckThat! 2020 train+dev tweet pairs, best F1 at same "
                             "verified claim", texts, i, j, same))
    except EvalDataMissing as missing:
        print(f"no CheckThat! 2020 train/dev: {missing}")
    return out


def _pair_cosines(vectors, tuning: TuningSet) -> np.ndarray:
    gram = vectors @ vectors.T  # a few thousand texts: the full matrix is small
    return np.asarray(gram.toarray() if hasattr(gram, "toarray") else gram)[tuning.i, tuning.j]


def tune_thresholds(tuning: TuningSet, encoders: dict) -> dict:
    """Best-F1 thresholds on ``tuning`` of TF-IDF character n-gram cosine and of each encoder's cosine."""
    from claims.training.calibrate import best_f1_threshold
    from claims.matching.lexical import LexicalSimilarity

    def best(scores) -> dict:
        threshold, f1 = best_f1_threshold(np.asarray(scores), tuning.positive)
        return {"threshold": round(threshold, 4), "f1": round(f1, 4)}

    tfidf = LexicalSimilarity("tfidf-char").fit(tuning.texts).matrix_
    return {"where": tuning.where, "pairs": len(tuning.positive),
            "positive_pairs": int(tuning.positive.sum()), "tfidf": best(_pair_cosines(tfidf, tuning)),
            "models": {model: {"dense": best(_pair_cosines(encoder.encode(tuning.texts), tuning))}
                       for model, encoder in encoders.items()}}


def report(result: dict) -> None:
    m = result["machine"]
    print(f"machine: {m['cores']} cores, {m['ram_gb']} GB RAM, Python {m['python']}")
    print(f"eval data: {result['eval_dir']}\n")
    print("STS-B-fr test (1,379 pairs): Spearman of cosine vs gold score")
    for model, r in result["sts_b_fr_test"].items():
        print(f"  {model:28} {r['spearman']:.3f}   ({r['seconds']} s)")
    for model, rho in PUBLISHED_STS.items():
        print(f"  {model:28} {rho:.3f}   published (MTEB), not run here")
    ct = dict(result["checkthat2020_test"])
    if ct:
        n_claims = ct.pop("verified_claims")
        print(f"\nCheckThat! 2020 task 2 test (English tweets -> {n_claims:,} verified claims): MAP@5, P@1")
        for system, r in ct.items():
            print(f"  {system:28} MAP@5 {r['map_at_5']:.3f}  P@1 {r['p_at_1']:.3f}  "
                  f"({r['queries']} tweets, {r['seconds']} s)")
        name, value = PUBLISHED_CHECKTHAT
        print(f"  published: {name}: MAP@5 {value:.3f}")
    print("\ntimes include the on-disk embedding cache: a warm cache skips encoding")
    for model, error in result["errors"].items():
        print(f"!! {model}: {error}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=",".join(MODELS), help="comma-separated encoder names")
    parser.add_argument("--skip-checkthat", action="store_true", help="STS-B-fr only (fast)")
    args = parser.parse_args(argv)
    try:
        eval_file("stsb-fr", "stsb-fr-test.csv")
        if not args.skip_checkthat:
            eval_file("checkthat2020", "verified_claims.docs.tsv")
    except EvalDataMissing as missing:
        print(f"skipped: public eval data not found: {missing}")
        return 0
    result = run([m for m in args.models.split(",") if m], checkthat=not args.skip_checkthat)
    report(result)
    write_results(RESULTS, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
