"""Laws of the two functions whose laws are simplest to state, checked on generated inputs (hypothesis):
the progress measure (``metrics.domain.progress.assess``) and the SQL roll-ups against their Python reference."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics import progress
from metrics.judging.scorecard import Scorecard
from metrics.storage.store import rollback_batch, write_batch
from tests.helpers import open_copy
from tests.test_rollups import every_figure, reference

# --- the progress measure -----------------------------------------------------------------------

positive = st.floats(min_value=1.0, max_value=1e6, allow_nan=False, allow_infinity=False)
years = st.integers(min_value=2019, max_value=2024)


@st.composite
def series_and_target(draw):
    """A yearly series from 2018 with at least two values, and a target for 2028, all positive."""
    count = draw(st.integers(min_value=2, max_value=7))
    values = {2018 + i: draw(positive) for i in range(count)}
    return values, draw(positive), draw(st.sampled_from(["up", "down"]))


@given(series_and_target(), st.floats(min_value=0.01, max_value=1000))
def test_progress_does_not_depend_on_the_unit_of_measure(case, factor):
    """Growth rates are ratios: members or thousands of members, the same judgement."""
    values, target, direction = case
    one = progress.assess(values, target, 2028, 2018, direction)
    scaled = progress.assess({y: v * factor for y, v in values.items()}, target * factor, 2028, 2018, direction)
    assert one.status == scaled.status
    if one.score is not None and abs(one.score) < 4.99:  # away from the clamp, where rounding may tip it
        assert scaled.score == pytest.approx(one.score, rel=1e-6, abs=1e-6)


@given(series_and_target())
def test_a_target_reached_is_achieved_with_the_top_score(case):
    values, target, direction = case
    latest = values[max(values)]
    result = progress.assess(values, target, 2028, 2018, direction)
    reached = latest >= target if direction == "up" else latest <= target
    assert (result.status == progress.TARGET_ACHIEVED) == reached
    if reached:
        assert result.score == 5.0


@given(series_and_target())
def test_every_score_lies_between_minus_five_and_five(case):
    values, target, direction = case
    for kept in (target, None):
        score = progress.assess(values, kept, 2028, 2018, direction).score
        assert score is None or -5.0 <= score <= 5.0


@given(series_and_target(), st.floats(min_value=1.0001, max_value=10))
def test_a_better_latest_value_never_scores_lower(case, step):
    """Moving the latest value in the direction the target wants never lowers the score."""
    values, target, direction = case
    latest = max(values)
    better = {**values, latest: values[latest] * (step if direction == "up" else 1 / step)}
    before = progress.assess(values, target, 2028, 2018, direction).score
    after = progress.assess(better, target, 2028, 2018, direction).score
    assert before is not None and after is not None
    assert after >= before - 1e-9


@given(series_and_target(), st.dictionaries(st.integers(2000, 2017), positive, max_size=4))
def test_years_before_the_base_year_change_nothing(case, earlier):
    values, target, direction = case
    assert progress.assess(values, target, 2028, 2018, direction) == \
        progress.assess({**earlier, **values}, target, 2028, 2018, direction)


# --- the roll-ups against their reference ---------------------------------------------------------

# Units of the mini organisation by the years they exist (tests/fixtures/mini/units.csv): a province
# merging in 2025, its districts dissolved, a sector union with a successor, two grassroots unions moving.
BEFORE = ["P", "D1", "D2", "S1", "G1", "G2"]
AFTER = ["P2", "S1N", "C1", "G1", "G2"]


@st.composite
def cells(draw):
    """Up to twelve figures of the mini organisation: counts, flows and ratios (with their parts)."""
    found = {}
    for _ in range(draw(st.integers(min_value=1, max_value=12))):
        year = draw(st.integers(min_value=2023, max_value=2026))
        unit = draw(st.sampled_from(BEFORE if year <= 2024 else AFTER))
        indicator = draw(st.sampled_from(["members", "houses", "cba"]))
        if indicator == "cba":
            denominator = draw(st.integers(min_value=1, max_value=400))
            numerator = draw(st.integers(min_value=0, max_value=denominator))
            cell = {"value": numerator / denominator * 100, "numerator": float(numerator),
                    "denominator": float(denominator)}
        else:
            cell = {"value": float(draw(st.integers(min_value=0, max_value=100_000))), "numerator": None,
                    "denominator": None}
        found[(unit, indicator, year)] = cell
    return pd.DataFrame([{"unit": u, "indicator": i, "year": y, **cell, "source": "thử", "note": None,
                          "provenance": "imported"} for (u, i, y), cell in found.items()])


@pytest.fixture(scope="module")
def mini(mini_template, tmp_path_factory):
    store = open_copy(mini_template, tmp_path_factory.mktemp("properties"), "mini.duckdb")
    yield store
    store.close()


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells())
def test_the_sql_rollups_equal_the_reference_after_any_import(mini, frame):
    """Whatever a batch writes (below or above the leaves, before or after the merger), the roll-ups kept
    in the database equal the Python reference over the same values; its undo restores them."""
    before = every_figure(Scorecard(mini))
    with mini.transaction() as cur:
        batch = write_batch(cur, frame, "import")
    try:
        assert every_figure(Scorecard(mini)) == every_figure(reference(mini))
    finally:
        with mini.transaction() as cur:
            rollback_batch(cur, batch)
    assert every_figure(Scorecard(mini)) == before
