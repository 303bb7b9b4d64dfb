"""`targets import`: the same forgiving reading and a preview of what the file changes, with --dry-run."""

import hashlib

import pytest

from tests.helpers import MINI, run_cli


def changed_targets(tmp_path):
    """The mini plan's targets file with L1 changed, NS left out and B2 added."""
    changed = tmp_path / "targets.csv"
    lines = (MINI / "targets.csv").read_text(encoding="utf-8").splitlines()
    lines = [line.replace(",members,level,200,", ",members,level,250,") for line in lines if ",NS," not in line]
    lines.append(lines[-1].replace(",B1,", ",B2,"))
    changed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return changed


def targets_of(db) -> set[str]:
    return {line.split(",")[1] for line in run_cli("status", "--unit", "P", "--year", "2023", db=db).stdout.splitlines()[1:]}


@pytest.mark.slow
def test_a_targets_file_is_merged_by_default_a_target_it_leaves_out_stays(mini_plan_db, tmp_path):
    db = mini_plan_db
    changed = changed_targets(tmp_path)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    done = run_cli("targets", "import", changed, "--dry-run", "--lang", "en", db=db)
    assert "Targets: created: 1 · updated: 1 · unchanged: 4\n" in done.stdout and "removed" not in done.stdout
    assert "L1/T-2023-2028: value 200 → 250" in done.stdout and "B2/T-2023-2028: created" in done.stdout
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    done = run_cli("targets", "import", changed, db=db)
    assert "targets: 6" in done.stdout
    assert {"NS", "B2", "L1"} <= targets_of(db)  # NS was not in the file and is still there


@pytest.mark.slow
def test_replacing_a_plans_targets_is_explicit_and_previewed(mini_plan_db, tmp_path):
    db = mini_plan_db
    changed = changed_targets(tmp_path)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    done = run_cli("targets", "import", changed, "--replace", "--dry-run", "--lang", "en", db=db)
    assert "Targets: created: 1 · updated: 1 · unchanged: 4 · removed: 1" in done.stdout
    assert "NS/T-2023-2028: removed (no longer in the file)" in done.stdout
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    done = run_cli("targets", "import", changed, "--replace", db=db)
    assert "targets: 6" in done.stdout and "tạo mới: 1" in done.stdout and "xóa: 1" in done.stdout
    assert "NS" not in targets_of(db) and "B2" in targets_of(db)


def test_a_semicolon_windows_file_is_read_and_a_grouped_number_is_refused(mini_plan_db, tmp_path):
    db = mini_plan_db
    text = (MINI / "targets.csv").read_text(encoding="utf-8")
    semicolons = tmp_path / "targets-excel.csv"
    semicolons.write_bytes(text.replace(",", ";").replace(";members;level;200;", ";members;level;200.000;")
                           .encode("utf-16"))
    done = run_cli("targets", "import", semicolons, db=db, check=False)
    assert done.returncode == 1
    assert "dòng 2 · value · “200.000” · invalid-number" in done.stderr
    assert "hàng nghìn" in done.stderr


def test_a_target_of_infinity_or_a_year_in_superscript_is_refused(mini_plan_db, tmp_path):
    """``1e309`` and ``inf`` are no target values; ``²`` passes ``str.isdigit`` but is no year."""
    db = mini_plan_db
    bad = tmp_path / "targets.csv"
    text = (MINI / "targets.csv").read_text(encoding="utf-8")
    bad.write_text(text.replace(",members,level,200,,2028,", ",members,level,1e309,,2028,")
                   .replace(",2028,2023,100,", ",²028,2023,100,", 1), encoding="utf-8")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    done = run_cli("targets", "import", bad, db=db, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "dòng 2 · value · “1e309” · invalid-number" in done.stderr
    assert "dòng 2 · target_year · “²028” · invalid-int" in done.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_a_terminal_escape_in_a_name_is_refused_and_never_printed(mini_plan_db, tmp_path):
    db = mini_plan_db
    bad = tmp_path / "targets.csv"
    text = (MINI / "targets.csv").read_text(encoding="utf-8")
    bad.write_text(text.replace(",Tổng số đoàn viên,", ",Tổng số \x1b[2Jđoàn viên,", 1), encoding="utf-8")
    done = run_cli("targets", "import", bad, db=db, check=False)
    assert done.returncode == 1 and "dòng 2 · label_vi · “Tổng số �[2Jđoàn viên” · invalid-text" in done.stderr
    assert "\x1b" not in done.stderr + done.stdout
