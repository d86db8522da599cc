"""The hand-annotated gold of the demo corpus (``benchmarks/gold/*.jsonl``), read and aligned.

Three files, each with its rules beside it in ``benchmarks/gold/``:

* ``claims.jsonl`` (``CLAIM_RULES.md``): the claim each sentence states;
  :func:`read_gold` reads it, :func:`align_gold` matches it to a list of sentences;
* ``stance.jsonl`` (``STANCE_RULES.md``): claim groups with each mention's stance;
  :func:`read_stance_gold` reads it, :func:`gold_groups` builds the groups on ``seeds/``;
* ``attribution.jsonl`` (``ATTRIBUTION_RULES.md``): speaker, cue and quote per sentence;
  :func:`read_attribution_gold`.

The gold lives in the repository, not in the installed package.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple, Optional, Sequence

from claims.evaluation.data import REPO
from claims.evaluation.metrics import Pair, with_singletons
from claims.records import Attribution, ClaimGroup, Mention

GOLD_DIR = REPO / "benchmarks" / "gold"
CLAIMS_GOLD = GOLD_DIR / "claims.jsonl"
STANCE_GOLD = GOLD_DIR / "stance.jsonl"
ATTRIBUTION_GOLD = GOLD_DIR / "attribution.jsonl"
SEEDS = REPO / "seeds"


# -- claims ------------------------------------------------------------------------------------
class GoldRow(NamedTuple):
    article: str
    text: str
    claim: str
    also: tuple[str, ...]
    note: str


class Gold(NamedTuple):
    """The gold aligned to a list of sentences.

    ``labels`` is the partition scored (shared main claims; every other sentence alone),
    ``claims`` every claim each sentence states (main and ``also``), ``ignore`` the pairs
    that share a claim without being required, ``shared`` the shared claim ids.
    """

    labels: list
    claims: list[frozenset]
    main: list[Optional[str]]
    ignore: set[Pair]
    shared: list[str]
    unmatched: list[GoldRow]


def read_gold(path: Path = CLAIMS_GOLD) -> list[GoldRow]:
    """The rows of a claim gold JSONL file."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            d = json.loads(line)
            try:
                rows.append(GoldRow(d["article"], d["text"], d["claim"], tuple(d.get("also", ())),
                                    d.get("note", "")))
            except KeyError as missing:
                raise ValueError(f"{path}:{n}: missing field {missing}") from None
    return rows


def align_gold(sentences: Sequence, rows: Sequence[GoldRow]) -> Gold:
    """Match gold rows to sentences (``.article``, ``.text``): exact text, else containment.

    A row matches every sentence of its article with the same text; failing that, the one
    sentence of the article containing its text. Rows that match nothing, or several
    sentences by containment, are returned in ``unmatched``.
    """
    by_article: dict[str, list[int]] = {}
    for i, s in enumerate(sentences):
        by_article.setdefault(s.article, []).append(i)
    main: list[Optional[str]] = [None] * len(sentences)
    claims = [set() for _ in sentences]
    unmatched = []
    for row in rows:
        pool = by_article.get(row.article, [])
        hits = [i for i in pool if sentences[i].text == row.text]
        if not hits:
            containing = [i for i in pool if row.text in sentences[i].text]
            hits = containing if len(containing) == 1 else []
        if not hits:
            unmatched.append(row)
            continue
        for i in hits:
            main[i] = main[i] or row.claim
            claims[i].update((row.claim, *row.also))
    spans: dict[str, set] = {}
    for i, claim in enumerate(main):
        if claim:
            spans.setdefault(claim, set()).add(sentences[i].article)
    shared = sorted(c for c, arts in spans.items() if len(arts) >= 2)
    labels = with_singletons([c if c in shared else None for c in main])
    claim_sets = [frozenset(c) for c in claims]
    tagged = [i for i, c in enumerate(claim_sets) if c]
    ignore = {(i, j) for a, i in enumerate(tagged) for j in tagged[a + 1:]
              if claim_sets[i] & claim_sets[j] and labels[i] != labels[j]}
    return Gold(labels, claim_sets, main, ignore, shared, unmatched)


# -- stance ------------------------------------------------------------------------------------
def read_stance_gold(path: Path = STANCE_GOLD) -> list[dict]:
    """The demo-corpus stance gold: one dict per group (format in ``gold/STANCE_RULES.md``)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def gold_groups(gold: Sequence[dict], attributions: str = "gold") -> tuple[list[ClaimGroup], list[str], dict]:
    """Claim groups of the demo corpus built from the gold, their gold labels, and articles.

    Args:
        gold: rows of :func:`read_stance_gold`.
        attributions: "gold" (as annotated) or "predicted" (:func:`claims.attribution.attribute`).
    """
    from claims.ingest.corpus import load_articles
    from claims.ingest.sentences import split_sentences

    articles = {a.id: a for a in load_articles([SEEDS]).articles}
    sentences = {aid: list(split_sentences(a)) for aid, a in articles.items()}
    predicted = {}
    if attributions == "predicted":
        from claims.attribution import attribute

        predicted = {aid: attribute(articles[aid], sentences[aid]) for aid in articles}
    groups, labels = [], []
    for row in gold:
        mentions = []
        for m in row["mentions"]:
            sentence = sentences[m["article"]][m["index"]]
            if sentence.text != m["text"]:
                raise ValueError(f"gold {row['group']}: sentence {m['article']}#{m['index']} changed")
            if attributions == "gold":
                att = Attribution(m["speaker"], m["cue"], m["quote"])
            else:
                att = predicted[m["article"]][m["index"]]
            mentions.append(Mention(sentence, 1.0, att))
            labels.append(m["stance"])
        groups.append(ClaimGroup(row["group"], tuple(mentions)))
    return groups, labels, articles


# -- attribution -------------------------------------------------------------------------------
ATTRIBUTION_FIELDS = ("article", "sentence", "speaker", "cue", "quote", "quoted")


def read_attribution_gold(path: Path = ATTRIBUTION_GOLD) -> list[dict]:
    """The rows of an attribution gold JSONL file (fields in ``gold/ATTRIBUTION_RULES.md``)."""
    rows = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            missing = set(ATTRIBUTION_FIELDS) - set(row)
            if missing:
                raise ValueError(f"{path}:{lineno}: missing {sorted(missing)}")
            rows.append(row)
    return rows
