"""The real-news loader on a tiny synthetic event written into tmp_path."""

import json

import pytest

from claims.evaluation import realnews
from claims.evaluation.realnews import RealNewsUnavailable, anchor_of, load_gold, sha256_text, try_load_gold
from claims.evaluation.realnews_collect import parse_raw
from claims.ingest.sentences import split_sentences
from claims.records import Article

TEXTS = {
    "x01-a1": "date 2024-01 Le séisme a fait 12 morts, selon la police. Le maire a dit qu'il "
              "faut reconstruire.\n",
    "x01-a2": "Un séisme a fait 12 morts lundi. Il a fait 30 blessés.\n",
}


def _write(tmp_path, texts=TEXTS, sha=None):
    repo, root = tmp_path / "repo", tmp_path / "texts"
    (repo / "annotations").mkdir(parents=True)
    (root / "x01").mkdir(parents=True)
    manifest, rows = [], []
    for art, text in texts.items():
        (root / "x01" / f"{art}.txt").write_text(text, encoding="utf-8")
        manifest.append({"event": "x01", "article": art, "url": f"https://example.org/{art}",
                         "outlet": art, "date": "2024-01", "domain": "disasters",
                         "sha256": sha or sha256_text(text)})
    gold = {("x01-a1", 0): dict(claim="toll-12", speaker="police", cue="selon",
                                quote="indirect", stance="favor"),
            ("x01-a1", 1): dict(claim=None, speaker="maire", cue="a dit", quote="indirect"),
            ("x01-a2", 0): dict(claim="toll-12", stance="neutral"),
            ("x01-a2", 1): dict(claim="injured-30", stance="neutral")}
    for art, text in texts.items():
        for s in split_sentences(Article(id=art, text=text)):
            rows.append({"article": art, "index": s.index, "anchor": anchor_of(s.text),
                         **gold.get((art, s.index), {})})
    (repo / "manifest.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in manifest), encoding="utf-8")
    ann = {"event": "x01", "claims": {"toll-12": "12 dead", "injured-30": "30 injured"},
           "must_not_merge": [{"a": "toll-12", "b": "injured-30", "why": "dead vs injured"}],
           "sentences": rows}
    (repo / "annotations" / "x01.json").write_text(json.dumps(ann), encoding="utf-8")
    return repo, root


def test_gold_from_synthetic_event(tmp_path):
    repo, root = _write(tmp_path)
    gold = load_gold(root=root, repo_dir=repo)
    assert gold.events == ["x01"]
    assert gold.groups == {"x01/toll-12": [("x01-a1", 0), ("x01-a2", 0)]}
    assert gold.contrast == {"x01/injured-30": [("x01-a2", 1)]}
    assert sorted(gold.must_not_merge_pairs()) == [(("x01-a1", 0), ("x01-a2", 1)),
                                                   (("x01-a2", 0), ("x01-a2", 1))]
    assert gold.speakers()[("x01-a1", 0)] == ("police", "selon", "indirect")
    assert gold.speakers()[("x01-a2", 0)] == (None, None, "none")
    assert gold.stances() == {("x01-a1", 0): "favor", ("x01-a2", 0): "neutral"}
    assert gold.articles[0].date == "2024-01"
    assert gold.claim_sets()[("x01-a2", 1)] == frozenset({"x01/injured-30"})


def test_env_var_names_the_texts_folder(tmp_path, monkeypatch):
    repo, root = _write(tmp_path)
    monkeypatch.setenv(realnews.ENV_VAR, str(root))
    assert realnews.texts_dir() == root
    assert len(load_gold(repo_dir=repo).articles) == 2


def test_wrong_sha256_gives_skip_message(tmp_path):
    repo, root = _write(tmp_path, sha="0" * 64)
    gold, message = try_load_gold(root=root, repo_dir=repo)
    assert gold is None
    assert "sha256" in message and "README.md" in message


def test_missing_text_gives_skip_message(tmp_path):
    repo, root = _write(tmp_path)
    (root / "x01" / "x01-a2.txt").unlink()
    with pytest.raises(RealNewsUnavailable, match="missing"):
        load_gold(root=root, repo_dir=repo)
    gold, message = try_load_gold(root=tmp_path / "nowhere", repo_dir=repo)
    assert gold is None and "not usable" in message


def test_anchor_mismatch_is_reported(tmp_path):
    repo, root = _write(tmp_path)
    path = repo / "annotations" / "x01.json"
    ann = json.loads(path.read_text(encoding="utf-8"))
    ann["sentences"][0]["anchor"] = "Autre chose"
    path.write_text(json.dumps(ann), encoding="utf-8")
    with pytest.raises(ValueError, match="anchor"):
        load_gold(root=root, repo_dir=repo)


def test_parse_raw_keeps_text_and_reads_date():
    raw = ("@@@ e99-a1 | Outlet | https://example.org/1\n date 2023-02 Texte un.\n\nSuite.\n"
           "@@@ e99-a2 | Other | https://example.org/2\nTexte deux.\n")
    recs = parse_raw(raw)
    assert [r["article"] for r in recs] == ["e99-a1", "e99-a2"]
    assert recs[0]["text"] == "date 2023-02 Texte un.\n\nSuite.\n"
    assert recs[0]["date"] == "2023-02" and recs[1]["date"] is None


def test_realign_after_a_splitter_change(tmp_path):
    text = "Titre du jour\n\nLe séisme a fait 12 morts. Il a fait 30 blessés.\n"
    repo, root = _write(tmp_path, texts={"x01-a1": text, "x01-a2": TEXTS["x01-a2"]})
    path = repo / "annotations" / "x01.json"
    ann = json.loads(path.read_text(encoding="utf-8"))
    sents = list(split_sentences(Article(id="x01-a1", text=text)))
    assert [s.index for s in sents] == [0, 1, 2]
    # As if an older splitter had dropped the headline: rows 0, 1 hold sentences 1, 2.
    rows = [r for r in ann["sentences"] if r["article"] != "x01-a1"]
    rows += [{"article": "x01-a1", "index": 0, "anchor": anchor_of(sents[1].text),
              "start": sents[1].start, "claim": "toll-12", "stance": "neutral"},
             {"article": "x01-a1", "index": 1, "anchor": anchor_of(sents[2].text),
              "start": sents[2].start, "claim": "injured-30", "stance": "neutral"}]
    ann["sentences"] = rows
    path.write_text(json.dumps(ann), encoding="utf-8")
    with pytest.raises(ValueError, match="anchor"):
        load_gold(root=root, repo_dir=repo)
    gold = load_gold(root=root, repo_dir=repo, realign=True)
    assert gold.gold[("x01-a1", 1)].claim == "x01/toll-12"
    assert gold.gold[("x01-a1", 2)].claim == "x01/injured-30"
    assert gold.gold[("x01-a1", 0)].claim is None
    assert gold.groups == {"x01/toll-12": [("x01-a1", 1), ("x01-a2", 0)],
                           "x01/injured-30": [("x01-a1", 2), ("x01-a2", 1)]}
    assert len(gold.realigned) == 3
