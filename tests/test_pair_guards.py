import pytest

from claims.french.entities import entity_mentions
from claims.matching.pair_guards import PairGuard

# Seed sentences (articles 001, 002, 004).
AID_400 = ("La dernière réunion du groupe en novembre a eu lieu alors que les États-Unis "
           "annonçaient un programme d’aide de 400 millions de dollars, comprenant des missiles sol-air.")
AID_325 = ("Comme d’habitude, les États-Unis ont ouvert le bal des contributions en annonçant le "
           "13 juin une nouvelle rallonge de 325 millions de dollars, comportant la livraison à Kiev "
           "de missiles sol-air Stinger et Javelin, de véhicules Bradley et d’équipements de communication.")
CREDIT_002 = ("Une ligne de crédits de 1 milliard de dollars a été adoptée cette année pour des "
              "munitions de 155 mm, a-t-il rappelé.")
CREDIT_004 = ("Par ailleurs, une ligne de crédit d’un milliard de dollars a été adoptée pour acheter des "
              "munitions de 155 mm car les alliés doivent aussi réalimenter leurs propres stocks afin "
              "d’éviter de se trouver en état de fragilité en cas de conflit majeur.")


@pytest.fixture(scope="session")
def guard():
    from claims.french.nlp import french_nlp

    return PairGuard(nlp=french_nlp())


def test_seed_credit_lines_may_match(guard):
    assert guard(CREDIT_002, CREDIT_004) is None


def test_seed_aid_packages_of_different_amounts_are_blocked(guard):
    assert guard(AID_400, AID_325) == "numbers: 400000000 USD vs 325000000 USD"


def test_negation_blocks(guard):
    reason = guard("Pour le moment, l’Ukraine ne peut pas rejoindre l’organisation.",
                   "Pour le moment, l’Ukraine peut rejoindre l’organisation.")
    assert reason and reason.startswith("negation")


def test_different_years_are_blocked(guard):
    reason = guard("En 2022, l'Otan a promis des armes lourdes.", "En 2023, l'Otan a promis des armes lourdes.")
    assert reason == "numbers: year 2022 vs year 2023"


@pytest.mark.parametrize("a, b", [
    ("L'Allemagne a annoncé une nouvelle aide militaire à l'Ukraine.",
     "Les États-Unis ont annoncé une nouvelle aide militaire à l'Ukraine."),
    ("L'aide américaine comprend des missiles Stinger.", "L'aide allemande comprend des missiles Stinger."),
    ("Le paquet d'aide de l'Allemagne atteint deux milliards.",
     "Le paquet d'aide de la France atteint deux milliards."),
])
def test_different_donors_are_blocked(guard, a, b):
    reason = guard(a, b)
    assert reason and reason.startswith("entities")


@pytest.mark.parametrize("a, b", [
    # a capital stands for its country
    ("Berlin a annoncé une nouvelle aide militaire.", "L'Allemagne a annoncé une nouvelle aide militaire."),
    # roles differ but each names the other's subject
    ("Les États-Unis livrent des armes à l'Ukraine.", "L'Ukraine reçoit des armes des États-Unis."),
    # one of several coordinated donors
    ("Les Pays-Bas et le Danemark ont proposé de former des pilotes.",
     "Les Pays-Bas ont proposé de former des pilotes."),
    # speakers may differ: one claim, two sources
    ("La Russie a averti que les livraisons d'armes prolongeraient le conflit.",
     "La Chine a averti que les livraisons d'armes prolongeraient le conflit."),
    # the recipient is not a donor
    ("L'aide à l'armée ukrainienne augmente.", "L'aide américaine augmente."),
])
def test_entity_guard_is_conservative(guard, a, b):
    assert guard(a, b) is None


def test_each_guard_can_be_switched_off():
    assert PairGuard(numbers=False, entities=False, when=False)(AID_400, AID_325) is None
    assert PairGuard(negation=False, entities=False, when=False)(
        "L’Ukraine ne peut pas rejoindre l’Otan.", "L’Ukraine peut rejoindre l’Otan.") is None
    assert PairGuard(numbers=False, negation=False, entities=False, when=False)(
        "En 2022, l'Otan a promis des armes.", "En 2023, l'Otan a promis des armes.") is None
    assert PairGuard(numbers=False, negation=False, entities=False, when=False)(
        "Le conseil s'est réuni jeudi.", "Le conseil s'est réuni lundi.") is None


def test_prepare_gives_the_same_answers(guard):
    fresh = PairGuard(nlp=guard.nlp)
    a = "L'Allemagne a annoncé une nouvelle aide militaire."
    b = "Les États-Unis ont annoncé une nouvelle aide militaire."
    fresh.prepare([a, b, CREDIT_002])
    assert fresh(a, b) == guard(a, b)


def test_prepare_takes_docs_parsed_by_the_caller(guard):
    from claims.french.nlp import parse

    a = "L'Allemagne a annoncé une nouvelle aide militaire."
    b = "Les États-Unis ont annoncé une nouvelle aide militaire."
    shared = PairGuard(nlp=guard.nlp).prepare([a, b], parse([a, b], guard.nlp))
    assert shared(a, b) == guard(a, b) == "entities: DE vs US (subject)"
    with pytest.raises(ValueError, match="does not match"):
        PairGuard(nlp=guard.nlp).prepare([a, b], parse([b, a], guard.nlp))


def test_entity_mentions_map_aliases_to_one_id():
    ids = [m.id for m in entity_mentions("Washington, les États-Unis, l'aide américaine, l'OTAN, Moscou")]
    assert ids == ["US", "US", "US", "NATO", "RU"]


def test_different_days_are_blocked():
    guard = PairGuard(entities=False)
    assert guard("Le conseil municipal s'est réuni jeudi.",
                 "Le conseil municipal se réunira lundi 12 juin.") == "when: jeudi vs lundi 12 juin"
    assert guard("Le conseil municipal s'est réuni jeudi soir.", "Le conseil municipal s'est réuni jeudi.") is None


def test_article_dates_resolve_what_the_sentence_leaves_implicit():
    a = "En 2019, la mairie avait approuvé un premier budget."
    b = "La mairie a approuvé lundi un nouveau budget."
    assert PairGuard(entities=False)(a, b) is None  # the year of "lundi" is unknown
    dated = PairGuard(entities=False).set_dates([a, b], ["2024-05", "2024-05-14"])
    assert dated(a, b) == "when: En 2019 vs lundi"
    # "le 13 mai" of an article of May 2024 was a Monday
    c = "La mairie a approuvé le 13 mai un nouveau budget."
    assert dated.set_dates([c], ["2024-05"])(b, c) is None


def test_a_year_in_the_background_does_not_block_sentences_sharing_a_month():
    guard = PairGuard(entities=False)
    a = "Le chômage a reculé en mars, retrouvant son niveau de novembre 2021."
    b = "En mars 2024, le chômage a reculé."
    assert guard(a, b) is None


@pytest.mark.parametrize("a, b, blocked", [
    ("La pétition déposée par le groupe Horizon a été rejetée.", "La pétition déposée par le PCF a été rejetée.", True),
    ("La pétition déposée par le Parti communiste français a été rejetée.",
     "La pétition déposée par le PCF a été rejetée.", False),  # initials
    ("La pétition déposée par l'Union des démocrates (UDI) a été rejetée.",
     "La pétition déposée par l'UDI a été rejetée.", False),  # acronym in parentheses
    ("Un vaccin fabriqué par Sanofi a été approuvé.", "Un vaccin fabriqué par Moderna a été approuvé.", True),
    # the agent of a reporting verb is a speaker
    ("La hausse a été annoncée par Martin Durand.", "La hausse a été annoncée par Claire Petit.", False),
    # one names the other's agent
    ("La pétition déposée par Horizon, soutenue par le PCF, a été rejetée.",
     "La pétition déposée par le PCF a été rejetée.", False),
])
def test_agents_of_passives(a, b, blocked):
    reason = PairGuard(numbers=False, when=False, negation=False)(a, b)
    assert bool(reason and reason.startswith("agents")) is blocked
