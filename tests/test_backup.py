"""Backup and restore (``python -m metrics backup DIR`` / ``restore DIR``): the same judgements after the round trip."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from metrics import backup
from metrics.storage import users
from metrics.storage.store import Store
from metrics.vocabulary.errors import UserError
from tests.helpers import copy_database, run_cli

PASSWORD = "mật khẩu đủ dài"


@pytest.fixture(scope="module")
def source(demo_template, tmp_path_factory):
    """The demo database with one import undone, a user and a cookie key: every kind of row."""
    path = copy_database(demo_template, tmp_path_factory.mktemp("backup"))
    run_cli("rollback", "2", db=path)
    store = Store.open(path)
    try:
        users.add(store, "boss", "Chị Lan", "admin", PASSWORD, by="root", source="cli")
        users.cookie_key(store)
    finally:
        store.close()
    return path


@pytest.mark.slow
def test_backup_and_restore_give_the_same_status_history_and_users(source, tmp_path):
    folder = tmp_path / "backup"
    done = run_cli("backup", folder, db=source)
    assert "observations" in json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["counts"]
    assert {p.suffix for p in folder.iterdir()} == {".parquet", ".json"}  # data only: no SQL to run
    assert str(folder) in done.stdout
    restored = tmp_path / "restored.duckdb"
    run_cli("restore", folder, db=restored)
    for command in (["status", "--year", "2024"], ["status", "--year", "2026", "--format", "json"], ["history"],
                    ["users", "list"]):
        assert run_cli(*command, db=restored).stdout == run_cli(*command, db=source).stdout, command
    store = Store.open(restored, read_only=True)
    try:
        assert users.verify(store, "boss", PASSWORD) is not None  # the hash came along
        assert store.rows("SELECT count(*) FROM settings WHERE name = 'cookie_key'")[0][0] == 0  # the key did not
        assert store.rows("SELECT action FROM audit ORDER BY id DESC LIMIT 1")[0][0] == "restore"
    finally:
        store.close()


@pytest.mark.slow
def test_the_zip_of_the_admin_page_restores_too(source, tmp_path):
    store = Store.open(source)
    try:
        content = backup.backup_zip(store, user="boss")
    finally:
        store.close()
    archive = tmp_path / "kpi-backup.zip"
    archive.write_bytes(content)
    with zipfile.ZipFile(archive) as zipped:
        assert "manifest.json" in zipped.namelist()
        assert b"cookie_key" not in b"".join(zipped.read(n) for n in zipped.namelist() if n.startswith("settings"))
    restored = tmp_path / "from-zip.duckdb"
    run_cli("restore", archive, db=restored)
    assert run_cli("status", db=restored).stdout == run_cli("status", db=source).stdout


@pytest.mark.slow
def test_restore_never_overwrites_data_unless_forced_and_checks_the_manifest(source, demo_template, tmp_path):
    folder = tmp_path / "backup"
    run_cli("backup", folder, db=source)
    target = copy_database(demo_template, tmp_path, "target.duckdb")
    run_cli("rollback", "1", db=target)
    before = run_cli("history", db=target).stdout
    refused = run_cli("restore", folder, db=target, check=False)
    assert refused.returncode == 1 and "--force" in refused.stderr
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["counts"]["observations"] += 1  # a backup that lost a row
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    damaged = run_cli("restore", folder, "--force", db=target, check=False)
    assert damaged.returncode == 1 and "không khớp" in damaged.stderr
    assert run_cli("history", db=target).stdout == before  # the old file is as it was
    assert not list(tmp_path.glob("*.restoring*"))
    manifest["counts"]["observations"] -= 1
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    run_cli("restore", folder, "--force", db=target)
    assert run_cli("history", db=target).stdout == run_cli("history", db=source).stdout


@pytest.mark.slow
def test_a_backup_needs_a_new_folder_and_a_restore_a_backup(source, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x.txt").write_text("x")
    store = Store.open(source)
    try:
        with pytest.raises(UserError, match="not empty"):
            backup.backup(store, tmp_path / "used")
    finally:
        store.close()
    done = run_cli("restore", tmp_path / "used", db=tmp_path / "new.duckdb", check=False)
    assert done.returncode == 1 and "manifest.json" in done.stderr and "Traceback" not in done.stderr


HOSTILE = Path(__file__).parent / "fixtures" / "hostile" / "backups"
PWNED = Path("/tmp/kpi-hostile-backup-pwned.txt")
REFUSED = {  # file -> the code of its refusal (tests/fixtures/hostile/make_hostile.py says how each was made)
    "extra_table.zip": "backup-mismatch",
    "swapped_users.zip": "backup-mismatch",
    "manifest_without_counts.zip": "not-a-backup",
    "manifest_deeply_nested.zip": "not-a-backup",
    "missing_parquet.zip": "backup-mismatch",
    "corrupt_parquet.zip": "backup-mismatch",
    "foreign_columns.zip": "backup-mismatch",
    "nested_path.zip": "not-a-backup",
    "parent_path.zip": "not-a-backup",
    "bomb.zip": "not-a-backup",
    "link_entry.zip": "not-a-backup",
}
RESTORED = ("intact.zip", "sql_in_schema.zip", "version_1_without_load_sql.zip")  # their SQL, if any, never runs


def test_every_hostile_backup_is_listed():
    assert {p.name for p in HOSTILE.iterdir()} == set(REFUSED) | set(RESTORED)


@pytest.fixture(scope="module")
def holding(demo_template, tmp_path_factory):
    """A database with data that a restore must leave byte for byte when it refuses."""
    path = copy_database(demo_template, tmp_path_factory.mktemp("holding"))
    return path


@pytest.mark.parametrize("name", sorted(REFUSED))
@pytest.mark.slow
def test_a_hostile_backup_is_refused_with_what_to_do_and_changes_nothing(name, holding, tmp_path):
    target = tmp_path / "kpi.duckdb"
    shutil.copy(holding, target)
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    done = run_cli("restore", HOSTILE / name, "--force", db=target, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    code = REFUSED[name]
    message = {"not-a-backup": "không phải là bản sao lưu", "backup-mismatch": "không khớp"}[code]
    assert message in done.stderr and "Hãy" in done.stderr
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kpi.duckdb"]  # nothing half-built left beside it
    english = run_cli("restore", HOSTILE / name, "--force", "--lang", "en", db=target, check=False)
    assert english.returncode == 1 and ("not a backup" in english.stderr or "does not match" in english.stderr)


@pytest.mark.parametrize("name", RESTORED)
@pytest.mark.slow
def test_a_backup_restores_from_data_only_and_never_runs_its_sql(name, tmp_path):
    PWNED.unlink(missing_ok=True)
    target = tmp_path / "kpi.duckdb"
    run_cli("restore", HOSTILE / name, db=target)
    assert not PWNED.exists()
    store = Store.open(target, read_only=True)
    try:
        tables = {r[0] for r in store.rows("SELECT table_name FROM duckdb_tables()")}
        assert "stolen" not in tables
        assert [u for (u,) in store.rows("SELECT username FROM users")] == ["lan"]
        assert store.rows("SELECT count(*) FROM figures")[0][0] > 0  # computed again from the values
    finally:
        store.close()


@pytest.mark.slow
def test_a_restored_database_goes_on_numbering_imports_and_audit_rows(source, tmp_path):
    folder = tmp_path / "backup"
    run_cli("backup", folder, db=source)
    restored = tmp_path / "restored.duckdb"
    run_cli("restore", folder, db=restored)
    store = Store.open(restored, read_only=True)
    try:
        last_batch, last_audit = store.rows("SELECT (SELECT max(id) FROM batches), (SELECT max(id) FROM audit)")[0]
    finally:
        store.close()
    values = tmp_path / "values.csv"
    values.write_text("unit,indicator,year,value\n883,union_houses,2024,11\n", encoding="utf-8")
    assert f"#{last_batch + 1}:" in run_cli("import", values, db=restored).stdout
    logged = csv.DictReader(io.StringIO(run_cli("audit", "--limit", "1", db=restored).stdout))
    assert int(next(logged)["id"]) == last_audit + 1


@pytest.mark.slow
def test_backup_paths_the_shell_allows(source, tmp_path):
    """A quote in the folder's name; a folder that is a file (refused, with what to do)."""
    quoted = tmp_path / "sao lưu 'tháng 11'"
    run_cli("backup", quoted, db=source)
    run_cli("restore", quoted, db=tmp_path / "from-quoted.duckdb")
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    done = run_cli("backup", a_file, db=source, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "là một tệp" in done.stderr
    assert a_file.read_text(encoding="utf-8") == "x"
