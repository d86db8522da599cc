"""The French text layer: every language resource and the text handling the stages share.

* :mod:`~claims.french.resources`: where the data files live, and the one reader;
* :mod:`~claims.french.text`: folding and tokenizing; :mod:`~claims.french.phrases`: word-list
  phrases matched on tokens;
* :mod:`~claims.french.negation` (predicate negation, the pair guard) and
  :mod:`~claims.french.negation_scope` (cues a negation turns around, stance), one data file;
* :mod:`~claims.french.entities`: countries, organisations, metonyms, stance target aliases;
* :mod:`~claims.french.cues`: reporting verbs and markers; :mod:`~claims.french.clauses`:
  clauses and the content without the reporting frame;
* :mod:`~claims.french.numbers` and :mod:`~claims.french.number_lexicon`: figures;
  :mod:`~claims.french.figure_conflicts`: when two sentences' figures disagree;
  :mod:`~claims.french.dates`: the points in time a sentence names;
* :mod:`~claims.french.nlp`: the one spaCy pipeline, loaded lazily; :mod:`~claims.french.parses`:
  the parses of one run, each sentence parsed at most once, only when a stage asks.
"""
