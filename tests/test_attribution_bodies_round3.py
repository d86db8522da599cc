"""Sources met on the third batch of speaker-tuning events (issue 13): prosecutors, a company and
its unions, bodies of an international organisation.

Every sentence here is made up for the test (invented bodies, people and places).
"""

from __future__ import annotations

from claims.attribution.bodies import Bodies, body_mentions
from claims.attribution.body_names import demonym_first
from claims.french.nlp import parse
from tests.attribution_helpers import run


def triples(attributor, text):
    return [(a.speaker, a.cue, a.quote) for a in run(attributor, text)[1]]


def speakers(attributor, text):
    return [a.speaker for a in run(attributor, text)[1]]


def test_a_name_with_its_acronym_in_brackets_is_that_body_whatever_its_head(attributor):
    # "Cadre" is no institution noun of bodies.tsv, and spaCy may tag it as a place
    text = ("Le Cadre commun de veille des semences (CCVS), un organisme de l’ONU situé à Genève, "
            "a confirmé la pénurie dans la région.")
    assert triples(attributor, text)[0][:2] == ("CCVS", "a confirmé")


def test_a_vague_body_apposed_after_a_named_one_stands_for_it(attributor):  # skips without spaCy
    doc = parse(["Le Conseil mondial des semences (CMS), un organisme de l'ONU, a confirmé la pénurie."])[0]
    found = body_mentions(doc, Bodies())
    assert ("body", "CMS") in {(kind, speaker) for _, _, kind, speaker in found}


def test_a_name_apposed_to_an_unknown_role_is_the_speaker(attributor):
    text = ("De son côté, le haut-délégué aux rivières de l’Union, Paul Verlaine-Morin, a rappelé "
            "que les barrages devaient rester ouverts.")
    assert triples(attributor, text)[0][:2] == ("Paul Verlaine-Morin", "a rappelé")


def test_nations_unies_does_not_cut_a_role_before_its_name(attributor):
    text = ("« Ce blocage doit cesser », a accusé le coordinateur des secours des Nations unies, "
            "Jonas Ekberg.")
    assert triples(attributor, text)[0] == ("Jonas Ekberg", "a accusé", "direct")


def test_the_united_nations_written_out_are_the_un(attributor):
    text = "L’Organisation des Nations unies estime que la pénurie touche la vallée."
    assert speakers(attributor, text) == ["ONU"]


def test_l_organisation_after_a_table_name_is_that_organisation(attributor):
    text = ("Vendredi, l’ONU a annoncé une pénurie dans la vallée. "
            "L’organisation a rappelé que les convois étaient bloqués.")
    assert speakers(attributor, text) == ["ONU", "ONU"]


def test_an_acronym_after_an_elided_article_is_a_source(attributor):
    text = "L’OFVS a mis en avant la gravité de la pénurie."
    assert speakers(attributor, text) == ["OFVS"]


def test_wire_copy_gives_its_source_after_aupres_de(attributor):
    text = ("Le distributeur Lumora a présenté mardi un plan menaçant 800 emplois, "
            "a-t-on appris jeudi soir auprès de la direction.")
    assert triples(attributor, text) == [("Lumora", "a-t-on appris", "indirect")]


def test_company_and_union_anaphors_go_to_a_body_of_their_kind(attributor):
    text = ("Le groupe Lumora annonce vouloir fermer dix magasins. "
            "La CGT appelle à la grève. "
            "Dans une lettre ouverte, le syndicat réclame le maintien des emplois. "
            "Dans un message aux clients, l’enseigne affirme que ses ventes ont chuté.")
    assert speakers(attributor, text) == ["Lumora", "CGT", "CGT", "Lumora"]


def test_la_direction_after_a_union_is_the_company(attributor):
    text = ("Le groupe Lumora va fermer deux sites. La CFDT a dénoncé un plan brutal. "
            "Lors d'une réunion, la direction a confirmé la fermeture de trois usines.")
    assert speakers(attributor, text)[1:] == ["CFDT", "Lumora"]
    alone = ("La CFDT a dénoncé un plan brutal. "
             "Lors d'une réunion, la direction a confirmé la fermeture de trois usines.")
    assert speakers(attributor, alone)[1] != "CFDT"  # never the union


def test_an_object_after_a_body_noun_is_not_part_of_its_name(attributor):  # skips without spaCy
    # "de la direction générale | le retrait …": the object starts a new noun phrase
    doc = parse(["La CGT réclame de la direction générale le retrait du plan de départs."])[0]
    names = {speaker for _, _, _, speaker in body_mentions(doc, Bodies())}
    assert "CGT" in names and not any("retrait" in (n or "") for n in names)


def test_a_ministry_takes_its_country_adjective_after_the_head():
    assert demonym_first("ministère des affaires étrangères norvégien") == \
        "ministère norvégien des affaires étrangères"
    assert demonym_first("ministère de la Santé") == "ministère de la Santé"


def test_a_ministry_named_with_a_trailing_adjective_is_written_as_a1_says(attributor):
    text = "Le ministère des affaires étrangères norvégien a dénoncé un rapport partial."
    assert speakers(attributor, text) == ["ministère norvégien des Affaires étrangères"]


def test_a_colon_frame_whose_participle_the_parser_hung_on_the_subject(attributor):
    text = ("Le représentant spécial des Nations unies, Paul Durand, a, lui aussi, réagi vivement : "
            "« Il faut agir vite. »")
    assert triples(attributor, text)[0] == ("Paul Durand", "a réagi", "direct")


def test_a_quotation_alone_after_an_indirect_report_with_quoted_words_goes_on(attributor):
    text = ("Cette pénurie « aurait pu être évitée », a accusé la coordinatrice Ana Ruiz.\n"
            "« Elle doit tous nous marquer. »")
    assert speakers(attributor, text) == ["Ana Ruiz", "Ana Ruiz"]


def test_experts_of_a_body_speak_for_it(attributor):
    text = ("Selon les spécialistes de l’ONU, 300 000 personnes manquent de semences. "
            "Les experts de l'OMS estiment que le virus recule.")
    assert speakers(attributor, text) == ["ONU", "OMS"]


def test_selon_des_experts_alone_stays_vague(attributor):
    assert speakers(attributor, "Selon des experts, la récolte sera faible.") == [None]


def test_a_viewpoint_with_a_possessive_and_a_noun_before_the_name(attributor):
    text = "Pour son collègue Marc Olin, la crise s'explique par les erreurs de la direction."
    assert triples(attributor, text)[0][:2] == ("Marc Olin", "Pour")


def test_faire_part_reports_a_reaction(attributor):
    text = "La maire de Rivel, Anne Clos, a fait part de sa colère."
    assert triples(attributor, text)[0][:2] == ("Anne Clos", "a fait part")


def test_an_infinitive_clause_licenses_a_verb_that_reports_with_que(attributor):
    text = ("La maire de la ville, Anne Clos, a visité le site. "
            "Elle indique ne plus avoir reçu de nouvelles des gardes.")
    assert triples(attributor, text)[1][:2] == ("Anne Clos", "indique")
    assert triples(attributor, "Le préfet indique la route à suivre.") == [(None, None, "none")]


def test_the_clause_of_a_cleft_sentence_is_its_main_clause(attributor):
    text = "C'est dans une lettre aux élus que la préfète Léa Morvan a annoncé la réouverture du pont."
    assert triples(attributor, text)[0][:2] == ("Léa Morvan", "a annoncé")


def test_a_body_named_inside_a_quotation_is_not_the_antecedent_of_l_organisation(attributor):
    text = ("La CGT appelle à la grève. "
            "Le syndicat dénonce « un mépris total de la direction de Lumora ». "
            "L'organisation demande aussi des aides à l'État.")
    assert speakers(attributor, text)[2] == "CGT"
