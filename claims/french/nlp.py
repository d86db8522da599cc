"""The one spaCy French pipeline every stage shares (loading it takes seconds and ~500 MB)."""

from __future__ import annotations

from functools import lru_cache

SPACY_MODEL = "fr_core_news_md"


@lru_cache(maxsize=1)
def french_nlp():
    """spaCy's ``fr_core_news_md``, loaded once per process."""
    import spacy

    try:
        return spacy.load(SPACY_MODEL)
    except OSError as err:
        raise RuntimeError(f"spaCy model {SPACY_MODEL!r} is not installed: "
                           f"pip install {SPACY_MODEL.replace('_', '-')}") from err
