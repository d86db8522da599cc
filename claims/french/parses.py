"""The spaCy parses of one run: each text parsed at most once, and only when a stage asks.

The pair guard and the attribution both read syntax. A run hands them one :class:`Parses`,
so a sentence both need is parsed once, and a run whose analyses all come from the memo
(:mod:`claims.memo`) never loads spaCy.
"""

from __future__ import annotations

from typing import Sequence


class Parses:
    """Parses of texts, made on first request, in batches.

    Args:
        nlp: a loaded spaCy pipeline; the shared :func:`claims.french.nlp.french_nlp`
            (loaded only if something must be parsed) when None.

    Attributes:
        parsed_: how many distinct texts were parsed.
    """

    def __init__(self, nlp=None):
        self.nlp = nlp
        self._docs: dict[str, object] = {}
        self.parsed_ = 0

    def docs(self, texts: Sequence[str]) -> list:
        """One spaCy ``Doc`` per text, in order (texts not parsed yet are parsed now, together)."""
        from claims.french.nlp import parse

        todo = [t for t in dict.fromkeys(texts) if t not in self._docs]
        for text, doc in zip(todo, parse(todo, self.nlp)):
            self._docs[text] = doc
        self.parsed_ += len(todo)
        return [self._docs[t] for t in texts]

    def release(self, texts: Sequence[str]) -> None:
        """Forget the docs of ``texts`` (a run's last reader of them frees their memory);
        asked again, they are parsed again."""
        for text in texts:
            self._docs.pop(text, None)


__all__ = ["Parses"]
