"""End to end through the CLI on the demo corpus seeds/."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from claims.models import DEFAULT_MODEL

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
runner = CliRunner()


def run(*args):
    result = runner.invoke(app, list(args))
    return result


@pytest.fixture(scope="module")
def jsonl_rows():
    result = run("match", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def find(rows, article_prefix, *fragments):
    hits = [r for r in rows if r["article"].startswith(article_prefix)
            and all(f in r["text"] for f in fragments)]
    assert hits, f"no sentence of {article_prefix} contains {fragments}"
    return hits


def test_jsonl_has_one_object_per_sentence_with_the_contract_keys(jsonl_rows):
    assert len(jsonl_rows) == 94  # 14 + 17 + 22 + 26 + 15 sentences in seeds/
    for row in jsonl_rows:
        for key in ("article", "index", "text", "start", "end", "cluster", "score", "speaker", "stance"):
            assert key in row
    article = (SEEDS / "002_46166f39458f7f75.txt").read_text(encoding="utf-8")
    row = find(jsonl_rows, "002", "ligne de crédits")[0]
    assert article[row["start"]:row["end"]] == row["text"]


def test_credit_line_sentences_of_002_and_004_share_a_group(jsonl_rows):
    a = find(jsonl_rows, "002", "ligne de crédits", "155 mm")[0]
    b = find(jsonl_rows, "004", "ligne de crédit", "155 mm")[0]
    assert a["cluster"] is not None and a["cluster"] == b["cluster"]


def test_heavy_weapons_calls_of_000_and_001_share_a_group(jsonl_rows):
    clusters_000 = {r["cluster"] for r in find(jsonl_rows, "000", "armes lourdes") if r["cluster"]}
    # 001 words the call as "plus d'armes lourdes" (title) and "plus “équipement de guerre lourd”".
    clusters_001 = {r["cluster"] for r in find(jsonl_rows, "001", "lourd") if r["cluster"]}
    assert clusters_000 & clusters_001


def test_400_and_325_million_dollar_packages_do_not_share_a_group(jsonl_rows):
    a = find(jsonl_rows, "001", "400 millions de dollars")[0]
    b = find(jsonl_rows, "004", "325 millions de dollars")[0]
    assert a["cluster"] is None or a["cluster"] != b["cluster"]


def test_two_runs_give_identical_jsonl(jsonl_rows):
    again = run("match", "--format", "jsonl")
    assert [json.loads(line) for line in again.stdout.splitlines()] == jsonl_rows


def test_table_json_and_csv_formats(tmp_path):
    table = run("match")
    assert table.exit_code == 0 and "claim groups" in table.stdout
    out = tmp_path / "groups.json"
    assert run("match", "-f", "json", "-o", str(out)).exit_code == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["settings"]["model"] == DEFAULT_MODEL and document["groups"]
    assert all(len(set(g["articles"])) >= 2 for g in document["groups"])
    csv_text = run("match", "-f", "csv").stdout
    assert csv_text.splitlines()[0].startswith("group,article,date,source")


def test_speaker_filter_keeps_only_groups_where_the_speaker_appears():
    result = run("match", "-f", "json", "--speaker", "poutine")
    assert result.exit_code == 0, result.output
    groups = json.loads(result.stdout)["groups"]
    assert groups
    for group in groups:
        assert any("Poutine" in (m["speaker"] or "") for m in group["mentions"])


def test_table_shows_speaker_cue_and_quote_type():
    result = run("match", "--speaker", "poutine")
    assert "Vladimir Poutine" in result.stdout and "a décrit" in result.stdout
    assert "[dim]" not in result.stdout  # styles are applied, not printed


def test_tables_keep_the_square_brackets_of_quotations():
    # 000 quotes Stoltenberg with an editorial insertion: «dépendent absolument de [ces livraisons]».
    for args in (("match", "--speaker", "stoltenberg"), ("similar", "L'OTAN a commencé à «intensifier» ses livraisons d'armes à Kiev", "--top", "1")):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert "[ces" in result.stdout, args


@pytest.mark.parametrize("model", ["use", "minilm"])
def test_stance_with_another_model_reads_its_own_encoder(model):
    # The stance classifier was fitted on e5-small vectors: USE's are another size, MiniLM's
    # the same size in another space. Both must still give Poutine favor and NATO against.
    result = run("match", "-m", model, "-f", "json")
    assert result.exit_code == 0, result.output
    mentions = {(m["article"][:3], m["index"]): m["stance"]
                for g in json.loads(result.stdout)["groups"] for m in g["mentions"]}
    assert None not in mentions.values()
    assert mentions[("001", 16)] == "favor" and mentions[("003", 4)] == "against"


def test_min_articles_above_the_corpus_gives_no_group():
    result = run("match", "-f", "json", "--min-articles", "6")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["groups"] == []


def test_similar_lists_the_nearest_sentences():
    result = run("similar", "ligne de crédit d'un milliard de dollars pour des obus de 155 mm", "--top", "2")
    assert result.exit_code == 0, result.output
    assert "155 mm" in result.stdout and "2 " in result.stdout


def test_compare_lists_shared_claims():
    result = run("compare", "002", "004")
    assert result.exit_code == 0, result.output
    assert "155" in result.stdout


def test_speakers_counts_stoltenberg_in_every_article():
    result = run("speakers", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["speaker"] == "Jens Stoltenberg"
    assert len(rows[0]["articles"]) == 5


def test_missing_path_with_a_good_one_warns_and_goes_on(tmp_path):
    good = tmp_path / "a.txt"
    good.write_text("L'Otan promet plus d'armes lourdes pour l'Ukraine.", encoding="utf-8")
    result = run("speakers", str(good), str(tmp_path / "missing.txt"))
    assert result.exit_code == 0
    assert "missing.txt" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary\x00", b"\xff\xfe\xfa\x80\x81"])
def test_only_bad_inputs_exit_non_zero_with_one_line(tmp_path, content):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = run("match", str(bad))
    assert result.exit_code != 0
    assert "bad.txt" in result.stderr and "Traceback" not in result.stderr


def test_empty_folder_is_an_error(tmp_path):
    result = run("match", str(tmp_path))
    assert result.exit_code != 0 and "no article" in result.stderr


@pytest.mark.parametrize("command", ["match", "similar", "compare", "speakers"])
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Usage" in result.stdout
