"""Settings of one analysis, resolved and validated once, before any work.

:func:`resolve_settings` turns what a user gave (model name, pair score, threshold,
minimum articles…) into a frozen :class:`Settings`; every later stage reads it and
nothing re-derives a setting. A :class:`Threshold` carries its scale and where it came
from, and is shown that way wherever it is shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import NamedTuple, Optional, Union

from claims.matching.scores import DEFAULT_PAIR_SCORE, PairScore, pair_score
from claims.models import DEFAULT_MODEL, ModelEntry, model_entry

CALIBRATED, GIVEN, ESTIMATED = "calibrated", "given", "estimated from the corpus"


class Threshold(NamedTuple):
    """A similarity threshold with its scale and origin.

    Attributes:
        value: pairs scoring at least this are linked; groups are cut where the average
            pair score falls below it, and same-article restatements join when their
            average score to the group reaches it (one value, one scale).
        scale: the name of the pair score it is on ("hybrid", "cosine"…).
        source: ``"calibrated"``, ``"given"`` or ``"estimated from the corpus"``.
    """

    value: float
    scale: str
    source: str

    def __str__(self) -> str:
        return f"{self.value:.3f} on the {self.scale} scale ({self.source})"


def check_threshold(value: float, score: PairScore) -> float:
    """``value`` as a float if it is a finite number inside ``score``'s range.

    Raises:
        ValueError: for NaN, infinities, non-numbers and values outside the range.
    """
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"threshold must be a number, got {value!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"threshold must be a finite number, got {value}")
    if not score.low <= value <= score.high:
        raise ValueError(f"threshold {value:g} is outside the {score.name} score's range "
                         f"[{score.low:g}, {score.high:g}]")
    return value


@dataclass(frozen=True)
class Settings:
    """Everything an analysis was asked to do, resolved.

    Attributes:
        model: the model's registry entry.
        pair_score: the pair score, or None for a user-supplied scorer.
        threshold: the threshold, or None until it is estimated from the corpus (a model
            with no calibration for this pair score, no threshold given).
        min_articles: distinct articles a group must span.
        guards: refuse pairs that differ on figures, negation or entities.
        attribution: find who said each sentence.
        stance: give each mention a stance (needs groups).
        cache: reuse embeddings and text analyses from the on-disk caches.
        notes: what the user should be told (fallbacks, estimates), one line each.
    """

    model: ModelEntry
    pair_score: Optional[PairScore]
    threshold: Optional[Threshold]
    min_articles: int = 2
    guards: bool = True
    attribution: bool = True
    stance: bool = True
    cache: bool = True
    notes: tuple[str, ...] = field(default=())

    def with_threshold(self, threshold: Threshold, note: Optional[str] = None) -> "Settings":
        """A copy with ``threshold`` set (and ``note`` added)."""
        return replace(self, threshold=threshold, notes=self.notes + ((note,) if note else ()))

    def as_dict(self) -> dict:
        """JSON-ready summary (the ``settings`` of ``--format json``)."""
        t = self.threshold
        return {"model": self.model.name, "pair_score": self.pair_score.name if self.pair_score else "custom",
                "threshold": {"value": round(t.value, 4), "scale": t.scale, "source": t.source} if t else None,
                "min_articles": self.min_articles, "guards": self.guards, "attribution": self.attribution,
                "stance": self.stance, "notes": list(self.notes)}


def resolve_settings(model: Union[str, ModelEntry] = DEFAULT_MODEL, threshold: Optional[float] = None,
                     min_articles: int = 2, *, pair_score_name: str = DEFAULT_PAIR_SCORE,
                     custom_scale: Optional[str] = None, guards: bool = True, attribution: bool = True,
                     stance: bool = True, cache: bool = True) -> Settings:
    """Validate and resolve the settings of one analysis.

    Args:
        model: a registered model name, a local sentence-transformers folder, or an entry.
        threshold: a threshold on the pair score's scale; None for the calibrated one.
        min_articles: distinct articles a group must span (>= 1).
        pair_score_name: a name of :data:`claims.matching.scores.PAIR_SCORES`.
        custom_scale: the scale of a user-supplied pair scorer (then ``pair_score_name`` is
            ignored and a threshold must be given).
        guards, attribution, stance, cache: see :class:`Settings`.

    Raises:
        ValueError: with a message naming the bad value, before any work is done.
    """
    if isinstance(min_articles, bool) or not isinstance(min_articles, int) or min_articles < 1:
        raise ValueError(f"min_articles must be an integer >= 1, got {min_articles!r}")
    entry = model if isinstance(model, ModelEntry) else model_entry(model)
    if custom_scale is not None:
        if threshold is None:
            raise ValueError("a custom pair scorer needs an explicit threshold")
        resolved = Threshold(float(threshold), custom_scale, GIVEN)
        if not math.isfinite(resolved.value):
            raise ValueError(f"threshold must be a finite number, got {threshold}")
        return Settings(entry, None, resolved, min_articles, guards, attribution, stance, cache)
    score = pair_score(pair_score_name)
    notes: tuple[str, ...] = ()
    if threshold is not None:
        resolved = Threshold(check_threshold(threshold, score), score.name, GIVEN)
    else:
        calibrated = entry.threshold(score.scale)
        resolved = Threshold(calibrated, score.name, CALIBRATED) if calibrated is not None else None
        if resolved is None:
            # Announced, never silent: the corpus estimate is on the cosine scale.
            notes = (f"model {entry.name!r} has no calibrated threshold for the {score.name} score: "
                     f"scoring pairs by cosine with a threshold estimated from this corpus "
                     f"(give --threshold to choose)",)
            score = pair_score("cosine")
    return Settings(entry, score, resolved, min_articles, guards, attribution, stance, cache, notes)


__all__ = ["CALIBRATED", "ESTIMATED", "GIVEN", "Settings", "Threshold", "check_threshold", "resolve_settings"]
