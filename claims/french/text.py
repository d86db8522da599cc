"""French text folding and tokenizing: the one place that decides how words are compared.

Three foldings, because three comparisons need different things:

* :func:`fold_french`: one character for one (offsets found in the folded text hold in the
  original), so regular expressions run on whole sentences (negation, numbers, guards, clauses);
* :func:`fold_word`: a word or token, all combining marks dropped (the length may change),
  for lexicon lookups that never map back to offsets (stance cues, target aliases);
* :func:`fold_name`: a person's name, doubled letters collapsed ("Zelenskyy" ~ "Zelensky").

Three tokenizers, for the same reason: :func:`cue_tokens` keeps the elision apostrophe on
its word ("l'", "qu'") as the stance lexicons write it; :func:`word_tokens` drops it ("n"
for "n'") as the negation lexicon writes it; :func:`words` is lower-cased ``\\w+`` runs, for
counting words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable, NamedTuple

from claims.french.resources import read_lines

# Same-length replacements, so offsets found in folded text hold in the original.
_CHAR_MAP = {
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\t": " ", "\n": " ", "\r": " ",
    "\u00ab": '"', "\u00bb": '"', "\u201c": '"', "\u201d": '"',
    "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u2010": "-",
}
_WORD_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "′": "'", "`": "'"})
# Elided word + ASCII apostrophe as one token ("l'", "qu'"), then words (with inner hyphens),
# then any other single character. Run on the raw text: a typographic apostrophe is its own token.
_CUE_TOKEN = re.compile(r"\w+(?:-\w+)*'(?=\w)|\w+(?:-\w+)*|[^\w\s]")
# Run on fold_french text (every apostrophe is "'"): a letter run + apostrophe is one elided word.
_WORD_TOKEN = re.compile(r"[^\W\d_]+'|\w+(?:-\w+)*|[^\w\s]")
_WORD = re.compile(r"\w+")


def _fold_char(ch: str, strip_accents: bool) -> str:
    ch = _CHAR_MAP.get(ch, ch)
    low = ch.lower()
    if len(low) == 1:
        ch = low
    if strip_accents and not ch.isascii():
        parts = unicodedata.normalize("NFD", ch)
        if len(parts) > 1 and all(unicodedata.combining(c) for c in parts[1:]):
            ch = parts[0]
    return ch


class _FoldTable(dict):
    """``str.translate`` table folding one character at a time, each worked out on first sight
    (folding is per character, so a table gives the same result as a loop, many times faster)."""

    def __init__(self, strip_accents: bool):
        super().__init__()
        self.strip_accents = strip_accents

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code), self.strip_accents)
        return folded


_FOLD_TABLES = {True: _FoldTable(True), False: _FoldTable(False)}


def fold_french(text: str, strip_accents: bool = True) -> str:
    """Lower-case ``text`` and unify apostrophes, spaces, quotes and dashes.

    The result has exactly the length of ``text`` (one character for one), so character
    offsets found in it point into the original.

    Args:
        text: any string.
        strip_accents: also drop diacritics ("é" → "e"; "œ" is kept).
    """
    return text.translate(_FOLD_TABLES[bool(strip_accents)])


def fold_word(text: str) -> str:
    """Lower-case, every combining mark removed, apostrophes unified (length may change)."""
    text = unicodedata.normalize("NFD", text.translate(_WORD_APOSTROPHES).lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def fold_name(text: str) -> str:
    """Lower case, no accents, doubled letters collapsed: "Zelenskyy" ~ "Zelensky"."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"(\w)\1+", r"\1", text)


class Token(NamedTuple):
    """A word or punctuation mark: its folded form and its offsets in the text."""

    norm: str
    start: int
    end: int

    @property
    def is_punct(self) -> bool:
        return not self.norm[:1].isalnum()


def cue_tokens(text: str) -> list[Token]:
    """Tokens of ``text``, each folded by :func:`fold_word`; "l'" keeps its apostrophe."""
    return [Token(fold_word(m.group()), m.start(), m.end()) for m in _CUE_TOKEN.finditer(text)]


def word_tokens(text: str) -> list[Token]:
    """Tokens of ``fold_french(text)``; an elided word loses its apostrophe ("n'" → "n")."""
    folded = fold_french(text)
    return [Token(m.group().rstrip("'"), m.start(), m.end()) for m in _WORD_TOKEN.finditer(folded)]


def words(text: str) -> list[str]:
    """Lower-cased ``\\w+`` runs of a text (an apostrophe splits: "l'armée" → "l", "armée")."""
    return [w.lower() for w in _WORD.findall(text)]


@lru_cache(maxsize=1)
def french_stopwords() -> frozenset[str]:
    """Accent-folded French function words of ``claims/data/lexical_stopwords_fr.txt``."""
    return frozenset(fold_french(line.strip()) for _, line in read_lines("lexical_stopwords_fr.txt"))


def alternation(forms: Iterable[str], flexible_spaces: bool = True) -> str:
    """Regex alternation of ``forms`` (empty ones dropped), longest first.

    Longest first, so "dollars canadiens" wins over "dollars" where both match.

    Args:
        forms: literal strings.
        flexible_spaces: a space in a form matches any run of whitespace; False keeps it
            one literal space.
    """
    escaped = (re.escape(f) for f in sorted({f for f in forms if f}, key=len, reverse=True))
    return "|".join(e.replace(r"\ ", r"\s+") if flexible_spaces else e for e in escaped)
