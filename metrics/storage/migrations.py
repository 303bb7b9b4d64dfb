"""Named schema migrations, applied in order, each in its own transaction, recorded in the database.

A migration is a function taking a cursor. Add new ones at the end of ``MIGRATIONS``; never edit
one that has shipped.
"""

from __future__ import annotations

import duckdb

from metrics.storage.db import transaction


def initial_schema(cur: duckdb.DuckDBPyConnection) -> None:
    """Units (one row per period), catalogue, plans and targets, batches and observation versions."""
    cur.execute("""
        CREATE TABLE units (
            code VARCHAR NOT NULL, valid_from DATE NOT NULL, valid_to DATE,
            name_vi VARCHAR NOT NULL, name_en VARCHAR, kind VARCHAR NOT NULL, level VARCHAR NOT NULL,
            sector VARCHAR, parent VARCHAR, successor VARCHAR, official_code VARCHAR, source VARCHAR,
            PRIMARY KEY (code, valid_from))""")
    cur.execute("""
        CREATE TABLE indicators (
            code VARCHAR PRIMARY KEY, name_vi VARCHAR NOT NULL, name_en VARCHAR,
            measure_vi VARCHAR, measure_en VARCHAR, kind VARCHAR NOT NULL, direction VARCHAR NOT NULL,
            numerator_vi VARCHAR, numerator_en VARCHAR, denominator_vi VARCHAR, denominator_en VARCHAR,
            "limit" DOUBLE, definition_vi VARCHAR, definition_en VARCHAR)""")
    cur.execute("""
        CREATE TABLE plans (
            code VARCHAR PRIMARY KEY, name_vi VARCHAR NOT NULL, name_en VARCHAR, issuer VARCHAR,
            start_year INTEGER NOT NULL, end_year INTEGER NOT NULL, unit VARCHAR NOT NULL, source VARCHAR)""")
    cur.execute("""
        CREATE TABLE targets (
            plan VARCHAR NOT NULL, code VARCHAR NOT NULL, group_code VARCHAR NOT NULL,
            group_vi VARCHAR, group_en VARCHAR, indicator VARCHAR NOT NULL, type VARCHAR NOT NULL,
            value DOUBLE NOT NULL, value_high DOUBLE, target_year INTEGER, base_year INTEGER,
            baseline DOUBLE, sector VARCHAR, applies_to VARCHAR NOT NULL,
            label_vi VARCHAR, label_en VARCHAR, wording_vi VARCHAR, source VARCHAR, sort_order INTEGER,
            PRIMARY KEY (plan, code))""")
    cur.execute("CREATE SEQUENCE batch_ids START 1")
    cur.execute("""
        CREATE TABLE batches (
            id INTEGER PRIMARY KEY DEFAULT nextval('batch_ids'), kind VARCHAR NOT NULL,
            file_name VARCHAR, sha256 VARCHAR, rows INTEGER, user_name VARCHAR,
            created_at TIMESTAMPTZ NOT NULL DEFAULT now(), note VARCHAR,
            reverts INTEGER, rolled_back_by INTEGER)""")
    cur.execute("""
        CREATE TABLE observations (
            unit VARCHAR NOT NULL, indicator VARCHAR NOT NULL, year INTEGER NOT NULL,
            value DOUBLE, numerator DOUBLE, denominator DOUBLE,
            source VARCHAR, note VARCHAR, provenance VARCHAR NOT NULL, batch INTEGER NOT NULL,
            PRIMARY KEY (unit, indicator, year, batch))""")
    cur.execute("""
        CREATE TABLE period_totals (
            unit VARCHAR NOT NULL, indicator VARCHAR NOT NULL, from_year INTEGER NOT NULL,
            to_year INTEGER NOT NULL, value DOUBLE NOT NULL, source VARCHAR, note VARCHAR,
            PRIMARY KEY (unit, indicator, from_year, to_year))""")


def catalogue_version(cur: duckdb.DuckDBPyConnection) -> None:
    """A counter bumped by every change of units, plans, indicators or targets, so caches can tell."""
    cur.execute("CREATE TABLE catalogue_version (version INTEGER NOT NULL)")
    cur.execute("INSERT INTO catalogue_version VALUES (1)")


def value_write_counter(cur: duckdb.DuckDBPyConnection) -> None:
    """A counter every batch write and rollback bumps: two writers at once then conflict in DuckDB
    (which ignores an update that changes nothing), and the second is told, not silently interleaved."""
    cur.execute("CREATE TABLE value_writes (count BIGINT NOT NULL)")
    cur.execute("INSERT INTO value_writes VALUES (0)")


def users_and_settings(cur: duckdb.DuckDBPyConnection) -> None:
    """People who may sign in (bcrypt hashes only, never a password) and the app's own settings
    (the key that signs sign-in cookies, so logins survive a restart)."""
    cur.execute("""
        CREATE TABLE users (
            username VARCHAR PRIMARY KEY, display_name VARCHAR NOT NULL,
            role VARCHAR NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
            password_hash VARCHAR NOT NULL, active BOOLEAN NOT NULL DEFAULT true,
            created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ NOT NULL DEFAULT now())""")
    cur.execute("CREATE TABLE settings (name VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")


def audit_log(cur: duckdb.DuckDBPyConnection) -> None:
    """Who did what when: sign-ins, imports, undo, catalogue loads, user changes, backups. Append-only."""
    cur.execute("CREATE SEQUENCE audit_ids START 1")
    cur.execute("""
        CREATE TABLE audit (
            id BIGINT PRIMARY KEY DEFAULT nextval('audit_ids'),
            happened_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            user_name VARCHAR, action VARCHAR NOT NULL, detail VARCHAR,
            source VARCHAR NOT NULL CHECK (source IN ('web', 'cli')))""")


def derived_figures(cur: duckdb.DuckDBPyConnection) -> None:
    """Values in force, yearly trees and rolled-up figures kept in tables (see metrics.storage.rollups); filled
    by ``migrate`` once every migration is applied."""
    cur.execute("""
        CREATE TABLE current_values (
            unit VARCHAR NOT NULL, indicator VARCHAR NOT NULL, year INTEGER NOT NULL,
            value DOUBLE, numerator DOUBLE, denominator DOUBLE, source VARCHAR, note VARCHAR,
            provenance VARCHAR NOT NULL, batch INTEGER NOT NULL)""")
    cur.execute("""
        CREATE TABLE unit_years (
            year INTEGER NOT NULL, code VARCHAR NOT NULL, parent VARCHAR, depth INTEGER NOT NULL,
            level VARCHAR NOT NULL, sector VARCHAR, children INTEGER NOT NULL)""")
    cur.execute("""
        CREATE TABLE figures (
            indicator VARCHAR NOT NULL, year INTEGER NOT NULL, unit VARCHAR NOT NULL, depth INTEGER NOT NULL,
            value DOUBLE, numerator DOUBLE, denominator DOUBLE, reported INTEGER NOT NULL,
            own BOOLEAN NOT NULL, provenance INTEGER NOT NULL, sources VARCHAR[])""")


def observations_without_index(cur: duckdb.DuckDBPyConnection) -> None:
    """Drop the primary key of ``observations``: DuckDB keeps such an index in memory (gigabytes at the
    nation's tens of millions of rows) and maintains it on every insert (a second per million rows).
    A batch's cells are unique by validation (duplicate rows are rejected) and batch ids by sequence."""
    cur.execute("""
        CREATE TABLE observations_new (
            unit VARCHAR NOT NULL, indicator VARCHAR NOT NULL, year INTEGER NOT NULL,
            value DOUBLE, numerator DOUBLE, denominator DOUBLE,
            source VARCHAR, note VARCHAR, provenance VARCHAR NOT NULL, batch INTEGER NOT NULL)""")
    cur.execute("INSERT INTO observations_new SELECT * FROM observations")
    cur.execute("DROP TABLE observations")
    cur.execute("ALTER TABLE observations_new RENAME TO observations")


def scoped_figures(cur: duckdb.DuckDBPyConnection) -> None:
    """Roll-ups per sector scope: a target for one sector adds up only that sector's units (made by
    ``migrate`` once every migration is applied)."""
    cur.execute("ALTER TABLE figures ADD COLUMN scope VARCHAR NOT NULL DEFAULT ''")


def session_versions(cur: duckdb.DuckDBPyConnection) -> None:
    """A session version per user, carried in the sign-in cookie and changed to end every sign-in of that
    user (sign-out, new password, new role, account locked). The cookie key leaves the database: it sat
    in a file anyone with a copy could read, so the old one is dropped (everyone signs in again)."""
    cur.execute("ALTER TABLE users ADD COLUMN session_version VARCHAR")
    cur.execute("UPDATE users SET session_version = gen_random_uuid()::VARCHAR")
    cur.execute("DELETE FROM settings WHERE name = 'cookie_key'")


def plan_headlines(cur: duckdb.DuckDBPyConnection) -> None:
    """Each plan names its headline targets (the overview's first cards), so no federation's are built in."""
    cur.execute("ALTER TABLE plans ADD COLUMN headline VARCHAR")


def sign_in_tickets(cur: duckdb.DuckDBPyConnection) -> None:
    """One-time sign-in tickets (``metrics.storage.sign_in``): the SHA-256 of each, never the ticket, valid for
    seconds. In the database rather than a process, so that any dashboard process can take one."""
    cur.execute("""
        CREATE TABLE sign_in_tickets (
            ticket_sha256 VARCHAR NOT NULL, username VARCHAR NOT NULL, session_version VARCHAR,
            next_path VARCHAR NOT NULL, expires_at TIMESTAMPTZ NOT NULL)""")


def target_shapes(cur: duckdb.DuckDBPyConnection) -> None:
    """An indicator may count in decimals (money: 5,43 tỷ đồng); a target may be set for one unit inside its
    plan, or as a share of a plan figure given per year (another indicator)."""
    cur.execute("ALTER TABLE indicators ADD COLUMN decimals INTEGER")
    cur.execute("ALTER TABLE targets ADD COLUMN unit VARCHAR")
    cur.execute("ALTER TABLE targets ADD COLUMN basis VARCHAR")


def plan_after_merger(cur: duckdb.DuckDBPyConnection) -> None:
    """What becomes of a plan when its unit merges with others (carry, rebase, end; empty: carry)."""
    cur.execute("ALTER TABLE plans ADD COLUMN after_merger VARCHAR")


def value_versions(cur: duckdb.DuckDBPyConnection) -> None:
    """One table of value versions: each version names the batch that replaced it (``replaced_by``; NULL: in
    force now), so the values in force are the open versions and ``current_values`` is a view of them, not
    a second copy of every value. A first import then writes each value once; a correction closes the few
    versions it replaces and appends. History, as-of and undo read the same table.

    The closing batch of the history migrated here is reconstructed: the next version of the cell whose
    batch is still in force, or the undo of the version's own batch when that came first (the rolled-back
    batches in between are not known as closers any more)."""
    cur.execute("""
        CREATE TABLE observations_new (
            unit VARCHAR NOT NULL, indicator VARCHAR NOT NULL, year INTEGER NOT NULL,
            value DOUBLE, numerator DOUBLE, denominator DOUBLE,
            source VARCHAR, note VARCHAR, provenance VARCHAR NOT NULL, batch INTEGER NOT NULL,
            replaced_by INTEGER)""")
    cur.execute("""
        INSERT INTO observations_new
        SELECT o.unit, o.indicator, o.year, o.value, o.numerator, o.denominator, o.source, o.note, o.provenance,
               o.batch,
               least(b.rolled_back_by,
                     min(CASE WHEN b.rolled_back_by IS NULL THEN o.batch END) OVER (
                         PARTITION BY o.unit, o.indicator, o.year ORDER BY o.batch
                         ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING))
        FROM observations o JOIN batches b ON b.id = o.batch
        ORDER BY o.batch, o.indicator, o.year, o.unit""")
    cur.execute("DROP TABLE observations")
    cur.execute("ALTER TABLE observations_new RENAME TO observations")
    cur.execute("DROP TABLE current_values")
    cur.execute("""
        CREATE VIEW current_values AS
        SELECT unit, indicator, year, value, numerator, denominator, source, note, provenance, batch
        FROM observations WHERE replaced_by IS NULL""")


def user_scope(cur: duckdb.DuckDBPyConnection) -> None:
    """A user may be given a unit (a province, a sector union): their imports, undos and templates stay in
    its subtree. No unit: the whole federation, as before."""
    cur.execute("ALTER TABLE users ADD COLUMN unit VARCHAR")


def target_quotas(cur: duckdb.DuckDBPyConnection) -> None:
    """A target of a plan may be divided among the units below its owner: each unit's own value (its quota,
    "chỉ tiêu giao"). A database without quotas judges every unit against the plan's target, as before."""
    cur.execute("""
        CREATE TABLE target_quotas (
            plan VARCHAR NOT NULL, target VARCHAR NOT NULL, unit VARCHAR NOT NULL, value DOUBLE NOT NULL,
            PRIMARY KEY (plan, target, unit))""")


def batch_approval(cur: duckdb.DuckDBPyConnection) -> None:
    """Imported figures are provisional until an approver approves their batch (``approved_at``, ``approved_by``);
    the batches already here were in force before approval existed and stay so (approved by ``migration``).
    The role ``approver`` joins the users' roles (the table is made again: a CHECK cannot be altered in DuckDB).
    The approved-only figures are kept as an overlay of the cells and pairs that provisional batches touch
    (``metrics.storage.approval``); empty while every batch is approved."""
    cur.execute("ALTER TABLE batches ADD COLUMN approved_at TIMESTAMPTZ")
    cur.execute("ALTER TABLE batches ADD COLUMN approved_by VARCHAR")
    cur.execute("UPDATE batches SET approved_at = created_at, approved_by = 'migration' WHERE kind <> 'rollback'")
    cur.execute("""
        CREATE TABLE users_new (
            username VARCHAR PRIMARY KEY, display_name VARCHAR NOT NULL,
            role VARCHAR NOT NULL CHECK (role IN ('viewer', 'analyst', 'approver', 'admin')),
            password_hash VARCHAR NOT NULL, active BOOLEAN NOT NULL DEFAULT true,
            created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            session_version VARCHAR, unit VARCHAR)""")
    cur.execute("""INSERT INTO users_new (username, display_name, role, password_hash, active, created_at, updated_at,
                                          session_version, unit)
                   SELECT username, display_name, role, password_hash, active, created_at, updated_at,
                          session_version, unit FROM users""")
    cur.execute("DROP TABLE users")
    cur.execute("ALTER TABLE users_new RENAME TO users")
    cur.execute("""CREATE VIEW provisional_batches AS
                   SELECT id FROM batches WHERE approved_at IS NULL AND kind = 'import' AND rolled_back_by IS NULL""")
    cur.execute("""
        CREATE TABLE approved_cells (
            unit VARCHAR NOT NULL, indicator VARCHAR NOT NULL, year INTEGER NOT NULL,
            value DOUBLE, numerator DOUBLE, denominator DOUBLE, source VARCHAR, note VARCHAR,
            provenance VARCHAR NOT NULL, batch INTEGER NOT NULL)""")
    cur.execute("CREATE TABLE approved_pairs (indicator VARCHAR NOT NULL, year INTEGER NOT NULL)")
    cur.execute("CREATE TABLE approved_rollups AS SELECT * FROM figures LIMIT 0")
    cur.execute("""
        CREATE VIEW approved_values AS
        SELECT * FROM current_values c WHERE c.batch NOT IN (SELECT id FROM provisional_batches)
        UNION ALL SELECT * FROM approved_cells""")
    cur.execute("""
        CREATE VIEW approved_figures AS
        SELECT * FROM figures f WHERE NOT EXISTS (
            SELECT 1 FROM approved_pairs p WHERE p.indicator = f.indicator AND p.year = f.year)
        UNION ALL SELECT * FROM approved_rollups""")


SCOPED_ROLE = "kpi_scoped"
# The role of scoped writes, made when the server lacks it and granted to the current user (a role belongs to
# the server, not to one database: a restored dump needs it made again on a new server).
SCOPED_ROLE_MADE = f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{SCOPED_ROLE}') THEN
            CREATE ROLE {SCOPED_ROLE} NOLOGIN;
        END IF;
        IF NOT pg_has_role(current_user, '{SCOPED_ROLE}', 'MEMBER') THEN
            EXECUTE format('GRANT {SCOPED_ROLE} TO %I', current_user);
        END IF;
    END $$"""


def reporting_deadlines(cur: duckdb.DuckDBPyConnection) -> None:
    """A reporting deadline per plan and year (set by an administrator, or loaded from a deadlines file), and a
    contact on each unit period (a name, a phone, an email), so the office can remind the units that are late."""
    cur.execute("""
        CREATE TABLE reporting_deadlines (
            plan VARCHAR NOT NULL, year INTEGER NOT NULL, due DATE NOT NULL, note VARCHAR, set_by VARCHAR,
            set_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (plan, year))""")
    cur.execute("ALTER TABLE units ADD COLUMN contact_name VARCHAR")
    cur.execute("ALTER TABLE units ADD COLUMN contact_phone VARCHAR")
    cur.execute("ALTER TABLE units ADD COLUMN contact_email VARCHAR")


def scoped_writes(cur: duckdb.DuckDBPyConnection) -> None:
    """PostgreSQL only (DuckDB: nothing; its one writing process checks scopes in the program): the database
    itself refuses a scoped analyst's value outside their subtree. A scoped write runs as the role
    ``kpi_scoped`` with ``kpi.scope`` set (``store.limit_writes_to``); row-level security on ``observations``
    lets that role write only rows whose unit is in the scope's subtree in the row's year (the chain of
    parents on 31 December, as ``metrics.ingest.scope``). Other roles are not affected. Making the role needs
    CREATEROLE once (a superuser, or an administrator who makes ``kpi_scoped`` and grants it to the owner)."""
    if isinstance(cur, duckdb.DuckDBPyConnection):  # (DuckDB's cursors are connections; PostgreSQL's are not)
        return
    cur.execute(SCOPED_ROLE_MADE)
    cur.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {SCOPED_ROLE}")
    cur.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {SCOPED_ROLE}")
    cur.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES "
                f"TO {SCOPED_ROLE}")
    cur.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {SCOPED_ROLE}")
    cur.execute("""
        CREATE FUNCTION kpi_in_scope(unit VARCHAR, year INTEGER) RETURNS BOOLEAN
        LANGUAGE sql STABLE AS $$
            WITH RECURSIVE chain(code) AS (
                SELECT unit
                UNION
                SELECT u.parent FROM chain c JOIN units u ON u.code = c.code
                 AND u.valid_from <= make_date(year, 12, 31)
                 AND (u.valid_to IS NULL OR u.valid_to >= make_date(year, 12, 31))
                WHERE u.parent IS NOT NULL)
            SELECT coalesce(current_setting('kpi.scope', true), '') <> ''
               AND EXISTS (SELECT 1 FROM chain WHERE code = current_setting('kpi.scope', true))
        $$""")
    cur.execute("ALTER TABLE observations ENABLE ROW LEVEL SECURITY")
    cur.execute(f"CREATE POLICY scoped_read ON observations FOR SELECT TO {SCOPED_ROLE} USING (true)")
    cur.execute(f"CREATE POLICY scoped_insert ON observations FOR INSERT TO {SCOPED_ROLE} "
                "WITH CHECK (kpi_in_scope(unit, year))")
    # USING (true): an update of a row outside is not skipped in silence, its new row fails the check
    cur.execute(f"CREATE POLICY scoped_update ON observations FOR UPDATE TO {SCOPED_ROLE} "
                "USING (true) WITH CHECK (kpi_in_scope(unit, year))")



# What a scoped writer (an import or an undo under ``kpi_scoped``) writes: the values, their batches, the counter
# that orders value writes and the figures derived from the values (a province's import refreshes its parents'
# roll-ups too: derived, recomputed from the values, so not scoped). The audit log: a row appended, never changed.
SCOPED_WRITES = ("observations", "batches", "value_writes", "figures", "unit_years", "approved_cells",
                 "approved_pairs", "approved_rollups")


def scoped_records(cur: duckdb.DuckDBPyConnection) -> None:
    """PostgreSQL only (DuckDB: nothing), after 0019 (values): the database refuses the rest of a scoped analyst's
    writes outside their subtree, whatever the program checked.

    - Privileges: ``kpi_scoped`` writes only ``SCOPED_WRITES`` and appends to ``audit``; it cannot write the
      catalogue (units, plans, targets, the units' quotas, deadlines), the users (its own scope among them),
      the settings or the sign-in tickets. Quotas carry a unit, but a quota is the plan owner's division of a
      target: a province setting its own would lower its own bar, and no page or command lets a scoped user
      load one. Of ``batches`` and ``observations`` it may update only ``rolled_back_by`` and ``replaced_by``
      (an undo, a correction closing a version): never the approval of a batch, nor a value in place.
    - Row-level security on ``batches``: a batch it writes is a provisional import, or the undo of a batch
      whose every value is in its subtree (``kpi_batch_in_scope``); it marks as undone only such a batch.
    - Row-level security on ``audit``: a row it appends is an import or an undo naming its own scope
      (``detail.scope`` = ``kpi.scope``), so the log shows the scope the database enforced.

    Tables made by later migrations are not writable by ``kpi_scoped`` unless that migration grants it."""
    if isinstance(cur, duckdb.DuckDBPyConnection):
        return
    role = SCOPED_ROLE
    cur.execute(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public FROM {role}")
    cur.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON TABLES FROM {role}")
    derived = [t for t in SCOPED_WRITES if t not in ("observations", "batches")]
    cur.execute(f"GRANT INSERT, UPDATE, DELETE ON {', '.join(derived)} TO {role}")
    cur.execute(f"GRANT INSERT, UPDATE (replaced_by) ON observations TO {role}")
    cur.execute(f"GRANT INSERT, UPDATE (rolled_back_by) ON batches TO {role}")
    cur.execute(f"GRANT INSERT ON audit TO {role}")
    cur.execute("""
        CREATE FUNCTION kpi_batch_in_scope(batch INTEGER) RETURNS BOOLEAN
        LANGUAGE sql STABLE AS $$
            SELECT NOT EXISTS (
                SELECT 1 FROM (SELECT DISTINCT o.unit, o.year FROM observations o
                               WHERE o.batch = kpi_batch_in_scope.batch) v
                WHERE NOT kpi_in_scope(v.unit, v.year))
        $$""")
    cur.execute("ALTER TABLE batches ENABLE ROW LEVEL SECURITY")
    cur.execute(f"CREATE POLICY scoped_read ON batches FOR SELECT TO {role} USING (true)")
    cur.execute(f"""CREATE POLICY scoped_insert ON batches FOR INSERT TO {role} WITH CHECK (
                        approved_at IS NULL AND approved_by IS NULL AND rolled_back_by IS NULL
                        AND ((kind = 'import' AND reverts IS NULL)
                             OR (kind = 'rollback' AND reverts IS NOT NULL AND kpi_batch_in_scope(reverts))))""")
    # USING (true): an update of a batch outside is not skipped in silence, its new row fails the check
    cur.execute(f"""CREATE POLICY scoped_update ON batches FOR UPDATE TO {role} USING (true) WITH CHECK (
                        kind = 'import' AND rolled_back_by IS NOT NULL AND kpi_batch_in_scope(id))""")
    cur.execute("ALTER TABLE audit ENABLE ROW LEVEL SECURITY")
    cur.execute(f"CREATE POLICY scoped_read ON audit FOR SELECT TO {role} USING (true)")
    cur.execute(f"""CREATE POLICY scoped_insert ON audit FOR INSERT TO {role} WITH CHECK (
                        action IN ('import', 'undo')
                        AND coalesce(detail::jsonb ->> 'scope', '') = coalesce(current_setting('kpi.scope', true), '')
                        AND coalesce(current_setting('kpi.scope', true), '') <> '')""")


def values_in_indicator_order(cur: duckdb.DuckDBPyConnection) -> None:
    """DuckDB only (PostgreSQL: nothing; its reads of one indicator do not scan by blocks' ranges): the value
    versions stored again ordered by (indicator, year, unit), as ``write_batch`` now appends them. A file is read
    unit by unit, so every block of ``observations`` held all thirty indicators and a target's read of its one
    indicator scanned the nation's 27.7 M values; in this order DuckDB's ranges of each block skip the others.
    The table is made again with the same columns and constraints as 0014 (no key, no default); the views over
    it (``current_values``, and ``approved_values`` over that) name it and read the new table."""
    if not isinstance(cur, duckdb.DuckDBPyConnection):
        return
    cur.execute("""
        CREATE TABLE observations_ordered (
            unit VARCHAR NOT NULL, indicator VARCHAR NOT NULL, year INTEGER NOT NULL,
            value DOUBLE, numerator DOUBLE, denominator DOUBLE,
            source VARCHAR, note VARCHAR, provenance VARCHAR NOT NULL, batch INTEGER NOT NULL,
            replaced_by INTEGER)""")
    cur.execute("""
        INSERT INTO observations_ordered
        SELECT unit, indicator, year, value, numerator, denominator, source, note, provenance, batch, replaced_by
        FROM observations ORDER BY indicator, year, unit, batch""")
    cur.execute("DROP TABLE observations")
    cur.execute("ALTER TABLE observations_ordered RENAME TO observations")


MIGRATIONS = [
    ("0001_initial_schema", initial_schema),
    ("0002_catalogue_version", catalogue_version),
    ("0003_value_write_counter", value_write_counter),
    ("0004_users_and_settings", users_and_settings),
    ("0005_audit_log", audit_log),
    ("0006_derived_figures", derived_figures),
    ("0007_observations_without_index", observations_without_index),
    ("0008_scoped_figures", scoped_figures),
    ("0009_session_versions", session_versions),
    ("0010_plan_headlines", plan_headlines),
    ("0011_sign_in_tickets", sign_in_tickets),
    ("0012_target_shapes", target_shapes),
    ("0013_plan_after_merger", plan_after_merger),
    ("0014_value_versions", value_versions),
    ("0015_user_scope", user_scope),
    ("0016_target_quotas", target_quotas),
    ("0017_batch_approval", batch_approval),
    ("0018_reporting_deadlines", reporting_deadlines),
    ("0019_scoped_writes", scoped_writes),
    ("0023_scoped_records", scoped_records),
    ("0024_values_in_indicator_order", values_in_indicator_order),
]


#: Migrations after which the derived tables are rebuilt from the values (by the code of today, on the
#: schema of today: a migration holds its own DDL and never calls code that may change after it).
REBUILDS = {"0006_derived_figures", "0008_scoped_figures"}


def applied(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of the migrations this database has, oldest first."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchall()[0][0]
    if not exists:
        return []
    return [r[0] for r in con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()]


def pending(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database lacks a migration of this program (reads only)."""
    return not {name for name, _ in MIGRATIONS} <= set(applied(con))


def migrate(con: duckdb.DuckDBPyConnection, until: int | None = None) -> list[str]:
    """Apply every migration the database lacks (only the first ``until``, if given: the schema a backup
    was made with, whose restore rebuilds the derived tables itself); return the names applied now."""
    con.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
        name VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())""")
    done = set(applied(con))
    new = []
    for name, step in MIGRATIONS[:until]:
        if name in done:
            continue
        with transaction(con) as cur:
            step(cur)
            cur.execute("INSERT INTO schema_migrations (name) VALUES (?)", [name])
        new.append(name)
    if until is None and REBUILDS & set(new):
        from metrics.storage import rollups  # the derived tables' contents, on the schema just completed

        with transaction(con) as cur:
            rollups.rebuild(cur)
    return new
