"""Scoring fact slots against gold facts (``"facts"`` of the real-news annotations, RULES.md).

A gold fact is a set of claim ids whose sentences give versions of one fact; it is
*disputed* when at least two of its claims have a sentence in the corpus. Each sentence
carries the claims the gold gives it (main claim and ``also``).

* **Disputed facts** ("a fact counts when its versions match the gold's"). A predicted
  disputed fact is a list of versions, each the rows giving one value. A version *gives* the
  gold claims of its rows. The fact is right about a gold fact when its versions give at
  least two of that fact's claims and every version that gives some gold claim gives one of
  that fact's (no version of another fact mixed in; a version of unannotated rows is not
  counted against it). Precision: predicted disputed facts right about some gold fact. A gold
  disputed fact is found when one predicted fact is right about it and its versions give at
  least half of its claims present in the corpus (recall: its story is shown, not a fragment).
* **Version pairs.** Two sentences giving two different versions of one gold fact (a claim of
  the fact each, and no claim of the fact in common). Predicted: two rows of one fact whose
  versions' values cannot be equal.
* **Mixed pairs.** Predicted version pairs whose main claims are a must-not-merge pair that no
  gold fact joins (a rate with a cumulative rise, dead with injured, two countries' tolls).
"""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence


def gold_version_pairs(claims: Mapping[int, frozenset], facts: Iterable[frozenset]) -> set[tuple[int, int]]:
    """Row pairs giving two different versions of one gold fact."""
    pairs = set()
    rows = sorted(claims)
    for fact in facts:
        inside = [(r, claims[r] & fact) for r in rows if claims[r] & fact]
        for n, (a, ca) in enumerate(inside):
            for b, cb in inside[n + 1:]:
                if not (ca & cb):
                    pairs.add((a, b))
    return pairs


def present(fact: frozenset, claims: Mapping[int, frozenset]) -> frozenset:
    """The claims of a gold fact that some sentence gives."""
    return frozenset(c for c in fact if any(c in cs for cs in claims.values()))


def matches(versions: Sequence[Sequence[int]], fact: frozenset, claims: Mapping[int, frozenset],
            whole: bool = True) -> bool:
    """Whether a predicted fact's versions (rows of each) match a gold fact and, when
    ``whole``, give at least half of its claims present (module docstring)."""
    covered: set = set()
    for rows in versions:
        given = frozenset().union(*(claims.get(r, frozenset()) for r in rows))
        if given and not given & fact:
            return False  # a version of something else
        covered |= given & fact
    if len(covered) < 2:
        return False
    return not whole or 2 * len(covered) >= len(present(fact, claims))


def prf(tp_p: int, n_p: int, tp_g: int, n_g: int) -> dict:
    p = tp_p / n_p if n_p else 0.0
    r = tp_g / n_g if n_g else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "predicted": n_p, "gold": n_g, "tp_predicted": tp_p, "tp_gold": tp_g}


def score_facts(predicted: Sequence[Sequence[Sequence[int]]], predicted_pairs: Iterable[tuple[int, int]],
                claims: Mapping[int, frozenset], gold_facts: Sequence[frozenset],
                main: Mapping[int, str], must_not_merge: Iterable[tuple[str, str]]) -> dict:
    """Counts for one corpus (sum them over events, then :func:`prf`).

    Args:
        predicted: each predicted disputed fact as its versions, each the rows giving it.
        predicted_pairs: row pairs the system gives as two versions of one fact.
        claims: gold claims of each scored row.
        gold_facts: claim sets of the gold facts.
        main: main claim of each scored row.
        must_not_merge: claim pairs that are different claims.
    """
    disputed = [f for f in gold_facts if len(present(f, claims)) >= 2]
    tp_p = sum(1 for versions in predicted if any(matches(versions, f, claims, whole=False) for f in disputed))
    tp_g = sum(1 for f in disputed if any(matches(versions, f, claims) for versions in predicted))
    gold_pairs = gold_version_pairs(claims, disputed)
    pred_pairs = {tuple(sorted(p)) for p in predicted_pairs if p[0] in claims or p[1] in claims}
    pred_pairs = {p for p in pred_pairs if p[0] in main and p[1] in main}  # scored rows only
    joined = {frozenset((a, b)) for f in gold_facts for a in f for b in f}
    apart = {frozenset(p) for p in must_not_merge} - joined
    mixed = sum(1 for a, b in pred_pairs if main.get(a) and main.get(b)
                and frozenset((main[a], main[b])) in apart)
    return {"facts_pred": len(predicted), "facts_tp_pred": tp_p, "facts_gold": len(disputed), "facts_tp_gold": tp_g,
            "pairs_pred": len(pred_pairs), "pairs_tp": len(pred_pairs & gold_pairs), "pairs_gold": len(gold_pairs),
            "mixed_pairs": mixed}


def summarise(counts: Sequence[dict]) -> dict:
    """Precision/recall of disputed facts and version pairs over summed counts."""
    total = {k: sum(c[k] for c in counts) for k in counts[0]} if counts else {}
    if not total:
        return {}
    return {"facts": prf(total["facts_tp_pred"], total["facts_pred"], total["facts_tp_gold"], total["facts_gold"]),
            "pairs": prf(total["pairs_tp"], total["pairs_pred"], total["pairs_tp"], total["pairs_gold"]),
            "mixed_pairs": total["mixed_pairs"]}


__all__ = ["gold_version_pairs", "matches", "present", "prf", "score_facts", "summarise"]
