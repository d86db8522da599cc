"""The checker that no tracked file repeats six running words of a publisher's text."""

import subprocess

import pytest

from benchmarks.text_leak_check import find_leaks, main

ARTICLE = ("Le conseil municipal de Brévanne a voté mardi soir la fermeture de la piscine "
           "olympique pour trois ans de travaux, dans la nuit de vendredi à samedi.")


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    (root / "seeds").mkdir(parents=True)
    (root / "benchmarks" / "realnews" / "annotations").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


@pytest.fixture
def texts(tmp_path):
    folder = tmp_path / "texts" / "e01"
    folder.mkdir(parents=True)
    (folder / "e01-a1.txt").write_text(ARTICLE, encoding="utf-8")
    return tmp_path / "texts"


def _track(repo, files):
    for name, text in files.items():
        (repo / name).write_text(text, encoding="utf-8")
    subprocess.run(["git", "-C", str(repo), "add", *files], check=True)


def test_a_run_of_six_words_is_found_even_across_a_line_break(repo, texts):
    _track(repo, {"example.py": 'EXAMPLE = ("la fermeture de la\n"\n    "piscine olympique")\n',
                  "short.py": "# la fermeture de la piscine\n"})
    assert find_leaks(repo, texts) == [("example.py", 1, "la fermeture de la piscine olympique")]


def test_annotations_seeds_and_reviewed_phrases_are_not_listed(repo, texts):
    _track(repo, {"seeds/demo.txt": "Le conseil municipal de Brévanne a voté.",
                  "benchmarks/realnews/annotations/e01.json": '{"anchor": "' + ARTICLE + '"}',
                  "notes.md": "Le conseil municipal de Brévanne a voté, dans la nuit de vendredi à samedi.\n"})
    assert find_leaks(repo, texts) == []


def test_lines_of_a_data_file_are_separate_strings(repo, texts):
    _track(repo, {"rows.tsv": "voté mardi soir la\tfermeture de la piscine\n",
                  "rows.json": '["voté mardi soir la",\n "fermeture de la piscine"]\n'})
    assert find_leaks(repo, texts) == []
    _track(repo, {"rows.tsv": "voté mardi soir la fermeture de\n"})
    assert find_leaks(repo, texts) == [("rows.tsv", 1, "voté mardi soir la fermeture de")]


def test_the_check_skips_when_the_texts_are_absent(repo, tmp_path, capsys):
    assert main(["--repo", str(repo), "--texts-dir", str(tmp_path / "absent")]) == 0
    assert "no publisher texts" in capsys.readouterr().out
