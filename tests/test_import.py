"""The import engine end to end on real DuckDB files: preview, commit, undo, as-of, round trip, templates."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from metrics.catalogue.loading import init_database, load_targets, load_units
from metrics.cli import commands
from metrics.ingest import intake, templates
from metrics.ingest import text as report_text
from metrics.judging.scorecard import Scorecard
from metrics.storage.store import Store, write_batch
from metrics.storage.values_export import export_values
from metrics.vocabulary.errors import UserError
from tests.helpers import MINI, ROOT, copy_database, run_cli

DATA = ROOT / "data"
PLAN = "DH-XI-2023-2028"


@pytest.fixture
def demo(demo_template, tmp_path):
    store = Store.open(copy_database(demo_template, tmp_path))
    yield store
    store.close()


def write(tmp_path: Path, text: str, name: str = "values.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def cell(store: Store, unit: str, indicator: str, year: int, as_of: int | None = None):
    found = store.observations(indicators=[indicator], units=[unit], as_of=as_of)
    found = found[found["year"] == year]
    return None if found.empty else found.iloc[0]["value"]


# --- preview -----------------------------------------------------------------------------------------

def test_preview_counts_changes_and_the_status_the_dashboard_then_shows(demo, tmp_path):
    path = write(tmp_path, "đơn vị;chỉ tiêu;năm;giá trị;tử số;mẫu số\n"
                           "AG-2025;members;2026;130.000;;\n"            # the province's own figure: new
                           "AG-2025;cba_coverage;2026;;240;245\n"          # new
                           "883;members;2024;11.781;;\n"                   # the value already there
                           "884;members;2024;9.000;;\n")                   # a district's figure, corrected
    report = intake.check(path, store=demo)
    assert report.ok, report.problem_table().to_string()
    assert report.counts == {"created": 2, "updated": 1, "annotated": 0, "unchanged": 1, "rejected": 0, "skipped": 0}
    changed = report.changes.set_index(["unit", "indicator"])
    assert changed.loc[("AG-2025", "members"), "new"] == 130000
    assert (changed.loc[("884", "members"), "old"], changed.loc[("884", "members"), "new"]) == (8901, 9000)
    statuses = report.status_changes.set_index(["target", "year"])
    assert ("NK1b", 2026) in statuses.index
    batch = intake.commit(demo, report, user="analyst").batch
    assert batch == demo.batches()["id"].max()
    after = Scorecard(demo)
    for (target, year), expected in statuses.iterrows():
        spec = next(t for t in after.targets(PLAN) if t["code"] == target)
        row = after.row(spec, after.root(PLAN, year), year)
        assert row.status == expected["new_status"]
        assert row.verdict.actual == pytest.approx(expected["new_value"])


def test_a_ratio_stands_for_its_stated_value_in_the_preview_the_rollups_and_the_reference(demo, tmp_path):
    """223/242 is published as 92,14%: the preview said 92,15% (parts first), the roll-ups 92,14%."""
    path = write(tmp_path, "đơn vị;chỉ tiêu;năm;giá trị;tử số;mẫu số\n883;cba_coverage;2024;92,14;223;242\n")
    report = intake.check(path, store=demo)
    assert report.ok, report.problem_table().to_string()
    assert report.changes.set_index(["unit", "indicator"]).loc[("883", "cba_coverage"), "new"] == pytest.approx(92.14)
    intake.commit(demo, report, user="analyst")
    stored = Scorecard(demo)
    reference = Scorecard(demo, observations=demo.observations())
    for card in (stored, reference):
        assert card.figure("cba_coverage", "883", 2024).value == pytest.approx(92.14)
    again = intake.check(write(tmp_path, "unit,indicator,year,value,numerator,denominator\n"
                                         "883,cba_coverage,2024,92.14,223,242\n", "again.csv"), store=demo)
    assert again.counts["unchanged"] == 1


def test_nothing_is_written_when_every_value_is_already_there(demo, tmp_path):
    path = write(tmp_path, "unit,indicator,year,value\n883,members,2024,11781\n")
    report = intake.check(path, store=demo)
    assert report.counts["unchanged"] == 1 and report.to_write == 0
    batches = len(demo.batches())
    assert intake.commit(demo, report).batch is None
    assert len(demo.batches()) == batches


def test_confirming_after_someone_else_changed_the_data_asks_to_check_again(demo, tmp_path):
    report = intake.check(write(tmp_path, "unit,indicator,year,value\n883,members,2024,12000\n"), store=demo)
    other = intake.check(write(tmp_path, "unit,indicator,year,value\n884,members,2024,9000\n", "b.csv"), store=demo)
    intake.commit(demo, other)
    with pytest.raises(UserError) as caught:
        intake.commit(demo, report)
    assert caught.value.code == "data-changed"
    assert cell(demo, "883", "members", 2024) == 11781


def test_two_imports_confirmed_at_once_give_a_message_not_a_trace(demo, tmp_path):
    report = intake.check(write(tmp_path, "unit,indicator,year,value\n883,members,2024,12000\n"), store=demo)
    with demo.transaction() as other:
        write_batch(other, pd.DataFrame({"unit": ["884"], "indicator": ["members"], "year": [2024], "value": [1.0]}),
                    "import")  # another analyst's import, not yet committed
        try:
            with pytest.raises(UserError) as caught:
                intake.commit(demo, report)
        finally:
            other.rollback()
            other.begin()  # the context manager commits what is left: nothing
    assert caught.value.code == "import-conflict"
    assert "cùng lúc" in caught.value.message("vi") and "same moment" in caught.value.message("en")
    assert cell(demo, "883", "members", 2024) == 11781


def test_a_file_with_errors_cannot_be_committed(demo, tmp_path):
    report = intake.check(write(tmp_path, "unit,indicator,year,value\n883,members,2024,abc\n"), store=demo)
    with pytest.raises(UserError) as caught:
        intake.commit(demo, report)
    assert caught.value.code == "import-has-errors"


def test_the_rejected_file_comes_back_with_an_error_column(demo, tmp_path):
    path = write(tmp_path, "unit;indicator;year;value\n883;members;2024;abc\n884;members;2024;100\n")
    report = intake.check(path, store=demo)
    name, data, mime = report.annotated("vi")
    assert name == "values-loi.csv" and mime == "text/csv"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["unit", "indicator", "year", "value", "lỗi"]
    assert rows[1][:4] == ["883", "members", "2024", "abc"] and "không phải là số" in rows[1][4]
    assert rows[2][4] == ""
    name, data, _ = report.annotated("en")
    assert name == "values-errors.csv" and "is not a number" in data.decode("utf-8-sig")


def test_an_excel_file_comes_back_as_excel(demo, tmp_path):
    book = tmp_path / "book.xlsx"
    pd.DataFrame({"unit": ["883"], "indicator": ["members"], "year": [2024], "value": ["abc"]}).to_excel(book, index=False)
    report = intake.check(book, store=demo)
    name, data, _ = report.annotated("en")
    assert name == "book-errors.xlsx"
    back = pd.read_excel(io.BytesIO(data), dtype=str)
    assert list(back.columns) == ["unit", "indicator", "year", "value", "errors"]
    assert "not a number" in back.loc[0, "errors"]


def test_a_sheet_that_does_not_exist_is_named_with_those_that_do(demo):
    with pytest.raises(UserError) as caught:
        intake.check(ROOT / "tests/fixtures/import/ok/excel_two_sheets.xlsx", store=demo, sheet="2025")
    assert "Số liệu" in caught.value.message("en")
    assert intake.sheet_names(ROOT / "tests/fixtures/import/ok/excel_two_sheets.xlsx") == ["Hướng dẫn", "Số liệu"]


def test_a_file_over_the_row_limit_is_refused(demo, tmp_path):
    path = write(tmp_path, "unit,indicator,year,value\n" + "883,members,2024,1\n" * 5)
    report = intake.check(path, store=demo, max_rows=3)
    assert [p.code for p in report.problems] == ["file-too-large"]


def test_an_import_takes_every_year_some_loaded_plan_or_the_term_before_it_covers(demo, tmp_path):
    accepted = intake.accepted_years(demo)
    assert accepted == list(range(2015, 2029))  # CTHD 2020–2025 and its term before, DH-XI 2023–2028
    report = intake.check(write(tmp_path, "unit,indicator,year,value\nAG,members,2016,90000\nAG-2025,members,2029,1\n"),
                          store=demo, plan=PLAN)  # one file of history, checked against the newer plan
    assert [(p.row, p.code) for p in report.problems] == [(3, "year-outside-plan")]
    assert "2015–2028" in report.problems[0].message_en


def test_progress_is_reported_up_to_the_end(demo, tmp_path):
    seen = []
    intake.check(write(tmp_path, "unit,indicator,year,value\n883,members,2024,12000\n"), store=demo,
                 progress=lambda fraction, step: seen.append((fraction, step)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert {s for _, s in seen} <= {"reading", "checking", "comparing", "writing"}


def test_a_clean_file_is_read_by_duckdb_and_a_messy_one_carefully(demo, tmp_path):
    clean = write(tmp_path, "unit,indicator,year,value\n" + "".join(f"883,members,{y},{y}\n" for y in (2023, 2024)))
    assert intake.check(clean, store=demo).reader == "fast"
    messy = write(tmp_path, "unit,indicator,year,value\n883,members,2023,1\n\n883,members,2024,x\n", "m.csv")
    report = intake.check(messy, store=demo)
    assert report.reader == "careful"  # the blank line is found while DuckDB reads; row numbers stay the file's
    assert [(p.row, p.code) for p in report.problems] == [(4, "not-a-number")]


def test_binary_bytes_far_into_a_clean_looking_file_reject_it(demo, tmp_path):
    head = "unit,indicator,year,value\n" + "883,members,2024,12000\n" * 5000  # past the sniffed sample
    path = tmp_path / "values.csv"
    path.write_bytes(head.encode() + b"\x00\x01\x02garbage\n" + b"883,members,2023,1\n")
    before = hashlib.sha256(Path(demo.path).read_bytes()).hexdigest()
    report = intake.check(path, store=demo)
    assert [p.code for p in report.problems] == ["unreadable-file"] and not report.ok
    assert hashlib.sha256(Path(demo.path).read_bytes()).hexdigest() == before


@pytest.mark.parametrize("control", ["\x1b", "\x7f", "\x85", "\x9f", "\x01"])
@pytest.mark.parametrize("where", ["note", "unit", "value"])
def test_a_control_character_anywhere_in_a_long_file_is_found_after_the_scan(control, where, demo, tmp_path,
                                                                             monkeypatch):
    """The byte scan that spares clean files the control-character rule must see every one: in any column,
    a C1 character (two bytes in UTF-8) split between two chunks of the scan included."""
    from metrics.storage.files import csv_reader
    cells = {"unit": "883", "value": "1200", "note": "Báo cáo năm"}
    rows = "".join(f"883,members,{y},1100,Ghi chú dòng {y}\n" for y in range(2019, 2024))
    cells[where] = cells[where][:2] + control + cells[where][2:]
    text = f"unit,indicator,year,value,note\n{rows}{cells['unit']},members,2024,{cells['value']},{cells['note']}\n"
    # a chunk ends just after the control's first byte: a C1 character's C2 lead ends one chunk
    monkeypatch.setattr(csv_reader, "CHUNK_BYTES", text.encode().index(control.encode()) + 1)
    report = intake.check(write(tmp_path, text), store=demo)
    assert report.controls
    assert [(p.row, p.code) for p in report.problems if p.code == "control-character"] == [(7, "control-character")]


def test_a_clean_file_is_scanned_free_of_control_characters(demo, tmp_path, monkeypatch):
    """Vietnamese text, a no-break space (C2 A0) and a tab are no control characters: the rule is skipped."""
    from metrics.storage.files import csv_reader
    monkeypatch.setattr(csv_reader, "CHUNK_BYTES", 5)
    text = "unit,indicator,year,value,note\n" + "".join(f"883,members,{y},1\u00a0100,Đoàn\tcơ sở ưu tú\n"
                                                      for y in (2023, 2024))
    report = intake.check(write(tmp_path, text), store=demo)
    assert not report.controls and report.ok


def test_sources_are_stored_trimmed_notes_as_written_both_precomposed(demo, tmp_path):
    decomposed = unicodedata.normalize("NFD", "Báo cáo năm")
    path = write(tmp_path, "unit,indicator,year,value,source,note\n"
                 f"883,members,2024,12000,  {decomposed}\u00a0,ghi chú \n"
                 f"884,members,2024,9000,{decomposed},\n")
    report = intake.check(path, store=demo)
    assert report.ok, report.counts_by_code
    intake.commit(demo, report)
    stored = demo.observations(indicators=["members"], units=["883", "884"])
    stored = stored[stored["year"] == 2024].set_index("unit")
    assert stored.loc["883", "source"] == stored.loc["884", "source"] == "Báo cáo năm"
    assert unicodedata.is_normalized("NFC", stored.loc["883", "source"])
    assert stored.loc["883", "note"] == "ghi chú " and pd.isna(stored.loc["884", "note"])  # exactly as written


# --- undo and as-of ---------------------------------------------------------------------------------

@pytest.mark.parametrize("order", ["A then B", "B then A"])
def test_undo_restores_what_a_batch_replaced_even_with_later_batches(order, tmp_path):
    store = init_database(tmp_path / "mini.duckdb", demo=True, data_dir=MINI)
    try:
        before = {u: cell(store, u, "members", 2024) for u in ("D1", "D2", "S1")}
        assert before == {"D1": 60, "D2": 50, "S1": 10}
        a = intake.commit(store, intake.check(write(tmp_path, "unit,indicator,year,value\nD1,members,2024,61\n"
                                                              "D2,members,2024,51\n", "a.csv"), store=store)).batch
        b = intake.commit(store, intake.check(write(tmp_path, "unit,indicator,year,value\nD2,members,2024,52\n"
                                                              "S1,members,2024,11\n", "b.csv"), store=store)).batch
        values = lambda as_of=None: {u: cell(store, u, "members", 2024, as_of) for u in ("D1", "D2", "S1")}  # noqa: E731
        assert values(a) == {"D1": 61, "D2": 51, "S1": 10}
        assert values(b) == {"D1": 61, "D2": 52, "S1": 11}
        if order == "A then B":
            undo_a = intake.undo(store, a, user="t")
            assert values() == {"D1": 60, "D2": 52, "S1": 11}  # x back, y and z stay B's
            intake.undo(store, b, user="t")
            assert values() == {"D1": 60, "D2": 50, "S1": 10}  # y falls back past the undone A
            assert values(undo_a) == {"D1": 60, "D2": 52, "S1": 11}  # the state right after the first undo
        else:
            undo_b = intake.undo(store, b, user="t")
            assert values() == {"D1": 61, "D2": 51, "S1": 10}
            intake.undo(store, a, user="t")
            assert values() == before
            assert values(undo_b) == {"D1": 61, "D2": 51, "S1": 10}
        assert values(b) == {"D1": 61, "D2": 52, "S1": 11}  # history itself never changes
        with pytest.raises(UserError):
            intake.undo(store, a)
    finally:
        store.close()


def test_two_people_undoing_the_same_batch_at_once_get_a_message(tmp_path):
    store = init_database(tmp_path / "mini.duckdb", demo=True, data_dir=MINI)
    try:
        batch = intake.commit(store, intake.check(write(tmp_path, "unit,indicator,year,value\nD1,members,2024,61\n"),
                                                  store=store)).batch
        with store.transaction() as other:
            other.execute("UPDATE batches SET rolled_back_by = -1 WHERE id = ?", [batch])
            with pytest.raises(UserError) as caught:
                intake.undo(store, batch)
            other.rollback()
            other.begin()  # the context manager commits what is left: nothing
        assert caught.value.code == "import-conflict"
    finally:
        store.close()


# --- round trip -------------------------------------------------------------------------------------

@pytest.mark.slow
def test_exported_values_import_into_an_empty_database_with_the_same_statuses(demo, tmp_path, capsys):
    exported = tmp_path / "values.csv"
    assert export_values(demo, exported) == len(demo.observations())
    empty = Store.open(tmp_path / "empty.duckdb")
    assert load_units(empty, DATA / "units.csv").ok
    assert load_targets(empty, [DATA / "plans.csv", DATA / "indicators.csv", DATA / "targets.csv",
                                DATA / "quotas.csv"]).ok  # the units' quotas too: a unit with one is judged by it
    empty.close()
    done = run_cli("import", exported, db=tmp_path / "empty.duckdb")
    assert f"{len(demo.observations())} " in done.stdout
    plans = demo.plans().to_dict("records")
    latest = Scorecard(demo)
    demo_path = demo.path
    imported = Store.open(tmp_path / "empty.duckdb", read_only=True)
    try:  # every figure of every year the same: then any year's status is; two years per plan are listed below
        assert _figures(imported) == _figures(demo)
    finally:
        imported.close()
    demo.close()
    for plan in plans:
        for year in sorted({plan["start_year"], latest.latest_year(plan["code"])}):
            tables = []
            for db in (demo_path, tmp_path / "empty.duckdb"):
                assert commands.main(["status", "--plan", plan["code"], "--year", str(year), "--db", str(db)]) == 0
                tables.append(capsys.readouterr().out)
            assert _statuses(tables[0]) == _statuses(tables[1]), (plan["code"], year)


def _figures(store: Store) -> list[tuple]:
    columns = ["unit", "indicator", "year", "value", "numerator", "denominator"]
    return sorted(store.observations()[columns].astype(object).where(lambda f: f.notna(), None)
                  .itertuples(index=False, name=None))


def _statuses(text: str) -> list[tuple]:
    return [(r["target"], r["unit"], r["actual"], r["status"]) for r in csv.DictReader(io.StringIO(text))]


# --- command line -----------------------------------------------------------------------------------

@pytest.mark.slow
def test_dry_run_prints_the_preview_and_writes_nothing(demo_template, tmp_path):
    db = tmp_path / "kpi.duckdb"
    shutil.copy(demo_template, db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    path = write(tmp_path, "unit;indicator;year;value;numerator;denominator\nAG-2025;cba_coverage;2026;;240;245\n")
    done = run_cli("import", path, "--dry-run", "--lang", "en", db=db)
    assert "Created: 1 · Figures updated: 0 · Source/note only: 0 · Unchanged: 0 · Rejected rows: 0" in done.stdout
    assert "Collective agreement coverage" in done.stdout and "→" in done.stdout
    assert "Dry run: nothing was written." in done.stdout
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    done = run_cli("import", path, "--user", "lan", db=db)
    assert "Đã nhập đợt #" in done.stdout
    history = list(csv.DictReader(io.StringIO(run_cli("history", db=db).stdout)))
    assert history[-1]["file"] == "values.csv" and history[-1]["user"] == "lan" and history[-1]["rows"] == "1"
    assert history[-1]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


# --- templates --------------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.slow
def test_a_filled_template_imports(suffix, demo_template, tmp_path):
    db = tmp_path / "kpi.duckdb"
    shutil.copy(demo_template, db)
    out = tmp_path / f"mau{suffix}"
    run_cli("template", "--plan", PLAN, "--year", "2026", "--units", "AG-2025,CD-P-LONGXUYEN", "--out", out, db=db)
    store = Store.open(db)
    try:
        frame = (pd.read_csv(out, sep=";", dtype=str, encoding="utf-8-sig") if suffix == ".csv"
                 else pd.read_excel(out, dtype=str))
        assert list(frame.columns) == templates.HEADERS["vi"]
        assert set(frame["đơn vị"]) == {"AG-2025", "CD-P-LONGXUYEN"}
        kinds = store.indicators().set_index("code")["kind"]
        counts = frame["chỉ tiêu"].map(kinds).isin(["stock", "flow"])
        frame.loc[counts, "giá trị"] = "1.234"
        frame.loc[~counts, "tử số"], frame.loc[~counts, "mẫu số"] = "9", "10"
        filled = tmp_path / f"filled{suffix}"
        if suffix == ".csv":
            filled.write_bytes(templates.as_csv(frame))
        else:
            filled.write_bytes(templates.as_xlsx(frame))
        report = intake.check(filled, store=store)
        assert report.ok, report.problem_table().to_string()
        assert report.counts["created"] + report.counts["updated"] + report.counts["unchanged"] == len(frame)
    finally:
        store.close()


@pytest.mark.parametrize("rows, judged", [
    # a district and a union below it, the province's own figure, a year before the baseline
    ("883;members;2024;12.000;;\nCS-LX-001;members;2024;500;;\nAG-2025;cba_coverage;2026;;240;245\n"
     "AG;members;2020;99.000;;\n", {2024, 2026}),
    # grassroots figures only: hidden by their district's own figure, so no status may move
    ("CS-LX-001;cba_coverage;2024;;10;10\nCS-LX-001;union_houses;2024;3;;\n", {2024, 2026}),
    # an indicator the province reports itself, in every year of the term so far
    ("AG;new_members;2024;5.000;;\nAG-2025;new_members;2025;5.000;;\nAG-2025;new_members;2026;5.000;;\n",
     {2024, 2025, 2026}),
])
def test_the_status_preview_equals_judging_everything_again(rows, judged, demo, tmp_path):
    """The preview judges the file's years and the latest year on the values that can reach the
    province; judging every target with full scorecards before and after the commit must agree."""
    report = intake.check(write(tmp_path, "đơn vị;chỉ tiêu;năm;giá trị;tử số;mẫu số\n" + rows), store=demo)
    assert report.ok, report.problem_table().to_string()
    before = judge_everything(Scorecard(demo), judged)  # a scorecard reads as it goes: judge before the commit
    intake.commit(demo, report)
    after = judge_everything(Scorecard(demo), judged)
    expected = set()
    for key, old in before.items():
        new = after[key]
        if old.status != new.status or not _same(old.verdict.actual, new.verdict.actual):
            expected.add((*key, old.status, new.status))
    found = {(r.target, r.year, r.old_status, r.new_status) for r in report.status_changes.itertuples()}
    assert found == expected


def judge_everything(card: Scorecard, years) -> dict:
    """(target, year) -> the province's status row, for every target of the plan that applies to it."""
    judged = {}
    for year in years:
        root = card.root(PLAN, year)
        for target in card.targets(PLAN):
            if card.applies(target, root):
                judged[(target["code"], year)] = card.row(target, root, year)
    return judged


def _same(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-9)


def test_too_many_values_to_judge_says_so_instead_of_waiting(demo, tmp_path, monkeypatch):
    monkeypatch.setattr("metrics.ingest.preview.MAX_JUDGED_VALUES", 0)  # more changed cells than that: not judged
    report = intake.check(write(tmp_path, "unit,indicator,year,value\n883,members,2024,12000\n"), store=demo)
    assert report.ok and not report.statuses_judged and report.status_changes.empty
    assert "too large to judge" in " ".join(report_text.status_lines(report, "en"))


def test_a_file_missing_a_column_comes_back_with_its_rows_and_the_reason(demo, tmp_path):
    report = intake.check(write(tmp_path, "unit;indicator;value\n883;members;1\n884;members;2\n"), store=demo)
    name, data, _ = report.annotated("en")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert [r[:3] for r in rows] == [["unit", "indicator", "value"], ["883", "members", "1"], ["884", "members", "2"]]
    assert rows[1][3].startswith("(whole file) The column “năm” is missing") and rows[2][3] == ""


def test_a_row_with_too_many_cells_comes_back_as_it_was_written(demo, tmp_path):
    report = intake.check(write(tmp_path, "unit,indicator,year,value\n883,members,2024,92,5\n884,members,2024,1\n"),
                          store=demo)
    rows = list(csv.reader(io.StringIO(report.annotated("vi")[1].decode("utf-8-sig"))))
    assert rows[1][:5] == ["883", "members", "2024", "92", "5"] and "nhiều ô hơn" in rows[1][-1]
    assert rows[2][:4] == ["884", "members", "2024", "1"]


def test_an_unreadable_file_offers_nothing_to_download(demo, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a workbook")
    report = intake.check(path, store=demo)
    assert [p.code for p in report.problems] == ["unreadable-file"] and not report.can_annotate


def test_an_unknown_unit_gets_the_closest_names_first_always_the_same(demo):
    """Four units are called Long Xuyên; the three offered are the closest, in the same order every time."""
    from metrics.ingest.units import suggestions

    def offer() -> str:
        with demo.cursor() as cur:
            return suggestions(cur, "unit", ["Long Xuyen"])["Long Xuyen"]

    offered = {offer() for _ in range(5)}
    assert len(offered) == 1
    names = offered.pop().split("; ")
    assert len(names) == 3 and names[0] == "Công đoàn phường Long Xuyên (CD-P-LONGXUYEN)"


def test_the_file_line_says_only_what_was_read(demo, tmp_path):
    binary = tmp_path / "anh.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    line = report_text.describe(intake.check(binary, store=demo), "en")
    assert "could not be read" in line and "None" not in line and "convention" not in line
    rows = "unit,indicator,year,value\n" + "".join(f"883,members,{2019 + i % 8},{1000 + i}\n" for i in range(1200))
    report = intake.check(write(tmp_path, rows), store=demo)
    assert "1.200 dòng số liệu" in report_text.describe(report, "vi")
    assert "1,200 data rows" in report_text.describe(report, "en")


def test_working_folders_of_abandoned_checks_are_swept(tmp_path):
    """A check's folder outlived a session that never closed it (a killed server): swept after a day,
    a fresh one, another program's folder and a link left alone."""
    import os
    import time

    from metrics.ingest import intake

    old, new, other = tmp_path / "kpi-import-old", tmp_path / "kpi-import-new", tmp_path / "other-old"
    for folder in (old, new, other):
        folder.mkdir()
        (folder / "upload.csv").write_text("x")
    link = tmp_path / "kpi-import-link"
    link.symlink_to(other)
    day_ago = time.time() - 25 * 3600
    for path in (old, other):
        os.utime(path, (day_ago, day_ago))
    assert intake.sweep_abandoned(folder=tmp_path) == [old]
    assert not old.exists() and new.exists() and other.exists() and link.exists()
