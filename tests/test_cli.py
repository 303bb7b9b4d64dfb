"""The command line of docs/interfaces.md on a real database file: as a user runs it (a process of its own)
where what is tested is the process (its output's columns, a held file, a closed pipe), otherwise through
``metrics.cli.main`` in this process (the same parsing and commands, without a process's ~2 s start)."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from metrics.domain.judgement import ANNUAL_TYPES
from metrics.storage import audit
from metrics.storage.store import Store
from tests.helpers import MINI, ROOT, SHORT_WAIT, cli, copy_database, read_csv, run_cli

STATUS_COLUMNS = ["plan", "target", "indicator", "unit", "year", "actual", "target_value", "achievement_pct", "status"]


@pytest.fixture(scope="module")
def demo_db(demo_template, tmp_path_factory):
    """The demo database, shared by this module's tests (they read it, or are refused before they write)."""
    return copy_database(demo_template, tmp_path_factory.mktemp("demo"))


def test_status_csv_has_the_contract_columns_in_order(demo_db):
    out = cli("status", "--format", "csv", db=demo_db).stdout
    assert out.splitlines()[0].split(",")[:9] == STATUS_COLUMNS


@pytest.mark.slow
def test_status_lists_every_target_for_the_province_and_each_unit_it_applies_to(demo_db):
    rows = read_csv(run_cli("status", "--plan", "DH-XI-2023-2028", "--year", "2024", db=demo_db).stdout)
    targets = read_csv((ROOT / "data" / "targets.csv").read_text(encoding="utf-8"))
    wanted = [t for t in targets if t["plan"] == "DH-XI-2023-2028"]
    province = [r for r in rows if r["unit"] == "AG"]
    assert sorted(r["target"] for r in province) == sorted(t["target"] for t in wanted)
    upper_targets = {t["target"] for t in wanted if "upper" in t["applies_to"].split("|")}
    district_883 = {r["target"] for r in rows if r["unit"] == "883"}
    assert upper_targets <= district_883 | {t["target"] for t in wanted if t["sector"] == "public_admin"}
    assert {r["status"] for r in rows} <= {
        "target_achieved", "substantial_progress", "moderate_progress", "limited_progress",
        "deterioration", "not_achieved", "not_available", "no_target"}


@pytest.mark.slow
def test_status_2024_says_not_achieved_for_every_annual_target_below_its_bound(demo_db):
    """It said not_available with "0 of 1 years met" for HN1b at 58,4% against ≥ 65%."""
    out = run_cli("status", "--year", "2024", "--unit", "AG", "--format", "csv", db=demo_db).stdout
    rows = {r["target"]: r for r in csv.DictReader(io.StringIO(out))}
    annual = [r for r in rows.values() if r["target_type"] in ANNUAL_TYPES and r["actual"]]
    below = [r for r in annual if r["years_met"] == "0"]
    assert len(below) >= 7 and {r["status"] for r in below} == {"not_achieved"}
    assert rows["HN1b"]["status"] == "not_achieved" and float(rows["HN1b"]["actual"]) < 65
    assert rows["HN1a"]["achievement_pct"] == ""  # a band has no "% achieved"


@pytest.mark.slow
def test_status_numbers_are_plain_for_machines(demo_db):
    rows = read_csv(run_cli("status", "--year", "2023", "--unit", "AG", db=demo_db).stdout)
    members = next(r for r in rows if r["indicator"] == "members")
    assert members["actual"] == "111258.0"
    assert members["year"] == "2023"


@pytest.mark.slow
def test_status_json_matches_csv(demo_db):
    as_json = json.loads(run_cli("status", "--format", "json", "--unit", "AG", "--year", "2023", db=demo_db).stdout)
    as_csv = read_csv(run_cli("status", "--unit", "AG", "--year", "2023", db=demo_db).stdout)
    assert [(r["target"], r["status"]) for r in as_json] == [(r["target"], r["status"]) for r in as_csv]


def test_unknown_plan_fails_with_a_message_that_names_the_known_plans(demo_db):
    done = run_cli("status", "--plan", "NOPE", db=demo_db, check=False)
    assert done.returncode == 1
    assert "DH-XI-2023-2028" in done.stderr and "NOPE" in done.stderr


@pytest.mark.slow
def test_init_refuses_to_overwrite_a_database_with_data(demo_db):
    done = run_cli("init", "--demo", db=demo_db, check=False)
    assert done.returncode == 1
    assert "--force" in done.stderr


@pytest.mark.slow
def test_a_second_process_gets_a_clear_message_while_the_database_is_held(demo_db):
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(demo_db)!r}); print('held', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        done = cli("status", db=demo_db, check=False, env=SHORT_WAIT)
        assert done.returncode == 1
        assert f"đang được một chương trình khác (PID {holder.pid}) sử dụng" in done.stderr
        english = cli("status", "--lang", "en", db=demo_db, check=False, env=SHORT_WAIT)
        assert f"in use by another program (PID {holder.pid})" in english.stderr
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.slow
def test_units_and_targets_import_load_another_federation(tmp_path):
    db = tmp_path / "other.duckdb"
    run_cli("init", db=db)
    run_cli("units", "import", MINI / "units.csv", db=db)
    done = run_cli("targets", "import", MINI / "plans.csv", MINI / "indicators.csv", MINI / "targets.csv", db=db)
    assert "targets: 6" in done.stdout
    rows = read_csv(run_cli("status", "--plan", "T-2023-2028", "--year", "2024", db=db).stdout)
    assert {r["status"] for r in rows} == {"not_available"}  # a plan and units, no values yet
    assert len(rows) == 26


@pytest.mark.slow
def test_targets_import_with_errors_writes_nothing(tmp_path):
    db = tmp_path / "bad.duckdb"
    run_cli("init", db=db)
    bad = tmp_path / "targets.csv"
    text = (MINI / "targets.csv").read_text(encoding="utf-8")
    bad.write_text(text.replace(",members,level,200,", ",members,level,lots,").replace(",houses,", ",nohouses,"),
                   encoding="utf-8")
    done = run_cli("targets", "import", MINI / "plans.csv", MINI / "indicators.csv", bad, db=db, check=False)
    assert done.returncode == 1
    assert "dòng 2 · value · “lots” · invalid-number" in done.stderr
    assert "dòng 4 · indicator · “nohouses” · unknown-indicator" in done.stderr
    assert "plans: 0" not in done.stdout
    empty = run_cli("status", db=db, check=False)
    assert empty.returncode == 1  # still no plan: nothing was written


@pytest.mark.slow
def test_history_and_rollback(demo_template, tmp_path):
    db = copy_database(demo_template, tmp_path, "h.duckdb")
    history = read_csv(run_cli("history", db=db).stdout)
    assert list(history[0]) == ["batch", "file", "sha256", "rows", "user", "time", "state", "approval", "approved_by"]
    first = history[0]["batch"]
    run_cli("rollback", first, db=db)
    again = read_csv(run_cli("history", db=db).stdout)
    assert again[0]["state"].startswith("rolled_back")
    assert run_cli("rollback", first, db=db, check=False).returncode == 1


FORMULA = "=cmd|' /C calc'!A0"


@pytest.mark.slow
def test_command_line_csv_never_hands_a_spreadsheet_a_formula(demo_template, tmp_path):
    """A failed sign-in under a formula-like name, a file named like a formula: text in every CSV output."""
    db = copy_database(demo_template, tmp_path, "f.duckdb")
    values = tmp_path / "=1+1.csv"
    values.write_text("unit,indicator,year,value\n883,union_houses,2024,11\n", encoding="utf-8")
    run_cli("import", values, db=db)
    store = Store.open(db)
    try:
        audit.record(store, FORMULA, "sign-in-failed", {"reason": "password"})
    finally:
        store.close()
    logged = read_csv(run_cli("audit", db=db).stdout)
    assert logged[0]["user_name"] == "'" + FORMULA
    history = read_csv(run_cli("history", db=db).stdout)
    assert history[-1]["file"] == "'=1+1.csv"
    assert json.loads(run_cli("history", "--format", "json", db=db).stdout)[-1]["file"] == "=1+1.csv"  # JSON as stored


@pytest.mark.slow
def test_a_reader_that_leaves_early_gets_no_traceback(demo_db):
    """``status | head``: the pipe is closed before the command writes its first line."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.Popen([sys.executable, "-m", "metrics", "status", "--db", str(demo_db)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=ROOT, env=env)
    done.stdout.close()
    error = done.stderr.read().decode()
    assert done.wait(timeout=120) != 0
    assert "Traceback" not in error and "BrokenPipe" not in error, error


@pytest.mark.slow
def test_export_and_template_never_overwrite_without_force_and_never_the_database(demo_db, tmp_path):
    existing = tmp_path / "report.csv"
    existing.write_text("keep me", encoding="utf-8")
    for command in (["export", "--format", "csv"], ["template", "--year", "2025"]):
        refused = run_cli(*command, "--out", existing, db=demo_db, check=False)
        assert refused.returncode == 1 and "--force" in refused.stderr and "Traceback" not in refused.stderr
        assert existing.read_text(encoding="utf-8") == "keep me"
        missing = run_cli(*command, "--out", tmp_path / "no-such-folder" / "x.csv", db=demo_db, check=False)
        assert missing.returncode == 1 and "không tồn tại" in missing.stderr and "Traceback" not in missing.stderr
    before = demo_db.read_bytes()
    for target in (demo_db, Path(str(demo_db) + ".wal")):
        refused = run_cli("export", "--format", "csv", "--out", target, "--force", db=demo_db, check=False)
        assert refused.returncode == 1 and "không bao giờ ghi đè" in refused.stderr
    assert demo_db.read_bytes() == before and not Path(str(demo_db) + ".wal").exists()
    run_cli("export", "--format", "csv", "--out", existing, "--force", db=demo_db)
    assert existing.read_bytes().startswith(b"\xef\xbb\xbfunit,indicator")
