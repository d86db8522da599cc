"""A town speaking as such: "la ville de X", "la mairie", "la municipalité", "la collectivité".

Local news quotes the town hall under many nouns (the ``city`` rows of ``bodies.tsv``); they are
one source, apart from the mayor (a person), named "Ville de X" after the form town halls' own
communiqués use. A noun with the town's name ("la mairie de X", "la commune d'X") names it; alone
and definite ("la municipalité a précisé") it points back to the town the article named, else to
the one the corpus names (:mod:`claims.attribution.canon` reads the table this fills).
"""

from __future__ import annotations

import re
from typing import Optional

# "de Lormel", "d'Alès", "de Saint-Pierre", "de Villeneuve-lès-Avignon": a capitalised place name
_TOWN = re.compile(r"\s+(de|d['’])\s*([A-ZÀ-Ý][\w’'\-]+(?:\s+(?:sur|sous|en|lès|les|la|le)?\s*[A-ZÀ-Ý][\w’'\-]+)*)")


def city_body(text: str, head: str, head_end: int, definite: bool, bodies,
              city_nouns) -> Optional[tuple[int, str]]:
    """(end of the mention, speaker) for a town-hall noun at ``head_end`` in ``text``, else None.

    Args:
        text: the sentence.
        head: the noun, lower case ("mairie").
        head_end: where the noun ends in ``text``.
        definite: whether a definite article comes before it.
        bodies: the article's :class:`claims.attribution.bodies.Bodies` (updated: the town named).
        city_nouns: every town-hall noun; each then points to the town named.
    """
    named = _TOWN.match(text, head_end)
    if named:
        prep = "de " if named.group(1) == "de" else "d'"
        speaker = f"Ville {prep}{named.group(2)}"
        bodies.by_kind["city"] = speaker
        for noun in city_nouns:
            bodies.by_head[noun] = speaker
        return named.end(), speaker
    if not definite:
        return None  # "une commune", "des villes": no source
    if "city" in bodies.by_kind:
        return head_end, bodies.by_kind["city"]
    bodies.unresolved[head] = None  # the corpus may name the town (claims.attribution.canon)
    return head_end, head


__all__ = ["city_body"]
