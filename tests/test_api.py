"""The public API: one analysis value, settings resolved once, swappable steps, the JSON schema."""

from __future__ import annotations

import json
import warnings
from importlib import resources

import jsonschema
import numpy as np
import pytest

from claims import analyze
from claims.models import available_models
from claims.output import render
from claims.records import Attribution
from claims.settings import resolve_settings
from tests.fake_encoders import BagOfWords, registered

# Two articles, three claims: a shared one (same words), a shared one in other words, one alone.
ARTICLES = {
    "a": "Le gouvernement annonce une hausse des salaires. Il pleut sur Paris depuis lundi.",
    "b": "Une hausse des salaires est annoncée par le gouvernement. La pluie tombe sur Paris depuis lundi.",
}


@pytest.fixture
def fake_model():
    encoder = BagOfWords("fake-bow", 64)
    with registered(encoder):
        yield encoder


def run(model="fake-bow", **kwargs):
    kwargs.setdefault("cache", False)
    kwargs.setdefault("attribution", False)
    kwargs.setdefault("guard", False)
    return analyze(ARTICLES, model=model, **kwargs)


def test_a_registered_fake_model_runs_the_whole_pipeline(fake_model):
    assert "fake-bow" in available_models()
    analysis = run(threshold=0.5, scoring="cosine", stance=False)
    assert fake_model.calls > 0
    assert analysis.settings.model.name == "fake-bow"
    assert [r.sentence.article for r in analysis.rows] == ["a", "a", "b", "b"]
    # The rain sentences share most words: one group across both articles.
    grouped = {(r.sentence.article, r.sentence.index) for r in analysis.rows if r.group}
    assert {("a", 1), ("b", 1)} <= grouped
    assert all(g.comparison is not None for g in analysis.groups)


def test_an_uncalibrated_model_announces_its_fallback(fake_model):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        analysis = run(stance=False)
    messages = " | ".join(str(w.message) for w in caught)
    assert "no calibrated threshold for the hybrid score" in messages
    assert analysis.settings.threshold.source == "estimated from the corpus"
    assert analysis.settings.pair_score.name == "cosine"
    assert analysis.settings.notes


def test_precomputed_embeddings_are_used_and_nothing_is_encoded(fake_model):
    vectors = np.eye(4, dtype=np.float32)
    vectors[3] = vectors[1]  # only the two rain sentences coincide
    analysis = run(embeddings=vectors, threshold=0.9, scoring="cosine", stance=False)
    assert fake_model.calls == 0
    assert [r.group is not None for r in analysis.rows] == [False, True, False, True]
    with pytest.raises(ValueError, match="one row per sentence"):
        run(embeddings=np.eye(3, dtype=np.float32), threshold=0.9, scoring="cosine")


def test_pair_scorer_attributor_and_stance_model_are_swappable(fake_model):
    class EveryPairScores:
        scale = "constant"

        def fit(self, texts, embeddings, article_ids, encoder):
            return lambda i, j, dense: np.ones(len(i), np.float32)

    class EveryoneIsTheMinister:
        def attribute(self, article, sentences):
            return [Attribution("la ministre", "a dit", "indirect")] * len(sentences)

    class AlwaysAgainst:
        def assign(self, group, embeddings):
            import dataclasses
            return dataclasses.replace(group, mentions=tuple(
                dataclasses.replace(m, stance="against") for m in group.mentions))

    analysis = run(pair_scorer=EveryPairScores(), threshold=0.5, attribution=True,
                   attributor=EveryoneIsTheMinister(), stance_model=AlwaysAgainst())
    assert analysis.settings.threshold.scale == "constant"
    assert {r.attribution.speaker for r in analysis.rows} == {"la ministre"}
    assert analysis.groups and all(m.stance == "against" for g in analysis.groups for m in g.mentions)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 2.0, -1.5, "x"])
def test_bad_thresholds_are_refused_before_any_work(value):
    with pytest.raises(ValueError, match="threshold"):
        resolve_settings("e5-small", value)


def test_bad_settings_name_what_is_wrong():
    with pytest.raises(ValueError, match="pair score must be one of"):
        resolve_settings("e5-small", pair_score_name="jaccard")
    with pytest.raises(ValueError, match="min_articles"):
        resolve_settings("e5-small", min_articles=0)
    with pytest.raises(ValueError, match="not installed locally"):
        resolve_settings("no-such-model")


def test_calibrated_threshold_carries_its_scale_and_source():
    settings = resolve_settings("e5-small")
    assert settings.threshold.source == "calibrated" and settings.threshold.scale == "hybrid"
    assert "hybrid scale" in str(settings.threshold)
    assert resolve_settings("e5-small", pair_score_name="csls").threshold.scale == "csls"
    cosine = resolve_settings("e5-small", pair_score_name="cosine").threshold
    assert cosine.scale == "cosine" and 0.8 < cosine.value < 1.0  # stored under the "dense" key


def test_the_analysis_is_immutable(fake_model):
    analysis = run(threshold=0.5, scoring="cosine", stance=False)
    with pytest.raises(Exception):
        analysis.groups = ()
    with pytest.raises(ValueError):
        analysis.embeddings[0, 0] = 1.0


def test_json_document_follows_the_published_schema(fake_model):
    schema = json.loads(resources.files("claims").joinpath("output/schema.json").read_text(encoding="utf-8"))
    analysis = run(threshold=0.5, scoring="cosine")
    document = json.loads(render(analysis, "json"))
    jsonschema.validate(document, schema)
    assert document["groups"], "the test corpus must give at least one group"
    # Positional arrays are gone: a bad document is rejected.
    document["groups"][0]["comparison"]["figure_conflicts"] = [["money", 1, "a", 2, "b", "1", "2"]]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


def test_every_mention_says_why_it_is_in_its_group(fake_model):
    texts = {"a": "Les États-Unis envoient 155 obus de mortier à l'Ukraine. Il pleut.",
             "b": "L'Ukraine recevra 155 obus de mortier des États-Unis. Il neige."}
    analysis = analyze(texts, model="fake-bow", threshold=0.3, scoring="hybrid", cache=False,
                       attribution=False, stance=False)
    group = next(g for g in analysis.groups if len(g.articles) == 2)
    first, second = group.mentions[:2]
    link = first.link
    assert link.partner == second.row and link.lexical is not None and link.score > 0.3
    assert "mortier" in link.shared_words and "US" in link.shared_entities
    assert any("155" in f for f in link.shared_figures)
    record = json.loads(render(analysis, "json"))["groups"][0]["mentions"][0]["link"]
    assert record["partner"]["article"] == "b" and "mortier" in record["shared_words"]
    assert "closest: b" in render(analysis, "table", explain=True)
