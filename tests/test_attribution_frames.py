"""Sources read from the parse and the article (issue 13): groups of people, relative clauses,
colons before quotations, adverbs inside the cue, topics, gender by agreement, one name per
source with its written variants.

Every sentence here is made up for the test.
"""

from __future__ import annotations

import pytest

from claims.attribution.canon import ArticleNames, speaker_variants
from claims.attribution.tally import count_speakers
from tests.attribution_helpers import run


def last(attributor, text):
    return run(attributor, text)[1][-1]


@pytest.mark.parametrize("text, speaker", [
    ("Un incendie a ravagé l'entrepôt. Les pompiers ont fait état de trois blessés légers.", "pompiers"),
    ("Les négociations patinent. Les pays les plus pauvres dénoncent un accord au rabais.",
     "pays les plus pauvres"),
    ("Le sommet s'est achevé tard. La coalition des États côtiers avait exigé un fonds dédié.",
     "coalition des États côtiers"),
    ("Le port est fermé. Le préfet a indiqué que les navires resteraient à quai jusqu'à lundi.", "préfet"),
])
def test_groups_coalitions_and_officials_are_sources(attributor, text, speaker):
    assert last(attributor, text).speaker == speaker


@pytest.mark.parametrize("text", [
    "Des pompiers ont fait état de trois blessés légers.",  # indefinite: no one source
    "Certains experts dénoncent un accord au rabais.",
])
def test_vague_groups_stay_narration(attributor, text):
    assert last(attributor, text).speaker is None


def test_adverb_between_auxiliary_and_participle(attributor):
    text = "Le ministre Paul Verdier s'est exprimé jeudi. Il a toutefois averti que les prix resteraient élevés."
    assert last(attributor, text)[:2] == ("Paul Verdier", "a averti")


def test_elle_aussi_and_an_object_with_its_attribute(attributor):
    text = "La Norvège a présenté son plan. L'Union européenne a elle aussi jugé l'objectif insuffisant."
    assert last(attributor, text).speaker is not None
    assert last(attributor, text).cue == "a jugé"


def test_cue_in_a_relative_clause_on_the_opening_source(attributor):
    text = ("Les discussions se poursuivent. La coalition des États côtiers, qui réclamait que les "
            "subventions soient supprimées, a quitté la salle.")
    found = last(attributor, text)
    assert (found.speaker, found.cue, found.quote) == ("coalition des États côtiers", "réclamait", "indirect")


def test_restrictive_relative_clause_is_no_source(attributor):
    text = "Les délégations qui réclamaient un fonds ont quitté la salle."
    assert last(attributor, text).speaker is None


def test_colon_before_a_quotation_gives_the_clause_subject(attributor):
    text = "Le Premier ministre a adressé un message aux sinistrés : « Nous serons à vos côtés. »"
    found = last(attributor, text)
    assert found.speaker == "Premier ministre" and found.quote == "direct"
    assert text[found.quote_span[0]:found.quote_span[1]].startswith("Nous serons")


def test_topic_before_the_pronoun_in_the_same_sentence(attributor):
    text = ("Le maire Hugo Blanc a visité le service. "
            "Quant au directeur de l'hôpital, il estime que la situation est maîtrisée.")
    assert last(attributor, text).speaker == "directeur de l'hôpital"


def test_pronoun_agrees_in_gender_shown_by_an_apposition(attributor):
    text = ("Marie Lenoir a réuni le conseil mardi. Jean Castel, son adjoint, était absent. "
            "Elle affirmait que la digue tiendrait.")
    assert last(attributor, text).speaker == "Marie Lenoir"


def test_apposed_role_noun_after_a_postposed_cue(attributor):
    text = "« Nous ne céderons pas. Nous irons jusqu'au bout », a lancé la syndicaliste Nadia Brun."
    sentences, attributions, _ = run(attributor, text)
    assert [a.speaker for a in attributions] == ["Nadia Brun"] * len(sentences)


def test_a_single_name_inside_a_full_name_is_that_person(attributor):
    text = ("Le président brésilien Luiz Inácio Lula da Silva a promis d'agir. "
            "« Nous protégerons la forêt », a déclaré Lula.")
    assert last(attributor, text).speaker == "Luiz Inácio Lula da Silva"


def test_variants_are_the_written_forms_of_one_source(attributor):
    first = ("Le président brésilien Luiz Inácio Lula da Silva a promis d'agir. "
             "« Nous protégerons la forêt », a déclaré Lula.")
    second = ("Lula veut arrêter la déforestation. Le chef de l'État brésilien a affirmé que des agents "
              "seraient envoyés. Selon le président brésilien, les amendes seront doublées.")
    tables, attributions, sentences = [], [], []
    for k, text in enumerate((first, second)):
        s, a, _ = run(attributor, text, f"a{k}")
        tables.append(ArticleNames.of(attributor.context_, attributor.surfaces_))
        sentences += s
        attributions += a
    variants = speaker_variants(tables)
    forms = variants["Luiz Inácio Lula da Silva"]
    assert {"Lula", "le président brésilien", "le chef de l'État brésilien"} <= set(forms)
    assert "Luiz Inácio Lula da Silva" not in forms


def test_count_speakers_carries_the_variants():
    from claims.records import Attribution, Sentence

    sentences = [Sentence("a", 0, "x", 0, 1), Sentence("b", 0, "y", 0, 1)]
    said = [Attribution("Ada Martin", "a dit", "indirect"), Attribution("Ada Martin", "a dit", "direct")]
    rows = count_speakers(sentences, said, {"Ada Martin": ["Mme Martin", "la ministre"]})
    assert len(rows) == 1 and rows[0].variants == ["Mme Martin", "la ministre"] and rows[0].articles == ["a", "b"]


@pytest.mark.parametrize("text, cue", [
    ("La maire Inès Faure s'est étonnée que la route reste fermée.", "s'est étonnée"),
    ("Le syndicaliste Marc Olivier avance que les salaires stagnent depuis cinq ans.", "avance"),
])
def test_speech_verbs_checked_against_the_gender_gap_tracker_list(attributor, text, cue):
    found = last(attributor, text)
    assert found.speaker is not None and found.cue == cue


def test_a_verb_that_reports_only_with_a_clause_is_no_cue_alone(attributor):
    assert last(attributor, "Le cortège de Marc Olivier avance lentement vers la place.").speaker is None


def test_a_relative_with_the_family_name_is_another_person(attributor):
    text = ("Hélène Roussel a présidé le conseil. Son père, Bernard Roussel, a déclaré que la ferme serait vendue.")
    assert last(attributor, text).speaker == "Bernard Roussel"
