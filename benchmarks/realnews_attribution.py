"""Attribution and stance on the real-news development set, for :mod:`benchmarks.realnews_quality`.

The default attributor against the gold speaker, cue and quote type; the stance of the gold
groups' mentions; ``--only attribution`` (:func:`run_attribution`). Held-out events are
reported in aggregate only; errors are printed for tuning events only.
"""

from __future__ import annotations

import time
from typing import Optional, Sequence

import numpy as np

from benchmarks.machine import machine
from benchmarks.realnews_events import Event
from claims.evaluation.metrics import exact_name, lenient_speaker_match, stance_scores
from claims.evaluation.metrics import fold_text as fold

# -- attribution and stance -----------------------------------------------------------------
def attribution_scores(gold, events: Sequence[Event]) -> dict:
    """Speaker (exact, lenient), cue and quote accuracy of the default attributor."""
    triples = []
    for event in events:
        for r in event.scored:
            s = event.sentences[r]
            g = gold.gold[(s.article, s.index)]
            triples.append((g, event.preds["attribution"][r]))

    def acc(items) -> dict:
        n = len(items)
        if not n:
            return {"n": 0}
        return {"n": n,
                "speaker_exact": sum(exact_name(g.speaker) == exact_name(p.speaker) for g, p in items) / n,
                "speaker_lenient": sum(lenient_speaker_match(g.speaker, p.speaker) for g, p in items) / n,
                "cue": sum(fold(g.cue) == fold(p.cue) for g, p in items) / n,
                "quote": sum(g.quote == p.quote for g, p in items) / n,
                "speaker_given": sum(p.speaker is not None for g, p in items),
                "speaker_given_right": sum(p.speaker is not None and exact_name(g.speaker)
                                           == exact_name(p.speaker) for g, p in items)}

    return {"all": acc(triples), "with_speaker": acc([t for t in triples if t[0].speaker]),
            "narration": acc([t for t in triples if not t[0].speaker])}


def gold_groups(gold, event: Event) -> list:
    """The event's gold shared claims as claim groups, mentions with gold attributions."""
    from claims.records import Attribution, ClaimGroup, Mention

    row_of = {(s.article, s.index): r for r, s in enumerate(event.sentences)}
    groups = []
    for claim, locs in gold.groups.items():
        if claim.split("/")[0] != event.id:
            continue
        mentions = []
        for loc in locs:
            g = gold.gold[loc]
            mentions.append(Mention(event.sentences[row_of[loc]], 1.0,
                                    Attribution(g.speaker, g.cue, g.quote), row=row_of[loc]))
        groups.append(ClaimGroup(claim, tuple(mentions)))
    return groups


def stance_report(gold, events: Sequence[Event], encoder) -> dict:
    from claims.stance.assign import GroupStance

    model = GroupStance(encoder=encoder)
    stances = gold.stances()
    gold_labels, pred = [], []
    for event in events:
        for group in gold_groups(gold, event):
            for m in model.assign(group, event.vectors).mentions:
                loc = (m.sentence.article, m.sentence.index)
                if loc in stances:
                    gold_labels.append(stances[loc])
                    pred.append(m.stance)
    labels = [s for s in ("favor", "against", "neutral") if s in gold_labels]
    majority = max(labels, key=gold_labels.count) if labels else "neutral"
    return {"classes_scored": labels,
            "default": stance_scores(gold_labels, pred, labels),
            "majority": stance_scores(gold_labels, [majority] * len(gold_labels), labels)}


def attribution_errors(gold, event: Event) -> None:
    """Print the attribution errors of one TUNING event."""
    for r in event.scored:
        s = event.sentences[r]
        g, p = gold.gold[(s.article, s.index)], event.preds["attribution"][r]
        if exact_name(g.speaker) != exact_name(p.speaker) or fold(g.cue) != fold(p.cue) \
                or g.quote != p.quote:
            print(f"ATTR {s.article}#{s.index} gold ({g.speaker}, {g.cue}, {g.quote}) pred "
                  f"({p.speaker}, {p.cue}, {p.quote}): {s.text[:260]!r}")


def run_attribution(errors: bool = False, heldout: bool = False) -> Optional[dict]:
    """Attribution alone: the default attributor (memoised), scored on the tuning events, and
    on the held-out events (aggregate only) when ``heldout`` is true: while rules are being
    tuned the held-out figure is not even looked at."""
    from claims.attribution.corpus import attribute_corpus
    from claims.evaluation.realnews import read_split, try_load_gold
    from claims.french.parses import Parses
    from claims.ingest import split_corpus
    from claims.memo import Memo

    split = read_split()
    # events annotated for speakers only (claims null) count for the attribution, not the grouping
    split = {**split, "tuning": split["tuning"] + split.get("tuning_speakers", [])}
    gold, why = try_load_gold(split["tuning"] + split["heldout"])
    if gold is None:
        print(f"realnews_quality skipped: {why}")
        return None
    start = time.perf_counter()
    memo, parses = Memo(), Parses()
    events = {}
    for e in split["tuning"] + (split["heldout"] if heldout else []):
        articles = [a for a in gold.articles if gold.event_of[a.id] == e]
        sentences = split_corpus(articles)
        scored = [r for r, s in enumerate(sentences) if not gold.gold[(s.article, s.index)].skip]
        event = Event(e, articles, sentences, np.zeros((0, 0)), scored, [], [], [], set(), [])
        event.preds["attribution"] = attribute_corpus(articles, sentences, None, memo, parses)
        events[e] = event
    tuning = [events[e] for e in split["tuning"]]
    scores = {"tuning": attribution_scores(gold, tuning)}
    if heldout:
        scores["heldout"] = attribution_scores(gold, [events[e] for e in split["heldout"]])
    result = {"machine": machine(),
              "split": {"tuning": split["tuning"], "heldout": split["heldout"], "seed": split["seed"]},
              "attribution": scores,
              "seconds": {"total": round(time.perf_counter() - start, 1)}}
    if errors:
        for event in tuning:
            print(f"\n=== {event.id} ===")
            attribution_errors(gold, event)
    return result


def report_attribution(result: dict) -> None:
    print("\nattribution, default attributor vs gold (accuracy over scored sentences):")
    print(f"  {'split':8} {'subset':13} {'n':>4} {'speaker':>8} {'lenient':>8} {'cue':>6} {'quote':>6}")
    splits = [s for s in ("heldout", "tuning") if s in result["attribution"]]
    for split in splits:
        for subset, a in result["attribution"][split].items():
            if a["n"]:
                print(f"  {split:8} {subset:13} {a['n']:>4d} {a['speaker_exact']:8.3f} "
                      f"{a['speaker_lenient']:8.3f} {a['cue']:6.3f} {a['quote']:6.3f}")
    print("  speaker: canonical name exactly; lenient: case/accent-folded equal or same last word.")
    for split in splits:
        a = result["attribution"][split]["all"]
        print(f"  {split}: a speaker given for {a['speaker_given']} sentences, "
              f"{a['speaker_given_right']} of them the gold speaker exactly "
              f"(gold: {result['attribution'][split]['with_speaker']['n']} with a speaker)")


