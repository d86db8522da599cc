"""The words of a source's name: content words, the acronym its initials spell, head nouns.

What :mod:`claims.attribution.canon` compares when it decides that two names are one source
("Agence nationale de sécurité du médicament" and "ANSM"; "le ministère" and a named ministry).
"""

from __future__ import annotations

import re
from typing import Optional

from claims.french.text import fold_french

ACRONYM = re.compile(r"[A-Z]{2,6}")
MEMBER = re.compile(r"^([\w\-]+)\s+(?:de\s+la|de\s+l['’]|des|du|de|d['’])\s*(.+)$", re.IGNORECASE)
NEWS_AGENCIES = {"AFP", "AP", "Reuters", "EFE", "ANSA", "DPA", "ATS", "Belga", "APS", "MAP", "AA"}


def _heads() -> set[str]:
    from claims.attribution.bodies import vocabulary

    return {fold_french(h) for h in vocabulary().heads if " " not in h}


class _Heads:
    """Institution head nouns, folded, read once on first use."""

    def __contains__(self, word: str) -> bool:
        if not hasattr(self, "words"):
            self.words = _heads()
        return word in self.words


INSTITUTION_HEADS = _Heads()
_FUNCTION_WORDS = {"de", "du", "des", "la", "le", "les", "et", "pour", "à", "a", "au", "aux", "en", "sur"}


def content_words(name: str) -> list[str]:
    """The folded words of a name without function words and elided articles ("l'", "d'")."""
    words = [re.sub(r"^[ld]['’]", "", w) for w in fold_french(name).split()]
    return [w for w in words if w and w not in _FUNCTION_WORDS]


def initials(name: str) -> Optional[str]:
    """The acronym a body's name spells ("Agence nationale de sécurité du médicament" -> "ANSM");
    None for one word or a name that does not start with a capital."""
    if not name[:1].isupper() or len(name.split()) < 3:
        return None
    words = content_words(name)
    return "".join(w[0] for w in words).upper() if len(words) >= 2 else None


def skips_to(acronym: str, name: str) -> bool:
    """Whether an acronym of three letters or more spells the first letter of a name and then some of
    its other words' initials, in order, hyphenated parts counted apart ("FICR" in "Fédération
    internationale des sociétés de la Croix-Rouge et du Croissant-Rouge")."""
    initials = [w[0] for w in re.split(r"[\s\-]+", " ".join(content_words(name))) if w]
    letters = acronym.lower()
    if len(letters) < 3 or not initials or letters[0] != initials[0] or len(initials) < len(letters):
        return False
    rest = iter(initials[1:])
    return all(c in rest for c in letters[1:])


__all__ = ["ACRONYM", "INSTITUTION_HEADS", "MEMBER", "NEWS_AGENCIES", "content_words", "initials", "skips_to"]
