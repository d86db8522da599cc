"""Claim grouping, attribution and stance on the real-news development set (issue 12, item 7).

``python -m benchmarks.realnews_quality`` scores, on the events of ``benchmarks/realnews/``
(texts outside git, see its README; the run skips with one message, exit 0, when they are
absent):

* claim grouping, each event run as its own corpus (the articles of one event are what a
  user would compare), figures micro-averaged over events (pair counts summed, B-cubed
  averaged over sentences):

  - ``default``: :func:`claims.analyze` with its defaults (e5-small, hybrid pair score,
    calibrated threshold, pair guards on);
  - ``hybrid``: the same pipeline (guards on) at a threshold chosen on the tuning events;
  - ``e5 cosine``: plain cosine of e5-small vectors, grouped by
    :func:`claims.matching.grouping.group_embeddings` (no guard, no lexical score);
  - ``TF-IDF char``: TF-IDF character n-grams (``claims/matching/lexical.py``), same grouping;
  - ``community_detection``: ``sentence_transformers.util.community_detection`` on e5-small.

  Every tuned threshold is the one with the best micro pair F1 over the **tuning** events
  (a sweep), then applied unchanged to the held-out events. Per system: pair P/R/F1,
  B-cubed F1, must-not-merge violations (sentence pairs of two must-not-merge claims put
  in one group, and how many annotated claim pairs have at least one), and fragility: the
  lowest and highest pair F1 over thresholds within +-0.02 of the chosen one.
* attribution of the default attributor against the gold speaker, cue and quote type:
  speaker exact (canonical name) and lenient (case- and accent-folded, last word), per split;
* stance of the gold groups' mentions with gold speakers (report-only; the gold has no
  ``against``, so macro-F1 is over favor and neutral).

Held-out events (``split.json``) are only ever reported in aggregate: no per-sentence output,
no error list, no per-event figure. ``--tuning-errors`` prints the errors of the tuning
events (never of the held-out ones) for reading. ``--only attribution`` scores the attribution
alone (no encoder, no grouping sweep, no stance; the attribution memo is used) on the tuning
events, and on the held-out ones in aggregate with ``--with-heldout``, for iterating on
attribution rules; it writes ``benchmarks/results/realnews_attribution.json``.

Writes ``benchmarks/results/realnews_quality.json``. Sentences marked ``skip`` in the gold
are given to the systems (they are in the articles) but not scored.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

import numpy as np

from benchmarks.machine import describe, machine
from claims.evaluation.metrics import (exact_name, lenient_speaker_match, must_not_merge_violations,
                                       score_grouping, stance_scores, threshold_band, with_singletons)
from claims.evaluation.metrics import fold_text as fold

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "realnews_quality.json"
RESULTS_ATTRIBUTION = REPO / "benchmarks" / "results" / "realnews_attribution.json"
MODEL = "e5-small"
MIN_ARTICLES = 2
BAND = 0.02
STEP = 0.01


def _grid(low: float, high: float) -> tuple[float, ...]:
    return tuple(round(float(t), 2) for t in np.arange(low, high + STEP / 2, STEP))


SWEEPS = {"hybrid": _grid(0.50, 0.85), "e5 cosine": _grid(0.78, 0.96),
          "TF-IDF char": _grid(0.10, 0.80), "community_detection": _grid(0.78, 0.96)}


# -- one event -------------------------------------------------------------------------------
@dataclass
class Event:
    """One event as one corpus: its sentences and the gold over the scored ones."""

    id: str
    articles: list
    sentences: list
    vectors: np.ndarray
    scored: list[int]  # rows (sentence positions) that count
    labels: list  # gold partition of the scored rows (shared main claims, else singletons)
    claims: list[frozenset]  # every claim of each scored row
    main: list[Optional[str]]  # main claim of each scored row
    ignore: set  # pairs of scored positions sharing a claim without being required
    must_not_merge: list[tuple[str, str]]
    preds: dict = field(default_factory=dict)  # (system, threshold) -> labels of all rows
    extra: dict = field(default_factory=dict)  # vectors of other systems (TF-IDF)

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.sentences]

    @property
    def article_ids(self) -> list[str]:
        return [s.article for s in self.sentences]


def build_event(gold, event: str, encoder) -> Event:
    from claims.ingest import split_corpus

    articles = [a for a in gold.articles if gold.event_of[a.id] == event]
    sentences = split_corpus(articles)
    for s in sentences:
        if gold.sentences[s.article][s.index].text != s.text:
            raise RuntimeError(f"{s.article}#{s.index}: the pipeline splits differently from the gold")
    vectors = encoder.encode([s.text for s in sentences])
    scored = [r for r, s in enumerate(sentences) if not gold.gold[(s.article, s.index)].skip]
    rows = [gold.gold[(sentences[r].article, sentences[r].index)] for r in scored]
    main = [g.claim for g in rows]
    labels = with_singletons([c if c in gold.groups else None for c in main])
    claims = [frozenset((g.claim,) + g.also) if g.claim else frozenset() for g in rows]
    tagged = [k for k, c in enumerate(claims) if c]
    ignore = {(a, b) for n, a in enumerate(tagged) for b in tagged[n + 1:]
              if claims[a] & claims[b] and labels[a] != labels[b]}
    mnm = [(a, b) for a, b, _ in gold.must_not_merge if a.split("/")[0] == event]
    return Event(event, articles, sentences, vectors, scored, labels, claims, main, ignore, mnm)


# -- systems: labels of all rows of one event at one threshold --------------------------------
def _hybrid(event: Event, threshold: float) -> list:
    """What :func:`claims.analyze` groups (hybrid pair score, default pair guard) at ``threshold``.

    The same public calls as :func:`claims.analyze` makes (pair scorer, guard, grouping), with the pair scorer fitted and the guard
    (``claims.pipeline.default_guard``) built once per event for the whole sweep. :func:`run` checks that
    this gives the default analysis' groups at the calibrated threshold.
    """
    from claims.matching.grouping import group_embeddings

    if "hybrid" not in event.extra:
        from claims.matching.scores import build_scorer
        from claims.models import get_encoder
        from claims.settings import resolve_settings

        settings = resolve_settings(MODEL, pair_score_name="hybrid")
        scorer = build_scorer(settings.pair_score, settings.model.lexical_weight, event.texts,
                              event.vectors, event.article_ids, get_encoder(MODEL, cache=True))
        event.extra["hybrid"] = scorer, _guard(event, PREVIEW_DATES)
    scorer, guard = event.extra["hybrid"]
    return group_embeddings(event.vectors, event.article_ids, threshold, MIN_ARTICLES,
                            texts=event.texts, guard=guard, pair_scorer=scorer).labels.tolist()


PREVIEW_DATES = False  # --quick: give the guard the article dates (analyze() does not)


def _guard(event: Event, dates: bool = False):
    """The pipeline's default guard for the event (as :func:`claims.analyze` builds it), with
    the sentences' article dates when ``dates``."""
    from claims.memo import Memo
    from claims.pipeline import default_guard

    date_of = {a.id: a.date for a in event.articles}
    article_dates = [date_of.get(s.article) for s in event.sentences] if dates else None
    return default_guard(event.texts, Memo(), dates=article_dates)


def same_partition(a: Sequence, b: Sequence) -> bool:
    """Whether two labelings group the same rows together (None and -1: ungrouped)."""
    def groups(labels):
        out: dict = {}
        for i, label in enumerate(labels):
            if label is not None and label != -1:
                out.setdefault(label, set()).add(i)
        return {frozenset(g) for g in out.values()}
    return groups(a) == groups(b)


def _cosine(event: Event, threshold: float) -> list:
    from claims.matching.grouping import group_embeddings

    return group_embeddings(event.vectors, event.article_ids, threshold, MIN_ARTICLES).labels.tolist()


def _tfidf(event: Event, threshold: float) -> list:
    from benchmarks.quality import tfidf_vectors
    from claims.matching.grouping import group_embeddings

    if "tfidf" not in event.extra:
        event.extra["tfidf"] = tfidf_vectors(event.texts)
    return group_embeddings(event.extra["tfidf"], event.article_ids, threshold, MIN_ARTICLES).labels.tolist()


def _community(event: Event, threshold: float) -> list:
    from benchmarks.quality import community_detection

    return community_detection(event.vectors, event.article_ids, threshold)


SYSTEMS: dict[str, Callable[[Event, float], list]] = {
    "hybrid": _hybrid, "e5 cosine": _cosine, "TF-IDF char": _tfidf,
    "community_detection": _community}
DESCRIBED = {
    "default": "claims.analyze defaults (e5-small, hybrid, calibrated threshold, guards on)",
    "hybrid": "claims.analyze, hybrid + guards, threshold tuned",
    "e5 cosine": "e5-small cosine + group_embeddings, no guard",
    "TF-IDF char": "TF-IDF char 3-5 + group_embeddings",
    "community_detection": "sentence-transformers community_detection on e5-small",
}


def predict(event: Event, system: str, threshold: float) -> list:
    key = (system, round(threshold, 4))
    if key not in event.preds:
        event.preds[key] = SYSTEMS[system](event, threshold)
    return event.preds[key]


def score_events(events: Sequence[Event], preds: Sequence[Sequence]) -> dict:
    """Micro-averaged scores over events: labels qualified by event, lists concatenated."""
    gold, pred, claims, main, ignore, mnm = [], [], [], [], set(), []
    for event, labels in zip(events, preds):
        offset = len(gold)
        full = with_singletons(list(labels))
        gold += [(event.id, g) for g in event.labels]
        pred += [(event.id, full[r]) for r in event.scored]
        claims += event.claims
        main += event.main
        ignore |= {(a + offset, b + offset) for a, b in event.ignore}
        mnm += event.must_not_merge
    out = score_grouping(gold, pred, ignore, claims)
    out["must_not_merge"] = must_not_merge_violations(main, pred, mnm)
    out["groups"] = len({p for p in pred if not (isinstance(p[1], tuple) and p[1][0] == "singleton")})
    out["sentences"] = len(gold)
    return out


def sweep(events: Sequence[Event], system: str, thresholds: Iterable[float]) -> dict:
    return {t: score_events(events, [predict(e, system, t) for e in events]) for t in thresholds}


def band(threshold: float) -> list[float]:
    return threshold_band(threshold, BAND, STEP)


def _row(name: str, threshold: float, tuned_on: str, scores: dict, around: dict) -> dict:
    f1s = [s["pair_f1"] for s in around.values()]
    keep = ("pair_precision", "pair_recall", "pair_f1", "bcubed_precision", "bcubed_recall",
            "bcubed_f1", "true_pairs", "predicted_pairs", "gold_pairs", "merged_distinct_claims",
            "must_not_merge", "groups", "sentences")
    return {"system": name, "threshold": threshold, "tuned_on": tuned_on,
            **{k: scores[k] for k in keep},
            "band": {"thresholds": sorted(around), "f1_min": min(f1s), "f1_max": max(f1s)}}


def grouping(tuning: Sequence[Event], heldout: Sequence[Event], calibrated: float) -> dict:
    """Every system on both splits; thresholds chosen on the tuning events."""
    out = {"tuning": [], "heldout": [], "sweeps_on_tuning": {}}
    none = [[None] * len(e.sentences) for e in tuning], [[None] * len(e.sentences) for e in heldout]
    for split, events, preds in (("tuning", tuning, none[0]), ("heldout", heldout, none[1])):
        out[split].append(_row("reference: no grouping", None, "-", score_events(events, preds),
                               {0.0: score_events(events, preds)}))
    for split, events in (("tuning", tuning), ("heldout", heldout)):
        default = score_events(events, [e.preds["default"] for e in events])
        out[split].append(_row("default", calibrated, "calibrated (claims/data/thresholds.json)",
                               default, sweep(events, "hybrid", band(calibrated))))
    for system, grid in SWEEPS.items():
        start = time.perf_counter()
        found = sweep(tuning, system, grid)
        best = max(grid, key=lambda t: found[t]["pair_f1"])  # ties: the lowest threshold
        found.update(sweep(tuning, system, band(best)))
        out["sweeps_on_tuning"][system] = {str(t): round(found[t]["pair_f1"], 4) for t in grid}
        out["tuning"].append(_row(system, best, "tuning events (in-sample)", found[best],
                                  {t: found[t] for t in band(best)}))
        held = sweep(heldout, system, band(best))
        out["heldout"].append(_row(system, best, "tuning events", held[round(best, 4)], held))
        print(f"... {system}: threshold {best} (tuning F1 {found[best]['pair_f1']:.3f}), "
              f"{time.perf_counter() - start:.0f} s", file=sys.stderr)
    return out


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


# -- reading the tuning errors (never the held-out ones) --------------------------------------
def tuning_errors(gold, events: Sequence[Event], system: str, threshold: float) -> None:
    """Print false merges, misses and attribution errors of the TUNING events."""
    for event in events:
        labels = with_singletons(list(predict(event, system, threshold)))
        print(f"\n=== {event.id} ({system} @ {threshold}) ===")
        pos = {r: k for k, r in enumerate(event.scored)}
        for a, ra in enumerate(event.scored):
            for rb in event.scored[a + 1:]:
                b = pos[rb]
                same_gold, same_pred = event.labels[a] == event.labels[b], labels[ra] == labels[rb]
                if same_gold == same_pred or (a, b) in event.ignore:
                    continue
                kind = "MISS " if same_gold else "MERGE"
                sa, sb = event.sentences[ra], event.sentences[rb]
                print(f"{kind} {event.main[a]} | {event.main[b]}\n   {sa.article}#{sa.index} "
                      f"{sa.text[:150]!r}\n   {sb.article}#{sb.index} {sb.text[:150]!r}")
        if "attribution" in event.preds:
            attribution_errors(gold, event)


def attribution_errors(gold, event: Event) -> None:
    """Print the attribution errors of one TUNING event."""
    for r in event.scored:
        s = event.sentences[r]
        g, p = gold.gold[(s.article, s.index)], event.preds["attribution"][r]
        if exact_name(g.speaker) != exact_name(p.speaker) or fold(g.cue) != fold(p.cue) \
                or g.quote != p.quote:
            print(f"ATTR {s.article}#{s.index} gold ({g.speaker}, {g.cue}, {g.quote}) pred "
                  f"({p.speaker}, {p.cue}, {p.quote}): {s.text[:260]!r}")


# -- run and report --------------------------------------------------------------------------
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


def run(errors: bool = False) -> Optional[dict]:
    from claims import analyze
    from claims.evaluation.realnews import read_split, try_load_gold
    from claims.models import get_encoder

    split = read_split()
    gold, why = try_load_gold(split["tuning"] + split["heldout"])
    if gold is None:
        print(f"realnews_quality skipped: {why}")
        return None
    start = time.perf_counter()
    encoder = get_encoder(MODEL, cache=True)
    events = {e: build_event(gold, e, encoder) for e in split["tuning"] + split["heldout"]}
    encode_s = time.perf_counter() - start
    calibrated = None
    for event in events.values():  # the default system, once per event, with attribution
        analysis = analyze(event.articles, embeddings=event.vectors)
        event.preds["default"] = analysis.labels
        event.preds["attribution"] = [r.attribution for r in analysis.rows]
        calibrated = analysis.settings.threshold.value
        if analysis.settings.threshold.source != "calibrated" or analysis.settings.model.name != MODEL:
            raise RuntimeError(f"the default analysis is not the calibrated {MODEL}: {analysis.settings}")
    default_s = time.perf_counter() - start - encode_s
    for event in events.values():
        if not same_partition(event.preds["default"], predict(event, "hybrid", calibrated)):
            raise RuntimeError(f"{event.id}: the benchmark's hybrid grouping differs from analyze()")
    tuning = [events[e] for e in split["tuning"]]
    heldout = [events[e] for e in split["heldout"]]
    result = {
        "machine": machine(),
        "split": {"tuning": split["tuning"], "heldout": split["heldout"], "seed": split["seed"]},
        "gold": {name: {"events": len(evs), "articles": sum(len(e.articles) for e in evs),
                        "sentences": sum(len(e.sentences) for e in evs),
                        "scored": sum(len(e.scored) for e in evs),
                        "required_pairs": score_events(evs, [[None] * len(e.sentences) for e in evs])["gold_pairs"],
                        "must_not_merge_claim_pairs": sum(len(e.must_not_merge) for e in evs)}
                 for name, evs in (("tuning", tuning), ("heldout", heldout))},
        "grouping": grouping(tuning, heldout, calibrated),
        "per_event_tuning": {e.id: round(score_events([e], [e.preds["default"]])["pair_f1"], 4)
                             for e in tuning},
        "attribution": {"tuning": attribution_scores(gold, tuning),
                        "heldout": attribution_scores(gold, heldout)},
        "stance_gold_groups": {"tuning": stance_report(gold, tuning, encoder),
                               "heldout": stance_report(gold, heldout, encoder)},
        "seconds": {"encode": round(encode_s, 1), "default_analyses": round(default_s, 1),
                    "total": round(time.perf_counter() - start, 1)},
    }
    if errors:
        tuning_errors(gold, tuning, "hybrid", calibrated)
    return result


def quick(errors: bool = False, dates: bool = True) -> None:
    """``--quick``: the default grouping on the TUNING events only (no attribution, stance or
    other systems), for measuring a change to the guards or features in a minute."""
    from claims.evaluation.realnews import read_split, try_load_gold
    from claims.models import get_encoder
    from claims.settings import resolve_settings

    global PREVIEW_DATES
    PREVIEW_DATES = dates
    split = read_split()
    gold, why = try_load_gold(split["tuning"])
    if gold is None:
        print(f"realnews_quality skipped: {why}")
        return
    start = time.perf_counter()
    encoder = get_encoder(MODEL, cache=True)
    tuning = [build_event(gold, e, encoder) for e in split["tuning"]]
    calibrated = resolve_settings(MODEL, pair_score_name="hybrid").threshold.value
    preds = [predict(e, "hybrid", calibrated) for e in tuning]
    s = score_events(tuning, preds)
    m = s["must_not_merge"]
    print(f"tuning, default grouping @ {calibrated:.3f}: pair P {s['pair_precision']:.3f} "
          f"R {s['pair_recall']:.3f} F1 {s['pair_f1']:.3f}, B3 F1 {s['bcubed_f1']:.3f}, "
          f"MNM claim pairs {m['claim_pairs']}/{m['of_claim_pairs']} "
          f"(sentence pairs {m['sentence_pairs']}), groups {s['groups']}")
    print("per event (pair F1, MNM claim pairs): " + ", ".join(
        f"{e.id} {score_events([e], [p])['pair_f1']:.2f}/{score_events([e], [p])['must_not_merge']['claim_pairs']}"
        for e, p in zip(tuning, preds)))
    if errors:
        tuning_errors(gold, tuning, "hybrid", calibrated)
        for e, p in zip(tuning, preds):
            full = with_singletons(list(p))
            rows = {c: [r for r, mc in zip(e.scored, e.main) if mc == c] for c in set(e.main)}
            for a, b in e.must_not_merge:
                for ra in rows.get(a, []):
                    for rb in rows.get(b, []):
                        if full[ra] == full[rb]:
                            print(f"MNM {a} | {b}\n   {e.sentences[ra].text[:160]!r}\n"
                                  f"   {e.sentences[rb].text[:160]!r}")
    print(f"{time.perf_counter() - start:.0f} s", file=sys.stderr)


def _thr(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.3f}"


def _fmt_table(rows: list[dict]) -> list[str]:
    head = (f"  {'system':26} {'thr':>6} {'pairP':>5} {'pairR':>5} {'pairF1':>6} {'B3F1':>5} "
            f"{'MNM sent':>8} {'MNM claim':>9} {'F1 +-0.02':>11} {'grp':>4}")
    lines = [head, "  " + "-" * (len(head) - 2)]
    for r in rows:
        m, b = r["must_not_merge"], r["band"]
        lines.append(
            f"  {r['system'][:26]:26} {_thr(r['threshold']):>6} {r['pair_precision']:5.2f} "
            f"{r['pair_recall']:5.2f} {r['pair_f1']:6.3f} {r['bcubed_f1']:5.2f} "
            f"{m['sentence_pairs']:>8d} {m['claim_pairs']:>4d}/{m['of_claim_pairs']:<4d} "
            f"{b['f1_min']:5.3f}-{b['f1_max']:5.3f} {r['groups']:>4d}")
    return lines


def report(result: dict) -> None:
    print(f"machine: {describe(result['machine'])}")
    for name, g in result["gold"].items():
        print(f"{name}: {g['events']} events, {g['articles']} articles, {g['sentences']} sentences "
              f"({g['scored']} scored), {g['required_pairs']} required pairs, "
              f"{g['must_not_merge_claim_pairs']} must-not-merge claim pairs")
    gr = result["grouping"]
    print("\nHELD-OUT events (" + ", ".join(result["split"]["heldout"]) + "), thresholds chosen on "
          "tuning events; each event its own corpus, micro-averaged over events:")
    print("\n".join(_fmt_table(gr["heldout"])))
    print("\ntuning events (" + ", ".join(result["split"]["tuning"]) + "), IN-SAMPLE for the "
          "tuned thresholds:")
    print("\n".join(_fmt_table(gr["tuning"])))
    print("\nthr: pair-score threshold (hybrid and default: hybrid scale; e5 cosine and "
          "community_detection: cosine; TF-IDF: TF-IDF cosine).")
    print("pairP/R/F1: over required pairs (pairs sharing only an `also` claim ignored); B3F1: "
          "B-cubed on the main-claim partition (rewards grouping nothing: see the reference row).")
    print("MNM sent: must-not-merge sentence pairs put in one group; MNM claim: annotated "
          "must-not-merge claim pairs with at least one such sentence pair / all.")
    print("F1 +-0.02: lowest-highest pair F1 at thresholds within 0.02 of the one used (0.01 steps).")
    print("default: " + DESCRIBED["default"] + "; hybrid: same pipeline, threshold tuned.")
    print("\ndefault, pair F1 per tuning event: " + ", ".join(
        f"{e} {f:.2f}" for e, f in result["per_event_tuning"].items()))
    report_attribution(result)
    print("\nstance of gold-group mentions with gold speakers (report only; the gold has no "
          "`against`, macro-F1 over favor and neutral):")
    for split in ("heldout", "tuning"):
        st = result["stance_gold_groups"][split]
        d, m = st["default"], st["majority"]
        print(f"  {split:8} n {d['n']:>3d}: macro-F1 {d['macro_f1']:.3f} (F1 favor "
              f"{d['f1']['favor']:.3f}, neutral {d['f1']['neutral']:.3f}), accuracy "
              f"{d['accuracy']:.3f}, predicted against {d['predicted']['against']}; "
              f"majority class macro-F1 {m['macro_f1']:.3f}")
    s = result["seconds"]
    print(f"\nseconds: encode {s['encode']}, default analyses {s['default_analyses']}, total {s['total']}")


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


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tuning-errors", action="store_true",
                        help="also print the errors of the TUNING events (never the held-out ones)")
    parser.add_argument("--quick", action="store_true",
                        help="only the default grouping on the TUNING events (no attribution, "
                             "stance, other systems or held-out events; nothing written)")
    parser.add_argument("--no-dates", action="store_true",
                        help="with --quick: do not give the pair guard the article dates")
    parser.add_argument("--only", choices=("attribution",),
                        help="score only this part (attribution: no encoder, grouping or stance; "
                             "tuning events only unless --with-heldout)")
    parser.add_argument("--with-heldout", action="store_true",
                        help="with --only attribution: also score the held-out events (aggregate)")
    args = parser.parse_args(argv)
    if args.quick:
        quick(errors=args.tuning_errors, dates=not args.no_dates)
        return 0
    if args.only == "attribution":
        result = run_attribution(errors=args.tuning_errors, heldout=args.with_heldout)
        if result is None:
            return 0
        print(f"machine: {describe(result['machine'])}")
        report_attribution(result)
        print(f"\nseconds: total {result['seconds']['total']}")
        out = RESULTS_ATTRIBUTION
    else:
        result = run(errors=args.tuning_errors)
        if result is None:
            return 0
        report(result)
        out = RESULTS
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n",
                   encoding="utf-8")
    print(f"\nwrote {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
