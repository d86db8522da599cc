"""What machine a benchmark ran on, recorded with every result."""

from __future__ import annotations

import os
import platform


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
