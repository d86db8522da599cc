"""Bad options and hostile text through the CLI: refused before any work, never a traceback."""

from __future__ import annotations

import json
import os
import stat

import pytest
from typer.testing import CliRunner

from cli import app

runner = CliRunner()
A = "L'Otan promet plus d'armes lourdes pour l'Ukraine. Le sommet aura lieu à Vilnius en juillet."
B = "Plus d'armes lourdes pour l'Ukraine, promet l'Otan. Les alliés se retrouveront à Vilnius en juillet."


@pytest.fixture
def corpus(tmp_path):
    (tmp_path / "a.txt").write_text(A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(B + " \x1b[31mROUGE\x1b[0m \x07", encoding="utf-8")
    return tmp_path


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("value, reason", [("nan", "finite"), ("inf", "finite"), ("2", "outside"),
                                           ("-7", "outside")])
def test_bad_thresholds_are_refused_with_one_line(corpus, value, reason):
    result = run("match", corpus, "-t", value)
    assert result.exit_code != 0
    assert reason in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_output_that_is_a_folder_or_in_a_missing_folder_is_refused_first(corpus, tmp_path):
    for target, reason in ((tmp_path, "is a folder"), (tmp_path / "missing" / "out.json", "does not exist")):
        result = run("match", corpus, "-o", target)
        assert result.exit_code != 0 and reason in result.stderr
        assert "Traceback" not in result.output


def test_output_keeps_the_mode_of_an_existing_file(corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    os.chmod(out, 0o644)
    assert run("match", corpus, "-f", "jsonl", "-o", out).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o644 and out.read_text() != "old\n"


def test_escape_sequences_are_shown_not_sent_to_the_terminal(corpus):
    table = run("match", corpus, "-a", "1")
    similar = run("similar", "armes lourdes", corpus)
    for result in (table, similar):
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b[31mROUGE" in similar.stdout
    rows = [json.loads(line) for line in run("match", corpus, "-f", "jsonl").stdout.splitlines()]
    assert any("\x1b[31mROUGE" in r["text"] for r in rows), "JSON Lines keeps the text exact"


def test_rows_and_groups_do_not_depend_on_the_order_of_paths(corpus):
    forward = run("match", corpus / "a.txt", corpus / "b.txt", "-f", "jsonl")
    backward = run("match", corpus / "b.txt", corpus / "a.txt", "-f", "jsonl")
    assert forward.exit_code == 0 and forward.stdout == backward.stdout
    assert any(json.loads(line)["cluster"] for line in forward.stdout.splitlines())


def test_an_oversized_article_is_refused_alone_and_the_others_are_read(corpus):
    big = corpus / "huge.txt"
    big.write_text("mot " * 300_000, encoding="utf-8")  # 1.2 million characters
    result = run("speakers", corpus, "--json")
    assert result.exit_code == 0, result.output
    assert "huge.txt" in result.stderr and "1,000,000" in result.stderr
    assert "Traceback" not in result.output


def test_a_sentence_without_punctuation_is_cut_into_bounded_pieces():
    from claims.ingest.corpus import make_article
    from claims.ingest.sentences import MAX_SENTENCE_CHARS, split_sentences

    text = "sans point " * 5_000
    article = make_article("a", text)
    sentences = list(split_sentences(article))
    assert len(sentences) > 1 and all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    assert all(text[s.start:s.end] == s.text for s in sentences)
