"""Hostile and broken input: one file per attack (``tests/fixtures/hostile``), each rejected with a
message that says what to do, the database file left byte for byte; hostile text that is only text
(formulas, HTML, Markdown in notes) is kept as written and never run or rendered."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import openpyxl
import pytest

from metrics.exports import data
from metrics.ingest import intake
from metrics.storage.files import guard
from metrics.storage.store import Store
from tests.helpers import FIXTURES, copy_database, run_cli

HOSTILE = FIXTURES / "hostile"
EXPECTED = {  # file -> (row, column, code) of its one problem, or a list of its problems
    "image_renamed.csv": (None, None, "unreadable-file"),
    "pdf_renamed.csv": (None, None, "unreadable-file"),
    "nul_bytes.csv": (None, None, "unreadable-file"),
    "random_bytes.csv": (None, None, "unreadable-file"),
    "ten_thousand_columns.csv": (None, None, "too-many-columns"),
    "ten_thousand_columns.xlsx": (None, None, "too-many-columns"),
    "long_cell.csv": (2, "note", "cell-too-long"),
    "megabyte_cell.xlsx": (2, "note", "cell-too-long"),
    "unclosed_quote.csv": (2, None, "cell-too-long"),
    "zip_bomb.xlsx": (None, None, "suspicious-workbook"),
    "lying_zip_sizes.xlsx": (None, None, "unreadable-file"),
    "far_away_cell.xlsx": (None, None, "suspicious-workbook"),
    "million_empty_rows.xlsx": (None, None, "suspicious-workbook"),
    "zip_not_a_workbook.xlsx": (None, None, "unreadable-file"),
    "oversized.csv": (None, None, "file-too-large"),
    "overflow_to_infinity.csv": (2, "value", "number-too-large"),
    "four_hundred_digits.csv": (2, "value", "number-too-large"),
    "houses_1e20.csv": (2, "value", "number-too-large"),
    "ratio_parts_1e308.csv": [(2, "numerator", "number-too-large"), (2, "denominator", "number-too-large")],
    "underflow_to_zero.csv": (2, "value", "number-too-small"),
    "utf16_nul.csv": (None, None, "unreadable-file"),
    "utf8_with_a_cp1258_line.csv": (4, None, "mixed-encoding"),
    "terminal_escapes.csv": [(2, "note", "control-character"), (3, "unit", "unknown-unit"),
                             (3, "unit", "control-character")],
    "cr_only_line_ends.csv": (3, "value", "not-a-number"),
    "formula_error.xlsx": (2, "value", "formula-error"),
    "formula_without_value.xlsx": (2, "value", "formula-without-value"),
}
# accepted file -> what is stored: the notes in file order, or (sheet read, value)
ACCEPTED = {
    "utf32.csv": ["Đơn vị"],
    "cr_inside_quoted_note.csv": ["dòng một\rdòng hai"],
    "note_with_leading_tab.csv": ["\tthụt vào đầu dòng ", "  hai dấu cách"],  # notes are kept exactly as written
    "hidden_first_sheet.xlsx": ("Số liệu", 7.0),
}
LIMIT = {"oversized.csv": 8 * 1024}  # the dashboard's upload limit, scaled down to keep the file small
WHAT_TO_DO = ("Hãy", "hãy")  # every Vietnamese message says what to do next


@pytest.fixture(scope="module")
def template_db(mini_template, tmp_path_factory) -> Path:
    path = copy_database(mini_template, tmp_path_factory.mktemp("hostile"), "template.duckdb")
    return path


@pytest.fixture
def db_path(template_db, tmp_path) -> Path:
    return copy_database(template_db, tmp_path)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def expected(name: str) -> list[tuple]:
    found = EXPECTED[name]
    return found if isinstance(found, list) else [found]


def test_every_hostile_file_is_listed():
    assert {p.name for p in (HOSTILE / "rejected").iterdir()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.slow
def test_a_hostile_file_is_rejected_with_what_to_do_and_changes_nothing(name, db_path):
    path = HOSTILE / "rejected" / name
    before = digest(db_path)
    store = Store.open(db_path, read_only=True)
    try:
        with intake.check(path, store=store, max_bytes=LIMIT.get(name, intake.reading.MAX_BYTES)) as report:
            assert not report.ok
            assert [(p.row, p.column, p.code) for p in report.problems] == expected(name)
            message = report.problems[0].message_vi
            assert any(word in message for word in WHAT_TO_DO), message
            assert report.problems[0].message_en
    finally:
        store.close()
    assert digest(db_path) == before
    if name in LIMIT:
        return  # the command line takes files up to 2 GB
    done = run_cli("import", path, db=db_path, check=False)
    assert done.returncode == 1, done.stdout
    assert expected(name)[0][2] in done.stderr and "Traceback" not in done.stderr
    assert digest(db_path) == before


def test_every_accepted_hostile_file_is_listed():
    assert {p.name for p in (HOSTILE / "accepted").iterdir()} == set(ACCEPTED) | {"formulas_and_markup_in_notes.csv"}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_an_accepted_file_is_stored_as_written(name, db_path):
    store = Store.open(db_path)
    try:
        with intake.check(HOSTILE / "accepted" / name, store=store) as report:
            assert report.ok, report.problem_table("en").to_string()
            sheet = report.sheet
            batch = intake.commit(store, report, user="test").batch
        stored = store.frame("SELECT note, value FROM observations WHERE batch = ? ORDER BY year", [batch])
    finally:
        store.close()
    if isinstance(ACCEPTED[name], tuple):
        assert (sheet, stored["value"].tolist()) == (ACCEPTED[name][0], [ACCEPTED[name][1]])
    else:
        assert stored["note"].tolist() == ACCEPTED[name]


def test_a_hidden_sheet_is_read_only_when_asked_for(db_path):
    path = HOSTILE / "accepted" / "hidden_first_sheet.xlsx"
    assert [(s.name, s.hidden) for s in intake.sheets(path)] == [("Số liệu cũ", True), ("Số liệu", False)]
    store = Store.open(db_path, read_only=True)
    try:
        with intake.check(path, store=store, sheet="Số liệu cũ") as report:
            assert [(p.row, p.code) for p in report.problems] == [(2, "not-a-number")]
    finally:
        store.close()


def test_a_terminal_escape_is_never_printed(db_path):
    done = run_cli("import", HOSTILE / "rejected" / "terminal_escapes.csv", db=db_path, check=False)
    assert "\x1b" not in done.stdout + done.stderr and "\x07" not in done.stdout + done.stderr
    assert "control-character" in done.stderr and "\ufffd" in done.stderr


def test_a_megabyte_cell_in_a_csv_is_refused_too(db_path, tmp_path):
    """Not committed (1 MB): a note of a million characters, quoted, on one line."""
    path = tmp_path / "megabyte.csv"
    path.write_text('unit,indicator,year,value,note\nD1,members,2023,1,"' + "z" * 1_000_000 + '"\n', encoding="utf-8")
    store = Store.open(db_path, read_only=True)
    try:
        with intake.check(path, store=store) as report:
            assert [(p.row, p.code) for p in report.problems] == [(2, "cell-too-long")]
    finally:
        store.close()


def test_limits_are_the_documented_ones():
    assert guard.MAX_COLUMNS == 200 and guard.MAX_CELL_CHARS == 10_000
    config = (Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert "maxUploadSize = 50" in config


def test_formulas_and_markup_in_notes_are_kept_as_text_and_never_run(db_path):
    path = HOSTILE / "accepted" / "formulas_and_markup_in_notes.csv"
    written = [r["note"] for r in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))]
    store = Store.open(db_path)
    try:
        with intake.check(path, store=store) as report:
            assert report.ok, report.problem_table("en").to_string()
            intake.commit(store, report, user="test")
        stored = store.frame("SELECT note FROM observations WHERE note IS NOT NULL ORDER BY year")["note"].tolist()
        assert stored == written  # exactly as written: nothing stripped, nothing interpreted
        exported = data.values_csv(store).decode("utf-8-sig")
    finally:
        store.close()
    notes = [r["note"] for r in csv.DictReader(io.StringIO(exported)) if r["note"]]
    risky = [n for n in notes if n.lstrip("'").startswith(("=", "+", "-", "@"))]
    assert len(risky) == 4 and all(n.startswith("'") for n in risky)  # spreadsheets show them, never run them


def test_an_annotated_rejected_file_never_hands_back_a_formula(db_path, tmp_path):
    path = tmp_path / "bad.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["unit", "indicator", "year", "value"])
    book.active.append(["", "members", 2023, 1])
    book.active["A2"].value = '=HYPERLINK("http://example.com","x")'
    book.active["A2"].data_type = "s"  # text that looks like a formula, as a careless paste leaves it
    book.save(path)
    store = Store.open(db_path, read_only=True)
    try:
        with intake.check(path, store=store) as report:
            assert not report.ok
            _, content, _ = report.annotated("vi")
    finally:
        store.close()
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("'=")
