"""The disputed facts of ``claims disputes``: a table for people, JSON and CSV for tools.

Facts come most contested first (:func:`claims.facts.most_contested`). JSON is a list of
:func:`claims.facts.fact_as_dict` records; CSV has one row per mention of a version.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Sequence

from claims.facts import Fact, fact_as_dict
from claims.output.tables import _render, _table, plain

DISPUTE_CSV_FIELDS = ("fact", "kind", "what", "contested", "version", "value", "unit", "qualifier", "first",
                      "article", "source", "date", "time", "speaker", "stance", "figure", "row", "sentence")


def disputes_json(facts: Sequence[Fact]) -> str:
    """A JSON list of the facts (named fields everywhere)."""
    return json.dumps([fact_as_dict(f) for f in facts], ensure_ascii=False, indent=2) + "\n"


def disputes_csv(facts: Sequence[Fact]) -> str:
    """One row per mention of each version of each fact."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=DISPUTE_CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for fact in facts:
        for n, version in enumerate(fact.versions):
            for m in version.mentions:
                writer.writerow({"fact": fact.id, "kind": fact.kind, "what": fact.what, "contested": fact.contested,
                                 "version": version.label, "value": version.value, "unit": version.unit,
                                 "qualifier": version.qualifier, "first": n == fact.first, "article": m.article,
                                 "source": m.source, "date": m.date, "time": m.time, "speaker": m.speaker,
                                 "stance": m.stance, "figure": m.figure, "row": m.row, "sentence": m.text})
    return out.getvalue()


def _story(fact: Fact) -> str:
    """How the versions differ, in words: "update (3), disagreement (1)"."""
    counts: dict[str, int] = {}
    for d in fact.differences:
        counts[d.kind] = counts.get(d.kind, 0) + 1
    return ", ".join(f"{k} ({n})" for k, n in counts.items())


def disputes_table(facts: Sequence[Fact], n_facts: int) -> str:
    """One block per fact: its versions in order of first mention, who gives each, and where."""
    title = f"{len(facts)} disputed facts (of {n_facts} facts with several mentions), most contested first"
    table = _table(title, [("fact", "bold"), ("version", "cyan"), ("articles · speakers · stance", ""),
                           ("first sentence", "")])
    for fact in facts:
        for n, version in enumerate(fact.versions):
            who = "\n".join(
                " · ".join(x for x in (m.article, m.source, m.date, m.time, m.speaker, m.stance) if x)
                for m in version.mentions)
            head = plain(f"{fact.id} {fact.kind}\n{fact.what}\n{_story(fact)}") if n == 0 else plain("")
            label = plain(version.label + ("  (first)" if n == fact.first else ""))
            table.add_row(head, label, plain(who), plain(version.mentions[0].text))
    return _render(table)


__all__ = ["DISPUTE_CSV_FIELDS", "disputes_csv", "disputes_json", "disputes_table"]
