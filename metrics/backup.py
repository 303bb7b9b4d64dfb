"""Backup and restore: on DuckDB every table as a Parquet file, on PostgreSQL a ``pg_dump``; with a manifest.

    backup(store, "/srv/kpi-backup/2026-11-21")          # one .parquet a table (or postgresql.dump), manifest.json
    restore("/srv/kpi-backup/2026-11-21", "new.duckdb")  # a new file, checked against the manifest
    restore("/srv/kpi-backup/2026-11-21", "postgresql://kpi@db/kpi", force=True)

DuckDB: a backup holds data only, never SQL. A restore builds the schema from this program's own migrations
(those the backup was made with, then any newer ones), and loads each known table from its own file
after checking the file against the manifest (SHA-256, columns and their types, row count); nothing in
a backup is ever run. The restore is built in a temporary file beside the target, checked, then moved into
place in one step: an interrupted restore leaves the old file as it was.

PostgreSQL (``metrics.storage.pg_backup``): the server's own ``pg_dump --format=custom`` of one snapshot, with
its counts in the manifest. A restore checks the dump before it touches the database (SHA-256 against the
manifest; ``pg_restore --list``: the schema ``public`` only, exactly the tables and views of this program's
migrations named in the dump) and then replaces the schema in one transaction (``pg_restore`` into ``psql
--single-transaction``): the whole backup is in force afterwards, or nothing changed. Then, as on DuckDB, this
program's newer migrations, the derived figures computed again, new sessions and the audit row.

On both, figures derived from the values (``metrics.storage.rollups``) are computed again, never taken from the
file. A zip is unpacked only after its directory is checked (flat names of the expected kinds, no links, no
entry far larger than it is compressed, no more bytes than a backup can hold).

A backup holds no sign-in key (the key is not in the database, see ``metrics.storage.users``), but it does hold
the users' bcrypt hashes: keep backups where only administrators can read them. A restored database
gives every user a new session version, so everyone signs in again. Never imports Streamlit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import stat
import tempfile
import zipfile
from pathlib import Path

import duckdb

from metrics.storage import audit, db, migrations, pg_backup, rollups
from metrics.storage.store import Store
from metrics.vocabulary.errors import UserError
from metrics.vocabulary.shared import sql_text

MANIFEST = "manifest.json"
FORMAT = "kpi-dashboard-backup"
VERSION = 2  # 1: made with DuckDB's EXPORT DATABASE, counts only; 2: one file a table, each with its SHA-256
MAX_ZIP_BYTES = 20 << 30  # a national backup is large, but not this large
MAX_ZIP_ENTRIES = 200
MAX_RATIO = 100  # Parquet is compressed already: a bomb unpacks hundreds of times its size
RATIO_FROM_BYTES = 1 << 20
MAX_MANIFEST_BYTES = 1 << 20
TABLE_FILE = re.compile(r"^[a-z_][a-z0-9_]{0,62}\.parquet$")
IGNORED = {"schema.sql", "load.sql"}  # written by version 1 backups; never read
EXCLUDED_SETTINGS = ("cookie_key",)  # the old place of the sign-in key: never in a backup, never restored



def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- backup ----------------------------------------------------------------------------------------

def backup(store: Store, folder: str | Path, *, user: str | None = None, source: str = "cli") -> dict:
    """Export the database to ``folder`` (created; must be empty) and return the manifest written there."""
    folder = Path(folder)
    _prepare(folder)
    if store.engine == "postgresql":
        return _backup_postgres(store, folder, user, source)
    with store.cursor() as cur:
        cur.begin()  # one snapshot: an import running meanwhile is either wholly in the backup or not at all
        try:
            names = _table_names(cur)
            for name in names:
                cur.execute(f"COPY ({_select(name)}) TO {sql_text(folder / (name + '.parquet'))} (FORMAT parquet)")
            applied = migrations.applied(cur)
        finally:
            cur.rollback()
    tables = {name: _describe_file(folder / f"{name}.parquet") for name in names}
    manifest = {"format": FORMAT, "version": VERSION, "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "duckdb": duckdb.__version__, "source_file": str(store.path) if store.path else None,
                "migrations": applied, "data_version": list(store.data_version()),
                "counts": {name: t["rows"] for name, t in tables.items()}, "tables": tables}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    audit.record(store, user, "backup", {"folder": str(folder), "counts": manifest["counts"]}, source=source)
    return manifest


def _prepare(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise UserError("backup-folder-is-a-file",
                        f"{folder} là một tệp, không phải thư mục; không ghi gì. Hãy chọn một thư mục mới hoặc trống.",
                        f"{folder} is a file, not a folder; nothing was written. Choose a new or empty folder.")
    if folder.exists() and any(folder.iterdir()):
        raise UserError("backup-folder-not-empty",
                        f"Thư mục {folder} đã có tệp; hãy chọn một thư mục mới hoặc trống cho bản sao lưu.",
                        f"The folder {folder} is not empty; choose a new or empty folder for the backup.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError("backup-folder-unwritable",
                        f"Không tạo được thư mục {folder} ({exc.strerror}). Hãy kiểm tra quyền ghi hoặc chọn thư mục khác.",
                        f"Cannot create the folder {folder} ({exc.strerror}). Check the permissions or choose "
                        "another folder.") from exc


def _table_names(cur) -> list[str]:
    return [r[0] for r in cur.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary "
                                      "AND database_name = current_database() ORDER BY table_name").fetchall()]


def _select(name: str) -> str:
    if name == "settings":
        excluded = ", ".join(f"'{s}'" for s in EXCLUDED_SETTINGS)
        return f"SELECT * FROM settings WHERE name NOT IN ({excluded})"
    return f"SELECT * FROM {_ident(name)}"


def _describe_file(path: Path) -> dict:
    with duckdb.connect() as con:
        rows = con.execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchall()[0][0]
    return {"file": path.name, "rows": rows, "sha256": _sha256(path)}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup_zip(store: Store, *, user: str | None = None, source: str = "web") -> bytes:
    """The same backup as one zip file (the administrators' download on the dashboard)."""
    with tempfile.TemporaryDirectory(prefix="kpi-backup-") as work:
        folder = Path(work) / "backup"
        backup(store, folder, user=user, source=source)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.iterdir()):
                archive.write(path, path.name)
        return out.getvalue()


# --- restore ---------------------------------------------------------------------------------------

def restore(source: str | Path, target: str | Path, *, force: bool = False, user: str | None = None) -> dict:
    """Build the database ``target`` from a backup folder or zip; return the manifest.

    Refuses to replace a database that holds data unless ``force``; the file is replaced only once the
    restored copy matches the manifest, table by table.
    """
    source = Path(source)
    with tempfile.TemporaryDirectory(prefix="kpi-restore-") as work:
        folder = _unpacked(source, Path(work)) if source.suffix.lower() == ".zip" else source
        manifest = read_manifest(folder)
        _same_engine(manifest, target)
        if db.is_url(target):
            return _restore_postgres(folder, manifest, str(target), force, source, user)
        target = Path(target)
        _check_target(target, force)
        target.parent.mkdir(parents=True, exist_ok=True)
        building = target.with_name(target.name + ".restoring")
        _remove(building)
        try:
            _build(folder, building, manifest)
            _finish(building, manifest, source, user)
            _remove(Path(str(target) + ".wal"))
            os.replace(building, target)
        finally:
            _remove(building)
    return manifest


def _finish(building: Path, manifest: dict, source: Path, user: str | None) -> None:
    """Newer migrations of this program, the derived figures from the restored values, new sessions."""
    store = Store.open(building)
    try:
        with store.transaction() as cur:
            _finish_restore(cur, manifest, source, user)
    finally:
        store.close()  # a write closes its connection, and closing writes everything into the file


def read_manifest(folder: Path) -> dict:
    """The manifest of a backup folder, checked for shape before anything else is read."""
    path = folder / MANIFEST
    try:
        _regular_file(path, folder)
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            raise ValueError("size")
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except UserError:
        raise
    except (OSError, ValueError, RecursionError) as exc:
        raise _not_a_backup(folder, f"{type(exc).__name__}") from exc
    _check_shape(folder, manifest)
    known = [name for name, _ in migrations.MIGRATIONS]
    newer = [m for m in manifest["migrations"] if m not in known]
    if newer:
        raise UserError("backup-too-new",
                        f"Bản sao lưu được tạo bởi phiên bản mới hơn của chương trình ({', '.join(newer)}). "
                        "Hãy cập nhật chương trình rồi khôi phục lại.",
                        f"The backup was made by a newer version of the program ({', '.join(newer)}). "
                        "Update the program, then restore again.")
    if manifest["migrations"] != known[:len(manifest["migrations"])]:
        raise _not_a_backup(folder, "migrations")
    return manifest


def _check_shape(folder: Path, manifest) -> None:
    """The fields a restore reads, with the types it expects (a manifest is data from outside)."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _not_a_backup(folder, "format")
    if manifest.get("version") not in (1, VERSION):
        raise _not_a_backup(folder, "version")
    names = manifest.get("migrations")
    counts = manifest.get("counts")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise _not_a_backup(folder, "migrations")
    if not isinstance(counts, dict) or not all(isinstance(k, str) and type(v) is int and v >= 0
                                               for k, v in counts.items()):
        raise _not_a_backup(folder, "counts")
    if manifest.get("engine") == "postgresql":
        dumped = manifest.get("dump")
        if manifest["version"] != VERSION or not isinstance(dumped, dict) or dumped.get("file") != pg_backup.DUMP_FILE \
                or not isinstance(dumped.get("sha256"), str):
            raise _not_a_backup(folder, "dump")
    elif manifest["version"] == VERSION:
        tables = manifest.get("tables")
        if not isinstance(tables, dict) or set(tables) != set(counts) or not all(
                isinstance(t, dict) and isinstance(t.get("sha256"), str) for t in tables.values()):
            raise _not_a_backup(folder, "tables")


def _regular_file(path: Path, folder: Path) -> None:
    """A file of the backup itself: not a link (to something of the system's), not a folder."""
    if not stat.S_ISREG(os.lstat(path).st_mode):
        raise _not_a_backup(folder, f"{path.name}: not a regular file")


def _not_a_backup(folder: Path, why: str) -> UserError:
    return UserError("not-a-backup",
                     f"{folder} không phải là bản sao lưu của chương trình này, hoặc đã bị hỏng ({why}). Không khôi "
                     f"phục gì. Hãy chỉ đến thư mục (hoặc tệp .zip) do lệnh backup hoặc trang Quản trị tạo ra ({MANIFEST} "
                     "và các tệp .parquet).",
                     f"{folder} is not a backup of this program, or it is damaged ({why}). Nothing was restored. "
                     f"Point to the folder (or .zip) made by the backup command or the Administration page ({MANIFEST} "
                     "and the .parquet files).")


def _mismatch(table: str, why: str) -> UserError:
    return UserError("backup-mismatch",
                     f"Bản sao lưu không khớp với danh mục của nó (bảng {table}: {why}); không khôi phục gì. Tệp có thể "
                     "đã bị sửa, thay hoặc hỏng. Hãy dùng một bản sao lưu khác.",
                     f"The backup does not match its manifest (table {table}: {why}); nothing was restored. A file "
                     "may have been changed, swapped or damaged. Use another backup.")


def _check_target(target: Path, force: bool) -> None:
    if not target.exists():
        return
    store = Store.open(target, read_only=True)  # also says so when another program holds the file
    try:
        empty = store.is_empty()
    finally:
        store.close()
    if not empty and not force:
        raise _database_exists(str(target), "một tệp mới (--db)", "a new file (--db)")


def _database_exists(target: str, elsewhere_vi: str, elsewhere_en: str) -> UserError:
    return UserError("database-exists",
                     f"Cơ sở dữ liệu {target} đã có dữ liệu; không ghi đè. Hãy khôi phục vào {elsewhere_vi}, "
                     "hoặc thêm --force để thay thế nó (dữ liệu hiện có sẽ mất; hãy sao lưu trước).",
                     f"The database {target} already holds data; it was not overwritten. Restore into {elsewhere_en}, "
                     "or add --force to replace it (its data will be lost; back it up first).")


def _build(folder: Path, path: Path, manifest: dict) -> None:
    """The schema of the backup's migrations (this program's own), then each known table from its file."""
    con = db.connect(path)
    try:
        migrations.migrate(con, until=len(manifest["migrations"]))
        names = _table_names(con)
        if set(manifest["counts"]) != set(names):
            extra = sorted(set(manifest["counts"]) ^ set(names))
            raise _mismatch(", ".join(extra), "bảng lạ hoặc thiếu / unknown or missing table")
        con.execute("BEGIN")
        for name in names:
            try:
                _load(con, folder, name, manifest)
            except duckdb.Error as exc:  # a duplicate key, a NULL where none may be …
                raise _mismatch(name, str(exc).splitlines()[0][:200]) from exc
        _advance_sequences(con)
        con.execute("COMMIT")
    finally:
        con.close()


def _load(con, folder: Path, name: str, manifest: dict) -> None:
    """Check one table's file against the manifest and the schema; load it unless it is derived."""
    path = folder / f"{name}.parquet"
    try:
        _regular_file(path, folder)
    except FileNotFoundError:
        raise _mismatch(name, "thiếu tệp / file missing") from None
    expected = manifest.get("tables", {}).get(name, {}).get("sha256")
    if expected is not None and _sha256(path) != expected:
        raise _mismatch(name, "SHA-256")
    try:
        found = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
    except duckdb.Error as exc:
        raise _mismatch(name, "không đọc được / unreadable") from exc
    columns = con.execute(f"DESCRIBE SELECT * FROM {_ident(name)}").fetchall()
    if [(c[0], c[1]) for c in found] != [(c[0], c[1]) for c in columns]:
        raise _mismatch(name, "cột / columns")
    rows = con.execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchall()[0][0]
    if rows != manifest["counts"][name]:
        raise _mismatch(name, f"{rows} ≠ {manifest['counts'][name]}")
    if name == "schema_migrations":
        return _check_migrations(con, path, name, manifest)  # applied by this program, not loaded
    if name in rollups.TABLES:
        return  # derived figures are computed again from the restored values
    listed = ", ".join(_ident(c[0]) for c in columns)
    where = f" WHERE name NOT IN ({', '.join(repr(s) for s in EXCLUDED_SETTINGS)})" if name == "settings" else ""
    con.execute(f"INSERT INTO {_ident(name)} ({listed}) SELECT {listed} FROM read_parquet(?){where}", [str(path)])


def _check_migrations(con, path: Path, name: str, manifest: dict) -> None:
    found = [r[0] for r in con.execute("SELECT name FROM read_parquet(?) ORDER BY name", [str(path)]).fetchall()]
    if found != manifest["migrations"]:
        raise _mismatch(name, "phiên bản cấu trúc / schema version")


def _advance_sequences(con) -> None:
    """Each id sequence continues after the largest id restored (the next import is not batch 1 again)."""
    defaults = con.execute("""SELECT table_name, column_name, column_default FROM duckdb_columns()
                              WHERE NOT internal AND column_default LIKE 'nextval(%'""").fetchall()
    for table, column, default in defaults:
        sequence = re.fullmatch(r"nextval\('(\w+)'\)", default)
        largest = con.execute(f"SELECT coalesce(max({_ident(column)}), 0) FROM {_ident(table)}").fetchall()[0][0]
        if sequence and largest > 0:
            con.execute(f"SELECT max(nextval('{sequence.group(1)}')) FROM range(?)", [int(largest)]).fetchall()


# --- PostgreSQL: the server's own pg_dump and pg_restore ----------------------------------------------

def _backup_postgres(store: Store, folder: Path, user: str | None, source: str) -> dict:
    """``pg_dump`` (custom format) into the folder, and the manifest of the same snapshot beside it."""
    path = folder / pg_backup.DUMP_FILE
    dumped = pg_backup.dump(str(store.path), path)
    manifest = {"format": FORMAT, "version": VERSION, "engine": "postgresql",
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "postgresql": dumped.server,
                "source_database": db.shown(str(store.path)), "migrations": dumped.migrations,
                "data_version": dumped.data_version, "counts": dumped.counts,
                "dump": {"file": path.name, "sha256": _sha256(path), "bytes": path.stat().st_size}}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    audit.record(store, user, "backup", {"folder": str(folder), "counts": manifest["counts"]}, source=source)
    return manifest


def _restore_postgres(folder: Path, manifest: dict, url: str, force: bool, source: Path, user: str | None) -> dict:
    """Check the dump (its SHA-256, then its table of contents and migrations: this program's), refuse to
    replace a database with data unless ``force``, then restore in one transaction and finish as on DuckDB."""
    path = folder / pg_backup.DUMP_FILE
    try:
        _regular_file(path, folder)
    except FileNotFoundError:
        raise _mismatch(pg_backup.DUMP_FILE, "thiếu tệp / file missing") from None
    if _sha256(path) != manifest["dump"]["sha256"]:
        raise _mismatch(pg_backup.DUMP_FILE, "SHA-256")
    try:
        names = pg_backup.check(path)
    except pg_backup.NotADump as exc:
        raise _not_a_backup(folder, str(exc)) from exc
    if names != manifest["migrations"]:
        raise _mismatch("schema_migrations", "phiên bản cấu trúc / schema version")
    if pg_backup.holds_data(url) and not force:
        raise _database_exists(db.shown(url), "--db postgresql://…/<cơ sở dữ liệu mới>", "--db postgresql://…/<new database>")
    seen = pg_backup.change_stamp(url)
    pg_backup.load(path, url)
    store = Store.open(url)  # this program's newer migrations, if the backup is older
    try:
        with store.transaction() as cur:
            _finish_restore(cur, manifest, source, user)
            # the dashboards' caches are keyed by these counters: past any value they saw before the restore
            cur.execute("UPDATE value_writes SET count = greatest(count, ?) + 1", [seen[0]])
            cur.execute("UPDATE catalogue_version SET version = greatest(version, ?) + 1", [seen[1]])
    finally:
        store.close()
    return manifest


def _finish_restore(cur, manifest: dict, source: Path, user: str | None) -> None:
    """The derived figures from the restored values, the sign-in key never restored, everyone signs in again."""
    rollups.rebuild(cur)
    excluded = ", ".join(f"'{s}'" for s in EXCLUDED_SETTINGS)
    cur.execute(f"DELETE FROM settings WHERE name IN ({excluded})")
    cur.execute("UPDATE users SET session_version = gen_random_uuid()::VARCHAR")
    audit.record(cur, user, "restore", {"from": str(source), "backup_created_at": manifest.get("created_at"),
                                        "counts": manifest["counts"]}, source="cli")


def _same_engine(manifest: dict, target: str | Path) -> None:
    """A dump restores into PostgreSQL, Parquet files into a DuckDB file: say which, before anything is read."""
    made_on = "PostgreSQL" if manifest.get("engine") == "postgresql" else "DuckDB"
    into = "PostgreSQL" if db.is_url(target) else "DuckDB"
    if made_on == into:
        return
    hint_vi = ("một địa chỉ postgresql://… (--db)" if made_on == "PostgreSQL" else "một tệp .duckdb (--db)")
    hint_en = ("a postgresql://… URL (--db)" if made_on == "PostgreSQL" else "a .duckdb file (--db)")
    raise UserError("backup-other-engine",
                    f"Bản sao lưu này được tạo từ {made_on}, còn đích khôi phục là {into}; không khôi phục gì. "
                    f"Hãy khôi phục nó vào {hint_vi}.",
                    f"This backup was made from {made_on} and the target is {into}; nothing was restored. "
                    f"Restore it into {hint_en}.")


def _unpacked(archive: Path, work: Path) -> Path:
    """A restore zip extracted safely after its directory is checked (names, links, sizes, ratios)."""
    folder = work / "backup"
    folder.mkdir()
    try:
        with zipfile.ZipFile(archive) as zipped:
            entries = zipped.infolist()
            _check_entries(archive, entries)
            for entry in entries:
                if entry.filename in IGNORED:
                    continue
                with zipped.open(entry) as data, open(folder / entry.filename, "xb") as out:
                    while block := data.read(1 << 20):
                        out.write(block)
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as exc:
        raise _not_a_backup(archive, type(exc).__name__) from exc
    return folder


def _check_entries(archive: Path, entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_ZIP_BYTES:
        raise _not_a_backup(archive, "size")
    for entry in entries:
        name = entry.filename
        kind = stat.S_IFMT(entry.external_attr >> 16)
        if entry.is_dir() or kind not in (0, stat.S_IFREG) or not (
                name in (MANIFEST, pg_backup.DUMP_FILE) or name in IGNORED or TABLE_FILE.match(name)):
            raise _not_a_backup(archive, f"entry {name[:80]!r}")
        if entry.file_size > RATIO_FROM_BYTES and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise _not_a_backup(archive, f"{name}: {entry.file_size // max(entry.compress_size, 1)}× compressed")


def _remove(path: Path) -> None:
    for candidate in (path, Path(str(path) + ".wal")):
        candidate.unlink(missing_ok=True)
