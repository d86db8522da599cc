"""Pull quotes: cue-less narration repeating words quoted elsewhere in the article.

A quoted subhead or a pull quote repeats a passage some speaker said further on, without a cue of
its own; it gets that speaker (rule 4 of :mod:`claims.attribution.attributor`).
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Sequence

from claims.attribution.spans import absolute_span
from claims.french.text import words
from claims.records import Attribution

MIN_WORDS = 5  # shorter sentences repeat quotes by chance
MIN_SHARE = 0.8  # part of the sentence's words found in one run in the quoted passage


def pull_quote_attributions(items: Sequence, results: list[Attribution]) -> list[Attribution]:
    """``results`` with each cue-less, unattributed sentence repeating a quoted passage given its speaker.

    Args:
        items: per-sentence analyses, each with ``sentence`` and ``cues``.
        results: their attributions so far, same order (updated in place and returned).
    """
    quoted = [(words(item.sentence.text[s - item.sentence.start: e - item.sentence.start]),
               r.speaker, k)
              for k, (item, r) in enumerate(zip(items, results))
              if r.quote == "direct" and r.speaker and r.quote_span
              for s, e in [r.quote_span]]
    for i, (item, result) in enumerate(zip(items, results)):
        if result.speaker is not None or item.cues:
            continue
        sentence_words = words(item.sentence.text)
        if len(sentence_words) < MIN_WORDS:
            continue
        for passage, speaker, k in quoted:
            if k == i:
                continue
            match = SequenceMatcher(None, sentence_words, passage, autojunk=False).find_longest_match(
                0, len(sentence_words), 0, len(passage))
            if match.size >= max(MIN_WORDS, MIN_SHARE * len(sentence_words)):
                span = (0, len(item.sentence.text))
                results[i] = Attribution(speaker, None, "direct", absolute_span(item.sentence, span))
                break
    return results
