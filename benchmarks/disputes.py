"""Disputed facts and their versions against the gold fact slots (issue 14).

``python -m benchmarks.disputes`` runs :func:`claims.analyze` on each real-news event as its
own corpus (texts outside git; skipped with one message, exit 0, when absent) and scores its
figure facts against the ``"facts"`` of ``benchmarks/realnews/annotations/`` with the metrics
of :mod:`claims.evaluation.facts`: precision and recall of disputed facts and of version
pairs, and version pairs mixing two kinds of figure (must-not-merge claims no gold fact
joins; target 0). Beside it, a baseline that pairs any two sentences of the event's topic
that give different numbers (its facts: the connected sentences).

The slot settings (:class:`claims.facts.SlotBuilder`: topic cosine, overlap of the words
around the figures, days apart) are chosen by a sweep on the **tuning** events only (fewest
mixed-kind pairs, then best disputed-fact F1, then version-pair F1), and the shipped defaults are printed beside it;
held-out events are scored once, in aggregate, with the shipped defaults. On the demo
corpus (``seeds/``, gold ``benchmarks/gold/facts.json``) it checks the two targets of the
issue: the 400 and 325 million dollar packages are not versions of one fact, and Putin's and
NATO's opposite readings of the war are one fact with two stances.

Tuning and held-out figures are printed side by side, with the baseline, and, on the tuning
events, leave-one-event-out: each tuning event scored with the settings the sweep finds best
on the other tuning events (what the sweep is worth on an unseen event; held-out events never enter
the sweep). The tuning events are those of ``tuning``, ``tuning_speakers`` and ``tuning_facts`` whose facts are
annotated (:func:`facts_annotated`; an empty ``facts`` then means "no disputed fact", so every
disputed fact found there is a false positive). ``--sweep`` prints the tuning sweep. Writes ``benchmarks/results/disputes.json``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path
from typing import Optional, Sequence

from benchmarks.machine import describe, machine

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "disputes.json"
ANNOTATIONS = REPO / "benchmarks" / "realnews" / "annotations"
DEMO_FACTS = REPO / "benchmarks" / "gold" / "facts.json"
GRID = {"topic_threshold": (0.85, 0.88, 0.90, 0.92), "generic_topic_threshold": (0.91, 0.93, 0.95),
        "context_threshold": (0.15, 0.25, 0.4, 0.55), "max_days": (7, 31),
        "place_topic_threshold": (0.80, 0.85, 0.88, 0.90), "casualty_topic_threshold": (0.88, 0.90)}


def _bare(claim: Optional[str]) -> Optional[str]:
    return claim.split("/", 1)[1] if claim and "/" in claim else claim


class EventRun:
    """One event analysed, with the gold of its rows."""

    def __init__(self, event: str, analysis, gold):
        from claims.evaluation.realnews import read_annotation

        self.event, self.analysis = event, analysis
        self.main, self.claims = {}, {}
        for row, r in enumerate(analysis.rows):
            g = gold.gold[(r.sentence.article, r.sentence.index)]
            if g.skip:
                continue
            self.main[row] = _bare(g.claim)
            if g.claim:
                self.claims[row] = frozenset(_bare(c) for c in (g.claim, *g.also))
        annotation = read_annotation(ANNOTATIONS / f"{event}.json")
        if not facts_annotated(annotation):
            raise RuntimeError(f"{event}: its facts are not annotated")
        self.gold_facts = [frozenset(f["claims"]) for f in annotation["facts"].values()]
        self.must_not_merge = [(m["a"], m["b"]) for m in annotation["must_not_merge"]]

    def score(self, facts) -> dict:
        from claims.evaluation.facts import score_facts

        disputed = [f for f in facts if f.contested >= 2 and f.kind not in ("stance", "speaker")]
        return score_facts([[[m.row for m in v.mentions] for v in f.versions] for f in disputed],
                           version_pairs(disputed), self.claims, self.gold_facts,
                           self.main, self.must_not_merge)

    def reachable(self) -> int:
        """Gold disputed facts whose claims include two with a figure of one kind that
        :func:`claims.facts.stated_figures` reads: the most a figure reader can find."""
        from claims.evaluation.facts import present
        from claims.facts import stated_figures

        keys: dict[str, set] = {}
        for row, claims in self.claims.items():
            for f in stated_figures(self.analysis.rows[row].sentence.text):
                for c in claims:
                    keys.setdefault(c, set()).add(f.key)
        count = 0
        for fact in self.gold_facts:
            there = sorted(present(fact, self.claims))
            if len(there) >= 2 and any(keys.get(a, set()) & keys.get(b, set())
                                       for n, a in enumerate(there) for b in there[n + 1:]):
                count += 1
        return count

    def baseline(self) -> dict:
        from claims.evaluation.facts import score_facts
        from claims.french.numbers import extract_quantities

        values = {}
        for row, r in enumerate(self.analysis.rows):
            found = frozenset(q.value for q in extract_quantities(r.sentence.text)
                              if q.slot not in ("year", "date", "time"))
            if found:
                values[row] = found
        rows = sorted(values)
        pairs = [(a, b) for n, a in enumerate(rows) for b in rows[n + 1:] if values[a] != values[b]]
        linked = sorted({r for p in pairs for r in p})
        return score_facts([[[r] for r in linked]] if linked else [], pairs, self.claims, self.gold_facts, self.main,
                           self.must_not_merge)


def facts_annotated(annotation: dict) -> bool:
    """Whether an event's fact gold is complete, so that its empty ``facts`` means "no disputed
    fact" and every predicted disputed fact there is a false positive: ``"facts_status":
    "annotated"``, or (the first sixteen events) a ``facts`` object and no status."""
    status = annotation.get("facts_status")
    return status == "annotated" if status is not None else "facts" in annotation


def fact_events(split: dict) -> tuple[list[str], list[str]]:
    """Tuning events whose facts are annotated (``tuning``, ``tuning_speakers`` then
    ``tuning_facts``: the speaker-only events count once their facts are, the facts-only
    events always), and those left out."""
    from claims.evaluation.realnews import read_annotation

    keep, left = [], []
    for event in split["tuning"] + split.get("tuning_speakers", []) + split.get("tuning_facts", []):
        path = ANNOTATIONS / f"{event}.json"
        (keep if path.is_file() and facts_annotated(read_annotation(path)) else left).append(event)
    return keep, left


def version_pairs(facts) -> set[tuple[int, int]]:
    """Row pairs of two versions whose values cannot be equal (updates and disagreements)."""
    out = set()
    for fact in facts:
        for d in fact.differences:
            if d.kind in ("update", "disagreement"):
                for x in fact.versions[d.a].mentions:
                    for y in fact.versions[d.b].mentions:
                        if x.row != y.row:
                            out.add(tuple(sorted((x.row, y.row))))
    return out


def facts_with(run: EventRun, builder):
    from claims.facts import build_facts

    a = run.analysis
    return build_facts(a.articles, a.rows, a.groups, a.embeddings, builder=builder)


def sweep(runs: Sequence[EventRun]) -> list[dict]:
    """Every setting of ``GRID`` on the given events, best first, with the counts of each event."""
    from claims.evaluation.facts import summarise
    from claims.facts import SlotBuilder

    rows = []
    for values in itertools.product(*GRID.values()):
        params = dict(zip(GRID, values))
        counts = {r.event: r.score(facts_with(r, SlotBuilder(**params))) for r in runs}
        rows.append({"params": params, **summarise(list(counts.values())), "counts": counts})
    rows.sort(key=_rank)
    return rows


def _rank(row: dict) -> tuple:
    # No mixed-kind version pair is a target, not a trade-off: it sorts first.
    return (row["mixed_pairs"], -row["facts"]["f1"], -row["pairs"]["f1"])


def leave_one_event_out(swept: list[dict]) -> dict:
    """For each tuning event, the setting best on the other tuning events, scored on it; the
    counts summed: what the sweep is worth on an event it did not see."""
    from claims.evaluation.facts import summarise

    events = list(swept[0]["counts"]) if swept else []
    counts, chosen = [], {}
    for event in events:
        others = [{"params": row["params"], "event": row["counts"][event],
                   **summarise([c for e, c in row["counts"].items() if e != event])} for row in swept]
        best = min(others, key=_rank)
        counts.append(best["event"])
        chosen[event] = best["params"]
    return {**summarise(counts), "chosen": chosen} if counts else {}


def demo_checks() -> dict:
    """The two demo targets, on ``seeds/`` against ``benchmarks/gold/facts.json``."""
    from claims import analyze

    analysis = analyze([str(REPO / "seeds")])
    claim_of = _demo_claims(analysis)
    spec = json.loads(DEMO_FACTS.read_text(encoding="utf-8"))
    joined_distinct = []
    for pair in spec["distinct"]:
        for fact in analysis.facts:
            if fact.kind in ("stance", "speaker"):
                continue
            got = {claim_of.get(r) for r in fact.rows}
            if pair["a"] in got and pair["b"] in got:
                joined_distinct.append((pair["a"], pair["b"], fact.id))
    stance_facts = {}
    for fid, f in spec["facts"].items():
        wanted = set(f["claims"])
        found = [fact for fact in analysis.facts if fact.kind == "stance"
                 and {claim_of.get(r) for r in fact.rows} & wanted]
        stance_facts[fid] = [{"id": x.id, "versions": [v.label for v in x.versions],
                              "speakers": [[m.speaker for m in v.mentions] for v in x.versions]} for x in found]
    return {"distinct_joined": joined_distinct, "stance_facts": stance_facts,
            "facts": len(analysis.facts), "disputed": len(analysis.disputes())}


def _demo_claims(analysis) -> dict:
    """Row -> gold claim of the demo, by exact sentence text."""
    claim_of = {}
    by_text = {}
    for line in (REPO / "benchmarks" / "gold" / "claims.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            by_text[(d["article"], d["text"])] = d["claim"]
    for row, r in enumerate(analysis.rows):
        claim = by_text.get((r.sentence.article, r.sentence.text))
        if claim:
            claim_of[row] = claim
    return claim_of


def run(show_sweep: bool = False, heldout_too: bool = True, only: Optional[Sequence[str]] = None,
        do_sweep: bool = True) -> Optional[dict]:
    from claims import analyze
    from claims.evaluation.facts import summarise
    from claims.evaluation.realnews import read_split, try_load_gold
    from claims.facts import SlotBuilder

    info = machine()
    result: dict = {"machine": info}
    start = time.perf_counter()
    result["demo"] = demo_checks()
    split = read_split()
    tuning_events, unscored = fact_events(split)
    if only:
        # A subset of tuning events (e.g. new ones scored before any change); never held-out.
        unknown = sorted(set(only) - set(tuning_events))
        if unknown:
            raise SystemExit(f"--events: not fact-annotated tuning events: {', '.join(unknown)}")
        tuning_events = [e for e in tuning_events if e in only]
    if unscored:
        print(f"disputes: tuning events without annotated facts, not scored: {', '.join(unscored)}")
    result["tuning events"] = tuning_events
    gold, why = try_load_gold(tuning_events + (split["heldout"] if heldout_too else []))
    if gold is None:
        print(f"disputes: real-news part skipped: {why}")
    else:
        runs = {}
        for event in tuning_events + (split["heldout"] if heldout_too else []):
            articles = [a for a in gold.articles if gold.event_of[a.id] == event]
            runs[event] = EventRun(event, analyze(articles), gold)
        tuning = [runs[e] for e in tuning_events]
        heldout = [runs[e] for e in split["heldout"] if e in runs]
        shipped = SlotBuilder()
        params = {k: getattr(shipped, k) for k in GRID}
        swept = sweep(tuning) if do_sweep else [{"params": params, "counts": {}}]
        result["shipped"] = params
        result["best_on_tuning"] = {k: v for k, v in swept[0].items() if k != "counts"}
        result["leave-one-event-out"] = leave_one_event_out(swept) if do_sweep else {}
        if show_sweep:
            for row in swept:
                print(row["params"], "facts", row["facts"]["f1"], row["facts"]["precision"], row["facts"]["recall"],
                      "pairs", row["pairs"]["f1"], "mixed", row["mixed_pairs"])
        for name, events in (("tuning", tuning), ("heldout", heldout)) if heldout else (("tuning", tuning),):
            result[name + " reachable"] = sum(r.reachable() for r in events)
            result[name] = {"facts (shipped settings)": summarise([r.score(r.analysis.facts) for r in events]),
                            "baseline: any two topic sentences with different numbers":
                                summarise([r.baseline() for r in events])}
        result["tuning"]["facts, settings swept leaving each event out"] = {
            k: v for k, v in result["leave-one-event-out"].items() if k != "chosen"}
        result["tuning per event"] = {r.event: r.score(r.analysis.facts) for r in tuning}
    result["seconds"] = round(time.perf_counter() - start, 1)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    if not only and do_sweep:  # a subset's figures, or a run without the sweep, are not the benchmark's result
        RESULTS.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    report(result)
    return result


def _cell(s: Optional[dict]) -> str:
    if not s:
        return "—"
    f, p = s["facts"], s["pairs"]
    return (f"{f['precision']:.3f} / {f['recall']:.3f} ({f['tp_predicted']}/{f['predicted']}, {f['tp_gold']}/{f['gold']}) | "
            f"{p['precision']:.3f} / {p['recall']:.3f} ({p['tp_predicted']}/{p['predicted']}, gold {p['gold']}) | "
            f"{s['mixed_pairs']}")


def report(result: dict) -> None:
    print(f"machine: {describe(result['machine'])}; {result['seconds']} s")
    demo = result["demo"]
    print(f"demo (seeds/): {demo['facts']} facts, {demo['disputed']} disputed; "
          f"400/325 million packages joined as versions: {'yes' if demo['distinct_joined'] else 'no'}")
    for fid, found in demo["stance_facts"].items():
        print(f"  {fid}: {len(found)} stance fact(s) " + "; ".join(
            f"{x['id']} versions {x['versions']} speakers {x['speakers']}" for x in found))
    if "tuning" not in result:
        return
    print(f"slot settings shipped: {result['shipped']}; best on tuning: {result['best_on_tuning']['params']}")
    sides = [n for n in ("tuning", "heldout") if n in result]
    print("each cell: disputed facts P / R (right/found, found/gold) | version pairs P / R (right/found, gold) | "
          "mixed-kind pairs (must-not-merge claims given as versions; target 0)")
    print("gold disputed facts with two claims carrying a figure of one kind the reader finds: " + ", ".join(
        f"{n} {result[n + ' reachable']}" for n in sides))
    print("tuning events, shipped settings (facts found right/found, gold found/gold, version pairs right/found, "
          "mixed pairs): " + "; ".join(
        f"{e} {c['facts_tp_pred']}/{c['facts_pred']} {c['facts_tp_gold']}/{c['facts_gold']}"
        + (f" pairs {c['pairs_tp']}/{c['pairs_pred']}" if c["pairs_pred"] else "")
        + (f" mixed {c['mixed_pairs']}" if c["mixed_pairs"] else "")
        for e, c in result.get("tuning per event", {}).items()))
    systems = list(dict.fromkeys(k for n in sides for k in result[n]))
    for system in systems:
        print(f"{system}:")
        for n in sides:
            print(f"  {n:<8} {_cell(result[n].get(system))}")


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sweep", action="store_true", help="print the tuning sweep")
    parser.add_argument("--tuning-only", action="store_true", help="leave the held-out events out (while tuning)")
    parser.add_argument("--events", help="comma-separated tuning events to score alone (implies --tuning-only)")
    parser.add_argument("--no-sweep", action="store_true",
                        help="shipped settings only, no sweep nor leave-one-event-out (quick checks while tuning)")
    args = parser.parse_args(argv)
    only = args.events.split(",") if args.events else None
    run(args.sweep, heldout_too=not (args.tuning_only or only), only=only, do_sweep=not args.no_sweep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
