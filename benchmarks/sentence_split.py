"""Compare the rule-based sentence splitter with spaCy's parser-based sentences on the seeds.

Run from the repository root: ``python -m benchmarks.sentence_split [folder]``. Prints, per
article, the number of sentences of each splitter, the time taken and the sentences on which
they differ; writes benchmarks/results/sentence_split.json.
"""

from __future__ import annotations

from benchmarks.machine import machine
import json
import re
import sys
import time
from pathlib import Path

from claims.french.nlp import SPACY_MODEL, french_nlp
from claims.ingest.corpus import load_articles
from claims.ingest.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "sentence_split.json"


def main(folder: str = str(ROOT / "seeds")) -> dict:
    import spacy  # only for its version number

    articles, problems = load_articles([folder])
    for problem in problems:
        print(f"{problem.path}: {problem.reason}", file=sys.stderr)
    start = time.perf_counter()
    nlp = french_nlp()
    spacy_load_s = time.perf_counter() - start

    rows = []
    for article in articles:
        start = time.perf_counter()
        ours = [s.text for s in split_sentences(article)]
        ours_s = time.perf_counter() - start
        start = time.perf_counter()
        theirs = _spacy_sentences(nlp, [article.text])
        spacy_s = time.perf_counter() - start
        # Fairer variant: spaCy on each blank-line paragraph, so it cannot merge across them.
        by_paragraph = _spacy_sentences(nlp, re.split(r"\n\s*\n", article.text))
        rows.append({"article": article.id, "rules": len(ours), "spacy": len(theirs),
                     "spacy_paragraphs": len(by_paragraph),
                     "rules_ms": round(ours_s * 1000, 2), "spacy_ms": round(spacy_s * 1000, 1),
                     "same": sum(s in theirs for s in ours),
                     "same_paragraphs": sum(s in by_paragraph for s in ours),
                     "only_rules": [s for s in ours if s not in by_paragraph],
                     "only_spacy_paragraphs": [s for s in by_paragraph if s not in ours]})

    info = machine()
    print(f"machine: {info['cores']} cores, {info['ram_gb']} GB RAM, Python {info['python']}")
    print(f"spaCy {spacy.__version__} {SPACY_MODEL}, load {spacy_load_s:.1f} s\n")
    print("columns: sentences found by the rules; by spaCy on the whole text, and how many of")
    print("the rules' sentences it finds identically; same for spaCy run paragraph by paragraph\n")
    keys = ("rules", "spacy", "same", "spacy_paragraphs", "same_paragraphs", "rules_ms", "spacy_ms")
    print(f"{'article':<22} {'rules':>5} {'spaCy':>5} {'same':>5} {'spaCy/¶':>7} {'same':>5} "
          f"{'rules ms':>8} {'spaCy ms':>8}")
    total = {k: round(sum(r[k] for r in rows), 2) for k in keys}
    for r in [*rows, {"article": "total", **total}]:
        print(f"{r['article']:<22} {r['rules']:>5} {r['spacy']:>5} {r['same']:>5} "
              f"{r['spacy_paragraphs']:>7} {r['same_paragraphs']:>5} "
              f"{r['rules_ms']:>8.2f} {r['spacy_ms']:>8.1f}")

    print("\nWhere the rules and spaCy (paragraph by paragraph) differ:")
    for r in rows:
        if r["only_rules"] or r["only_spacy_paragraphs"]:
            print(f"\n== {r['article']}")
            for s in r["only_rules"]:
                print(f"  rules: {_short(s)}")
            for s in r["only_spacy_paragraphs"]:
                print(f"  spaCy: {_short(s)}")

    result = {"machine": info, "spacy_model": SPACY_MODEL, "spacy_version": spacy.__version__,
              "spacy_load_s": round(spacy_load_s, 2), "articles": rows,
              "total": total}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten {RESULTS.relative_to(ROOT)}")
    return result


def _spacy_sentences(nlp, texts: list[str]) -> list[str]:
    return [s.text.strip() for doc in nlp.pipe(texts) for s in doc.sents if s.text.strip()]


def _short(sentence: str, width: int = 110) -> str:
    flat = " ".join(sentence.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


if __name__ == "__main__":
    main(*sys.argv[1:2])
