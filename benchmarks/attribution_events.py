"""Speaker accuracy per TUNING event, for leave-one-event-out checks of attribution rules.

Run from the repository root::

    python -m benchmarks.attribution_events                 # table per tuning event
    python -m benchmarks.attribution_events --save base     # also keep the table as 'base'
    python -m benchmarks.attribution_events --diff base     # per-event change against 'base'
    python -m benchmarks.attribution_events --errors e20    # list one tuning event's errors
    python -m benchmarks.attribution_events --events e20,e21  # only these (tuning) events

A rule change is kept when it helps events other than the one it was written on: ``--diff``
prints, per event, the change of attributed-sentence accuracy, and the mean change over the
events other than each one (what leave-one-event-out asks). Held-out events are refused: their
figures come only from ``python -m benchmarks.attribution``. Saved tables go to
``$CLAIMS_CACHE_DIR`` (figures only, no text).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from claims.evaluation.metrics import exact_name
from claims.evaluation.metrics import fold_text as fold


def _saved(name: str) -> Path:
    root = Path(os.environ.get("CLAIMS_CACHE_DIR", "~/.cache/claims")).expanduser()
    return root / f"attribution_events_{name}.json"


def attributed_tuning_events(events: list[str], refusal: str):
    """Per tuning event: ``(event, sentences, predicted attributions, gold)``, each event's articles
    attributed on their own; exits with ``refusal`` when a held-out event is asked for, and with
    the reason when the texts or the gold are absent."""
    from claims.attribution.corpus import attribute_corpus
    from claims.evaluation.realnews import read_split, try_load_gold
    from claims.french.parses import Parses
    from claims.ingest import split_corpus

    if set(events) & set(read_split()["heldout"]):
        raise SystemExit(refusal)
    gold, why = try_load_gold(events)
    if gold is None:
        raise SystemExit(f"skipped: {why}")
    parses = Parses()
    for event in events:
        articles = [a for a in gold.articles if gold.event_of[a.id] == event]
        sentences = split_corpus(articles)
        yield event, sentences, attribute_corpus(articles, sentences, None, None, parses), gold


def score_events(events: list[str], errors_of: str = "") -> dict:
    """Per event: attributed and narration counts right, and cue/quote right (tuning events only)."""
    table = {}
    for event, sentences, predicted, gold in attributed_tuning_events(
            events, "held-out events are not scored here (python -m benchmarks.attribution)"):
        row = {"att": 0, "att_ok": 0, "nar": 0, "nar_ok": 0, "cue_ok": 0, "quote_ok": 0, "n": 0}
        for s, p in zip(sentences, predicted):
            g = gold.gold[(s.article, s.index)]
            if g.skip:
                continue
            ok = exact_name(g.speaker) == exact_name(p.speaker)
            key = "att" if g.speaker else "nar"
            row[key] += 1
            row[key + "_ok"] += ok
            row["n"] += 1
            row["cue_ok"] += fold(g.cue) == fold(p.cue)
            row["quote_ok"] += g.quote == p.quote
            if event == errors_of and (not ok or fold(g.cue) != fold(p.cue) or g.quote != p.quote):
                print(f"{s.article}#{s.index} gold ({g.speaker} | {g.cue} | {g.quote}) pred "
                      f"({p.speaker} | {p.cue} | {p.quote}): {s.text[:300]!r}")
        table[event] = row
    return table


def _print(table: dict, base: dict | None) -> None:
    print(f"{'event':6}{'att':>5}{'acc':>7}{'nar':>5}{'acc':>7}{'cue':>7}{'quote':>7}"
          + ("  d_att  mean d_att of the others" if base else ""))
    for e, r in table.items():
        line = (f"{e:6}{r['att']:>5}{r['att_ok'] / max(r['att'], 1):7.3f}{r['nar']:>5}"
                f"{r['nar_ok'] / max(r['nar'], 1):7.3f}{r['cue_ok'] / r['n']:7.3f}"
                f"{r['quote_ok'] / r['n']:7.3f}")
        if base and e in base:
            d = {k: table[k]["att_ok"] - base[k]["att_ok"] for k in table if k in base}
            others = [d[k] for k in d if k != e]
            line += f"  {d[e]:+5d}  {sum(others):+d} over {len(others)} events"
        print(line)
    tot = {k: sum(r[k] for r in table.values()) for k in next(iter(table.values()))}
    print(f"{'all':6}{tot['att']:>5}{tot['att_ok'] / tot['att']:7.3f}{tot['nar']:>5}"
          f"{tot['nar_ok'] / tot['nar']:7.3f}{tot['cue_ok'] / tot['n']:7.3f}{tot['quote_ok'] / tot['n']:7.3f}")


def main(argv=None) -> int:
    from claims.evaluation.realnews import read_split

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="", help="comma-separated tuning events (default all)")
    parser.add_argument("--errors", default="", help="list the errors of this tuning event")
    parser.add_argument("--save", default="", help="keep the table under this name")
    parser.add_argument("--diff", default="", help="compare with the table saved under this name")
    args = parser.parse_args(argv)
    split = read_split()
    events = args.events.split(",") if args.events else split["tuning"] + split.get("tuning_speakers", [])
    table = score_events(events, args.errors)
    base = json.loads(_saved(args.diff).read_text()) if args.diff else None
    _print(table, base)
    if args.save:
        _saved(args.save).parent.mkdir(parents=True, exist_ok=True)
        _saved(args.save).write_text(json.dumps(table))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
