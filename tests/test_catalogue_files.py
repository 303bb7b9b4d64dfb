"""Catalogue files (units, plans, indicators, targets, period totals) go through the guarded reader of values
files: the hostile corpus and one tiny file per malformed row are refused by every catalogue command with a
message, exit code 1, no traceback and the database byte for byte as it was; Vietnamese headers, Excel and
period totals load; a load merges, and replacing a plan's targets is explicit."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

from metrics.catalogue.loading import load_targets, load_units
from metrics.cli import commands
from metrics.storage.store import Store
from tests.helpers import FIXTURES, MINI, copy_database, run_cli
from tests.test_hostile import EXPECTED as HOSTILE_EXPECTED
from tests.test_hostile import HOSTILE

CATALOGUE = FIXTURES / "catalogue"
ERRORS = CATALOGUE / "errors"
EXPECTED = {  # file -> every (row, column, code) it gives, in file order
    "units_comma_in_name.csv": [(3, None, "wrong-field-count")],
    "units_overlapping_periods.csv": [(4, "valid_from", "overlapping-period")],
    "targets_decimal_comma.csv": [(2, None, "wrong-field-count")],
    "targets_grouped_number.csv": [(2, "value", "invalid-number")],
    "targets_title_rows.csv": [(6, "value", "invalid-number")],  # the row the spreadsheet shows
    "targets_duplicate_column.csv": [(1, "giá trị", "duplicate-column")],
    "targets_inline_inconsistent.csv": [(3, "plan", "inconsistent-plans")],
    "targets_bad_band_nan.csv": [(2, "type", "invalid-band"), (3, "value", "invalid-number")],
    "indicators_comma_in_definition.csv": [(3, None, "wrong-field-count")],
    "plans_missing_column.csv": [(None, "issuer", "missing-column")],
    "plans_unknown_headline.csv": [(2, "headline", "unknown-target")],
    "period_totals_bad_rows.csv": [(2, "from_year", "invalid-int"), (3, "unit", "unknown-unit"),
                                   (4, "to_year", "invalid-period")],
    "units_for_targets_import.csv": [(None, None, "wrong-file-kind")],
    "values_for_targets_import.csv": [(None, None, "unknown-file-kind")],
}
UNITS_FILES = {"units_comma_in_name.csv", "units_overlapping_periods.csv"}
HOSTILE_FILES = sorted(n for n in HOSTILE_EXPECTED if n != "oversized.csv")  # that one is big only for the page
COMMANDS = {"units import": ["units", "import"], "targets import": ["targets", "import"],
            "targets import --dry-run": ["targets", "import", "--dry-run"],
            "targets import --replace": ["targets", "import", "--replace"]}


@pytest.fixture(scope="module")
def template(mini_template, tmp_path_factory) -> Path:
    path = copy_database(mini_template, tmp_path_factory.mktemp("catalogue"), "template.duckdb")
    return path


@pytest.fixture
def db_path(template, tmp_path) -> Path:
    return copy_database(template, tmp_path)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(argv: list, db: Path, capsys) -> tuple[int, str]:
    """The command line in this process (an uncaught exception fails the test, as a traceback would)."""
    code = commands.main([*map(str, argv), "--db", str(db)])
    printed = capsys.readouterr()
    return code, printed.out + printed.err


def test_every_malformed_file_is_listed():
    assert {p.name for p in ERRORS.iterdir()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_malformed_catalogue_file_lists_every_problem_by_row_and_column_and_writes_nothing(name, db_path):
    before = digest(db_path)
    store = Store.open(db_path)
    try:
        load = load_units if name in UNITS_FILES else lambda s, p: load_targets(s, [p])
        result = load(store, ERRORS / name)
    finally:
        store.close()
    assert not result.ok
    assert [(p.row, p.column, p.code) for p in sorted(result.problems, key=lambda p: p.row or 0)] == EXPECTED[name]
    assert all(p.message_vi and p.message_en for p in result.problems)
    assert digest(db_path) == before


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_every_catalogue_command_refuses_the_hostile_corpus(name, command, db_path, capsys):
    before = digest(db_path)
    code, printed = run([*COMMANDS[command], HOSTILE / "rejected" / name], db_path, capsys)
    assert code == 1
    assert any(code in printed for code in refusals(name)), printed
    assert "Không ghi gì" in printed and "Traceback" not in printed
    assert digest(db_path) == before


def refusals(name: str) -> set[str]:
    """What a catalogue command may answer: a file it cannot read is refused as the values import refuses it;
    a readable file of values rows (bad numbers, escapes) is first of all not a catalogue file."""
    entries = HOSTILE_EXPECTED[name]
    entries = entries if isinstance(entries, list) else [entries]
    codes = {entry[2] for entry in entries}
    return codes if all(entry[0] is None for entry in entries) else codes | {"unknown-file-kind"}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_catalogue_command_refuses_malformed_rows(command, db_path, capsys):
    before = digest(db_path)
    for name in ("units_comma_in_name.csv", "targets_decimal_comma.csv", "indicators_comma_in_definition.csv"):
        code, printed = run([*COMMANDS[command], ERRORS / name], db_path, capsys)
        assert code == 1 and "wrong-field-count" in printed and "ngoặc kép" in printed, (name, printed)
    assert digest(db_path) == before


@pytest.mark.slow
def test_a_real_command_line_says_so_without_a_traceback(db_path):
    before = digest(db_path)
    for command in (["units", "import", ERRORS / "units_comma_in_name.csv"],
                    ["targets", "import", ERRORS / "targets_decimal_comma.csv", "--lang", "en"],
                    ["targets", "import", HOSTILE / "rejected" / "zip_bomb.xlsx"]):
        done = run_cli(*command, db=db_path, check=False)
        assert done.returncode == 1 and "Traceback" not in done.stderr and done.stderr.strip()
    assert digest(db_path) == before


def status_rows(db: Path) -> list[str]:
    return sorted(run_cli("status", "--plan", "T-2023-2028", "--year", "2024", db=db).stdout.splitlines())


@pytest.mark.slow
def test_vietnamese_headers_load_the_same_catalogue_as_english_ones(tmp_path):
    english, vietnamese = tmp_path / "en.duckdb", tmp_path / "vi.duckdb"
    for db, units, catalogue in (
            (english, MINI / "units.csv", [MINI / n for n in ("plans.csv", "indicators.csv", "targets.csv",
                                                              "period_totals.csv")]),
            (vietnamese, CATALOGUE / "vi" / "don-vi.csv",
             [CATALOGUE / "vi" / n for n in ("ke-hoach.csv", "chi-so.csv", "chi-tieu.csv",
                                             "so-lieu-ca-giai-doan.csv")])):
        run_cli("init", db=db)
        run_cli("units", "import", units, db=db)
        assert "period_totals: 1" in run_cli("targets", "import", *catalogue, db=db).stdout
    assert status_rows(vietnamese) == status_rows(english)
    stores = [Store.open(db, read_only=True) for db in (english, vietnamese)]
    try:
        for table in ("units", "plans", "indicators", "targets", "period_totals"):
            first, second = (s.frame(f"SELECT * FROM {table} ORDER BY ALL") for s in stores)
            assert first.equals(second), table
    finally:
        for store in stores:
            store.close()


def test_an_excel_targets_file_with_number_cells_and_a_percentage_cell_loads(db_path, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Chỉ tiêu nghị quyết (kèm theo)"])  # a title row above the header
    rows = (MINI / "targets.csv").read_text(encoding="utf-8").splitlines()
    sheet.append(rows[0].split(","))
    r1 = rows[2].split(",")
    r1[7] = 0.9644  # 96,44% typed as a percentage
    sheet.append([int(v) if isinstance(v, str) and v.isdigit() else v for v in r1])
    sheet.cell(3, 8).number_format = "0.00%"
    path = tmp_path / "chi-tieu.xlsx"
    book.save(path)
    store = Store.open(db_path)
    try:
        result = load_targets(store, [path])
        assert result.ok, result.problems
        assert store.rows("SELECT value FROM targets WHERE code = 'R1'")[0][0] == pytest.approx(96.44)
    finally:
        store.close()


def test_a_csv_title_line_without_the_header_s_commas_is_skipped(db_path, tmp_path):
    """A title typed above the header as a line of its own (no trailing commas) set the width of every row,
    as the search for the header before reading knew only a values file's columns: each unit was refused as
    having too many cells. The catalogue's own column names find the header now."""
    path = tmp_path / "don-vi.csv"
    units = (MINI / "units.csv").read_text(encoding="utf-8")
    path.write_text("Danh sách đơn vị công đoàn\n" + units, encoding="utf-8")
    store = Store.open(db_path)
    try:
        result = load_units(store, path)
        assert result.ok, result.problems
        assert store.rows("SELECT count(*) FROM units")[0][0] == len(units.strip().splitlines()) - 1
    finally:
        store.close()


@pytest.mark.slow
def test_period_totals_load_with_targets_import_and_merge(db_path, tmp_path):
    more = tmp_path / "period_totals.csv"
    more.write_text("unit,indicator,from_year,to_year,value,source,note\n"
                    "P,members,2018,2023,90,Báo cáo nhiệm kỳ,\nP,houses,2018,2023,45,Báo cáo sửa lại,\n", encoding="utf-8")
    done = run_cli("targets", "import", more, "--dry-run", "--lang", "en", db=db_path)
    assert "Period totals: created: 1 · updated: 1 · unchanged: 0" in done.stdout
    assert "P · houses · 2018 · 2023: value 40 → 45" in done.stdout
    run_cli("targets", "import", more, db=db_path)
    store = Store.open(db_path, read_only=True)
    try:
        assert store.rows("SELECT indicator, value FROM period_totals ORDER BY indicator") == [("houses", 45.0),
                                                                                             ("members", 90.0)]
    finally:
        store.close()


@pytest.mark.slow
def test_an_unknown_column_is_reported_as_a_warning_and_the_rest_loads(db_path, tmp_path):
    path = tmp_path / "plans.csv"
    lines = (MINI / "plans.csv").read_text(encoding="utf-8").splitlines()
    path.write_text(f"{lines[0]},người phụ trách\n{lines[1]},Lan\n", encoding="utf-8")
    done = run_cli("targets", "import", path, "--lang", "en", db=db_path)
    assert "Warnings" in done.stdout and "unknown-column" in done.stdout and "người phụ trách" in done.stdout
    assert "plans: 1" in done.stdout
