"""Who said it: speaker, reporting cue, quote type and quote span for every sentence of French news.

Usage::

    from claims.attribution import attribute
    attributions = attribute(article, sentences)  # one Attribution per sentence, same order

The vocabulary is data, read by :mod:`claims.french.cues` (``reporting_cues.tsv``: reporting
verbs, markers, titles) and :mod:`claims.french.entities` (``metonyms.tsv``: "Moscou" -> "Russie").
spaCy's ``fr_core_news_md`` gives names and syntax: loaded once, on first use
(:mod:`claims.french.nlp`), unless the caller passes the sentences parsed already
(``attribute(article, sentences, docs)``).
"""

from claims.attribution.attributor import SpeakerAttributor, attribute
from claims.attribution.quotes import QuoteSpan, find_quotes

__all__ = ["QuoteSpan", "SpeakerAttributor", "attribute", "find_quotes"]
