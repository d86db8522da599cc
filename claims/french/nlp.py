"""The one spaCy French pipeline every stage shares, and one parse per sentence.

Loading ``fr_core_news_md`` takes seconds and ~500 MB, and parsing is the costliest per-sentence
step after encoding, so a run loads the pipeline at most once (lazily, on the first stage that
needs syntax) and parses each sentence once: :func:`parse` gives the docs, which the pair guard
(:meth:`claims.matching.pair_guards.PairGuard.prepare`) and the attribution
(:meth:`claims.attribution.SpeakerAttributor.attribute`) both accept. ``import spacy`` happens
here and nowhere else in the package.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable

SPACY_MODEL = "fr_core_news_md"
BATCH_SIZE = 256  # sentences per spaCy batch: 10 % less CPU than 64 on pool sentences, same parses (1,000: more)


class _WordIndex(list):
    """A list of words whose membership test is a set lookup instead of a scan."""

    def __init__(self, words):
        super().__init__(words)
        self._set = frozenset(self)

    def __contains__(self, word) -> bool:
        return word in self._set


def _fast_lemma_index(nlp) -> None:
    """Make the French lemmatizer's word index a set lookup (same lemmas, several times faster).

    spaCy's French rule lemmatizer tests ``word in index`` on lists of 3,000-66,000 words for
    every token not seen before: a linear scan that took a third of the parse time.
    """
    if "lemmatizer" not in nlp.pipe_names:
        return
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    index = lookups.get_table("lemma_index")
    for key in list(index.keys()):
        if isinstance(index[key], list) and not isinstance(index[key], _WordIndex):
            index[key] = _WordIndex(index[key])


@lru_cache(maxsize=1)
def french_nlp():
    """spaCy's ``fr_core_news_md`` with every component (the parser and NER are both used)."""
    import spacy

    try:
        nlp = spacy.load(SPACY_MODEL)
    except OSError as err:
        raise RuntimeError(f"spaCy model {SPACY_MODEL!r} is not installed: "
                           f"pip install {SPACY_MODEL.replace('_', '-')}") from err
    _fast_lemma_index(nlp)
    return nlp


def parse(texts: Iterable[str], nlp=None) -> list:
    """One spaCy ``Doc`` per text, in order.

    The docs keep their tokens, tags, morphology, lemmas, dependencies and entities, not the
    ``tok2vec`` activations (``doc.tensor``): no stage reads them, and they were half of a
    doc's memory (7 of 16 KB for a sentence of 16 words).

    Args:
        texts: sentences (any strings).
        nlp: a loaded pipeline; the shared :func:`french_nlp` when None.
    """
    texts = list(texts)
    if not texts:
        return []  # no load when nothing needs parsing
    nlp = nlp if nlp is not None else french_nlp()
    import numpy as np

    docs = []
    for doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
        doc.tensor = np.zeros((0,), dtype="float32")
        docs.append(doc)
    return docs


def check_docs(texts: list[str], docs, annotations: tuple[str, ...] = ("DEP",)) -> list:
    """``docs`` as a list, after checking each was parsed from its text with ``annotations``.

    A doc from a pipeline without a component a stage reads (NER for the attribution's
    names) would silently give other answers, so it is refused.
    """
    docs = list(docs)
    if len(docs) != len(texts):
        raise ValueError(f"{len(docs)} parsed docs for {len(texts)} texts")
    for text, doc in zip(texts, docs):
        if doc.text != text:
            raise ValueError(f"a doc does not match its text: {doc.text[:40]!r} vs {text[:40]!r}")
        missing = [a for a in annotations if len(doc) and not doc.has_annotation(a)]
        if missing:
            raise ValueError(f"a doc lacks {', '.join(missing)} (parse it with claims.french.nlp.parse)")
    return docs
