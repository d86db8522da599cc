"""Figures a plain reading of numbers leaves out, and figures it reads as something else.

:mod:`claims.facts.figures` keeps the figures a sentence states; this module says when

* a **date** is the value of a fact rather than its *when*: the day a trial opens, an
  election round is held, a deadline falls ("le procès s'ouvrira le 5 mars", "le second tour
  aura lieu le 7 juillet"): the words just before it schedule something
  (``data/fact_values_fr.tsv``, rows ``date``);
* a **duration** is the value of a fact: a sentence, a term, a ban ("condamné à 12 ans de
  prison", "une peine de 8 à 10 ans de réclusion"): words around it say it is a penalty
  (rows ``duration``); other durations ("sur un an", "pendant dix ans") frame a figure;
* a **bare number in brackets** is a count whose kind the words around it give: "la majorité
  des morts (214) ont été recensés à Aïn-Sefra", "la grande majorité (45) des décès", and
  "à Naâma (97)" after such a figure in the same sentence (the kind is inferred from it);
* a **vague plural** is a value (RULES.md F3): "des centaines de morts" is 200 to 999 dead,
  "des dizaines de blessés" 20 to 99 injured, "des milliers" 2000 to 9999;
* a **number whose counted noun is left out** after a coordination or a comma takes the
  kind of the count before it: "912 morts en Turquie et 560 en Syrie", "95 morts, dont 92 dans
  la région de Valence" (the noun a number quantifies is the previous one's, by ellipsis);
* a figure in brackets right after a name is an **aside** about that name ("la tempête Boris
  (23 morts)"): a fact of its own, never a version of the sentence's main figure;
* a **bare number that a counted noun before it is said to reach** takes that noun's kind:
  "le nombre de décès s'élève à 4 812", "les décès ont atteint 3 100", "parmi ces
  décès, 812 sont dus à…" (the noun is the subject the number is the value of);
* a **bare amount** ("les 2,8 milliards inscrits au budget", "5,3 milliards annoncés") is money
  whose currency is left out: :class:`claims.facts.slots.SlotBuilder` gives it the currency of
  the corpus's amounts when they have one and no count is written in millions.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple, Optional

from claims.french.number_lexicon import number_lexicon

VALUES_PATH = "fact_values_fr.tsv"
_BRACKETED = re.compile(r"\((\d{1,3}(?:[  .\u202f]\d{3})*|\d+)\)")
_ASIDE = re.compile(r"[A-ZÉÈÎÔ][\w’'-]+\s*\(\s*$")
_WORD = re.compile(r"[^\W\d_]+")
KIND_WINDOW = 3  # words either side of a bracketed number searched for what it counts


class BareCount(NamedTuple):
    """A bare number in brackets and what it counts."""

    start: int  # of the digits
    end: int
    value: float
    kind: str  # a kind of the number lexicon: "dead", "injured"…
    text: str  # the digits as written


@lru_cache(maxsize=1)
def _cues() -> dict[str, tuple[tuple[str, re.Pattern], ...]]:
    from claims.french.resources import read_tsv

    out: dict[str, list] = {}
    for _, cols in read_tsv(VALUES_PATH, 3):
        out.setdefault(cols[0], []).append((cols[1], re.compile(cols[2])))
    return {k: tuple(v) for k, v in out.items()}


def _cued(slot: str, folded: str, start: int, end: int) -> bool:
    for where, pattern in _cues().get(slot, ()):
        if where == "before" and pattern.search(folded[max(0, start - 50):start]):
            return True
        if where == "after" and pattern.search(folded[end:end + 40]):
            return True
    return False


def date_is_value(folded: str, start: int, end: int) -> bool:
    """Whether the date at ``folded[start:end]`` is what the sentence states (a scheduled day)."""
    return _cued("date", folded, start, end)


def duration_is_value(folded: str, start: int, end: int) -> bool:
    """Whether the duration at ``folded[start:end]`` is what the sentence states (a penalty)."""
    return _cued("duration", folded, start, end)


def is_aside(text: str, start: int) -> bool:
    """Whether the figure starting at ``text[start]`` opens a bracket right after a name."""
    return bool(_ASIDE.search(text[max(0, start - 40):start]))


# "des centaines de morts", "des dizaines de milliers de blessés", and an estimate quoted or
# widened before its counted noun: « quelques dizaines, peut-être des centaines » de blessés.
_VAGUE = re.compile(r"\b((?:des|plusieurs|quelques|ces)\s+(dizaines|centaines|milliers)(\s+de\s+milliers)?)"
                    r"(?:\s+|([^\"«»“”.!?;:]{0,90}?)[\"»”]\s*)(?:de\s+|d')([a-z-]+)")
_VAGUE_SPANS = {"dizaines": (20.0, 99.0), "centaines": (200.0, 999.0), "milliers": (2000.0, 9999.0)}
_WIDER = re.compile(r"\b(dizaines|centaines|milliers|millier)\b")


class VagueCount(NamedTuple):
    """A vague plural quantity: "des centaines de morts"."""

    start: int
    end: int
    lo: float
    hi: float
    kind: str
    text: str  # "des centaines de morts"
    qualifier: str  # "des centaines"


def vague_counts(text: str, folded: str, taken: list[tuple[int, int]]) -> list[VagueCount]:
    """Vague plurals of a counted noun the number lexicon knows, not overlapping ``taken``."""
    kinds = number_lexicon().kinds
    out = []
    for m in _VAGUE.finditer(folded):
        kind = kinds.get(m.group(5))
        if kind and not any(a < m.end() and m.start() < b for a, b in taken):
            lo, hi = _VAGUE_SPANS[m.group(2)]
            if m.group(3):  # "des dizaines de milliers": a thousand times more
                lo, hi = lo * 1000, (hi + 1) * 1000 - 1
            elif m.group(4):  # "quelques dizaines, voire des centaines": up to the widest
                hi = max([hi] + [_VAGUE_SPANS.get(w, (1000.0, 1000.0))[1] for w in _WIDER.findall(m.group(4))])
            shown = (text[m.start():m.end()].replace('"', "").replace("»", "").replace("”", "") if not m.group(4)
                     else f"{text[m.start(1):m.end(1)]} … {text[m.start(5):m.end(5)]}")
            out.append(VagueCount(m.start(), m.end(), lo, hi, kind, shown, text[m.start(1):m.end(1)]))
    return out


_ELLIPTIC = re.compile(r"(?:,|;|\bet\b|\bdont\b)\s*(?:(?:au moins|plus de|pres de|environ)\s+)?"
                       r"(\d+(?:,\d+)?\s+millions?|\d{1,3}(?:[  .\u202f]\d{3})+|\d+)"
                       r"(?=\s+(?:en|au|aux|dans|a|pour|du cote|selon|d'apres)\s)"
                       r"(?!\s+en\s+(?:19|20)\d\d)")
# "1,3 million de manifestants selon la police et 3 millions selon les syndicats": a source
# after the number also leaves its noun out.
_MILLIONS = re.compile(r"^(\d+(?:,\d+)?)\s+millions?$")


def _elliptic_value(digits: str) -> float:
    millions = _MILLIONS.match(digits)
    if millions:
        return float(millions.group(1).replace(",", ".")) * 1e6
    return float(re.sub(r"\D", "", digits))


def elliptic_counts(text: str, folded: str, counts: list[tuple[int, int, str]],
                    taken: list[tuple[int, int]]) -> list[BareCount]:
    """Numbers whose counted noun is left out ("et 560 en Syrie") after a count of a known kind
    (``counts``: start, end and kind of the counts read), with no other number between, not
    overlapping ``taken``."""
    out = []
    for m in _ELLIPTIC.finditer(folded):
        start, end = m.span(1)
        if any(a < end and start < b for a, b in taken):
            continue
        before = [c for c in counts if c[1] <= m.start()]
        if not before:
            continue
        last = max(before, key=lambda c: c[1])
        if re.search(r"\d", folded[last[1]:start - 1]) or re.search(r"[.!?]", folded[last[1]:start]):
            continue  # another number, or another sentence, between
        value = _elliptic_value(m.group(1))
        out.append(BareCount(start, end, value, last[2], text[start:end]))
    return out


def _kind_near(folded: str, start: int, end: int) -> Optional[str]:
    """The kind a counted noun within a few words of a bracket gives ("des morts (542)")."""
    kinds = number_lexicon().kinds
    before = _WORD.findall(folded[max(0, start - 40):start])[-KIND_WINDOW:]
    after = _WORD.findall(folded[end:end + 40])[:KIND_WINDOW]
    for word in reversed(before):
        if word in kinds:
            return kinds[word]
    for word in after:
        if word in kinds:
            return kinds[word]
    return None


def bracketed_counts(text: str, folded: str, taken: list[tuple[int, int]]) -> list[BareCount]:
    """Bare numbers in brackets whose kind is said by a noun near them or, failing that, by
    the bracketed count before them in the sentence; ``taken`` are spans already read."""
    out: list[BareCount] = []
    for m in _BRACKETED.finditer(text):
        start, end = m.span(1)
        if any(a < end and start < b for a, b in taken):
            continue
        value = float(re.sub(r"\D", "", m.group(1)))
        if 1000 <= value <= 2100 and len(m.group(1)) == 4:
            continue  # a year in brackets
        kind = _kind_near(folded, m.start(), m.end()) or (out[-1].kind if out else None)
        if kind:
            out.append(BareCount(start, end, value, kind, m.group(1)))
    return out


# A counted noun, then (in its clause, no other number between) a verb or frame giving its
# level, then a bare number: the number is how many of that noun there are.
_LEVEL = re.compile(r"(?:\bs'elev\w*\s+a|\bse\s+sont\s+elev\w*\s+a|\bs'est\s+elev\w*\s+a|\batteint|"
                    r"\b(?:est|sont)\s+passe\w*\s+a|\bs'etabli\w*\s+a|\bgrimpe\w*\s+a|\bporte\w*\s+a|"
                    r"\bse\s+chiffre\w*\s+a|\b(?:est|sont|etait|etaient)\s+de)\s*$")
_ADVERB = re.compile(r"\s(?:desormais|deja|encore|maintenant|aujourd'hui|officiellement|\w+ment)(?=\s+(?:a|de)\s*$)")
# "Parmi ces décès, 5 503 …", "sur ces décès, …": a number of the noun just named.
_PARTITIVE = re.compile(r"\b(?:parmi|sur)\s+(?:ces|les)\s+([a-z-]+)\s*,?\s*$")
_BARE_NUMBER = re.compile(r"(?<![\d,.])(\d{1,3}(?:[ \u00a0.\u202f]\d{3})+|\d+)(?![\d,.]?\d)(?!\s*%)")
LEVEL_WINDOW = 80  # characters between the counted noun and the number, at most


def level_counts(text: str, folded: str, taken: list[tuple[int, int]]) -> list[BareCount]:
    """Bare numbers given as the level a counted noun reaches in their clause ("le nombre de
    décès s'élève à 4 812", "parmi ces décès, 812 sont…"), not overlapping ``taken``."""
    kinds = number_lexicon().kinds
    out = []
    for m in _BARE_NUMBER.finditer(folded):
        start, end = m.span(1)
        if any(a < end and start < b for a, b in taken):
            continue
        value = float(re.sub(r"\D", "", m.group(1)))
        if 1000 <= value <= 2100 and len(m.group(1)) == 4:
            continue  # a year
        clause = re.split(r"[.!?;:]|(?<![\w-])\d", folded[max(0, start - LEVEL_WINDOW):start])[-1]
        part = _PARTITIVE.search(clause)
        if part and part.group(1) in kinds:
            out.append(BareCount(start, end, value, kinds[part.group(1)], text[start:end]))
            continue
        level = _LEVEL.search(_ADVERB.sub("", clause))  # "s'élève désormais à"
        nouns = [w for w in _WORD.findall(_ADVERB.sub("", clause)[:level.start()]) if w in kinds] if level else []
        if nouns:
            out.append(BareCount(start, end, value, kinds[nouns[-1]], text[start:end]))
    return out


# "2,8 milliards inscrits", "5,3 milliards annoncés": millions or billions with no noun or
# currency after them ("de manifestants", "d'euros", "$" say what they are).
_BARE_AMOUNT = re.compile(r"(?<![\d,.])(\d+(?:,\d+)?\s+(?:milliards?|millions?))\b"
                          r"(?!\s*(?:de\b|d'|d’|[$€£]|euros?|dollars?|livres?|francs?|usd|eur))")
UNKNOWN_CURRENCY = "?"  # the unit of a bare amount until the corpus says its currency


def bare_amounts(text: str, folded: str, taken: list[tuple[int, int]]) -> list[BareCount]:
    """Millions or billions with nothing after them saying what they are ("les 2,8 milliards
    inscrits"), not overlapping ``taken``; ``kind`` is :data:`UNKNOWN_CURRENCY`."""
    out = []
    for m in _BARE_AMOUNT.finditer(folded):
        start, end = m.span(1)
        if any(a < end and start < b for a, b in taken):
            continue
        out.append(BareCount(start, end, _elliptic_value(m.group(1).replace("milliard", "million")) *
                             (1000 if "milliard" in m.group(1) else 1), UNKNOWN_CURRENCY, text[start:end]))
    return out


_MAGNITUDE = re.compile(r"\bmill(?:ion|iard)s?\b", re.IGNORECASE)


def resolve_currencies(items: list) -> list:
    """Items (with a ``figure``) whose amount has no currency take the one currency of the
    corpus's other amounts; they are left out when the amounts have several currencies, none,
    or when some count is written in millions too ("1,28 million de manifestants": a bare
    "3,5 millions" may then be people as well)."""
    bare = [it for it in items if it.figure.key[:2] == ("money", UNKNOWN_CURRENCY)]
    if not bare:
        return items
    currencies = {it.figure.key[1] for it in items if it.figure.key[0] == "money"} - {UNKNOWN_CURRENCY}
    counted = any(it.figure.key[0] == "count" and _MAGNITUDE.search(it.figure.text) for it in items)
    if len(currencies) != 1 or counted:
        return [it for it in items if it.figure.key[:2] != ("money", UNKNOWN_CURRENCY)]
    unit, = currencies
    return [it._replace(figure=it.figure._replace(key=("money", unit) + it.figure.key[2:], unit=unit))
            if it.figure.key[:2] == ("money", UNKNOWN_CURRENCY) else it for it in items]


__all__ = ["BareCount", "UNKNOWN_CURRENCY", "resolve_currencies", "bare_amounts", "level_counts", "VagueCount", "elliptic_counts", "vague_counts", "bracketed_counts", "date_is_value", "duration_is_value", "is_aside"]
