"""Who "il" and "elle" are: the people an article made salient, with their gender when it shows.

Gender is read from the article itself, never guessed from a first name: an honorific ("M.",
"Mme"), or the title an article ties to the person ("la ministre de la Culture, X", "le président
X"; "la" or a feminine form such as "présidente", "directrice"). A pronoun goes to the most recent
person whose gender is compatible (unknown is compatible with both).
"""

from __future__ import annotations

import re
from typing import Optional

_FEMININE_DET = re.compile(r"^(?:la|une|sa|cette)\s", re.IGNORECASE)
_MASCULINE_DET = re.compile(r"^(?:le|un|son|ce|cet)\s", re.IGNORECASE)


def feminine_titles(lexicon) -> set[str]:
    """Feminine forms of the titles ("présidente", "cheffe", "directrice"): forms of a class that
    differ from its first (masculine) form and end as French feminines do."""
    out = set()
    for forms in lexicon.classes.get("title", {}).values():
        masculine = forms[0].lower() if forms else ""
        for f in forms:
            low = f.lower()
            if low != masculine and low.endswith(("e", "esse", "rice", "ière")) and not masculine.endswith("e"):
                out.add(low)
    return out


def role_gender(role: str, lexicon) -> Optional[str]:
    """"F", "M" or None for a role as written ("la ministre", "le président", "l'ambassadrice")."""
    role = role.strip()
    if _FEMININE_DET.match(role):
        return "F"
    words = re.sub(r"^(?:l['’]|le|la|les|un|une|son|sa)\s*", "", role, flags=re.IGNORECASE).lower()
    if any(words.startswith(f) for f in feminine_titles(lexicon)):
        return "F"
    if _MASCULINE_DET.match(role):
        return "M"
    return None


def pronoun_gender(pronoun: str) -> str:
    low = pronoun.lower()
    return "F" if low.startswith(("elle", "celle", "cette")) or low.endswith("ère") else "M"


class Referents:
    """The people an article made salient, the most recent last."""

    def __init__(self, genders: dict[str, str]):
        self.genders = genders
        self.recent: list[str] = []  # salient: subjects and speakers
        self.named: list[str] = []  # every person named, in text order
        self.bodies: list[tuple[str, str]] = []  # bodies that were subjects, with their gender
        self.clock = 0  # order of mention: a body made salient after a person wins "il"/"elle"
        self.when: dict[str, int] = {}

    def add(self, person: Optional[str]) -> None:
        if person:
            if person in self.recent:
                self.recent.remove(person)
            self.recent.append(person)
            self.clock += 1
            self.when[person] = self.clock

    @property
    def last(self) -> Optional[str]:
        return self.recent[-1] if self.recent else None

    def compatible(self, person: str, pronoun: str) -> bool:
        gender = self.genders.get(person)
        return gender is None or gender == pronoun_gender(pronoun)

    def last_named(self, pronoun: str) -> Optional[str]:
        """The last person named whom "ce dernier" / "cette dernière" can stand for."""
        return next((p for p in reversed(self.named) if self.compatible(p, pronoun)), None)

    def add_body(self, body: Optional[str], text: str, morph_gender: Optional[str] = None,
                 speaker: bool = False) -> None:
        """A body that was a sentence's subject (``text``: the sentence up to its end), its gender from
        its article ("la BCE", "le ministère") or the parser's morphology ("l'institution")."""
        det = re.search(r"(?:^|\s)(la|le|les)\s+\S+(?:\s+\S+){0,6}$", text, re.IGNORECASE)
        gender = {"la": "F", "le": "M"}.get(det.group(1).lower()) if det else None
        gender = gender or {"Fem": "F", "Masc": "M"}.get(morph_gender or "")
        if body and gender:
            self.bodies.append((body, gender))
            if speaker:  # a body that just spoke outranks the people named before it
                self.clock += 1
                self.when[body] = self.clock

    def resolve(self, pronoun: str) -> Optional[str]:
        """The most recent person a pronoun ("il", "elle") can stand for, else the last body of
        its gender ("La BCE a relevé ses taux. Elle indique que …")."""
        person = next((p for p in reversed(self.recent) if self.compatible(p, pronoun)), None)
        if self.bodies and self.bodies[-1][1] == pronoun_gender(pronoun):
            body = self.bodies[-1][0]
            if person is None or self.when.get(body, 0) > self.when.get(person, 0):
                return body
        return person


def body_gender(doc, mention) -> Optional[str]:
    """The grammatical gender ("Fem"/"Masc") of a body mention, from its article or first noun."""
    tokens = [t for t in doc if mention.start <= t.idx < mention.end]
    for t in tokens[:2]:
        if t.pos_ in ("DET", "NOUN", "PROPN") and len(t.morph.get("Gender")) == 1:
            return t.morph.get("Gender")[0]
    return None


__all__ = ["Referents", "body_gender", "feminine_titles", "pronoun_gender", "role_gender"]
