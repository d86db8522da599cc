"""One name per source across a corpus (claims.attribution.canon); no spaCy needed. Names are made up."""

from claims.attribution.canon import ArticleNames, canonical_speakers
from claims.records import Attribution


def _a(speaker):
    return Attribution(speaker, "a dit", "indirect")


def test_a_role_left_open_in_one_article_is_the_person_another_article_names():
    first = ArticleNames(persons=["Léa Morvan"], roles={"ministre de la culture": "Léa Morvan"})
    second = ArticleNames(open_roles={"ministre de la Culture": "la ministre de la Culture"})
    out = canonical_speakers([_a("Léa Morvan"), _a("ministre de la Culture")], [0, 1], [first, second])
    assert [a.speaker for a in out] == ["Léa Morvan", "Léa Morvan"]


def test_a_role_two_people_hold_stays_a_role():
    first = ArticleNames(persons=["Léa Morvan"], roles={"ministre de la culture": "Léa Morvan"})
    other = ArticleNames(persons=["Jean Pons"], roles={"ministre de la culture": "Jean Pons"})
    second = ArticleNames(open_roles={"ministre de la Culture": "la ministre de la Culture"})
    out = canonical_speakers([_a("ministre de la Culture")], [2], [first, other, second])
    assert out[0].speaker == "ministre de la Culture"


def test_a_short_name_gets_the_fullest_form_of_the_corpus():
    first = ArticleNames(persons=["Amara Tesfaye Bekele"])
    second = ArticleNames(persons=["Bekele"])
    out = canonical_speakers([_a("Bekele"), _a("Amara Tesfaye Bekele")], [1, 0], [first, second])
    assert [a.speaker for a in out] == ["Amara Tesfaye Bekele"] * 2


def test_an_institution_noun_becomes_the_one_body_of_its_kind_in_the_corpus():
    first = ArticleNames(bodies={"ministère": "ministère péruvien de la Pêche"})
    second = ArticleNames(open_heads={"ministère": None})
    third = ArticleNames(open_heads={"tribunal": "OMC"})
    out = canonical_speakers([_a("ministère"), _a("tribunal")], [1, 2], [first, second, third])
    assert [a.speaker for a in out] == ["ministère péruvien de la Pêche", "OMC"]


def test_narration_and_bodies_are_left_alone():
    out = canonical_speakers([Attribution(None, None, "none"), _a("OMC, FMI")], [0, 0], [ArticleNames()])
    assert [a.speaker for a in out] == [None, "OMC, FMI"]


def test_a_body_named_in_full_takes_the_acronym_another_article_gave_it():
    first = ArticleNames(acronyms={"agence nationale des pluies": "ANP"})
    second = ArticleNames()
    out = canonical_speakers([_a("Agence nationale des pluies")], [1], [first, second])
    assert out[0].speaker == "ANP"


def test_a_body_named_in_full_takes_the_acronym_its_initials_spell_when_the_corpus_uses_it():
    first = ArticleNames(surfaces={"Office fédéral des semences": ["l'Office fédéral des semences"],
                                   "Office des semences": ["l'Office des semences"]})
    second = ArticleNames(surfaces={"OFS": ["l'OFS"]})
    out = canonical_speakers([_a("Office fédéral des semences"), _a("Office des semences"), _a("OFS")],
                             [0, 0, 1], [first, second])
    assert [a.speaker for a in out] == ["OFS"] * 3


def test_a_body_keeps_its_full_name_when_no_article_uses_the_acronym():
    first = ArticleNames(surfaces={"Office fédéral des semences": ["l'Office fédéral des semences"]})
    second = ArticleNames(surfaces={"OFT": ["l'OFT"]})
    out = canonical_speakers([_a("Office fédéral des semences")], [0], [first, second])
    assert out[0].speaker == "Office fédéral des semences"


def test_a_role_glued_to_a_name_is_the_person_but_a_first_name_is_not_a_role():
    first = ArticleNames(persons=["Oskar Lindqvist", "Anna Le Roux", "Le Roux"])
    out = canonical_speakers([_a("secrétaire général de l'Alliance Oskar Lindqvist"), _a("Anna Le Roux")],
                             [0, 0], [first])
    assert [a.speaker for a in out] == ["Oskar Lindqvist", "Anna Le Roux"]


def test_a_vague_member_of_an_organisation_is_the_one_body_of_it_the_corpus_names():
    first = ArticleNames(acronyms={"bureau des secours du pacifique de l'onu": "BSP"})
    second = ArticleNames(surfaces={"agence de l'ONU": ["une agence de l'ONU"],
                                    "organisme des Nations unies": ["un organisme des Nations unies"]})
    out = canonical_speakers([_a("agence de l'ONU"), _a("organisme des Nations unies")], [1, 1], [first, second])
    assert [a.speaker for a in out] == ["BSP", "BSP"]


def test_a_vague_member_stays_vague_when_the_corpus_names_two_bodies_of_the_organisation():
    first = ArticleNames(acronyms={"bureau des secours du pacifique de l'onu": "BSP",
                                   "fonds des semences des nations unies": "FSNU"})
    second = ArticleNames(surfaces={"agence de l'ONU": ["une agence de l'ONU"]})
    out = canonical_speakers([_a("agence de l'ONU")], [1], [first, second])
    assert out[0].speaker == "agence de l'ONU"


def test_an_acronym_that_skips_words_names_the_body_when_it_is_the_only_one_that_fits():
    first = ArticleNames(surfaces={"Ligue nordique des sociétés de Sauvetage-Marin": ["la Ligue …"]})
    second = ArticleNames(surfaces={"LNSM": ["la LNSM"], "OFS": ["l'OFS"]})
    out = canonical_speakers([_a("Ligue nordique des sociétés de Sauvetage-Marin"), _a("LNSM")],
                             [0, 1], [first, second])
    assert [a.speaker for a in out] == ["LNSM", "LNSM"]
