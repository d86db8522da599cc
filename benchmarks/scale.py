"""Local engine against the Ray engine, and what a 10^7-10^8 sentence corpus would need.

``python -m benchmarks.scale [--sizes 10000,100000] [--model e5-small] [--cpus N] [--search 100000,1000000]``

Corpora: the first size is news text (the real-news development articles when
``~/claims-realnews`` holds them, topped up with generated news-length sentences, see
:mod:`claims.evaluation.generated`); larger sizes are generated French sentences of news
length (two STS-B-fr sentences joined). Each engine runs in its own process with every
cache off (no embedding cache, no memo of text analyses: both encode and parse everything),
the Ray one starting its own local Ray on ``--cpus`` cores (default: all), start-up included.
Printed per size: sentences per second of both, Ray's overhead against local, whether the
groups are identical, and Ray's phases (start, partitions, assemble, analyze with the
per-cell search). Then a sizing table for 10^7 and 10^8 sentences from the measured
per-CPU rates (see BENCHMARKS.md for how it is computed). Results go to
``benchmarks/results/scale.json``; the machine's load is recorded with them, since the
figures on a shared machine move with it. ``--search`` also times the neighbour search
alone (synthetic vectors of :mod:`benchmarks.speed`, no model): local cells against Ray
cell tasks, and the share of neighbour lists that are identical.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from typing import Optional

from benchmarks.machine import REPO, describe, machine, write_results

RESULTS = REPO / "benchmarks" / "results" / "scale.json"
BOUND = 6 * 3600.0  # seconds one engine run may take


def corpus(n: int, news_base: bool):
    """About ``n`` sentences of articles: real news first when asked and present, then generated."""
    from claims.evaluation.generated import generated_articles

    articles = []
    if news_base:
        from claims.evaluation.realnews import RealNewsUnavailable, load_articles, read_manifest

        try:
            articles = load_articles(read_manifest())
        except (RealNewsUnavailable, OSError):
            articles = []
    from claims.ingest import split_corpus

    have = len(split_corpus(articles))
    if have < n:
        articles += generated_articles(n - have, news=True, seed=n)
    return articles


def run_child(args: list[str], bound: float) -> dict:
    """``python -m benchmarks.scale args`` in a fresh process whose progress lines reach our stderr;
    the JSON object on its last stdout line, ``{"timeout": bound}`` or ``{"error": ...}``."""
    cmd = [sys.executable, "-m", "benchmarks.scale", *args]
    try:
        done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, timeout=bound, cwd=REPO)
    except subprocess.TimeoutExpired:
        return {"timeout": bound}
    if done.returncode != 0 or not done.stdout.strip():
        return {"error": f"exit code {done.returncode} (its stderr above)"}
    return json.loads(done.stdout.strip().splitlines()[-1])


class Heartbeat:
    """A progress line on stderr every ``every`` seconds: elapsed time, work counted, load average."""

    def __init__(self, label: str, every: float = 60.0):
        self.label, self.every, self.done, self.total = label, every, 0, 0
        self.start = time.perf_counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.line("done")

    def factory(self, total: int):
        """The ``progress(total)`` the engines take: counts what they report done."""
        self.total, self.done = total, 0

        def advance(k: int) -> None:
            self.done += k

        return advance

    def line(self, what: str = "") -> None:
        print(f"[{self.label}] {time.perf_counter() - self.start:7.0f} s, {self.done:,}/{self.total:,} "
              f"{what}, load {os.getloadavg()[0]:.2f}", file=sys.stderr, flush=True)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.line()


def run_one(engine: str, n: int, model: str, cpus: int) -> dict:
    """One engine on one corpus, in this process; the JSON line the parent reads."""
    from claims.engines import run_engine
    from claims.ingest import split_corpus
    from claims.settings import resolve_settings

    articles = corpus(n, news_base=n <= 10_000)
    sentences = len(split_corpus(articles))
    settings = resolve_settings(model, cache=False)
    options = {}
    if engine == "ray":
        options = {"work_dir": tempfile.mkdtemp(prefix="claims-scale-"), "num_cpus": cpus}
    load_before = round(os.getloadavg()[0], 2)
    unit = "articles in partitions done" if engine == "ray" else "sentences encoded"
    start = time.perf_counter()
    with Heartbeat(f"{engine} {sentences:,}") as beat:
        beat.line(f"{unit} (started)")
        analysis, report = run_engine(engine, articles, settings, progress=beat.factory, **options)
    seconds = time.perf_counter() - start
    groups = [[m.row for m in g.mentions] for g in analysis.groups]
    out = {"engine": engine, "sentences": sentences, "articles": len(articles), "seconds": round(seconds, 1),
           "per_second": round(sentences / seconds, 1), "groups": len(groups),
           "groups_digest": hashlib.sha256(json.dumps(groups).encode()).hexdigest()[:16],
           "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
           "stages": {t.stage: round(t.seconds, 1) for t in analysis.timings},
           "dim": int(analysis.embeddings.shape[1]), "load_before_1m": load_before,
           "load_avg_1m": round(os.getloadavg()[0], 2)}
    if report is not None:
        out.update(ray_seconds={k: round(v, 1) for k, v in report.seconds.items()}, cpus=cpus,
                   partitions=len(report.written), failed=sorted(report.failed), cell_tasks=report.cell_tasks,
                   shipped_mb=round(report.shipped_bytes / 2**20, 1), returned_pairs=report.returned_pairs,
                   parquet_mb=round(sum(p.stat().st_size for p in report.work_dir.rglob("*.parquet")) / 2**20, 1))
    return out


def run_search(n: int, cpus: int) -> dict:
    """The neighbour search alone at ``n`` synthetic vectors: local cells against Ray cell tasks."""
    import ray

    from benchmarks.speed import synthetic_vectors
    from claims.engines.cell_search import RayCellIndex
    from embeddings.index import VectorIndex

    vectors, _ = synthetic_vectors(n)
    start = time.perf_counter()
    local = VectorIndex().fit(vectors).search(vectors, 21)
    local_s = time.perf_counter() - start
    ray.init(num_cpus=cpus, include_dashboard=False, _temp_dir=tempfile.mkdtemp(prefix="claims-ray-"),
             logging_level="ERROR", log_to_driver=False)
    start = time.perf_counter()
    index = RayCellIndex().fit(vectors)
    remote = index.search(vectors, 21)
    ray_s = time.perf_counter() - start
    ray.shutdown()
    same = float((remote.ids == local.ids).all(axis=1).mean())
    return {"engine": "search", "vectors": n, "dim": int(vectors.shape[1]), "local_s": round(local_s, 1), "ray_s": round(ray_s, 1),
            "cell_tasks": index.cell_tasks_, "shipped_mb": round(index.shipped_bytes_ / 2**20, 1),
            "returned_pairs": index.returned_pairs_, "same_lists": round(same, 4),
            "load_avg_1m": round(os.getloadavg()[0], 2)}


def sizing(ray_row: dict, search_row: Optional[dict] = None, hours: float = 1.0) -> list[dict]:
    """CPUs, index memory per worker and network volume for 10^7 and 10^8 sentences.

    From the Ray run: the per-CPU rate of the per-article stages (partitions and encode
    phases, all CPUs busy), the driver's rate (analyze phase: search, grouping, stance, comparison), bytes
    per sentence of the Parquet partitions. From the search alone (``search_row``, else the
    Ray run when its search ran as cell tasks): vector bytes shipped to cell tasks and pairs
    sent back per vector; without either, 3 vector copies (own round, then members and
    probing rows) and 70 pairs.
    """
    n, cpus = ray_row["sentences"], ray_row["cpus"]
    busy = ray_row["ray_seconds"]["partitions"] + ray_row["ray_seconds"].get("encode", 0.0)
    per_cpu = n / (busy * cpus)  # sentences / CPU-second
    driver = n / max(ray_row["ray_seconds"]["analyze"], 1e-9)  # sentences / second on the driver
    parquet = ray_row["parquet_mb"] * 2**20 / n
    vector_bytes = 4 * ray_row["dim"]
    cells = search_row if search_row and search_row.get("cell_tasks") else (
        {"vectors": n, "dim": ray_row["dim"], "shipped_mb": ray_row["shipped_mb"],
         "returned_pairs": ray_row["returned_pairs"]}
        if ray_row.get("cell_tasks") else None)
    # vector copies shipped per vector, times this run's vector size
    shipped = (cells["shipped_mb"] * 2**20 / (cells["vectors"] * 4 * cells.get("dim", 384)) * vector_bytes
               if cells else 3 * vector_bytes)
    pairs = cells["returned_pairs"] / cells["vectors"] if cells else 70
    rows = []
    for total in (10**7, 10**8):
        workers = total / (per_cpu * hours * 3600)
        rows.append({
            "sentences": total, "hours": hours, "cpus_for_hours": round(workers),
            "driver_hours": round(total / driver / 3600, 2),
            "index_gb_per_worker": round(total * shipped / max(workers, 1) / 2**30, 2),
            "driver_vectors_gb": round(total * vector_bytes / 2**30, 1),
            # partition files written by the workers and read by the driver, vectors shipped to
            # the cell tasks, candidate pairs sent back (two int64 ids and a float32 each)
            "network_gb": round(total * (2 * parquet + shipped + 20 * pairs) / 2**30, 1),
        })
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--model", default=None, help="model name (default: the default model)")
    parser.add_argument("--cpus", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--search", default="", help="also time the neighbour search alone at these "
                        "numbers of synthetic vectors (e.g. 100000,1000000)")
    parser.add_argument("--one", nargs=2, metavar=("ENGINE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    from claims.models import DEFAULT_MODEL

    model = args.model or DEFAULT_MODEL
    if args.one:
        engine, size = args.one[0], int(args.one[1])
        row = run_search(size, args.cpus) if engine == "search" else run_one(engine, size, model, args.cpus)
        print(json.dumps(row))
        return 0
    info = machine()
    print(f"machine: {describe(info)}; model {model}; Ray on {args.cpus} CPUs")
    print(f"{'sentences':>10}{'engine':>8}{'seconds':>9}{'sent/s':>8}{'peak MB':>9}{'groups':>8}  "
          f"{'load':>11}  notes")
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        pair = {}
        for engine in ("local", "ray"):
            row = run_child(["--one", engine, str(size), "--model", model,
                                                    "--cpus", str(args.cpus)], BOUND)
            row.setdefault("engine", engine)
            pair[engine] = row
            results.append(row)
            if "seconds" not in row:
                print(f"{size:>10}{engine:>8}  {row}")
                continue
            notes = ""
            if engine == "ray":
                same = row["groups_digest"] == pair["local"].get("groups_digest")
                overhead = row["seconds"] / pair["local"]["seconds"] - 1 if "seconds" in pair["local"] else float("nan")
                row["overhead"], row["same_groups"] = round(overhead, 3), same
                notes = (f"overhead {overhead:+.0%}, groups {'identical' if same else 'DIFFER'}; "
                         f"phases {row['ray_seconds']}; {row['cell_tasks']} cell tasks, "
                         f"{row['shipped_mb']} MB shipped, Parquet {row['parquet_mb']} MB")
            print(f"{row['sentences']:>10}{engine:>8}{row['seconds']:>9}{row['per_second']:>8}{row['peak_mb']:>9}"
                  f"{row['groups']:>8}  {row.get('load_before_1m', '?'):>5}-{row['load_avg_1m']:<5}  {notes}", flush=True)
    for size in (int(s) for s in args.search.split(",") if s):
        row = run_child(["--one", "search", str(size), "--cpus", str(args.cpus)], BOUND)
        results.append(row)
        print(f"search alone at {size:,} vectors: {row}", flush=True)
    plan = []
    rays = [r for r in results if r.get("engine") == "ray" and "ray_seconds" in r]
    if rays:
        largest = max(rays, key=lambda r: r["sentences"])
        search = max((r for r in results if r.get("engine") == "search" and "ray_s" in r),
                      key=lambda r: r["vectors"], default=None)
        plan = sizing(largest, search)
        print(f"\nsizing from the Ray run at {largest['sentences']:,} sentences (1 hour of per-article work):")
        print(f"{'sentences':>12}{'CPUs':>8}{'driver h':>10}{'index GB/worker':>17}{'driver vectors GB':>19}"
              f"{'network GB':>12}")
        for p in plan:
            print(f"{p['sentences']:>12,}{p['cpus_for_hours']:>8}{p['driver_hours']:>10}{p['index_gb_per_worker']:>17}"
                  f"{p['driver_vectors_gb']:>19}{p['network_gb']:>12}")
    write_results(RESULTS, {"machine": info, "model": model, "cpus": args.cpus, "runs": results, "sizing": plan})
    return 0


if __name__ == "__main__":
    sys.exit(main())
