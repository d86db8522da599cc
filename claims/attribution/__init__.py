"""Who said it: speaker, reporting cue, quote type and quote span for every sentence of French news.

Usage::

    from claims.attribution import attribute
    attributions = attribute(article, sentences)  # one Attribution per sentence, same order

The vocabulary is data: ``claims/data/reporting_cues.tsv`` (reporting verbs, markers, titles) and
``claims/data/metonyms.tsv`` ("Moscou" -> "Russie"). spaCy's ``fr_core_news_md`` gives names and
syntax; it is loaded once, on first use.
"""

from claims.attribution.attributor import SPACY_MODEL, SpeakerAttributor, attribute
from claims.attribution.cues import CueLexicon, CueMatch, default_lexicon
from claims.attribution.quotes import QuoteSpan, find_quotes
from claims.attribution.speakers import Metonyms, default_metonyms

__all__ = [
    "SPACY_MODEL",
    "CueLexicon",
    "CueMatch",
    "Metonyms",
    "QuoteSpan",
    "SpeakerAttributor",
    "attribute",
    "default_lexicon",
    "default_metonyms",
    "find_quotes",
]
