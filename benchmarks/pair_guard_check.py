"""Each pair-guard check on the real-news TUNING events: what it refuses among must-not-merge and same-claim pairs.

``python -m benchmarks.pair_guard_check [--show CHECK]``

For the ten tuning events of ``benchmarks/realnews/split.json`` (never the held-out ones), the
sentence pairs of different articles that matter to the guard:

* ``mnm``: a main-claim sentence of each claim of an annotated must-not-merge pair (the guard
  should refuse them);
* ``same``: two main-claim sentences of one shared claim (refusing them costs recall);
* ``near``: other pairs at a hybrid score of at least ``--near`` (refusing them is harmless).

Per check (figures, time with article dates, negation, entities, agents, and the whole default
guard) it prints how many of each it refuses, also per event, so a check can be judged leave
one event out (does it still catch pairs on an event its rule was not written on). ``--show
CHECK`` prints the tuning pairs a check refuses or misses, for reading.
Skips with one message when the texts are absent.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Optional, Sequence

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / ".cache" / "benchmarks" / "tuning_events.pkl"


def tuning_events(rebuild: bool = False):
    """The tuning events with vectors (cached outside git under .cache, which git ignores)."""
    from benchmarks.realnews_events import build_event
    from claims.evaluation.realnews import read_split, try_load_gold
    from claims.models import DEFAULT_MODEL, get_encoder

    split = read_split()
    if CACHE.exists() and not rebuild:
        events = pickle.loads(CACHE.read_bytes())
        if [e.id for e in events] == split["tuning"]:
            return events
    gold, why = try_load_gold(split["tuning"])
    if gold is None:
        print(f"pair_guard_check skipped: {why}")
        return None
    encoder = get_encoder(DEFAULT_MODEL, cache=True)
    events = [build_event(gold, e, encoder) for e in split["tuning"]]
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    CACHE.write_bytes(pickle.dumps(events))
    return events


def labelled_pairs(event, scorer, near: float) -> list[tuple[int, int, str, float]]:
    """(row a, row b, kind, hybrid score) for the pairs of different articles that matter."""
    import numpy as np

    rows = {c: [r for r, m in zip(event.scored, event.main) if m == c] for c in set(event.main) if c}
    shared = {lab for lab in event.labels if not (isinstance(lab, tuple) and lab[0] == "singleton")}
    kind: dict[tuple[int, int], str] = {}
    for a, b in event.must_not_merge:
        for ra in rows.get(a, ()):
            for rb in rows.get(b, ()):
                kind[(min(ra, rb), max(ra, rb))] = "mnm"
    for c, rs in rows.items():
        if c in shared:
            for n, ra in enumerate(rs):
                for rb in rs[n + 1:]:
                    kind.setdefault((ra, rb), "same")
    scored = set(event.scored)
    art = event.article_ids
    n = len(event.sentences)
    ii, jj = np.triu_indices(n, 1)
    keep = np.array([art[a] != art[b] for a, b in zip(ii.tolist(), jj.tolist())], bool)
    ii, jj = ii[keep], jj[keep]
    score = scorer(ii, jj, np.einsum("ij,ij->i", event.vectors[ii], event.vectors[jj]))
    out = []
    for a, b, s in zip(ii.tolist(), jj.tolist(), score.tolist()):
        k = kind.get((a, b))
        if k is None and s >= near and a in scored and b in scored:
            k = "near"
        if k is not None:
            out.append((a, b, k, s))
    return out


def checks(guard) -> dict:
    """Name -> function(text a, text b) -> reason or None, for each part of ``guard``."""
    parts = {
        "numbers": guard.number_reason,
        "when": guard.when_reason,
        "negation": guard.negation_reason,
        "entities": guard.entity_reason,
        "agents": guard.agent_reason,
    }
    for name in getattr(guard, "extra_checks", ()):
        parts[name] = getattr(guard, f"{name}_reason")
    parts["guard"] = guard
    return parts


def run(near: float, show: Optional[str], above: float, dates: bool = True) -> None:
    from benchmarks.realnews_events import default_guard_of
    from claims.matching.scores import build_scorer
    from claims.models import DEFAULT_MODEL
    from claims.settings import resolve_settings

    events = tuning_events()
    if events is None:
        return
    settings = resolve_settings(DEFAULT_MODEL, pair_score_name="hybrid")
    threshold = settings.threshold.value
    totals: dict[str, Counter] = defaultdict(Counter)
    per_event: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    pool = Counter()
    shown = []
    for event in events:
        scorer = build_scorer(settings.pair_score, settings.model.lexical_weight, event.texts,
                              event.vectors, event.article_ids)
        guard = default_guard_of(event, dates)
        texts = event.texts
        for a, b, kind, s in labelled_pairs(event, scorer, near):
            if kind == "near" and s < above:
                continue
            hi = "+" if s >= threshold else "-"
            pool[kind + hi] += 1
            for name, check in checks(guard).items():
                reason = check(texts[a], texts[b])
                if reason:
                    totals[name][kind + hi] += 1
                    per_event[name][event.id][kind + hi] += 1
                if show == name and (bool(reason) == (kind != "mnm")) and (kind != "near" or reason):
                    shown.append(f"{'REFUSED' if reason else 'MISSED '} {kind}{hi} {event.id} "
                                 f"{event.main[event.scored.index(a)] if a in event.scored else '-'} | "
                                 f"{event.main[event.scored.index(b)] if b in event.scored else '-'} "
                                 f"({s:.2f}) {reason or ''}\n   {texts[a][:170]!r}\n   {texts[b][:170]!r}")
    cols = ("mnm+", "mnm-", "same+", "same-", "near+", "near-")
    print(f"tuning events, hybrid threshold {threshold:.3f}; + at or above it, - below; "
          f"near: other pairs at >= {above}; dates {'on' if dates else 'off'}")
    print(f"{'pairs':10}" + "".join(f"{c:>8}" for c in cols))
    print(f"{'(all)':10}" + "".join(f"{pool[c]:>8}" for c in cols))
    for name, counts in totals.items():
        print(f"{name:10}" + "".join(f"{counts[c]:>8}" for c in cols))
        events_hit = {e: c for e, c in per_event[name].items() if c["mnm+"] + c["mnm-"]}
        print(f"{'':10}mnm refused in {len(events_hit)} events: "
              + ", ".join(f"{e} {c['mnm+'] + c['mnm-']}" for e, c in sorted(events_hit.items()))
              + "; same refused: " + ", ".join(f"{e} {c['same+'] + c['same-']}"
                                                 for e, c in sorted(per_event[name].items())
                                                 if c["same+"] + c["same-"]))
    for line in shown:
        print(line)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--near", type=float, default=0.55, help="hybrid score of the 'near' pairs kept")
    parser.add_argument("--above", type=float, default=0.55)
    parser.add_argument("--show", help="print the pairs this check refuses wrongly or misses")
    parser.add_argument("--no-dates", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="re-encode the events")
    args = parser.parse_args(argv)
    if args.rebuild:
        tuning_events(rebuild=True)
    run(args.near, args.show, args.above, not args.no_dates)
    return 0


if __name__ == "__main__":
    sys.exit(main())
