"""The data of the HTML report: the analysis as plain records, claims in reading order.

The records are those of ``--format json`` (:mod:`claims.output.records`), so the report
explains a claim with the same fields as every other output: each mention's ``link`` (closest
mention of another article, pair score with its cosine and TF-IDF parts, shared words,
entities and figures) and each group's ``comparison``. Added here: each article's outlet, the
numbers the report sorts by, and the fact versions when the analysis carries them.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, Iterable, Optional
from urllib.parse import urlsplit

from claims.analysis import Analysis
from claims.output.records import group_records
from claims.records import Article, ClaimGroup

UNKNOWN_OUTLET = "unknown outlet"


def outlet_of(article: Article) -> str:
    """Who published an article: its source mark, else its URL's host, else ``unknown outlet``."""
    if article.source:
        return article.source
    if article.url:
        host = urlsplit(article.url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return UNKNOWN_OUTLET


def dispute_count(record: dict) -> int:
    """How contested a claim is: its differing figures, plus one for opposite stances."""
    comparison = record.get("comparison") or {}
    stances = comparison.get("stances") or {}
    opposite = bool(stances.get("favor")) and bool(stances.get("against"))
    return len(comparison.get("figure_conflicts") or []) + int(opposite)


def reading_order(records: list[dict]) -> list[dict]:
    """Most widespread first (distinct articles), then most disputed, then most mentioned."""
    return sorted(records, key=lambda r: (-len(r["articles"]), -r["disputes"], -len(r["mentions"]), r["id"]))


def plain(value: Any) -> Any:
    """A JSON-ready copy of records of any shape (named tuples, dataclasses, sets, floats)."""
    if hasattr(value, "_asdict"):
        return {k: plain(v) for k, v in value._asdict().items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else round(value, 4)
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item())
    return str(value)


def fact_records(analysis: Analysis) -> Optional[list[dict]]:
    """The analysis' disputed facts as plain records, most contested first; None when the
    analysis carries no facts (the facts stage is not part of this version of the pipeline).

    Each record is the fact's own fields (``claims.facts.Fact``: versions with their mentions,
    differences, kind) plus ``claims``: the claim ids of the sentences giving its versions.
    """
    if not hasattr(analysis, "facts"):
        return None
    disputes = getattr(analysis, "disputes", None)
    facts = disputes() if callable(disputes) else analysis.facts
    records = []
    for fact in facts:
        record = plain(fact)
        rows = getattr(fact, "rows", None) or []
        record["claims"] = sorted({analysis.rows[r].group for r in rows
                                   if 0 <= r < len(analysis.rows) and analysis.rows[r].group})
        records.append(record)
    return records


def report_data(analysis: Analysis, groups: Optional[Iterable[ClaimGroup]] = None,
                title: Optional[str] = None) -> dict:
    """Everything the report page shows, as one JSON-ready dict.

    Args:
        analysis: an analysis (from :func:`claims.analyze` or a store).
        groups: the groups to show (default: all).
        title: the page title (default: "Claims in N articles").
    """
    articles = {a.id: {"title": a.title, "date": a.date, "source": a.source, "url": a.url,
                       "outlet": outlet_of(a)} for a in analysis.articles}
    records = group_records(analysis, groups)
    for record in records:
        record["disputes"] = dispute_count(record)
        for mention in record["mentions"]:
            mention["outlet"] = articles[mention["article"]]["outlet"]
    return {
        "title": title or f"Claims in {len(articles):,} articles",
        # From the corpus, not the clock: the same corpus always gives the same page.
        "generated": max((a["date"] for a in articles.values() if a["date"]), default=""),
        "settings": analysis.settings.as_dict() if analysis.settings is not None else None,
        "sentences": len(analysis.rows),
        "articles": articles,
        "claims": reading_order(records),
        "facts": fact_records(analysis),
    }


__all__ = ["UNKNOWN_OUTLET", "dispute_count", "fact_records", "outlet_of", "plain", "reading_order",
           "report_data"]
