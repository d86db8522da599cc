"""Cues toward a masked stance target: who a cue is about, the target or its rival.

On a tweet whose target is masked (:mod:`claims.stance.targets`), an insult or a call to vote
says something about whichever candidate it is aimed at: "votez la cible" is support, "votez
l'adversaire" opposition, "barrage à l'adversaire" support again. Each cue of the lexicons is
given to the nearest placeholder ("la cible" or "l'adversaire"), one between the same
punctuation marks first, and turned around when that is the rival. A text naming neither is taken to be about the target.

This carries over from one target to another where words do not: the classifier learns
"a negative cue aimed at the target", not "pro-Macron vocabulary".

:func:`target_cues` gives the summed weights; :class:`TargetCues` holds them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple, Optional

import numpy as np

from claims.french.resources import data_path
from claims.french.text import cue_tokens, fold_word
from claims.stance.lexicon import StanceLexicon, default_lexicon
from claims.stance.targets import RIVAL_PLACEHOLDER, TARGET_PLACEHOLDER

EVALUATIVE_PATH = data_path("stance_evaluative.tsv")
_TARGET_WORD = fold_word(TARGET_PLACEHOLDER).split()[-1]  # "cible"
_RIVAL_WORD = fold_word(RIVAL_PLACEHOLDER).split("'")[-1]  # "adversaire"
_FLIP = {"favor": "against", "against": "favor"}
_STRETCH_ENDS = frozenset(",;:.!?")


class TargetCues(NamedTuple):
    """Cue weights aimed at the target (rival cues turned around) and which sides are named."""

    toward_favor: float
    toward_against: float
    names_target: float
    names_rival: float


@lru_cache(maxsize=1)
def evaluative_lexicon() -> Optional[StanceLexicon]:
    """Tweet evaluative words (``stance_evaluative.tsv``) not in the main lexicon, or None."""
    return StanceLexicon(EVALUATIVE_PATH) if EVALUATIVE_PATH.exists() else None


def _hits(text: str):
    lexicons = [default_lexicon(), evaluative_lexicon()]
    seen = set()
    for lexicon in lexicons:
        if lexicon is None:
            continue
        for hit in lexicon.find_cues(text):
            if hit.start not in seen:  # the main lexicon wins where both match
                seen.add(hit.start)
                yield hit


def target_cues(text: str) -> TargetCues:
    """Support and opposition toward the target in a masked ``text``.

    Args:
        text: a text whose target and rivals are masked ("la cible", "l'adversaire").
    """
    tokens = cue_tokens(text)
    # Stretch number of each token: punctuation ends a stretch, and a cue goes to a name of
    # its own stretch first ("l'adversaire est un guignol, la cible présidente").
    stretch, n = [], 0
    for t in tokens:
        n += t.norm in _STRETCH_ENDS
        stretch.append(n)
    at = {t.start: (i, stretch[i]) for i, t in enumerate(tokens)}
    targets = [at[t.start] for t in tokens if t.norm == _TARGET_WORD]
    rivals = [at[t.start] for t in tokens if t.norm == _RIVAL_WORD]
    sums = {"favor": 0.0, "against": 0.0}
    for hit in _hits(text):
        if hit.polarity not in sums or hit.start not in at:
            continue
        i, s = at[hit.start]
        d_target = min(((p[1] != s, abs(i - p[0])) for p in targets), default=(True, np.inf))
        d_rival = min(((p[1] != s, abs(i - p[0])) for p in rivals), default=(True, np.inf))
        polarity = _FLIP[hit.polarity] if d_rival < d_target else hit.polarity
        sums[polarity] += hit.weight
    # log1p: many weak cues should not outweigh one strong one.
    return TargetCues(float(np.log1p(sums["favor"])), float(np.log1p(sums["against"])),
                      1.0 if targets else 0.0, 1.0 if rivals else 0.0)
