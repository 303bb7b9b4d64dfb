"""A PostgreSQL database backed up and restored with PostgreSQL's own tools, ``pg_dump`` and ``pg_restore``.

    info = dump(url, folder / DUMP_FILE)      # custom format, one snapshot; the counts of that same snapshot
    names = check(folder / DUMP_FILE)         # refuses what is not a dump of this program; its migrations
    load(folder / DUMP_FILE, url)             # replaces the database's schema ``public``, in one transaction

``metrics.backup`` writes the manifest around the dump and finishes a restore (newer migrations, the derived
figures computed again, new sessions, the audit row). This module never builds SQL from a dump: it reads the
dump's table of contents (``pg_restore --list``) and the names in its ``schema_migrations``, and hands the
archive to ``pg_restore``, whose script ``psql`` runs in one transaction after dropping the old schema:
either the whole backup is in force afterwards or nothing changed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import duckdb

from metrics.storage import migrations, postgres, store
from metrics.vocabulary.errors import UserError

DUMP_FILE = "postgresql.dump"
BIN_DIRS = (Path("/usr/lib/postgresql/15/bin"),)
# The kinds of object a dump of this program holds (``pg_restore --list``); anything else refuses the file.
KINDS = {"TABLE", "TABLE DATA", "VIEW", "SEQUENCE", "SEQUENCE SET", "SEQUENCE OWNED BY", "DEFAULT", "CONSTRAINT",
         "FK CONSTRAINT", "INDEX", "POLICY", "ROW SECURITY", "FUNCTION", "ACL", "DEFAULT ACL", "COMMENT"}
_ENTRY = re.compile(r"^\d+;\s+\d+\s+\d+\s+(?P<rest>.+)$")
# The schema ``public`` itself, in a dump of a database whose schema is not PostgreSQL's own (made again by
# ``init --force``): left out of a restore, which makes the schema as PostgreSQL 15 does.
_PUBLIC_SCHEMA = re.compile(r"^(SCHEMA - public|COMMENT - SCHEMA public|ACL - SCHEMA public) \S*$")


class NotADump(Exception):
    """The file is not a custom-format dump of this program's database (why: a few words, for the message)."""


@dataclass(frozen=True)
class Dumped:
    """What one snapshot held when it was dumped."""

    migrations: list[str]
    counts: dict[str, int]
    data_version: list[int]
    server: str


# --- the tools ------------------------------------------------------------------------------------

def tool(name: str) -> str:
    """The path of ``pg_dump``, ``pg_restore`` or ``psql`` (PostgreSQL 15's, else the first on PATH)."""
    for folder in BIN_DIRS:
        if (folder / name).exists():
            return str(folder / name)
    found = shutil.which(name)
    if found:
        return found
    raise UserError("postgresql-tools-missing",
                    f"Không tìm thấy {name} (công cụ của PostgreSQL). Hãy cài gói postgresql-client-15 "
                    "(apt-get install postgresql-client-15) rồi chạy lại.",
                    f"{name} (a PostgreSQL tool) was not found. Install postgresql-client-15 "
                    "(apt-get install postgresql-client-15) and run again.")


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The URL without its password (it would show in the list of processes: ``postgres.shown``), and the
    environment that carries the password instead."""
    password = urlsplit(url).password
    env = dict(os.environ)
    if password is not None:
        env["PGPASSWORD"] = unquote(password)
    return postgres.shown(url), env


def _first_error(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    wanted = [line for line in lines if "error" in line.lower() or "lỗi" in line.lower()]
    return ((wanted or lines or ["?"])[0])[:300]


# --- backup ---------------------------------------------------------------------------------------

def dump(url: str, path: Path) -> Dumped:
    """``pg_dump --format=custom`` of the whole database into ``path``, from the snapshot in which the counts
    and the migrations are read (``pg_export_snapshot``): an import meanwhile is wholly in it or not at all."""
    con = postgres.Connection(url)
    try:
        cur = con.cursor()
        cur.begin()
        try:
            snapshot = cur.execute("SELECT pg_export_snapshot()").fetchall()[0][0]
            names = [r[0] for r in cur.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()]
            tables = [r[0] for r in cur.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                "AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()]
            counts = {t: int(cur.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0]) for t in tables}
            version = cur.execute("""SELECT (SELECT coalesce(max(id), 0) FROM batches),
                                            (SELECT count(rolled_back_by) + count(approved_at) FROM batches),
                                            (SELECT max(version) FROM catalogue_version),
                                            (SELECT count(*) FROM schema_migrations)""").fetchall()[0]
            server = str(cur.execute("SHOW server_version").fetchall()[0][0])
            target, env = _libpq(url)
            done = subprocess.run([tool("pg_dump"), "--format=custom", "--no-owner", f"--snapshot={snapshot}",
                                   f"--file={path}", f"--dbname={target}"],
                                  env=env, capture_output=True, text=True, check=False)
        finally:
            cur.rollback()
    finally:
        con.close()
    if done.returncode != 0:
        path.unlink(missing_ok=True)
        why = _first_error(done.stderr)
        raise UserError("backup-failed", f"pg_dump không sao lưu được ({why}); không có bản sao lưu nào được tạo.",
                        f"pg_dump could not back up the database ({why}); no backup was made.")
    return Dumped(names, counts, [int(v or 0) for v in version], server)


# --- checking a dump ------------------------------------------------------------------------------

def check(path: Path) -> list[str]:
    """The names in the dump's ``schema_migrations``, once its table of contents is found to be this program's:
    a custom-format archive of the schema ``public`` only, with the tables and views of those migrations and
    nothing else (checked against the schema this program builds, on a DuckDB in memory). Reads only the file."""
    listed = _run([tool("pg_restore"), "--list", str(path)])
    if listed.returncode != 0:
        raise NotADump("pg_restore --list: " + _first_error(listed.stderr))
    entries = _entries(listed.stdout)
    if ("TABLE DATA", "schema_migrations") not in {(kind, name) for kind, name in entries}:
        raise NotADump("schema_migrations")
    names = _dumped_migrations(path)
    known = [name for name, _ in migrations.MIGRATIONS]
    if names != known[:len(names)] and not set(names) - set(known):
        raise NotADump("migrations")
    if set(names) - set(known):
        return names  # a newer program's: the caller says so (its schema is not known here)
    relations, sequences = _schema_of(len(names))
    found = {name for kind, name in entries if kind in ("TABLE", "VIEW")}
    if found != relations:
        strange = ", ".join(sorted(found ^ relations))[:200]
        raise NotADump(f"tables {strange}")
    for kind, name in entries:
        if kind in ("SEQUENCE", "SEQUENCE SET", "SEQUENCE OWNED BY") and name not in sequences:
            raise NotADump(f"sequence {name[:60]}")
    return names


def _entries(toc: str) -> list[tuple[str, str]]:
    """(kind, object name) of each entry of a table of contents; refuses kinds and schemas not this program's."""
    found = []
    for line in toc.splitlines():
        if not line.strip() or line.startswith(";"):
            continue
        entry = _ENTRY.match(line)
        if not entry:
            raise NotADump(f"entry {line[:60]!r}")
        rest = entry.group("rest")
        if _PUBLIC_SCHEMA.match(rest):
            continue  # the schema itself (dumped when it is not PostgreSQL's own): never restored, made anew
        kind = next((k for k in sorted(KINDS, key=len, reverse=True) if rest.startswith(k + " ")), None)
        if kind is None:
            raise NotADump(f"entry {rest[:60]!r}")
        words = rest[len(kind) + 1:].split(" ")
        if words[0] != "public":
            raise NotADump(f"schema {words[0][:60]}")
        name = words[2] if kind == "ACL" and len(words) > 2 and words[1] in ("TABLE", "SEQUENCE", "FUNCTION") \
            else words[1] if len(words) > 1 else ""
        name = name.split("(")[0]
        if kind == "FUNCTION" and not name.startswith("kpi_"):
            raise NotADump(f"function {name[:60]}")
        found.append((kind, name))
    return found


def _dumped_migrations(path: Path) -> list[str]:
    """The migration names in the dump's ``schema_migrations`` (the first column of its data, read as text)."""
    data = _run([tool("pg_restore"), "--data-only", "--table=schema_migrations", "--file=-", str(path)])
    if data.returncode != 0:
        raise NotADump("schema_migrations: " + _first_error(data.stderr))
    names, inside = [], False
    for line in data.stdout.splitlines():
        if line.startswith("COPY public.schema_migrations "):
            inside = True
        elif inside and line == "\\.":
            break
        elif inside:
            names.append(line.split("\t")[0])
    if not names:
        raise NotADump("schema_migrations")
    return sorted(names)


def _schema_of(level: int) -> tuple[set[str], set[str]]:
    """The tables and views, and the sequences, of this program's schema after its first ``level`` migrations
    (the migrations are the same on both engines but for PostgreSQL's roles and policies, which add none)."""
    con = duckdb.connect()
    try:
        migrations.migrate(con, until=level)
        relations = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        sequences = {r[0] for r in con.execute("SELECT sequence_name FROM duckdb_sequences()").fetchall()}
    finally:
        con.close()
    return relations, sequences


def _run(argv: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, check=False)


# --- restore --------------------------------------------------------------------------------------

def holds_data(url: str) -> bool:
    """Whether the database has this program's tables with at least one plan in them."""
    if not postgres.has_tables(url):
        return False
    con = postgres.Connection(url)
    try:
        plans = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
                            "AND table_name = 'plans'").fetchall()[0][0]
        return bool(plans) and bool(con.execute("SELECT count(*) FROM plans").fetchall()[0][0])
    finally:
        con.close()


def change_stamp(url: str) -> tuple[int, int]:
    """The database's two change counters (``store.change_stamp``), (0, 0) without them."""
    con = postgres.Connection(url)
    try:
        found = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
                            "AND table_name IN ('value_writes', 'catalogue_version')").fetchall()[0][0]
        if found != 2:
            return 0, 0
        return store.change_stamp(con)
    finally:
        con.close()


def load(path: Path, url: str) -> None:
    """Replace the schema ``public`` of ``url`` with the dump's, in one transaction: ``pg_restore`` writes the
    archive's script, ``psql --single-transaction`` runs the drop of the old schema and that script and
    commits only if every statement succeeded. The role ``kpi_scoped`` (a role of the server, not of the
    database, so not in the dump) is made first when missing, as migration 0019 makes it."""
    con = postgres.Connection(url)
    try:
        con.execute(migrations.SCOPED_ROLE_MADE)
    finally:
        con.close()
    target, env = _libpq(url)
    with tempfile.TemporaryDirectory(prefix="kpi-restore-list-") as work:  # (the backup's folder may be read-only)
        chosen = Path(work) / "entries.list"
        chosen.write_text(_without_public_schema(_run([tool("pg_restore"), "--list", str(path)]).stdout),
                          encoding="utf-8")
        _restore(path, chosen, target, env)


def _without_public_schema(toc: str) -> str:
    """The table of contents with the entries of the schema ``public`` itself commented out (``--use-list``)."""
    return "".join(f";{line}" if (entry := _ENTRY.match(line.rstrip("\n"))) and _PUBLIC_SCHEMA.match(entry.group("rest"))
                   else line for line in toc.splitlines(keepends=True))


def _restore(path: Path, chosen: Path, target: str, env: dict[str, str]) -> None:
    script = subprocess.Popen([tool("pg_restore"), "--no-owner", f"--use-list={chosen}", "--file=-", str(path)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    commands = [arg for sql in postgres.SCHEMA_RECREATED for arg in ("--command", sql)]
    runner = subprocess.Popen([tool("psql"), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction",
                               *commands, "--file=-", f"--dbname={target}"],
                              stdin=script.stdout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    assert script.stdout is not None and script.stderr is not None and runner.stderr is not None
    script.stdout.close()  # psql holds the pipe now: pg_restore sees it close if psql stops
    errors: list[bytes] = []
    reader = threading.Thread(target=lambda: errors.append(script.stderr.read()))  # type: ignore[union-attr]
    reader.start()
    ran = runner.stderr.read().decode("utf-8", "replace")
    runner.wait()
    script.wait()
    reader.join()
    written = (errors[0] if errors else b"").decode("utf-8", "replace")
    if runner.returncode != 0 or script.returncode != 0:
        why = _first_error(ran if runner.returncode != 0 else written)
        raise UserError("restore-failed",
                        f"PostgreSQL không khôi phục được bản sao lưu ({why}); cơ sở dữ liệu vẫn như trước, không "
                        "thay đổi gì. Hãy khôi phục bằng tài khoản sở hữu cơ sở dữ liệu, hoặc dùng bản sao lưu khác.",
                        f"PostgreSQL could not restore the backup ({why}); the database is as it was, nothing "
                        "changed. Restore as the database's owner, or use another backup.")
