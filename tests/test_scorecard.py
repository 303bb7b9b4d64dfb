"""Aggregation over units, the 2025 break, scoping and versions, on a small real database."""

import pandas as pd
import pytest

from metrics.judging.scorecard import Scorecard, completeness
from metrics.storage import rollups
from metrics.storage.store import rollback_batch, write_batch

PLAN = "T-2023-2028"


def row(card, target, unit, year):
    found = [r for r in card.evaluate(PLAN, year, targets=[target]) if r.unit.code == unit]
    assert len(found) == 1, f"expected one row for {target}/{unit}/{year}"
    return found[0]


def test_province_series_sums_units_and_follows_the_successor(mini_store):
    members = row(Scorecard(mini_store), "L1", "P2", 2025)
    assert {y: f.value for y, f in members.series.items()} == {2023: 100, 2024: 120, 2025: 130}
    assert members.units_by_year == {2023: "P", 2024: "P", 2025: "P2"}
    assert members.break_years == [2025]
    assert members.series[2024].own is False and members.series[2023].own is True


def test_ratio_is_sum_of_numerators_over_sum_of_denominators(mini_store):
    cba = row(Scorecard(mini_store), "R1", "P", 2024)
    latest = cba.series[2024]
    assert (latest.numerator, latest.denominator) == (55, 62)
    assert latest.value == pytest.approx(55 / 62 * 100)  # not the mean of 90, 90 and 50 %


def test_per_unit_rate_is_count_over_units(mini_store):
    intro = row(Scorecard(mini_store), "B1", "P", 2024)
    assert intro.verdict.actual == pytest.approx(4 / 3)
    assert intro.verdict.band_position == "within"


def test_tree_follows_the_year(mini_store):
    card = Scorecard(mini_store)
    before = {u.code for u in card.units_for(PLAN, 2024)}
    after = {u.code for u in card.units_for(PLAN, 2025)}
    assert before == {"P", "D1", "D2", "S1", "G1", "G2"}
    assert after == {"P2", "C1", "S1N", "G1", "G2"}
    assert card.org.unit("G1", 2024).parent == "D1"
    assert card.org.unit("G1", 2025).parent == "C1"


def test_sector_scoped_target_applies_only_to_units_of_that_sector_or_mixed(mini_store):
    card = Scorecard(mini_store)
    applied = {r.unit.code for r in card.evaluate(PLAN, 2024, targets=["NS"])}
    assert applied == {"P", "D1", "D2", "G1"}  # not S1 (public admin), not G2 (state enterprise)
    province = row(card, "NS", "P", 2024).series[2024]
    assert (province.reported, province.expected) == (1, 2)  # D2 has nothing to report


def test_sector_scoped_target_rolls_up_only_units_in_its_sector(mini_store):
    """A non-state target added a public-administration union's parts (63,64% instead of 60%) and counted
    it as a reporting unit; the SQL roll-ups and the Python reference must both leave it out."""
    values = pd.DataFrame([
        {"unit": "G1", "indicator": "dialogue_ns", "year": 2024, "value": None, "numerator": 3.0, "denominator": 5.0},
        {"unit": "S1", "indicator": "dialogue_ns", "year": 2024, "value": None, "numerator": 4.0, "denominator": 6.0},
        {"unit": "G2", "indicator": "dialogue_ns", "year": 2024, "value": None, "numerator": 1.0, "denominator": 1.0},
    ])
    with mini_store.transaction() as cur:
        write_batch(cur, values, "import", file_name="dialogue.csv")
    for card in (Scorecard(mini_store), Scorecard(mini_store, observations=mini_store.observations())):
        figure = row(card, "NS", "P", 2024).series[2024]
        assert (figure.numerator, figure.denominator) == (3, 5)
        assert figure.value == pytest.approx(60.0)
        assert (figure.reported, figure.expected) == (1, 2)
        assert card.figure("dialogue_ns", "P", 2024).value == pytest.approx(8 / 12 * 100)  # unscoped: every unit
    # D2's only figure comes from a state enterprise (G2): it has not answered the non-state target
    assert "dialogue_ns" in completeness_missing(mini_store, "D2")
    with mini_store.transaction() as cur:
        cur.execute("UPDATE targets SET sector = NULL WHERE code = 'NS'")
        rollups.refresh_scopes(cur)
    assert row(Scorecard(mini_store), "NS", "P", 2024).series[2024].value == pytest.approx(8 / 12 * 100)


def completeness_missing(store, unit: str) -> list[str]:
    frame = completeness(Scorecard(store), PLAN, [2024])
    found = frame[frame["unit"] == unit]
    return [] if found.empty else list(found.iloc[0]["missing"])


def test_a_stated_baseline_is_the_base_where_the_data_have_no_base_year(mini_store):
    """Without a 2023 value the base moved to 2024 and the target page read "on the path, +0"."""
    with mini_store.transaction() as cur:
        cur.execute("UPDATE targets SET baseline = 80 WHERE code = 'R1'")
    card = Scorecard(mini_store)
    cba = row(card, "R1", "P", 2024)
    assert (cba.verdict.assessment.base_year, cba.verdict.assessment.base_value) == (2023, 80)
    assert cba.verdict.expected == pytest.approx(80 + (96 - 80) / 5) and cba.verdict.gap != 0
    assert cba.series[2023].value == 80 and cba.series[2023].sources == ("test",)  # cited to the target's source
    assert 2023 not in row(card, "R1", "D1", 2024).series  # a district has no stated baseline


def test_unit_without_data_is_not_available_never_zero(mini_store):
    g2 = row(Scorecard(mini_store), "B1", "G2", 2024)
    assert g2.status == "not_available"
    assert g2.verdict.actual is None
    assert g2.as_record()["actual"] is None


def test_status_rows_cover_every_target_and_applicable_unit(mini_store):
    rows = Scorecard(mini_store).evaluate(PLAN, 2024)
    by_target = pd.Series([r.target["code"] for r in rows]).value_counts().to_dict()
    assert by_target == {"L1": 4, "R1": 4, "C1": 4, "F1": 4, "B1": 6, "NS": 4}


def test_later_import_supersedes_and_undo_restores_exactly(mini_store):
    first = int(mini_store.batches()["id"].max())
    change = pd.DataFrame([{"unit": "D1", "indicator": "members", "year": 2024, "value": 70.0}])
    other = pd.DataFrame([{"unit": "D2", "indicator": "members", "year": 2024, "value": 55.0}])
    with mini_store.transaction() as cur:
        changed = write_batch(cur, change, "import", file_name="a.csv")
    with mini_store.transaction() as cur:
        write_batch(cur, other, "import", file_name="b.csv")
    assert row(Scorecard(mini_store), "L1", "P", 2024).series[2024].value == 135
    with mini_store.transaction() as cur:
        rollback_batch(cur, changed)
    assert row(Scorecard(mini_store), "L1", "P", 2024).series[2024].value == 125  # D2's later batch stays
    assert row(Scorecard(mini_store, as_of=first), "L1", "P", 2024).series[2024].value == 120
    assert row(Scorecard(mini_store, as_of=changed), "L1", "P", 2024).series[2024].value == 130


def test_rollback_of_an_unknown_or_undone_batch_is_refused(mini_store):
    from metrics.vocabulary.errors import UserError
    with pytest.raises(UserError) as missing, mini_store.transaction() as cur:
        rollback_batch(cur, 999)
    assert missing.value.code == "unknown-batch"
    first = int(mini_store.batches()["id"].min())
    with mini_store.transaction() as cur:
        rollback_batch(cur, first)
    with pytest.raises(UserError) as again, mini_store.transaction() as cur:
        rollback_batch(cur, first)
    assert again.value.code == "already-rolled-back"


def test_the_scorecard_remembers_a_bounded_number_of_results(mini_store):
    """One scorecard serves every session of a data version; its memo grew with every page, unit, year and
    target anyone opened. It keeps the MEMO_SIZE most recently used results now."""
    from metrics.judging.scorecard import MEMO_SIZE

    card = Scorecard(mini_store)
    computed = []

    def compute(n):
        return lambda: computed.append(n) or n

    for n in range(MEMO_SIZE + 50):
        assert card.memo(("page", n), compute(n)) == n
    assert len(card._memo) == MEMO_SIZE
    card.memo(("page", MEMO_SIZE + 49), compute(-1))  # the most recent is kept: not computed again
    card.memo(("page", 0), compute(0))  # the oldest was forgotten: computed again
    assert computed[-1:] == [0] and -1 not in computed and len(card._memo) == MEMO_SIZE


def test_the_memo_forgets_the_least_recently_used_first():
    from metrics.judging.memo import Memo

    memo = Memo(3)
    for key in "abc":
        memo.get(key, lambda k=key: k.upper())
    memo.get("a", lambda: "never")  # used again: now the most recent
    memo.get("d", lambda: "D")
    assert [k for k in "abcd" if k in memo] == ["a", "c", "d"] and memo.get("a", lambda: "x") == "A"


def test_the_about_page_s_figures_are_named_methods_read_once(mini_store):
    card = Scorecard(mini_store)
    years = card.years(PLAN)
    table = card.completeness(PLAN, years)
    pd.testing.assert_frame_equal(table, completeness(card, PLAN, years))
    assert card.completeness(PLAN, years) is table
    assert card.provenance_counts() is card.provenance_counts()
    assert card.published_values() is card.published_values()
