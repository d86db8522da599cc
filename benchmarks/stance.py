"""Stance benchmark: macro-F1 over favor / against / neutral, next to two baselines.

Two evaluations, one command (``python -m benchmarks.stance``):

1. E-FRA test (Lai et al. 2020): Macron ``Test`` rows and the whole Le Pen file, labels
   FAVOUR / AGAINST / NONE mapped to favor / against / neutral. Skipped with a message
   when ``../shared/eval`` is absent. Nothing here was tuned on these rows. The classifier
   is given each file's target (names masked, :mod:`claims.stance.targets`); the same
   classifier without a target is reported next to it.
2. The demo corpus stance gold (``benchmarks/gold/stance.jsonl``, rules in
   ``gold/STANCE_RULES.md``): hand-made claim groups of ``seeds/`` with each mention's
   stance toward the group's claim, scored with the gold attributions and, when the
   attribution module loads, with predicted ones.

Baselines, run in the same command: majority class (the most frequent gold label of the
evaluation set itself, an optimistic majority baseline) and lexicon only (the side with
more cue weight in the sentence and its reporting verb, neutral on a tie).

3. The real-news events (:mod:`benchmarks.stance_realnews`): held-out and tuning, with gold
   groups and gold speakers, gold groups and system speakers, system groups and speakers.

Writes ``benchmarks/results/stance.json``.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from typing import Optional, Sequence

import numpy as np

from benchmarks.machine import machine, write_results
from claims.evaluation.data import EFRA_TARGETS, REPO, EvalDataMissing, load_efra
from claims.evaluation.gold import gold_groups, read_stance_gold
from claims.records import STANCES

RESULTS_PATH = REPO / "benchmarks" / "results" / "stance.json"


# -- scoring -----------------------------------------------------------------------------


def scores(gold: Sequence[str], pred: Sequence[str]) -> dict:
    """Macro-F1 over the three stances, F1 per stance, accuracy, confusion counts."""
    f1 = {}
    for s in STANCES:
        tp = sum(g == p == s for g, p in zip(gold, pred))
        fp = sum(p == s != g for g, p in zip(gold, pred))
        fn = sum(g == s != p for g, p in zip(gold, pred))
        f1[s] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {"macro_f1": round(float(np.mean(list(f1.values()))), 4),
            "f1": {s: round(v, 4) for s, v in f1.items()},
            "accuracy": round(sum(g == p for g, p in zip(gold, pred)) / max(len(gold), 1), 4),
            "n": len(gold),
            "confusion": {g: {p: sum(x == g and z == p for x, z in zip(gold, pred)) for p in STANCES}
                          for g in STANCES}}  # gold -> predicted -> count


def majority(gold: Sequence[str]) -> list[str]:
    """The most frequent gold label for every item (ties: STANCES order)."""
    counts = Counter(gold)
    top = max(STANCES, key=lambda s: (counts[s], -STANCES.index(s)))
    return [top] * len(gold)


def lexicon_only(texts: Sequence[str], cues: Sequence[Optional[str]]) -> list[str]:
    """Lexicon baseline: more support or opposition cue weight, else neutral."""
    from claims.stance.lexicon import default_lexicon

    lexicon = default_lexicon()
    return [lexicon.polarity(t, c) for t, c in zip(texts, cues)]


# -- evaluations -------------------------------------------------------------------------


def run_efra(classifier, encoder) -> Optional[dict]:
    """Scores on the E-FRA test rows, or None when the data is absent."""
    try:
        rows = load_efra("test")
    except EvalDataMissing as error:
        print(f"E-FRA skipped: {error}")
        return None
    texts = [r.text for r in rows]
    gold = [r.stance for r in rows]
    t0 = time.perf_counter()
    vectors = encoder.encode(texts)
    seconds = time.perf_counter() - t0
    with_target = [None] * len(rows)
    for source in ("efra-macron-test", "efra-lepen-test"):
        idx = [i for i, r in enumerate(rows) if r.source == source]
        pred = classifier.predict_texts([texts[i] for i in idx], encoder=encoder, target=EFRA_TARGETS[source])
        for i, p in zip(idx, pred):
            with_target[i] = p
    systems = {"majority class": majority(gold), "lexicon only": lexicon_only(texts, [None] * len(texts)),
               "classifier, no target": classifier.predict(vectors, texts),
               "classifier, target masked": with_target}
    out = {"n": len(rows), "encode_seconds": round(seconds, 1), "systems": {}, "by_file": {}}
    for name, pred in systems.items():
        out["systems"][name] = scores(gold, pred)
        for source in ("efra-macron-test", "efra-lepen-test"):
            idx = [i for i, r in enumerate(rows) if r.source == source]
            out["by_file"].setdefault(source, {})[name] = scores([gold[i] for i in idx], [pred[i] for i in idx])
    return out


def run_demo(classifier, encoder, attributions: str = "gold") -> dict:
    """Scores on the demo-corpus gold groups."""
    from claims.stance import assign_stances

    groups, gold, _ = gold_groups(read_stance_gold(), attributions)
    mentions = [m for g in groups for m in g.mentions]
    texts = [m.sentence.text for m in mentions]
    vectors = encoder.encode(texts)
    assigned = [m.stance for g in groups for m in assign_stances(g, None, classifier, encoder=encoder).mentions]
    atts = [m.attribution for m in mentions]
    systems = {"majority class": majority(gold),
               "lexicon only": lexicon_only(texts, [a.cue for a in atts]),
               "classifier, no group context": classifier.predict(vectors, texts, atts),
               "classifier + group (assign_stances)": assigned}
    errors = [{"group": g.id, "article": m.sentence.article, "index": m.sentence.index,
               "gold": gl, "pred": p, "text": m.sentence.text[:120]}
              for g in groups for m in g.mentions
              for gl, p in [(gold[mentions.index(m)], assigned[mentions.index(m)])] if gl != p]
    return {"attributions": attributions, "groups": len(groups),
            "systems": {name: scores(gold, pred) for name, pred in systems.items()},
            "errors": errors}


def _table(title: str, systems: dict) -> str:
    lines = [title, f"  {'system':<38} {'macro-F1':>8} {'F1 favor':>9} {'F1 against':>11} "
                    f"{'F1 neutral':>11} {'acc':>6}"]
    for name, s in systems.items():
        lines.append(f"  {name:<38} {s['macro_f1']:>8.3f} {s['f1']['favor']:>9.3f} "
                     f"{s['f1']['against']:>11.3f} {s['f1']['neutral']:>11.3f} {s['accuracy']:>6.3f}")
    return "\n".join(lines)


def main() -> int:
    from claims.stance import StanceClassifier
    from claims.training.stance import training_encoder

    classifier = StanceClassifier.load_default()
    encoder = training_encoder()  # e5-small behind the on-disk cache
    info = machine()
    print(f"machine: {info['cores']} cores, {info['ram_gb']} GB RAM, Python {info['python']}; "
          f"encoder {encoder.name}; classifier C={classifier.C}, neutral bias "
          f"{classifier.neutral_bias_[0]:+.2f} without attribution, {classifier.neutral_bias_[1]:+.2f} with")
    result = {"machine": info, "encoder": encoder.name,
              "classifier": getattr(classifier, "metadata_", {})}
    efra = run_efra(classifier, encoder)
    if efra is not None:
        result["efra_test"] = efra
        print(_table(f"\nE-FRA test (Macron Test + Le Pen, n={efra['n']})", efra["systems"]))
        for source, systems in efra["by_file"].items():
            print(_table(f"  {source} (n={next(iter(systems.values()))['n']})", systems))
    demo = run_demo(classifier, encoder, "gold")
    result["demo_gold_attribution"] = demo
    n = sum(1 for _ in demo["errors"])
    print(_table(f"\nDemo corpus stance gold ({demo['groups']} groups, gold attributions, "
                 f"{n} errors listed in the JSON)", demo["systems"]))
    try:
        predicted = run_demo(classifier, encoder, "predicted")
    except ImportError as error:
        print(f"predicted attributions skipped: {error}")
    else:
        result["demo_predicted_attribution"] = predicted
        print(_table("\nDemo corpus stance gold (predicted attributions)", predicted["systems"]))
    from benchmarks import stance_realnews

    result["realnews"] = stance_realnews.run()
    stance_realnews.print_run(result["realnews"])
    write_results(RESULTS_PATH, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
