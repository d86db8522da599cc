"""Load the real-news development set: texts kept outside git, annotations in git.

The articles belong to their publishers, so the repository holds only what was written about
them (``benchmarks/realnews/``): a manifest (per article its event, id, URL, outlet, date and
the sha256 of the exact text annotated) and per event an annotation file whose sentences are
located by their index in :func:`claims.ingest.sentences.split_sentences` plus a short anchor (the
first words). The texts themselves live in ``$CLAIMS_REALNEWS_DIR`` (default
``~/claims-realnews``), one folder per event and one ``<article>.txt`` per article.

:func:`load_gold` checks every text against its sha256, re-splits it, checks every anchor
against its indexed sentence and returns a :class:`RealNewsGold`. When texts are missing or
differ it raises :class:`RealNewsUnavailable`, whose message says what to do, so benchmarks
can print it and skip.

Raw search results are turned into text files by :func:`claims.evaluation.realnews_collect.ingest_raw` (see
``benchmarks/realnews/README.md`` for the raw format and how to re-collect).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence

from claims.ingest.corpus import make_article
from claims.records import Article, Sentence
from claims.ingest.sentences import split_sentences

ENV_VAR = "CLAIMS_REALNEWS_DIR"
DEFAULT_TEXTS_DIR = Path("~/claims-realnews")
REPO_DIR = Path(__file__).resolve().parents[2] / "benchmarks" / "realnews"
MANIFEST_NAME = "manifest.jsonl"
ANNOTATIONS_DIR_NAME = "annotations"
SPLIT_NAME = "split.json"
QUOTES = ("direct", "indirect", "none")
STANCES = ("favor", "against", "neutral")
ANCHOR_WORDS = 6


Locator = tuple[str, int]  # (article id, sentence index)


class RealNewsUnavailable(Exception):
    """The texts are missing or differ from the annotated ones; the message says what to do."""


@dataclass(frozen=True)
class SentenceGold:
    """Gold for one sentence of one article.

    Attributes:
        article: Article id (``e01-a3``).
        index: Position in ``split_sentences`` of the article.
        anchor: First words of the sentence, as annotated.
        skip: Boilerplate (credits, tweets, navigation): not a claim, not scored.
        claim: Main claim id, or None for a unique sentence.
        also: Other claims the sentence states too (pairing with them is allowed).
        speaker: Canonical speaker, or None for narration.
        cue: Reporting verb or marker as written, or None.
        quote: ``direct``, ``indirect`` or ``none``.
        stance: Stance toward ``claim`` (``favor``/``against``/``neutral``) or None.
        note: Why a reading was chosen, when not obvious.
    """

    article: str
    index: int
    anchor: str
    skip: bool = False
    claim: Optional[str] = None
    also: tuple[str, ...] = ()
    speaker: Optional[str] = None
    cue: Optional[str] = None
    quote: str = "none"
    stance: Optional[str] = None
    note: Optional[str] = None


@dataclass
class RealNewsGold:
    """Gold of the loaded events.

    Attributes:
        events: Event ids loaded, in order.
        articles: The articles (texts read from disk), in manifest order.
        sentences: ``split_sentences`` of each article, by article id.
        gold: Per-sentence gold, by (article, index).
        claims: Claim id -> short description (annotator's words), over all loaded events.
            Claim ids are qualified by their event (``e01/toll-turkey-284``): the files use
            bare ids, unique within one event only.
        groups: Shared claims (main-claim sentences in at least two articles) -> locators.
        contrast: Claims stated in one article only -> locators (unique for pair scores).
        must_not_merge: Pairs of claim ids that look alike but differ, with the reason.
        event_of: Article id -> event id.
        realigned: What ``load_gold(realign=True)`` moved (empty otherwise).
    """

    events: list[str]
    articles: list[Article]
    sentences: dict[str, list[Sentence]]
    gold: dict[Locator, SentenceGold]
    claims: dict[str, str]
    groups: dict[str, list[Locator]]
    contrast: dict[str, list[Locator]]
    must_not_merge: list[tuple[str, str, str]]
    event_of: dict[str, str] = field(default_factory=dict)
    realigned: list[str] = field(default_factory=list)

    def speakers(self) -> dict[Locator, tuple[Optional[str], Optional[str], str]]:
        """Return (speaker, cue, quote) of every annotated, non-skipped sentence."""
        return {loc: (g.speaker, g.cue, g.quote) for loc, g in self.gold.items() if not g.skip}

    def stances(self) -> dict[Locator, str]:
        """Return the stance of every mention of a shared claim."""
        return {loc: self.gold[loc].stance for locs in self.groups.values() for loc in locs
                if self.gold[loc].stance is not None}

    def scored(self) -> list[Locator]:
        """Return the locators of sentences that count (not ``skip``), in corpus order."""
        order = {a.id: i for i, a in enumerate(self.articles)}
        return sorted((loc for loc, g in self.gold.items() if not g.skip),
                      key=lambda loc: (order[loc[0]], loc[1]))

    def claim_sets(self) -> dict[Locator, frozenset[str]]:
        """Return every claim (main and ``also``) of each scored sentence with a claim.

        A pair of sentences sharing a claim here but no shared main claim is allowed, not
        required: pair scores ignore it (``benchmarks/gold/CLAIM_RULES.md``).
        """
        return {loc: frozenset((g.claim,) + g.also) for loc, g in self.gold.items()
                if g.claim and not g.skip}

    def must_not_merge_pairs(self) -> list[tuple[Locator, Locator]]:
        """Expand the must-not-merge claim pairs into sentence pairs (main claims only)."""
        by_claim: dict[str, list[Locator]] = {}
        for loc, g in self.gold.items():
            if g.claim and not g.skip:
                by_claim.setdefault(g.claim, []).append(loc)
        return [(x, y) for a, b, _ in self.must_not_merge
                for x in by_claim.get(a, []) for y in by_claim.get(b, [])]


def texts_dir(root: str | Path | None = None) -> Path:
    """Return the folder holding the texts: ``root``, else ``$CLAIMS_REALNEWS_DIR``, else
    ``~/claims-realnews``."""
    if root is not None:
        return Path(root).expanduser()
    return Path(os.environ.get(ENV_VAR) or DEFAULT_TEXTS_DIR).expanduser()


def sha256_text(text: str) -> str:
    """Return the hex sha256 of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def anchor_of(text: str, words: int = ANCHOR_WORDS) -> str:
    """Return the first ``words`` whitespace-separated words of a sentence."""
    return " ".join(text.split()[:words])


# --- reading the committed files ----------------------------------------------------------

def read_manifest(path: str | Path | None = None) -> list[dict]:
    """Read the manifest (one JSON object per line, one line per article)."""
    path = Path(path) if path is not None else REPO_DIR / MANIFEST_NAME
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def read_split(path: str | Path | None = None) -> dict:
    """Read ``split.json``: ``{"heldout": [...], "tuning": [...], "seed": ..., ...}``."""
    path = Path(path) if path is not None else REPO_DIR / SPLIT_NAME
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_annotation(path: str | Path) -> dict:
    """Read one event's annotation file (JSON, format in ``benchmarks/realnews/RULES.md``)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def annotated_events(annotations_dir: str | Path | None = None) -> list[str]:
    """Return the ids of the events that have an annotation file, sorted."""
    folder = Path(annotations_dir) if annotations_dir is not None else (
        REPO_DIR / ANNOTATIONS_DIR_NAME)
    return sorted(p.stem for p in folder.glob("*.json"))


def load_articles(manifest: Sequence[dict], root: str | Path | None = None) -> list[Article]:
    """Read the texts of the manifest rows and check their sha256.

    Raises:
        RealNewsUnavailable: a text is missing or its sha256 differs from the manifest's.
    """
    base = texts_dir(root)
    missing, changed, articles = [], [], []
    for row in manifest:
        path = base / row["event"] / f"{row['article']}.txt"
        if not path.is_file():
            missing.append(str(path))
            continue
        text = path.read_text(encoding="utf-8")
        if sha256_text(text) != row["sha256"]:
            changed.append(str(path))
            continue
        articles.append(make_article(row["article"], text, date=row.get("date"),
                                     url=row.get("url"), source=None, path=str(path)))
    if missing or changed:
        parts = []
        if missing:
            parts.append(f"{len(missing)} text(s) missing (first: {missing[0]})")
        if changed:
            parts.append(f"{len(changed)} text(s) differ from the annotated ones "
                         f"(sha256 mismatch, first: {changed[0]})")
        raise RealNewsUnavailable(
            f"real-news texts not usable in {base}: " + "; ".join(parts) + ". The texts are "
            f"not in git: re-collect them as described in benchmarks/realnews/README.md "
            f"(or point ${ENV_VAR} at a copy).")
    return articles


def load_gold(events: Optional[Iterable[str]] = None, *, root: str | Path | None = None,
              repo_dir: str | Path | None = None, check_anchors: bool = True,
              realign: bool = False) -> RealNewsGold:
    """Load texts and annotations of some events and check that they agree.

    Args:
        events: Event ids (default: every annotated event).
        root: Texts folder (default :func:`texts_dir`).
        repo_dir: Folder holding ``manifest.jsonl`` and ``annotations/`` (default
            ``benchmarks/realnews`` of this checkout).
        check_anchors: Check that each anchor starts its indexed sentence.
        realign: When the splitter has changed, place each annotated row on the sentence
            that now holds its ``start`` offset (the anchor must still stand there in the
            text); a new sentence holding no row's start gets a default row (unique,
            narration); a sentence holding several rows keeps the first. What moved is
            listed in ``RealNewsGold.realigned``. Off by default: figures are reported on
            the annotated split.

    Returns:
        The gold of those events.

    Raises:
        RealNewsUnavailable: texts missing or different (sha256), with what to do.
        ValueError: annotations inconsistent with the texts (an anchor does not match, a
            sentence is not annotated, an unknown quote or stance value).
    """
    repo = Path(repo_dir) if repo_dir is not None else REPO_DIR
    ann_dir = repo / ANNOTATIONS_DIR_NAME
    wanted = list(events) if events is not None else annotated_events(ann_dir)
    manifest = [r for r in read_manifest(repo / MANIFEST_NAME) if r["event"] in wanted]
    unknown = set(wanted) - {r["event"] for r in manifest}
    if unknown:
        raise ValueError(f"events not in the manifest: {sorted(unknown)}")
    articles = load_articles(manifest, root)
    sentences = {a.id: list(split_sentences(a)) for a in articles}
    event_of = {r["article"]: r["event"] for r in manifest}
    result = RealNewsGold(events=wanted, articles=articles, sentences=sentences, gold={},
                          claims={}, groups={}, contrast={}, must_not_merge=[],
                          event_of=event_of)
    problems: list[str] = []
    for event in wanted:
        path = ann_dir / f"{event}.json"
        if not path.is_file():
            raise ValueError(f"no annotation file for event {event}: {path}")
        ann = read_annotation(path)
        result.claims.update({f"{event}/{c}": d for c, d in ann.get("claims", {}).items()})
        for pair in ann.get("must_not_merge", []):
            result.must_not_merge.append((f"{event}/{pair['a']}", f"{event}/{pair['b']}",
                                          pair.get("why", "")))
        seen: set[Locator] = set()
        for row in ann["sentences"]:
            g = _sentence_gold(row, event)
            if realign and g.article in sentences:
                g = _realign(g, row, sentences[g.article], result.realigned)
            loc = (g.article, g.index)
            sents = sentences.get(g.article)
            if sents is None:
                problems.append(f"{event}: article {g.article} not in the manifest")
                continue
            if g.index >= len(sents):
                problems.append(f"{g.article}#{g.index}: the splitter gives only "
                                f"{len(sents)} sentences")
                continue
            if check_anchors and not _anchor_matches(g.anchor, sents[g.index].text):
                problems.append(f"{g.article}#{g.index}: anchor {g.anchor!r} does not start "
                                f"the sentence {anchor_of(sents[g.index].text)!r}")
            if loc in seen and realign:
                result.realigned.append(f"{g.article}#{g.index}: second row dropped")
                continue
            if loc in seen:
                problems.append(f"{g.article}#{g.index}: annotated twice")
            seen.add(loc)
            result.gold[loc] = g
        for art in (r["article"] for r in manifest if r["event"] == event):
            for s in sentences.get(art, []):
                if (art, s.index) not in seen and realign:
                    result.gold[(art, s.index)] = SentenceGold(
                        art, s.index, anchor_of(s.text), note="unannotated after realignment")
                    result.realigned.append(f"{art}#{s.index}: new sentence, default row")
                    seen.add((art, s.index))
                elif (art, s.index) not in seen:
                    problems.append(f"{art}#{s.index}: not annotated "
                                    f"({anchor_of(s.text)!r})")
    for a, b, _ in result.must_not_merge:
        for c in (a, b):
            if c not in result.claims:
                problems.append(f"must-not-merge claim {c!r} not described")
    if problems:
        raise ValueError("real-news annotations disagree with the texts or the splitter:\n  "
                         + "\n  ".join(problems[:30])
                         + (f"\n  ... and {len(problems) - 30} more" if len(problems) > 30
                            else ""))
    by_claim: dict[str, list[Locator]] = {}
    for loc, g in result.gold.items():
        if g.claim and not g.skip:
            by_claim.setdefault(g.claim, []).append(loc)
    order = {r["article"]: i for i, r in enumerate(manifest)}
    for claim, locs in by_claim.items():
        target = result.groups if len({a for a, _ in locs}) >= 2 else result.contrast
        target[claim] = sorted(locs, key=lambda loc: (order[loc[0]], loc[1]))
    return result


def try_load_gold(events: Optional[Iterable[str]] = None, **kwargs) -> tuple[
        Optional[RealNewsGold], Optional[str]]:
    """Like :func:`load_gold`, but return ``(None, message)`` instead of raising
    :class:`RealNewsUnavailable`, for benchmarks that skip when the texts are absent."""
    try:
        return load_gold(events, **kwargs), None
    except RealNewsUnavailable as exc:
        return None, str(exc)


def _realign(g: SentenceGold, row: dict, sents: list[Sentence],
             log: list[str]) -> SentenceGold:
    """Move a row to the sentence now holding its start offset (see ``load_gold``)."""
    start = row.get("start")
    if start is None:
        return g
    for s in sents:
        if s.start <= start < max(s.end, s.start + 1):
            if s.index == g.index and _anchor_matches(g.anchor, s.text):
                return g
            text = s.text[start - s.start:]
            if not _anchor_matches(g.anchor, text):
                return g  # let the anchor check report it
            log.append(f"{g.article}#{s.index} <- #{g.index}")
            return SentenceGold(**{**g.__dict__, "index": s.index,
                                   "anchor": anchor_of(s.text)})
    return g


def _anchor_matches(anchor: str, sentence: str) -> bool:
    return " ".join(sentence.split()).startswith(" ".join(anchor.split()))


def _sentence_gold(row: dict, event: str) -> SentenceGold:
    quote = row.get("quote") or "none"
    stance = row.get("stance")
    if quote not in QUOTES:
        raise ValueError(f"{row.get('article')}#{row.get('index')}: quote {quote!r}")
    if stance is not None and stance not in STANCES:
        raise ValueError(f"{row.get('article')}#{row.get('index')}: stance {stance!r}")
    claim = row.get("claim")
    return SentenceGold(article=row["article"], index=int(row["index"]), anchor=row["anchor"],
                        skip=bool(row.get("skip", False)),
                        claim=f"{event}/{claim}" if claim else None,
                        also=tuple(f"{event}/{c}" for c in row.get("also") or ()),
                        speaker=row.get("speaker"),
                        cue=row.get("cue"), quote=quote, stance=stance, note=row.get("note"))
