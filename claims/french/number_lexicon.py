"""The French number lexicon of :mod:`claims.french.numbers`, read once from ``data/numbers_fr.tsv``.

Units, months, scale words ("milliard"), spelled number words, approximation modifiers
("près de"), adjectives allowed between a number and its noun, and year cues, compiled
into the regular expressions the reader uses. Everything is matched on accent-folded,
lower-cased text (:func:`claims.french.text.fold_french`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from claims.french.resources import read_tsv
from claims.french.text import alternation, fold_french

LEXICON_FILE = "numbers_fr.tsv"


class _Unit(NamedTuple):
    """How a unit word converts: ``value * factor`` in ``base`` units of ``slot``."""

    slot: str
    unit: str
    base: str
    factor: float


class _Lexicon(NamedTuple):
    """The compiled French number lexicon (see the module docstring)."""

    units: dict[str, _Unit]
    unit_re: re.Pattern
    months: dict[str, int]
    month_re: re.Pattern
    scales: dict[str, tuple[float, bool]]
    scale_re: re.Pattern
    words_re: re.Pattern
    modifiers: dict[str, str]
    modifier_re: re.Pattern
    adjectives: frozenset[str]
    yearcues: frozenset[str]
    kinds: dict[str, str]  # counted noun -> what it counts ("tués" -> dead)
    kind_re: re.Pattern  # a kind's noun at a position
    people: frozenset[str]  # nouns of people whose kind follows them ("personnes")
    kind_after: dict[str, str]
    kind_after_re: re.Pattern  # "(ont été) tuées" after a people noun
    kind_before: dict[str, str]
    kind_before_re: re.Pattern  # "la mort de" just before the figure
    reference_re: re.Pattern  # "après", "contre une première estimation de" just before the figure


@lru_cache(maxsize=1)
def number_lexicon() -> _Lexicon:
    """The compiled lexicon (cached: the file is read once per process)."""
    units, months, scales, modifiers = {}, {}, {}, {}
    words, adjectives, yearcues = [], set(), set()
    kinds, people, kind_after, kind_before, references = {}, set(), {}, {}, []
    for _, (kind, form, *rest) in read_tsv(LEXICON_FILE):
        form = fold_french(form)
        if kind == "unit":
            slot, unit, base, factor = rest
            units[form] = _Unit(slot, unit, base, float(factor))
        elif kind == "month":
            months[form] = int(rest[0])
        elif kind == "scale":
            scales[form] = (float(rest[0]), rest[1] == "1")
        elif kind == "word":
            words.append(form)
        elif kind == "modifier":
            modifiers[form] = rest[0]
        elif kind == "adjective":
            adjectives.add(form)
        elif kind == "yearcue":
            yearcues.add(form)
        elif kind == "kind":
            kinds[form] = rest[0]
        elif kind == "people":
            people.add(form)
        elif kind == "kindafter":
            kind_after[form] = rest[0]
        elif kind == "kindbefore":
            kind_before[form] = rest[0]
        elif kind == "reference":
            references.append(form)
    end = r"(?![^\W_])"
    word = f"(?:{alternation(words)})"
    tens_et = r"(?:vingt|trente|quarante|cinquante|soixante)[\s-]+et[\s-]+(?:un|une|onze)"
    token = f"(?:{tens_et}|{word})"
    return _Lexicon(
        units=units,
        unit_re=re.compile(rf"\s*({alternation(units)}){end}"),
        months=months,
        month_re=re.compile(rf"\s*({alternation(months)}){end}"),
        scales=scales,
        scale_re=re.compile(rf"\s*({alternation(scales)}){end}"),
        words_re=re.compile(rf"(?<![\w-]){token}(?:[\s-]+{token})*{end}"),
        modifiers=modifiers,
        modifier_re=re.compile(rf"(?:^|[\s(\"'])({alternation(modifiers)})\s*$"),
        adjectives=frozenset(adjectives),
        yearcues=frozenset(yearcues),
        kinds=kinds,
        kind_re=re.compile(rf"({alternation(kinds)}){end}"),
        people=frozenset(people),
        kind_after=kind_after,
        kind_after_re=re.compile(rf"^[\s,]*(?:[\w'-]+\s+){{0,3}}?({alternation(kind_after)}){end}"),
        kind_before=kind_before,
        kind_before_re=re.compile(rf"(?:^|[\s(])({alternation(kind_before)})\s*(?:(?:{alternation(modifiers)})\s*)?$"),
        reference_re=re.compile(rf"(?:^|[\s(])(?:{alternation(references)})\s*(?:[+-]\s*)?"
                                rf"(?:(?:{alternation(modifiers)})\s*)?$"),
    )
