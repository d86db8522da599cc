"""The Ray engine gives the local engine's analysis; its faults are reported and resumed.

One Ray session on 2 CPUs for the module (starting Ray costs seconds). Most tests take the
encoder, the spaCy parses and the vectors from the suite's caches, so the second engine to
see a sentence does not encode it again. The tests of batching turn the caches off, so both
engines encode every sentence, each in its own batches and on its own processes. The
comparison is of results, not of speed (``python -m benchmarks.scale`` measures that).
"""

from __future__ import annotations

import tempfile

import numpy as np
import pytest

from claims.evaluation.data import EvalDataMissing
from claims.evaluation.generated import generated_articles
from claims.ingest import resolve_articles
from claims.pipeline import analyze
from claims.settings import resolve_settings
from embeddings.index import VectorIndex

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")

from claims.engines import run_engine  # noqa: E402
from claims.engines.partitions import plan_partitions  # noqa: E402
from claims.engines.stages import CRASH_ENV, FAIL_ENV  # noqa: E402
from claims.models import DEFAULT_MODEL  # noqa: E402

SMALL_EXACT = 100  # the neighbour search runs cell by cell above this many vectors


@pytest.fixture(scope="module")
def ray_cluster():
    ray.init(num_cpus=2, include_dashboard=False, _temp_dir=tempfile.mkdtemp(prefix="claims-ray-test-"),
             logging_level="ERROR", log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def settings():
    return resolve_settings("e5-small")


@pytest.fixture(scope="module")
def generated():
    try:
        return generated_articles(1600, per_article=8, paired_share=0.3, seed=3)
    except EvalDataMissing as exc:
        pytest.skip(f"STS-B-fr not available: {exc}")


def groups_of(analysis):
    return [(g.id, [m.row for m in g.mentions], [m.stance for m in g.mentions]) for g in analysis.groups]


def assert_same_rows(remote, local):
    """Same sentences, attributions, groups and stances; centroid cosines equal to float32 rounding
    (a matrix-vector product's last bit follows the memory alignment of its operands)."""
    assert [r._replace(score=None) for r in remote.rows] == [r._replace(score=None) for r in local.rows]
    scores = [(r.score, l.score) for r, l in zip(remote.rows, local.rows) if l.score is not None]
    assert all(abs(a - b) < 1e-6 for a, b in scores)
    assert np.array_equal(remote.embeddings, local.embeddings)


def test_cell_tasks_find_the_neighbours_the_local_cell_search_finds(ray_cluster):
    from claims.engines.cell_search import RayCellIndex

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(40, 32))
    vectors = centres[rng.integers(0, 40, 4000)] + 0.6 * rng.normal(size=(4000, 32))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    vectors[3990:] = vectors[0]  # copies are searched once and listed for every copy
    local = VectorIndex(exact_max=100).fit(vectors).search(vectors, 21)
    index = RayCellIndex(exact_max=100, tasks=5).fit(vectors)
    remote = index.search(vectors, 21)
    assert index.kind_ == "ivf" and index.cell_tasks_ == 10  # two rounds of 5 cell batches
    # the same neighbours; copies of one vector tie, and ties may be listed in another order
    assert np.array_equal(np.sort(remote.ids, axis=1), np.sort(local.ids, axis=1))
    assert (remote.ids == local.ids).all(axis=1).mean() > 0.99
    assert np.allclose(remote.scores, local.scores, atol=1e-6)


def test_seeds_same_analysis_as_local(ray_cluster, settings, tmp_path):
    articles = resolve_articles(["seeds/"])
    local = analyze(articles, settings=settings)
    remote, report = run_engine("ray", articles, settings, work_dir=tmp_path, partition_articles=2)
    assert report.failed == {} and len(report.written) == 3
    assert groups_of(remote) == groups_of(local) and local.groups
    assert_same_rows(remote, local)


def test_generated_articles_same_groups_with_cell_tasks(ray_cluster, settings, generated, tmp_path):
    local = analyze(generated, settings=settings, index=VectorIndex(exact_max=SMALL_EXACT))
    remote, report = run_engine("ray", generated, settings, work_dir=tmp_path, partition_articles=40,
                                index_options={"exact_max": SMALL_EXACT})
    assert report.cell_tasks > 0  # the search ran as Ray tasks, not on the driver
    assert len(local.groups) > 20
    assert groups_of(remote) == groups_of(local)
    assert_same_rows(remote, local)


@pytest.mark.parametrize("model", [DEFAULT_MODEL, "e5-small-int8"])
def test_same_batches_same_groups_with_every_sentence_encoded(ray_cluster, model, tmp_path):
    """Caches off: both engines encode every sentence, the Ray one in chunks on its actors."""
    try:
        articles = generated_articles(900, per_article=4, paired_share=0.3, seed=5)  # 225 articles
    except EvalDataMissing as exc:
        pytest.skip(f"STS-B-fr not available: {exc}")
    settings = resolve_settings(model, cache=False)
    for name, corpus in (("seeds", resolve_articles(["seeds/"])), ("generated", articles)):
        local = analyze(corpus, settings=settings, index=VectorIndex(exact_max=SMALL_EXACT))
        remote, report = run_engine("ray", corpus, settings, work_dir=tmp_path / name, partition_articles=40,
                                    chunk_sentences=128, index_options={"exact_max": SMALL_EXACT})
        assert report.failed == {} and report.chunks >= (1 if name == "seeds" else 5), name
        assert local.groups and groups_of(remote) == groups_of(local), name
        assert np.allclose(remote.embeddings, local.embeddings, atol=1e-6), name


def test_failed_partition_is_named_and_a_rerun_resumes(ray_cluster, settings, generated, tmp_path, monkeypatch):
    articles = generated[:120]
    names = [p.name for p in plan_partitions(articles, 40, "")]
    monkeypatch.setenv(FAIL_ENV, names[1])
    partial, report = run_engine("ray", articles, settings, work_dir=tmp_path, partition_articles=40)
    assert list(report.failed) == [names[1]] and "injected" in report.failed[names[1]]
    assert names[1] in report.summary()
    assert sorted(report.written) == [names[0], names[2]]
    lost = {a.id for a in articles[40:80]}
    assert partial.rows and not any(r.sentence.article in lost for r in partial.rows)

    monkeypatch.delenv(FAIL_ENV)
    whole, rerun = run_engine("ray", articles, settings, work_dir=tmp_path, partition_articles=40)
    assert rerun.written == [names[1]] and sorted(rerun.reused) == [names[0], names[2]]
    assert groups_of(whole) == groups_of(analyze(articles, settings=settings))
    # the first run's vector chunks (other sentences, so other batches) are removed once unused
    assert len(list((tmp_path / "vectors").glob("*.parquet"))) == rerun.chunks + rerun.chunks_reused

    again, third = run_engine("ray", articles, settings, work_dir=tmp_path, partition_articles=40)
    assert third.written == [] and third.chunks == 0 and third.chunks_reused > 0  # nothing is redone
    assert groups_of(again) == groups_of(whole)


def test_failed_encoding_chunk_drops_only_its_partitions(ray_cluster, settings, generated, tmp_path, monkeypatch):
    articles = generated[:120]
    monkeypatch.setenv(FAIL_ENV, "chunk-00001")
    partial, report = run_engine("ray", articles, settings, work_dir=tmp_path, partition_articles=4,
                                 chunk_sentences=32)
    lost = sorted(report.failed)
    assert lost and len(lost) < 30  # the partitions holding one of its 32 sentences, not the others
    assert all("encoding chunk-00001 failed" in report.failed[name] for name in lost)
    assert all(name in report.summary() for name in lost)
    assert report.chunks > 3 and partial.rows
    gone = {a.id for k, a in enumerate(articles) if f"part-{k // 4:05d}" in report.failed}
    assert not any(r.sentence.article in gone for r in partial.rows)
    monkeypatch.delenv(FAIL_ENV)
    whole, rerun = run_engine("ray", articles, settings, work_dir=tmp_path, partition_articles=4,
                              chunk_sentences=32)
    assert rerun.failed == {} and rerun.chunks == 1 and rerun.chunks_reused == report.chunks - 1
    assert groups_of(whole) == groups_of(analyze(articles, settings=settings))


def test_worker_dying_mid_task_is_retried(ray_cluster, settings, generated, tmp_path, monkeypatch):
    articles = generated[:80]
    monkeypatch.setenv(CRASH_ENV, "part-00000")
    _, report = run_engine("ray", articles, settings, work_dir=tmp_path, partition_articles=40)
    assert (tmp_path / ".part-00000.crashed").exists()  # the worker did die once
    assert report.failed == {} and sorted(report.written) == ["part-00000", "part-00001"]


def test_encoder_actor_dying_mid_chunk_is_restarted(ray_cluster, settings, generated, tmp_path, monkeypatch):
    articles = generated[:80]
    monkeypatch.setenv(CRASH_ENV, "chunk-00000")
    remote, report = run_engine("ray", articles, settings, work_dir=tmp_path, partition_articles=40,
                                chunk_sentences=64)
    assert (tmp_path / ".chunk-00000.crashed").exists()  # the actor did die once
    assert report.failed == {} and report.chunks > 1
    assert groups_of(remote) == groups_of(analyze(articles, settings=settings))


def test_unknown_engine_and_address_for_local_are_refused(settings):
    with pytest.raises(ValueError, match="engine must be one of"):
        run_engine("spark", ["seeds/"], settings)
    with pytest.raises(ValueError, match="address"):
        run_engine("local", ["seeds/"], settings, address="ray://x:10001")


def test_store_ingest_on_ray_stores_what_the_local_ingest_stores(ray_cluster, tmp_path):
    from typer.testing import CliRunner

    from cli import app
    from claims.store import Store

    runner = CliRunner()
    for engine in ("local", "ray"):  # the Ray session of the module is reused by the command
        result = runner.invoke(app, ["ingest", "seeds/", "--store", str(tmp_path / engine), "--engine", engine])
        assert result.exit_code == 0, result.output
    with Store.open(tmp_path / "local") as local, Store.open(tmp_path / "ray") as remote:
        assert groups_of(remote.load()) == groups_of(local.load())
        assert (tmp_path / "ray" / "ray-work" / "part-00000.parquet").exists()


def test_ingest_options_are_checked_before_any_work(tmp_path):
    from typer.testing import CliRunner

    from cli import app

    runner = CliRunner()
    bad_engine = runner.invoke(app, ["ingest", "seeds/", "--store", str(tmp_path / "s"), "--engine", "spark"])
    assert bad_engine.exit_code != 0 and "--engine must be one of local, ray" in bad_engine.output
    address_alone = runner.invoke(app, ["ingest", "seeds/", "--store", str(tmp_path / "s"), "--address", "h:6379"])
    assert address_alone.exit_code != 0 and "--address is for --engine ray" in address_alone.output
    assert not (tmp_path / "s").exists()
