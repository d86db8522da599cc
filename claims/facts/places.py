"""Where a figure was counted: the places a French sentence names around it.

Read by :func:`claims.facts.figures.stated_figures`: a place is a capitalised name after a
preposition of place ("en Turquie", "à Marrakech", "dans la région de Valence") or a country of
the gazetteer (``entities_fr.tsv``); a capital is the city, not its country ("81 000 à Paris" is
not France's count); a place named as a region, province or town is a sub-population's
(RULES.md F5); and a place that only says what a body or an office is of ("le ministre de
l'Intérieur du Sud", "l'agence sanitaire de l'Union africaine") is not where anything was counted.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Optional

from claims.french.entities import entity_mentions
from claims.french.text import fold_french

if TYPE_CHECKING:
    from claims.facts.figures import StatedFigure

# A place: a capitalised name after a preposition of place ("en Turquie", "dans la région
# de Valence", "au Maroc", "à Marrakech").
_PLACE = re.compile(r"(?:\b(?i:en|au|aux|dans|à|a|de|du|d'|d’)\s+(?:la\s+|le\s+|les\s+|l'|l’)?"
                    r"(?:(?i:région|province|ville|localité|district|préfecture|commune|communauté)\s+(?:de\s+|d'|d’|du\s+)?)?)"
                    r"([A-ZÉÈÎ][\w’'-]+(?:[- ][A-ZÉÈ][\w-]+)?)")
# A place named as part of a country: its figure is a sub-population's (RULES.md F5).
_LOCAL = re.compile(r"\b(?i:la|le|l'|l’)\s*(?i:r[ée]gion|province|ville|localit[ée]|district|pr[ée]fecture|commune|"
                    r"communaut[ée])\s+(?:de\s+|d'|d’|du\s+)?[A-ZÉÈÎ]")
NOT_PLACES = _NOT_PLACES = frozenset({"selon", "richter", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
                         "le", "la", "les", "etat", "etats", "afp", "reuters",
                         # what a ministry or body is "of" ("ministre de la Santé", "de l'Intérieur")
                         "sante", "interieur", "culture", "justice", "defense", "economie", "education",
                         "agriculture", "environnement", "travail", "armees", "finances", "outre mer"})
_ACRONYM = re.compile(r"[A-ZÉÈ]{2,6}")  # "de l'ONU", "de l'OMS": a body, not a place
# A place that names what a body or an office is of ("le porte-parole du ministère de la Santé
# du Nord", "le gouvernement de l'Ouest") or what a superlative compares with ("la région la
# plus peuplée du Chili"): not where the figure was counted.
_OF_BODY = re.compile(r"\b(?:ministre|ministere|administration|gouvernement|autorites|president|presidente|agence|"
                      r"maire|prefet|prefecture|porte-parole|ambassade|ambassadeur|(?:le|la|les) (?:plus|moins) \w+)"
                      r"\s+(?:(?:de\s+la\s+|de\s+l'|du\s+|des\s+|de\s+|d')[\w-]+\s+){0,3}$")


@lru_cache(maxsize=1)
def country_places() -> frozenset:
    """The place names :func:`claims.facts.figures.stated_figures` gives countries (their gazetteer ids, lowercased)."""
    from claims.french.resources import read_tsv

    return frozenset(cols[0].lower() for _, cols in read_tsv("entities_fr.tsv") if len(cols) > 1
                     and cols[1] == "country")


@lru_cache(maxsize=1)
def capitals() -> frozenset:
    """Folded names of capitals (``metonyms.tsv``, kind ``capital``): the state when it speaks
    ("Paris a répondu"), but the city where a figure is counted ("81 000 à Paris" is not France's)."""
    from claims.french.resources import read_tsv

    return frozenset(fold_french(cols[0]) for _, cols in read_tsv("metonyms.tsv") if len(cols) > 2
                     and cols[2] == "capital")


def place_name(entity, surface: str) -> str:
    """A gazetteer entity as a place: its id, or the city for a capital."""
    folded = fold_french(surface).strip("'’")
    return folded.replace("-", " ") if folded in capitals() else entity.id.lower()


def places(text: str, lo: int, hi: int) -> frozenset:
    """Folded names of the places ``text[lo:hi]`` names (module docstring)."""
    found = set()
    spans = [(lo + e.start, lo + e.end) for e in entity_mentions(text[lo:hi]) if e.type in ("country", "region")]
    for m in _PLACE.finditer(text, lo, hi):
        if any(a <= m.start(1) and m.end(1) <= b and (a, b) != m.span(1) for a, b in spans):
            continue  # "Congo" inside "la République démocratique du Congo": the whole name is read below
        known = [e for e in entity_mentions(m.group(1)) if e.type in ("country", "region")]
        if not known and _ACRONYM.fullmatch(m.group(1)):
            continue
        if of_body(text, m.start()):
            continue
        name = (place_name(known[0], known[0].text) if known
                else fold_french(m.group(1)).strip("'’").replace("-", " "))
        if name not in _NOT_PLACES and not name.startswith("etats"):
            found.add(name)
    for e in entity_mentions(text[lo:hi]):  # "Washington", "les Etats-Unis" without a preposition
        if e.type in ("country", "region") and not e.adjective and not of_body(text, lo + e.start):
            found.add(place_name(e, e.text))
    return frozenset(found)


def local_places(text: str, lo: int, hi: int, found: frozenset) -> frozenset:
    """The places of a segment named as a region, province, town… ("dans la ville de Derna"):
    the name right after each such word, among the figure's places ``found``."""
    if not found:
        return frozenset()
    out: set = set()
    for m in _LOCAL.finditer(text, lo, hi):
        out |= places(text, m.start(), min(hi, m.end() + 40)) & found
    return frozenset(out)


def of_body(text: str, start: int) -> bool:
    """Whether the place at ``start`` (its preposition, or its name) is what a body or office is
    of, or what a superlative compares with (``_OF_BODY``)."""
    before = fold_french(text[max(0, start - 80):start]).rstrip()
    before = re.sub(r"\s*(?:de\s+la|de\s+l'|du|des|de|d'|la|le|les|l')$", "", before)
    return bool(_OF_BODY.search(before + " "))


def contrasted_places(items) -> dict[tuple, frozenset]:
    """Per kind of figure, the places one sentence gives two figures of that kind for ("912
    morts en Turquie, 560 en Syrie"): a figure of that kind naming no place may be either, or both."""
    by_row: dict[int, list[StatedFigure]] = {}
    for item in items:
        by_row.setdefault(item.row, []).append(item.figure)
    out: dict[tuple, set] = {}
    for figures in by_row.values():
        for n, a in enumerate(figures):
            for b in figures[n + 1:]:
                if a.key == b.key and a.places and b.places and a.places != b.places:
                    out.setdefault(a.key, set()).update(a.places ^ b.places)
    return {k: frozenset(v) for k, v in out.items()}


def event_countries(items) -> dict[tuple, str]:
    """Per kind of figure, the one country at least two of its sentences name (none when two
    countries are): where the event is, even when towns are named more often."""
    rows: dict[tuple, dict[str, set]] = {}
    for item in items:
        for p in item.figure.places & country_places():
            rows.setdefault(item.figure.key, {}).setdefault(p, set()).add(item.row)
    out = {}
    for key, by_place in rows.items():
        named = [p for p, r in by_place.items() if len(r) >= 2]
        if len(named) == 1 and len(by_place) == 1:
            out[key] = named[0]
    return out


def main_places(items) -> dict[tuple, str]:
    """Per kind of figure, the place most of its placed sentences name (more than half):
    where the event is, so that even a town ("la ville de Derna") is not a sub-population
    there, and a figure naming no place is about it (RULES.md F6)."""
    rows: dict[tuple, dict[int, frozenset]] = {}
    for item in items:
        if item.figure.places:
            rows.setdefault(item.figure.key, {})[item.row] = item.figure.places
    out = {}
    for key, by_row in rows.items():
        counts: dict[str, int] = {}
        for places in by_row.values():
            for p in places:
                counts[p] = counts.get(p, 0) + 1
        place, n = max(sorted(counts.items()), key=lambda kv: kv[1])
        if n >= 2 and 2 * n > len(by_row):
            out[key] = place
    return out


__all__ = ["NOT_PLACES", "capitals", "contrasted_places", "country_places", "event_countries", "local_places",
           "main_places", "of_body", "places"]


def _nested(a, b, contrasted: frozenset, local: frozenset) -> bool:
    """Whether one figure's places hold the other's and add only places that set nothing
    apart: "à Derna" and "en Libye … dans la ville de Derna" (the town and its country),
    but not "en Turquie" and "en Turquie et en Syrie" (a place some sentence contrasts)
    nor "en Algérie" and "en Algérie, dans la province d'Aïn Sefra" (a sub-population, F5)."""
    small, large = (a.places, b.places) if len(a.places) <= len(b.places) else (b.places, a.places)
    return small < large and not (large - small) & (contrasted | local)


def _elsewhere(placed, unplaced, country: Optional[str]) -> bool:
    """Whether a figure names only places below the country where the event is while the other
    names none: the unplaced one is the country's (RULES.md F6), so "81 000 à Paris" is not a
    version of "1,28 million" when most counts name France."""
    if placed.key[0] != "count" or unplaced.places or not placed.places or country is None:
        return False  # (a rate's other place is as often above the country: "l'Union européenne")
    return country not in placed.places and not placed.places & country_places()


def places_apart(a, b, contrasted: frozenset, local_places: frozenset, main_place: Optional[str],
                 country: Optional[str]) -> bool:
    """Whether the places of two figures of one kind make them answer two questions (used by
    :class:`claims.facts.slots.SlotBuilder`, whose attributes the arguments are, for their kind):
    other places not nested; a sub-population's place (``local_places``, the event's ``main_place``
    aside) against no place (F5); a city below the event's ``country`` against no place (F6); a
    place some sentence gives two figures of the kind for (``contrasted``) against no place (F2)."""
    if a.places and b.places and a.places != b.places and not _nested(a, b, contrasted, local_places - {main_place}):
        return True
    for x, y in ((a, b), (b, a)):
        local = (x.local | (x.places & local_places)) - {main_place}
        if not y.places and (local or x.places & contrasted):
            return True
        if _elsewhere(x, y, country):
            return True
    return False
