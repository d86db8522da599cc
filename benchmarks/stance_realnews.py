"""Stance on the real-news events, read by ``python -m benchmarks.stance``.

Each event's gold shared claims become claim groups; every mention with a gold stance is scored
(macro-F1 over the stances the gold uses, confusion matrix), three ways:

* gold groups, gold speakers: the stance model alone;
* gold groups, system speakers: the attribution's errors included (the default attributor);
* system groups, system speakers: the whole pipeline's grouping at its calibrated threshold
  (``claims.analyze`` settings); a mention counts when its system group's most frequent gold
  claim is its own gold claim (else its stance is toward another claim and is not scored).

Beside them, the previous stance rules (:data:`PREVIOUS`, measured before the change) and the majority class of the gold (an optimistic baseline: it reads the gold).
Held-out events are reported; the tuning events too, as a second line. Skipped with a message
when the texts are absent.
"""

from __future__ import annotations

from collections import Counter
from typing import Optional

from claims.records import Attribution, ClaimGroup, Mention


# The stance rules before issue 13's "against needs evidence" (commit 3b134f9, same
# attribution), measured with this module on this machine: macro-F1 per split and set-up.
PREVIOUS = {"heldout": {"gold groups, gold speakers": 0.948, "gold groups, system speakers": 0.816,
                        "system groups, system speakers": 0.808},
            "tuning": {"gold groups, gold speakers": 0.965, "gold groups, system speakers": 0.951,
                       "system groups, system speakers": 0.951}}


def _groups(gold, sentences, rows_by_claim: dict, attributions) -> list[ClaimGroup]:
    out = []
    for claim, rows in rows_by_claim.items():
        mentions = tuple(Mention(sentences[r], 1.0, attributions[r], row=r) for r in rows)
        out.append(ClaimGroup(str(claim), mentions))
    return out


def _system_groups(event, threshold: float, attributions) -> list[ClaimGroup]:
    from benchmarks.realnews_quality import predict

    labels = list(predict(event, "hybrid", threshold))
    by_label: dict = {}
    for r, label in enumerate(labels):
        if label is not None and label >= 0:
            by_label.setdefault(label, []).append(r)
    by_label = {k: v for k, v in by_label.items() if len({event.sentences[r].article for r in v}) > 1}
    return _groups(None, event.sentences, by_label, attributions)


def evaluate(events, gold, encoder, threshold: float) -> dict:
    """Gold and predicted stances of the three set-ups over ``events``."""
    from claims.attribution.corpus import attribute_corpus
    from claims.stance.assign import GroupStance

    model = GroupStance(encoder=encoder)
    stances = gold.stances()
    runs = {"gold groups, gold speakers": ([], []), "gold groups, system speakers": ([], []),
            "system groups, system speakers": ([], [])}
    for event in events:
        loc = [(s.article, s.index) for s in event.sentences]
        gold_att = [Attribution(gold.gold[l].speaker, gold.gold[l].cue, gold.gold[l].quote) for l in loc]
        system_att = attribute_corpus(event.articles, event.sentences)
        rows_by_claim: dict = {}
        for r, l in enumerate(loc):
            claim = gold.gold[l].claim
            if claim in gold.groups and l in stances:
                rows_by_claim.setdefault(claim, []).append(r)
        setups = {"gold groups, gold speakers": _groups(gold, event.sentences, rows_by_claim, gold_att),
                  "gold groups, system speakers": _groups(gold, event.sentences, rows_by_claim, system_att),
                  "system groups, system speakers": _system_groups(event, threshold, system_att)}
        for name, groups in setups.items():
            g_list, p_list = runs[name]
            for group in groups:
                claims = Counter(gold.gold[loc[m.row]].claim for m in group.mentions if gold.gold[loc[m.row]].claim)
                top = claims.most_common(1)[0][0] if claims else None
                for m in model.assign(group, event.vectors).mentions:
                    l = loc[m.row]
                    if l in stances and gold.gold[l].claim == top:
                        g_list.append(stances[l])
                        p_list.append(m.stance)
    return runs


def score(gold: list, pred: list) -> dict:
    """Macro-F1 over the stances the gold uses (as ``benchmarks.realnews_quality``), with confusion."""
    from claims.evaluation.metrics import stance_scores

    labels = [s for s in ("favor", "against", "neutral") if s in gold] or ["neutral"]
    out = stance_scores(gold, pred, labels)
    out["labels"] = labels
    out["confusion"] = {g: {p: sum(x == g and y == p for x, y in zip(gold, pred))
                            for p in ("favor", "against", "neutral")} for g in ("favor", "against", "neutral")}
    return out


def run() -> Optional[dict]:
    from benchmarks.realnews_quality import MODEL, build_event
    from claims.evaluation.realnews import read_split, try_load_gold
    from claims.settings import resolve_settings
    from claims.training.stance import training_encoder

    split = read_split()
    gold, why = try_load_gold(split["tuning"] + split["heldout"])
    if gold is None:
        print(f"real-news stance skipped: {why}")
        return None
    encoder = training_encoder()
    threshold = resolve_settings(MODEL, pair_score_name="hybrid").threshold.value
    out = {"threshold": threshold}
    for name in ("heldout", "tuning"):
        events = [build_event(gold, e, encoder) for e in split[name]]
        runs = evaluate(events, gold, encoder, threshold)
        out[name] = {}
        for setup, (g, p) in runs.items():
            top = Counter(g).most_common(1)[0][0] if g else "neutral"
            out[name][setup] = {"system": score(g, p), "majority class": score(g, [top] * len(g))}
    return out


def print_run(result: Optional[dict]) -> None:
    if result is None:
        return
    print(f"\nReal-news events, stance over grouped mentions (grouping threshold {result['threshold']}):")
    print(f"  {'split':<8}{'set-up':<33}{'n':>5}{'macro-F1':>9}{'previous':>9}{'majority':>9}   confusion gold -> pred "
          "(favor/against/neutral)")
    for name in ("heldout", "tuning"):
        for setup, r in result[name].items():
            s, m = r["system"], r["majority class"]
            conf = " ".join(f"{g[:3]}:{'/'.join(str(s['confusion'][g][p]) for p in ('favor', 'against', 'neutral'))}"
                            for g in ("favor", "against", "neutral"))
            print(f"  {name:<8}{setup:<33}{s['n']:>5}{s['macro_f1']:>9.3f}{PREVIOUS[name][setup]:>9.3f}"
                  f"{m['macro_f1']:>9.3f}   {conf}")
    labels = result["heldout"]["gold groups, gold speakers"]["system"]["labels"]
    print(f"  macro-F1 over the stances the gold uses ({', '.join(labels)}); a predicted stance the gold"
          " never uses lowers the others' precision")


__all__ = ["evaluate", "print_run", "run"]
