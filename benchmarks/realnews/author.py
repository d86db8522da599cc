"""Annotator's helper: show an event's sentences, build its annotation file from a compact form.

Usage, from the repository root::

    python -m benchmarks.realnews.author show e01        # numbered sentences (to the terminal)
    python -m benchmarks.realnews.author build e01 FILE  # compact form -> annotations/e01.json

The compact form (kept with the texts, outside git, e.g. ``~/claims-realnews/_ann/e01.txt``)
has one line per item; ``#`` starts a comment::

    claim <id> :: <short description in the annotator's words>
    mnm <id-a> <id-b> :: <why they differ>
    a1.3 <claim>[+<also>...] | <speaker> | <cue> | <d|i|n> | <f|a|n>
    a1.4 - | <speaker> | <cue> | <d|i|n>           # unique sentence
    a1.5 skip                                       # boilerplate
    a1.6 <claim>                                    # narration, stance neutral

``a1.3`` is article ``<event>-a1``, sentence 3 of ``split_sentences``. Empty or ``-`` fields
mean None; a missing quote is ``none``; a claim sentence without a stance gets ``neutral``.
The anchor (first six words) and offsets are filled from the text.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from claims.evaluation.realnews import (ANNOTATIONS_DIR_NAME, REPO_DIR, anchor_of,
                                        load_articles, read_manifest)
from claims.ingest.sentences import split_sentences

_QUOTE = {"d": "direct", "i": "indirect", "n": "none", "": "none"}
_STANCE = {"f": "favor", "a": "against", "n": "neutral"}


def _sentences(event: str) -> dict[str, list]:
    rows = [r for r in read_manifest() if r["event"] == event]
    return {a.id: list(split_sentences(a)) for a in load_articles(rows)}


def show(event: str) -> None:
    """Print the numbered sentences of an event."""
    for art, sents in _sentences(event).items():
        print(f"=== {art}")
        for s in sents:
            print(f"{art.split('-')[1]}.{s.index} {s.text}")


def build(event: str, compact: str) -> Path:
    """Build ``annotations/<event>.json`` from a compact annotation file."""
    sents = _sentences(event)
    claims: dict[str, str] = {}
    mnm: list[dict] = []
    rows: list[dict] = []
    errors: list[str] = []
    for lineno, raw in enumerate(Path(compact).read_text(encoding="utf-8").splitlines(), 1):
        line, _, note = raw.partition("#")
        line, note = line.strip(), note.strip() or None
        if not line:
            continue
        if line.startswith("claim "):
            cid, _, desc = line[6:].partition("::")
            claims[cid.strip()] = desc.strip()
            continue
        if line.startswith("mnm "):
            ids, _, why = line[4:].partition("::")
            a, b = ids.split()
            mnm.append({"a": a, "b": b, "why": why.strip()})
            continue
        fields = [f.strip() for f in line.split("|")]
        head = fields[0].split()
        loc, what = head[0], (head[1] if len(head) > 1 else "-")
        art_short, idx = loc.split(".")
        art, idx = f"{event}-{art_short}", int(idx)
        if art not in sents or idx >= len(sents[art]):
            errors.append(f"line {lineno}: no sentence {art}#{idx}")
            continue
        s = sents[art][idx]
        row: dict = {"article": art, "index": idx, "anchor": anchor_of(s.text),
                     "start": s.start, "end": s.end}
        if what == "skip":
            row["skip"] = True
        else:
            parts = what.split("+") if what != "-" else []
            claim = parts[0] if parts else None
            fields += [""] * (5 - len(fields))
            speaker, cue, quote, stance = (None if f in ("", "-") else f for f in fields[1:5])
            row.update(claim=claim, also=parts[1:], speaker=speaker, cue=cue,
                       quote=_QUOTE[quote or ""],
                       stance=_STANCE[stance] if stance else ("neutral" if claim else None))
            for c in parts:
                if c not in claims:
                    errors.append(f"line {lineno}: claim {c!r} not declared")
            if speaker and row["quote"] == "none" and cue:
                errors.append(f"line {lineno}: speaker with a cue but quote none")
        if note:
            row["note"] = note
        rows.append(row)
    seen = {(r["article"], r["index"]) for r in rows}
    for art, ss in sents.items():
        for s in ss:
            if (art, s.index) not in seen:
                errors.append(f"missing {art}#{s.index}: {anchor_of(s.text)}")
    used = {c for r in rows for c in ([r.get("claim")] + r.get("also", [])) if c}
    for c in sorted(set(claims) - used):
        errors.append(f"claim {c} declared but unused")
    if errors:
        raise SystemExit("\n".join(errors))
    out = REPO_DIR / ANNOTATIONS_DIR_NAME / f"{event}.json"
    body = ",\n  ".join(json.dumps(r, ensure_ascii=False) for r in rows)
    out.write_text(
        "{\n" f' "event": {json.dumps(event)},\n'
        f' "claims": {json.dumps(claims, ensure_ascii=False, indent=2)},\n'
        f' "must_not_merge": {json.dumps(mnm, ensure_ascii=False, indent=2)},\n'
        f' "sentences": [\n  {body}\n ]\n}}\n', encoding="utf-8")
    json.loads(out.read_text(encoding="utf-8"))
    arts = {}
    for r in rows:
        if r.get("claim"):
            arts.setdefault(r["claim"], set()).add(r["article"])
    shared = {c: len(a) for c, a in arts.items() if len(a) >= 2}
    print(f"{out}: {len(rows)} sentences, {len(claims)} claims, {len(shared)} shared "
          f"{shared}, {len(mnm)} must-not-merge")
    return out


if __name__ == "__main__":
    if sys.argv[1:2] == ["show"]:
        show(sys.argv[2])
    elif sys.argv[1:2] == ["build"]:
        build(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(__doc__)
