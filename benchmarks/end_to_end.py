"""``claims match`` end to end from 1,000 to 50,000 French sentences: throughput, stages, memory.

``python -m benchmarks.end_to_end [--sizes 1000,5000,10000,50000] [--model e5-small-int8]
[--format table] [--bound 3600]``

The corpus: distinct French sentences of the public data in ``shared/eval`` (STS-B-fr, XNLI-fr,
PAWS-X-fr, RTE-3-fr and DACCORD pairs, the novels of fr-litbank), each cut by the project's
own splitter, of three words or more, shuffled with seed 0 and cut into pseudo-articles of 20
sentences, one paragraph a sentence. Every size is a prefix of the same list, so a larger
corpus holds the smaller ones and the curve shows how cost grows with size alone. When a
size asks for more sentences than the pool holds, the list is repeated (said in the output):
repeats are what agency copy looks like, each a small group.

Each size runs in a fresh process that does what ``claims match -f FORMAT -o FILE
--no-cache`` does (read, analyse, render, write), model and spaCy loading included, with the
model folder already built in the cache folder (the build is a one-time cost, measured by
:mod:`benchmarks.match_run`) and no embedding cache (every sentence is encoded, every text
parsed). It prints sentences per second, the seconds
of each stage (``Analysis.timings``, plus ``render`` and ``write``), the process's peak RSS
the load average when it started and ended, and the CPU seconds the process used (all threads):
on a shared machine wall time grows with the load, CPU time much less, so before/after
comparisons on a busy machine read CPU time.

From issue 16's overlap on, the run encodes in a second process while it parses and attributes
(``analyze(second_process=None)``): "encode" is then the time the run waited for the vectors,
"encode, second process" the encoding's own wall time, and the CPU seconds and peak memory of
that process are printed beside the run's. ``--one-process`` measures the run in one process.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

from benchmarks.machine import describe, machine, run_isolated, write_results
from claims.evaluation.data import REPO

RESULTS = REPO / "benchmarks" / "results" / "end_to_end.json"
POOL = REPO / ".cache" / "benchmarks" / "french_pool_v1.json"
EVAL = REPO.parent / "shared" / "eval"
SENTENCES_PER_ARTICLE = 20
SECOND = "encode, second process"  # the stage timing of analyze's second encoding process


def _pairs(path: Path, columns: tuple, header: bool = False) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    if header:
        names, rows = rows[0], rows[1:]
        columns = tuple(names.index(c) for c in columns)
    return [row[c] for row in rows for c in columns if len(row) > c]


def _raw_texts() -> list[str]:
    """Texts of every source (a text may hold several sentences)."""
    from benchmarks.group_sizes import stsb_texts

    texts = list(stsb_texts())
    texts += _pairs(EVAL / "xnli-fr" / "dev-fr.tsv", (0, 1)) + _pairs(EVAL / "xnli-fr" / "test-fr.tsv", (0, 1))
    texts += _pairs(EVAL / "pawsx-fr" / "dev-fr.tsv", (0, 1))
    for name in ("RTE3-FR-dev-set-3class.tsv", "RTE3-FR-test-gold-3class.tsv"):
        texts += _pairs(EVAL / "rte3-fr" / name, ("premise", "hypothesis"), header=True)
    texts += _pairs(EVAL / "daccord" / "daccord_dataset.tsv", ("premise", "hypothesis"), header=True)
    for novel in sorted((EVAL / "fr-litbank-quotes" / "brat" / "citations").glob("*.txt")):
        texts += [p for p in novel.read_text(encoding="utf-8").split("\n") if p.strip()]
    return texts


def french_sentences() -> list[str]:
    """The pool: distinct sentences of three words or more, shuffled (cached as JSON)."""
    if POOL.exists():
        return json.loads(POOL.read_text(encoding="utf-8"))
    from claims.ingest.sentences import split_sentences
    from claims.records import Article

    seen: dict[str, None] = {}
    for k, text in enumerate(_raw_texts()):
        for s in split_sentences(Article(f"p{k}", text)):
            if len(s.text.split()) >= 3 and "\n" not in s.text:
                seen.setdefault(s.text)
    pool = sorted(seen)
    random.Random(0).shuffle(pool)
    POOL.parent.mkdir(parents=True, exist_ok=True)
    POOL.write_text(json.dumps(pool, ensure_ascii=False), encoding="utf-8")
    return pool


def corpus_file(n: int, folder: Path) -> Path:
    """``n`` pool sentences as a JSON Lines corpus of 20-sentence articles in ``folder``."""
    pool = french_sentences()
    picked = [pool[k % len(pool)] for k in range(n)]
    path = folder / f"corpus_{n}.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for start in range(0, n, SENTENCES_PER_ARTICLE):
            body = "\n\n".join(picked[start:start + SENTENCES_PER_ARTICLE])
            f.write(json.dumps({"id": f"a{start // SENTENCES_PER_ARTICLE:06d}", "text": body},
                               ensure_ascii=False) + "\n")
    return path


def run_one(n: int, model: str, fmt: str, second_process: Optional[bool] = None) -> dict:
    """``claims match`` on ``n`` sentences, as the command runs it (called in a subprocess)."""
    import warnings

    from claims.commands.common import read_articles, write_output
    from claims.output import render
    from claims.pipeline import analyze
    from claims.settings import resolve_settings

    with tempfile.TemporaryDirectory(prefix="claims-e2e-") as tmp:
        path = corpus_file(n, Path(tmp))
        out = Path(tmp) / f"out.{fmt}"
        load = os.getloadavg()[0]
        cpu0, cpu0_children = _cpu(), _cpu(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        settings = resolve_settings(model, cache=False)
        articles = read_articles([str(path)])
        read_s = time.perf_counter() - start
        with warnings.catch_warnings(), _peaks_by_stage() as peaks:
            warnings.simplefilter("ignore")
            analysis = analyze(articles, settings=settings, second_process=second_process)
        t = time.perf_counter()
        text = render(analysis, fmt, analysis.select(None, False))
        render_s = time.perf_counter() - t
        peaks["render"] = _peak_mb()
        t = time.perf_counter()
        write_output(text, out)
        write_s = time.perf_counter() - t
        seconds = time.perf_counter() - start
    stages = {"load files": round(read_s, 2)}
    stages.update({s.stage: round(s.seconds, 2) for s in analysis.timings})
    stages.update({"render": round(render_s, 2), "write": round(write_s, 2)})
    rows = len(analysis.rows)
    words = sum(len(r.sentence.text.split()) for r in analysis.rows) / max(rows, 1)
    return {"n": n, "sentences": rows, "articles": len(analysis.articles), "words_per_sentence": round(words, 1),
            "model": model, "format": fmt, "seconds": round(seconds, 2),
            "sentences_per_s": round(rows / seconds, 1), "stages": stages, "groups": len(analysis.groups),
            "largest_group": max((len(g.mentions) for g in analysis.groups), default=0),
            "output_mb": round(len(text.encode()) / 2**20, 1), "load": round(load, 2),
            "load_after": round(os.getloadavg()[0], 2),
            "cpu_s": round(_cpu() - cpu0, 1), "cpu_children_s": round(_cpu(resource.RUSAGE_CHILDREN) - cpu0_children, 1),
            "peak_mb": _peak_mb(), "peak_mb_children": _peak_mb(resource.RUSAGE_CHILDREN), "peak_mb_after": peaks}


def _peak_mb(who: int = resource.RUSAGE_SELF) -> int:
    """Peak RSS in MB of this process (or, with RUSAGE_CHILDREN, of its largest ended child)."""
    return round(resource.getrusage(who).ru_maxrss / 1024)


@contextmanager
def _peaks_by_stage():
    """The process's peak RSS (MB) when each stage of :func:`claims.pipeline.analyze` ends:
    the first stage whose figure reaches the final peak is where memory peaked."""
    from claims import pipeline

    peaks: dict[str, int] = {}
    stage = pipeline._Clock.stage

    @contextmanager
    def measured(self, name):
        with stage(self, name):
            yield
        peaks[name] = _peak_mb()

    pipeline._Clock.stage = measured
    try:
        yield peaks
    finally:
        pipeline._Clock.stage = stage


def _cpu(who: int = resource.RUSAGE_SELF) -> float:
    """CPU seconds of this process, all threads (less swayed by other programs than wall time);
    with RUSAGE_CHILDREN, of its ended children (the encoding process)."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _realnews_words() -> str:
    """Mean words per sentence of the real-news texts, when present (for comparison)."""
    from claims.evaluation.realnews import read_split, try_load_gold
    from claims.ingest import split_corpus

    split = read_split()
    gold, _ = try_load_gold(split["tuning"] + split["heldout"])
    if gold is None:
        return "real-news texts absent"
    sentences = split_corpus(gold.articles)
    return f"real-news articles: {sum(len(s.text.split()) for s in sentences) / len(sentences):.1f} words a sentence"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,10000,50000")
    parser.add_argument("--model", default=None, help="model name (default: the package default)")
    parser.add_argument("--format", default="table", choices=("table", "json", "jsonl", "csv"))
    parser.add_argument("--bound", type=float, default=3600, help="seconds per run before it is stopped")
    parser.add_argument("--one-process", action="store_true",
                        help="encode in the run's own process (analyze(second_process=False)), as before issue 16's overlap")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.model is None:
        from claims.models import DEFAULT_MODEL

        args.model = DEFAULT_MODEL
    if args.one:
        print(json.dumps(run_one(args.one, args.model, args.format, False if args.one_process else None)))
        return 0
    pool = french_sentences()
    print(f"machine: {describe(machine())}")
    print(f"pool: {len(pool):,} distinct French sentences, "
          f"{sum(len(t.split()) for t in pool) / len(pool):.1f} words a sentence; {_realnews_words()}")
    print(f"model {args.model}, format {args.format}, no embedding cache; each size a fresh process", flush=True)
    runs = []
    for n in (int(s) for s in args.sizes.split(",") if s):
        r = run_isolated("benchmarks.end_to_end", ["--one", str(n), "--model", args.model, "--format", args.format]
                         + (["--one-process"] if args.one_process else []), args.bound)
        r.setdefault("n", n)
        runs.append(r)
        if "stages" not in r:
            print(f"n={n}: {r}", flush=True)
            continue
        st = r["stages"]
        # With a second encoding process, "encode" is the time this process waited for the vectors
        # after its own parsing and attribution, and SECOND the encoding's own wall time.
        rest = sum(v for k, v in st.items() if k not in ("encode", SECOND))
        encoding = st.get(SECOND) or st.get("encode", 0)
        repeat = f" (pool repeated: {n / len(pool):.2f}x)" if n > len(pool) else ""
        children = (f" + {r['cpu_children_s']} s in the encoding process (peak {r['peak_mb_children']} MB)"
                    if SECOND in st else "")
        print(f"n={r['sentences']:,}{repeat}: {r['seconds']} s, {r['sentences_per_s']} sentences/s, "
              f"CPU {r.get('cpu_s')} s{children}, peak {r['peak_mb']} MB, load {r['load']} -> {r['load_after']}; "
              f"{r['groups']} groups (largest {r['largest_group']}), output {r['output_mb']} MB", flush=True)
        overlap = (f" (encoding in a second process, {encoding:.2f} s, overlapping this process's read and "
                   f"attribute; {st.get('encode', 0):.2f} s waited for it)" if SECOND in st else "")
        print("    " + ", ".join(f"{k} {v}" for k, v in st.items())
              + f"; all but encode {rest:.2f} s = {rest / max(encoding, 1e-9):.2f}x encode{overlap}", flush=True)
        # ms a sentence per stage: comparable across sizes, and across loads stage by stage
        if r.get("peak_mb_after"):
            print("    peak MB when each stage ends: " + ", ".join(f"{k} {v}" for k, v in r["peak_mb_after"].items()),
                  flush=True)
        print("    ms/sentence: " + ", ".join(f"{k} {v / r['sentences'] * 1000:.2f}" for k, v in st.items()),
              flush=True)
    if len([r for r in runs if "seconds" in r]) >= 2:
        done = [r for r in runs if "seconds" in r]
        per = [r["seconds"] / r["sentences"] * 1000 for r in done]
        print("ms per sentence by size: " + ", ".join(f"{r['sentences']:,}: {p:.2f}" for r, p in zip(done, per)))
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    previous[f"{args.model}/{args.format}"] = {"machine": machine(), "pool": len(pool), "runs": runs}
    write_results(RESULTS, previous)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
