"""Sources met on the fourth batch of speaker-tuning events (issue 13): sport, health agencies,
a town hall. Incises inside quotation marks, epithets for the person a passage is about, a town
hall under its many nouns, a reporting participle with its agent, "dixit".

Every sentence here is made up for the test (invented people, towns and bodies).
"""

from __future__ import annotations

from claims.attribution.corpus import attribute_corpus
from claims.attribution.epithets import is_epithet, salient_person
from claims.attribution.incises import outside
from claims.french.cues import default_lexicon
from claims.ingest.sentences import split_sentences
from claims.records import Article
from tests.attribution_helpers import run


def triples(attributor, text):
    return [(a.speaker, a.cue, a.quote) for a in run(attributor, text)[1]]


def speakers(attributor, text):
    return [a.speaker for a in run(attributor, text)[1]]


# -- incises inside the quotation marks --------------------------------------------------------

def test_an_incise_inside_the_marks_names_the_speaker_of_the_whole_quotation(attributor):
    text = ("« Nous ne reculerons pas, a assuré la maire de Lormel, Anne Carvel. "
            "Le chantier ira jusqu'au bout. Les habitants le méritent. »")
    found = triples(attributor, text)
    assert [s for s, _, _ in found] == ["Anne Carvel"] * 3
    assert found[0][1] == "a assuré" and {q for _, _, q in found} == {"direct"}


def test_an_incise_with_an_adverbial_before_the_postposed_subject(attributor):
    text = ("« C'était prévu depuis longtemps, souligne pour sa part Paul Léger, l'ancien président du club. "
            "Personne n'a été surpris. »")
    assert speakers(attributor, text) == ["Paul Léger", "Paul Léger"]


def test_words_inside_a_quotation_with_no_incise_name_nobody():
    # the holes cut only the incise out of the quoted span: the rest stays quoted
    assert outside([(0, 100)], [(30, 60)]) == [(0, 30), (60, 100)]
    assert outside([(0, 20), (40, 90)], [(10, 50)]) == [(0, 10), (50, 90)]
    assert outside([(0, 20)], [(30, 40)]) == [(0, 20)]


# -- epithets ----------------------------------------------------------------------------------

def test_which_roles_are_epithets():
    lexicon = default_lexicon()
    assert is_epithet("le technicien normand", lexicon)
    assert is_epithet("l'intéressé", lexicon)
    assert is_epithet("l'ancien patron de la ligue", lexicon)  # a former office describes
    assert not is_epithet("le patron de la ligue", lexicon)  # a current one names an office
    assert not is_epithet("le président de la République", lexicon)
    assert not is_epithet("le ministre de la Santé", lexicon)


def test_an_epithet_goes_to_the_most_recent_person_of_its_gender():
    genders = {"Anne Carvel": "F", "Paul Léger": "M"}

    def compatible(person, pronoun):
        return genders.get(person) in (None, "F" if pronoun == "elle" else "M")

    assert salient_person(["Paul Léger", "Anne Carvel"], compatible, "M") == "Paul Léger"
    assert salient_person(["Paul Léger", "Anne Carvel"], compatible, "F") == "Anne Carvel"
    assert salient_person([], compatible, "M") is None


def test_l_interesse_is_the_person_the_passage_is_about(attributor):
    text = ("Marc Dubreuil a quitté son poste d'entraîneur à Lormel. "
            "« Il fallait savoir s'arrêter », souffle l'intéressé.")
    assert triples(attributor, text)[1] == ("Marc Dubreuil", "souffle", "direct")


def test_a_descriptive_role_after_a_named_speaker_is_that_speaker(attributor):
    text = ("« Rien n'est joué », a estimé Paul Léger. "
            "« La saison sera longue », poursuit l'ancien dirigeant normand.")
    assert speakers(attributor, text) == ["Paul Léger", "Paul Léger"]


def test_a_current_office_with_its_complement_stays_a_role(attributor):
    text = ("Marc Dubreuil a quitté son poste d'entraîneur à Lormel. "
            "« Nous chercherons un successeur », a indiqué le patron de la ligue.")
    assert speakers(attributor, text)[1] != "Marc Dubreuil"


# -- a town hall -------------------------------------------------------------------------------

def test_a_town_hall_under_its_many_nouns_is_one_source(attributor):
    text = ("La ville de Vaurenne a annoncé la fermeture des parcs la nuit. "
            "La municipalité a précisé que la mesure serait levée en septembre. "
            "Les riverains sont partagés, selon la mairie.")
    assert speakers(attributor, text) == ["Ville de Vaurenne"] * 3


def test_a_town_hall_noun_alone_is_the_town_another_article_names(attributor):
    first = Article(id="a", text="La ville de Vaurenne a annoncé la fermeture des parcs la nuit.")
    second = Article(id="b", text="Les parcs resteront fermés jusqu'en septembre, a précisé la mairie.")
    sentences = [s for a in (first, second) for s in split_sentences(a)]
    found = attribute_corpus([first, second], sentences, parses=None)
    assert [a.speaker for a in found] == ["Ville de Vaurenne", "Ville de Vaurenne"]


def test_the_town_is_not_the_body_a_later_generic_noun_points_to(attributor):
    text = ("L'Agence régionale des eaux a confirmé la pollution dans la ville de Vaurenne. "
            "L'institution a ajouté que l'eau restait potable.")
    assert speakers(attributor, text)[1] == "Agence régionale des eaux"


# -- a participle with its agent; dixit ---------------------------------------------------------

def test_a_reporting_participle_with_its_agent_in_a_verbless_sentence(attributor):
    text = "Un accord salué par la ministre des Sports, Claire Amand."
    assert triples(attributor, text)[0][:2] == ("Claire Amand", "salué")


def test_a_participle_inside_a_clause_with_a_finite_verb_is_narration(attributor):
    text = "Le texte, critiqué par l'opposition, a été adopté mardi par les députés."
    assert speakers(attributor, text) == [None]


def test_dixit_introduces_the_speaker(attributor):
    text = "« Tout reste possible », dixit Paul Léger, qui entraîne le club depuis dix ans."
    assert triples(attributor, text)[0][:2] == ("Paul Léger", "dixit")


# -- documents with no owner; the medicines agency ----------------------------------------------

def test_a_document_with_no_owner_is_the_source_just_quoted(attributor):
    text = ("Le ministère de l'Agriculture a confirmé mardi deux foyers de grippe aviaire. "
            "Selon le communiqué officiel, les élevages voisins seront contrôlés.")
    assert speakers(attributor, text) == ["ministère de l'Agriculture"] * 2


def test_a_document_with_no_owner_and_no_source_before_is_narration(attributor):
    text = "Selon le communiqué officiel, les élevages voisins seront contrôlés."
    assert speakers(attributor, text) == [None]


def test_the_medicines_agency_under_its_descriptive_name_is_the_ansm(attributor):
    text = "L'agence du médicament a annoncé une surveillance renforcée des effets du vaccin."
    assert speakers(attributor, text) == ["ANSM"]


# -- former offices, descriptive epithets, a headline's quotation first, the police ------------

def test_any_former_office_is_an_epithet_but_a_current_one_is_not():
    lexicon = default_lexicon()
    assert is_epithet("l'ancien président", lexicon)
    assert is_epithet("le champion du monde 2018", lexicon)  # descriptive whatever its complement
    assert not is_epithet("le président républicain", lexicon)


def test_a_former_office_goes_to_the_person_the_passage_is_about(attributor):
    text = ("Paul Léger a quitté la présidence du club de Lormel en 2019. "
            "L'ancien président a promis de soutenir son successeur.")
    assert speakers(attributor, text)[1] == "Paul Léger"


def test_a_headline_quotation_then_its_source_and_verb(attributor):
    text = ("La maire de Lormel, Anne Carvel, a défendu la fermeture des parcs.\n\n"
            "« Nous tiendrons bon » : la maire de Lormel réagit aux critiques des riverains")
    assert speakers(attributor, text)[1] == "Anne Carvel"


def test_the_police_alone_is_the_force_not_the_last_body_named(attributor):
    text = ("Les CRS ont renforcé leurs patrouilles dans le quartier. "
            "Dix personnes ont été interpellées, selon la police.")
    assert speakers(attributor, text)[1] == "police"
