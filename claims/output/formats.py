"""The machine formats: JSON Lines (the contract), one JSON document, CSV of mentions.

Each writer takes the analysis (and the groups to show) and returns the text; text is
written exactly as it is in the articles (no escaping beyond the format's own).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Optional, Sequence

from claims.analysis import Analysis
from claims.output.records import document, group_records, sentence_records
from claims.records import ClaimGroup

MENTION_CSV_FIELDS = (
    "group", "article", "date", "source", "index", "sentence", "score", "speaker", "quote", "stance",
)


def to_jsonl(analysis: Analysis, groups: Optional[Sequence[ClaimGroup]] = None) -> str:
    """One JSON object per sentence of the corpus (every row: filters do not apply)."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in sentence_records(analysis))


def to_json(analysis: Analysis, groups: Optional[Sequence[ClaimGroup]] = None) -> str:
    """One document: settings, articles and the groups."""
    return json.dumps(document(analysis, groups), ensure_ascii=False, indent=2) + "\n"


def to_csv(analysis: Analysis, groups: Optional[Sequence[ClaimGroup]] = None) -> str:
    """One row per mention of a group."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MENTION_CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for group in group_records(analysis, groups):
        for m in group["mentions"]:
            writer.writerow({"group": group["id"], "article": m["article"], "date": m["date"],
                             "source": m["source"], "index": m["index"], "sentence": m["text"],
                             "score": m["score"], "speaker": m["speaker"], "quote": m["quote"],
                             "stance": m["stance"]})
    return out.getvalue()


__all__ = ["MENTION_CSV_FIELDS", "to_csv", "to_json", "to_jsonl"]
