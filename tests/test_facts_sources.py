"""Versions of one fact given by several sources, outside disasters (issue 14, facts14c).

Hand-written French sentences; identical vectors (every cosine 1), so only the reading of the
figures decides: counts of protesters by the unions and by the police, turnout estimates by
polling institutes, health counts.
"""

import numpy as np
import pytest

from claims.analysis import Row
from claims.facts import SlotBuilder, build_facts, stated_figures
from claims.records import NO_ATTRIBUTION, Article, Sentence


def _parts(items):
    """Articles, rows and one-topic vectors from (article, date, text); an article's rows in order."""
    articles, rows = {}, []
    for n, (article, date, text) in enumerate(items):
        articles.setdefault(article, Article(article, text, date=date, source=article.upper()))
        rows.append(Row(Sentence(article, n, text, 0, len(text)), NO_ATTRIBUTION))
    return list(articles.values()), rows, np.ones((len(rows), 4), dtype=np.float32) / 2.0


def _figure_facts(items):
    articles, rows, vectors = _parts(items)
    return [f for f in build_facts(articles, rows, (), vectors) if f.kind not in ("stance", "speaker")]


def test_protesters_by_the_unions_and_by_the_ministry_are_two_versions_of_one_count():
    facts = _figure_facts([
        ("a1", "2025-10-02", "Selon les syndicats, 2,4 millions de manifestants ont défilé en France jeudi."),
        ("a2", "2025-10-02", "Le ministère a compté 910 000 personnes qui ont défilé en France."),
        ("a3", "2025-10-02", "La journée a réuni 910 000 manifestants selon la police et 2,4 millions selon la CFDT."),
    ])
    fact, = facts
    assert sorted(v.value for v in fact.versions) == [910000.0, 2400000.0]
    assert fact.contested == 2 and fact.kind == "disagreement"


def test_a_source_after_the_number_leaves_its_noun_out_and_is_not_what_is_counted():
    police, unions = stated_figures("Le cortège a réuni 40 000 manifestants selon la préfecture "
                                    "et 95 000 selon les organisateurs.")
    assert police.key == unions.key and unions.value == 95000.0
    assert not {"prefec", "organi"} & (police.words | unions.words)  # the sources, not the measure


def test_a_city_count_is_not_a_version_of_the_national_count():
    facts = _figure_facts([
        ("a1", "2025-10-02", "Selon la police, 910 000 manifestants ont défilé en France."),
        ("a2", "2025-10-02", "La CGT revendique 2,4 millions de manifestants en France."),
        ("a3", "2025-10-02", "Selon les organisateurs, 300 000 manifestants ont défilé à Paris."),
        ("a4", "2025-10-02", "La préfecture a compté 55 000 manifestants à Paris."),
        ("a5", "2025-10-02", "Au total, 1,1 million de manifestants auraient défilé, selon les autorités."),
    ])
    for fact in facts:
        places = {p for v in fact.versions for m in v.mentions for p in ("paris",) if "Paris" in m.text}
        values = {v.value for v in fact.versions}
        assert not (places and values & {910000.0, 2400000.0, 1100000.0}), values
    assert any({v.value for v in f.versions} == {300000.0, 55000.0} for f in facts)


def test_another_day_named_in_the_figures_clause_is_another_fact():
    facts = _figure_facts([
        ("a1", "2025-10-02", "Selon le ministère, 910 000 manifestants ont défilé en France jeudi."),
        ("a2", "2025-10-02", "Lors de la journée du 18 septembre, 1,1 million de manifestants avaient défilé en France."),
        ("a3", "2025-10-02", "Les syndicats revendiquent 2,4 millions de manifestants en France."),
    ])
    fact, = facts
    assert sorted(v.value for v in fact.versions) == [910000.0, 2400000.0]


def test_a_sentence_continuing_the_previous_one_keeps_its_place():
    facts = _figure_facts([
        ("a1", "2025-10-02", "À Lyon, la CGT a annoncé 45 000 manifestants."),
        ("a1", "2025-10-02", "De son côté, la préfecture a avancé le chiffre de 18 000 manifestants."),
        ("a2", "2025-10-02", "Selon le ministère, 910 000 manifestants ont défilé en France."),
        ("a3", "2025-10-02", "Les syndicats revendiquent 2,4 millions de manifestants en France."),
    ])
    by_values = sorted(sorted(v.value for v in f.versions) for f in facts)
    assert by_values == [[18000.0, 45000.0], [910000.0, 2400000.0]]


def test_turnout_estimates_by_institutes_are_versions_but_not_the_turnout_at_five_pm():
    facts = _figure_facts([
        ("a1", "2026-03-15", "La participation de 61,5 % est anticipée par l'institut Alpha."),
        ("a2", "2026-03-15", "En fin de soirée, la participation serait de 63 % selon l'institut Beta."),
        ("a3", "2026-03-15", "À 17 heures, la participation s'élevait à 52,3 % selon le ministère."),
    ])
    fact, = facts
    assert sorted(v.value for v in fact.versions) == [61.5, 63.0]


def test_a_range_written_with_a_is_one_figure():
    figure, = stated_figures("Le parti recueillerait 27 à 29 % des voix.")
    assert (figure.lo, figure.hi) == (27.0, 29.0)
    assert len(stated_figures("Le taux est passé de 4 % à 4,5 %.")) == 2  # a change, two figures


def test_a_mark_of_comparison_sets_no_earlier_time():
    figure, = stated_figures("La participation est plus forte qu'il y a cinq ans, avec 64 % des inscrits.")
    assert figure.role is None
    earlier, = stated_figures("Il y a cinq ans, la crue avait fait 40 morts.")
    assert earlier.role == "past"


def test_cases_and_their_synonyms_are_one_kind_and_confirmed_cases_another_question():
    cases, deaths = stated_figures("Le pays compte 12 000 cas et 300 décès depuis janvier.")
    infections, = stated_figures("Plus de 11 000 infections ont été signalées depuis janvier.")
    confirmed, = stated_figures("On dénombre 400 cas confirmés depuis janvier.")
    assert cases.key == infections.key != deaths.key
    assert confirmed.key != cases.key and confirmed.role == "confirmed"


def test_a_capital_is_where_a_count_was_made_not_its_country():
    paris, = stated_figures("Selon la police, 80 000 manifestants ont défilé à Paris.")
    france, = stated_figures("Selon la police, 900 000 manifestants ont défilé en France.")
    assert paris.places and france.places and not paris.places & france.places


def test_articles_must_match_the_rows():
    with pytest.raises(ValueError, match="articles"):
        SlotBuilder().fit(["a", "b"], np.ones((2, 2)), [None, None], ["x"])


def _full_matrix_pairs(builder, members, vectors):
    """The candidate pairs as the first version found them: every cosine of the kind computed."""
    from claims.facts.slots import CASUALTY_KINDS, _named

    key = builder.items_[members[0]].figure.key
    topic = builder.topic_threshold
    if key[0] == "count" and key[1] in CASUALTY_KINDS and builder.casualty_topic_threshold is not None:
        topic = builder.casualty_topic_threshold
    generic = max(builder.topic_threshold, builder.generic_topic_threshold)
    floor = min(topic, builder.place_topic_threshold)
    sub = vectors[[builder.items_[i].row for i in members]]
    sims = sub @ sub.T
    k = min(builder.max_neighbours, len(members) - 1)
    out = set()
    for p, line in enumerate(sims):
        taken = 0
        for q in np.argsort(-line, kind="stable"):
            if taken >= k or line[q] < floor:
                break
            if q == p:
                continue
            taken += 1
            a, b = builder.items_[members[p]].figure, builder.items_[members[q]].figure
            placed = (bool(a.places) and a.places == b.places) or builder._same_subject(members[p], members[q])
            if line[q] < topic and not placed:
                continue
            sure = _named(key) or line[q] >= (min(generic, builder.place_topic_threshold) if placed else generic)
            if q > p and sure and builder._pair_ok(members[p], members[q]):
                out.add((members[p], members[q]))
    return out


@pytest.mark.parametrize("neighbours", [3, 50])
@pytest.mark.parametrize("exact_limit", [0, 2048])  # the index search, and the matrix of small kinds
def test_nearest_neighbour_candidates_are_the_full_matrix_candidates(neighbours, exact_limit, monkeypatch):
    monkeypatch.setattr("claims.facts.slots.EXACT_NEIGHBOURS", exact_limit)
    rng = np.random.default_rng(7)
    places = ["en Bolivie", "au Pérou", "en Équateur", ""]
    texts = [f"Le glissement de terrain a fait {10 + n} morts {places[n % 4]}.".replace(" .", ".")
             for n in range(60)]
    centre = rng.normal(size=16)
    vectors = centre + 0.25 * rng.normal(size=(60, 16))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    builder = SlotBuilder(max_neighbours=neighbours, read_subjects=False).fit(texts, vectors, ["2024-05-10"] * 60)
    members = list(range(len(builder.items_)))
    assert len({builder.items_[i].figure.key for i in members}) == 1
    got = {(i, j) for _, i, j in builder._candidate_pairs(members, vectors)}
    assert got == _full_matrix_pairs(builder, members, vectors) and got


def test_one_sentence_giving_two_sources_values_is_a_disagreement_not_an_update():
    facts = _figure_facts([
        ("a1", "2025-10-02", "La journée a réuni 910 000 manifestants selon la police et 2,4 millions selon la CFDT."),
        ("a2", "2025-10-02", "Selon les syndicats, 2,4 millions de manifestants ont défilé."),
    ])
    fact, = facts
    assert fact.kind == "disagreement"
    revised = _figure_facts([
        ("a1", "2025-10-02", "La police a d'abord compté 850 000 manifestants."),
        ("a1", "2025-10-02", "Le ministère a ensuite compté 910 000 manifestants."),
    ])
    assert revised[0].kind == "update"
