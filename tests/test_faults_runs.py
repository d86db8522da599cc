"""Whole runs under interrupts, kills and concurrency: no traceback, no lost or half-written result.

Each test runs ``claims`` in subprocesses on small generated articles whose sentences are new
to the cache (a random tag per test), so encoding really happens while the fault strikes.
"""

from __future__ import annotations

import json
import random
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORDS = ("le gouvernement ministre annonce hausse baisse prix salaires Paris Lyon lundi mardi "
         "accord vote loi budget syndicats grève retraites député sénat").split()


def make_corpus(folder: Path, sentences: int = 200) -> Path:
    # Sentences new to the cache on every run (a tag from the OS), so the run really encodes.
    rng = random.Random(secrets.randbits(64))
    tag = secrets.token_hex(6)
    for a in range(3):
        text = " ".join(" ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + f" {tag}-{a}-{i}."
                        for i in range(sentences))
        (folder / f"a{a}.txt").write_text(text, encoding="utf-8")
    return folder


def _default_sigint() -> None:
    # A child inherits an ignored SIGINT, and Python then installs no KeyboardInterrupt: some
    # library loaded earlier in the suite's process leaves SIGINT ignored; a user's shell never does.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def claims(*args, **kwargs):
    return subprocess.Popen([sys.executable, "-c", "from cli import app; app()", *map(str, args)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_default_sigint, **kwargs)


# Interrupted runs get 1,800 new sentences: 600 finished within the 8 s wait on a fast machine
# (a SIGINT that arrives after the run has ended cannot be tested).
INTERRUPTED_SENTENCES = 600  # per article, three articles


def wait_for_work() -> None:
    """Let a run get into its work: 1,800 new sentences keep it encoding and parsing well past this."""
    time.sleep(8.0)


def test_sigint_during_encoding_stops_cleanly_and_the_next_run_is_complete(tmp_path):
    corpus = make_corpus(tmp_path, INTERRUPTED_SENTENCES)
    run = claims("match", corpus, "-f", "jsonl")
    wait_for_work()
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=300)
    assert run.returncode != 0 and "Traceback" not in err
    again = claims("match", corpus, "-f", "jsonl")
    out, err = again.communicate(timeout=600)
    assert again.returncode == 0, err
    assert len(out.splitlines()) == 3 * INTERRUPTED_SENTENCES and "Traceback" not in err


def test_two_concurrent_runs_on_one_cache_agree(tmp_path):
    corpus = make_corpus(tmp_path)
    runs = [claims("match", corpus, "-f", "jsonl") for _ in range(2)]
    results = [r.communicate(timeout=600) for r in runs]
    assert all(r.returncode == 0 for r in runs), [e for _, e in results]
    assert results[0][0] == results[1][0] and len(results[0][0].splitlines()) == 600


def test_a_run_killed_while_writing_leaves_the_old_output_and_no_debris(tmp_path):
    corpus = make_corpus(tmp_path, INTERRUPTED_SENTENCES)
    out_file = tmp_path / "out.jsonl"
    out_file.write_text("previous result\n")
    run = claims("match", corpus, "-f", "jsonl", "-o", out_file)
    wait_for_work()
    run.send_signal(signal.SIGKILL)
    run.communicate(timeout=60)
    assert out_file.read_text() == "previous result\n"  # never half-written
    # A leftover temporary of a killed writer is removed by the next write.
    leftover = tmp_path / f".out.jsonl.{run.pid}-abc.tmp"
    leftover.write_text("partial")
    done = claims("match", corpus, "-f", "jsonl", "-o", out_file)
    _, err = done.communicate(timeout=600)
    assert done.returncode == 0, err
    assert len(out_file.read_text().splitlines()) == 3 * INTERRUPTED_SENTENCES
    assert not list(tmp_path.glob(".out.jsonl.*.tmp"))
    assert all(json.loads(line)["article"] for line in out_file.read_text().splitlines())
