"""Collecting the real-news texts: raw search results → one text file per article + manifest rows.

Used by ``benchmarks/realnews/collect.py`` when the texts are collected again on a new machine
(see ``benchmarks/realnews/README.md``); the benchmarks only read what it wrote.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from claims.evaluation.realnews import sha256_text, texts_dir

_RAW_HEADER = re.compile(r"^@@@ (?P<article>\S+) \| (?P<outlet>[^|]+?) \| (?P<url>\S+)\s*$")
_DATE_TOKEN = re.compile(r"^date (?P<date>\d{4}-\d{2}(?:-\d{2})?)\s")


def parse_raw(raw: str) -> list[dict]:
    """Parse a raw file of search results into article records.

    The raw format is one block per article: a header line
    ``@@@ <article id> | <outlet> | <url>`` then the page text exactly as the search tool
    returned it, up to the next header. The text kept is the block with leading and trailing
    white space removed, plus one final newline; a leading ``date YYYY-MM`` token (the
    search tool's) stays in the text (the splitter skips it) and is also copied to ``date``.

    Args:
        raw: Content of the raw file.

    Returns:
        Dicts with ``article``, ``outlet``, ``url``, ``text`` and ``date`` (None when the text
        carries no date token).
    """
    records: list[dict] = []
    current: Optional[dict] = None
    lines: list[str] = []

    def close() -> None:
        if current is not None:
            text = "\n".join(lines).strip() + "\n"
            match = _DATE_TOKEN.match(text)
            records.append({**current, "text": text,
                            "date": match.group("date") if match else None})

    for line in raw.split("\n"):
        header = _RAW_HEADER.match(line)
        if header:
            close()
            current = {k: v.strip() for k, v in header.groupdict().items()}
            lines = []
        elif current is not None:
            lines.append(line)
        elif line.strip():
            raise ValueError(f"text before the first '@@@' header: {line[:40]!r}")
    close()
    return records


def ingest_raw(raw_path: str | Path, event: str, root: str | Path | None = None) -> list[dict]:
    """Write the articles of one raw file to ``<root>/<event>/<article>.txt``.

    Args:
        raw_path: A raw file (format of :func:`parse_raw`).
        event: Event id; the folder name.
        root: Texts folder (default :func:`texts_dir`).

    Returns:
        Manifest rows (without the event's domain): event, article, url, outlet, date,
        sha256, words.
    """
    folder = texts_dir(root) / event
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for rec in parse_raw(Path(raw_path).read_text(encoding="utf-8")):
        (folder / f"{rec['article']}.txt").write_text(rec["text"], encoding="utf-8")
        rows.append({"event": event, "article": rec["article"], "url": rec["url"],
                     "outlet": rec["outlet"], "date": rec["date"],
                     "sha256": sha256_text(rec["text"]), "words": len(rec["text"].split())})
    return rows
