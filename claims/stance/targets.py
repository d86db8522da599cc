"""Target masking: the stance target and its rivals replaced by fixed placeholders.

A classifier trained on tweets about one candidate learns "pro-Macron language"; masking
every name of the target by ``la cible`` and the names of the other candidates by
``l'adversaire`` lets it learn stance toward *the target* instead, which carries over to
another target ("Le Pen est raciste" about Macron becomes "l'adversaire est raciste").
The aliases are data (``claims/data/stance_targets.tsv``, read by :mod:`claims.french.entities`); a target missing from that file
is masked by its own name only.

:class:`TargetMasker` does the replacement; :func:`mask_target` is the one-call form.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

from claims.french.entities import TARGETS_PATH, read_targets
from claims.french.text import fold_word

TARGET_PLACEHOLDER = "la cible"
RIVAL_PLACEHOLDER = "l'adversaire"
# The folded, six-letter content word of the target placeholder: the lexicon's focus word
# for "the clause that talks about the target".
TARGET_FOCUS = frozenset({"cible"})
TAG_ALIAS_MIN = 4  # shorter aliases ("FN", "MLP") count in a tag only as a separate word
_NOT_LETTER_BEFORE, _NOT_LETTER_AFTER = r"(?<![^\W\d_])", r"(?![^\W\d_])"
_TAG = re.compile(r"[#@]\w+")
_ACCENTS = {"a": "aàâä", "c": "cç", "e": "eéèêë", "i": "iîï", "o": "oôö", "u": "uùûü"}


def _alias_regex(alias: str) -> str:
    """Accent- and case-insensitive pattern; a space or hyphen also matches nothing or "_"."""
    out = []
    for ch in fold_word(alias):
        if ch in " -":
            out.append(r"[\s_-]*")
        elif ch in _ACCENTS:
            out.append(f"[{_ACCENTS[ch]}]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _compile(aliases: Sequence[str], in_tag: bool = False) -> Optional[re.Pattern]:
    """One pattern for all ``aliases``: whole words, or inside a tag (see TAG_ALIAS_MIN)."""
    aliases = sorted(set(aliases), key=lambda a: (-len(a), a))  # longest first
    if not aliases:
        return None
    if not in_tag:
        body = "|".join(_alias_regex(a) for a in aliases)
        return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)
    parts = []
    for a in aliases:
        if len(a) >= TAG_ALIAS_MIN:
            parts.append(_alias_regex(a))
        else:  # between non-letters ("#FN2017"), or in capitals before one ("#StopFN")
            parts.append(_NOT_LETTER_BEFORE + _alias_regex(a) + _NOT_LETTER_AFTER)
            parts.append(f"(?-i:{re.escape(a.upper())}(?![^\\W\\d_A-Z]))")
    return re.compile("|".join(parts), re.IGNORECASE)


class TargetMasker:
    """Replaces the names of a stance target and of its rivals by placeholders.

    Args:
        target: the stance target, by its name in the targets file or any of its aliases
            ("Emmanuel Macron", "Macron"); another name is masked by itself, with no rivals.
        targets_path: alias file; the packaged ``stance_targets.tsv`` by default.
    """

    def __init__(self, target: str, targets_path: str | Path | None = None):
        if not target or not target.strip():
            raise ValueError("target must be a non-empty name")
        self.target = target
        self.targets_path = targets_path
        table = read_targets(targets_path or TARGETS_PATH)
        key = next((name for name, aliases in table.items()
                    if fold_word(target) in {fold_word(a) for a in [name, *aliases]}), None)
        own = table[key] + [key] if key else [target.strip()]
        rivals = [a for name, aliases in table.items() if name != key for a in [name, *aliases]]
        own_folded = {fold_word(a) for a in own}
        rivals = [a for a in rivals if fold_word(a) not in own_folded]
        self._own = _compile(own)
        self._rival = _compile(rivals)
        self._own_in_tag = _compile(own, in_tag=True)
        self._rival_in_tag = _compile(rivals, in_tag=True)

    def _mask_tag(self, match: re.Match) -> str:
        """A #hashtag or @handle naming a candidate becomes its placeholder plus the rest."""
        tag = match.group()
        body = tag[1:]
        for pattern, placeholder in ((self._own_in_tag, TARGET_PLACEHOLDER),
                                     (self._rival_in_tag, RIVAL_PLACEHOLDER)):
            if pattern is not None and pattern.search(body):
                body = pattern.sub(f" {placeholder} ", body)
                return " ".join(body.replace("_", " ").split())
        return tag

    def mask(self, text: str) -> str:
        """``text`` with the target's names as "la cible" and rivals' as "l'adversaire"."""
        text = unicodedata.normalize("NFC", text)
        text = _TAG.sub(self._mask_tag, text)
        if self._own is not None:
            text = self._own.sub(TARGET_PLACEHOLDER, text)
        if self._rival is not None:
            text = self._rival.sub(RIVAL_PLACEHOLDER, text)
        return text


@lru_cache(maxsize=16)
def target_masker(target: str) -> TargetMasker:
    """A :class:`TargetMasker` with the packaged alias file, built once per target."""
    return TargetMasker(target)


def mask_target(texts: Sequence[str], target: str) -> list[str]:
    """Each text with ``target`` masked as "la cible" and its rivals as "l'adversaire"."""
    masker = target_masker(target)
    return [masker.mask(t) for t in texts]
