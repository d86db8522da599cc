"""The attribution error taxonomy and the experimental source ranker (benchmarks/); names are made up."""

import pytest

from benchmarks.attribution_taxonomy import classify
from benchmarks.source_ranker import FEATURES, SourceRanker
from claims.french.cues import default_lexicon
from claims.records import Attribution


class _Gold:
    def __init__(self, speaker, cue):
        self.speaker, self.cue = speaker, cue


def _pred(speaker):
    return Attribution(speaker, "a dit" if speaker else None, "indirect" if speaker else "none")


@pytest.fixture(scope="module")
def lexicon():
    return default_lexicon()


def test_a_missed_sentence_without_any_cue_is_a_cue_miss(lexicon):
    gold = _Gold("Léa Morvan", None)
    assert classify(gold, _pred(None), "Le pont a été fermé mardi matin.", lexicon) == "no cue"


def test_a_missed_sentence_with_the_gold_cue_found_is_a_source_miss(lexicon):
    gold = _Gold("Agence des routes", "a annoncé")
    text = "Une agence régionale a annoncé que le pont restera fermé."
    assert classify(gold, _pred(None), text, lexicon) == "cue, no source"


def test_the_same_body_under_its_acronym_or_a_longer_name_is_naming(lexicon):
    text = "L'Agence des routes du Nord a annoncé la fermeture."
    assert classify(_Gold("ARN", "a annoncé"), _pred("Agence des routes du Nord"), text, lexicon) == "naming"
    assert classify(_Gold("Léa Morvan", "a dit"), _pred("Morvan"), text, lexicon) == "naming"


def test_a_wrong_speaker_is_span_when_the_gold_is_named_else_context(lexicon):
    text = "Selon Jean Pons, Léa Morvan a menti."
    assert classify(_Gold("Jean Pons", "Selon"), _pred("Léa Morvan"), text, lexicon) == "wrong span"
    text = "Il a ajouté que le pont restera fermé."
    assert classify(_Gold("Jean Pons", "a ajouté"), _pred("Léa Morvan"), text, lexicon) == "pronoun/context"


def test_the_ranker_checks_its_parameters_and_prefers_the_subject():
    with pytest.raises(ValueError):
        SourceRanker(C=0)
    with pytest.raises(ValueError):
        SourceRanker(threshold=1.0)
    subject = FEATURES.index("subject_of_cue")
    rows, labels = [], []
    for k in range(40):  # the cue's subject is the source; an oblique name never is
        row = [0.0] * len(FEATURES)
        row[0] = 1.0
        row[subject] = float(k % 2 == 0)
        row[FEATURES.index("oblique")] = float(k % 2 == 1)
        rows.append(row)
        labels.append(int(k % 2 == 0))
    ranker = SourceRanker().fit(rows, labels)
    best = ranker.best([("cue", "m1", "Jean Pons", rows[1]), ("cue", "m2", "Léa Morvan", rows[0])])
    assert best[2] == "Léa Morvan"
    assert ranker.best([("cue", "m1", "Jean Pons", rows[1])]) is None
    with pytest.raises(ValueError):
        ranker.fit(rows, [1] * len(rows))
