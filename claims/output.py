"""Rendering an :class:`~claims.pipeline.Analysis`: JSON Lines, JSON, CSV and a rich table.

The JSON Lines contract (one object per sentence of the corpus) is read by other tools;
its keys are listed in ``SENTENCE_FIELDS`` and documented in the README. Add keys, never
rename or remove them.
"""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Iterable, Iterator, Optional, TextIO

from claims.pipeline import Analysis, stance_of
from claims.records import ClaimGroup

FORMATS = ("table", "json", "jsonl", "csv")
SENTENCE_FIELDS = (
    "article", "index", "text", "start", "end", "cluster", "score",
    "speaker", "cue", "quote", "quote_start", "quote_end", "stance", "date", "source",
)
MENTION_CSV_FIELDS = (
    "group", "article", "date", "source", "index", "sentence", "score", "speaker", "quote", "stance",
)


def _round(score: Optional[float]) -> Optional[float]:
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    return round(float(score), 4)


def sentence_records(analysis: Analysis) -> Iterator[dict]:
    """One dict per sentence of the corpus, with the keys of ``SENTENCE_FIELDS``."""
    scores = {(m.sentence.article, m.sentence.index): m.score for g in analysis.groups for m in g.mentions}
    stances = stance_of(analysis)
    articles = {a.id: a for a in analysis.articles}
    for s, cluster, who, stance in zip(analysis.sentences, analysis.labels, analysis.attributions, stances):
        span = who.quote_span
        article = articles[s.article]
        yield {
            "article": s.article,
            "index": s.index,
            "text": s.text,
            "start": s.start,
            "end": s.end,
            "cluster": cluster,
            "score": _round(scores.get((s.article, s.index))),
            "speaker": who.speaker,
            "cue": who.cue,
            "quote": who.quote,
            "quote_start": span[0] if span else None,
            "quote_end": span[1] if span else None,
            "stance": stance,
            "date": article.date,
            "source": article.source,
        }


def _comparison_dict(analysis: Analysis, group: ClaimGroup) -> Optional[dict]:
    comparison = analysis.comparisons.get(group.id)
    if comparison is None:
        return None
    as_dict = getattr(comparison, "_asdict", None)
    return json.loads(json.dumps(as_dict() if as_dict else comparison, default=list))


def group_records(analysis: Analysis, groups: Optional[Iterable[ClaimGroup]] = None) -> list[dict]:
    """One dict per group with its mentions and, when computed, its comparison."""
    articles = {a.id: a for a in analysis.articles}
    out = []
    for group in analysis.groups if groups is None else groups:
        mentions = []
        for m in group.mentions:
            a = articles[m.sentence.article]
            who = m.attribution
            mentions.append({
                "article": a.id, "date": a.date, "source": a.source, "index": m.sentence.index,
                "text": m.sentence.text, "start": m.sentence.start, "end": m.sentence.end,
                "score": _round(m.score), "speaker": who.speaker, "cue": who.cue,
                "quote": who.quote, "stance": m.stance,
            })
        out.append({"id": group.id, "articles": group.articles, "mentions": mentions,
                    "comparison": _comparison_dict(analysis, group)})
    return out


def write_jsonl(analysis: Analysis, out: TextIO) -> None:
    """The JSON Lines contract: one object per sentence."""
    for record in sentence_records(analysis):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_json(analysis: Analysis, out: TextIO, groups: Optional[list[ClaimGroup]] = None) -> None:
    """One JSON document: settings, articles and groups."""
    document = {
        "model": analysis.encoder.name,
        "threshold": round(analysis.threshold, 4),
        "threshold_source": analysis.threshold_source,
        "articles": [{"id": a.id, "title": a.title, "date": a.date, "source": a.source, "url": a.url}
                     for a in analysis.articles],
        "groups": group_records(analysis, groups),
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_csv(analysis: Analysis, out: TextIO, groups: Optional[list[ClaimGroup]] = None) -> None:
    """One row per mention of a group."""
    writer = csv.DictWriter(out, fieldnames=MENTION_CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for group in group_records(analysis, groups):
        for m in group["mentions"]:
            writer.writerow({"group": group["id"], "article": m["article"], "date": m["date"],
                             "source": m["source"], "index": m["index"], "sentence": m["text"],
                             "score": m["score"], "speaker": m["speaker"], "quote": m["quote"],
                             "stance": m["stance"]})


def plain(text: str, style: str = ""):
    """A rich table cell that shows ``text`` as it is.

    Rich reads square brackets in a plain string as markup and drops them, and French
    quotations use them for editorial insertions ("dépendent de [ces livraisons]").
    """
    from rich.text import Text

    return Text(text, style=style)


def render_table(analysis: Analysis, groups: Optional[list[ClaimGroup]] = None, width: Optional[int] = None) -> str:
    """The groups as a rich table (plus a line per group on what the articles disagree on)."""
    from rich.console import Console
    from rich.table import Table

    count = len(groups if groups is not None else analysis.groups)
    table = Table(title=f"{count} claim group{'' if count == 1 else 's'} "
                        f"({analysis.encoder.name}, threshold {analysis.threshold:.3f})",
                  show_lines=True)
    for name, style in (("group", "bold"), ("article", "cyan"), ("date", ""), ("source", ""),
                        ("speaker", "magenta"), ("stance", ""), ("sentence", ""), ("score", "")):
        table.add_column(name, style=style, overflow="fold")
    for group in group_records(analysis, groups):
        for n, m in enumerate(group["mentions"]):
            table.add_row(group["id"] if n == 0 else "", plain(m["article"]), m["date"] or "",
                          plain(m["source"] or ""), who_said_it(m), m["stance"] or "",
                          plain(m["text"]), f"{m['score']:.3f}")
        summary = disagreement_summary(group.get("comparison"))
        if summary:
            table.add_row("", "", "", "", "", "", plain(summary, "yellow"), "")
    buffer = io.StringIO()
    Console(file=buffer, width=width or 160, force_terminal=False).print(table)
    return buffer.getvalue()


def who_said_it(mention: dict):
    """Table cell: the speaker, then its cue and quote type dimmed on a second line."""
    cell = plain(mention["speaker"] or "")
    detail = " · ".join(x for x in (mention["cue"], mention["quote"] if mention["quote"] != "none" else None) if x)
    if mention["speaker"] and detail:
        cell.append("\n" + detail, style="dim")
    return cell


def disagreement_summary(comparison: Optional[dict]) -> str:
    """One line saying what a group's articles disagree on, '' when nothing."""
    if not comparison:
        return ""
    parts = []
    stances = {k: v for k, v in (comparison.get("stances") or {}).items() if v}
    if "favor" in stances and "against" in stances:
        parts.append("stances: " + ", ".join(f"{k} {len(v)}" for k, v in sorted(stances.items())))
    for conflict in comparison.get("figure_conflicts") or []:
        slot, value_a, article_a, value_b, article_b = list(conflict)[:5]
        parts.append(f"{slot}: {value_a} ({article_a}) vs {value_b} ({article_b})")
    speakers = [s for s in (comparison.get("speakers") or {}) if s]
    if len(speakers) > 1:
        parts.append("speakers: " + ", ".join(speakers))
    return "; ".join(parts)


WRITERS = {"json": write_json, "csv": write_csv}
