"""Start-up cost: a warm ``claims match`` on seeds/ and ``claims --help``, each in a fresh process.

``python -m benchmarks.startup [--runs 5]``

"Warm" means the model was built and every embedding and text analysis is cached (one
unmeasured run fills the caches first, in a private cache folder). Each measured run is a
new process, timed from outside (wall clock) with its peak RSS, and reports which heavy
libraries it imported. Targets (issue "One analysis, built one way"): warm match at most
3 s wall (median of 5) and 600 MB; ``--help`` under 1 s. Figures before the change, from
the same issue (quiet machine): warm match 11.9 s and 1.2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.machine import describe, machine

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "startup.json"
BEFORE = {"warm match": {"seconds": 11.9, "peak_mb": 1200}}
TARGETS = {"warm match": {"seconds": 3.0, "peak_mb": 600}, "--help": {"seconds": 1.0}}
HEAVY = ("torch", "transformers", "sentence_transformers", "spacy", "onnxruntime")

# Runs the CLI in a process that reports its peak RSS and heavy imports on exit.
_RUNNER = (
    "import atexit, resource, sys\n"
    "def _report():\n"
    "    heavy = [m for m in %r if m in sys.modules]\n"
    "    sys.stderr.write('PEAK_KB=%%d HEAVY=%%s\\n' %% (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
    " ','.join(heavy) or '-'))\n"
    "atexit.register(_report)\n"
    "sys.argv = ['claims'] + sys.argv[1:]\n"
    "from cli import app\n"
    "app()\n"
) % (HEAVY,)


def run_cli(args: list[str], cache: Path) -> dict:
    """One CLI run in a fresh process: wall seconds, peak MB, heavy modules imported."""
    env = {**os.environ, "CLAIMS_CACHE_DIR": str(cache), "HF_HUB_OFFLINE": "1"}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _RUNNER, *args], capture_output=True, text=True,
                          env=env, cwd=REPO)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip()[-800:])
    report = done.stderr.rsplit("PEAK_KB=", 1)[1].split()
    heavy = report[1].split("=", 1)[1]
    return {"seconds": seconds, "peak_mb": int(report[0]) / 1024, "heavy": [] if heavy == "-" else heavy.split(","),
            "stdout": done.stdout}


def measure(args: list[str], cache: Path, runs: int) -> dict:
    """Median wall time and largest peak memory over ``runs`` fresh processes."""
    rows = [run_cli(args, cache) for _ in range(runs)]
    return {"seconds_median": round(statistics.median(r["seconds"] for r in rows), 2),
            "seconds_all": [round(r["seconds"], 2) for r in rows],
            "peak_mb": round(max(r["peak_mb"] for r in rows)),
            "heavy_imports": sorted({m for r in rows for m in r["heavy"]})}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs per command (median)")
    args = parser.parse_args(argv)
    cache = Path(tempfile.mkdtemp(prefix="claims-startup-"))
    try:
        fill = run_cli(["match", "-f", "jsonl"], cache)  # builds the model, fills the caches
        warm = measure(["match", "-f", "jsonl"], cache, args.runs)
        warm["same_output_as_filling_run"] = run_cli(["match", "-f", "jsonl"], cache)["stdout"] == fill["stdout"]
        helps = measure(["--help"], cache, args.runs)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    info = machine()
    print(f"machine: {describe(info)}")
    print(f"{'command':<28}{'median s':>10}{'peak MB':>9}  {'heavy imports':<22}{'target':>18}{'before':>16}")
    for name, row in (("warm match", warm), ("--help", helps)):
        target = TARGETS[name]
        before = BEFORE.get(name)
        print(f"claims {name:<21}{row['seconds_median']:>10.2f}{row['peak_mb']:>9}  "
              f"{','.join(row['heavy_imports']) or 'none':<22}"
              f"{'<= %.1f s' % target['seconds'] + (', %d MB' % target['peak_mb'] if 'peak_mb' in target else ''):>18}"
              f"{'%.1f s, %d MB' % (before['seconds'], before['peak_mb']) if before else '-':>16}")
    print(f"warm runs: {warm['seconds_all']} s; output identical to the filling run: "
          f"{warm['same_output_as_filling_run']}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"machine": info, "warm_match": warm, "help": helps,
                                   "targets": TARGETS, "before": BEFORE}, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
