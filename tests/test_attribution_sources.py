"""Sources as they appear in news (issue 13): bodies, the state, "la même source", titled names.

Every sentence here is made up for the test.
"""

from __future__ import annotations

import pytest

from tests.attribution_helpers import run


def speakers(attributor, text):
    return [a.speaker for a in run(attributor, text)[1]]


@pytest.mark.parametrize("text, speaker", [
    ("La BCE estime que la croissance ralentira l'an prochain.", "BCE"),
    ("Selon l'OMC, les échanges mondiaux reculeront de 2 %.", "OMC"),
    ("La chaîne Canal Info a annoncé que le match était reporté.", "Canal Info"),
    ("Selon l'agence de presse nordique Nordpress, le sommet est annulé.", "Nordpress"),
    ("L'Office fédéral des routes (OFROU) a précisé que le tunnel restait fermé.", "OFROU"),
])
def test_bodies_are_sources(attributor, text, speaker):
    assert speakers(attributor, text) == [speaker]


def test_a_bracketed_acronym_names_the_body_afterwards(attributor):
    text = ("Le Bureau national des pluies (BNP) a relevé son alerte. "
            "Selon le Bureau national des pluies, les crues dureront trois jours.")
    assert speakers(attributor, text) == [None, "BNP"]


def test_a_bare_institution_noun_points_back_to_the_body_named_last(attributor):
    text = ("L'Agence régionale des eaux (ARE) a publié ses relevés mardi. "
            "L'institution estime que les nappes sont trop basses.")
    assert speakers(attributor, text) == [None, "ARE"]


def test_the_authorities_with_a_demonym_are_the_state(attributor):
    text = "Les autorités marocaines ont indiqué que les routes étaient rouvertes."
    assert speakers(attributor, text) == ["Maroc"]


def test_the_same_source_is_the_last_source(attributor):
    text = ("Selon l'Insee, les prix ont augmenté de 3 % en mai. "
            "Les loyers ont progressé de 1 %, a précisé la même source.")
    assert speakers(attributor, text) == ["Insee", "Insee"]


def test_vague_collective_sources_stay_narration(attributor):
    text = "Plusieurs pays ont proposé de livrer des vivres."
    assert speakers(attributor, text) == [None]


def test_a_title_between_role_and_name_gives_the_person(attributor):
    text = ("« Nous avons un traitement », a déclaré le directeur de l'agence, le Dr Alon Verhoeven. "
            "Le Dr Verhoeven a ajouté que les essais continuaient.")
    assert speakers(attributor, text) == ["Alon Verhoeven", "Alon Verhoeven"]


def test_an_honorific_for_lawyers_is_dropped(attributor):
    text = "Me Paul Fontanel, son avocat, a confirmé que son client ferait appel."
    assert speakers(attributor, text) == ["Paul Fontanel"]


@pytest.mark.parametrize("text, speaker, cue", [
    ("Le maire a salué le courage des pompiers.", "maire", "a salué"),
    ("La présidente Inès Carvalho s'est dite « soulagée » par le vote.", "Inès Carvalho", "s'est dite"),
    ("La radio Onde Libre l'a déjà annoncé gagnant.", "Onde Libre", "a annoncé"),
    ("L'OMC recommande une baisse des droits de douane.", "OMC", "recommande"),
    ("Les relevés publiés lundi par l'OMC font état d'une baisse.", "OMC", "font état"),
])
def test_more_reporting_cues(attributor, text, speaker, cue):
    attribution = run(attributor, text)[1][0]
    assert (attribution.speaker, attribution.cue) == (speaker, cue)


def test_an_opening_mark_used_to_close_a_quote(attributor):
    text = "« Les prix vont baisser« , a indiqué l'OMC dans un communiqué."
    attribution = run(attributor, text)[1][0]
    assert (attribution.speaker, attribution.quote) == ("OMC", "direct")


@pytest.mark.parametrize("text, speaker", [
    ("Selon le dernier bilan du ministère de la Pêche, 40 bateaux ont coulé.", "ministère de la Pêche"),
    ("Les ventes ont reculé de 2 %, d'après les estimations publiées mardi par l'OMC.", "OMC"),
    ("Selon le bilan officiel, communiqué par les autorités suisses, 12 chalets ont brûlé.", "Suisse"),
    ("Selon les estimations, 12 chalets ont brûlé.", None),
    ("Selon un bilan des autorités locales, 12 chalets ont brûlé.", None),
])
def test_a_document_stands_for_its_source(attributor, text, speaker):
    assert speakers(attributor, text) == [speaker]


def test_a_capitalised_name_after_a_role_is_a_person(attributor):
    text = ("« Le vaccin est sûr », a affirmé le directeur de l'agence, Amara Tesfaye Bekele. "
            "Le patron de l'agence a ajouté que les doses seraient livrées en mai.")
    assert speakers(attributor, text) == ["Amara Tesfaye Bekele", "Amara Tesfaye Bekele"]


def test_a_bracketed_acronym_between_role_and_name(attributor):
    text = "« Il faut agir », a dit la présidente du Comité des sages (CDS), Inès Carvalho."
    assert speakers(attributor, text) == ["Inès Carvalho"]


def test_an_incise_after_a_bracket(attributor):
    text = "Le billet coûte 3 euros (2,80 francs) a précisé le docteur Alon Verhoeven."
    assert speakers(attributor, text) == ["Alon Verhoeven"]


def test_a_described_institution_points_back_to_the_body(attributor):
    text = ("La Banque centrale européenne a publié ses chiffres. "
            "« Les prix vont baisser », a indiqué l'institution de Francfort.")
    assert speakers(attributor, text) == [None, "BCE"]


def test_a_pronoun_agrees_in_gender_with_its_person(attributor):
    text = ("La ministre de la Santé, Inès Carvalho, a reçu le maire, Paul Fontanel. "
            "Le maire a parlé des urgences. "
            "Elle y affirmait que les hôpitaux manquaient de lits.")
    assert speakers(attributor, text)[2] == "Inès Carvalho"


def test_a_pronoun_goes_to_the_subject_earlier_in_its_sentence(attributor):
    text = ("Léa Morvan a présenté son film au festival. "
            "Inès Carvalho n'était pas là, mais elle réagit le soir et se dit « choquée ».")
    assert speakers(attributor, text) == [None, "Inès Carvalho"]


def test_a_person_named_outside_the_subject_becomes_salient(attributor):
    text = ("Léa Morvan a dénoncé la réforme. "
            "Ses propos ont fait réagir la ministre des Sports, Inès Carvalho. "
            "« Je suis choquée », a-t-elle écrit.")
    assert speakers(attributor, text) == ["Léa Morvan", None, "Inès Carvalho"]


@pytest.mark.parametrize("text, speaker, cue", [
    ("Mais Justine Morvan pense que la réforme est injuste.", "Justine Morvan", "pense"),
    ("Pour Léa Morvan, « ce vote est une faute ».", "Léa Morvan", "Pour"),
    ("Pour la France, ce match est décisif.", None, None),
])
def test_viewpoints_and_misparsed_subjects(attributor, text, speaker, cue):
    attribution = run(attributor, text)[1][0]
    assert (attribution.speaker, attribution.cue) == (speaker, cue)


def test_in_his_eyes_is_the_salient_person(attributor):
    text = ("Le ministre Paul Fontanel a présenté le plan mardi. "
            "Ce plan constitue à ses yeux « un tournant ».")
    assert speakers(attributor, text)[1] == "Paul Fontanel"


def test_a_role_resolves_to_the_person_of_that_role(attributor):
    text = ("La réalisatrice Léa Morvan a reçu la Palme d'or. "
            "« Ce prix est collectif », a poursuivi la réalisatrice.")
    assert speakers(attributor, text) == [None, "Léa Morvan"]


def test_the_latter_is_the_last_person_named(attributor):
    text = ("Léa Morvan a critiqué la ministre de la Culture, Inès Carvalho. "
            "Cette dernière a fustigé un discours « injuste ».")
    assert speakers(attributor, text)[1] == "Inès Carvalho"


def test_a_quotation_after_a_colon_is_direct(attributor):
    text = "Elle a quitté la salle : « Je savais déjà tout », a déclaré Léa Morvan."
    attribution = run(attributor, text)[1][0]
    assert (attribution.speaker, attribution.quote) == ("Léa Morvan", "direct")


def test_a_subject_before_an_incise_between_commas(attributor):
    text = "Paul Fontanel, aux portes du pouvoir après sa victoire, a revendiqué un succès historique."
    assert speakers(attributor, text) == ["Paul Fontanel"]


def test_coordinated_sources_after_selon(attributor):
    text = "Le candidat a gagné l'Ohio, selon AP et CNN."
    assert speakers(attributor, text) == ["Associated Press, CNN"]


def test_a_quotation_over_sentences_continues_the_report_before_it(attributor):
    text = ("L'OMC a annoncé une baisse des droits de douane. "
            "« Les droits baisseront de 2 points. Ils resteront bas jusqu'en 2030 ».")
    out = run(attributor, text)[1]
    assert [(a.speaker, a.quote) for a in out] == [("OMC", "indirect"), ("OMC", "direct"), ("OMC", "direct")]


@pytest.mark.parametrize("text, speaker", [
    ("Léa Morvan a profité de la cérémonie pour dénoncer la réforme.", "Léa Morvan"),
    ("Le tribunal correctionnel de Lyon a condamné lundi Paul Fontanel à deux ans de prison.", None),
    ("Le tribunal correctionnel de Lyon a jugé que les faits étaient prescrits.", "tribunal correctionnel de Lyon"),
    ("Le vice-président Paul Fontanel a indiqué que 900 secouristes étaient sur place.", "Paul Fontanel"),
])
def test_infinitives_after_pour_and_sentences_of_courts(attributor, text, speaker):
    assert speakers(attributor, text) == [speaker]


def test_a_pronoun_with_no_person_goes_to_the_body_of_its_gender(attributor):
    text = ("La Banque nordique a relevé ses taux jeudi. "
            "Elle indique dans un communiqué que l'inflation ralentit.")
    assert speakers(attributor, text) == [None, "Banque nordique"]


def test_verbs_scoped_to_the_attribution_leave_the_clause_splitter_alone():
    from claims.french.cues import default_lexicon

    lexicon = default_lexicon()
    assert "évoqué" in lexicon.verb_forms() and "évoqué" not in lexicon.verb_forms(frames=True)
    assert "déclaré" in lexicon.verb_forms(frames=True)
    assert "à ses yeux" not in lexicon.frame_markers() and "selon" in lexicon.frame_markers()


def test_elle_after_a_purpose_clause_is_the_feminine_body_with_an_elided_article(attributor):
    text = ("Pour éviter une pénurie, l’Agence de sûreté des semences a déjà imposé des quotas aux magasins. "
            "Elle a également demandé aux producteurs d'augmenter leurs récoltes.")
    assert speakers(attributor, text) == [None, "Agence de sûreté des semences"]


def test_elle_is_not_a_masculine_body_with_an_elided_article(attributor):
    text = "L’Office des forêts a fermé les sentiers. Elle a demandé aux promeneurs de rester chez eux."
    assert speakers(attributor, text)[1] != "Office des forêts"
