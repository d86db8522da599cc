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

Writes ``benchmarks/results/stance.json``.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import NamedTuple, Optional, Sequence

import numpy as np

from benchmarks.eval_data import EvalDataMissing, eval_file
from benchmarks.machine import machine
from claims.records import STANCES, Attribution, ClaimGroup, Mention
from claims.french.resources import data_path, read_tsv

REPO = Path(__file__).resolve().parents[1]
EXAMPLES_PATH = data_path("stance_examples.tsv")
TWEET_EXAMPLES_PATH = data_path("stance_tweet_examples.tsv")
GOLD_PATH = REPO / "benchmarks" / "gold" / "stance.jsonl"
RESULTS_PATH = REPO / "benchmarks" / "results" / "stance.json"
EFRA_LABELS = {"FAVOUR": "favor", "AGAINST": "against", "NONE": "neutral"}
EFRA_TARGETS = {"efra-macron-train": "Emmanuel Macron", "efra-macron-test": "Emmanuel Macron",
                "efra-lepen-test": "Marine Le Pen"}  # stance target of each file
_URL = re.compile(r"https?://\S+")
_SPACES = re.compile(r"\s+")


# -- data --------------------------------------------------------------------------------


class Labelled(NamedTuple):
    """One labelled sentence for the stance classifier."""

    text: str
    stance: str
    attribution: Optional[Attribution]  # None: the author speaks (tweets)
    source: str  # "efra-macron-train", "efra-lepen-test", "examples"…


def clean_tweet(text: str) -> str:
    """Drop links and collapse white space: links carry no stance and blur embeddings."""
    return _SPACES.sub(" ", _URL.sub(" ", text)).strip()


def load_efra(split: str) -> list[Labelled]:
    """E-FRA rows: "train" = Macron ``Training`` rows; "test" = Macron ``Test`` rows + Le Pen.

    Raises:
        EvalDataMissing: when the E-FRA files are absent.
    """
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    files = [("macron_fr.csv", "macron")] + ([("lepen_fr.csv", "lepen")] if split == "test" else [])
    wanted = "Training" if split == "train" else "Test"
    rows = []
    for name, target in files:
        with open(eval_file("e-fra", name), encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                if row["Set"] == wanted:
                    rows.append(Labelled(clean_tweet(row["Tweet"]), EFRA_LABELS[row["Stance"]], None,
                                         f"efra-{target}-{split}"))
    return rows


def load_examples(path: Path = EXAMPLES_PATH) -> list[Labelled]:
    """The hand-annotated news sentences of ``claims/data/stance_examples.tsv``."""
    out = []
    for _, (text, speaker, cue, quote, stance) in read_tsv(path, 5):
        attribution = Attribution(None if speaker == "-" else speaker, None if cue == "-" else cue, quote)
        out.append(Labelled(text, stance, attribution, "examples"))
    return out


def load_tweet_examples(path: Path = TWEET_EXAMPLES_PATH) -> list[Labelled]:
    """The hand-written tweet-like sentences of ``stance_tweet_examples.tsv``, target masked.

    Their ``{C}`` (the target) and ``{A}`` (a rival) become the placeholders of
    :mod:`claims.stance.targets`, as in a masked tweet.
    """
    from claims.stance.targets import RIVAL_PLACEHOLDER, TARGET_PLACEHOLDER

    out = []
    for lineno, (text, stance) in read_tsv(path, 2):
        if stance not in STANCES:
            raise ValueError(f"{path}:{lineno}: stance must be one of {STANCES}, got {stance!r}")
        text = text.replace("{C}", TARGET_PLACEHOLDER).replace("{A}", RIVAL_PLACEHOLDER)
        out.append(Labelled(text, stance, None, "tweet-examples"))
    return out


def load_gold(path: Path = GOLD_PATH) -> list[dict]:
    """The demo-corpus stance gold: one dict per group (format in ``gold/STANCE_RULES.md``)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def gold_groups(gold: Sequence[dict], attributions: str = "gold") -> tuple[list[ClaimGroup], list[str], dict]:
    """Claim groups of the demo corpus built from the gold, their gold labels, and articles.

    Args:
        gold: rows of :func:`load_gold`.
        attributions: "gold" (as annotated) or "predicted" (:func:`claims.attribution.attribute`).
    """
    from claims.ingest.corpus import load_articles
    from claims.ingest.sentences import split_sentences

    articles = {a.id: a for a in load_articles([REPO / "seeds"]).articles}
    sentences = {aid: list(split_sentences(a)) for aid, a in articles.items()}
    predicted = {}
    if attributions == "predicted":
        from claims.attribution import attribute

        predicted = {aid: attribute(articles[aid], sentences[aid]) for aid in articles}
    groups, labels = [], []
    for row in gold:
        mentions = []
        for m in row["mentions"]:
            sentence = sentences[m["article"]][m["index"]]
            if sentence.text != m["text"]:
                raise ValueError(f"gold {row['group']}: sentence {m['article']}#{m['index']} changed")
            if attributions == "gold":
                att = Attribution(m["speaker"], m["cue"], m["quote"])
            else:
                att = predicted[m["article"]][m["index"]]
            mentions.append(Mention(sentence, 1.0, att))
            labels.append(m["stance"])
        groups.append(ClaimGroup(row["group"], tuple(mentions)))
    return groups, labels, articles


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

    groups, gold, _ = gold_groups(load_gold(), attributions)
    mentions = [m for g in groups for m in g.mentions]
    texts = [m.sentence.text for m in mentions]
    vectors = encoder.encode(texts)
    by_sentence = {m.sentence: v for m, v in zip(mentions, vectors)}
    assigned = [m.stance for g in groups for m in assign_stances(g, by_sentence, classifier).mentions]
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
    from benchmarks.train_stance import training_encoder
    from claims.stance import StanceClassifier

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
    RESULTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_PATH.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nwrote {RESULTS_PATH.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
