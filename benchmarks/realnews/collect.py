"""Turn raw search results into the real-news texts and (re)write the manifest.

Usage, from the repository root::

    python -m benchmarks.realnews.collect            # ingest every raw file, write manifest
    python -m benchmarks.realnews.collect --check    # ingest to the texts folder, compare
                                                     # with the committed manifest only

Raw files are ``<texts dir>/_raw/<event>-<slug>.txt`` (format: ``claims.evaluation.realnews
_collect.parse_raw``). The texts go to ``<texts dir>/<event>/<article>.txt``; the texts dir is
``$CLAIMS_REALNEWS_DIR`` or ``~/claims-realnews``. Nothing of the texts is written in git.
"""

from __future__ import annotations

import argparse
import json
import sys

from claims.evaluation.realnews import MANIFEST_NAME, REPO_DIR, texts_dir
from claims.evaluation.realnews_collect import ingest_raw


def main(argv: list[str] | None = None) -> int:
    """Ingest the raw files; write the manifest, or with ``--check`` compare with it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write the manifest; report articles whose sha256 differs")
    args = parser.parse_args(argv)
    events = json.loads((REPO_DIR / "events.json").read_text(encoding="utf-8"))
    raw_dir = texts_dir() / "_raw"
    rows = []
    for event, meta in sorted(events.items()):
        raw = raw_dir / f"{event}-{meta['slug']}.txt"
        if not raw.is_file():
            print(f"{event}: no raw file {raw}", file=sys.stderr)
            continue
        for row in ingest_raw(raw, event):
            date_source = "token" if row["date"] else "event"
            rows.append({**row, "date": row["date"] or meta["date"], "date_source": date_source,
                         "domain": meta["domain"]})
    path = REPO_DIR / MANIFEST_NAME
    if args.check:
        committed = {r["article"]: r for r in
                     (json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x)}
        bad = [r["article"] for r in rows if committed.get(r["article"], {}).get("sha256")
               != r["sha256"]]
        missing = sorted(set(committed) - {r["article"] for r in rows})
        print(f"{len(rows)} texts ingested; {len(bad)} differ from the manifest {bad}; "
              f"{len(missing)} missing {missing}")
        return 1 if bad or missing else 0
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    print(f"{len(rows)} articles in {len({r['event'] for r in rows})} events -> {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
