"""A body's documents standing for the body (rule A3 of the real-news gold).

"selon le bilan du ministère", "les projections de l'institution prévoient", "le jugement … démontre" (the court that gave it): the document nouns (and the people who
speak for a body, "selon les spécialistes de l'Unesco") are the ``document`` kind of ``bodies.tsv``.
"""

from __future__ import annotations

import re
from typing import Optional

from claims.attribution.bodies import _COURTS, Bodies, vocabulary

_PARTICIPLE = re.compile(r"\w+(?:é|ée|és|ées|u|ue|us|ues|is|ise|it|ite)$")
_BY = {"de", "du", "des", "d", "par"}


def document_source(text: str, mentions, offset: int):
    """The source whose document follows a marker at ``offset`` (rule A3 of the real-news gold).

    "selon le bilan du ministère", "d'après les calculs de l'Insee", "selon une première
    estimation diffusée jeudi par l'Insee", "selon le bilan officiel, communiqué par la préfecture":
    a document noun in the first words, then the source after "de"/"par", at most one comma (before a
    participle). Returns the mention or None.
    """
    documents = vocabulary().document
    for m in mentions:
        if m.start < offset or m.kind == "pronoun":
            continue
        between = text[offset:m.start]
        words = re.findall(r"[\w\-]+", between.lower())
        if len(words) > 14 or re.search(r"[;:«»“”\"]", between) or not words:
            return None
        if not any(w in documents for w in words[:5]):
            return None
        commas = between.split(",")
        if len(commas) > 2 or (len(commas) == 2 and not _PARTICIPLE.match(commas[1].strip().split(" ")[0] or "")):
            return None
        tail = [w for w in words if w not in ("le", "la", "les", "l")]
        if tail and tail[-1] in _BY:
            return m
    return None


_RULINGS = {"jugement", "décision", "verdict", "arrêt", "délibéré"}


def court_of_ruling(subject, bodies: Optional[Bodies]) -> Optional[str]:
    """The court an article named, for a ruling as a verb's subject ("le jugement … démontre"),
    or None (rule A3 of the real-news gold: a body's document stands for the body)."""
    if bodies is None or subject.lemma_.lower() not in _RULINGS or any(c.dep_ == "nmod" for c in subject.children):
        return None
    return next((bodies.by_head[h] for h in _COURTS if h in bodies.by_head), None)


def is_document(word: str) -> bool:
    return word.lower() in vocabulary().document


__all__ = ["court_of_ruling", "document_source", "is_document"]


# a body's own document named with no owner: "selon le communiqué officiel", "d'après le rapport"
_OWNERLESS = re.compile(r"\s*(?:le|la|les|l['’]|ce|cette|ces)\s*(?:communiqués?|rapports?|texte|note|déclaration)"
                        r"(?:\s+(?:officiel|officielle|officiels|publiée?|diffusée?|final|finale|complet))?\s*[,.;]",
                        re.IGNORECASE)


def ownerless_document(text: str, offset: int) -> bool:
    """Tell whether a marker at ``offset`` is followed by a document with no owner ("selon le
    communiqué officiel,"): it is the document of the source just quoted (rule A3 with A4's
    "la même source")."""
    return bool(_OWNERLESS.match(text, offset))

