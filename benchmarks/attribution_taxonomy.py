"""Which stage failed, for each wrong attributed sentence of the TUNING events.

Run from the repository root (or, to classify the errors an older version of the rules made,
with ``PYTHONPATH=<old checkout>`` and this file's path)::

    python -m benchmarks.attribution_taxonomy                  # counts over all tuning events
    python -m benchmarks.attribution_taxonomy --events e13,e14 --list   # and each error

The tuning events are split in two for rule changes (:data:`CHECK`): a change is chosen on
the errors of the develop events and kept only if the check events, whose errors are not listed (``--list`` refuses them unless
``--old-code`` says the rules being classified predate that split), improve too.

A sentence whose gold has a speaker is classified, in this order:

- ``no cue``: no speaker given and the cue lexicon finds no cue in the sentence (or none
  where the gold cue is), so no rule could start;
- ``cue, no source``: no speaker given although the lexicon finds the gold cue: the subject,
  the span or the pronoun was not turned into a source;
- ``naming``: a speaker given, the right person or body under another name (a content word
  shared with the gold name, an acronym of it, or one name inside the other);
- ``pronoun/context``: a wrong speaker, and the gold speaker is not named in the sentence
  (a pronoun, a role, a continued quotation resolved to someone else);
- ``wrong span``: a wrong speaker although the gold speaker is named in the sentence.

The classes are read from the strings, not from the attributor's inner steps, so they are a
guide; ``gold inconsistency`` is only found by reading the listed errors. Held-out events are
refused.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter

from claims.evaluation.metrics import exact_name
from claims.evaluation.metrics import fold_text as fold

CHECK = ("e19", "e20", "e21", "e22", "e23")  # rule changes are judged on these, chosen on the others
CLASSES = ("no cue", "cue, no source", "naming", "pronoun/context", "wrong span")
_SMALL = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "en", "au", "aux", "a"}


def _content(name: str) -> list[str]:
    return [w for w in re.findall(r"\w+", fold(name)) if w not in _SMALL and len(w) > 2]


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"\w+", fold(name)) if w not in _SMALL)


def same_source(gold: str, pred: str) -> bool:
    """Tell whether two speaker strings plausibly name one source (shared word, acronym)."""
    g, p = set(_content(gold)), set(_content(pred))
    if g & p:
        return True
    compact_g, compact_p = fold(gold).replace(" ", ""), fold(pred).replace(" ", "")
    return (len(compact_p) >= 2 and compact_p == _initials(gold)) or \
        (len(compact_g) >= 2 and compact_g == _initials(pred))


def named_in(gold: str, text: str) -> bool:
    """Tell whether a content word of the gold speaker occurs in the sentence."""
    words = set(re.findall(r"\w+", fold(text)))
    return any(w in words for w in _content(gold)) or fold(gold).replace(" ", "") in words


def classify(gold, pred, text: str, lexicon) -> str:
    """The class (one of :data:`CLASSES`) of a wrong attributed sentence."""
    if pred.speaker is None:
        cues = lexicon.find(text)
        where = fold(gold.cue or "")
        found = [c for c in cues if not where or fold(c.text) in where or where in fold(c.text)]
        return "cue, no source" if found else "no cue"
    if same_source(gold.speaker, pred.speaker):
        return "naming"
    return "wrong span" if named_in(gold.speaker, text) else "pronoun/context"


def taxonomy(events: list[str], listing: bool = False) -> tuple[Counter, dict]:
    """Counts per class, and per event the (attributed, right) counts."""
    from benchmarks.attribution_events import attributed_tuning_events
    from claims.french.cues import default_lexicon

    lexicon = default_lexicon()
    counts: Counter = Counter()
    per_event = {}
    for event, sentences, predicted, gold in attributed_tuning_events(
            events, "held-out events are not classified here (their errors are never read)"):
        n = right = 0
        for s, p in zip(sentences, predicted):
            g = gold.gold[(s.article, s.index)]
            if g.skip or not g.speaker:
                continue
            n += 1
            if exact_name(g.speaker) == exact_name(p.speaker):
                right += 1
                continue
            kind = classify(g, p, s.text, lexicon)
            counts[kind] += 1
            counts[(event, kind)] += 1
            if listing:
                print(f"[{kind}] {s.article}#{s.index} gold ({g.speaker} | {g.cue}) pred "
                      f"({p.speaker} | {p.cue}): {s.text[:240]!r}")
        per_event[event] = (n, right)
    return counts, per_event


def main(argv=None) -> int:
    from claims.evaluation.realnews import read_split

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="", help="comma-separated tuning events (default all)")
    parser.add_argument("--list", action="store_true", help="print each error with its class")
    parser.add_argument("--old-code", action="store_true",
                        help="the rules on sys.path are an older checkout: check events may be listed")
    args = parser.parse_args(argv)
    split = read_split()
    events = args.events.split(",") if args.events else split["tuning"] + split.get("tuning_speakers", [])
    if args.list and not args.old_code and set(events) & set(CHECK):
        raise SystemExit(f"the check events {', '.join(CHECK)} are scored, not listed")
    counts, per_event = taxonomy(events, args.list)
    n = sum(v[0] for v in per_event.values())
    right = sum(v[1] for v in per_event.values())
    print(f"attributed sentences {n}, right {right} ({right / max(n, 1):.3f}), wrong {n - right}")
    for label, subset in (("develop", [e for e in events if e not in CHECK]), ("check", [e for e in events if e in CHECK])):
        n_sub, right_sub = sum(per_event[e][0] for e in subset), sum(per_event[e][1] for e in subset)
        if n_sub:
            print(f"  {label}: {right_sub}/{n_sub} ({right_sub / n_sub:.3f})")
    print(f"{'class':18}{'errors':>7}  by event")
    for kind in CLASSES:
        by_event = ", ".join(f"{e} {counts[(e, kind)]}" for e in events if counts[(e, kind)])
        print(f"{kind:18}{counts[kind]:>7}  {by_event}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
