"""Epithets: descriptive nouns standing for the person a passage is about.

News prose varies how it names its speaker: "Paule Roux … », souffle l'intéressée", "ajoute le
technicien normand", "poursuit l'ancien dirigeant alsacien". Such a noun (``epithet`` rows of
``reporting_cues.tsv``) alone, with adjectives only, or any title as a former office ("l'ancien
patron de la ligue", "l'ancien président") names no office a reader could look up: when the
article and the corpus tie it to nobody, it is the person the passage made salient. A current
office with its complement ("le patron de la ligue") stays a role, which the corpus may tie to
someone else.
"""

from __future__ import annotations

import re
from typing import Optional

from claims.attribution.pronouns import role_gender
from claims.french.cues import CueLexicon

_DETERMINER = re.compile(r"^(?:le|la|l['’]|son|sa)\s*", re.IGNORECASE)
_FORMER = re.compile(r"^(?:ancien|ancienne|ex-)\s*", re.IGNORECASE)
_CURRENT = re.compile(r"^(?:actuel|actuelle|nouveau|nouvelle|jeune|emblématique|charismatique)\s+",
                      re.IGNORECASE)
_COMPLEMENT = re.compile(r"\b(?:de|du|des|d['’])\b", re.IGNORECASE)


def is_epithet(role: str, lexicon: CueLexicon) -> bool:
    """Tell whether a role as written is an epithet (see the module docstring).

    Args:
        role: the role's words as the sentence writes them ("le technicien normand").
        lexicon: the reporting cues, whose ``epithet`` class lists the nouns.
    """
    text = _DETERMINER.sub("", role.strip())
    former = bool(_FORMER.match(text))
    text = _CURRENT.sub("", _FORMER.sub("", text))
    kinds = lexicon.classes.get("epithet", {})
    for noun in lexicon.words("epithet"):  # longest first
        if re.match(re.escape(noun) + r"(?![\w\-])", text, re.IGNORECASE):
            descriptive = noun in kinds.get("descriptive", ())
            return descriptive or former or not _COMPLEMENT.search(text[len(noun):])
    return former and any(re.match(re.escape(t) + r"(?![\w\-])", text, re.IGNORECASE)
                          for t in lexicon.words("title"))  # "l'ancien président": a former office


def salient_person(recent: list[str], compatible, gender: Optional[str]) -> Optional[str]:
    """The most recent salient person an epithet of ``gender`` ("F", "M" or None) can stand for.

    Args:
        recent: the article's salient people, most recent last (``Referents.recent``).
        compatible: ``compatible(person, pronoun)`` of :class:`claims.attribution.pronouns.Referents`.
        gender: the epithet's gender, from its determiner or form.
    """
    pronoun = {"F": "elle", "M": "il"}.get(gender or "")
    for person in reversed(recent):
        if pronoun is None or compatible(person, pronoun):
            return person
    return None


def epithet_speaker(role: str, speaker: Optional[str], context, referents, before: str = "") -> Optional[str]:
    """The person an epithet role mention stands for, else None (a role to keep as it is).

    Args:
        role: the mention's words ("l'intéressé").
        before: the sentence's words before the mention ("L'ancien" before "capitaine de l'équipe").
        speaker: the mention's speaker: the role as written when the article ties it to nobody.
        context: the article's :class:`claims.attribution.speakers.ArticleContext`.
        referents: the attributor's :class:`claims.attribution.pronouns.Referents`.
    """
    former = re.search(r"(?:^|\s|['’])(ancien|ancienne|ex-)\s*$", before, re.IGNORECASE)
    if former:
        role = f"{former.group(1)} {role}"
    if speaker is None or speaker not in context.open_roles or not is_epithet(role, context.lexicon):
        return None
    people = [p for p in referents.recent if p not in context.open_roles]
    return salient_person(people, referents.compatible, role_gender(role, context.lexicon))


__all__ = ["epithet_speaker", "is_epithet", "salient_person"]
