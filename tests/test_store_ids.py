"""Stable claim ids and date windows of the store, as pure functions (no model, no database)."""

import pytest

from claims.store.ids import resolve_claims
from claims.store.window import Window

# Mention keys are (article, sentence text); these stand for them.
A1, A2, B1, B2, N1, N2, U1 = ("a", "1"), ("a", "2"), ("b", "1"), ("b", "2"), ("n", "1"), ("n", "2"), ("u", "1")
STORED = {A1: "c001", B1: "c001", A2: "c002", B2: "c002"}
EVERY = {A1, A2, B1, B2, N1, N2, U1}


def test_a_first_ingest_numbers_the_groups_in_order():
    r = resolve_claims({}, [[A1, B1], [A2, B2]], fresh=EVERY, present=EVERY, next_number=1)
    assert r.members == {"c001": [A1, B1], "c002": [A2, B2]}
    assert r.new == ["c001", "c002"] and r.next_number == 3


def test_a_new_mention_joins_the_stored_claim_its_group_overlaps():
    r = resolve_claims(STORED, [[A1, B1, N1], [A2, B2]], fresh={N1, N2}, present=EVERY, next_number=3)
    assert r.members["c001"] == [A1, B1, N1] and r.new == [] and r.kept == ["c001", "c002"]


def test_a_group_of_new_mentions_only_gets_the_next_id():
    r = resolve_claims(STORED, [[A1, B1], [A2, B2], [N1, U1]], fresh={N1}, present=EVERY, next_number=7)
    assert r.new == ["c007"] and r.members["c007"] == [N1, U1] and r.next_number == 8


def test_stored_claims_survive_a_run_that_no_longer_groups_them():
    # Scores that depend on the corpus shift with each article: a stored claim is not dropped for that.
    r = resolve_claims(STORED, [[A1, B1]], fresh={N1}, present=EVERY, next_number=3)
    assert r.members["c002"] == [A2, B2] and r.retired == [] and r.merges == []


def test_fresh_evidence_linking_two_stored_claims_is_a_merge_into_the_older():
    r = resolve_claims(STORED, [[A1, B1, A2, B2, N1]], fresh={N1}, present=EVERY, next_number=3)
    assert r.merges == [("c001", "c002")]
    assert sorted(r.members["c001"]) == sorted([A1, B1, A2, B2, N1]) and "c002" not in r.members
    assert r.kept == ["c001"] and r.retired == []


def test_a_group_of_stored_sentences_only_changes_nothing():
    # The re-run drifting (TF-IDF weights, a re-trained index) is no evidence: no merge, no new claim.
    r = resolve_claims(STORED, [[A1, B1, A2, B2, U1], [U1, ("v", "1")]], fresh={N1}, present=EVERY | {("v", "1")},
                       next_number=3)
    assert r.merges == [] and r.new == [] and r.members == {"c001": [A1, B1], "c002": [A2, B2]}


def test_stored_sentences_in_no_claim_join_with_a_fresh_one():
    r = resolve_claims(STORED, [[A1, B1, A2, B2, U1, N1]], fresh={N1}, present=EVERY, next_number=3)
    assert r.merges == [("c001", "c002")] and {U1, N1} <= set(r.members["c001"])


def test_a_claim_whose_sentences_all_changed_is_retired_and_its_id_not_reused():
    r = resolve_claims(STORED, [[N1, N2]], fresh={N1, N2}, present={A1, B1, N1, N2}, next_number=3)
    assert r.retired == ["c002"] and r.new == ["c003"]


@pytest.mark.parametrize("since, until, date, inside", [
    ("2023-06", None, "2023-06", True),
    ("2023-06-15", None, "2023-06", True),  # a month overlaps a day inside it
    ("2023-06", None, "2023-05-31", False),
    (None, "2023-06", "2023-06-30", True),
    (None, "2023", "2024-01", False),
    ("2023-01", "2023-12", None, False),  # undated articles are outside any window
    ("2023-01", "2023-12", "juin 2023", False),
    (None, None, None, True),
])
def test_window_holds_the_dates_of_its_period(since, until, date, inside):
    assert Window.parse(since, until).holds(date) is inside


@pytest.mark.parametrize("since, until, message", [
    ("2023-13", None, "--since '2023-13' is not a date"),
    (None, "2023-02-30", "--until '2023-02-30' is not a date"),
    ("yesterday", None, "YYYY-MM-DD, YYYY-MM or YYYY"),
    ("2024", "2023-06", "--since 2024 is after --until 2023-06"),
])
def test_bad_windows_are_refused_with_a_clear_message(since, until, message):
    with pytest.raises(ValueError, match=message):
        Window.parse(since, until)
