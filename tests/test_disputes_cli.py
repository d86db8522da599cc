"""`claims disputes`, `match --disputed` and the `fact` key, end to end (model and CLI)."""

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
runner = CliRunner()

# Hand-written dispatches of one landslide: two outlets, successive tolls, one with a qualifier.
DISPATCHES = [
    {"id": "n1", "date": "2024-05-10", "source": "Agence A", "text":
     "Un glissement de terrain a frappé la province de Cochabamba vendredi matin. "
     "Le glissement de terrain a fait au moins 31 morts en Bolivie, selon la protection civile. "
     "Les secours cherchent encore des survivants sous la boue."},
    {"id": "n2", "date": "2024-05-10", "source": "Journal B", "text":
     "Un glissement de terrain a frappé la province de Cochabamba vendredi. "
     "Le glissement de terrain a fait 48 morts en Bolivie, selon un nouveau bilan de la protection civile. "
     "Le président a décrété un deuil national de trois jours."},
    {"id": "n3", "date": "2024-05-10", "source": "Radio C", "text":
     "Un glissement de terrain a frappé vendredi la province de Cochabamba. "
     "Le glissement de terrain a fait 31 morts en Bolivie, selon la protection civile. "
     "Le président a décrété un deuil national de trois jours."},
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("landslide") / "dispatches.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DISPATCHES), encoding="utf-8")
    return str(path)


def run(*args):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_disputes_json_gives_the_toll_versions_with_their_outlets_and_the_update(corpus):
    facts = json.loads(run("disputes", corpus, "--format", "json"))
    tolls = [f for f in facts if f["what"].startswith("dead")]
    assert len(tolls) == 1
    toll = tolls[0]
    assert sorted(v["value"] for v in toll["versions"]) == [31.0, 31.0, 48.0]
    assert {v["label"] for v in toll["versions"]} == {"au moins 31 morts", "31 morts", "48 morts"}
    outlets = {m["source"] for v in toll["versions"] for m in v["mentions"]}
    assert outlets == {"Agence A", "Journal B", "Radio C"}
    kinds = {d["kind"] for d in toll["differences"]}
    assert {"update", "qualifier"} <= kinds  # "selon un nouveau bilan"; "au moins 31" vs "31"


def test_disputes_csv_and_table_list_the_same_fact(corpus):
    rows = list(csv.DictReader(io.StringIO(run("disputes", corpus, "--format", "csv"))))
    assert {r["figure"] for r in rows if r["kind"] in ("update", "disagreement")} >= {"31 morts", "48 morts"}
    table = run("disputes", corpus)
    assert "disputed facts" in table and "48 morts" in table and "Journal B" in table


def test_jsonl_fact_key_names_the_fact_of_each_toll_sentence_and_null_elsewhere(corpus):
    rows = [json.loads(line) for line in run("match", corpus, "--format", "jsonl").splitlines()]
    assert all("fact" in r for r in rows)
    tolls = [r for r in rows if "morts en Bolivie" in r["text"]]
    assert len({r["fact"] for r in tolls}) == 1 and tolls[0]["fact"] is not None
    assert all(r["fact"] is None for r in rows if "survivants" in r["text"])


def test_match_disputed_keeps_the_groups_giving_versions_of_a_disputed_fact(corpus):
    everything = json.loads(run("match", corpus, "--format", "json"))
    disputed = json.loads(run("match", corpus, "--format", "json", "--disputed"))
    kept = {g["id"] for g in disputed["groups"]}
    toll_groups = {g["id"] for g in everything["groups"] if any("morts en Bolivie" in m["text"] for m in g["mentions"])}
    assert toll_groups and toll_groups <= kept
    mourning = {g["id"] for g in everything["groups"] if any("deuil" in m["text"] for m in g["mentions"])}
    assert not mourning & kept  # an agreed claim is not a dispute
    assert disputed["facts"]  # the document carries the facts


@pytest.fixture(scope="module")
def demo_facts():
    return json.loads(run("disputes", str(SEEDS), "--format", "json"))


def test_demo_putin_and_nato_readings_of_the_war_are_one_fact_with_two_stances(demo_facts):
    wanted = [f for f in demo_facts if f["kind"] == "stance" and any(
        "machine militaire" in m["text"] for v in f["versions"] for m in v["mentions"])]
    assert len(wanted) == 1
    fact = wanted[0]
    by_stance = {v["label"]: {m["speaker"] for m in v["mentions"]} for v in fact["versions"]}
    assert by_stance == {"favor": {"Vladimir Poutine"}, "against": {"Otan"}}


def test_demo_400_and_325_million_packages_are_not_versions_of_one_fact(demo_facts):
    for fact in demo_facts:
        texts = " ".join(m["text"] for v in fact["versions"] for m in v["mentions"])
        assert not ("400 millions" in texts and "325 millions" in texts)
