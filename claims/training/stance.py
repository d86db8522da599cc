"""Fit the shipped stance classifier weights (``claims/data/stance_classifier.npz``).

``python -m claims.training.stance [--output PATH]`` (about seven minutes on two cores;
embeddings are cached on disk, so a re-run only fits).

Training data, and only that:

* E-FRA Macron tweets with ``Set == Training`` (never the Test rows nor the Le Pen file),
  from ``../shared/eval`` (:mod:`claims.evaluation.data`), with the target masked
  (:mod:`claims.stance.targets`): Macron's names become "la cible", the other candidates'
  "l'adversaire", so the classifier learns stance toward *the target* ("l'adversaire est
  raciste" is FAVOUR) and tweets naming the rival can be kept;
* the hand-annotated news sentences of ``claims/data/stance_examples.tsv`` (no target, no
  masking: the pipeline's news path);
* the hand-written tweet-like sentences of ``claims/data/stance_tweet_examples.tsv``, about
  a masked target of any side of politics (rules in that file's header): they teach stance
  toward "la cible" with words the Macron tweets do not use.

C, cue_scale, target_focus (count the cues of the clause naming the target fully), the
class weighting ("balanced", its square root, none) and whether to calibrate a neutral bias
(None: chosen by cross-validation inside :meth:`StanceClassifier.fit`; 0: none) are chosen
by 5-fold cross-validation over the Macron rows, the hand-written rows staying in every
training fold (score: out-of-fold macro-F1 of the Macron rows, mean of three fold seeds).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable, NamedTuple, Optional, Sequence

import numpy as np

from claims.evaluation.data import EvalDataMissing, Labelled, load_efra
from claims.french.resources import DATA_DIR, read_tsv
from claims.records import STANCES, Attribution
from claims.stance.classifier import DEFAULT_WEIGHTS, StanceClassifier, macro_f1
from claims.stance.targets import TARGET_FOCUS, mask_target

COMMAND = "python -m claims.training.stance"
EXAMPLES_PATH = DATA_DIR / "stance_examples.tsv"
TWEET_EXAMPLES_PATH = DATA_DIR / "stance_tweet_examples.tsv"
C_GRID = (0.003, 0.01, 0.03)
CUE_SCALE_GRID = (1.0, 3.0, 10.0)
TARGET_FOCUS_GRID = (False, True)
CLASS_WEIGHT_GRID = ("balanced", "sqrt_balanced", None)  # order: preference on ties
NEUTRAL_BIAS_GRID = (None, 0.0)  # None: calibrated in fit; order: preference on ties
EFRA_TRAIN_TARGET = "Emmanuel Macron"
CV_FOLDS = 5
CV_SEEDS = (1, 2, 3)


# -- training rows -------------------------------------------------------------------------


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


def training_rows() -> list[Labelled]:
    """The rows the shipped weights are fitted on; tweets with their target masked.

    Raises:
        EvalDataMissing: when the E-FRA files are absent.
    """
    tweets = load_efra("train")
    masked = mask_target([r.text for r in tweets], EFRA_TRAIN_TARGET)
    return ([r._replace(text=t) for r, t in zip(tweets, masked)] + load_examples()
            + load_tweet_examples())


def training_encoder():
    """The classifier's encoder (e5-small) behind the on-disk embedding cache."""
    from claims.models import get_encoder, stance_model_name

    return get_encoder(stance_model_name(), cache=True)


# -- model selection -----------------------------------------------------------------------


def focus_for(rows: Sequence[Labelled], target_focus: bool) -> list:
    """Lexicon focus per row: the target's clause for masked tweets when ``target_focus``."""
    return [TARGET_FOCUS if target_focus and r.attribution is None else None for r in rows]


def describe(params: dict) -> str:
    """One grid point as "C=0.01 cue_scale=10.0 ..." (keys of the saved CV table)."""
    return " ".join(f"{name}={value}" for name, value in params.items())


def param_grid() -> list[dict]:
    """Every combination of the grids, as keyword arguments of :class:`StanceClassifier`."""
    return [{"C": C, "cue_scale": k, "target_focus": focus, "class_weight": w, "neutral_bias": b}
            for w in CLASS_WEIGHT_GRID for b in NEUTRAL_BIAS_GRID for focus in TARGET_FOCUS_GRID
            for C in C_GRID for k in CUE_SCALE_GRID]


def cross_validate(params: dict, X, rows: Sequence[Labelled], folds: int = CV_FOLDS,
                   seeds: Sequence[int] = CV_SEEDS) -> tuple[float, float]:
    """Out-of-fold macro-F1 of the E-FRA rows for ``params``: mean and spread over fold seeds.

    Only the E-FRA rows (``source`` "efra-...") are split; the hand-written rows are in every
    training fold. The neutral bias is chosen inside each fold.
    """
    from sklearn.model_selection import StratifiedKFold

    texts, attributions = [r.text for r in rows], [r.attribution for r in rows]
    focus = focus_for(rows, params["target_focus"])
    y = np.asarray([r.stance for r in rows])
    tweets = np.flatnonzero([r.source.startswith("efra") for r in rows])
    always = np.flatnonzero([not r.source.startswith("efra") for r in rows])
    y_idx = np.array([STANCES.index(v) for v in y[tweets]])
    runs = []
    for seed in seeds:
        pred = np.empty(len(tweets), dtype=object)
        for train_f, held_f in StratifiedKFold(folds, shuffle=True, random_state=seed).split(tweets, y_idx):
            train, held = np.concatenate([tweets[train_f], always]), tweets[held_f]
            clf = StanceClassifier(**params).fit(X[train], [texts[i] for i in train], y[train],
                                                 [attributions[i] for i in train],
                                                 focus_words=[focus[i] for i in train])
            pred[held_f] = clf.predict(X[held], [texts[i] for i in held], [attributions[i] for i in held],
                                       focus_words=[focus[i] for i in held])
        runs.append(macro_f1(y_idx, np.array([STANCES.index(v) for v in pred])))
    return float(np.mean(runs)), float(np.std(runs))


def choose(grid: Sequence[dict], scores: dict[str, float]) -> dict:
    """The grid point with the best CV score (rounded to 3 decimals).

    Ties go to the stronger regularisation, then no focus, then the grids' first entries.
    """
    return max(grid, key=lambda p: (round(scores[describe(p)], 3), -p["C"], -p["cue_scale"],
                                    not p["target_focus"], -CLASS_WEIGHT_GRID.index(p["class_weight"]),
                                    -NEUTRAL_BIAS_GRID.index(p["neutral_bias"])))


class StanceFit(NamedTuple):
    """A fitted classifier, the settings chosen and the CV score of every grid point."""

    classifier: StanceClassifier
    params: dict
    scores: dict[str, float]  # describe(params) -> mean CV macro-F1
    spreads: dict[str, float]  # describe(params) -> its spread over fold seeds


def fit_stance(rows: Sequence[Labelled], X: np.ndarray, grid: Optional[Sequence[dict]] = None,
               folds: int = CV_FOLDS, seeds: Sequence[int] = CV_SEEDS,
               log: Optional[Callable[[str], None]] = None) -> StanceFit:
    """Choose the settings of ``grid`` (default :func:`param_grid`) by CV, then fit on every row.

    Args:
        rows: labelled sentences; those whose ``source`` starts with "efra" are cross-validated.
        X: their embeddings, one row each.
        log: called with one line per grid point.
    """
    grid = list(grid if grid is not None else param_grid())
    scores, spreads = {}, {}
    for params in grid:
        key = describe(params)
        scores[key], spreads[key] = cross_validate(params, X, rows, folds, seeds)
        if log:
            log(f"  {key:<85} Macron CV macro-F1 {scores[key]:.3f} ± {spreads[key]:.3f}")
    best = choose(grid, scores)
    clf = StanceClassifier(**best).fit(X, [r.text for r in rows], [r.stance for r in rows],
                                       [r.attribution for r in rows],
                                       focus_words=focus_for(rows, best["target_focus"]))
    return StanceFit(clf, best, scores, spreads)


def save_fit(fit: StanceFit, rows: Sequence[Labelled], path: Path, encoder_name: str) -> None:
    """Write the classifier with what it was fitted on (read back by :meth:`StanceClassifier.load`)."""
    y = [r.stance for r in rows]
    fit.classifier.save(
        path, encoder=encoder_name, n_rows=len(rows), label_counts={s: y.count(s) for s in STANCES},
        sources={f"efra-macron-train (target masked: {EFRA_TRAIN_TARGET})":
                 sum(r.source.startswith("efra") for r in rows),
                 EXAMPLES_PATH.name: sum(r.source == "examples" for r in rows),
                 TWEET_EXAMPLES_PATH.name: sum(r.source == "tweet-examples" for r in rows)},
        cv_macron_by_params={key: round(v, 4) for key, v in fit.scores.items()})


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_WEIGHTS,
                        help="weights file to write "
                             "(default: the package's claims/data/stance_classifier.npz)")
    args = parser.parse_args(argv)
    try:
        rows = training_rows()
    except EvalDataMissing as error:
        print(f"skipped: E-FRA training data not found, {args.output} is unchanged: {error}")
        return 0
    encoder = training_encoder()
    t0 = time.perf_counter()
    X = encoder.encode([r.text for r in rows])
    print(f"encoded {len(rows)} training sentences with {encoder.name} in {time.perf_counter() - t0:.0f}s")
    fit = fit_stance(rows, X, log=lambda line: print(line, flush=True))
    save_fit(fit, rows, args.output, encoder.name)
    clf = fit.classifier
    print(f"chose {describe(fit.params)} (Macron CV macro-F1 {fit.scores[describe(fit.params)]:.3f}); "
          f"neutral bias {clf.neutral_bias_[0]:+.2f} without attribution, "
          f"{clf.neutral_bias_[1]:+.2f} with (CV macro-F1 {getattr(clf, 'cv_macro_f1_', None)}); "
          f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
