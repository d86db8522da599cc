"""Check that no tracked file repeats six running words of a publisher's article.

``python -m benchmarks.text_leak_check`` reads the real-news texts (``~/claims-realnews/e*/``,
outside git) and lists every line of a git-tracked file that shares a run of six or more
words with one of them. Runs that also occur in the demo corpus ``seeds/`` (written for the
project) are ignored, and so are the annotation files and the manifest, which may hold
anchors of at most six words and URLs. Exit status 1 when a line is listed, 0 otherwise;
the run skips with one message (exit 0) when the texts are absent.

A listed run may still be a set phrase any French text uses; reading the line decides. Runs
inside phrases read and judged to be only names, titles or set phrases (never a sentence of an
article, ``REVIEWED_PHRASES``) are not listed.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

RUN_LENGTH = 6
ALLOWED_PATHS = ("benchmarks/realnews/annotations/", "benchmarks/realnews/manifest.jsonl")
# Phrases read and judged harmless: names of bodies and people, job titles (also speaker labels
# in benchmarks/results/attribution.json) and phrases any French text uses. A run whose words all
# lie inside such phrases is not listed. A phrase goes here only after reading the line and the
# article it is in, and never a sentence.
REVIEWED_PHRASES = (
    # names
    "Agence nationale de sécurité du médicament",
    "Institut national de la statistique et des études économiques",
    "l'institut national de la statistique",
    "l'Organisation mondiale de la santé (OMS)",
    "l'Alliance mondiale du vaccin (GAVI)",
    "Libertés, Indépendants, Outre-mer et Territoires",
    "Fédération internationale des sociétés de la Croix-Rouge et du Croissant-Rouge",
    "Sheikh Mohammed bin Abdulrahman Al Thani a",
    "Marine Le Pen",
    "La France insoumise",
    "Jean-Luc Mélenchon",
    "réalisatrice d'Anatomie d'une chute",
    # job titles
    "le Premier ministre et ministre des Affaires étrangères",
    "ministre des Affaires étrangères du Qatar",
    "ministre de la Santé de l'administration de l'Est de la Libye",
    "ministre de la Santé du gouvernement de Tobrouk",
    "secrétaire général de l'Organisation météorologique mondiale",
    "la ministre de la Culture",
    "ministre de la Culture",
    "le secrétaire général de l'ONU",
    "ministre de la Santé",
    "le secrétaire général de l'ONU",
    "de l'Intérieur",
    "un rapport de la Cour des comptes",  # the public auditor, named in e37's texts
    "le rapport de la Cour des comptes",
    # set phrases
    "assortie d'une période de sûreté",
    "la hausse des prix de l'énergie a",
    "la hausse des prix à la consommation",
    "a déclaré le directeur de l'",
    "dans la nuit de vendredi à samedi",
    "degrés sur l'échelle de Richter",
    # set phrases in the search queries of events.json (e30, e32)
    "selon le ministère de l'Intérieur",
    "décès depuis le début de l'année",
    "par rapport à l'année précédente",
    # names, titles and a search query's figure met again in e39-e42 (match12d)
    "Le prix Nobel de littérature a été",
    "Le gouverneur de la Banque de France a",
    "le gouverneur de la banque centrale",
    "8,5 millions d'appareils Windows",

    # set phrases in the search query of e33 and in e34's texts (speakers13d)
    "les Bleus après la Coupe du monde 2026",
    "la campagne de vaccination contre le",
)
# Files whose lines (or tab-separated fields) are separate strings: a run never crosses them.
LINE_SUFFIXES = {".json", ".jsonl", ".tsv", ".csv"}
BINARY_SUFFIXES = {".png", ".parquet", ".npy", ".onnx", ".bin", ".pt", ".safetensors", ".gz"}


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _runs(text: str) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i : i + RUN_LENGTH]) for i in range(len(words) - RUN_LENGTH + 1)}


def _runs_of_files(paths) -> set[tuple[str, ...]]:
    runs: set[tuple[str, ...]] = set()
    for path in paths:
        if path.is_file():
            runs |= _runs(path.read_text(errors="ignore"))
    return runs


def _leaking_runs(text: str, publisher: set, reviewed: list[list[str]]):
    """(character offset, run) of each run of ``text`` found in ``publisher`` and not reviewed."""
    tokens = [(m.group().lower(), m.start()) for m in re.finditer(r"\w+", text)]
    words = [word for word, _ in tokens]
    covered = set()
    for phrase in reviewed:
        for i in range(len(words) - len(phrase) + 1):
            if words[i : i + len(phrase)] == phrase:
                covered.update(range(i, i + len(phrase)))
    for i in range(len(words) - RUN_LENGTH + 1):
        run = tuple(words[i : i + RUN_LENGTH])
        if run in publisher and not covered.issuperset(range(i, i + RUN_LENGTH)):
            yield tokens[i][1], " ".join(run)


def find_leaks(repo: Path, texts_dir: Path) -> list[tuple[str, int, str]]:
    """Return ``(path, line number, shared run)`` for every leaking line of ``repo``."""
    publisher = _runs_of_files(texts_dir.glob("e*/*"))
    publisher -= _runs_of_files((repo / "seeds").glob("*"))
    tracked = subprocess.run(
        ["git", "-C", str(repo), "ls-files"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    reviewed = [_words(phrase) for phrase in REVIEWED_PHRASES]
    leaks = []
    for name in tracked:
        if name.startswith(ALLOWED_PATHS) or Path(name).suffix in BINARY_SUFFIXES:
            continue
        try:
            text = (repo / name).read_text()
        except (UnicodeDecodeError, OSError):
            continue
        if Path(name).suffix in LINE_SUFFIXES:
            units = [(m.start(), m.group()) for m in re.finditer(r"[^\t\n]+", text)]
        else:  # the whole file, so that a run broken across two lines is found too
            units = [(0, text)]
        reported = set()
        for unit_start, unit in units:
            for start, run in _leaking_runs(unit, publisher, reviewed):
                number = text.count("\n", 0, unit_start + start) + 1
                if number not in reported:
                    reported.add(number)
                    leaks.append((name, number, run))
    return leaks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--texts-dir", type=Path, default=Path("~/claims-realnews"))
    args = parser.parse_args(argv)
    texts_dir = args.texts_dir.expanduser()
    if not any(texts_dir.glob("e*/*")):
        print(f"text_leak_check: no publisher texts under {texts_dir}; nothing to check.")
        return 0
    leaks = find_leaks(args.repo, texts_dir)
    for name, number, run in leaks:
        print(f"{name}:{number}: {run}")
    print(f"text_leak_check: {len(leaks)} line(s) share {RUN_LENGTH} running words "
          "with a publisher's text.")
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
