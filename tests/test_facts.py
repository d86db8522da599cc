"""Fact slots and versions on hand-written French sentences (no model: identical vectors)."""

import numpy as np
import pytest

from claims.analysis import Row
from claims.facts import SlotBuilder, build_facts, stated_figures
from claims.records import NO_ATTRIBUTION, Article, Attribution, Sentence


def test_a_figure_carries_its_kind_qualifier_and_the_place_of_its_own_segment():
    first, second = stated_figures("L'éboulement a fait au moins 120 morts en Grèce, et 45 morts en Albanie.")
    assert [(f.key[1], f.value, f.qualifier) for f in (first, second)] == [("dead", 120.0, "au moins"),
                                                                          ("dead", 45.0, None)]
    assert first.places and second.places and not first.places & second.places


def test_roles_and_periods_tell_apart_figures_of_one_kind():
    single, total = stated_figures("La banque a relevé ses taux de 50 points de base, "
                                   "soit une hausse cumulée de 300 points de base.")
    assert single.key != total.key and total.role == "cumulative"
    won, needed = stated_figures("La candidate compte 231 grands électeurs sur les 270 requis.")
    assert needed.role == "threshold" or needed.key[1] != won.key[1]
    month, = stated_figures("Les prix ont augmenté de 0,7 % sur un mois.")
    year, = stated_figures("Les prix ont augmenté de 5,1 % sur un an.")
    assert (month.period, year.period) == ("month", "year")


def test_durations_years_and_previous_values_are_not_stated_figures():
    texts = [f.text for f in stated_figures("En 2021, après 4,1 % en mars, le chômage a atteint 4,4 % "
                                            "pendant six mois.")]
    assert texts == ["4,4 %"]


def _analysis_parts(items):
    """Articles and rows for build_facts from (article id, date, source, text, speaker)."""
    articles, rows = {}, []
    for n, (article, date, source, text, speaker) in enumerate(items):
        articles.setdefault(article, Article(article, text, date=date, source=source))
        who = Attribution(speaker, "a déclaré", "indirect") if speaker else NO_ATTRIBUTION
        rows.append(Row(Sentence(article, n, text, 0, len(text)), who))
    vectors = np.ones((len(rows), 4), dtype=np.float32) / 2.0  # one topic: every cosine is 1
    return list(articles.values()), rows, vectors


LANDSLIDE = [
    ("a1", "2024-05-10", "Agence A", "Le glissement de terrain a fait au moins 31 morts en Bolivie.", None),
    ("a2", "2024-05-10", "Journal B", "Selon un nouveau bilan, 48 personnes ont été tuées en Bolivie.",
     "protection civile"),
    ("a3", "2024-05-10", "Radio C", "Le glissement de terrain a fait 31 morts en Bolivie.", None),
    ("a4", "2024-05-10", "Radio C", "Au Pérou voisin, 12 morts ont été recensés.", None),
    ("a5", "2024-05-10", "Journal B", "On compte aussi 70 blessés en Bolivie.", None),
]


def test_tolls_for_one_place_and_day_are_versions_of_one_fact_and_other_places_or_kinds_are_not():
    articles, rows, vectors = _analysis_parts(LANDSLIDE)
    facts = build_facts(articles, rows, (), vectors)
    assert len(facts) == 1
    fact = facts[0]
    assert [v.label for v in fact.versions] == ["au moins 31 morts", "48 personnes", "31 morts"]
    assert fact.rows == [0, 1, 2]  # not the toll of Peru (row 3) nor the injured (row 4)
    kinds = {(d.a, d.b): d.kind for d in fact.differences}
    assert kinds[(0, 2)] == "qualifier"  # "au moins 31" and "31"
    assert kinds[(0, 1)] == "update"  # "selon un nouveau bilan"
    assert fact.contested == 2 and fact.kind == "update"
    mention = fact.versions[1].mentions[0]
    assert (mention.article, mention.source, mention.speaker) == ("a2", "Journal B", "protection civile")


def test_same_day_different_values_from_two_sources_are_a_disagreement():
    articles, rows, vectors = _analysis_parts([
        ("b1", "2024-03-02", "A", "L'incendie a fait 14 morts à Valparaiso, selon les pompiers.", "pompiers"),
        ("b2", "2024-03-02", "B", "L'incendie a fait 19 morts à Valparaiso, selon la mairie.", "mairie"),
    ])
    fact, = build_facts(articles, rows, (), vectors)
    assert fact.kind == "disagreement" and [v.value for v in fact.versions] == [14.0, 19.0]


def test_two_aid_packages_months_apart_are_two_facts_not_two_versions():
    articles, rows, vectors = _analysis_parts([
        ("c1", "2022-11", None, "Washington a annoncé une aide militaire de 400 millions de dollars à l'Ukraine.", None),
        ("c2", "2023-06", None, "Washington a annoncé une aide militaire de 325 millions de dollars à l'Ukraine.", None),
    ])
    assert build_facts(articles, rows, (), vectors) == ()


def test_words_that_set_two_figures_apart_in_one_sentence_keep_them_apart_elsewhere():
    articles, rows, vectors = _analysis_parts([
        ("d1", "2024-06-06", None, "Le taux de dépôt passe à 3,5 % et le taux de refinancement à 4 %.", None),
        ("d2", "2024-06-06", None, "Le taux de dépôt est fixé à 3,75 %.", None),
        ("d3", "2024-06-06", None, "Le taux de refinancement est fixé à 4,25 %.", None),
    ])
    facts = build_facts(articles, rows, (), vectors)
    pairs = sorted(sorted(v.value for v in f.versions) for f in facts)
    assert pairs == [[3.5, 3.75], [4.0, 4.25]]


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="topic_threshold"):
        SlotBuilder(topic_threshold=1.5).fit(["a"], np.ones((1, 2)), [None])
    with pytest.raises(ValueError, match="one entry per row"):
        SlotBuilder().fit(["a", "b"], np.ones((1, 2)), [None, None])


def _figure_keys(fact):
    """The kinds (with roles) of the figures a fact's versions give, read back from their sentences."""
    keys = set()
    for version in fact.versions:
        for mention in version.mentions:
            keys.update(f.key for f in stated_figures(mention.text) if f.text == mention.figure)
    return keys


def test_a_version_pair_never_mixes_two_kinds_of_figure():
    articles, rows, vectors = _analysis_parts([
        ("k1", "2024-05-10", "A", "Le séisme a fait 120 morts et 300 blessés au Népal.", None),
        ("k2", "2024-05-10", "B", "Le séisme a fait 140 morts et 450 blessés au Népal.", None),
        ("k3", "2024-05-10", "C", "La banque centrale a relevé son taux de 75 points de base, soit une hausse "
                                  "cumulée de 450 points de base.", None),
        ("k4", "2024-05-10", "D", "La banque centrale a relevé son taux de 50 points de base, soit une hausse "
                                  "cumulée de 475 points de base.", None),
        ("k5", "2024-05-10", "E", "Seuls 94 députés ont voté la motion, qui a recueilli 278 voix.", None),
        ("k6", "2024-05-10", "F", "La motion a recueilli 250 voix.", None),
    ])
    facts = build_facts(articles, rows, (), vectors)
    assert facts, "the tolls and the rises should give facts"
    for fact in facts:
        assert len(_figure_keys(fact)) == 1, fact.what
    values = sorted(sorted(v.value for v in f.versions) for f in facts)
    assert [120.0, 140.0] in values and [300.0, 450.0] in values  # dead apart from injured
    assert [50.0, 75.0] in values and [450.0, 475.0] in values  # a single rise apart from the cumulative one
    assert not any(94.0 in v for v in values)  # deputies voting are not votes


def test_a_bare_number_in_brackets_takes_the_kind_around_it_and_a_province_is_its_own_fact():
    first, second = stated_figures("La majorité des morts (214) ont été recensés à Aïn-Sefra, "
                                   "et à Naâma (97) plus au nord.")
    assert (first.key[1], first.value, second.key[1], second.value) == ("dead", 214.0, "dead", 97.0)
    aside, main = stated_figures("Après la tempête Hilda (17 morts), le bilan fait état de 64 morts.")
    assert aside.role == "aside" and main.role is None
    articles, rows, vectors = _analysis_parts([
        ("p1", "2023-09-10", "A", "La majorité des morts (214) ont été recensés à Aïn-Sefra.", None),
        ("p2", "2023-09-10", "B", "La crue a fait 380 morts dans la province d'Aïn Sefra.", None),
        ("p3", "2023-09-10", "C", "La crue a fait 512 morts.", None),
        ("p4", "2023-09-10", "D", "La crue a fait 540 morts.", None),
    ])
    values = sorted(sorted(v.value for v in f.versions) for f in build_facts(articles, rows, (), vectors))
    assert values == [[214.0, 380.0], [512.0, 540.0]]


def test_a_scheduled_date_and_a_prison_term_are_values_but_a_date_of_narration_is_not():
    date, = stated_figures("Le procès s'ouvrira le 5 mars devant la cour d'assises.")
    assert date.key[0] == "date"
    assert stated_figures("Le 5 mars, la cour d'assises a entendu les témoins.") == ()
    rounds = stated_figures("Les élections auront lieu les 22 mars et 5 avril.")
    assert [f.text for f in rounds] == ["22 mars", "5 avril"]
    whole, minimum = stated_figures("Il a été condamné à 30 ans de réclusion, assortie d'une période "
                                    "de sûreté de 20 ans.")
    assert minimum.role == "minimum-term" and whole.key != minimum.key
    term, = stated_figures("Il a été condamné à douze ans de prison.")
    firm, = stated_figures("Il a écopé de deux ans de prison ferme.")
    assert term.key[0] == "duration" and firm.role == "firm" and term.key != firm.key
    articles, rows, vectors = _analysis_parts([
        ("t1", "2024-01-10", "A", "Le procès s'ouvrira le 5 mars devant la cour d'assises.", None),
        ("t2", "2024-01-10", "B", "Le procès s'ouvrira le 12 mars devant la cour d'assises.", None),
        ("t3", "2024-01-11", "A", "L'accusé a été condamné à douze ans de prison par la cour d'assises.", None),
        ("t4", "2024-01-11", "B", "L'accusé a été condamné à quinze ans de prison par la cour d'assises.", None),
    ])
    facts = build_facts(articles, rows, (), vectors)
    assert sorted(sorted(m.figure for v in f.versions for m in v.mentions) for f in facts) == [
        ["12 mars", "5 mars"], ["douze ans", "quinze ans"]]


def test_one_outlet_giving_two_values_or_two_times_of_day_is_an_update_not_a_disagreement():
    articles, rows, vectors = _analysis_parts([
        ("u1", "2024-03-02", "Radio A", "L'incendie a fait 14 morts à Valparaiso à 14h.", None),
        ("u2", "2024-03-02", "Journal B", "L'incendie a fait 19 morts à Valparaiso à 19h30.", None),
        ("u3", "2024-03-02", "Radio A", "L'incendie a fait 16 morts à Valparaiso.", None),
    ])
    fact, = build_facts(articles, rows, (), vectors)
    kinds = {(fact.versions[d.a].value, fact.versions[d.b].value): d.kind for d in fact.differences}
    assert kinds[(14.0, 19.0)] == "update"  # two times of day
    assert kinds[(14.0, 16.0)] == "update"  # one outlet
    assert kinds[(19.0, 16.0)] == "disagreement"  # two outlets, no time told apart


def test_a_vague_plural_is_a_version_and_does_not_make_two_precise_tolls_one_value():
    articles, rows, vectors = _analysis_parts([
        ("v1", "2023-09-09", "A", "Le séisme a fait 296 morts au Maroc.", None),
        ("v2", "2023-09-09", "B", "Le séisme a fait des centaines de morts au Maroc.", None),
        ("v3", "2023-09-09", "C", "Le séisme a fait 820 morts au Maroc.", None),
    ])
    fact, = build_facts(articles, rows, (), vectors)
    labels = {v.value: v.label for v in fact.versions}
    assert labels[200.0] == "des centaines de morts"
    kinds = {(fact.versions[d.a].value, fact.versions[d.b].value): d.kind for d in fact.differences}
    assert kinds[(296.0, 820.0)] == "disagreement" and kinds[(296.0, 200.0)] == "qualifier"
    assert fact.contested == 2  # 296 and 820; "des centaines" may be either


def _version_sets(items):
    articles, rows, vectors = _analysis_parts(items)
    return sorted(sorted(v.value for v in f.versions) for f in build_facts(articles, rows, (), vectors)
                  if f.kind not in ("stance", "speaker"))


def test_a_percentage_whose_subject_is_only_a_pronoun_is_never_a_version():
    day = "2023-03-01"
    resolved = ("e2", day, None, "L'inflation était de 11,7 % en avril selon l'Insee.", None)
    pronoun = ("e2", day, None, "Elle était de 11,7 % en avril selon l'Insee.", None)
    other = ("e1", day, None, "L'inflation était de 10,9 % en avril selon l'Insee.", None)
    assert _version_sets([other, resolved]) == [[10.9, 11.7]]  # the subject named: two versions
    assert _version_sets([other, pronoun]) == []  # "Elle": maybe energy, maybe inflation


def test_the_month_of_a_figure_s_own_clause_is_its_time():
    day = "2023-03-01"
    february = ("m1", day, None, "L'inflation a atteint 3,4 % sur un an en octobre, selon l'Insee.", None)
    january = ("m2", day, None, "L'inflation a atteint 3 % sur un an en septembre, selon l'Insee.", None)
    revised = ("m3", day, None, "L'inflation a atteint 3,5 % sur un an en octobre, selon l'Insee.", None)
    assert _version_sets([february, january]) == []
    assert _version_sets([february, revised]) == [[3.4, 3.5]]
    after, = [f for f in stated_figures("Les loyers ont augmenté de 3,5 % sur un an après 3 % en septembre.")]
    assert after.month is None  # "en septembre" is the previous value's month


def test_two_different_things_measured_are_two_facts_even_with_the_same_words_around():
    day = "2023-03-01"
    volume = ("s1", day, None, "La consommation des ménages a augmenté de 1,5 % sur un an.", None)
    prices = ("s2", day, None, "Les prix à la consommation des ménages ont augmenté de 0,9 % sur un an.", None)
    prices_again = ("s3", day, None, "Les prix à la consommation des ménages ont augmenté de 1,1 % sur un an.", None)
    assert _version_sets([volume, prices, prices_again]) == [[0.9, 1.1]]


def test_a_place_one_sentence_contrasts_never_pairs_with_an_unplaced_toll():
    day = "2023-02-06"
    both = ("q1", day, "A", "Le séisme a fait 912 morts en Turquie et 560 en Syrie.", None)
    turkey = ("q2", day, "B", "Le séisme a fait 1200 morts en Turquie.", None)
    unplaced = ("q3", day, "C", "Le séisme a fait 1500 morts.", None)
    assert [1200.0, 1500.0] in _version_sets([turkey, unplaced])  # nothing says 1500 is both countries'
    found = _version_sets([both, turkey, unplaced])
    assert [912.0, 1200.0] in found and not any(1500.0 in v for v in found)


def test_subjects_found_once_are_read_back_from_the_memo_without_parsing(tmp_path):
    from claims.facts import subjects
    from claims.memo import Memo

    text = "Elle était de 11,7 % en avril, et l'inflation a atteint 10,2 % en mai."
    starts = [[f.start for f in stated_figures(text)]]
    memo = Memo(tmp_path / "memo.sqlite3")
    first = subjects.figure_subjects([text], starts, memo=memo)
    assert [s.anaphoric for s in first[0]] == [True, False] and "inflation" in first[0][1].lemmas

    class NoParse:
        def pipe(self, *args, **kwargs):
            raise AssertionError("parsed again")

    subjects._MEMO.clear()  # a new process: only the on-disk memo remembers
    assert subjects.figure_subjects([text], starts, nlp=NoParse(), memo=memo) == first


def test_ranges_vague_estimates_and_figures_for_other_places_are_read_as_such():
    governor, = stated_figures("Le gouverneur avance désormais entre 1 500 et 2 000 morts.")
    assert (governor.key[1], governor.lo, governor.hi, governor.qualifier) == ("dead", 1500.0, 2000.0, "entre")
    war, = stated_figures("Le conflit armé aurait causé des dizaines de milliers de blessés en trois ans.")
    assert (war.key[1], war.lo) == ("injured", 20000.0) and war.hi > 90000
    feared, = stated_figures('Le gouverneur redoute "quelques centaines, peut-être des milliers" de morts.')
    assert (feared.key[1], feared.lo, feared.hi) == ("dead", 200.0, 9999.0)
    dead, injured = stated_figures("La tempête a tué 9 personnes et fait près de 120 blessés.")
    assert dead.role is None and injured.qualifier == "près de"  # "près de" is no margin
    elsewhere, = stated_figures("Les pluies ont aussi tué 40 personnes dans d'autres localités du pays.")
    assert elsewhere.role == "elsewhere"


def test_the_place_of_a_speaker_s_office_or_of_a_superlative_is_not_where_a_figure_was_counted():
    toll, = stated_figures("Le porte-parole du ministère de la Santé du Nord du Chili annonce 412 morts.")
    assert not toll.places and not toll.names
    populous, = stated_figures("Le séisme a fait au moins 30 morts dans la région la plus peuplée du Chili.")
    assert not populous.places and not populous.names
    agency, = stated_figures("Une agence de l'OMS publie un bilan de 812 morts.")
    assert not agency.places
    turkey, = stated_figures("Le maire a annoncé 14 morts en Turquie.")
    assert turkey.places


def test_a_town_where_the_event_is_takes_unplaced_tolls_and_its_country_but_not_other_places():
    day = "2023-09-16"
    found = _version_sets([
        ("d1", day, "A", "La coulée de boue a tué au moins 820 personnes dans la ville de Tarvel.", None),
        ("d2", day, "B", "En Libye, la coulée de boue a fait 640 morts à Tarvel.", None),
        ("d3", day, "C", "La coulée de boue a fait 515 morts.", None),
        ("d4", day, "D", "La coulée de boue a fait 390 morts à Tarvel.", None),
        ("d5", day, "A", "La coulée de boue a fait 31 morts dans d'autres localités du pays.", None),
        ("d6", day, "E", "On dénombre encore 19 morts dans d'autres localités du pays.", None),
    ])
    assert [390.0, 515.0, 640.0, 820.0] in found  # a town named by most tolls is the event's place
    assert [19.0, 31.0] in found  # the tolls given for the other places are a fact of their own


def _version_sets_at(items, cosine, **params):
    """Version sets when every two sentences have the given cosine."""
    articles, rows, _ = _analysis_parts(items)
    # Unit vectors whose pairwise cosine is ``cosine``: a shared part plus one own axis each.
    vectors = np.zeros((len(rows), len(rows) + 1), dtype=np.float32)
    vectors[:, 0] = np.sqrt(cosine)
    vectors[np.arange(len(rows)), np.arange(len(rows)) + 1] = np.sqrt(1.0 - cosine)
    facts = build_facts(articles, rows, (), vectors, builder=SlotBuilder(**params))
    return sorted(sorted(v.value for v in f.versions) for f in facts if f.kind not in ("stance", "speaker"))


def test_tolls_of_people_are_compared_across_less_alike_sentences_than_other_figures():
    day = "2024-04-02"
    tolls = [("t1", day, "A", "Le décompte initial donnait 9 morts et 40 blessés.", None),
             ("t2", day, "B", "Plus tard, on apprenait que 26 personnes avaient été tuées.", None)]
    # (A rate no class names: the unemployment rate is compared as closely as a toll since facts14d,
    # claims.facts.measures.)
    rates = [("r1", day, "A", "Le taux de marge a atteint 7,4 % au premier trimestre.", None),
             ("r2", day, "B", "Au premier trimestre, le taux de marge s'est établi à 7,6 %.", None)]
    assert _version_sets_at(tolls, 0.89) == [[9.0, 26.0]]  # a quote, two tolls: the sentences differ more
    assert _version_sets_at(rates, 0.89) == []  # a rate's sentences must be as close as before
    assert _version_sets_at(tolls, 0.89, casualty_topic_threshold=0.90) == []
    with pytest.raises(ValueError):
        SlotBuilder(casualty_topic_threshold=2.0).fit(["a"], np.ones((1, 2)), [None])


def test_a_figure_after_a_mark_of_an_earlier_time_is_another_event_s():
    past, = [f for f in stated_figures("Cette année-là, 80 personnes étaient mortes dans une crue.")]
    assert past.role == "past"
    now, = [f for f in stated_figures("Le bilan atteint 120 morts, bien plus que l'an dernier.")]
    assert now.role is None  # the mark comes after the figure: a comparison, not the figure's time
    day = "2024-10-30"
    found = _version_sets([
        ("p1", day, "A", "Les crues ont fait au moins 64 morts dans la région.", None),
        ("p2", day, "B", "Les crues ont fait 71 morts dans la région, selon les secours.", None),
        ("p3", day, "C", "Cette année-là, 80 personnes étaient mortes dans la région.", None),
        ("p4", day, "D", "Le séisme de l'année dernière avait fait, lui, 95 morts dans la région.", None),
    ])
    assert [64.0, 71.0] in found and not any(80.0 in v or 95.0 in v for v in found if len(v) > 1 and 64.0 in v)


def test_secondary_shocks_are_aftershocks():
    day = "2025-02-01"
    found = _version_sets([
        ("s1", day, "A", "Un séisme de magnitude 6,4 a frappé la région.", None),
        ("s2", day, "B", "Un séisme de magnitude 6,6 a frappé la région, selon l'institut.", None),
        ("s3", day, "C", "Parmi les secousses secondaires, une magnitude de 5,8 a été mesurée.", None),
    ])
    assert [6.4, 6.6] in found and not any(5.8 in v and 6.4 in v for v in found)
