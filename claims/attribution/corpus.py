"""Attribution of a whole corpus: the pipeline's attribution stage, memoised per article.

Each article is attributed on its own; then every source gets one name over the corpus
(:mod:`claims.attribution.canon`), from the tables each article's attribution learnt (memoised with it).
"""

from __future__ import annotations

import json
from typing import Optional, Sequence

from claims.attribution.canon import ArticleNames, canonical_speakers, merge_spellings, speaker_variants
from claims.records import Article, Attribution, Sentence

MEMO_KIND = "attribution"
# Sentences parsed together: spaCy runs its batches over them in one stream (an article's
# 20 sentences alone make small, slower batches), and their docs are freed when done.
PARSE_CHUNK = 2000


def _memo_text(article: Article, sentences: Sequence[Sentence]) -> str:
    # An attribution depends on the whole article (quotes over sentences, "a-t-il ajouté"
    # going back to an earlier speaker) and on where it was split.
    return json.dumps([article.text, [(s.start, s.end) for s in sentences]], ensure_ascii=False)


def _to_json(a: Attribution) -> list:
    return [a.speaker, a.cue, a.quote, list(a.quote_span) if a.quote_span else None]


def _from_json(row: list) -> Attribution:
    speaker, cue, quote, span = row
    return Attribution(speaker, cue, quote, tuple(span) if span else None)


def attribute_corpus(articles: Sequence[Article], sentences: Sequence[Sentence],
                     attributor=None, memo=None, parses=None) -> list[Attribution]:
    """Who said each sentence (same order as ``sentences``), article by article.

    :func:`attribute_articles` then :func:`claims.attribution.canon.canonical_speakers`
    (engines that attribute partitions of the corpus apart call the two separately).

    Args:
        articles: the articles the sentences come from.
        sentences: the corpus' sentences, article by article.
        attributor: an object with ``attribute(article, sentences)`` returning one
            Attribution per sentence; the spaCy-based :class:`SpeakerAttributor` by default
            (created, and spaCy loaded, only when an article is not in ``memo``).
        memo: a :class:`claims.memo.Memo` holding earlier attributions of the default
            attributor (keyed by article text, sentence offsets and the rules' fingerprint).
        parses: a :class:`claims.french.parses.Parses` shared with other stages, so the
            default attributor does not parse a sentence another stage parsed.
    """
    return canonical_speakers(*attribute_articles(articles, sentences, attributor, memo, parses))


def attribute_corpus_named(articles: Sequence[Article], sentences: Sequence[Sentence],
                           attributor=None, memo=None, parses=None) -> tuple[list[Attribution], dict]:
    """:func:`attribute_corpus` and, for each source's corpus-wide name, how the articles wrote it
    (``{"Luiz Inácio Lula da Silva": ["Lula", "le président brésilien"]}``)."""
    out, article_of, tables = attribute_articles(articles, sentences, attributor, memo, parses)
    named = canonical_speakers(out, article_of, tables)
    return named, merge_spellings(speaker_variants(tables), named)


def attribute_articles(articles: Sequence[Article], sentences: Sequence[Sentence], attributor=None,
                       memo=None, parses=None) -> tuple[list[Attribution], list[int], list[ArticleNames]]:
    """Each article attributed on its own, before speakers get their corpus-wide names.

    Same arguments as :func:`attribute_corpus`. Returns the attributions (speakers as each
    article names them), the position in ``articles`` of each sentence's article, and what
    each article learnt (:class:`ArticleNames`), the arguments of ``canonical_speakers``.
    """
    by_article: dict[str, list[Sentence]] = {}
    for s in sentences:
        by_article.setdefault(s.article, []).append(s)
    parts = [(a, by_article.get(a.id, [])) for a in articles]
    known: list[Optional[list]] = [None] * len(parts)
    default = attributor is None  # only its results are memoised, and it reads shared parses
    use_memo = memo is not None and default
    if use_memo:
        from claims.memo import fingerprint

        stamp = fingerprint("attribution", "french", "data")
        known = memo.get(MEMO_KIND, stamp, [_memo_text(a, ss) for a, ss in parts])
    fresh = []
    out: list[Attribution] = []
    tables: list[ArticleNames] = []
    article_of: list[int] = []
    todo = [k for k, ((_, own), found) in enumerate(zip(parts, known))
            if not (isinstance(found, dict) and len(found["rows"]) == len(own))]
    shared = default and parses is not None
    chunks = _chunks(todo, [len(parts[k][1]) for k in todo]) if shared else [todo]
    results: dict[int, tuple[list[Attribution], ArticleNames]] = {}
    for chunk in chunks:
        if not chunk:
            continue
        if attributor is None:
            attributor = _default_attributor()
        texts = [s.text for k in chunk for s in parts[k][1]]
        if shared:
            parses.docs(texts)  # the chunk in one stream of batches
        for k in chunk:
            article, own = parts[k]
            if shared:
                result = list(attributor.attribute(article, own, parses.docs([s.text for s in own])))
            else:
                result = list(attributor.attribute(article, own))
            context = getattr(attributor, "context_", None) if own else None
            names = ArticleNames.of(context, getattr(attributor, "surfaces_", None)) \
                if context is not None else ArticleNames()
            results[k] = result, names
        if shared:
            parses.release(texts)  # the attribution is the last reader of these parses
    for k, ((article, own), found) in enumerate(zip(parts, known)):
        article_of.extend([k] * len(own))
        if k not in results:
            out.extend(_from_json(row) for row in found["rows"])
            tables.append(ArticleNames.from_json(found["names"]))
            continue
        result, names = results[k]
        out.extend(result)
        tables.append(names)
        fresh.append((_memo_text(article, own), {"rows": [_to_json(a) for a in result],
                                                 "names": names.to_json()}))
    if use_memo:
        memo.put(MEMO_KIND, stamp, fresh)
    return out, article_of, tables


def _chunks(items: list[int], sizes: list[int]) -> list[list[int]]:
    """``items`` in consecutive runs of about :data:`PARSE_CHUNK` sentences (``sizes`` each)."""
    chunks: list[list[int]] = []
    total = PARSE_CHUNK
    for item, size in zip(items, sizes):
        if total + size > PARSE_CHUNK and (not chunks or chunks[-1]):
            chunks.append([])
            total = 0
        chunks[-1].append(item)
        total += size
    return chunks


def _default_attributor():
    from claims.attribution.attributor import SpeakerAttributor
    from claims.french.nlp import french_nlp

    return SpeakerAttributor(nlp=french_nlp())


__all__ = ["attribute_articles", "attribute_corpus", "attribute_corpus_named"]
