"""How bodies are named: an acronym in brackets after a name, a ministry's country adjective, the
organisations of the metonym table (helpers of :mod:`claims.attribution.bodies`)."""

from __future__ import annotations

import re
from functools import lru_cache

from claims.french.resources import read_tsv
from claims.french.text import fold_french

_BRACKET = re.compile(r"\(\s*([A-Z][A-Za-z&]{1,9})\s*\)")


def bracketed_names(doc) -> list[tuple[int, int, str, str]]:
    """Names of bodies given with their acronym in brackets, whatever the parse says of their head
    ("le Conseil mondial des forêts (CMF)": spaCy may tag "Conseil" as a place): (start, end,
    acronym, name). The name is the noun phrase the word before the bracket belongs to (up the
    parse through its complements), starting with a capital; the acronym has two capitals or starts
    as the name does ("(Pnat)")."""
    text, found = doc.text, []
    for m in _BRACKET.finditer(text):
        acronym = m.group(1)
        before = [t for t in doc if t.idx + len(t.text) <= m.start()]
        if not before or before[-1].is_punct:
            continue
        head = before[-1]
        while head.dep_ in ("nmod", "amod", "flat:name", "fixed") and head.head.i < head.i:
            head = head.head
        start = head.idx
        if head.pos_ not in ("NOUN", "PROPN") or not head.text[:1].isupper():
            continue
        name = text[start:before[-1].idx + len(before[-1].text)]
        capitals = sum(c.isupper() for c in acronym)
        if capitals < 2 and (len(acronym) > 5 or fold_french(acronym[0]) != fold_french(name[0])):
            continue
        det = next((c for c in head.children if c.dep_ == "det" and c.i == head.i - 1), None)
        found.append((det.idx if det is not None else start, m.end(), acronym, name))
    return found


@lru_cache(maxsize=1)
def organisations() -> frozenset[str]:
    """Canonical names the metonym table gives as organisations (not countries)."""
    from claims.french.entities import METONYMS_PATH

    return frozenset(cols[1].strip() for _, cols in read_tsv(METONYMS_PATH)
                     if len(cols) >= 3 and cols[2].strip() == "organisation")


def demonym_first(name: str) -> str:
    """A ministry's country adjective right after its head, as A1 of the real-news rules writes it
    ("ministère des affaires étrangères norvégien" -> "ministère norvégien des affaires étrangères")."""
    from claims.attribution.bodies import vocabulary

    words = name.split()
    if len(words) > 2 and words[0].lower() in vocabulary().ministry and fold_french(words[-1]) in vocabulary().countries:
        return " ".join([words[0], words[-1], *words[1:-1]])
    return name


__all__ = ["bracketed_names", "demonym_first", "organisations"]
