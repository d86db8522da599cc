"""What the service's endpoints answer, as plain JSON-ready dicts read from a snapshot.

The records are those of ``--format json`` (:mod:`claims.output.records`), so a claim reads
the same from the service as from ``claims match -f json``.
"""

from __future__ import annotations

from typing import Optional

from claims.comparison import compare_articles, shared_claim_as_dict
from claims.output.records import group_record
from claims.report.data import dispute_count, fact_records, outlet_of
from claims.service.state import ClaimFacets, Snapshot, fold
from claims.store.window import Window


class NotFound(LookupError):
    """An id the snapshot does not hold; the message says which and why."""

    def __init__(self, message: str, **extra):
        super().__init__(message)
        self.extra = extra


class ClaimFilter:
    """The filters of ``GET /claims``; empty ones keep everything.

    Args:
        speaker: case- and accent-insensitive substring of a mention's speaker.
        article: an article id the claim must hold.
        outlet: an outlet (source mark or URL host), case-insensitive, exact.
        since, until: a mention's article date inside this window (``YYYY[-MM[-DD]]``).
        disputed: only claims with opposite stances or differing figures.
        text: words that must all appear in the claim's sentences, speakers or outlets.

    Raises:
        ValueError: for a bad date.
    """

    def __init__(self, speaker: Optional[str] = None, article: Optional[str] = None,
                 outlet: Optional[str] = None, since: Optional[str] = None, until: Optional[str] = None,
                 disputed: bool = False, text: Optional[str] = None):
        self.speaker = fold(speaker) if speaker else None
        self.article = article or None
        self.outlet = fold(outlet) if outlet else None
        try:
            self.window = Window.parse(since, until)
        except ValueError as error:  # the store names its CLI options; here they are parameters
            raise ValueError(str(error).replace("--since", "since").replace("--until", "until")) from None
        self.disputed = disputed
        self.words = fold(text or "").split()

    def keeps(self, facets: ClaimFacets) -> bool:
        """Whether the claim passes every filter."""
        if self.disputed and not facets.disputed:
            return False
        if self.speaker and not any(self.speaker in s for s in facets.speakers):
            return False
        if self.outlet and self.outlet not in facets.outlets:
            return False
        if self.article and self.article not in facets.group.articles:
            return False
        if not self.window.open and not any(self.window.holds(d) for d in facets.dates):
            return False
        return all(w in facets.text for w in self.words)


def claim_summary(facets: ClaimFacets) -> dict:
    """One line of ``GET /claims``."""
    g = facets.group
    comparison = g.comparison
    return {
        "id": g.id, "text": facets.lead, "articles": len(g.articles), "mentions": len(g.mentions),
        "speakers": sorted({m.attribution.speaker for m in g.mentions if m.attribution.speaker}),
        "first_date": facets.dates[0] if facets.dates else None,
        "last_date": facets.dates[-1] if facets.dates else None,
        "disputed": facets.disputed,
        "figure_conflicts": len(comparison.figure_conflicts) if comparison is not None else 0,
    }


def list_claims(snap: Snapshot, wanted: ClaimFilter, limit: int, offset: int) -> dict:
    """``GET /claims``: the claims passing ``wanted``, most widespread first, one page."""
    kept = [f for f in snap.facets.values() if wanted.keeps(f)]
    kept.sort(key=lambda f: (-len(f.group.articles), -f.disputed, -len(f.group.mentions), f.group.id))
    return {"generation": snap.generation, "total": len(kept), "offset": offset, "limit": limit,
            "claims": [claim_summary(f) for f in kept[offset:offset + limit]]}


def claim_detail(snap: Snapshot, claim_id: str, store=None) -> dict:
    """``GET /claims/{id}``: mentions with why each matched, comparison, fact versions."""
    facets = snap.facets.get(claim_id)
    if facets is None:
        status = None
        if store is not None:
            try:
                status = store.claim_status(claim_id)
            except KeyError:
                pass
        if status and status[0] == "merged":
            raise NotFound(f"claim {claim_id} was merged into {status[1]}", merged_into=status[1])
        if status:
            raise NotFound(f"claim {claim_id} is {status[0]}: it has no mention in two articles now")
        raise NotFound(f"no claim {claim_id}")
    analysis = snap.analysis
    record = group_record(facets.group, {a.id: a for a in analysis.articles})
    record["disputes"] = dispute_count(record)
    for mention in record["mentions"]:
        mention["outlet"] = outlet_of(analysis.article(mention["article"]))
    facts = fact_records(analysis)
    record["facts"] = None if facts is None else [f for f in facts if claim_id in f["claims"] or f.get("group") == claim_id]
    record["generation"] = snap.generation
    return record


def find_article_id(snap: Snapshot, ref: str) -> str:
    """The stored article whose id is ``ref`` or starts with ``ref_``, as the CLI finds it."""
    from claims.ingest import find_article

    try:
        return find_article(snap.analysis.articles if snap.analysis else [], ref).id
    except ValueError as error:
        raise NotFound(str(error)) from None


def compare(snap: Snapshot, a: str, b: str) -> dict:
    """``GET /compare``: the claims two stored articles share, and how they differ."""
    a_id, b_id = find_article_id(snap, a), find_article_id(snap, b)
    if a_id == b_id:
        raise ValueError("A and B are the same article")
    shared = compare_articles(a_id, b_id, snap.analysis.groups)
    return {"a": a_id, "b": b_id, "shared": [shared_claim_as_dict(c) for c in shared]}


def speakers(snap: Snapshot) -> dict:
    """``GET /speakers``: who is quoted, how often, in which articles."""
    from claims.attribution.tally import count_speakers

    if snap.analysis is None:
        return {"speakers": []}
    rows = snap.analysis.rows
    counts = count_speakers([r.sentence for r in rows], [r.attribution for r in rows])
    return {"speakers": [c._asdict() for c in counts]}


def facts(snap: Snapshot) -> dict:
    """``GET /facts``: the disputed facts, when the analysis computes fact versions."""
    found = fact_records(snap.analysis) if snap.analysis is not None else None
    if found is None:
        return {"available": False, "facts": [],
                "note": "this analysis carries no fact versions; see the claims' figure conflicts"}
    return {"available": True, "facts": found}


def nearest(snap: Snapshot, rows: list[tuple[int, float]]) -> list[dict]:
    """``GET /similar`` results: each sentence with its cosine, article, speaker and claim."""
    out = []
    for rank, (i, score) in enumerate(rows, 1):
        row = snap.analysis.rows[i]
        s = row.sentence
        out.append({"rank": rank, "cosine": round(score, 4), "article": s.article, "index": s.index,
                    "text": s.text, "speaker": row.attribution.speaker, "claim": row.group})
    return out


def health(snap: Snapshot) -> dict:
    """``GET /health``."""
    a = snap.analysis
    return {"status": "ok", "generation": snap.generation,
            "articles": len(a.articles) if a else 0, "sentences": len(a.rows) if a else 0,
            "claims": len(a.groups) if a else 0, "model": a.settings.model.name if a else None}


__all__ = ["ClaimFilter", "NotFound", "claim_detail", "claim_summary", "compare", "facts", "health",
           "list_claims", "nearest", "speakers"]
