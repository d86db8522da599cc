"""Rendering an :class:`~claims.analysis.Analysis`: one renderer per format.

Example::

    from claims import analyze
    from claims.output import render
    print(render(analyze(["seeds/"]), "jsonl"))
"""

from __future__ import annotations

from typing import Optional, Sequence

from claims.analysis import Analysis
from claims.output.formats import to_csv, to_json, to_jsonl
from claims.output.records import SENTENCE_FIELDS, document, group_records, sentence_records
from claims.output.tables import groups_table
from claims.records import ClaimGroup

RENDERERS = {"table": groups_table, "json": to_json, "jsonl": to_jsonl, "csv": to_csv}
FORMATS = tuple(RENDERERS)


def render(analysis: Analysis, format: str = "table", groups: Optional[Sequence[ClaimGroup]] = None, *,
           explain: bool = False) -> str:
    """The analysis (its ``groups``, default all) in ``format``: table, json, jsonl or csv.

    JSON Lines always lists every sentence of the corpus: it is the per-sentence contract.
    ``explain`` adds to the table why each mention is in its group (JSON always has it).
    """
    try:
        renderer = RENDERERS[format]
    except KeyError:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {format!r}") from None
    if format == "table":
        return groups_table(analysis, groups, explain=explain)
    return renderer(analysis, groups)


__all__ = ["FORMATS", "RENDERERS", "SENTENCE_FIELDS", "document", "group_records", "render",
           "sentence_records"]
