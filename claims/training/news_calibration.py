"""Choose each model's hybrid threshold and lexical weight on the real-news tuning events.

``python -m claims.training.news_calibration [MODEL ...] [--dry-run]`` writes, for each model
(default: every registered one), ``lexical_weight``, ``hybrid`` and the out-of-fold figures
under ``news`` in ``claims/data/thresholds.json``.

The procedure, the same for every model:

1. Each real-news **tuning** event (``split.json`` "tuning"; the held-out events are never
   read) is its own corpus, grouped as :func:`claims.analyze` groups it (hybrid pair score
   with its figure bonus, default pair guard without article dates, groups spanning two
   articles) at every setting (lexical weight, threshold) of a grid: the weights of
   :data:`LEXICAL_WEIGHTS`, the thresholds :data:`THRESHOLDS`.
2. Each grouping becomes pair counts (true, predicted, required pairs) of its event; the
   pair F1 of any set of events is that of their summed counts (micro, as in
   :mod:`benchmarks.realnews_quality`).
3. **Out of fold, by event**: each event takes the setting with the best pair F1 on the
   *other* tuning events; the pair F1 of those predictions pooled is the model's figure,
   the one models are compared on (:mod:`benchmarks.model_choice`).
4. **Shipped**: the setting with the best pair F1 on all tuning events.

Ties (pair F1 equal to four decimals) go to the smaller lexical weight, then to the lower
threshold. The earlier choice of the weight on CheckThat! 2020 train tweets (still run by
:mod:`claims.training.calibrate`, kept as ``checkthat_*`` for reference) could not tell 0.25
from 0.5 apart for any e5 build (bootstrap noise), while the news events move by 0.04-0.05
between them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np

from claims.training.calibrate import LEXICAL_WEIGHTS as CHECKTHAT_WEIGHTS

# CheckThat!'s weights, and one more: USE's best sits at their top (2.0).
LEXICAL_WEIGHTS = (*CHECKTHAT_WEIGHTS, 4.0)  # w of (cosine + w TF-IDF) / (1 + w)
THRESHOLDS = tuple(round(float(t), 2) for t in np.arange(0.15, 0.9001, 0.01))  # USE and MiniLM sit low
MIN_ARTICLES = 2  # what claims.analyze groups: sentences of at least two articles
COMMAND = "python -m claims.training.news_calibration"
METHOD = (f"real-news tuning events (split.json 'tuning'), each its own corpus grouped as claims.analyze "
          f"does (hybrid + figure bonus, default guard) at every lexical weight x threshold; shipped: "
          f"best micro pair F1 on all tuning events; 'news.out_of_fold_pair_f1': each event at the "
          f"setting best on the other events, pooled; ties: smaller weight, then lower threshold; {COMMAND}")


def pair_f1(counts: np.ndarray) -> np.ndarray:
    """Pair F1 of (true, predicted, required) counts on the last axis (1.0 when nothing is
    predicted or required, as :func:`claims.evaluation.metrics.pair_scores`)."""
    counts = np.asarray(counts, np.float64)
    tp, predicted, required = counts[..., 0], counts[..., 1], counts[..., 2]
    precision = np.divide(tp, predicted, out=np.ones_like(tp), where=predicted > 0)
    recall = np.divide(tp, required, out=np.ones_like(tp), where=required > 0)
    total = precision + recall
    return np.divide(2 * precision * recall, total, out=np.zeros_like(tp), where=total > 0)


class SettingChoice:
    """Choose one setting from pair counts per (event, setting), on all events and out of fold.

    Args:
        settings: the (lexical weight, threshold) of each setting, in the order of the
            counts' second axis.

    Attributes:
        best_: index of the setting with the best pair F1 over all events.
        fold_choices_: for each event, the setting best on the other events.
        in_sample_counts_, out_of_fold_counts_: summed (true, predicted, required) pairs of
            every event at ``best_`` and at its own fold choice.
        in_sample_f1_, out_of_fold_f1_: their pair F1.
    """

    def __init__(self, settings: Sequence[tuple[float, float]]):
        self.settings = settings

    def _best(self, counts: np.ndarray) -> int:
        """The setting with the best pair F1 of ``counts`` (settings, 3); ties: smaller weight, lower threshold."""
        f1 = np.round(pair_f1(counts), 4)
        return min(range(len(self.settings)), key=lambda s: (-f1[s], self.settings[s][0], self.settings[s][1]))

    def fit(self, counts: np.ndarray) -> "SettingChoice":
        """Choose from ``counts``: shape (events, settings, 3), pair counts of each event at each setting.

        Raises:
            ValueError: for a shape that does not match ``settings``, fewer than two
                events, or negative counts.
        """
        counts = np.asarray(counts)
        settings = [tuple(s) for s in self.settings]
        if not settings or any(len(s) != 2 for s in settings):
            raise ValueError("settings must be a non-empty list of (lexical weight, threshold)")
        if counts.ndim != 3 or counts.shape[1:] != (len(settings), 3):
            raise ValueError(f"counts must have shape (events, {len(settings)}, 3), got {counts.shape}")
        if counts.shape[0] < 2:
            raise ValueError("need at least two events to choose out of fold")
        if (counts < 0).any():
            raise ValueError("pair counts cannot be negative")
        total = counts.sum(axis=0)
        self.best_ = self._best(total)
        self.fold_choices_ = [self._best(total - counts[k]) for k in range(len(counts))]
        self.in_sample_counts_ = total[self.best_]
        self.out_of_fold_counts_ = sum(counts[k, s] for k, s in enumerate(self.fold_choices_))
        self.in_sample_f1_ = float(pair_f1(self.in_sample_counts_))
        self.out_of_fold_f1_ = float(pair_f1(self.out_of_fold_counts_))
        return self


# -- sweeping the events ---------------------------------------------------------------------


class _Lookup:
    """A fitted pair scorer evaluated once on every pair of a small corpus, then looked up:
    the threshold sweep asks for the same pairs again and again."""

    def __init__(self, scorer: Callable, n: int):
        i, j = np.triu_indices(n, 1)
        self.matrix = np.zeros((n, n), np.float32)
        scores = np.asarray(scorer(i, j, np.zeros(len(i), np.float32)), np.float32)
        self.matrix[i, j] = scores
        self.matrix[j, i] = scores

    def __call__(self, i, j, dense=None) -> np.ndarray:
        return self.matrix[np.asarray(i), np.asarray(j)]


def sweep_event(event, weights: Sequence[float] = LEXICAL_WEIGHTS, thresholds: Sequence[float] = THRESHOLDS,
                guard: Optional[Callable] = None, figure_bonus: Optional[float] = None) -> tuple[list, np.ndarray, list]:
    """Group one event at every (weight, threshold) and count its pairs.

    Args:
        event: a :class:`benchmarks.realnews_events.Event` (texts, vectors, articles, gold).
        weights, thresholds: the grid.
        guard: ``guard(text_a, text_b)``, the pair guard (verdicts are remembered across the
            grid); None for no guard.
        figure_bonus: the hybrid score's bonus (default: the shipped one).

    Returns:
        The settings, their pair counts (settings, 3) and each setting's labels of all rows.
    """
    from claims.evaluation.metrics import pair_scores, with_singletons
    from claims.matching.clauses import ClauseScorer
    from claims.matching.grouping import group_embeddings
    from claims.matching.scores import pair_score

    bonus = pair_score("hybrid").figure_bonus if figure_bonus is None else figure_bonus
    verdicts: dict = {}

    def remembered(a: str, b: str):
        if (a, b) not in verdicts:
            verdicts[(a, b)] = guard(a, b)
        return verdicts[(a, b)]
    settings, counts, labels = [], [], []
    for weight in weights:
        scorer = ClauseScorer(lexical_weight=weight, clauses=False, figure_bonus=bonus).fit(event.texts, event.vectors)
        lookup = _Lookup(scorer, len(event.texts))
        for threshold in thresholds:
            rows = group_embeddings(event.vectors, event.article_ids, threshold, MIN_ARTICLES, texts=event.texts,
                                    guard=remembered if guard else None, pair_scorer=lookup).labels.tolist()
            full = with_singletons(rows)
            p = pair_scores(event.labels, [full[r] for r in event.scored], event.ignore)
            settings.append((float(weight), float(threshold)))
            counts.append((p.true_pairs, p.predicted_pairs, p.gold_pairs))
            labels.append(rows)
    return settings, np.asarray(counts, np.int64), labels


def calibrate_on_news(model: str, events: Optional[list] = None, progress: bool = True) -> Optional[dict]:
    """The procedure for ``model`` on the tuning events; None when their texts are absent.

    Returns:
        ``{"lexical_weight", "hybrid", "news": {...}}``: the shipped setting; under ``news`` its
        in-sample and out-of-fold pair figures (P, R, F1, B-cubed, must-not-merge claim pairs),
        the settings chosen per fold, and each event's (true, predicted, required) pairs at its
        fold's setting (to compare models event by event).
    """
    from benchmarks.realnews_events import default_guard_of, score_events

    if events is None:
        from claims.models import get_encoder
        from claims.training.pair_data import tuning_events

        events = tuning_events(get_encoder(model, cache=True))
    if not events:
        return None
    per_event, settings = [], None
    for event in events:
        start = time.process_time()
        settings, counts, labels = sweep_event(event, guard=default_guard_of(event))
        per_event.append((counts, labels))
        if progress:
            print(f"... {model} {event.id}: {len(settings)} settings, {time.process_time() - start:.1f} s CPU",
                  file=sys.stderr, flush=True)
    choice = SettingChoice(settings).fit(np.stack([c for c, _ in per_event]))

    def figures(chosen: Sequence[int]) -> dict:
        s = score_events(events, [per_event[k][1][c] for k, c in enumerate(chosen)])
        return {"pair_precision": round(s["pair_precision"], 4), "pair_recall": round(s["pair_recall"], 4),
                "pair_f1": round(s["pair_f1"], 4), "bcubed_f1": round(s["bcubed_f1"], 4),
                "must_not_merge_claim_pairs": s["must_not_merge"]["claim_pairs"]}
    weight, threshold = settings[choice.best_]
    oof_counts = {e.id: per_event[k][0][c].tolist() for k, (e, c) in enumerate(zip(events, choice.fold_choices_))}
    return {"lexical_weight": weight, "hybrid": threshold,
            "news": {"events": [e.id for e in events], "out_of_fold_event_counts": oof_counts,
                     "in_sample": figures([choice.best_] * len(events)),
                     "out_of_fold": figures(choice.fold_choices_),
                     "fold_settings": {e.id: list(settings[c]) for e, c in zip(events, choice.fold_choices_)}}}


# -- the table -------------------------------------------------------------------------------


def news_entry(table: dict, name: str, found: dict) -> dict:
    """``table`` with the calibration entry ``name`` given the news-chosen weight and threshold.

    The CheckThat! values they replace are kept as ``checkthat_lexical_weight`` and
    ``checkthat_hybrid`` (for reference) the first time.
    """
    table = json.loads(json.dumps(table))
    table["news_method"] = METHOD
    entry = table.setdefault("models", {}).setdefault(name, {})
    for key in ("lexical_weight", "hybrid"):
        if key in entry and f"checkthat_{key}" not in entry:
            entry[f"checkthat_{key}"] = entry[key]
        entry[key] = found[key]
    entry.pop("hybrid_f1", None)  # a CheckThat! F1: it no longer describes "hybrid"
    entry["news"] = found["news"]
    return table


def main(argv: Optional[Sequence[str]] = None) -> int:
    from claims.models import CALIBRATION_FILE, available_models, model_entry

    models = list(available_models())
    parser = argparse.ArgumentParser(prog=COMMAND, description=(__doc__ or "").split("\n")[0])
    parser.add_argument("models", nargs="*", metavar="MODEL", default=models,
                        help=f"models to calibrate (default: every registered model: {' '.join(models)})")
    parser.add_argument("--output", type=Path, default=CALIBRATION_FILE, help="table to update")
    parser.add_argument("--dry-run", action="store_true", help="print, write nothing")
    args = parser.parse_args(argv)
    found_for: dict[str, dict] = {}
    done: dict[str, tuple] = {}
    for model in args.models or models:
        name = model_entry(model).calibration or model
        found = calibrate_on_news(model)
        if found is None:
            print(f"skipped: no real-news tuning events on this machine; {args.output} is unchanged")
            return 0
        o, i = found["news"]["out_of_fold"], found["news"]["in_sample"]
        print(f"{model:17} weight {found['lexical_weight']:<5} threshold {found['hybrid']:.2f}: tuning pair F1 "
              f"in sample {i['pair_f1']:.4f}, OUT OF FOLD {o['pair_f1']:.4f} (P {o['pair_precision']:.3f} "
              f"R {o['pair_recall']:.3f}, B3 {o['bcubed_f1']:.3f}, must-not-merge {o['must_not_merge_claim_pairs']})",
              flush=True)
        if name in done and (found["lexical_weight"], found["hybrid"]) != done[name]:
            print(f"  {model} shares the calibration entry {name!r} but chose differently; the first is kept")
            continue
        done[name] = (found["lexical_weight"], found["hybrid"])
        found_for[name] = found
    if not args.dry_run:
        table = json.loads(args.output.read_text(encoding="utf-8"))  # read now: other commands write it too
        for name, found in found_for.items():
            table = news_entry(table, name, found)
        args.output.write_text(json.dumps(table, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
