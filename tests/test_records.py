"""The catalogue's typed records and enums (metrics.domain.records, metrics.vocabulary.kinds, statuses)."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest

from metrics.domain.records import Indicator, Plan, Target
from metrics.judging.scorecard import Scorecard
from metrics.vocabulary.kinds import IndicatorKind, TargetType
from metrics.vocabulary.statuses import CODES, StatusCode


def test_records_from_the_database_are_typed_frozen_and_missing_cells_are_none(demo_db):
    from metrics.storage.store import Store
    store = Store.open(demo_db)
    try:
        card = Scorecard(store)
        plan = next(iter(card.plans.values()))
        targets = card.targets(plan.code)
    finally:
        store.close()
    assert isinstance(plan, Plan) and isinstance(plan.start_year, int)
    assert targets and all(isinstance(t, Target) and isinstance(t.type, TargetType) for t in targets)
    assert all(isinstance(i, Indicator) and isinstance(i.kind, IndicatorKind) for i in card.indicators.values())
    # a NULL in the database is None in a record, never NaN (NaN is truthy and unequal to itself)
    assert all(t.value_high is None or t.value_high == t.value_high for t in targets)
    assert any(t.sector is None for t in targets)
    with pytest.raises(dataclasses.FrozenInstanceError):
        targets[0].value = 0.0  # type: ignore[misc]


def test_a_row_with_pandas_missing_values_makes_a_record_with_none():
    row = {"code": "x", "name_vi": "X", "name_en": float("nan"), "measure_vi": pd.NA, "measure_en": None,
           "kind": "rate", "direction": "up", "limit": float("nan"), "decimals": pd.NA}
    made = Indicator.from_row(row)
    assert (made.name_en, made.measure_vi, made.limit, made.decimals) == (None, None, None, None)
    assert made.kind is IndicatorKind.RATE


def test_an_unknown_kind_is_refused_when_the_record_is_made():
    with pytest.raises(ValueError):
        Indicator.from_row({"code": "x", "name_vi": "X", "kind": "average", "direction": "up"})


def test_a_record_still_reads_like_a_mapping_for_the_pages():
    plan = Plan.from_row({"code": "P", "name_vi": "Kế hoạch", "start_year": 2023, "end_year": 2028, "unit": "AG",
                          "headline": "A|B"})
    assert plan["code"] == "P" and plan.get("after_merger") is None and plan.get("nothing", 1) == 1
    assert {**plan}["end_year"] == 2028 and plan.headlines == ("A", "B")
    # a list of records is a table with a column per field (the about page shows the period totals so)
    assert pd.DataFrame([plan, plan]).columns[:2].tolist() == ["code", "name_vi"]
    with pytest.raises(KeyError):
        plan["nothing"]


def test_enum_members_are_their_codes_in_text_csv_and_json():
    assert StatusCode.NOT_ACHIEVED == "not_achieved" and f"{StatusCode.NOT_ACHIEVED}" == "not_achieved"
    assert json.dumps([TargetType.ANNUAL_BAND, IndicatorKind.RATIO]) == '["annual_band", "ratio"]'
    assert pd.DataFrame({"s": [StatusCode.DETERIORATION]}).to_csv(index=False) == "s\ndeterioration\n"
    assert tuple(StatusCode) == CODES  # the table of words covers every code, in the enum's order
