"""Scores against a gold: groupings of sentences, and ranked retrieval.

Grouping scores are pure functions on two labelings of the same sentences: ``gold[i]`` and
``pred[i]`` are the claim of sentence i (any hashable). Every sentence carries a label; a
sentence that is in no group must carry a label of its own (see :func:`with_singletons`).

Pair scores count pairs of sentences put together; B-cubed scores average over sentences, so
one big group does not dominate them the way it dominates pair counts.

Also: :func:`must_not_merge_violations` (claim pairs a grouping must keep apart), speaker
names compared exactly or leniently, stance macro-F1 over chosen labels
(:func:`stance_scores`), the thresholds around a chosen one (:func:`threshold_band`), and
retrieval's :func:`average_precision` as the CheckThat! scorer computes it.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Hashable, Iterable, NamedTuple, Optional, Sequence

from sklearn.metrics import adjusted_rand_score, v_measure_score

Pair = tuple[int, int]


class PRF(NamedTuple):
    """Precision, recall and their harmonic mean."""

    precision: float
    recall: float
    f1: float


class PairScores(NamedTuple):
    """Pairwise scores and the counts they come from."""

    precision: float
    recall: float
    f1: float
    true_pairs: int  # pairs together in both gold and prediction
    predicted_pairs: int
    gold_pairs: int


def with_singletons(labels: Sequence[Optional[Hashable]], missing: Iterable = (None, -1)) -> list:
    """Replace each missing label (None, -1 by default) with a label of its own.

    The new labels are ``("singleton", i)``, which cannot collide with str or int labels.
    """
    missing = set(missing)
    return [("singleton", i) if label in missing else label for i, label in enumerate(labels)]


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _ratio(num: float, den: float) -> float:
    # An empty denominator makes a vacuous score: no predicted pair is a wrong pair.
    return num / den if den else 1.0


def _check(gold: Sequence, pred: Sequence) -> None:
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} labels, prediction {len(pred)}")


def _pairs_within(counts: Iterable[int]) -> int:
    return sum(c * (c - 1) // 2 for c in counts)


def pair_scores(gold: Sequence[Hashable], pred: Sequence[Hashable],
                ignore: Optional[Iterable[Pair]] = None) -> PairScores:
    """Pairwise precision, recall and F1 over unordered pairs of sentences.

    Args:
        gold: gold label per sentence.
        pred: predicted label per sentence.
        ignore: pairs (i, j) that count neither way: not required when together in gold,
            not wrong when together in the prediction (e.g. a sentence that also states a
            second claim, paired with that claim's sentences).

    Returns:
        :class:`PairScores`. With no predicted pair precision is 1.0; with no gold pair
        recall is 1.0.
    """
    _check(gold, pred)
    both = _pairs_within(Counter(zip(gold, pred)).values())
    predicted = _pairs_within(Counter(pred).values())
    required = _pairs_within(Counter(gold).values())
    for i, j in {(min(p), max(p)) for p in ignore or ()}:
        if i == j:
            continue
        same_gold, same_pred = gold[i] == gold[j], pred[i] == pred[j]
        both -= same_gold and same_pred
        required -= same_gold
        predicted -= same_pred
    precision, recall = _ratio(both, predicted), _ratio(both, required)
    return PairScores(precision, recall, _f1(precision, recall), both, predicted, required)


def bcubed(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> PRF:
    """B-cubed precision, recall and F1 (Bagga and Baldwin 1998), averaged over sentences.

    A sentence's precision is the share of its predicted group that shares its gold label;
    its recall the share of its gold group found in its predicted group.
    """
    _check(gold, pred)
    if not gold:
        return PRF(1.0, 1.0, 1.0)
    cells = Counter(zip(gold, pred))
    gold_sizes, pred_sizes = Counter(gold), Counter(pred)
    precision = sum(n * n / pred_sizes[p] for (_, p), n in cells.items()) / len(gold)
    recall = sum(n * n / gold_sizes[g] for (g, _), n in cells.items()) / len(gold)
    return PRF(precision, recall, _f1(precision, recall))


def adjusted_rand(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """Adjusted Rand index: 1 for identical partitions, about 0 for chance agreement."""
    _check(gold, pred)
    return float(adjusted_rand_score(_codes(gold), _codes(pred)))


def v_measure(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """V-measure: harmonic mean of homogeneity and completeness."""
    _check(gold, pred)
    return float(v_measure_score(_codes(gold), _codes(pred)))


def _codes(labels: Sequence[Hashable]) -> list[int]:
    # sklearn wants labels of one comparable type; singletons mix tuples with strings.
    index: dict = {}
    return [index.setdefault(label, len(index)) for label in labels]


def merged_distinct_claims(claims: Sequence[frozenset], pred: Sequence[Hashable]) -> list[Pair]:
    """Pairs of claim sentences stating different claims that the prediction put together.

    Args:
        claims: per sentence, the gold claims it states (empty for a sentence stating no
            claim that the gold names). Two sentences state different claims when both sets
            are non-empty and disjoint.
        pred: predicted label per sentence.

    Returns:
        The pairs (i, j), i < j, in order.
    """
    _check(claims, pred)
    by_group: dict = {}
    for i, label in enumerate(pred):
        if claims[i]:
            by_group.setdefault(label, []).append(i)
    out = []
    for members in by_group.values():
        for a, i in enumerate(members):
            for j in members[a + 1:]:
                if not claims[i] & claims[j]:
                    out.append((i, j))
    return sorted(out)


def score_grouping(gold: Sequence[Hashable], pred: Sequence[Hashable],
                   ignore: Optional[Iterable[Pair]] = None,
                   claims: Optional[Sequence[frozenset]] = None) -> dict:
    """Every score of this module for one prediction, as a flat dict of plain numbers."""
    pairs = pair_scores(gold, pred, ignore)
    b3 = bcubed(gold, pred)
    out = {
        "pair_precision": pairs.precision, "pair_recall": pairs.recall, "pair_f1": pairs.f1,
        "true_pairs": pairs.true_pairs, "predicted_pairs": pairs.predicted_pairs,
        "gold_pairs": pairs.gold_pairs,
        "bcubed_precision": b3.precision, "bcubed_recall": b3.recall, "bcubed_f1": b3.f1,
        "ari": adjusted_rand(gold, pred), "v_measure": v_measure(gold, pred),
    }
    if claims is not None:
        out["merged_distinct_claims"] = len(merged_distinct_claims(claims, pred))
    return out


def pair_counts_where(gold: Sequence[Hashable], pred: Sequence[Hashable], keep,
                      ignore: Optional[Iterable[Pair]] = None) -> tuple[int, int, int]:
    """(true, predicted, required) pair counts over the pairs (i, j), i < j, with ``keep(i, j)``."""
    _check(gold, pred)
    ignore = {(min(p), max(p)) for p in ignore or ()}
    tp = predicted = required = 0
    for i in range(len(gold)):
        for j in range(i + 1, len(gold)):
            if (i, j) in ignore or not keep(i, j):
                continue
            same_gold, same_pred = gold[i] == gold[j], pred[i] == pred[j]
            tp += same_gold and same_pred
            predicted += same_pred
            required += same_gold
    return tp, predicted, required


def leave_one_group_out(gold: Sequence[Hashable], preds: dict, groups: Sequence[Hashable],
                        ignore: Optional[Iterable[Pair]] = None) -> dict:
    """Cross-validated pair scores of a setting chosen on the gold, one group held out at a time.

    For each group (an article), the setting of ``preds`` (setting -> predicted labels) with
    the best pair F1 over pairs among the *other* groups is scored on the pairs involving
    the held-out group; true, predicted and required pairs are summed over the folds. Ties
    go to the setting listed first.

    Returns:
        ``pair_precision``, ``pair_recall``, ``pair_f1`` and the setting chosen per group.
    """
    ignore = list(ignore or ())
    totals, chosen = [0, 0, 0], {}
    for held in sorted(set(groups), key=str):
        def outside(i, j):
            return held not in (groups[i], groups[j])

        fit = {key: _f1(*_counts_pr(pair_counts_where(gold, p, outside, ignore))) for key, p in preds.items()}
        best = max(fit, key=fit.get)
        chosen[held] = best
        counts = pair_counts_where(gold, preds[best], lambda i, j: not outside(i, j), ignore)
        totals = [t + c for t, c in zip(totals, counts)]
    precision, recall = _counts_pr(totals)
    return {"pair_precision": precision, "pair_recall": recall, "pair_f1": _f1(precision, recall),
            "chosen": chosen}


def _counts_pr(counts) -> tuple[float, float]:
    tp, predicted, required = counts
    return _ratio(tp, predicted), _ratio(tp, required)


def average_precision(ranked: Sequence[str], relevant: set[str], depth: int = 5) -> float:
    """AP@depth as the CheckThat! scorer computes it: sum of precision at each hit / |relevant|."""
    hits, total = 0, 0.0
    for rank, doc in enumerate(ranked[:depth], 1):
        if doc in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant) if relevant else 0.0


# -- real-news helpers: claims kept apart, speakers, stance, threshold bands -----------------
def must_not_merge_violations(main: Sequence[Optional[Hashable]], pred: Sequence[Hashable],
                              claim_pairs: Iterable[tuple[Hashable, Hashable]]) -> dict:
    """Must-not-merge pairs a prediction put together.

    Args:
        main: main claim of each sentence (None: none).
        pred: predicted label of each sentence; ungrouped sentences must carry labels of
            their own (:func:`claims.evaluation.metrics.with_singletons`).
        claim_pairs: pairs of claims that must not be in one group.

    Returns:
        ``sentence_pairs``: pairs (i, j) of distinct sentences, one stating each claim of a
        pair as main claim, with one predicted label; ``claim_pairs``: claim pairs with at
        least one such sentence pair; ``of_sentence_pairs`` and ``of_claim_pairs``: how many
        there are (claim pairs counted once, whether or not they have sentences).
    """
    if len(main) != len(pred):
        raise ValueError(f"{len(main)} claims for {len(pred)} labels")
    by_claim: dict = {}
    for i, c in enumerate(main):
        if c is not None:
            by_claim.setdefault(c, []).append(i)
    pairs = {(a, b) if str(a) <= str(b) else (b, a) for a, b in claim_pairs if a != b}
    violated_sentences = violated_claims = total = 0
    for a, b in sorted(pairs, key=str):
        hits = 0
        for i in by_claim.get(a, []):
            for j in by_claim.get(b, []):
                total += 1
                hits += pred[i] == pred[j]
        violated_sentences += hits
        violated_claims += hits > 0
    return {"sentence_pairs": violated_sentences, "of_sentence_pairs": total,
            "claim_pairs": violated_claims, "of_claim_pairs": len(pairs)}


def fold_text(text: Optional[str]) -> Optional[str]:
    """Case- and accent-folded text with one kind of apostrophe and single spaces."""
    if text is None:
        return None
    text = unicodedata.normalize("NFD", text.replace("\u2019", "'").replace("\u00a0", " "))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


def exact_name(text: Optional[str]) -> Optional[str]:
    """A name as written, with white space and apostrophes unified (Unicode NFC)."""
    if text is None:
        return None
    return " ".join(unicodedata.normalize("NFC", text).replace("\u2019", "'").split())


def lenient_speaker_match(gold: Optional[str], pred: Optional[str]) -> bool:
    """Same speaker, leniently: both narration, or equal once folded, or same last word."""
    if gold is None or pred is None:
        return gold is None and pred is None
    g, p = fold_text(gold), fold_text(pred)
    return g == p or g.split()[-1:] == p.split()[-1:]


def stance_scores(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict:
    """Macro-F1 over ``labels``, F1 per label of ``favor``/``against``/``neutral``, accuracy."""
    f1 = {}
    for s in ("favor", "against", "neutral"):
        tp = sum(g == p == s for g, p in zip(gold, pred))
        wrong = sum((p == s) != (g == s) for g, p in zip(gold, pred))
        f1[s] = 2 * tp / (2 * tp + wrong) if tp else 0.0
    return {"n": len(gold), "macro_f1": sum(f1[s] for s in labels) / len(labels) if gold else None,
            "f1": f1, "accuracy": sum(g == p for g, p in zip(gold, pred)) / max(len(gold), 1),
            "predicted": {s: sum(p == s for p in pred) for s in ("favor", "against", "neutral")},
            "gold": {s: sum(g == s for g in gold) for s in ("favor", "against", "neutral")}}


def threshold_band(threshold: float, width: float = 0.02, step: float = 0.01) -> list[float]:
    """The thresholds from ``threshold - width`` to ``threshold + width`` by ``step`` (4 decimals)."""
    steps = int(round(width / step))
    return [round(threshold + k * step, 4) for k in range(-steps, steps + 1)]
