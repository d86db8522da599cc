"""Records to database rows and back: settings, articles, attributions, mention links, facts.

Only plain values go into the database (text, numbers, JSON lists), never pickles, so a store
stays readable when the classes change shape.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Mapping, Optional, Sequence

from claims.matching.explain import Link
from claims.records import Article, Attribution
from claims.settings import GIVEN, Settings, Threshold

if TYPE_CHECKING:
    from claims.facts.versions import Fact

SETTING_FIELDS = ("model", "pair_score", "min_articles", "guards", "attribution", "stance")


def text_hash(text: str) -> str:
    """sha256 of an article's text: equal hashes mean nothing to re-ingest."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def settings_to_json(settings: Settings) -> str:
    """The settings a store was built with, as JSON."""
    if settings.pair_score is None:
        raise ValueError("a store needs a named pair score, not a custom pair scorer")
    t = settings.threshold
    return json.dumps({
        "model": settings.model.name, "pair_score": settings.pair_score.name,
        "threshold": None if t is None else {"value": t.value, "scale": t.scale, "source": t.source},
        "min_articles": settings.min_articles, "guards": settings.guards,
        "attribution": settings.attribution, "stance": settings.stance, "cache": settings.cache,
        "notes": list(settings.notes)})


def settings_from_json(text: str) -> Settings:
    """The :class:`Settings` a store was built with.

    Raises:
        ValueError: when the store's model or pair score is unknown to this installation.
    """
    from claims.matching.scores import pair_score
    from claims.models import model_entry

    data = json.loads(text)
    t = data["threshold"]
    return Settings(model_entry(data["model"]), pair_score(data["pair_score"]),
                    None if t is None else Threshold(float(t["value"]), t["scale"], t["source"]),
                    int(data["min_articles"]), bool(data["guards"]), bool(data["attribution"]),
                    bool(data["stance"]), bool(data.get("cache", True)), tuple(data.get("notes", ())))


def settings_differences(stored: Settings, wanted: Settings) -> list[str]:
    """What ``wanted`` changes in the settings a store was built with, one phrase each."""
    def value(s: Settings, name: str):
        item = getattr(s, name)
        return getattr(item, "name", item)

    changes = [f"{name} {value(stored, name)!r} -> {value(wanted, name)!r}" for name in SETTING_FIELDS
               if value(stored, name) != value(wanted, name)]
    t_old, t_new = stored.threshold, wanted.threshold
    if t_new is not None and t_new.source == GIVEN and (t_old is None or abs(t_old.value - t_new.value) > 1e-9):
        changes.append(f"threshold {t_old.value if t_old else None} -> {t_new.value}")
    return changes


def article_from_row(row: Mapping) -> Article:
    """An :class:`Article` from its ``articles`` row."""
    return Article(id=row["id"], text=row["text"], title=row["title"], date=row["date"],
                   source=row["source"], url=row["url"], path=row["path"])


def attribution_values(who: Attribution) -> tuple:
    """The columns of an ``attributions`` row (after the sentence id)."""
    span = who.quote_span or (None, None)
    return who.speaker, who.cue, who.quote, span[0], span[1]


def attribution_from_row(row: Mapping) -> Attribution:
    """An :class:`Attribution` from its ``attributions`` row."""
    span = None if row["quote_start"] is None else (row["quote_start"], row["quote_end"])
    return Attribution(row["speaker"], row["cue"], row["quote"], span)


def link_to_json(link: Optional[Link], sentence_id_of_row: Mapping[int, int]) -> Optional[str]:
    """A mention's :class:`Link` as JSON, its partner named by sentence id."""
    if link is None:
        return None
    data = link._asdict()
    data["partner"] = None if link.partner is None else sentence_id_of_row[link.partner]
    for name in ("shared_words", "shared_entities", "shared_figures"):
        data[name] = list(data[name])
    return json.dumps(data, ensure_ascii=False)


def link_from_json(text: Optional[str], row_of_sentence_id: Mapping[int, int]) -> Optional[Link]:
    """A :class:`Link` from JSON; a partner outside the loaded rows becomes None."""
    if text is None:
        return None
    data = json.loads(text)
    data["partner"] = row_of_sentence_id.get(data["partner"])
    for name in ("shared_words", "shared_entities", "shared_figures"):
        data[name] = tuple(data[name])
    return Link(**data)


def fact_rows(facts: Sequence[Fact], sentence_id_of_row: Mapping[int, int]) -> list[tuple]:
    """The ``facts`` table rows of ``facts``: one per mention of each version, in order.

    Columns after the row id: claim id (stance and speaker facts), sentence id, fact id, the
    version's label and unit, then JSON of the rest (the fact's question and differences,
    which version, the mention's outlet, date, speaker, stance and figure).
    """
    rows = []
    for fact in facts:
        about = {"what": fact.what, "kind": fact.kind, "contested": fact.contested, "first": fact.first,
                 "differences": [list(d) for d in fact.differences]}
        for index, version in enumerate(fact.versions):
            for mention in version.mentions:
                data = {**about, "version": index, "number": version.value, "qualifier": version.qualifier,
                        "first_date": version.first_date, "mention": mention._replace(row=None)._asdict()}
                rows.append((fact.group, sentence_id_of_row[mention.row], fact.id, version.label, version.unit,
                             json.dumps(data, ensure_ascii=False)))
    return rows


def facts_from_rows(rows: Sequence[Mapping], row_of_sentence_id: Mapping[int, int]) -> tuple[Fact, ...]:
    """The facts written by :func:`fact_rows`, their mentions' rows those of the loaded table."""
    from claims.facts.versions import Difference, Fact, FactMention, Version

    facts: dict[str, dict] = {}
    for row in rows:
        data = json.loads(row["data"])
        fact = facts.setdefault(row["slot"], {"data": data, "group": row["claim_id"], "versions": {}})
        version = fact["versions"].setdefault(data["version"], {"label": row["value"], "unit": row["unit"],
                                                                "data": data, "mentions": []})
        mention = dict(data["mention"], row=row_of_sentence_id[row["sentence_id"]])
        version["mentions"].append(FactMention(**mention))
    out = []
    for fact_id, fact in facts.items():
        data = fact["data"]
        versions = tuple(Version(v["data"]["number"], v["unit"], v["data"]["qualifier"], v["label"],
                                 tuple(v["mentions"]), v["data"]["first_date"])
                         for _, v in sorted(fact["versions"].items()))
        out.append(Fact(fact_id, data["what"], data["kind"], data["contested"], versions, data["first"],
                        tuple(Difference(*d) for d in data["differences"]), fact["group"]))
    return tuple(out)


__all__ = ["article_from_row", "attribution_from_row", "attribution_values", "fact_rows", "facts_from_rows", "link_from_json", "link_to_json",
           "settings_differences", "settings_from_json", "settings_to_json", "text_hash"]
