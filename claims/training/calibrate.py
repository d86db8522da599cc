"""Calibrate each model's similarity thresholds and lexical weight on tuning splits.

``python -m claims.training.calibrate [MODEL ...] [--output PATH]`` writes
``claims/data/thresholds.json`` (read by :mod:`claims.matching.thresholds`); models not named
keep their entry of the existing file.

Tuning data (never a test split), from ``../shared/eval`` (:mod:`claims.evaluation.data`):

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

import argparse
import json
import sys
from pathlib import Path
from typing import NamedTuple, Optional, Sequence

import numpy as np

from claims.evaluation.data import (CheckThat, EvalDataMissing, checkthat_files, eval_file, read_checkthat,
                                    read_stsb_fr)
from claims.french.resources import DATA_DIR

SAME_CLAIM_MIN_SCORE = 4.0
HARD_NEGATIVES = 5

LEXICAL_WEIGHTS = (0.0, 0.1, 0.25, 0.5, 1.0, 2.0)  # w of (cosine + w TF-IDF) / (1 + w)
DEFAULT_OUTPUT = DATA_DIR / "thresholds.json"
COMMAND = "python -m claims.training.calibrate"
METHOD = (
    "CheckThat! 2020 train (tuning split): threshold maximising F1 of tweet-claim pairs "
    f"against the {HARD_NEGATIVES} nearest wrong claims; STS-B-fr dev (score >= "
    f"{SAME_CLAIM_MIN_SCORE}) for reference; lexical_weight, hybrid, clauses, clauses_dense: "
    "same tweet-claim pairs plus tweet-tweet pairs (same verified claim vs the "
    f"{HARD_NEGATIVES} nearest tweets of other claims), weight by best F1 of the whole-sentence "
    f"hybrid (when the model's weight was chosen on the real-news tuning events, 'clauses' is "
    f"calibrated at that weight and the CheckThat! weight is kept as checkthat_lexical_weight); {COMMAND}"
)


class Pairs(NamedTuple):
    """Labelled pairs of texts: pair k is (texts[i[k]], texts[j[k]]), the same claim when positive[k]."""

    texts: list[str]
    vectors: np.ndarray  # one L2-normalised row per text
    i: np.ndarray
    j: np.ndarray
    positive: np.ndarray


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


# -- tuning pairs --------------------------------------------------------------------------


def tweet_claim_pairs(data: CheckThat, tweets: np.ndarray, claims: np.ndarray,
                      negatives: int = HARD_NEGATIVES) -> Pairs:
    """Each tweet with its verified claims (positive) and its ``negatives`` nearest other claims.

    Texts are the tweets, then the claims; ``tweets`` and ``claims`` are their vectors.
    """
    from embeddings.index import VectorIndex

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
    return Pairs(texts, vectors, np.array(rows), np.array(cols) + len(tweets), np.array(labels))


def with_tweet_pairs(base: Pairs, data: CheckThat, tweets: np.ndarray,
                     negatives: int = HARD_NEGATIVES) -> Pairs:
    """``base`` (from :func:`tweet_claim_pairs`) plus tweet-tweet pairs.

    Tweets verified against one claim are positive pairs; each tweet with its ``negatives``
    nearest tweets of other claims makes the negatives. Only the texts in some pair are kept
    (the clause scorer encodes the clauses of every text it is given).
    """
    from embeddings.index import VectorIndex

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
    i = np.concatenate([base.i, extra_i]).astype(np.int64)
    j = np.concatenate([base.j, extra_j]).astype(np.int64)
    labels = np.concatenate([base.positive, extra_y]).astype(bool)
    used = np.unique(np.concatenate([i, j]))
    remap = np.full(len(base.texts), -1, np.int64)
    remap[used] = np.arange(len(used))
    return Pairs([base.texts[u] for u in used], base.vectors[used], remap[i], remap[j], labels)


def checkthat_pairs(encoder, negatives: int = HARD_NEGATIVES) -> tuple[Pairs, Pairs]:
    """CheckThat! 2020 train: the tweet-claim pairs, and those plus the tweet-tweet pairs.

    One read, one encoding and one claim search serve both sets.
    """
    data = read_checkthat("train")
    claims = encoder.encode(data.claim_texts, batch_size=64)
    tweets = encoder.encode(data.query_texts)
    base = tweet_claim_pairs(data, tweets, claims, negatives)
    return base, with_tweet_pairs(base, data, tweets, negatives)


def stsb_pairs(encoder) -> Pairs:
    """STS-B-fr dev pairs (score >= :data:`SAME_CLAIM_MIN_SCORE` is positive)."""
    pairs = read_stsb_fr("dev")
    texts = [p.sentence1 for p in pairs] + [p.sentence2 for p in pairs]
    vectors = encoder.encode(texts)
    i = np.arange(len(pairs))
    positive = np.array([p.score >= SAME_CLAIM_MIN_SCORE for p in pairs])
    return Pairs(texts, vectors, i, i + len(pairs), positive)


# -- thresholds ----------------------------------------------------------------------------


def dense_thresholds(pairs: Pairs) -> dict:
    """Best-F1 thresholds of the plain cosine ("dense") and of CSLS ("csls"), with their F1."""
    from claims.matching.hubness import CSLSScorer

    vectors, i, j = pairs.vectors, pairs.i, pairs.j
    dense = np.einsum("ij,ij->i", vectors[i], vectors[j])
    threshold, f1 = best_f1_threshold(dense, pairs.positive)
    entry = {"dense": round(threshold, 4), "dense_f1": round(f1, 4)}
    # Every text is its own "article": r(x) is its density among all the others, as in a
    # corpus of many articles.
    csls = CSLSScorer().fit(vectors, np.arange(len(vectors)))(i, j, dense)
    c_threshold, c_f1 = best_f1_threshold(np.asarray(csls), pairs.positive)
    entry.update({"csls": round(c_threshold, 4), "csls_f1": round(c_f1, 4)})
    return entry


def unit_thresholds(pairs: Pairs, encoder, weights: Sequence[float] = LEXICAL_WEIGHTS,
                    clause_weight: Optional[float] = None) -> dict:
    """Lexical weight and the thresholds of the scorings of :class:`claims.matching.clauses.ClauseScorer`.

    The weight is the one of ``weights`` whose whole-sentence cosine + w TF-IDF ("hybrid") has
    the best F1 (ties: the smaller weight); "clauses" uses it, or ``clause_weight`` when given
    (the weight the model ships, chosen on the news events), "clauses_dense" uses none.
    ``encoder`` embeds the clauses.
    """
    from claims.matching.clauses import ClauseScorer

    def best(weight: float, clauses: bool) -> tuple[float, float]:
        scorer = ClauseScorer(lexical_weight=weight, clauses=clauses).fit(pairs.texts, pairs.vectors, encoder)
        return best_f1_threshold(np.asarray(scorer(pairs.i, pairs.j)), pairs.positive)

    fits = {w: best(w, False) for w in weights}
    weight = max(weights, key=lambda w: (round(fits[w][1], 4), -w))
    entry = {"lexical_weight": weight, "hybrid": round(fits[weight][0], 4),
             "hybrid_f1": round(fits[weight][1], 4),
             "lexical_weight_f1": {str(w): round(f, 4) for w, (_, f) in fits.items()}}
    for scale, w in (("clauses", weight if clause_weight is None else clause_weight), ("clauses_dense", 0.0)):
        threshold, f1 = best(w, True)
        entry.update({scale: round(threshold, 4), f"{scale}_f1": round(f1, 4)})
    return entry


def calibrate(model: str, encoder=None) -> dict:
    """The calibration entry of ``model``: CheckThat! train (used) and STS-B-fr dev (for reference).

    ``encoder`` defaults to the model behind the on-disk embedding cache.

    Raises:
        EvalDataMissing: when the tuning data is not on this machine.
    """
    if encoder is None:
        from claims.models import get_encoder

        encoder = get_encoder(model, cache=True)
    tweet_claim, with_tweets = checkthat_pairs(encoder)
    entry = dense_thresholds(tweet_claim)
    entry.update(unit_thresholds(with_tweets, encoder, clause_weight=shipped_news_weight(model)))
    entry["stsb_fr_dev"] = dense_thresholds(stsb_pairs(encoder))
    return entry


NEWS_KEYS = ("lexical_weight", "hybrid")  # chosen on the real-news tuning events when "news" is present


def shipped_news_weight(model: str) -> Optional[float]:
    """The lexical weight ``model`` ships when it was chosen on the news events, else None:
    the clause score reads the shipped weight, so its threshold is calibrated at that weight."""
    from claims.models import calibration_table, model_entry

    try:
        name = model_entry(model).calibration or model
    except ValueError:
        return None
    entry = calibration_table().get("models", {}).get(name, {})
    return float(entry["lexical_weight"]) if "news" in entry and "lexical_weight" in entry else None


def calibration_table(entries: dict[str, dict], previous: Optional[dict] = None) -> dict:
    """The table written to ``thresholds.json``: ``previous`` with the entries of ``entries`` replaced.

    Kept from ``previous``: the learned pair score's threshold (``learned*``, fitted by
    :mod:`claims.training.pair_scorer`) and, for a model calibrated on the real-news tuning
    events (``news``, :mod:`claims.training.news_calibration`), its lexical weight and hybrid
    threshold; the CheckThat! values then go to ``checkthat_lexical_weight`` and ``checkthat_hybrid``.
    """
    table = dict(previous or {})
    table["method"] = METHOD
    before = table.get("models", {})
    out = {}
    for m, e in entries.items():
        old = before.get(m, {})
        kept = {k: v for k, v in old.items() if k.startswith("learned")}
        e = dict(e)
        if "news" in old:
            kept.update({k: old[k] for k in (*NEWS_KEYS, "news") if k in old})
            e.pop("hybrid_f1", None)
            for k in NEWS_KEYS:
                if k in e:
                    e[f"checkthat_{k}"] = e.pop(k)
        out[m] = {**e, **kept}
    table["models"] = {**before, **out}
    return table


def write_table(table: dict, path: Path = DEFAULT_OUTPUT) -> None:
    """Write ``table`` as :mod:`claims.matching.thresholds` reads it (sorted keys, 2-space indent)."""
    Path(path).write_text(json.dumps(table, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def check_tuning_data() -> None:
    """:class:`EvalDataMissing` unless every tuning file is on this machine (reads nothing)."""
    eval_file("stsb-fr", "stsb-fr-dev.csv")
    checkthat_files("train")


def main(argv: Optional[Sequence[str]] = None) -> int:
    from claims.models import available_models

    models = list(available_models())
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="*", metavar="MODEL", default=models,
                        help=f"models to calibrate (default: every registered model: {' '.join(models)})")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help="table to update (default: the package's claims/data/thresholds.json)")
    args = parser.parse_args(argv)
    try:
        check_tuning_data()
    except EvalDataMissing as missing:
        print(f"skipped: tuning data not found, {args.output} is unchanged: {missing}")
        return 0
    previous = json.loads(args.output.read_text(encoding="utf-8")) if args.output.exists() else {}
    entries = {}
    nan = float("nan")
    print(f"{'model':16}{'data':14}{'dense':>8}{'F1':>7}{'csls':>8}{'F1':>7}{'hybrid':>8}{'F1':>7}")
    for model in args.models or models:
        entry = entries[model] = calibrate(model)
        for name, e in (("checkthat", entry), ("stsb-fr dev", entry["stsb_fr_dev"])):
            print(f"{model:16}{name:14}{e['dense']:8.4f}{e['dense_f1']:7.3f}{e['csls']:8.4f}"
                  f"{e['csls_f1']:7.3f}{e.get('hybrid', nan):8.4f}{e.get('hybrid_f1', nan):7.3f}", flush=True)
    write_table(calibration_table(entries, previous), args.output)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
