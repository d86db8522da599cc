"""Stance classifier on sentence embeddings plus lexicon and attribution features.

:class:`StanceClassifier` is a multinomial logistic regression over

* the sentence embedding (multilingual-e5-small, 384 values),
* lexicon scores from :mod:`claims.stance.lexicon` (support, opposition, hedging,
  question, contradiction), where negation has already turned cues around,
* the attribution: whether a speaker holds the sentence, whether it is narration, direct
  quotation,
* for sentences without attribution (tweets about a masked target), the cues aimed at the
  target, those aimed at its rival turned around (:mod:`claims.stance.target_cues`).

Attributions are optional: ``None`` means "unknown, the author speaks" (tweets), while
an :class:`~claims.records.Attribution` without speaker means narration.

Calibration: ``neutral_bias_`` is added to the neutral log-probability before the argmax;
:meth:`StanceClassifier.fit` picks it by cross-validation on the training data so that
``neutral`` wins whenever the evidence for a side is weak. It is picked separately for
sentences without attribution (the author speaks) and with one (news), on the rows of each
kind, because how often a sentence takes no side differs between the two. Weights are saved as plain
arrays (``.npz``, no pickle) and read by :meth:`StanceClassifier.load_default`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Collection, NamedTuple, Optional, Sequence

import numpy as np

from claims.records import STANCES, Attribution
from claims.stance.lexicon import StanceLexicon, default_lexicon
from claims.stance.target_cues import target_cues

DEFAULT_WEIGHTS = Path(__file__).resolve().parent.parent / "data" / "stance_classifier.npz"
CUE_FEATURES = ("favor", "against", "hedge", "question", "opposition")
TARGET_FEATURES = ("toward_favor", "toward_against", "names_target", "names_rival")
FEATURE_NAMES = CUE_FEATURES + tuple(f"news_{n}" for n in CUE_FEATURES) + (
    "speaker", "narration", "direct_quote") + TARGET_FEATURES
BIAS_GRID = np.round(np.arange(-3.0, 3.0001, 0.05), 2)
MIN_ROWS_FOR_BIAS = 50
CLASS_WEIGHTS = ("balanced", "sqrt_balanced", None)
# Encoders whose vectors the shipped weights read: e5-small, and its int8 build (the same
# weights quantised: identical stances on the 64 mentions of the demo stance gold).
# Any other encoder's vectors are another space, even at the same size.


class StanceFeatures(NamedTuple):
    """The non-embedding features of one sentence, in :data:`FEATURE_NAMES` order.

    Cue features come twice: once for every sentence, once only for sentences with a known
    attribution ("news_" copies). The copies let news sentences, where a speaker's
    condemnation is the whole stance, weigh cues differently from tweets, where the
    embedding carries most of it (feature augmentation, Daumé 2007). Sentences without
    attribution (tweets, the author speaks) also get the cues aimed at their masked target,
    a rival's turned around (:mod:`claims.stance.target_cues`); news sentences get zeros.
    """

    favor: float
    against: float
    hedge: float
    question: float
    opposition: float
    news_favor: float
    news_against: float
    news_hedge: float
    news_question: float
    news_opposition: float
    speaker: float
    narration: float
    direct_quote: float
    toward_favor: float
    toward_against: float
    names_target: float
    names_rival: float


def stance_features(text: str, attribution: Optional[Attribution] = None, *,
                    focus_words: Optional[Collection[str]] = None,
                    lexicon: Optional[StanceLexicon] = None) -> StanceFeatures:
    """Lexicon and attribution features of one sentence.

    Args:
        text: the sentence.
        attribution: who holds it; None when unknown (the author speaks, as in a tweet).
        focus_words: content words the claim is about (see :func:`lexicon.content_words`).
        lexicon: the cue lexicon; the packaged one by default.
    """
    if lexicon is None:
        focus = None if focus_words is None else frozenset(focus_words)
        return _default_features(text, attribution, focus)
    s = lexicon.score(text, focus_words)
    # log1p: many weak cues should not outweigh one strong one.
    cues = (float(np.log1p(s.favor)), float(np.log1p(s.against)), float(np.log1p(s.hedge)),
            s.question, s.opposition)
    if attribution is None:  # the author speaks: cues aimed at the target or its rival
        return StanceFeatures(*cues, *(0.0,) * len(cues), 0.0, 0.0, 0.0, *target_cues(text))
    speaker = 1.0 if attribution.speaker else 0.0
    direct = 1.0 if attribution.quote == "direct" else 0.0
    return StanceFeatures(*cues, *cues, speaker, 1.0 - speaker, direct, *(0.0,) * len(TARGET_FEATURES))


@lru_cache(maxsize=65536)
def _default_features(text: str, attribution: Optional[Attribution],
                      focus_words: Optional[frozenset]) -> StanceFeatures:
    """:func:`stance_features` with the packaged lexicon, remembered (fit re-reads texts)."""
    return stance_features(text, attribution, focus_words=focus_words, lexicon=default_lexicon())


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def macro_f1(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int = 3) -> float:
    """Mean F1 over the classes ``0 .. n_classes - 1`` (0 for a class never predicted right)."""
    scores = []
    for k in range(n_classes):
        tp = np.sum((y_pred == k) & (y_true == k))
        fp = np.sum((y_pred == k) & (y_true != k))
        fn = np.sum((y_pred != k) & (y_true == k))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores))


class StanceClassifier:
    """Favor / against / neutral from sentence embeddings, text cues and attribution.

    Args:
        C: inverse L2 regularisation strength of the logistic regression (> 0).
        cue_scale: factor on the standardised lexicon and attribution features (> 0); above 1
            they are regularised less than the 384 embedding values, which would otherwise
            drown them.
        class_weight: "balanced" or None, as in scikit-learn, or "sqrt_balanced": the square
            root of the balanced weights, pushing the rare classes less.
        neutral_bias: fixed bias added to the neutral log-probability; None = choose it by
            cross-validation in :meth:`fit`, once for sentences without attribution and once
            for sentences with one.
        cv: folds for choosing ``neutral_bias`` (>= 2).
        random_state: seed for the folds.
        target_focus: when a stance target is given (:meth:`predict_texts`), count the
            cues of the clause naming the target fully and the others at half weight; the
            training rows must then be fitted with ``focus_words=TARGET_FOCUS`` too.
    """

    def __init__(self, C: float = 1.0, cue_scale: float = 1.0, class_weight: Optional[str] = "balanced",
                 neutral_bias: Optional[float] = None, cv: int = 5, random_state: int = 0,
                 target_focus: bool = False):
        self.C = C
        self.cue_scale = cue_scale
        self.class_weight = class_weight
        self.neutral_bias = neutral_bias
        self.cv = cv
        self.random_state = random_state
        self.target_focus = target_focus

    # -- features --------------------------------------------------------------------------

    @staticmethod
    def features(embeddings: np.ndarray, texts: Sequence[str],
                 attributions: Optional[Sequence[Optional[Attribution]]] = None, *,
                 focus_words: Optional[Sequence[Optional[Collection[str]]]] = None) -> np.ndarray:
        """The design matrix: embeddings followed by :class:`StanceFeatures` columns."""
        embeddings = np.asarray(embeddings, dtype=np.float32)
        if embeddings.ndim != 2 or len(embeddings) != len(texts):
            raise ValueError(f"embeddings must have shape (len(texts), dim), got {embeddings.shape} "
                             f"for {len(texts)} texts")
        n = len(texts)
        attributions = list(attributions) if attributions is not None else [None] * n
        focus_words = list(focus_words) if focus_words is not None else [None] * n
        if not len(attributions) == len(focus_words) == n:
            raise ValueError("attributions and focus_words must have one item per text")
        rows = [stance_features(t, a, focus_words=f) for t, a, f in zip(texts, attributions, focus_words)]
        extra = np.asarray(rows, dtype=np.float32).reshape(n, len(FEATURE_NAMES))
        return np.hstack([embeddings, extra])

    # -- fitting ---------------------------------------------------------------------------

    def _check_params(self) -> None:
        if not self.C > 0:
            raise ValueError(f"C must be > 0, got {self.C}")
        if not self.cue_scale > 0:
            raise ValueError(f"cue_scale must be > 0, got {self.cue_scale}")
        if self.class_weight not in CLASS_WEIGHTS:
            raise ValueError(f"class_weight must be one of {CLASS_WEIGHTS}, got {self.class_weight!r}")
        if self.cv < 2:
            raise ValueError(f"cv must be >= 2, got {self.cv}")

    def _fit_lr(self, X: np.ndarray, y: np.ndarray, sample_weight=None):
        from sklearn.linear_model import LogisticRegression

        weights = self.class_weight
        if weights == "sqrt_balanced":  # (n / (k * count)) ** 0.5, the classes present in y
            labels, counts = np.unique(y, return_counts=True)
            weights = dict(zip(labels.tolist(), np.sqrt(len(y) / (len(labels) * counts)).tolist()))
        model = LogisticRegression(C=self.C, class_weight=weights, max_iter=5000)
        model.fit(X, y, sample_weight=sample_weight)
        return model

    def fit(self, embeddings: np.ndarray, texts: Sequence[str], y: Sequence[str],
            attributions: Optional[Sequence[Optional[Attribution]]] = None,
            sample_weight: Optional[Sequence[float]] = None, *,
            focus_words: Optional[Sequence[Optional[Collection[str]]]] = None) -> "StanceClassifier":
        """Fit on labelled sentences (labels from :data:`claims.records.STANCES`).

        ``focus_words`` (one set or None per text) are passed to :meth:`features`.
        """
        self._check_params()
        unknown = set(y) - set(STANCES)
        if unknown:
            raise ValueError(f"labels must be among {STANCES}, got {sorted(unknown)}")
        X = self.features(embeddings, texts, attributions, focus_words=focus_words)
        y_idx = np.array([STANCES.index(v) for v in y])
        self.mean_ = X.mean(axis=0)
        self.scale_ = X.std(axis=0) + 1e-6
        self.scale_[-len(FEATURE_NAMES):] /= self.cue_scale
        Xs = (X - self.mean_) / self.scale_
        sw = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        attributed = self._attributed(attributions, len(texts))
        if self.neutral_bias is None:
            self.neutral_bias_ = self._choose_bias(Xs, y_idx, sw, attributed)
        else:
            self.neutral_bias_ = np.full(2, float(self.neutral_bias), np.float32)
        model = self._fit_lr(Xs, y_idx, sw)
        self.coef_ = model.coef_.astype(np.float32)
        self.intercept_ = model.intercept_.astype(np.float32)
        self.classes_ = np.array(STANCES)
        self.feature_names_ = np.array([f"emb{i}" for i in range(X.shape[1] - len(FEATURE_NAMES))]
                                       + list(FEATURE_NAMES))
        return self

    @staticmethod
    def _attributed(attributions, n: int) -> np.ndarray:
        if attributions is None:
            return np.zeros(n, bool)
        return np.array([a is not None for a in attributions], bool)

    def _choose_bias(self, Xs, y_idx, sw, attributed) -> np.ndarray:
        """Neutral biases maximising out-of-fold macro-F1, per kind of row (training data only).

        A kind with fewer than :data:`MIN_ROWS_FOR_BIAS` rows or missing a stance gets the
        bias chosen on all rows.
        """
        from sklearn.model_selection import StratifiedKFold

        oof = np.zeros((len(y_idx), len(STANCES)))
        folds = StratifiedKFold(self.cv, shuffle=True, random_state=self.random_state)
        for train, held in folds.split(Xs, y_idx):
            model = self._fit_lr(Xs[train], y_idx[train], None if sw is None else sw[train])
            oof[held] = model.predict_log_proba(Xs[held])
        pooled, pooled_f1 = self._best_bias(oof, y_idx)
        biases, cv = np.full(2, pooled, np.float32), {"all": pooled_f1}
        for kind, rows in ((0, ~attributed), (1, attributed)):
            if rows.sum() >= MIN_ROWS_FOR_BIAS and len(set(y_idx[rows])) == len(STANCES):
                biases[kind], cv[("unattributed", "attributed")[kind]] = self._best_bias(oof[rows], y_idx[rows])
        self.cv_macro_f1_ = cv
        return biases

    @staticmethod
    def _best_bias(log_proba: np.ndarray, y_idx: np.ndarray) -> tuple[float, float]:
        best, best_f1 = 0.0, -1.0
        for b in BIAS_GRID:  # ties: the bias closest to 0
            f1 = macro_f1(y_idx, np.argmax(log_proba + [0.0, 0.0, b], axis=1))
            if f1 > best_f1 + 1e-9 or (abs(f1 - best_f1) <= 1e-9 and abs(b) < abs(best)):
                best, best_f1 = float(b), f1
        return best, best_f1

    # -- prediction ------------------------------------------------------------------------

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise ValueError("StanceClassifier is not fitted: call fit() or load()")

    def predict_proba(self, embeddings: np.ndarray, texts: Sequence[str],
                      attributions: Optional[Sequence[Optional[Attribution]]] = None,
                      **feature_options) -> np.ndarray:
        """Probabilities of (favor, against, neutral) per sentence, before the neutral bias.

        ``feature_options`` (``focus_words``) are passed to :meth:`features`.
        """
        self._check_fitted()
        X = self.features(embeddings, texts, attributions, **feature_options)
        if X.shape[1] != self.coef_.shape[1]:
            raise ValueError(f"expected {self.coef_.shape[1] - len(FEATURE_NAMES)}-dimensional "
                             f"embeddings, got {X.shape[1] - len(FEATURE_NAMES)}")
        return _softmax(((X - self.mean_) / self.scale_) @ self.coef_.T + self.intercept_)

    def decide(self, proba: np.ndarray,
               attributions: Optional[Sequence[Optional[Attribution]]] = None) -> list[str]:
        """Labels from :meth:`predict_proba` output, with the calibrated neutral bias.

        ``attributions`` must be the ones given to :meth:`predict_proba`: the bias depends
        on whether a sentence has one.
        """
        self._check_fitted()
        proba = np.asarray(proba)
        bias = self.neutral_bias_[self._attributed(attributions, len(proba)).astype(int)]
        scores = np.log(np.maximum(proba, 1e-12))
        scores[:, STANCES.index("neutral")] += bias
        return [STANCES[i] for i in np.argmax(scores, axis=1)]

    def predict(self, embeddings: np.ndarray, texts: Sequence[str],
                attributions: Optional[Sequence[Optional[Attribution]]] = None,
                **feature_options) -> list[str]:
        """One of "favor", "against", "neutral" per sentence."""
        return self.decide(self.predict_proba(embeddings, texts, attributions, **feature_options),
                           attributions)

    def predict_texts(self, texts: Sequence[str],
                      attributions: Optional[Sequence[Optional[Attribution]]] = None,
                      encoder=None, target: Optional[str] = None) -> list[str]:
        """Text-level wrapper: encode ``texts`` (e5-small by default), then :meth:`predict`.

        Args:
            texts: sentences or tweets.
            attributions: as in :meth:`predict`.
            encoder: the classifier's encoder; e5-small by default.
            target: the stance target ("Emmanuel Macron"); its names are masked as "la cible"
                and rival names as "l'adversaire" (:mod:`claims.stance.targets`) before
                encoding and cue scoring. None: stance of the text itself, no masking.
        """
        texts, focus = self.prepare_texts(texts, target)
        vectors = (encoder or default_encoder()).encode(list(texts))
        return self.predict(vectors, texts, attributions, focus_words=focus)

    def prepare_texts(self, texts: Sequence[str],
                      target: Optional[str] = None) -> tuple[list[str], Optional[list]]:
        """Texts to encode and classify for ``target``, and the focus words to pass along."""
        if target is None:
            return list(texts), None
        from claims.stance.targets import TARGET_FOCUS, mask_target

        masked = mask_target(texts, target)
        return masked, ([TARGET_FOCUS] * len(masked) if self.target_focus else None)

    # -- persistence -----------------------------------------------------------------------

    def save(self, path: str | Path, **metadata) -> None:
        """Write the learned weights (and JSON-serialisable ``metadata``) to an ``.npz`` file."""
        self._check_fitted()
        params = {"C": self.C, "cue_scale": self.cue_scale, "class_weight": self.class_weight,
                  "neutral_bias": self.neutral_bias, "cv": self.cv, "random_state": self.random_state,
                  "target_focus": self.target_focus}
        meta = dict(metadata, params=params, cv_macro_f1=getattr(self, "cv_macro_f1_", None))
        np.savez_compressed(path, coef=self.coef_, intercept=self.intercept_, mean=self.mean_,
                            scale=self.scale_, neutral_bias=np.asarray(self.neutral_bias_, np.float32),
                            classes=self.classes_, feature_names=self.feature_names_,
                            meta=np.array(json.dumps(meta, ensure_ascii=False)))

    @classmethod
    def load(cls, path: str | Path) -> "StanceClassifier":
        """Read weights written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            clf = cls(**meta.get("params", {}))
            clf.coef_ = data["coef"]
            clf.intercept_ = data["intercept"]
            clf.mean_ = data["mean"]
            clf.scale_ = data["scale"]
            clf.neutral_bias_ = np.asarray(data["neutral_bias"], np.float32).reshape(2)
            clf.classes_ = data["classes"]
            clf.feature_names_ = data["feature_names"]
            clf.metadata_ = meta
        if tuple(clf.classes_) != STANCES:
            raise ValueError(f"{path}: classes {tuple(clf.classes_)} differ from {STANCES}")
        return clf

    @classmethod
    def load_default(cls) -> "StanceClassifier":
        """The shipped classifier (``claims/data/stance_classifier.npz``), read once."""
        return _load_default()


@lru_cache(maxsize=1)
def _load_default() -> StanceClassifier:
    if not DEFAULT_WEIGHTS.exists():
        raise FileNotFoundError(f"{DEFAULT_WEIGHTS} is missing: run `python -m claims.training.stance`")
    return StanceClassifier.load(DEFAULT_WEIGHTS)


@lru_cache(maxsize=1)
def default_encoder():
    """The encoder the shipped classifier was trained with (e5-small), behind the embedding cache."""
    from claims.models import get_encoder, stance_model_name

    return get_encoder(stance_model_name(), cache=True)
