"""Tests for claims.ingest.corpus: reading articles and their metadata, and reporting bad input."""

import io
import json
from pathlib import Path

import pytest

from claims.ingest.corpus import InputProblem, TextMarks, articles_from_texts, load_articles
from claims.ingest.decoding import DecodeError, decode_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
FRENCH = "Le secrétaire général de l’Otan a déclaré « oui » à l’Ukraine. Cœur"


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def reasons(problems: list[InputProblem]) -> list[str]:
    return [p.reason for p in problems]


# --- seeds and metadata -------------------------------------------------------------------

def test_seed_metadata():
    articles, problems = load_articles([SEEDS])
    assert problems == []
    by_key = {a.id[:3]: a for a in articles}
    assert {k: a.date for k, a in by_key.items()} == {
        "000": "2022-06", "001": "2023-01", "002": "2023-06", "003": None, "004": "2023-06"}
    assert {k: a.source for k, a in by_key.items()} == {
        "000": None, "001": None, "002": "ATS", "003": None, "004": None}
    assert by_key["001"].title == "L’Otan promet plus d’armes lourdes pour l’Ukraine"
    assert by_key["000"].title is None  # first line is a sentence, not a headline


def test_text_is_kept_unchanged(tmp_path):
    text = " date 2023-06 Le chef parle.\n\n/ATS"
    write(tmp_path, "a.txt", text)
    [article], _ = load_articles([tmp_path])
    assert article.text == text
    assert (article.id, article.date, article.source) == ("a", "2023-06", "ATS")
    assert article.path == str(tmp_path / "a.txt")


@pytest.mark.parametrize("ending, source", [
    ("Il part. (Reuters)", "Reuters"), ("Il part.\n\n(AFP)", "AFP"), ("Il part. /ATS/AFP", "ATS/AFP"),
    ("Il part.\n\nAvec AFP", "AFP"), ("L'Agence France-Presse (AFP) le dit.", None),
])
def test_trailing_agency_mark_gives_source(ending, source):
    [article] = articles_from_texts([ending])
    assert article.source == source


def test_reuters_dateline_gives_source():
    [article] = articles_from_texts(["PARIS, 14 juin (Reuters) - Le chef de l'Otan parle."])
    assert article.source == "Reuters"


def test_articles_from_texts_ids_and_metadata():
    articles = articles_from_texts(["date 2023-01 Un.", "Deux."])
    assert [(a.id, a.date) for a in articles] == [("doc0", "2023-01"), ("doc1", None)]
    assert [a.id for a in articles_from_texts({"x": "Un.", "y": "Deux."})] == ["x", "y"]
    with pytest.raises(TypeError):
        articles_from_texts("Un texte seul.")


def test_marks_file_with_unknown_section_is_refused(tmp_path):
    marks = write(tmp_path, "marks.txt", "[trails]\n/AFP\n")
    with pytest.raises(ValueError, match="unknown sections"):
        TextMarks(marks)


# --- files and folders --------------------------------------------------------------------

def test_folder_reads_txt_and_jsonl_sorted_not_recursive(tmp_path):
    write(tmp_path, "b.txt", "Bé.")
    write(tmp_path, "a.txt", "A.")
    write(tmp_path, "c.jsonl", json.dumps({"id": "c1", "text": "C."}) + "\n")
    write(tmp_path, "notes.md", "Pas un article.")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "d.txt", "D.")
    articles, problems = load_articles([tmp_path])
    assert [a.id for a in articles] == ["a", "b", "c1"]
    assert problems == []
    assert load_articles([tmp_path]) == (articles, problems)  # same input, same output


def test_inputs_keep_command_line_order(tmp_path):
    a, b = write(tmp_path, "a.txt", "A."), write(tmp_path, "b.txt", "B.")
    assert [x.id for x in load_articles([b, a]).articles] == ["b", "a"]


def test_missing_path_and_empty_folder_are_problems(tmp_path):
    (tmp_path / "empty").mkdir()
    articles, problems = load_articles([tmp_path / "nope.txt", tmp_path / "empty"])
    assert articles == []
    assert problems == [InputProblem(str(tmp_path / "nope.txt"), "no such file or folder"),
                        InputProblem(str(tmp_path / "empty"),
                                     "folder holds no .txt or .jsonl article")]


@pytest.mark.parametrize("content, reason", [
    (b"", "empty file"), (b" \n\n ", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (contains NUL bytes)"),
])
def test_empty_and_binary_files_are_skipped(tmp_path, content, reason):
    bad = write(tmp_path, "bad.txt", content)
    write(tmp_path, "good.txt", "Le chef parle.")
    articles, problems = load_articles([tmp_path])
    assert [a.id for a in articles] == ["good"]
    assert problems == [InputProblem(str(bad), reason)]


def test_utf8_bom_is_removed(tmp_path):
    write(tmp_path, "a.txt", "\ufeffLe chef parle.".encode("utf-8"))
    [article], problems = load_articles([tmp_path])
    assert article.text == "Le chef parle." and problems == []


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_western_encoding_is_decoded_with_a_warning(tmp_path, encoding):
    text = FRENCH if encoding == "cp1252" else "Le chef a jugé que l'Ukraine était là, à côté."
    path = write(tmp_path, "a.txt", text.encode(encoding))
    [article], problems = load_articles([path])
    assert article.text == text
    assert problems == [InputProblem(str(path), "warning: not UTF-8; read as cp1252 (detected)")]


def test_undecodable_text_is_refused(tmp_path):
    path = write(tmp_path, "ru.txt", "Привет мир, это тест на русском языке.".encode("cp1251"))
    articles, [problem] = load_articles([path])
    assert articles == []
    assert problem.path == str(path)
    assert problem.reason.startswith("not UTF-8 and the encoding could not be told reliably")


def test_decode_text_reports_encoding():
    assert decode_text("été".encode("utf-8")) == ("été", None)
    assert decode_text("Ça coûte 5 €.".encode("iso8859_15")) == ("Ça coûte 5 €.", "iso8859_15")
    with pytest.raises(DecodeError):
        decode_text(bytes(range(128, 256)))


def test_duplicate_ids_are_problems_not_overwrites(tmp_path):
    first = write(tmp_path, "a.txt", "Premier.")
    (tmp_path / "other").mkdir()
    second = write(tmp_path / "other", "a.txt", "Second.")
    articles, problems = load_articles([first, second])
    assert [a.text for a in articles] == ["Premier."]
    assert problems == [InputProblem(str(second),
                                     f"duplicate article id 'a' (first read from {first}); skipped")]


# --- JSONL --------------------------------------------------------------------------------

def test_jsonl_contract(tmp_path):
    lines = [
        json.dumps({"id": "x", "text": "date 2023-06 Un.", "title": "T", "url": "http://u"}),
        "{not json",
        json.dumps({"id": "y"}),
        json.dumps(["id", "text"]),
        "",
        json.dumps({"id": 7, "text": "Sept.", "date": "2024-01-02", "source": "AFP"}),
        json.dumps({"id": "z", "text": "Zut.", "date": 2024}),
        json.dumps({"id": "w", "text": "   "}),
    ]
    path = write(tmp_path, "a.jsonl", "\n".join(lines) + "\n")
    articles, problems = load_articles([path])
    assert [(a.id, a.title, a.date, a.source, a.url) for a in articles] == [
        ("x", "T", "2023-06", None, "http://u"), ("7", None, "2024-01-02", "AFP", None)]
    assert articles[0].path == f"{path}:1"
    assert [(p.path, p.reason.split(" (")[0]) for p in problems] == [
        (f"{path}:2", "invalid JSON"),
        (f"{path}:3", "missing field 'text'"),
        (f"{path}:4", "expected a JSON object with 'id' and 'text'"),
        (f"{path}:7", "field 'date' must be a string"),
        (f"{path}:8", "field 'text' must be a non-empty string"),
    ]


def test_jsonl_bad_utf8_line_is_skipped(tmp_path):
    data = (json.dumps({"id": "a", "text": "Un."}).encode() + b"\n"
            + b'{"id": "b", "text": "\xe9t\xe9"}\n')
    path = write(tmp_path, "a.jsonl", data)
    articles, problems = load_articles([path])
    assert [a.id for a in articles] == ["a"]
    assert problems == [InputProblem(f"{path}:2", "not valid UTF-8 (JSONL must be UTF-8)")]


def test_empty_jsonl_is_a_problem(tmp_path):
    path = write(tmp_path, "a.jsonl", "\n\n")
    assert load_articles([path]) == ([], [InputProblem(str(path), "empty file")])


# --- standard input -----------------------------------------------------------------------

def test_stdin_text_is_one_article():
    articles, problems = load_articles(["-"], stdin=io.StringIO(" date 2023-06 Le chef parle."))
    assert [(a.id, a.date) for a in articles] == [("stdin", "2023-06")] and problems == []


def test_stdin_bytes_are_decoded_like_files():
    stream = io.TextIOWrapper(io.BytesIO(FRENCH.encode("cp1252")), encoding="utf-8")
    [article], [problem] = load_articles(None, stdin=stream)
    assert article.text == FRENCH and problem.reason.startswith("warning:")


def test_stdin_jsonl():
    data = "\n".join(json.dumps({"id": i, "text": t}) for i, t in [("a", "Un."), ("b", "Deux.")])
    articles, problems = load_articles(["-"], stdin=io.StringIO(data))
    assert [a.id for a in articles] == ["a", "b"] and problems == []
