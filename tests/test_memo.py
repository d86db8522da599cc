"""The on-disk memo of text analyses: warm runs skip spaCy, stale or damaged entries never serve."""

from __future__ import annotations

import warnings

from claims.attribution.corpus import attribute_corpus
from claims.ingest import split_corpus
from claims.ingest.corpus import articles_from_texts
from claims.memo import Memo
from claims.records import Attribution

ARTICLES = articles_from_texts({
    "a": "« Nous tiendrons », a déclaré la ministre. Il pleut.",
    "b": "Le maire a annoncé une hausse des impôts.",
})


class CountingAttributor:
    def __init__(self):
        self.articles = []

    def attribute(self, article, sentences):
        self.articles.append(article.id)
        return [Attribution(f"speaker of {article.id}", "a dit", "direct", (s.start, s.start + 1))
                for s in sentences]


def test_memo_round_trip_keeps_values_and_separates_kinds_and_fingerprints(tmp_path):
    memo = Memo(tmp_path / "m.sqlite3")
    memo.put("roles", "v1", [("texte", {"subject": [["country", "FR"]]})])
    assert memo.get("roles", "v1", ["texte", "autre"]) == [{"subject": [["country", "FR"]]}, None]
    assert memo.get("roles", "v2", ["texte"]) == [None]
    assert memo.get("attribution", "v1", ["texte"]) == [None]


def test_default_attribution_is_read_back_from_the_memo(tmp_path, monkeypatch):
    sentences = split_corpus(ARTICLES)
    memo = Memo(tmp_path / "m.sqlite3")
    first = attribute_corpus(ARTICLES, sentences, memo=memo)
    # The second run must not parse: make the default attributor unusable.
    import claims.attribution.corpus as corpus
    monkeypatch.setattr(corpus, "_default_attributor", lambda: (_ for _ in ()).throw(AssertionError("parsed")))
    assert attribute_corpus(ARTICLES, sentences, memo=memo) == first
    assert first[0].speaker is not None


def test_a_custom_attributor_is_never_memoised(tmp_path):
    sentences = split_corpus(ARTICLES)
    memo = Memo(tmp_path / "m.sqlite3")
    custom = CountingAttributor()
    attribute_corpus(ARTICLES, sentences, custom, memo=memo)
    attribute_corpus(ARTICLES, sentences, custom, memo=memo)
    assert custom.articles == ["a", "b", "a", "b"]


def test_a_damaged_memo_file_warns_once_and_the_run_goes_on(tmp_path):
    path = tmp_path / "m.sqlite3"
    path.write_bytes(b"not a database" * 100)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        memo = Memo(path)
        memo.put("roles", "v1", [("texte", 1)])
        values = memo.get("roles", "v1", ["texte"])
    assert values == [None]
    assert len(caught) == 1 and "not used" in str(caught[0].message)


def test_a_warm_run_loads_neither_spacy_nor_torch(tmp_path):
    # A run whose embeddings and text analyses are all cached must not pay for spaCy or torch.
    import os
    import subprocess
    import sys
    from pathlib import Path

    (tmp_path / "a.txt").write_text("La Russie a démenti toute implication, a déclaré le Kremlin. Il pleut.",
                                    encoding="utf-8")
    (tmp_path / "b.txt").write_text("Le Kremlin a démenti toute implication de la Russie. Il neige.",
                                    encoding="utf-8")
    runner = ("import sys\nsys.argv = ['claims', 'match', '-f', 'jsonl', sys.argv[1]]\nfrom cli import app\n"
              "try:\n    app()\nexcept SystemExit:\n    pass\n"
              "print('HEAVY=' + ','.join(m for m in ('spacy', 'torch') if m in sys.modules), file=sys.stderr)\n")
    repo = Path(__file__).resolve().parents[1]
    runs = [subprocess.run([sys.executable, "-c", runner, str(tmp_path)], capture_output=True, text=True,
                           cwd=repo, env=os.environ.copy()) for _ in range(2)]
    assert all(r.returncode == 0 for r in runs), runs[-1].stderr
    assert runs[0].stdout == runs[1].stdout
    assert "HEAVY=\n" in runs[1].stderr or runs[1].stderr.rstrip().endswith("HEAVY="), runs[1].stderr
