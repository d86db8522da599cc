"""Encoding in a second process while this one parses gives the run it gave in one process.

``analyze(second_process=...)``: the vectors, groups, speakers, stances and every output
format are the same; the user sees the second process in the stage timings (``-v``) and the
progress bar still advances; a second process that fails is replaced by encoding here, with
a notice. The stand-in model's loader is a module-level function, so a second process can
load it as it loads the registered models.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from claims.engines.encode_process import IN_ENCODE_PROCESS
from claims.evaluation.data import EvalDataMissing
from claims.models import ModelEntry, register, unregister
from claims.output import render
from claims.pipeline import ClaimsWarning, analyze
from tests.fake_encoders import BagOfWords

IN_PROCESS = "fake-words-here-only"
ANYWHERE = "fake-words-anywhere"
SERVED = "fake-words-served"
SECOND = "encode, second process"
LOADED_HERE: list[str] = []  # the stand-in models this process loaded (a second process has its own list)


def load_anywhere(cache):
    return BagOfWords(ANYWHERE, 64)


def load_served(cache):
    LOADED_HERE.append(SERVED)
    return BagOfWords(SERVED, 64)


def load_here_only(cache):
    if os.environ.get(IN_ENCODE_PROCESS):
        raise RuntimeError("this stand-in model refuses to load in a second process")
    return BagOfWords(IN_PROCESS, 64)


@pytest.fixture(scope="module")
def models():
    for name, load in ((ANYWHERE, load_anywhere), (IN_PROCESS, load_here_only), (SERVED, load_served)):
        register(ModelEntry(name, "a hashed bag of words, loadable by a second process", load, 64), replace=True)
    yield
    for name in (ANYWHERE, IN_PROCESS, SERVED):
        unregister(name)


@pytest.fixture(scope="module")
def corpus():
    from claims.evaluation.generated import generated_articles

    try:
        return generated_articles(1100, per_article=10, paired_share=0.5, seed=5)
    except EvalDataMissing as exc:
        pytest.skip(f"STS-B-fr absent: {exc}")


def run(inputs, model, **options):
    return analyze(inputs, model=model, threshold=0.6, cache=False, **{"scoring": "cosine", **options})


def stages(analysis) -> list[str]:
    return [t.stage for t in analysis.timings]


def assert_same_analysis(a, b):
    assert np.array_equal(a.embeddings, b.embeddings)
    for fmt in ("json", "jsonl", "table"):
        assert render(a, fmt) == render(b, fmt)


def test_a_large_corpus_is_encoded_in_a_second_process_with_the_same_result(models, corpus):
    auto = run(corpus, ANYWHERE, stance=False)
    here = run(corpus, ANYWHERE, stance=False, second_process=False)
    assert len(auto.rows) >= 1000 and auto.groups
    assert SECOND in stages(auto) and SECOND not in stages(here)
    assert any(r.attribution.speaker for r in auto.rows)  # the parse-heavy stages ran meanwhile
    assert_same_analysis(auto, here)


def test_a_small_corpus_stays_in_one_process_unless_asked(models, corpus):
    small = corpus[:20]
    assert SECOND not in stages(run(small, ANYWHERE, stance=False))
    asked = run(small, ANYWHERE, stance=False, second_process=True)
    assert SECOND in stages(asked)
    assert_same_analysis(asked, run(small, ANYWHERE, stance=False, second_process=False))


def test_progress_counts_every_distinct_sentence(models, corpus):
    seen = {"total": 0, "done": 0}

    def progress(total):
        seen["total"] += total
        return lambda n: seen.__setitem__("done", seen["done"] + n)

    analysis = run(corpus[:40], ANYWHERE, attribution=False, stance=False, second_process=True, progress=progress)
    distinct = len({r.sentence.text for r in analysis.rows})
    assert seen == {"total": distinct, "done": distinct}


def test_a_failed_second_process_is_replaced_by_encoding_here(models, corpus):
    small = corpus[:30]
    with pytest.warns(ClaimsWarning, match="encoding process failed: RuntimeError.*second process"):
        replaced = run(small, IN_PROCESS, stance=False, second_process=True)
    assert SECOND not in stages(replaced)
    assert_same_analysis(replaced, run(small, IN_PROCESS, stance=False, second_process=False))


def test_the_default_model_gives_the_same_vectors_in_a_second_process():
    a = analyze(["seeds/"], cache=False, second_process=True)
    b = analyze(["seeds/"], cache=False, second_process=False)
    assert SECOND in stages(a)
    assert_same_analysis(a, b)


def test_clauses_are_encoded_by_the_second_process_without_a_second_model_here(models, corpus):
    """The clause pair score encodes every clause after the grouping's vectors: the second
    process, whose model is loaded, encodes them; this process never loads the model."""
    small = corpus[:60]
    served = run(small, SERVED, scoring="clauses", stance=False, second_process=True)
    assert SECOND in stages(served) and LOADED_HERE == []
    assert_same_analysis(served, run(small, SERVED, scoring="clauses", stance=False, second_process=False))
    assert LOADED_HERE == [SERVED]  # the run in one process loads it here, once


def test_a_script_without_a_main_guard_runs_once(tmp_path):
    """The second process is a fresh interpreter that does not import the caller's script
    (``multiprocessing``'s spawn would run an unguarded script's analysis a second time)."""
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    script = tmp_path / "unguarded.py"
    script.write_text("print('script ran', flush=True)\n"
                      "from claims import analyze\n"
                      f"a = analyze([{str(repo / 'seeds')!r}], cache=False, attribution=False, stance=False,\n"
                      "            second_process=True)\n"
                      "print([t.stage for t in a.timings], flush=True)\n")
    done = subprocess.run([sys.executable, str(script)], cwd=repo, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(repo)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("script ran") == 1 and SECOND in done.stdout
