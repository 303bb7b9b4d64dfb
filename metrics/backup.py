"""Backup and restore: the whole database as Parquet files (DuckDB's EXPORT DATABASE) with a manifest.

    backup(store, "/srv/kpi-backup/2026-11-21")          # schema.sql, load.sql, one .parquet a table, manifest.json
    restore("/srv/kpi-backup/2026-11-21", "new.duckdb")  # a new file, checked against the manifest

A backup holds everything except the key that signs sign-in cookies (whoever holds a backup must not be
able to forge a sign-in); a restored database makes a new key, so people sign in again. It does hold
the users' bcrypt hashes: keep backups where only administrators can read them.
A restore is built in a temporary file beside the target, checked, then moved into place in one step:
an interrupted restore leaves the old file as it was. Never imports Streamlit.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import duckdb

from metrics import audit, db
from metrics.errors import UserError
from metrics.migrations import MIGRATIONS
from metrics.store import Store
from metrics.users import COOKIE_KEY_SETTING

MANIFEST = "manifest.json"
FORMAT = "kpi-dashboard-backup"
MAX_ZIP_BYTES = 20 << 30  # a restore zip may be large, but not a zip bomb
_COPY = re.compile(r"^COPY\s+(\"?[\w]+\"?)\s+FROM\s+'([^']+)'", re.IGNORECASE)


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def backup(store: Store, folder: str | Path, *, user: str | None = None, source: str = "cli") -> dict:
    """Export the database to ``folder`` (created; must be empty) and return the manifest written there."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise UserError("backup-folder-not-empty",
                        f"Thư mục {folder} đã có tệp; hãy chọn một thư mục mới hoặc trống cho bản sao lưu.",
                        f"The folder {folder} is not empty; choose a new or empty folder for the backup.")
    folder.mkdir(parents=True, exist_ok=True)
    with store.cursor() as cur:
        cur.begin()  # one snapshot: an import running meanwhile is either wholly in the backup or not at all
        try:
            cur.execute(f"EXPORT DATABASE '{_quoted(folder)}' (FORMAT parquet)")
            migrations = [r[0] for r in cur.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()]
        finally:
            cur.rollback()
    tables = _tables(folder)
    settings = tables.get("settings")
    if settings is not None:  # the cookie key stays out of every backup
        with duckdb.connect() as con:
            kept = folder / "settings.kept.parquet"
            con.execute(f"COPY (SELECT * FROM read_parquet('{_quoted(settings)}') WHERE name <> ?) "
                        f"TO '{_quoted(kept)}' (FORMAT parquet)", [COOKIE_KEY_SETTING])
        os.replace(kept, settings)
    with duckdb.connect() as con:
        counts = {name: con.execute(f"SELECT count(*) FROM read_parquet('{_quoted(path)}')").fetchall()[0][0]
                  for name, path in tables.items()}
    manifest = {"format": FORMAT, "version": 1, "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "duckdb": duckdb.__version__, "source_file": str(store.path) if store.path else None,
                "migrations": migrations, "data_version": list(store.data_version()), "counts": counts,
                "excluded": [f"settings.{COOKIE_KEY_SETTING}"]}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    audit.record(store, user, "backup", {"folder": str(folder), "counts": counts}, source=source)
    return manifest


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


def _tables(folder: Path) -> dict[str, Path]:
    """Table name -> its Parquet file in ``folder``, read from the export's own load.sql."""
    found = {}
    for line in (folder / "load.sql").read_text(encoding="utf-8").splitlines():
        match = _COPY.match(line.strip())
        if match:
            found[match.group(1).strip('"')] = folder / Path(match.group(2)).name
    return found


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _not_a_backup(folder, f"{type(exc).__name__}") from exc
    if manifest.get("format") != FORMAT:
        raise _not_a_backup(folder, "format")
    known = {name for name, _ in MIGRATIONS}
    newer = [m for m in manifest.get("migrations", []) if m not in known]
    if newer:
        raise UserError("backup-too-new",
                        f"Bản sao lưu được tạo bởi phiên bản mới hơn của chương trình ({', '.join(newer)}). "
                        "Hãy cập nhật chương trình rồi khôi phục lại.",
                        f"The backup was made by a newer version of the program ({', '.join(newer)}). "
                        "Update the program, then restore again.")
    return manifest


def _not_a_backup(folder: Path, why: str) -> UserError:
    return UserError("not-a-backup",
                     f"{folder} không phải là bản sao lưu của chương trình này (thiếu hoặc hỏng {MANIFEST}: {why}). "
                     "Hãy chỉ đến thư mục (hoặc tệp .zip) do lệnh backup hoặc trang Quản trị tạo ra.",
                     f"{folder} is not a backup of this program ({MANIFEST} missing or damaged: {why}). "
                     "Point to the folder (or .zip) made by the backup command or the Administration page.")


def restore(source: str | Path, target: str | Path, *, force: bool = False, user: str | None = None) -> dict:
    """Build the database ``target`` from a backup folder or zip; return the manifest.

    Refuses to replace a database that holds data unless ``force``; the file is replaced only once the
    restored copy matches the manifest, table by table.
    """
    source, target = Path(source), Path(target)
    with tempfile.TemporaryDirectory(prefix="kpi-restore-") as work:
        folder = _unpacked(source, Path(work)) if source.suffix.lower() == ".zip" else source
        manifest = read_manifest(folder)
        _check_target(target, force)
        target.parent.mkdir(parents=True, exist_ok=True)
        building = target.with_name(target.name + ".restoring")
        _remove(building)
        try:
            _build(folder, building, manifest)
            store = Store.open(building)  # newer migrations of this program, if any, apply now
            audit.record(store, user, "restore", {"from": str(source), "backup_created_at": manifest.get("created_at"),
                                                  "counts": manifest["counts"]}, source="cli")
            store.close()  # a write closes its connection, and closing writes everything into the file
            _remove(Path(str(target) + ".wal"))
            os.replace(building, target)
        finally:
            _remove(building)
    return manifest


def _check_target(target: Path, force: bool) -> None:
    if not target.exists():
        return
    store = Store.open(target, read_only=True)  # also says so when another program holds the file
    try:
        empty = store.is_empty()
    finally:
        store.close()
    if not empty and not force:
        raise UserError("database-exists",
                        f"Cơ sở dữ liệu {target} đã có dữ liệu; không ghi đè. Hãy khôi phục vào một tệp mới (--db), "
                        "hoặc thêm --force để thay thế nó (dữ liệu hiện có sẽ mất; hãy sao lưu trước).",
                        f"The database {target} already holds data; it was not overwritten. Restore into a new file "
                        "(--db), or add --force to replace it (its data will be lost; back it up first).")


def _build(folder: Path, path: Path, manifest: dict) -> None:
    tables = _tables(folder)
    con = db.connect(path)
    try:
        con.execute("BEGIN")
        con.execute((folder / "schema.sql").read_text(encoding="utf-8"))
        for name, file in tables.items():
            con.execute(f'COPY "{name}" FROM \'{_quoted(file)}\' (FORMAT parquet)')
        found = {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0] for name in tables}
        migrations = [r[0] for r in con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()]
        if found != manifest["counts"] or migrations != manifest["migrations"]:
            raise UserError("backup-mismatch",
                            "Bản sao lưu không khớp với danh mục của nó (số dòng hoặc phiên bản cấu trúc khác); không khôi "
                            "phục gì. Hãy dùng một bản sao lưu khác.",
                            "The backup does not match its manifest (row counts or schema version differ); nothing "
                            "was restored. Use another backup.")
        con.execute("COMMIT")
    finally:
        con.close()


def _unpacked(archive: Path, work: Path) -> Path:
    """A restore zip extracted safely: no path outside the folder, no more bytes than it says."""
    folder = work / "backup"
    folder.mkdir()
    try:
        with zipfile.ZipFile(archive) as zipped:
            entries = zipped.infolist()
            if sum(e.file_size for e in entries) > MAX_ZIP_BYTES or len(entries) > 1000:
                raise _not_a_backup(archive, "size")
            for entry in entries:
                name = Path(entry.filename).name
                if entry.is_dir() or name != entry.filename or name.startswith("."):
                    raise _not_a_backup(archive, f"entry {entry.filename!r}")
                with zipped.open(entry) as data, open(folder / name, "wb") as out:
                    shutil.copyfileobj(data, out)
    except (OSError, zipfile.BadZipFile) as exc:
        raise _not_a_backup(archive, type(exc).__name__) from exc
    return folder


def _remove(path: Path) -> None:
    for candidate in (path, Path(str(path) + ".wal")):
        candidate.unlink(missing_ok=True)
