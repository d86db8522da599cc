"""Comparison of a claim group's articles: stances, differing figures, speakers, dates."""

from __future__ import annotations

import json

import pytest

from claims.comparison import (GroupComparison, compare_articles, compare_group, comparison_as_dict,
                               is_disputed)
from claims.records import Article, Attribution, ClaimGroup, Mention, Sentence

NARRATION = Attribution(None, None, "none")


def mention(article: str, index: int, text: str, stance=None, speaker=None) -> Mention:
    attribution = Attribution(speaker, "a déclaré", "indirect") if speaker else NARRATION
    return Mention(Sentence(article, index, text, 0, len(text)), 0.9, attribution, stance)


def group(*mentions: Mention, gid: str = "c001") -> ClaimGroup:
    return ClaimGroup(gid, tuple(mentions))


AID_400 = "Les États-Unis ont annoncé un programme d'aide de 400 millions de dollars pour Kiev."
AID_325 = "Les États-Unis ont annoncé une rallonge de 325 millions de dollars pour Kiev."


def test_stance_split_names_who_holds_each():
    g = group(mention("a", 0, "Poutine décrit une guerre contre l'Occident.", "favor", "Vladimir Poutine"),
              mention("b", 0, "L'OTAN n'est pas partie à la guerre.", "against", "OTAN"),
              mention("b", 1, "La guerre dure depuis février.", "neutral"))
    c = compare_group(g)
    assert c.stances == {"favor": [("a", "Vladimir Poutine")], "against": [("b", "OTAN")],
                         "neutral": [("b", None)]}


def test_holders_are_listed_once():
    g = group(mention("a", 0, "Il faut plus d'armes.", "favor", "Jens Stoltenberg"),
              mention("a", 1, "Il faut encore plus d'armes.", "favor", "Jens Stoltenberg"),
              mention("b", 0, "Il faut des armes.", "favor", "Jens Stoltenberg"))
    assert compare_group(g).stances["favor"] == [("a", "Jens Stoltenberg"), ("b", "Jens Stoltenberg")]


def test_mentions_without_stance_are_left_out():
    g = group(mention("a", 0, "Le sommet a lieu en juillet."), mention("b", 0, "Le sommet est en juillet."))
    assert compare_group(g).stances == {"favor": [], "against": [], "neutral": []}


def test_differing_amounts_give_both_values_and_articles():
    c = compare_group(group(mention("a", 0, AID_400, "neutral"), mention("b", 0, AID_325, "neutral")))
    assert len(c.figure_conflicts) == 1
    conflict = c.figure_conflicts[0]
    assert conflict.slot == "money"
    assert (conflict.value_a, conflict.article_a, conflict.value_b, conflict.article_b) == (4e8, "a", 3.25e8, "b")
    assert conflict.text_a == "400 millions de dollars" and conflict.text_b == "325 millions de dollars"


def test_differing_dates_and_counts_conflict():
    c = compare_group(group(mention("a", 0, "Le sommet s'ouvre le 11 juillet avec 31 pays."),
                            mention("b", 0, "Le sommet s'ouvre le 12 juillet avec 32 pays.")))
    assert {x.slot for x in c.figure_conflicts} == {"date", "count"}


def test_same_figure_or_same_article_is_no_conflict():
    same = "Une ligne de crédit d'un milliard de dollars a été adoptée."
    also = "Une ligne de crédit de 1 milliard de dollars a été votée."
    assert compare_group(group(mention("a", 0, same), mention("b", 0, also))).figure_conflicts == []
    assert compare_group(group(mention("a", 0, AID_400), mention("a", 1, AID_325))).figure_conflicts == []


def test_speakers_map_to_their_articles():
    g = group(mention("a", 0, "Il faut plus d'armes.", "favor", "Jens Stoltenberg"),
              mention("b", 0, "Il faut des armes.", "favor", "Jens Stoltenberg"),
              mention("b", 1, "Il faut des chars.", "favor", "Mateusz Morawiecki"),
              mention("c", 0, "Des armes seront livrées.", "neutral"))
    assert compare_group(g).speakers == {"Jens Stoltenberg": ["a", "b"], "Mateusz Morawiecki": ["b"]}


def test_first_and_last_dates_come_from_articles():
    g = group(mention("a", 0, "Il faut plus d'armes."), mention("b", 0, "Il faut des armes."),
              mention("c", 0, "Il faut des chars."))
    articles = {"a": Article("a", "…", date="2023-06"), "b": Article("b", "…", date="2022-06-14"),
                "c": Article("c", "…", date="juin 2024")}  # not ISO: ignored
    c = compare_group(g, articles)
    assert (c.first_date, c.last_date) == ("2022-06-14", "2023-06")
    assert compare_group(g).first_date is None


def test_disputed_when_stances_oppose_or_figures_differ():
    opposed = group(mention("a", 0, "Il faut des armes.", "favor", "X"),
                    mention("b", 0, "Il ne faut pas d'armes.", "against", "Y"))
    agreed = group(mention("a", 0, "Il faut des armes.", "favor", "X"),
                   mention("b", 0, "On livre des armes.", "neutral"))
    figures = group(mention("a", 0, AID_400, "neutral"), mention("b", 0, AID_325, "neutral"))
    assert is_disputed(compare_group(opposed))
    assert not is_disputed(compare_group(agreed))
    assert is_disputed(compare_group(figures))


def test_compare_articles_lists_shared_claims_with_differences():
    g1 = group(mention("a", 0, AID_400, "neutral"), mention("b", 0, AID_325, "neutral"), gid="c001")
    g2 = group(mention("a", 1, "Il faut des armes.", "favor", "Jens Stoltenberg"),
               mention("b", 1, "Les livraisons prolongent le conflit.", "against", "Russie"),
               mention("c", 0, "Des armes arrivent.", "neutral"), gid="c002")
    g3 = group(mention("a", 2, "Le sommet a lieu en juillet.", "neutral"),
               mention("c", 1, "Le sommet est en juillet.", "neutral"), gid="c003")
    shared = compare_articles("a", "b", [g1, g2, g3])
    assert [s.group_id for s in shared] == ["c001", "c002"]
    first, second = shared
    assert first.disputed and len(first.figure_conflicts) == 1 and first.stances_a == ("neutral",)
    assert second.disputed and second.stances_a == ("favor",) and second.stances_b == ("against",)
    assert second.speakers_a == ("Jens Stoltenberg",) and second.speakers_b == ("Russie",)
    assert second.texts_b == ("Les livraisons prolongent le conflit.",)
    assert not compare_articles("a", "c", [g3])[0].disputed


def test_compare_articles_needs_two_articles():
    with pytest.raises(ValueError):
        compare_articles("a", "a", [])


def test_comparison_as_dict_is_json_ready():
    c = compare_group(group(mention("a", 0, AID_400, "favor", "Joe Biden"), mention("b", 0, AID_325, "against")))
    data = json.loads(json.dumps(comparison_as_dict(c)))
    assert data["disputed"] is True
    assert data["stances"]["favor"] == [{"article": "a", "speaker": "Joe Biden"}]
    assert data["figure_conflicts"][0]["value_b"] == 3.25e8


def test_demo_corpus_end_to_end():
    """Gold groups of the demo corpus, stances assigned, then compared."""
    from claims.evaluation.gold import gold_groups, read_stance_gold
    from claims.stance import assign_stances

    groups, _, articles = gold_groups(read_stance_gold())
    by_id = {g.id: g for g in groups}
    membership = compare_group(assign_stances(by_id["g04"]), articles)
    assert is_disputed(membership)
    assert ("003_7107e614131a75cb", "Ukraine") in membership.stances["favor"]
    assert ("004_e70c42ff2f370d1d", "majorité des pays membres de l'Alliance") in membership.stances["against"]
    aid = compare_group(assign_stances(by_id["g07"]), articles)
    assert [(x.text_a, x.text_b) for x in aid.figure_conflicts] == [("400 millions de dollars",
                                                                     "325 millions de dollars")]
    assert (aid.first_date, aid.last_date) == ("2023-01", "2023-06")
    assert isinstance(aid, GroupComparison)
