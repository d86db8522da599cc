"""The analysis as plain records with named fields: what JSON, JSON Lines and CSV are made of.

The JSON Lines contract (one object per sentence, keys of :data:`SENTENCE_FIELDS`) is read by
other tools: keys are only ever added, never renamed or removed. The ``--format json``
document is described by ``claims/output/schema.json`` (JSON Schema), tested.
"""

from __future__ import annotations

import math
from typing import Iterable, Iterator, Optional

from claims.analysis import Analysis
from claims.comparison import comparison_as_dict
from claims.records import Article, ClaimGroup

SENTENCE_FIELDS = (
    "article", "index", "text", "start", "end", "cluster", "score",
    "speaker", "cue", "quote", "quote_start", "quote_end", "stance", "date", "source", "fact",
)
MENTION_FIELDS = ("article", "date", "source", "index", "text", "start", "end", "row", "score",
                  "speaker", "cue", "quote", "stance", "link")
SCHEMA_VERSION = 2  # of the --format json document; 1 had figure conflicts as arrays


def rounded(score: Optional[float]) -> Optional[float]:
    """A score with 4 decimals, None for missing or NaN."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    return round(float(score), 4)


def sentence_records(analysis: Analysis) -> Iterator[dict]:
    """One dict per row of the analysis, with the keys of :data:`SENTENCE_FIELDS`."""
    from claims.facts.build import fact_of_rows

    articles = {a.id: a for a in analysis.articles}
    facts = fact_of_rows(analysis.facts, len(analysis.rows))
    for row, fact in zip(analysis.rows, facts):
        s, who = row.sentence, row.attribution
        span = who.quote_span
        article = articles[s.article]
        yield {
            "article": s.article, "index": s.index, "text": s.text, "start": s.start, "end": s.end,
            "cluster": row.group, "score": rounded(row.score),
            "speaker": who.speaker, "cue": who.cue, "quote": who.quote,
            "quote_start": span[0] if span else None, "quote_end": span[1] if span else None,
            "stance": row.stance, "date": article.date, "source": article.source, "fact": fact,
        }


def group_record(group: ClaimGroup, articles: dict[str, Article]) -> dict:
    """One group: id, articles, mentions (named fields) and comparison (or None)."""
    mentions = []
    by_row = {m.row: m for m in reversed(group.mentions)}  # the first mention of a row, as a scan finds it
    for m in group.mentions:
        a = articles[m.sentence.article]
        who = m.attribution
        mentions.append({
            "article": a.id, "date": a.date, "source": a.source, "index": m.sentence.index,
            "text": m.sentence.text, "start": m.sentence.start, "end": m.sentence.end, "row": m.row,
            "score": rounded(m.score), "speaker": who.speaker, "cue": who.cue,
            "quote": who.quote, "stance": m.stance, "link": link_record(m.link, group, by_row),
        })
    comparison = comparison_as_dict(group.comparison) if group.comparison is not None else None
    return {"id": group.id, "articles": group.articles, "mentions": mentions, "comparison": comparison}


def link_record(link, group: ClaimGroup, by_row: Optional[dict] = None) -> Optional[dict]:
    """Why a mention is in its group (:class:`claims.matching.explain.Link`), named fields.

    ``by_row`` (row -> mention of ``group``) saves a scan of the group per mention: a group's
    records then cost its size, not its square.
    """
    if link is None:
        return None
    if by_row is not None:
        partner = by_row.get(link.partner)
    else:
        partner = next((m for m in group.mentions if m.row == link.partner), None)
    return {
        "partner": ({"row": partner.row, "article": partner.sentence.article, "index": partner.sentence.index}
                    if partner is not None else None),
        "score": rounded(link.score), "cosine": rounded(link.cosine), "lexical": rounded(link.lexical),
        "shared_words": list(link.shared_words), "shared_entities": list(link.shared_entities),
        "shared_figures": list(link.shared_figures),
    }


def group_records(analysis: Analysis, groups: Optional[Iterable[ClaimGroup]] = None) -> list[dict]:
    """One record per group (all groups, or those given)."""
    articles = {a.id: a for a in analysis.articles}
    return [group_record(g, articles) for g in (analysis.groups if groups is None else groups)]


def document(analysis: Analysis, groups: Optional[Iterable[ClaimGroup]] = None) -> dict:
    """The ``--format json`` document: settings, articles, groups and facts."""
    from claims.facts import fact_as_dict

    return {
        "schema_version": SCHEMA_VERSION,
        "settings": analysis.settings.as_dict(),
        "articles": [{"id": a.id, "title": a.title, "date": a.date, "source": a.source, "url": a.url}
                     for a in analysis.articles],
        "groups": group_records(analysis, groups),
        "facts": [fact_as_dict(f) for f in analysis.facts],
    }


__all__ = ["MENTION_FIELDS", "SCHEMA_VERSION", "SENTENCE_FIELDS", "document", "group_record",
           "group_records", "link_record", "rounded", "sentence_records"]
