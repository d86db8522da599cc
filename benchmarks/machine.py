"""What machine a benchmark ran on, recorded with every result."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def machine() -> dict:
    """Cores, RAM, Python, platform and the current load (a loaded machine slows timings)."""
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        ram = float("nan")
    return {"cores": os.cpu_count(), "ram_gb": round(ram, 1), "python": platform.python_version(),
            "platform": platform.platform(), "load_avg_1m": round(os.getloadavg()[0], 2)}


def describe(info: dict) -> str:
    """One line for a printed report."""
    return (f"{info['cores']} cores, {info['ram_gb']} GiB RAM, no GPU, Python {info['python']}, "
            f"load {info['load_avg_1m']}")


def run_isolated(module: str, args: list[str], bound: float) -> dict:
    """Run ``python -m module args`` in a fresh process (its own peak memory, no warm state)
    and return the JSON object on its last stdout line; ``{"timeout": bound}`` or
    ``{"error": ...}`` when it does not finish or fails."""
    cmd = [sys.executable, "-m", module, *args]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=bound, cwd=REPO)
    except subprocess.TimeoutExpired:
        return {"timeout": bound}
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_results(path: Path, result: dict) -> None:
    """Write a benchmark's ``result`` as JSON to ``path`` (folders made) and say where."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    try:
        shown = path.relative_to(REPO)
    except ValueError:
        shown = path
    print(f"wrote {shown}")
