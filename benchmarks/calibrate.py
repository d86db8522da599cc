"""Calibrate each model's similarity threshold on tuning splits; writes claims/data/thresholds.json.

``python -m benchmarks.calibrate [MODEL ...]``

Tuning data (never a test split):

- CheckThat! 2020 **train**: each tweet with the verified claim it makes (positive) and its
  five nearest other claims (hard negatives: same topic, different claim). Tweets, like news
  sentences, state a claim with extra context around it: this is the threshold used.
- STS-B French **dev**, pairs with a gold score of at least 4 as positives: reported beside
  it. STS-B sentences are short paraphrases, so their best cut sits far higher than what a
  30-word news sentence reaches for the same claim (e5: 0.97 against 0.90-0.92 on the seeds).

The threshold is the score that maximises F1 at telling positives from negatives. One number
per model and scale, because a threshold made for one model is wrong for another.
"""

from __future__ import annotations

import json
import sys

import numpy as np

from benchmarks.eval_data import REPO, EvalDataMissing, read_stsb_fr

SAME_CLAIM_MIN_SCORE = 4.0
HARD_NEGATIVES = 5
MODELS = ("e5-small", "e5-small-int8", "use", "minilm")
LEXICAL_WEIGHTS = (0.0, 0.1, 0.25, 0.5, 1.0, 2.0)  # w of (cosine + w TF-IDF) / (1 + w)
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


def checkthat_pairs(encoder, negatives: int = HARD_NEGATIVES, tweet_pairs: bool = False):
    """Texts, pair indices and labels from CheckThat! train: gold pairs and hard negatives.

    With ``tweet_pairs``, also tweet-tweet pairs: tweets verified against one claim
    (positive) and each tweet's ``negatives`` nearest tweets of other claims; only the
    texts in some pair are kept.
    """
    from benchmarks.public_eval import read_checkthat
    from embeddings.index import VectorIndex

    data = read_checkthat("train")
    claims = encoder.encode(data.claim_texts, batch_size=64)
    tweets = encoder.encode(data.query_texts)
    found = VectorIndex(kind="exact").fit(claims).search(tweets, negatives + 4)
    position = {c: i for i, c in enumerate(data.claim_ids)}
    rows, cols, labels = [], [], []
    for t, (qid, ids) in enumerate(zip(data.query_ids, found.ids)):
        gold = {position[c] for c in data.relevant[qid] if c in position}
        wrong = [int(i) for i in ids if i >= 0 and int(i) not in gold][:negatives]
        for c in sorted(gold) + wrong:
            rows.append(t)
            cols.append(c)
            labels.append(c in gold)
    texts = list(data.query_texts) + list(data.claim_texts)
    vectors = np.vstack([tweets, claims])
    i, j = np.array(rows), np.array(cols) + len(tweets)
    if not tweet_pairs:
        return texts, vectors, i, j, np.array(labels)
    near = VectorIndex(kind="exact").fit(tweets).search(tweets, negatives + 6)
    claims_of = [data.relevant[q] for q in data.query_ids]
    extra_i, extra_j, extra_y = [], [], []
    for t, ids in enumerate(near.ids):
        mates = [s for s in range(t + 1, len(tweets)) if claims_of[s] & claims_of[t]]
        wrong = [int(s) for s in ids if s >= 0 and int(s) != t and not claims_of[int(s)] & claims_of[t]]
        for s, same in [(m, True) for m in mates] + [(w, False) for w in wrong[:negatives]]:
            extra_i.append(t)
            extra_j.append(s)
            extra_y.append(same)
    i, j = np.concatenate([i, extra_i]).astype(np.int64), np.concatenate([j, extra_j]).astype(np.int64)
    labels = np.concatenate([labels, extra_y]).astype(bool)
    used = np.unique(np.concatenate([i, j]))  # encode clauses of the texts in some pair only
    remap = np.full(len(texts), -1, np.int64)
    remap[used] = np.arange(len(used))
    return [texts[u] for u in used], vectors[used], remap[i], remap[j], labels


def stsb_pairs(encoder):
    """Texts, pair indices and labels from STS-B-fr dev (score >= 4 is positive)."""
    pairs = read_stsb_fr("dev")
    texts = [p.sentence1 for p in pairs] + [p.sentence2 for p in pairs]
    vectors = encoder.encode(texts)
    i = np.arange(len(pairs))
    return texts, vectors, i, i + len(pairs), np.array([p.score >= SAME_CLAIM_MIN_SCORE for p in pairs])


def _thresholds(model: str, texts, vectors, i, j, positive) -> dict:
    from claims.matching.hubness import CSLSScorer

    dense = np.einsum("ij,ij->i", vectors[i], vectors[j])
    threshold, f1 = best_f1_threshold(dense, positive)
    entry = {"dense": round(threshold, 4), "dense_f1": round(f1, 4)}
    # Every text is its own "article": r(x) is its density among all the others, as in a
    # corpus of many articles.
    csls = CSLSScorer().fit(vectors, np.arange(len(vectors)))(i, j, dense)
    c_threshold, c_f1 = best_f1_threshold(np.asarray(csls), positive)
    entry.update({"csls": round(c_threshold, 4), "csls_f1": round(c_f1, 4)})
    return entry


def _unit_thresholds(encoder, texts, vectors, i, j, positive) -> dict:
    """Lexical weight (best F1 of whole-sentence cosine + w TF-IDF) and the thresholds of the
    scorings of :class:`claims.matching.clauses.ClauseScorer` ("hybrid", "clauses", "clauses_dense")."""
    from claims.matching.clauses import ClauseScorer

    def best(weight: float, clauses: bool) -> tuple[float, float]:
        scorer = ClauseScorer(lexical_weight=weight, clauses=clauses).fit(texts, vectors, encoder)
        return best_f1_threshold(np.asarray(scorer(i, j)), positive)

    fits = {w: best(w, False) for w in LEXICAL_WEIGHTS}
    weight = max(LEXICAL_WEIGHTS, key=lambda w: (round(fits[w][1], 4), -w))
    entry = {"lexical_weight": weight, "hybrid": round(fits[weight][0], 4),
             "hybrid_f1": round(fits[weight][1], 4),
             "lexical_weight_f1": {str(w): round(f, 4) for w, (_, f) in fits.items()}}
    for scale, w in (("clauses", weight), ("clauses_dense", 0.0)):
        threshold, f1 = best(w, True)
        entry.update({scale: round(threshold, 4), f"{scale}_f1": round(f1, 4)})
    return entry


def calibrate(model: str) -> dict:
    """Thresholds of ``model``: CheckThat! train (used) and STS-B-fr dev (for reference)."""
    from claims.models import get_encoder

    encoder = get_encoder(model, cache=True)
    entry = _thresholds(model, *checkthat_pairs(encoder))
    entry.update(_unit_thresholds(encoder, *checkthat_pairs(encoder, tweet_pairs=True)))
    entry["stsb_fr_dev"] = _thresholds(model, *stsb_pairs(encoder))
    return entry


def main(argv: list[str]) -> int:
    models = argv or list(MODELS)
    try:
        read_stsb_fr("dev")
        from benchmarks.public_eval import read_checkthat

        read_checkthat("train")
    except EvalDataMissing as missing:
        print(f"skipped: {missing}")
        return 0
    table = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    table["method"] = (
        "CheckThat! 2020 train (tuning split): threshold maximising F1 of tweet-claim pairs "
        f"against the {HARD_NEGATIVES} nearest wrong claims; STS-B-fr dev (score >= "
        f"{SAME_CLAIM_MIN_SCORE}) for reference; lexical_weight, hybrid, clauses, clauses_dense: "
        "same tweet-claim pairs plus tweet-tweet pairs (same verified claim vs the "
        f"{HARD_NEGATIVES} nearest tweets of other claims), weight by best F1 of the whole-sentence "
        "hybrid; python -m benchmarks.calibrate"
    )
    table.setdefault("models", {})
    nan = float("nan")
    print(f"{'model':16}{'data':14}{'dense':>8}{'F1':>7}{'csls':>8}{'F1':>7}{'hybrid':>8}{'F1':>7}")
    for model in models:
        entry = calibrate(model)
        table["models"][model] = entry
        for name, e in (("checkthat", entry), ("stsb-fr dev", entry["stsb_fr_dev"])):
            print(f"{model:16}{name:14}{e['dense']:8.4f}{e['dense_f1']:7.3f}{e['csls']:8.4f}"
                  f"{e['csls_f1']:7.3f}{e.get('hybrid', nan):8.4f}{e.get('hybrid_f1', nan):7.3f}")
    OUT.write_text(json.dumps(table, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
