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


@lru_cache(maxsize=1)
def number_lexicon() -> _Lexicon:
    """The compiled lexicon (cached: the file is read once per process)."""
    units, months, scales, modifiers = {}, {}, {}, {}
    words, adjectives, yearcues = [], set(), set()
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
    )
