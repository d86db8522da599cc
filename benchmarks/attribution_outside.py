"""Attribution beyond the demo gold: the real-news events and the fr-litbank quotations.

Read by ``python -m benchmarks.attribution`` (one command reports all three side by side).

* Real news (``claims.evaluation.realnews``): speaker, cue and quote-type accuracy on the
  held-out events and on the tuning events, attributed sentences and narration apart. The
  real-news gold has no quoted-span field, so span F1 is the demo's and fr-litbank's only.
  Errors of the tuning events are listed; those of the held-out events only with
  ``--heldout-errors`` (never used while choosing rules).
* fr-litbank (novels, report only, ``../shared/eval/fr-litbank-quotes``): how many gold
  quotations :func:`claims.attribution.quotes.find_quotes` finds (character overlap F1) and
  how many gold speech verbs ("Introducteur") the cue lexicon knows.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from claims.evaluation.data import REPO
from claims.evaluation.metrics import exact_name, fold_text as fold

LITBANK = REPO.parent / "shared" / "eval" / "fr-litbank-quotes" / "brat" / "citations"


def _acc(pairs) -> dict:
    n = len(pairs)
    if not n:
        return {"n": 0}
    return {"n": n,
            "speaker_acc": sum(exact_name(g.speaker) == exact_name(p.speaker) for g, p in pairs) / n,
            "cue_acc": sum(fold(g.cue) == fold(p.cue) for g, p in pairs) / n,
            "quote_acc": sum(g.quote == p.quote for g, p in pairs) / n}


def realnews(heldout_errors: bool = False) -> Optional[dict]:
    """Scores per split (tuning, heldout), or None with a message when the texts are absent."""
    from claims.attribution.corpus import attribute_corpus
    from claims.evaluation.realnews import read_split, try_load_gold
    from claims.french.parses import Parses
    from claims.ingest import split_corpus
    from claims.memo import Memo

    split = read_split()
    # events annotated for speakers only (claims null) tune the attribution with the others
    split = {**split, "tuning": split["tuning"] + split.get("tuning_speakers", [])}
    gold, why = try_load_gold(split["tuning"] + split["heldout"])
    if gold is None:
        print(f"real news skipped: {why}")
        return None
    memo, parses = Memo(), Parses()
    out: dict = {}
    for name in ("heldout", "tuning"):
        pairs, errors = [], []
        for event in split[name]:
            articles = [a for a in gold.articles if gold.event_of[a.id] == event]
            sentences = split_corpus(articles)
            predicted = attribute_corpus(articles, sentences, None, memo, parses)
            for s, p in zip(sentences, predicted):
                g = gold.gold[(s.article, s.index)]
                if g.skip:
                    continue
                pairs.append((g, p))
                if exact_name(g.speaker) != exact_name(p.speaker) or fold(g.cue) != fold(p.cue) \
                        or g.quote != p.quote:
                    errors.append({"article": s.article, "index": s.index, "sentence": s.text[:200],
                                   "gold": [g.speaker, g.cue, g.quote], "pred": [p.speaker, p.cue, p.quote]})
        out[name] = {"events": split[name], "with_speaker": _acc([t for t in pairs if t[0].speaker]),
                     "narration": _acc([t for t in pairs if not t[0].speaker]), "all": _acc(pairs),
                     "errors": errors if name == "tuning" or heldout_errors else len(errors)}
    return out


def for_json(result: Optional[dict]) -> Optional[dict]:
    """``result`` without the publishers' sentences (never written to a file that may be committed)."""
    if result is None:
        return None
    out = {}
    for name, scores in result.items():
        errors = scores["errors"]
        out[name] = {**scores, "errors": errors if isinstance(errors, int) else
                     [{k: v for k, v in e.items() if k != "sentence"} for e in errors]}
    return out


def _brat(path: Path) -> tuple[list, list]:
    quotes, cues = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or not parts[0].startswith("T"):
            continue
        kind, *ranges = re.split(r"[ ;]", parts[1])
        spans = [(int(a), int(b)) for a, b in zip(ranges[::2], ranges[1::2])]
        if kind == "Citation":
            quotes.append(spans)
        elif kind == "Introducteur":
            cues.append(parts[2])
    return quotes, cues


def litbank() -> Optional[dict]:
    """Quote-span F1 (characters) and speech-verb coverage on fr-litbank; None when absent."""
    from claims.attribution.quotes import find_quotes
    from claims.french.cues import default_lexicon

    if not LITBANK.is_dir():
        print(f"fr-litbank skipped: {LITBANK} not found")
        return None
    lexicon = default_lexicon()
    known = set(lexicon.finite) | set(lexicon.participles)
    tp = fp = fn = 0
    cues_known = cues_total = 0
    for ann in sorted(LITBANK.glob("*.ann")):
        text = ann.with_suffix(".txt").read_text(encoding="utf-8")
        quotes, cues = _brat(ann)
        gold = {i for spans in quotes for a, b in spans for i in range(a, b) if not text[i].isspace()}
        pred = {i for q in find_quotes(text) for i in range(q.inner_start, q.inner_end) if not text[i].isspace()}
        tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
        for cue in cues:
            cues_total += 1
            words = [w.lower() for w in re.findall(r"[\w’'\-]+", cue)]
            verb = re.sub(r"^(?:s['’]|l['’])", "", words[-1]) if words else ""
            verb = re.sub(r"-t-(?:il|elle|ils|elles|on)$|-(?:il|elle|ils|elles|on)$", "", verb)
            cues_known += verb in known or cue.lower() in known
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {"quote_chars": {"precision": precision, "recall": recall,
                            "f1": 2 * precision * recall / max(precision + recall, 1e-9)},
            "cue_coverage": cues_known / max(cues_total, 1), "cues": cues_total,
            "note": "novels use dashes for dialogue; the quote finder reads quotation marks only"}


def print_realnews(result: Optional[dict], heldout_errors: bool) -> None:
    if result is None:
        return
    print("\nReal-news events (claims.evaluation.realnews), default attributor:")
    print(f"  {'split':<9}{'subset':<14}{'n':>5}{'speaker':>9}{'cue':>8}{'quote':>8}")
    for name in ("heldout", "tuning"):
        for subset in ("with_speaker", "narration", "all"):
            s = result[name][subset]
            print(f"  {name:<9}{subset:<14}{s['n']:>5}{s.get('speaker_acc', 0):>9.3f}"
                  f"{s.get('cue_acc', 0):>8.3f}{s.get('quote_acc', 0):>8.3f}")
    print("  (no quoted-span gold in the real-news annotations: span F1 on the demo and fr-litbank only)")
    for name in ("tuning", "heldout"):
        errors = result[name]["errors"]
        if isinstance(errors, int):
            print(f"\n  {name} errors: {errors} (listed only with --heldout-errors)")
            continue
        print(f"\n  {name} errors ({len(errors)}):")
        for e in errors:
            print(f"    {e['article']}#{e['index']} gold {tuple(e['gold'])} pred {tuple(e['pred'])}: "
                  f"{e['sentence'][:110]!r}")


def print_litbank(result: Optional[dict]) -> None:
    if result is None:
        return
    q = result["quote_chars"]
    print(f"\nfr-litbank (novels, report only): quoted characters P {q['precision']:.3f} R {q['recall']:.3f} "
          f"F1 {q['f1']:.3f}; speech verbs known to the cue lexicon {result['cue_coverage']:.3f} "
          f"of {result['cues']}\n  ({result['note']})")


__all__ = ["for_json", "litbank", "print_litbank", "print_realnews", "realnews"]
