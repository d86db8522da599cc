"""News constructions met on the second round of speaker-tuning events (issue 13).

Every sentence here is made up for the test.
"""

from __future__ import annotations

from claims.attribution.canon import ArticleNames, canonical_speakers, merge_spellings
from claims.attribution.quotes import find_quotes
from claims.records import Attribution
from tests.attribution_helpers import run


def triples(attributor, text):
    return [(a.speaker, a.cue, a.quote) for a in run(attributor, text)[1]]


def test_a_complement_after_an_incise_still_licenses_the_cue(attributor):
    text = ("Le Bureau régional des secours (BRS) a rapporté, jeudi en fin de soirée, "
            "qu'au moins 40 maisons étaient détruites.")
    assert triples(attributor, text)[0][:2] == ("BRS", "a rapporté")


def test_a_figure_makes_evoquer_a_report(attributor):
    text = "Le maire de Port-Neuf évoque entre 300 et 400 sinistrés."
    assert triples(attributor, text)[0][:2] == ("maire de Port-Neuf", "évoque")


def test_a_closing_mark_whose_opening_was_lost_is_a_quotation(attributor):
    text = ("Le Bureau régional des secours (BRS) a publié un bilan.\n\n"
            "Les chiffres vont encore monter\", commentait le bureau du BRS mardi soir.")
    assert triples(attributor, text)[1] == ("BRS", "commentait", "direct")


def test_a_body_that_spoke_is_the_antecedent_of_the_next_il(attributor):
    text = ("« Les routes sont coupées », a annoncé le Bureau régional des secours (BRS). "
            "Au moins dix villages sont isolés, a-t-il ajouté.")
    assert [s for s, _, _ in triples(attributor, text)] == ["BRS", "BRS"]


def test_celui_ci_can_be_a_body(attributor):
    text = ("Une agence a cité le Croissant-Rouge nordique. "
            "Mais celui-ci a démenti avoir fourni ce chiffre.")
    assert triples(attributor, text)[1][:2] == ("Croissant-Rouge nordique", "a démenti")


def test_a_colon_frame_and_the_infinitive_of_narration(attributor):
    text = ("Lors d'une conférence de presse, la ministre Léa Morvan a déclaré :\n\n"
            "« Le pont rouvrira lundi. »\n\n"
            "Et d'ajouter : « Nous remercions les équipes. »")
    assert triples(attributor, text) == [("Léa Morvan", "a déclaré", "direct"),
                                         ("Léa Morvan", "a déclaré", "direct"),
                                         ("Léa Morvan", "ajouter", "direct")]


def test_an_indefinite_role_is_anonymous(attributor):
    text = "Selon un responsable informé, les deux camps ont signé."
    assert triples(attributor, text) == [(None, None, "none")]


def test_a_state_with_its_article_speaks_after_an_incise(attributor):
    text = "Les deux camps ont signé une trêve, a confirmé le Kenya, l'un des médiateurs."
    assert triples(attributor, text)[0][:2] == ("Kenya", "a confirmé")


def test_a_demonym_role_is_the_person_the_article_gave_that_role(attributor):
    text = ("Le ministre des Affaires étrangères du Qatar, Karim Nasser, a annoncé un accord. "
            "Lors d'une conférence de presse, le ministre qatari a précisé que la trêve commencerait dimanche.")
    assert [s for s, _, _ in triples(attributor, text)] == ["Karim Nasser", "Karim Nasser"]


def test_one_spelling_per_source_across_articles():
    said = [Attribution(s, "a dit", "indirect") for s in
            ("Météo-France", "Météo-France", "Météo France", "Karim ben Nasser Al-Amri",
             "Karim bin Nasser Al Amri", "Karim ben Nasser Al-Amri")]
    out = canonical_speakers(said, [0, 1, 2, 0, 2, 1], [ArticleNames()] * 3)
    assert [a.speaker for a in out] == ["Météo-France"] * 3 + ["Karim ben Nasser Al-Amri"] * 3


def test_a_short_open_role_takes_the_one_longer_role_of_the_corpus():
    first = ArticleNames(open_roles={"maire de Port-Neuf": "le maire de Port-Neuf"})
    second = ArticleNames(open_roles={"édile": "l'édile"})
    out = canonical_speakers([Attribution("édile", "demande", "indirect")], [1], [first, second])
    assert out[0].speaker == "maire de Port-Neuf"


def test_an_orphan_closing_mark_needs_a_following_incise():
    text = "Il mesure 2 m 10\" de haut."
    assert not any(q.closed for q in find_quotes(text))


def test_the_speakers_listing_keeps_the_merged_spelling_as_a_variant():
    said = [Attribution("Météo-France", "a dit", "indirect")]
    variants = merge_spellings({"Météo-France": ["le service Météo-France"], "Météo France": []}, said)
    assert variants == {"Météo-France": ["le service Météo-France", "Météo France"]}


def test_the_head_of_government_is_the_prime_minister_the_article_named(attributor):
    text = ("Le Premier ministre nordlandais, Karim Nasser, a annoncé un accord. "
            "Le chef du gouvernement nordlandais a précisé que la trêve commencerait dimanche.")
    assert [s for s, _, _ in triples(attributor, text)] == ["Karim Nasser", "Karim Nasser"]


def test_an_unnamed_body_of_an_organisation_is_a_source(attributor):
    text = "Un organisme des Nations unies a estimé que la crise allait durer."
    assert triples(attributor, text)[0][:2] == ("organisme des Nations unies", "a estimé")


def test_the_representative_of_the_state_is_the_prefect_the_article_named(attributor):
    text = ("Son préfet, Jean Pons, a estimé que la situation s'améliorait. "
            "Le représentant de l'État a ajouté que les écoles rouvriraient.")
    assert [s for s, _, _ in triples(attributor, text)] == ["Jean Pons", "Jean Pons"]
