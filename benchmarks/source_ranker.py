"""A learned choice of source when the rules find a reporting cue but no source for it (an experiment).

The rules of :class:`claims.attribution.attributor.SpeakerAttributor` stop at a cue whose
subject they cannot read ("Léa Morand a saisi l'occasion du gala pour dénoncer"). There, each
(cue, mention) pair of the sentence is a candidate; :class:`SourceRanker` scores it from parse
features (how the mention's head relates to the cue's verb, distance, kind of mention, ...) and
the best candidate over ``threshold`` becomes the speaker (:class:`RankedAttributor`).
Measured leave one event out by ``benchmarks/attribution_ranker.py``; it did not pay its way
(BENCHMARKS.md, issue 13 fourth round), so it is not part of the package and no weights are stored.
"""

from __future__ import annotations

import math
from typing import Optional, Sequence

import numpy as np

from claims.attribution.attributor import SpeakerAttributor
from claims.french.cues import cue_is_postposed
from claims.french.text import words
from claims.records import Attribution

FEATURES = (
    "bias", "person", "role", "body", "pronoun", "marker", "aspect", "before", "distance",
    "subject_of_cue", "shares_governor", "subject", "oblique", "after_preposition", "modifies_noun",
    "first_mention", "marker_next", "cue_main", "cue_postposed", "quoted_sentence", "previous_speaker",
)


def _head(doc, mention):
    """The token of a mention whose head lies outside it (its syntactic head)."""
    inside = [t for t in doc if mention.start <= t.idx < mention.end]
    for t in inside:
        if not (mention.start <= t.head.idx < mention.end) or t.head is t:
            return t
    return inside[0] if inside else None


def candidate_features(queries, item, cue, mention, previous_speaker: Optional[str],
                       speaker: str) -> list[float]:
    """The feature vector (in :data:`FEATURES` order) of one (cue, mention) candidate.

    Args:
        queries: the attributor (its mention and clause helpers).
        item: the analysed sentence (``sentence``, ``doc``, ``mentions``, ``quotes``).
        cue: a :class:`claims.french.cues.CueMatch` of the sentence.
        mention: a :class:`claims.attribution.speakers.Mention` of the sentence.
        previous_speaker: the speaker given to the sentence before, if any.
        speaker: the name the mention resolves to.
    """
    text, doc = item.sentence.text, item.doc
    before = mention.end <= cue.start
    gap = text[mention.end:cue.start] if before else text[cue.end:mention.start]
    head = _head(doc, mention)
    verb = queries._token_at(doc, cue.verb_start)
    subject = queries._subject(verb) if verb is not None else None
    subject_of_cue = head is not None and subject is not None and subject.i == head.i
    shares = head is not None and verb is not None and head.dep_.startswith("nsubj") and (
        head.head.i == verb.head.i or head.head.i == verb.i or verb.head.i == head.head.i)
    dep = head.dep_ if head is not None else ""
    main = cue.kind == "marker" or queries._is_main(item, cue)
    return [
        1.0,
        float(mention.kind == "person"), float(mention.kind == "role"), float(mention.kind == "body"),
        float(mention.kind in ("pronoun", "same")),
        float(cue.kind == "marker"), float(cue.kind == "aspect"),
        float(before), min(len(words(gap)), 30) / 10.0,
        float(subject_of_cue), float(shares),
        float(dep.startswith("nsubj")), float(dep.startswith(("obl", "nmod"))),
        float(queries._after_preposition(item, mention)), float(queries._modifies_noun(item, mention)),
        float(mention is item.mentions[0]),
        float(cue.kind == "marker" and not before and len(words(gap)) <= 3),
        float(main), float(cue_is_postposed(text, cue)),
        float(bool(item.quotes)), float(previous_speaker is not None and speaker == previous_speaker),
    ]


def candidates(queries, item, previous_speaker: Optional[str]) -> list[tuple]:
    """Every (cue, mention, speaker, features) of a sentence; clitic cues ("a-t-il dit") and
    mentions that resolve to no source are left out."""
    out = []
    for cue in item.cues:
        if cue.clitic:
            continue
        for mention in item.mentions:
            if mention.start < cue.end and mention.end > cue.start:
                continue
            speaker = queries._resolve(mention, item)
            if not speaker:
                continue
            out.append((cue, mention, speaker,
                        candidate_features(queries, item, cue, mention, previous_speaker, speaker)))
    return out


class SourceRanker:
    """Logistic regression over :data:`FEATURES`, for the source of a cue the rules left.

    Args:
        C: inverse L2 regularisation strength (scikit-learn's ``C``).
        threshold: the least probability at which the best candidate is taken.
    """

    def __init__(self, C: float = 1.0, threshold: float = 0.5):
        if C <= 0:
            raise ValueError(f"C must be positive, got {C}")
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"threshold must be in (0, 1), got {threshold}")
        self.C = C
        self.threshold = threshold

    def fit(self, X: Sequence[Sequence[float]], y: Sequence[int]) -> "SourceRanker":
        """Fit on candidate features ``X`` and labels ``y`` (1: the gold source)."""
        from sklearn.linear_model import LogisticRegression

        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=int)
        if X.ndim != 2 or X.shape[1] != len(FEATURES):
            raise ValueError(f"X must have {len(FEATURES)} columns, got shape {X.shape}")
        if len(set(y.tolist())) < 2:
            raise ValueError("y needs both classes")
        model = LogisticRegression(C=self.C, fit_intercept=False, max_iter=2000)
        model.fit(X, y)
        self.coef_ = model.coef_[0].copy()
        return self

    def probability(self, features: Sequence[float]) -> float:
        """The probability that a candidate is the source."""
        z = float(np.dot(self.coef_, np.asarray(features, dtype=float)))
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def best(self, found: Sequence[tuple]) -> Optional[tuple]:
        """The candidate (from :func:`candidates`) with the highest probability, if over threshold."""
        if not found:
            return None
        scored = max(found, key=lambda c: self.probability(c[3]))
        return scored if self.probability(scored[3]) >= self.threshold else None

    def to_json(self) -> dict:
        return {"features": list(FEATURES), "coef": [round(float(c), 6) for c in self.coef_],
                "C": self.C, "threshold": self.threshold}

    @classmethod
    def from_json(cls, data: dict) -> "SourceRanker":
        if list(data["features"]) != list(FEATURES):
            raise ValueError("stored ranker weights were fitted on other features")
        ranker = cls(data["C"], data["threshold"])
        ranker.coef_ = np.asarray(data["coef"], dtype=float)
        return ranker


class RankedAttributor(SpeakerAttributor):
    """The rules, then the ranker where they found no source; ``candidates_`` records every
    sentence's candidates (sentence, list) when ``ranker`` is None, for fitting.

    Args:
        nlp: as :class:`SpeakerAttributor`.
        ranker: a fitted :class:`SourceRanker`, or None for the rules alone.
    """

    def __init__(self, nlp=None, ranker: Optional[SourceRanker] = None):
        super().__init__(nlp=nlp)
        self.ranker = ranker

    def attribute(self, article, sentences, docs=None):
        self.candidates_ = []
        return super().attribute(article, sentences, docs)

    def _attribute_one(self, item, previous):
        found = candidates(self, item, previous.speaker if previous else None)
        self.candidates_.append((item.sentence, found))
        result = super()._attribute_one(item, previous)
        if result.speaker is not None or self.ranker is None:
            return result
        best = self.ranker.best(found)
        if best is None:
            return result
        cue, mention, speaker, _ = best
        self._speaker_kind = mention.kind
        quote, span = self._quote_and_span(item, cue, cue.kind != "marker" and self._is_postposed(item, cue))
        return Attribution(speaker, cue.text, quote, span)


__all__ = ["FEATURES", "RankedAttributor", "SourceRanker", "candidate_features", "candidates"]
