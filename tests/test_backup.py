"""Backup and restore (``python -m metrics backup DIR`` / ``restore DIR``): the same judgements after the round trip."""

from __future__ import annotations

import json
import zipfile

import pytest

from metrics import backup, users
from metrics.errors import UserError
from metrics.store import Store
from tests.test_cli import cli

PASSWORD = "mật khẩu đủ dài"


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """The demo database with one import undone, a user and a cookie key: every kind of row."""
    path = tmp_path_factory.mktemp("backup") / "kpi.duckdb"
    cli("init", "--demo", db=path)
    cli("rollback", "2", db=path)
    store = Store.open(path)
    try:
        users.add(store, "boss", "Chị Lan", "admin", PASSWORD, by="root", source="cli")
        users.cookie_key(store)
    finally:
        store.close()
    return path


def test_backup_and_restore_give_the_same_status_history_and_users(source, tmp_path):
    folder = tmp_path / "backup"
    done = cli("backup", folder, db=source)
    assert "observations" in json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["counts"]
    assert {p.suffix for p in folder.iterdir()} == {".sql", ".parquet", ".json"}
    assert str(folder) in done.stdout
    restored = tmp_path / "restored.duckdb"
    cli("restore", folder, db=restored)
    for command in (["status", "--year", "2024"], ["status", "--year", "2026", "--format", "json"], ["history"],
                    ["users", "list"]):
        assert cli(*command, db=restored).stdout == cli(*command, db=source).stdout, command
    store = Store.open(restored, read_only=True)
    try:
        assert users.verify(store, "boss", PASSWORD) is not None  # the hash came along
        assert store.rows("SELECT count(*) FROM settings WHERE name = 'cookie_key'")[0][0] == 0  # the key did not
        assert store.rows("SELECT action FROM audit ORDER BY id DESC LIMIT 1")[0][0] == "restore"
    finally:
        store.close()


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
    cli("restore", archive, db=restored)
    assert cli("status", db=restored).stdout == cli("status", db=source).stdout


def test_restore_never_overwrites_data_unless_forced_and_checks_the_manifest(source, tmp_path):
    folder = tmp_path / "backup"
    cli("backup", folder, db=source)
    target = tmp_path / "target.duckdb"
    cli("init", "--demo", db=target)
    cli("rollback", "1", db=target)
    before = cli("history", db=target).stdout
    refused = cli("restore", folder, db=target, check=False)
    assert refused.returncode == 1 and "--force" in refused.stderr
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["counts"]["observations"] += 1  # a backup that lost a row
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    damaged = cli("restore", folder, "--force", db=target, check=False)
    assert damaged.returncode == 1 and "không khớp" in damaged.stderr
    assert cli("history", db=target).stdout == before  # the old file is as it was
    assert not list(tmp_path.glob("*.restoring*"))
    manifest["counts"]["observations"] -= 1
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    cli("restore", folder, "--force", db=target)
    assert cli("history", db=target).stdout == cli("history", db=source).stdout


def test_a_backup_needs_a_new_folder_and_a_restore_a_backup(source, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x.txt").write_text("x")
    store = Store.open(source)
    try:
        with pytest.raises(UserError, match="not empty"):
            backup.backup(store, tmp_path / "used")
    finally:
        store.close()
    done = cli("restore", tmp_path / "used", db=tmp_path / "new.duckdb", check=False)
    assert done.returncode == 1 and "manifest.json" in done.stderr and "Traceback" not in done.stderr
