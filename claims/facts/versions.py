"""Facts and their versions: the values (or stances, or speakers) the articles give for one slot.

A :class:`Fact` holds its :class:`Version` s, each with its :class:`FactMention` s (article,
outlet, date, time of day when the sentence gives one, speaker, stance, text), which version
came first, and how versions differ:

* ``update``: different values at different times (later articles, other times of day, one
  outlet giving both, or a sentence presenting its figure as a new or provisional toll:
  "selon un nouveau bilan");
* ``disagreement``: different values at the same time, from different sources;
* ``qualifier``: the same value, written with and without a qualifier ("au moins 912" and
  "912");
* ``stance``: one claim held by some and opposed by others;
* ``speaker``: the same words attributed to different speakers.

A fact is *contested* when its versions give values that cannot be the same (or opposite
stances, or different speakers); ``contested`` counts those distinct values.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional

from claims.french.text import fold_french

KINDS = ("disagreement", "update", "qualifier", "stance", "speaker")
# A figure presented as one of a series: the next is an update, not a disagreement.
_UPDATE_MARKERS = re.compile(
    r"\b(?:nouveau bilan|dernier bilan|bilan provisoire|bilan actualise|bilan revu|s'est alourdi|"
    r"s'alourdit|a grimpe|grimpe a|est passe a|passe desormais|revu a la hausse|revu a la baisse|"
    r"revise|estimation definitive|premiere estimation|estimation provisoire|resultats definitifs|"
    r"provisoire|desormais)\b")


def presents_update(text: str) -> bool:
    """Whether a sentence presents its figure as a new, provisional or revised value."""
    return bool(_UPDATE_MARKERS.search(fold_french(text)))


class FactMention(NamedTuple):
    """One sentence giving a version of a fact."""

    row: int  # its row in the analysis (line of the JSON Lines output)
    article: str
    source: Optional[str]  # outlet or agency
    date: Optional[str]  # article date as given
    time: Optional[str]  # a time of day the sentence gives ("14h30"), else None
    speaker: Optional[str]
    stance: Optional[str]
    figure: Optional[str]  # the figure as written ("912 morts"), None for stance/speaker facts
    text: str


class Version(NamedTuple):
    """One answer to a fact's question and the sentences that give it."""

    value: Optional[float]  # as written, in ``unit``; None for stance/speaker versions
    unit: Optional[str]
    qualifier: Optional[str]  # "au moins", "plus de"…; the stance or speaker for those facts
    label: str  # display form: "au moins 912 morts", "favor", "Vladimir Poutine"
    mentions: tuple[FactMention, ...]
    first_date: Optional[str]


class Difference(NamedTuple):
    """How two versions of a fact differ."""

    a: int  # index of a version
    b: int
    kind: str  # one of KINDS


class Fact(NamedTuple):
    """A question several sentences answer, with the versions they give.

    ``what`` describes the slot (kind of figure and places, or the claim group), ``group``
    is the claim group of a stance or speaker fact. Versions are in order of first mention
    (earliest article date, a month alone counting from its first day, then corpus order),
    so ``first``, the index of the version mentioned first, is 0. ``kind`` is the main kind
    of difference (the first of ``KINDS`` among ``differences``), None with one version.
    """

    id: str
    what: str
    kind: Optional[str]
    contested: int
    versions: tuple[Version, ...]
    first: int
    differences: tuple[Difference, ...]
    group: Optional[str] = None

    @property
    def rows(self) -> list[int]:
        """Rows of all mentions, in order, each once."""
        return list(dict.fromkeys(m.row for v in self.versions for m in v.mentions))

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(m.article for v in self.versions for m in v.mentions))


def main_kind(differences) -> Optional[str]:
    kinds = {d.kind for d in differences}
    return next((k for k in KINDS if k in kinds), None)


def fact_as_dict(fact: Fact) -> dict:
    """A JSON-ready form of a :class:`Fact` (named fields everywhere)."""
    return {
        "id": fact.id, "what": fact.what, "kind": fact.kind, "contested": fact.contested,
        "group": fact.group, "first": fact.first,
        "versions": [{"value": v.value, "unit": v.unit, "qualifier": v.qualifier, "label": v.label,
                      "first_date": v.first_date, "mentions": [m._asdict() for m in v.mentions]}
                     for v in fact.versions],
        "differences": [d._asdict() for d in fact.differences],
    }


__all__ = ["Difference", "Fact", "FactMention", "KINDS", "Version", "fact_as_dict", "main_kind",
           "presents_update"]
