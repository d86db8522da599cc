"""Fit the learned source ranker and measure it leave one event out, on TUNING events only.

Run from the repository root::

    python -m benchmarks.attribution_ranker            # leave-one-event-out table, rules vs rules + ranker

The ranker (:mod:`benchmarks.source_ranker`) only speaks where the rules found a cue but no
source. For each tuning event it is fitted on the candidates of the other events (every
(cue, mention) pair of every sentence the rules attribute on its own, outside quotations over
sentences, labelled by whether the mention's corpus-wide
name is the gold speaker) and scored on that event, whose sentences it never saw: the gain over
the rules alone is an out-of-sample figure, although the rules themselves were written on all
these events. ``C`` and ``threshold`` are fixed beforehand, not chosen on these figures. The
fixed check split (``CHECK``: events whose current errors were not read while this was built)
is printed apart. Held-out events are refused.
"""

from __future__ import annotations

import argparse

from benchmarks.attribution_taxonomy import CHECK
from claims.evaluation.metrics import exact_name


def _event_parts(gold, event, split_corpus):
    articles = [a for a in gold.articles if gold.event_of[a.id] == event]
    sentences = split_corpus(articles)
    return [(a, [s for s in sentences if s.article == a.id]) for a in articles]


def _attribute_event(parts, attributor, parses):
    """Each article attributed, then corpus-wide names; also each article's candidates."""
    from claims.attribution.canon import ArticleNames, canonical_speakers

    out, article_of, tables, found = [], [], [], []
    for k, (article, own) in enumerate(parts):
        if not own:
            continue
        result = attributor.attribute(article, own, parses.docs([s.text for s in own]))
        out.extend(result)
        article_of.extend([len(tables)] * len(own))
        found.extend((len(tables), s, c) for s, c in attributor.candidates_)
        tables.append(ArticleNames.of(attributor.context_, attributor.surfaces_))
    sentences = [s for _, own in parts for s in own]
    return sentences, canonical_speakers(out, article_of, tables), tables, found


def _score(gold, sentences, predicted) -> dict:
    row = {"att": 0, "att_ok": 0, "nar": 0, "nar_ok": 0}
    for s, p in zip(sentences, predicted):
        g = gold.gold[(s.article, s.index)]
        if g.skip:
            continue
        key = "att" if g.speaker else "nar"
        row[key] += 1
        row[key + "_ok"] += exact_name(g.speaker) == exact_name(p.speaker)
    return row


def collect(gold, events, parses, nlp) -> dict:
    """Per event: candidate features, labels, and the rules' scores."""
    from benchmarks.source_ranker import RankedAttributor
    from claims.attribution.canon import _namer
    from claims.french.cues import default_lexicon
    from claims.french.entities import default_metonyms
    from claims.ingest import split_corpus

    recorder = RankedAttributor(nlp=nlp)
    data = {}
    for event in events:
        parts = _event_parts(gold, event, split_corpus)
        sentences, predicted, tables, found = _attribute_event(parts, recorder, parses)
        name = _namer(tables, default_lexicon(), default_metonyms())
        X, y = [], []
        ceiling = {"no candidate": 0, "none right": 0, "one right": 0}
        right_of = {}
        for k, s, cands in found:
            g = gold.gold[(s.article, s.index)]
            if g.skip:
                continue
            labels = [int(g.speaker is not None and exact_name(name(k, speaker)) == exact_name(g.speaker))
                      for _, _, speaker, _ in cands]
            X.extend(features for _, _, _, features in cands)
            y.extend(labels)
            right_of[(s.article, s.index)] = max(labels, default=None)
        for s, p in zip(sentences, predicted):  # wrong attributed sentences: could a ranker fix them?
            g = gold.gold[(s.article, s.index)]
            if not g.skip and g.speaker and exact_name(g.speaker) != exact_name(p.speaker):
                right = right_of.get((s.article, s.index))
                ceiling["no candidate" if right is None else ("one right" if right else "none right")] += 1
        data[event] = {"X": X, "y": y, "parts": parts, "rules": _score(gold, sentences, predicted),
                       "ceiling": ceiling}
        print(f"  {event}: {len(X)} candidates, {sum(y)} right", flush=True)
    return data


def _totals(table: dict, events) -> tuple:
    att = sum(table[e]["att"] for e in events)
    return (sum(table[e]["att_ok"] for e in events) / max(att, 1), att,
            sum(table[e]["nar_ok"] for e in events) / max(sum(table[e]["nar"] for e in events), 1))


def main(argv=None) -> int:
    from benchmarks.source_ranker import RankedAttributor, SourceRanker
    from claims.evaluation.realnews import read_split, try_load_gold
    from claims.french.nlp import french_nlp
    from claims.french.parses import Parses

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument("--threshold", type=float, default=0.5)
    args = parser.parse_args(argv)
    split = read_split()
    events = split["tuning"] + split.get("tuning_speakers", [])
    if set(events) & set(split["heldout"]):
        raise SystemExit("held-out events are never used here")
    gold, why = try_load_gold(events)
    if gold is None:
        print(f"skipped: {why}")
        return 0
    nlp = french_nlp()
    parses = Parses(nlp)
    print("candidates per tuning event (rules alone):")
    data = collect(gold, events, parses, nlp)
    loeo = {}
    for event in events:
        X = [x for e in events if e != event for x in data[e]["X"]]
        y = [v for e in events if e != event for v in data[e]["y"]]
        ranker = SourceRanker(args.C, args.threshold).fit(X, y)
        sentences, predicted, _, _ = _attribute_event(
            data[event]["parts"], RankedAttributor(nlp=nlp, ranker=ranker), parses)
        loeo[event] = _score(gold, sentences, predicted)
    rules = {e: data[e]["rules"] for e in events}
    print(f"\nleave one event out, C={args.C}, threshold={args.threshold} (attributed right / n, narration right / n)")
    print(f"{'event':6}{'rules att':>12}{'+ranker':>10}{'rules nar':>12}{'+ranker':>10}")
    for e in events:
        r, l = rules[e], loeo[e]
        print(f"{e:6}{r['att_ok']:>7}/{r['att']:<4}{l['att_ok']:>6}/{l['att']:<4}"
              f"{r['nar_ok']:>7}/{r['nar']:<4}{l['nar_ok']:>6}/{l['nar']:<4}")
    develop = [e for e in events if e not in CHECK]
    for label, subset in (("all tuning", events), ("develop", develop), ("check " + ",".join(CHECK), CHECK)):
        ra, n, rn = _totals(rules, subset)
        la, _, ln = _totals(loeo, subset)
        print(f"{label:28} attributed {ra:.3f} -> {la:.3f} (n={n}); narration {rn:.3f} -> {ln:.3f}")
    print("\nwrong attributed sentences of the rules, by what a ranker over (cue, mention) candidates could do:")
    for label, subset in (("develop", develop), ("check", CHECK)):
        counts = {k: sum(data[e]["ceiling"][k] for e in subset) for k in ("no candidate", "none right", "one right")}
        print(f"  {label:8} no candidate (no licensed cue, or a quotation over sentences) {counts['no candidate']}, "
              f"candidates but none names the gold source {counts['none right']}, a right candidate {counts['one right']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
