"""The store as a user meets it: real SQLite files in tmp folders, ingests, reloads, errors.

Most tests use a bag-of-words fake model (fast, exact cosines); the demo-corpus tests use the
real pipeline, like ``claims ingest seeds/ --store s``.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from claims.commands.common import read_articles
from claims.settings import resolve_settings
from claims.store import IngestReport, Store, StoreError
from cli import app
from tests.fake_encoders import BagOfWords, registered

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
NEW_ARTICLE = REPO / "tests" / "data" / "store_article_fr.txt"  # written for these tests, dated 2023-07

W = "dockers portuaires bloquent quais depuis lundi matin".split()
# Two claims, each stated in two articles; the bridge shares 8 of 10 words with the first and
# 9 with the second (cosines 0.8 and 0.9, the claims 0.7 apart): fresh evidence linking both.
DOCKS = {"a": " ".join(W + ["contre", "réforme", "salaires"]) + ".",
         "b": " ".join(["salaires", "réforme", "contre"] + W) + ".",
         "c": " ".join(W + ["obtiennent", "prime", "ministérielle"]) + ".",
         "d": " ".join(["ministérielle", "prime", "obtiennent"] + W) + "."}
BRIDGE = " ".join(W + ["contre", "obtiennent", "prime"]) + "."


@pytest.fixture
def bow():
    """Settings for the fake model: cosine pair score at 0.72, no guard, attribution or stance."""
    with registered(BagOfWords("store-bow", 64)) as entry:
        yield resolve_settings(entry.name, 0.72, pair_score_name="cosine", guards=False, attribution=False,
                               stance=False, cache=False)


def groups_of(analysis):
    return {g.id: sorted(m.sentence.article for m in g.mentions) for g in analysis.groups}


def test_the_same_text_again_changes_nothing(tmp_path, bow):
    with Store.open(tmp_path / "s", create=True) as store:
        first = store.ingest(DOCKS, settings=bow)
        before = groups_of(store.load())
        again = store.ingest(DOCKS)
        assert isinstance(again, IngestReport) and not again.changed
        assert again.unchanged == tuple(DOCKS) and again.added == again.replaced == ()
        assert store.generation == first.generation == 1
        assert groups_of(store.load()) == before == {"c001": ["a", "b"], "c002": ["c", "d"]}


def test_new_evidence_linking_two_claims_is_a_merge_with_both_ids_kept(tmp_path, bow):
    with Store.open(tmp_path / "s", create=True) as store:
        store.ingest(DOCKS, settings=bow)
        report = store.ingest({"e": BRIDGE})
        assert report.added == ("e",) and report.merges == (("c001", "c002"),)
        assert groups_of(store.load()) == {"c001": ["a", "b", "c", "d", "e"]}
        assert store.merges() == [("c001", "c002", 2)]
        assert store.claim_status("c002") == ("merged", "c001")
        assert store.generation == 2


def test_a_changed_text_replaces_the_article_sentences_and_mentions(tmp_path, bow):
    with Store.open(tmp_path / "s", create=True) as store:
        store.ingest(DOCKS, settings=bow)
        report = store.ingest({"d": "La météo annonce de la pluie.\n\n" + DOCKS["d"]})
        assert report.replaced == ("d",) and report.added == ()
        analysis = store.load()
        texts = [s.text for s in analysis.sentences if s.article == "d"]
        assert texts == ["La météo annonce de la pluie.", DOCKS["d"]]
        assert analysis.article("d").text.startswith("La météo")
        assert groups_of(analysis) == {"c001": ["a", "b"], "c002": ["c", "d"]}  # the kept sentence keeps its claim
        report = store.ingest({"d": "Rien à voir : la météo annonce de la pluie."})
        assert report.claims_retired == ()  # c002 keeps its sentence of c, alone: not shown, still stored
        assert groups_of(store.load()) == {"c001": ["a", "b"]} and store.claim_status("c002") == ("active", None)
        assert [s.text for s in store.load().sentences if s.article == "d"] == [
            "Rien à voir : la météo annonce de la pluie."]


def test_other_settings_on_an_existing_store_are_refused(tmp_path, bow):
    with Store.open(tmp_path / "s", create=True) as store:
        store.ingest(DOCKS, settings=bow)
        other = resolve_settings(bow.model.name, 0.5, pair_score_name="cosine", guards=False,
                                 attribution=False, stance=False, cache=False)
        with pytest.raises(StoreError, match="built with other settings.*threshold 0.72 -> 0.5"):
            store.ingest({"e": BRIDGE}, settings=other)
        assert store.generation == 1


def test_empty_texts_and_repeated_ids_are_refused_before_any_write(tmp_path, bow):
    from claims.records import Article

    with Store.open(tmp_path / "s", create=True) as store:
        with pytest.raises(ValueError, match="article 'x': empty text"):
            store.ingest({"a": DOCKS["a"], "x": "  \n"}, settings=bow)
        with pytest.raises(ValueError, match="article id 'a' is given twice"):
            store.ingest([Article("a", DOCKS["a"]), Article("a", DOCKS["b"])], settings=bow)
        assert store.generation == 0


def test_a_missing_store_says_how_to_make_one(tmp_path):
    with pytest.raises(StoreError, match="no store here; create one with `claims ingest PATHS --store"):
        Store.open(tmp_path / "nothing")
    assert not (tmp_path / "nothing").exists()  # opening to read creates nothing


def test_a_store_of_a_newer_schema_is_refused(tmp_path, bow):
    Store.open(tmp_path / "s", create=True).close()
    with sqlite3.connect(tmp_path / "s" / "store.sqlite3") as db:
        db.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    with pytest.raises(StoreError, match="newer version of claims .store schema 99"):
        Store.open(tmp_path / "s")


def test_a_damaged_store_is_named_not_a_traceback(tmp_path, bow):
    folder = tmp_path / "s"
    with Store.open(folder, create=True) as store:
        store.ingest(DOCKS, settings=bow)
    (folder / "store.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="damaged"):
        Store.open(folder)


def test_a_missing_vector_file_is_reported(tmp_path, bow):
    folder = tmp_path / "s"
    with Store.open(folder, create=True) as store:
        store.ingest(DOCKS, settings=bow)
    for f in folder.glob("vectors-*.npy"):
        f.unlink()
    with Store.open(folder) as store, pytest.raises(StoreError, match="vector file vectors-1.npy is missing"):
        store.load()


def test_a_vector_file_of_the_wrong_shape_is_reported(tmp_path, bow):
    folder = tmp_path / "s"
    with Store.open(folder, create=True) as store:
        store.ingest(DOCKS, settings=bow)
    np.save(folder / "vectors-1.npy", np.zeros((3, 64), np.float32))
    with Store.open(folder) as store, pytest.raises(StoreError, match="damaged: vectors-1.npy holds .*expects 4 rows"):
        store.load()


def test_a_second_writer_is_told_the_store_is_locked(tmp_path, bow, monkeypatch):
    import claims.store.schema as schema

    with Store.open(tmp_path / "s", create=True) as store:
        store.ingest(DOCKS, settings=bow)
        monkeypatch.setattr(schema, "BUSY_TIMEOUT_S", 0.2)
        writer = sqlite3.connect(tmp_path / "s" / "store.sqlite3", isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")  # another process's ingest, holding the write lock
        try:
            with pytest.raises(StoreError, match="locked by another ingest"):
                store.ingest({"e": BRIDGE})
            assert groups_of(store.load()) == {"c001": ["a", "b"], "c002": ["c", "d"]}  # reading still works
        finally:
            writer.execute("ROLLBACK")
            writer.close()
        assert store.ingest({"e": BRIDGE}).merges == (("c001", "c002"),)


def test_an_empty_store_cannot_be_loaded(tmp_path):
    with Store.open(tmp_path / "s", create=True) as store, pytest.raises(StoreError, match="the store is empty"):
        store.load()


# --- the demo corpus, real pipeline ---------------------------------------------------------

runner = CliRunner()


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stores") / "seeds"
    with Store.open(folder, create=True) as store:
        store.ingest(read_articles([str(SEEDS)]))
    return folder


def copy_of(folder: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(folder, target)
    return target


def cli(*args) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("command", [
    ("match", "-f", "json"),
    ("match", "-f", "jsonl"),
    ("similar", "obus de 155 mm pour l'Ukraine", "-k", "4", "--json"),
    ("compare", "002", "004", "--json"),
    ("speakers", "--json"),
    ("disputes", "-f", "json"),
])
def test_store_commands_give_what_the_direct_run_gives(seeds_store, command):
    assert cli(*command, "--store", seeds_store) == cli(*command)


def test_one_more_article_keeps_every_demo_claim_id(seeds_store, tmp_path):
    folder = copy_of(seeds_store, tmp_path)
    with Store.open(folder) as store:
        before = store.load()
        report = store.ingest([str(NEW_ARTICLE)])
        after = store.load()
    assert report.added == ("store_article_fr",) and report.merges == () and report.claims_retired == ()
    ids_before = {g.id for g in before.groups}
    assert set(report.claims_kept) == ids_before
    new_groups = {g.id: g for g in after.groups}
    for old in before.groups:  # every demo claim keeps its id and all its sentences
        keys = {(m.sentence.article, m.sentence.text) for m in new_groups[old.id].mentions}
        assert {(m.sentence.article, m.sentence.text) for m in old.mentions} <= keys
    # The new article's credit line for 155 mm shells joins the demo's claim about it.
    credit = next(g for g in before.groups if any("155 mm" in m.sentence.text and "crédit" in m.sentence.text
                                                  for m in g.mentions))
    assert "store_article_fr" in new_groups[credit.id].articles
    # A claim the new article does not touch is kept as it was: mentions, stances, links.
    untouched = [g for g in before.groups if "store_article_fr" not in new_groups[g.id].articles]
    assert untouched and all(new_groups[g.id].mentions == g.mentions for g in untouched)
    assert all(i not in ids_before for i in report.claims_new)


def test_the_whole_store_reads_the_facts_its_ingest_wrote(seeds_store, monkeypatch):
    import claims.facts.build
    from claims.facts.build import build_facts

    def no_parsing(*args, **kwargs):
        raise AssertionError("the whole store should not work its facts out again")

    monkeypatch.setattr(claims.facts.build, "build_facts", no_parsing)
    with Store.open(seeds_store) as store:
        whole = store.load()
    worked_out = build_facts(whole.articles, whole.rows, whole.groups, whole.embeddings)  # what a load used to do
    assert any(f.contested >= 2 for f in whole.facts)
    assert whole.facts == worked_out
    with sqlite3.connect(seeds_store / "store.sqlite3") as db:
        per_fact = dict(db.execute("SELECT slot, COUNT(*) FROM facts GROUP BY slot"))
    assert per_fact == {f.id: sum(len(v.mentions) for v in f.versions) for f in whole.facts}


def test_since_and_until_keep_the_window_and_the_claim_ids(seeds_store):
    with Store.open(seeds_store) as store:
        whole = store.load()
        june = store.load(since="2023-06", until="2023-06-30")
    assert {a.date for a in june.articles} == {"2023-06"}
    assert {g.id for g in june.groups} <= {g.id for g in whole.groups}
    for g in june.groups:
        assert len(g.articles) >= 2 and all(a in {x.id for x in june.articles} for a in g.articles)
        assert g.mentions == tuple(sorted(g.mentions, key=lambda m: m.row))
    assert len(june.embeddings) == len(june.rows) < len(whole.rows)


def test_cli_ingest_prints_what_it_did_and_errors_are_one_line(seeds_store, tmp_path):
    folder = copy_of(seeds_store, tmp_path)
    out = cli("ingest", SEEDS, "--store", folder)
    assert "0 added, 0 replaced, 5 unchanged" in out and "nothing to do" in out
    wide = json.loads(cli("match", "--store", folder, "-a", "3", "-f", "json"))["groups"]
    assert wide and all(len({m["article"] for m in g["mentions"]}) >= 3 for g in wide)
    report = json.loads(cli("ingest", NEW_ARTICLE, "--store", folder, "--json"))
    assert report["added"] == ["store_article_fr"] and report["generation"] == 2
    for args, message in [
        (("match", "--store", tmp_path / "none"), "no store here"),
        (("match", "--store", folder, "--since", "2023-13"), "--since '2023-13' is not a date"),
        (("match", "--store", folder, "--since", "2030"), "no article of"),
        (("match", SEEDS, "--store", folder), "give PATHS or --store, not both"),
        (("match", "--store", folder, "-t", "0.5"), "a store keeps the settings it was built with"),
        (("compare", "002", "009", "--store", folder), "no article id matches it"),
        (("ingest", SEEDS, "--store", folder, "-t", "0.5"), "built with other settings"),
    ]:
        result = runner.invoke(app, [str(a) for a in args])
        assert result.exit_code == 1 and message in result.stderr, (args, result.output)
        assert "Traceback" not in result.output
