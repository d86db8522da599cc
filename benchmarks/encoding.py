"""Sentence encoders compared: build time, speed, memory and French STS quality.

Run from the repository root: ``python -m benchmarks.encoding``. For each backend
(e5-small torch, e5-small-int8 ONNX, e5-small-ov-int8 OpenVINO, USE, MiniLM), one subprocess builds the model
(first use, into a fresh temporary cache unless ``--reuse-cache``) and another loads
it and measures, so peak memory figures do not mix:

- throughput in sentences/s on ~2,000 French news sentences (the seed articles'
  sentences repeated) and on ~2,000 distinct STS-B-fr test sentences (shorter), after a
  warm-up batch;
- peak resident memory of the measuring process (``ru_maxrss``);
- STS-B-fr test Spearman of cosine similarity (skipped when the eval folder is absent).

Prints a table and writes benchmarks/results/encoding.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "encoding.json"
BACKENDS = ("e5-small", "e5-small-int8", "e5-small-ov-int8", "use", "minilm")
WARMUP = 64


def matmul_gflops(seconds: float = 1.0) -> float:
    """float32 matrix-product speed of numpy right now: a yardstick for the speeds below,
    which scale with it (a busy or throttled machine lowers both)."""
    import numpy as np

    a = np.random.default_rng(0).standard_normal((1440, 384), dtype=np.float32)
    w = np.random.default_rng(1).standard_normal((384, 1536), dtype=np.float32)
    a @ w
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        a @ w
        done += 1
    return 2 * 1440 * 384 * 1536 * done / (time.perf_counter() - start) / 1e9


def machine() -> dict:
    """Cores, RAM, current load and matrix-product speed of this machine, for the record."""
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cores": os.cpu_count(), "ram_gb": round(ram, 1), "python": platform.python_version(),
            "platform": platform.platform(), "load_avg_1m": round(os.getloadavg()[0], 2),
            "numpy_matmul_gflops": round(matmul_gflops(), 1)}


# ---------------------------------------------------------------- inputs

def news_sentences(n: int) -> list[str]:
    """The seed articles' sentences, repeated up to ``n``."""
    from claims.ingest.corpus import load_articles
    from claims.ingest.sentences import split_sentences

    sentences = [s.text for a in load_articles([REPO / "seeds"]).articles for s in split_sentences(a)]
    return (sentences * (n // len(sentences) + 1))[:n]


def sts_pairs():
    """STS-B-fr test pairs, or None when the eval folder is absent."""
    from claims.evaluation.data import EvalDataMissing, read_stsb_fr

    try:
        return read_stsb_fr("test")
    except EvalDataMissing as exc:
        print(f"STS-B-fr skipped: {exc}", file=sys.stderr)
        return None


# ---------------------------------------------------------------- workers (subprocesses)

def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _build(backend: str, cache: str) -> dict:
    start = time.perf_counter()
    if backend == "e5-small":
        from embeddings.e5 import build_e5_model

        build_e5_model(cache)
    elif backend == "e5-small-int8":
        from embeddings.onnx_e5 import build_e5_onnx

        build_e5_onnx(cache)
    elif backend == "e5-small-ov-int8":
        from claims.models import get_encoder

        get_encoder(backend, cache_dir=cache).loaded  # builds the float32 ONNX, then quantises it
    else:
        return {"build_s": None}  # shipped ready to load
    return {"build_s": round(time.perf_counter() - start, 1), "build_peak_rss_mb": round(_peak_rss_mb())}


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _throughput(encoder, texts: list[str], batch_size: int) -> tuple[float, float]:
    """Sentences per wall-clock second and per CPU second (the latter suffers less
    when other programs share the cores)."""
    encoder.encode(texts[:WARMUP], batch_size=batch_size)
    start, cpu = time.perf_counter(), _cpu_s()
    encoder.encode(texts, batch_size=batch_size)
    return len(texts) / (time.perf_counter() - start), len(texts) / (_cpu_s() - cpu)


def _measure(backend: str, cache: str, n: int, batch_size: int) -> dict:
    import numpy as np

    from claims.models import get_encoder

    yardstick = round(matmul_gflops(0.5), 1)
    start = time.perf_counter()
    encoder = get_encoder(backend, cache_dir=cache)
    out = {"dim": encoder.dim, "load_s": round(time.perf_counter() - start, 1), "matmul_gflops": yardstick}
    wall, cpu = _throughput(encoder, news_sentences(n), batch_size)
    out.update(news_per_s=round(wall, 1), news_per_cpu_s=round(cpu, 1))
    out["batch_max_diff"] = batch_dependence(encoder, news_sentences(n))
    pairs = sts_pairs()
    if pairs is not None:
        from scipy.stats import spearmanr

        distinct = list(dict.fromkeys(s for p in pairs for s in (p.sentence1, p.sentence2)))[:n]
        wall, cpu = _throughput(encoder, distinct, batch_size)
        out.update(sts_per_s=round(wall, 1), sts_per_cpu_s=round(cpu, 1))
        a = encoder.encode([p.sentence1 for p in pairs], batch_size=batch_size)
        b = encoder.encode([p.sentence2 for p in pairs], batch_size=batch_size)
        rho = spearmanr(np.sum(a * b, axis=1), [p.score for p in pairs]).statistic
        out["stsb_fr_test_spearman"] = round(float(rho), 4)
    out["peak_rss_mb"] = round(_peak_rss_mb())
    return out


def batch_dependence(encoder, texts: list[str], n: int = 48) -> float:
    """Largest coordinate change of a sentence's vector between alone and in batches (the store
    and both engines expect 0, or float noise): ``n`` distinct sentences, batches of 32 and 5."""
    import numpy as np

    texts = list(dict.fromkeys(texts))[:n]
    alone = np.concatenate([encoder.encode([t]) for t in texts])
    shuffled = np.random.default_rng(0).permutation(len(texts))
    diffs = [np.abs(encoder.encode(texts, batch_size=32) - alone).max(),
             np.abs(encoder.encode([texts[k] for k in shuffled], batch_size=5) - alone[shuffled]).max()]
    return float(max(diffs))


def _worker(args) -> None:
    if args.worker == "build":
        result = _build(args.backend, args.cache_dir)
    else:
        result = _measure(args.backend, args.cache_dir, args.n, args.batch_size)
    print(json.dumps(result))


def _run_worker(kind: str, backend: str, cache: str, n: int, batch_size: int) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.encoding", "--worker", kind, "--backend", backend,
           "--cache-dir", cache, "--n", str(n), "--batch-size", str(batch_size)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, env=env)
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        return {"error": lines[-1] if lines else f"exit code {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- report

def _cell(value, fmt="{:.0f}") -> str:
    return "-" if value is None else fmt.format(value)


def _print_table(info: dict, rows: list[dict], batch_size: int, n: int) -> None:
    print(f"machine: {info['cores']} cores, {info['ram_gb']} GB RAM, Python {info['python']}; "
          f"load average at start {info['load_avg_1m']}; numpy float32 matmul {info['numpy_matmul_gflops']} GFLOP/s")
    print(f"{n} sentences per throughput run, batch size {batch_size}, warm-up excluded; "
          "news/s and /cpu-s: seed sentences (~27 words), STS/s: STS-B-fr test sentences (~11 words)\n")
    header = f"{'backend':<14}{'dim':>5}{'build s':>9}{'load s':>8}{'news/s':>8}{'/cpu-s':>8}{'STS/s':>8}" \
             f"{'peak RSS MB':>13}{'STS-B-fr rho':>14}{'batch diff':>12}{'load avg':>10}{'GFLOP/s':>9}"
    print(header)
    print("-" * len(header))
    for r in rows:
        if "error" in r:
            print(f"{r['backend']:<14} error: {r['error']}")
            continue
        print(f"{r['backend']:<14}{r['dim']:>5}{_cell(r.get('build_s'), '{:.1f}'):>9}{r['load_s']:>8.1f}"
              f"{r['news_per_s']:>8.0f}{r['news_per_cpu_s']:>8.0f}{_cell(r.get('sts_per_s')):>8}"
              f"{r['peak_rss_mb']:>13.0f}"
              f"{_cell(r.get('stsb_fr_test_spearman'), '{:.3f}'):>14}{_cell(r.get('batch_max_diff'), '{:.1e}'):>12}"
              f"{r['load_avg_1m']:>10.1f}"
              f"{r['matmul_gflops']:>9.1f}")
    print("\nbatch diff: largest change of a vector coordinate between a sentence alone and in batches")
    print("load avg: 1-minute load average when the backend started; GFLOP/s: numpy float32 matmul speed")
    print("measured just before it (speeds scale with it: compare machines and runs through it)")
    if max(r.get("load_avg_1m", 0) for r in rows) > info["cores"]:
        print("note: other processes were using the CPU (load average above); speeds are lower bounds")


def main(argv: list[str] | None = None) -> dict | None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.encoding", description=__doc__.split("\n")[0])
    parser.add_argument("--backends", default=",".join(BACKENDS), help="comma-separated encoder names")
    parser.add_argument("--n", type=int, default=2000, help="sentences per throughput run")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--reuse-cache", action="store_true",
                        help="use the normal cache folder (build times then show 0 for models already built)")
    parser.add_argument("--worker", choices=["build", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--backend", help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args)
        return None

    from embeddings.paths import cache_dir

    info = machine()
    cache = str(cache_dir()) if args.reuse_cache else tempfile.mkdtemp(prefix="claims-bench-encoding-")
    rows = []
    try:
        for backend in args.backends.split(","):
            row = {"backend": backend, "load_avg_1m": round(os.getloadavg()[0], 2)}
            row.update(_run_worker("build", backend, cache, args.n, args.batch_size))
            if "error" not in row:
                row.update(_run_worker("measure", backend, cache, args.n, args.batch_size))
            rows.append(row)
            print(f"{backend}: {row}", file=sys.stderr)
    finally:
        if not args.reuse_cache:
            shutil.rmtree(cache, ignore_errors=True)
    _print_table(info, rows, args.batch_size, args.n)
    result = {"machine": info, "n": args.n, "batch_size": args.batch_size, "fresh_cache": not args.reuse_cache,
              "notes": "build_s of e5-small-int8 excludes the e5-small build it starts from; "
                       "news = seed sentences repeated; STS = distinct STS-B-fr test sentences",
              "runs": rows}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwrote {RESULTS.relative_to(REPO)}")
    return result


if __name__ == "__main__":
    main()
