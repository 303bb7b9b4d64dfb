"""One tiny file per real-world mess (each imports with the expected values) and per kind of error
(each is rejected with exactly the expected problems, and the database file is left byte for byte)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from metrics.catalogue.loading import init_database, load_units
from metrics.ingest import intake
from metrics.storage.store import Store
from tests.helpers import FIXTURES, MINI, copy_database, run_cli

IMPORT = FIXTURES / "import"

# file -> {(unit, indicator, year): value | (value, numerator, denominator)}
EXPECTED_VALUES = {
    "vi_numbers.csv": {("D1", "members", 2023): 1234, ("D2", "members", 2023): 1234567, ("D1", "cba", 2023): 92.5,
                       ("S1", "houses", 2023): 12},
    "en_numbers.csv": {("D1", "members", 2023): 1234, ("D2", "members", 2023): 1234567, ("D1", "cba", 2023): 92.5,
                       ("S1", "intro", 2023): 1.5},
    "bom_utf8.csv": {("D1", "members", 2023): 100},
    "no_bom_utf8.csv": {("D2", "members", 2023): 200},
    "semicolons.csv": {("D1", "houses", 2023): 7, ("D2", "houses", 2023): 9},
    "tabs.tsv": {("D1", "members", 2023): 300},
    "unicode_text_utf16.txt": {("D1", "members", 2023): 1234, ("D1", "cba", 2023): 92.5},
    "windows1258.csv": {("D2", "members", 2023): 2345, ("D2", "cba", 2023): 88.5},
    "windows1252.csv": {("D1", "members", 2023): 10},
    "wide.csv": {("D1", "members", 2023): 100, ("D1", "members", 2024): 110, ("D2", "houses", 2023): 3},
    "headers_no_diacritics.csv": {("D1", "houses", 2023): 4},
    "unit_names.csv": {("D1", "members", 2023): 500, ("D2", "members", 2023): 600, ("S1", "members", 2023): 50},
    "nfd_macos.csv": {("D2", "members", 2023): 70},
    "percent_sign.csv": {("D1", "cba", 2023): 92.5, ("D2", "cba", 2023): 90, ("S1", "dialogue_ns", 2023): 85},
    "ratio_parts.csv": {("D1", "cba", 2023): (None, 9, 10), ("D2", "cba", 2023): (92.14, 223, 242),
                        ("S1", "intro", 2023): (None, 3, 2)},
    "title_and_blank_rows.csv": {("D1", "members", 2023): 100, ("D2", "members", 2023): 200,
                                 ("S1", "members", 2023): 30, ("D1", "houses", 2023): 5},
    "ambiguous_resolved.csv": {("D1", "members", 2023): 1234, ("D1", "cba", 2023): 12.5, ("D2", "houses", 2023): 1500},
    "implausible_change.csv": {("D1", "members", 2023): 600, ("D1", "members", 2024): 61},
    "excel_two_sheets.xlsx": {("D1", "members", 2023): 1234, ("D2", "cba", 2023): 92.5,
                              ("S1", "cba", 2023): (None, 9, 10), ("D1", "intro", 2023): 1.5},
}
EXPECTED_NOTES = {
    "bom_utf8.csv": {("D1", "members", 2023): ("note", "Số liệu ước tính")},
    "no_bom_utf8.csv": {("D2", "members", 2023): ("source", "Báo cáo năm")},
    "windows1258.csv": {("D2", "members", 2023): ("note", "Ước tính")},
    "windows1252.csv": {("D1", "members", 2023): ("note", "Café – résumé")},
    "title_and_blank_rows.csv": {("S1", "members", 2023): ("note", "ghi chú\nhai dòng")},
}
PARTS = "value-without-parts"  # a rate without numerator/denominator is not added into the parent's figure
EXPECTED_WARNINGS = {
    "implausible_change.csv": {(3, "value", "implausible-change")},
    "ambiguous_resolved.csv": {(3, "value", PARTS)},
    "en_numbers.csv": {(4, "value", PARTS), (5, "value", PARTS)},
    "excel_two_sheets.xlsx": {(5, "Giá trị", PARTS), (7, "Giá trị", PARTS)},
    "percent_sign.csv": {(2, "value", PARTS), (3, "value", PARTS), (4, "value", PARTS)},
    "unicode_text_utf16.txt": {(3, "giá trị", PARTS)},
    "vi_numbers.csv": {(4, "giá trị", PARTS)},
    "windows1258.csv": {(3, "giá trị", PARTS)},
}
SHEETS = {"excel_two_sheets.xlsx": "Số liệu"}

EXPECTED_PROBLEMS = {
    "missing_column.csv": {(None, "năm", "missing-column")},
    "duplicate_column.csv": {(1, "Giá trị", "duplicate-column")},
    "wrong_field_count.csv": {(2, None, "wrong-field-count")},
    "unknown_unit.csv": {(2, "unit", "unknown-unit")},
    "ambiguous_unit.csv": {(2, "unit", "ambiguous-unit")},
    "unknown_indicator.csv": {(2, "indicator", "unknown-indicator")},
    "invalid_year.csv": {(2, "year", "invalid-year")},
    "year_outside_plan.csv": {(2, "year", "year-outside-plan"), (3, "year", "year-outside-plan")},
    "unit_not_valid_in_year.csv": {(2, "unit", "unit-not-valid-in-year"), (3, "unit", "unit-not-valid-in-year"),
                                   (4, "unit", "unit-not-valid-in-year")},
    "missing_value.csv": {(2, "unit", "missing-value")},  # row 3 gives no figure: skipped, not refused
    "not_a_number.csv": {(2, "value", "not-a-number"), (3, "value", "not-a-number")},
    "ambiguous_number.csv": {(2, "value", "ambiguous-number")},
    "not_an_integer.csv": {(2, "value", "not-an-integer"), (3, "value", PARTS)},
    "negative_count.csv": {(2, "value", "negative-count")},
    "percent_out_of_range.csv": {(2, "value", "percent-out-of-range"), (3, "value", "percent-out-of-range")},
    "numerator_above_denominator.csv": {(2, "numerator", "numerator-above-denominator")},
    "zero_denominator.csv": {(2, "denominator", "zero-denominator")},
    "value_parts_mismatch.csv": {(2, "value", "value-parts-mismatch")},
    "unexpected_parts.csv": {(2, "numerator", "unexpected-parts")},
    "unexpected_percent.csv": {(2, "value", "unexpected-percent")},
    "duplicate_row.csv": {(3, "unit", "duplicate-row")},
    "invalid_provenance.csv": {(2, "provenance", "invalid-provenance")},
    "wide_layout_parts.csv": {(1, "tử số", "wide-layout-parts")},
    "empty_file.csv": {(None, None, "empty-file")},
    "not_excel.xlsx": {(None, None, "unreadable-file")},
    "title_rows_row_numbers.csv": {(6, "value", "not-a-number"), (7, "year", "invalid-year")},
    "unknown_column.csv": {(1, "valeur", "unknown-column"), (2, "value", "not-a-number")},
}


@pytest.fixture(scope="module")
def template_db(tmp_path_factory) -> Path:
    """The mini database plus a second union named like another (for ambiguous names)."""
    path = tmp_path_factory.mktemp("import") / "template.duckdb"
    store = init_database(path, demo=True, data_dir=MINI)
    assert load_units(store, IMPORT / "extra_units.csv").ok
    store.close()
    return path


@pytest.fixture
def db_path(template_db, tmp_path) -> Path:
    return copy_database(template_db, tmp_path)


def test_every_fixture_is_listed():
    assert {p.name for p in (IMPORT / "ok").iterdir()} == set(EXPECTED_VALUES)
    assert {p.name for p in (IMPORT / "errors").iterdir()} == set(EXPECTED_PROBLEMS)


@pytest.mark.parametrize("name", sorted(EXPECTED_VALUES))
def test_a_messy_file_imports_with_the_right_values(name, db_path):
    store = Store.open(db_path)
    try:
        report = intake.check(IMPORT / "ok" / name, store=store, sheet=SHEETS.get(name))
        assert report.ok, report.problem_table("en").to_string()
        warnings = {(p.row, p.column, p.code) for p in report.problems}
        assert warnings == EXPECTED_WARNINGS.get(name, set())
        assert intake.commit(store, report, user="test").batch is not None
        found = store.observations().set_index(["unit", "indicator", "year"])
    finally:
        store.close()
    for key, expected in EXPECTED_VALUES[name].items():
        value, numerator, denominator = expected if isinstance(expected, tuple) else (expected, None, None)
        row = found.loc[key]
        assert _same(row["value"], value) and _same(row["numerator"], numerator), (key, row.to_dict())
        assert _same(row["denominator"], denominator), (key, row.to_dict())
        assert row["batch"] == found["batch"].max()
    for key, (column, text) in EXPECTED_NOTES.get(name, {}).items():
        assert found.loc[key][column] == text


def _same(actual, expected) -> bool:
    if expected is None:
        return actual is None or actual != actual
    return abs(actual - expected) < 1e-9


@pytest.mark.parametrize("name", sorted(EXPECTED_PROBLEMS))
@pytest.mark.slow
def test_a_bad_file_is_rejected_with_every_problem_and_changes_nothing(name, db_path):
    path = IMPORT / "errors" / name
    store = Store.open(db_path)
    try:
        report = intake.check(path, store=store)
        assert not report.ok
        assert {(p.row, p.column, p.code) for p in report.problems} == EXPECTED_PROBLEMS[name]
        assert all(p.message_vi and p.message_en for p in report.problems)
        report.close()
    finally:
        store.close()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    done = run_cli("import", path, db=db_path, check=False)
    assert done.returncode == 1, done.stdout
    for _row, _column, code in EXPECTED_PROBLEMS[name]:
        assert code in done.stderr
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before


def test_a_wide_file_names_each_problem_by_its_year_column_and_figure(db_path, tmp_path):
    """The rules run over typed columns and the warnings over (row, year): the words of each problem come back
    from the cell it is about, in a wide file the year's own column."""
    path = tmp_path / "wide.csv"
    path.write_text("đơn vị,chỉ tiêu,Năm 2023,2024\nD1,members,600,61\nD2,houses,3,ba\n", encoding="utf-8")
    store = Store.open(db_path)
    try:
        report = intake.check(path, store=store)
        found = {(p.row, p.column, p.value, p.code, p.unit) for p in report.problems}
        report.close()
    finally:
        store.close()
    assert found == {(2, "2024", "61", "implausible-change", "D1"), (3, "2024", "ba", "not-a-number", "D2")}
