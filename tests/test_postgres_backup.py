"""``backup`` and ``restore`` of a PostgreSQL database with the server's own ``pg_dump``/``pg_restore``, on a real
server: the same command-line contract as on DuckDB (a new folder; ``--force`` to replace data), the restore
checked before it touches the database and done in one transaction."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile

import psycopg
import pytest

from metrics import backup
from metrics.storage import pg_backup
from metrics.storage.store import Store
from tests.helpers import run_cli


@pytest.mark.parametrize("entry", [
    "215; 1259 16386 TABLE evil notes postgres",  # another schema
    "216; 0 0 EXTENSION - plpython3u ",  # a kind of object this program never makes
    "217; 1255 16400 FUNCTION public run_anything() postgres",  # a function not of ours
    "218; 2620 16401 TRIGGER public observations steal postgres",
    "PGDMP garbage",
])
def test_a_table_of_contents_with_anything_not_ours_is_refused(entry):
    ours = "3; 1259 16386 TABLE public observations postgres\n4; 0 16386 TABLE DATA public observations postgres\n"
    assert pg_backup._entries(ours) == [("TABLE", "observations"), ("TABLE DATA", "observations")]
    with pytest.raises(pg_backup.NotADump):
        pg_backup._entries(ours + entry + "\n")


def test_a_file_that_is_no_dump_is_refused_without_a_server(tmp_path):
    path = tmp_path / pg_backup.DUMP_FILE
    path.write_bytes(b"PGDMP" + bytes(200))
    with pytest.raises(pg_backup.NotADump, match="pg_restore --list"):
        pg_backup.check(path)


def _state(url: str) -> tuple[str, str, int]:
    """What a restore must give back or leave alone: the status, the history, the audit rows."""
    with psycopg.connect(url) as con:
        audit_rows = int(con.execute("SELECT count(*) FROM audit").fetchone()[0])
    return run_cli("status", "--format", "csv", db=url).stdout, run_cli("history", db=url).stdout, audit_rows


@pytest.mark.postgres
@pytest.mark.slow
def test_backup_change_a_figure_restore_gives_the_same_status(postgres_demo_url, tmp_path):
    folder = tmp_path / "backup"
    before = run_cli("status", "--format", "csv", db=postgres_demo_url).stdout
    done = run_cli("backup", folder, db=postgres_demo_url)
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", pg_backup.DUMP_FILE] and "bảng" in done.stdout
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == "postgresql" and manifest["counts"]["observations"] > 0
    run_cli("rollback", "2", db=postgres_demo_url)  # a figure changes
    changed = run_cli("status", "--format", "csv", db=postgres_demo_url).stdout
    assert changed != before
    refused = run_cli("restore", folder, db=postgres_demo_url, check=False)
    assert refused.returncode == 1 and "--force" in refused.stderr
    assert run_cli("status", "--format", "csv", db=postgres_demo_url).stdout == changed
    store = Store.open(postgres_demo_url)
    seen = store.change_stamp()  # what a dashboard process's caches are keyed by
    run_cli("restore", folder, "--force", db=postgres_demo_url)
    assert run_cli("status", "--format", "csv", db=postgres_demo_url).stdout == before
    assert all(now > then for now, then in zip(store.change_stamp(), seen, strict=True))  # its caches read again
    store.close()
    with psycopg.connect(postgres_demo_url) as con:
        assert con.execute("SELECT action FROM audit ORDER BY id DESC LIMIT 1").fetchone()[0] == "restore"
        assert con.execute("SELECT rolled_back_by FROM batches WHERE id = 2").fetchone()[0] is None
        assert con.execute("SELECT relrowsecurity FROM pg_class WHERE relname = 'observations'").fetchone()[0]
    assert "#3)" in run_cli("rollback", "2", db=postgres_demo_url).stdout  # the ids go on from the restored ones
    # a restored database backs up and restores again; so does one whose schema `init --force` made anew
    # (its dump holds the schema itself: left out, made as PostgreSQL makes it)
    run_cli("init", "--force", "--demo", db=postgres_demo_url)
    for again in ("again", "once_more"):
        run_cli("backup", tmp_path / again, db=postgres_demo_url)
        run_cli("restore", tmp_path / again, "--force", db=postgres_demo_url)
        assert run_cli("status", "--format", "csv", db=postgres_demo_url).stdout == before, again


@pytest.mark.postgres
@pytest.mark.slow
def test_a_bad_file_is_refused_before_the_database_is_touched(postgres_server, postgres_demo_template,
                                                              postgres_demo_url, tmp_path):
    """The admin page's zip restores; a file that is not this program's dump (not a dump at all, or a dump of
    a database with an object of someone else's) is refused with what to do, and nothing changes."""
    store = Store.open(postgres_demo_url)
    try:
        archive = tmp_path / "kpi-backup.zip"
        archive.write_bytes(backup.backup_zip(store, user="boss"))
    finally:
        store.close()
    with zipfile.ZipFile(archive) as zipped:
        assert sorted(zipped.namelist()) == ["manifest.json", pg_backup.DUMP_FILE]
        zipped.extractall(tmp_path / "good")
    run_cli("rollback", "2", db=postgres_demo_url)
    unchanged = _state(postgres_demo_url)

    other = postgres_server.create_database("not_ours", template=postgres_demo_template)
    with psycopg.connect(other, autocommit=True) as con:
        con.execute("CREATE TABLE notes (line TEXT)")  # this program's database, and something else
    foreign = tmp_path / "foreign.dump"
    subprocess.run([pg_backup.tool("pg_dump"), "-Fc", f"--file={foreign}", f"--dbname={other}"], check=True)
    for name, content in (("garbage", b"PGDMP but not really"), ("foreign", foreign.read_bytes())):
        folder = tmp_path / name
        shutil.copytree(tmp_path / "good", folder)
        (folder / pg_backup.DUMP_FILE).write_bytes(content)
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        manifest["dump"]["sha256"] = hashlib.sha256(content).hexdigest()  # a consistent forgery
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        refused = run_cli("restore", folder, "--force", db=postgres_demo_url, check=False)
        assert refused.returncode == 1 and "không phải là bản sao lưu" in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr
        assert _state(postgres_demo_url) == unchanged, name
    assert "notes" in refused.stderr  # says what is not ours

    duckdb_backup = run_cli("restore", tmp_path / "good", "--force", db=tmp_path / "kpi.duckdb", check=False)
    assert duckdb_backup.returncode == 1 and "postgresql://" in duckdb_backup.stderr
    run_cli("restore", archive, "--force", db=postgres_demo_url)
    assert _state(postgres_demo_url)[0] != unchanged[0]  # the zip's figures, from before the undo
