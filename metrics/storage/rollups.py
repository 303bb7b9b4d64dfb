"""Figures of every unit above the leaves, kept in the database and refreshed with every write.

Two tables, both derived (they can be rebuilt at any time from ``units`` and ``observations``), and a view:

- ``current_values``: the observation in force for every cell (unit × indicator × year): a view of the
  open versions of ``observations`` (``replaced_by IS NULL``; ``metrics.store`` opens and closes them),
  not a copy: an import writes each value once;
- ``unit_years``: the organisation of every year (units valid on 31 December, with their parent and
  depth below the root), so that roll-ups follow the tree as it was;
- ``figures``: for every unit that has a value in a year — its own, or the combination of its
  children's — the value, numerator and denominator, how many children contributed, how many there
  are, and the kinds of figures behind it. Leaves' own values stay in ``current_values``. Each
  indicator is rolled up once over every unit (``scope`` '') and once more for every sector scope a
  target puts on it (``scope`` 'non_state', 'non_state|state_enterprise' …): a target for non-state
  enterprises adds up only the units of that sector (and mixed units, without a sector, through their
  own in-scope units), in its values, its parts and its count of reporting units.

The roll-up is the one of ``metrics.domain.rollup_reference`` (own value wins; stocks and flows add up; ratios are
Σnumerator ÷ Σdenominator; per-unit rates Σcount ÷ Σunits), written in SQL and run level by level from
the deepest units up, so that DuckDB does the work over tens of millions of values. A test compares
both on the shipped data.
"""

from __future__ import annotations

from metrics.storage import dialect

PROVENANCE_BITS = {"published": 1, "illustrative": 2, "imported": 4, "provisional": 8}


def parts_value_sql(kind: str, numerator: str, denominator: str) -> str:
    """SQL: what a ratio's or rate's parts give (NULL without them)."""
    return f"""CASE WHEN {kind} IN ('ratio', 'rate') AND {numerator} IS NOT NULL AND {denominator} <> 0
                    THEN {numerator} / {denominator} * (CASE WHEN {kind} = 'ratio' THEN 100 ELSE 1 END) END"""


def value_sql(kind: str, value: str, numerator: str, denominator: str) -> str:
    """SQL: the value a figure stands for — the stated value, else what its parts give.

    The one definition, shared with ``metrics.domain.rollup_reference.stated_value`` (Python), the import's preview and
    checks, the roll-ups and the exports: a document's stated figure wins (223/242 is published as 92,14%;
    the import refuses a stated value that its parts contradict beyond the value's own rounding)."""
    return f"coalesce({value}, {parts_value_sql(kind, numerator, denominator)})"


OWN_VALUE = value_sql("i.kind", "o.value", "o.numerator", "o.denominator")
# A value of a batch not yet approved adds the bit ``provisional`` (8): the roll-ups carry it up the tree, so a
# province's figure says it counts a provisional value. (``o.batch``: every relation of values has it.)
# The imports not approved: a value of one is provisional. (Not the view ``provisional_batches``, which leaves
# out the undone ones: a state as of an earlier batch holds values of an import undone since, never approved.)
UNAPPROVED = "SELECT id FROM batches WHERE kind = 'import' AND approved_at IS NULL"
PROVENANCE_BIT = ("(CASE o.provenance WHEN 'published' THEN 1 WHEN 'illustrative' THEN 2 ELSE 4 END"
                  " + CASE WHEN o.batch IN (" + UNAPPROVED + ") THEN 8 ELSE 0 END)")


def provenance_names(mask: int) -> frozenset[str]:
    return frozenset(name for name, bit in PROVENANCE_BITS.items() if int(mask) & bit)


# Derived from the values: rebuilt, never restored. ``current_values`` was a table until migration 0014 (a
# backup made before it has one) and is a view of the open value versions since.
TABLES = ("current_values", "unit_years", "figures", "approved_cells", "approved_pairs", "approved_rollups")


def scope_key(sectors) -> str:
    """'' for every unit, else the sectors sorted and joined: ``non_state|state_enterprise``."""
    return "|".join(sorted(sectors))


def scopes(cur) -> list[str]:
    """'' (every unit) and every sector scope a target puts on an indicator.

    Leaves ``scope_indicators`` (scope, indicator) in the cursor for ``compute``."""
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE scope_indicators AS
        SELECT DISTINCT {dialect.of(cur).sorted_codes('sector')} AS scope, indicator
        FROM targets WHERE coalesce(sector, '') <> ''
        UNION SELECT '' AS scope, code AS indicator FROM indicators""")
    found = [r[0] for r in cur.execute("SELECT DISTINCT scope FROM scope_indicators ORDER BY scope").fetchall()]
    return found if "" in found else ["", *found]


# --- the organisation by year -------------------------------------------------------------------

def data_years(cur) -> list[int]:
    """Years that need a tree: every year with a value and every year of every plan."""
    rows = cur.execute("""
        SELECT DISTINCT year FROM current_values
        UNION SELECT DISTINCT y.year FROM plans p, generate_series(p.start_year, p.end_year) AS y(year)""").fetchall()
    return sorted(int(r[0]) for r in rows)


def rebuild_unit_years(cur, years: list[int] | None = None) -> None:
    """The tree of each year: who is valid on 31 December, under whom, how deep, with how many children."""
    years = data_years(cur) if years is None else years
    cur.execute("DELETE FROM unit_years WHERE year IN (SELECT unnest(?::INTEGER[]))", [years])
    cur.execute("""
        INSERT INTO unit_years
        WITH RECURSIVE
        valid AS (
            SELECT y.year, u.code, u.parent, u.level, u.sector
            FROM units u JOIN (SELECT unnest(?::INTEGER[]) AS year) y
              ON u.valid_from <= make_date(y.year, 12, 31)
             AND (u.valid_to IS NULL OR u.valid_to >= make_date(y.year, 12, 31))),
        tree AS (
            SELECT v.year, v.code, v.parent, 0 AS depth, v.level, v.sector FROM valid v
            WHERE NOT EXISTS (SELECT 1 FROM valid p WHERE p.year = v.year AND p.code = v.parent)
            UNION ALL
            SELECT v.year, v.code, v.parent, t.depth + 1, v.level, v.sector
            FROM valid v JOIN tree t ON v.year = t.year AND v.parent = t.code),
        counted AS (SELECT year, parent, count(*) AS n FROM tree GROUP BY year, parent)
        SELECT t.year, t.code, CASE WHEN t.depth = 0 THEN NULL ELSE t.parent END, t.depth, t.level, t.sector,
               coalesce(c.n, 0)
        FROM tree t LEFT JOIN counted c ON c.year = t.year AND c.parent = t.code""", [years])


# --- figures -----------------------------------------------------------------------------------

def compute(cur, source: str, params: list, pairs: str | None, target: str, scoped_only: bool = False) -> None:
    """Roll ``source`` (in-force values: unit, indicator, year, value, numerator, denominator,
    source, provenance) up the tree into the table ``target`` (same columns as ``figures``), over every
    unit and once more for each sector scope of the targets.

    ``pairs`` names a relation of (indicator, year) to limit the work to; None means every pair.
    """
    for scope in scopes(cur):
        if (scoped_only and not scope) or (scope and pairs and not _touches(cur, scope, pairs)):
            continue  # e.g. an import of members only: no sector scope of any target has work to do
        units = "unit_years"
        if scope:
            cur.execute(f"""CREATE OR REPLACE TEMP TABLE scope_units AS SELECT * FROM unit_years
                            WHERE sector IS NULL OR {dialect.of(cur).in_codes('?', 'sector')}""", [scope])
            units = "scope_units"
        _compute_scope(cur, source, params, pairs, target, scope, units)
    cur.execute("DROP TABLE IF EXISTS scope_units")
    cur.execute("DROP TABLE scope_indicators")


def _touches(cur, scope: str, pairs: str) -> bool:
    return bool(cur.execute(f"""SELECT count(*) FROM scope_indicators s
                                JOIN (SELECT DISTINCT indicator FROM {pairs}) p USING (indicator)
                                WHERE s.scope = ?""", [scope]).fetchall()[0][0])


def _compute_scope(cur, source: str, params: list, pairs: str | None, target: str, scope: str, units: str) -> None:
    """One scope's roll-up: the units of ``units`` (the whole tree, or those in the scope) only.

    The big source is read three times: summed by parent (every child's own value, whatever its
    depth), for the own values of units that have children, and for the sources of each indicator
    and year. The levels above combine those sums with the roll-ups of children that have no value of
    their own. An aggregate names the first and last source (alphabetically) of its indicator and year
    — aggregating source texts per unit costs more than all the sums together, and listing thousands
    would say nothing.
    """
    # the pairs as a filter (EXISTS), not an inner join: on some databases DuckDB ordered a join with them first
    # against the tree of every year (2.5 M rows for a file of ten years) and probed it with the values (0.94-1.15 s
    # of CPU for a 1.59 M-value first import); a semi join on the values cannot be ordered so (0.33-0.39 s)
    in_pairs = (f"EXISTS (SELECT 1 FROM {pairs} pr WHERE pr.indicator = o.indicator AND pr.year = o.year)"
                if pairs else "true")
    scoped = "JOIN (SELECT indicator FROM scope_indicators WHERE scope = ?) si ON si.indicator = o.indicator"
    sql = dialect.of(cur)
    own = f"""FROM ({source}) o {scoped}
              JOIN {units} u ON u.code = o.unit AND u.year = o.year
              JOIN indicators i ON i.code = o.indicator"""
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE rollup_base AS
        SELECT indicator, year, parent AS unit, depth - 1 AS depth, {sql.any_value('kind')} AS kind, sum(value) AS total,
               sum(numerator) AS numerator, sum(denominator) AS denominator, count(*) AS reported,
               bit_or(provenance) AS provenance, NULL::VARCHAR AS first_source, NULL::VARCHAR AS last_source
        FROM (SELECT o.indicator, o.year, u.parent, u.depth, i.kind, {OWN_VALUE} AS value, o.numerator,
                     o.denominator, {PROVENANCE_BIT} AS provenance
              {own} WHERE u.parent IS NOT NULL AND {in_pairs}) own_values
        WHERE {USABLE}
        GROUP BY indicator, year, parent, depth""", [*params, scope])
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE rollup_own AS
        SELECT o.indicator, o.year, o.unit, u.depth, u.parent, i.kind, {OWN_VALUE} AS value, o.numerator,
               o.denominator, 1 AS reported, {PROVENANCE_BIT} AS provenance, o.source AS first_source,
               o.source AS last_source
        {own} WHERE u.children > 0 AND {in_pairs}""", [*params, scope])
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE rollup_sources AS
        SELECT o.indicator, o.year, min(o.source) AS first_source, max(o.source) AS last_source
        FROM ({source}) o {scoped} JOIN {units} u ON u.code = o.unit AND u.year = o.year WHERE {in_pairs}
        GROUP BY o.indicator, o.year""", [*params, scope])
    deepest = cur.execute("SELECT coalesce(max(depth), -1) FROM rollup_base").fetchall()[0][0]
    cur.execute("CREATE OR REPLACE TEMP TABLE rollup_up AS SELECT * FROM rollup_own LIMIT 0")
    for depth in range(deepest, -1, -1):
        _level(cur, depth, units)
    cur.execute(f"""
        INSERT INTO {target}
        SELECT indicator, year, unit, depth, value, numerator, denominator, reported, TRUE, provenance,
               {sql.texts('first_source')}, ?
        FROM rollup_own""", [scope])
    cur.execute(f"""
        INSERT INTO {target}
        SELECT r.indicator, r.year, r.unit, r.depth, r.value, r.numerator, r.denominator, r.reported, FALSE,
               r.provenance, {sql.texts('s.first_source', 's.last_source')}, ?
        FROM rollup_up r LEFT JOIN rollup_sources s USING (indicator, year)""", [scope])
    for table in ("rollup_base", "rollup_own", "rollup_up", "rollup_sources"):
        cur.execute(f"DROP TABLE {table}")


USABLE = "value IS NOT NULL AND (kind NOT IN ('ratio', 'rate') OR (numerator IS NOT NULL AND denominator IS NOT NULL))"


def _level(cur, depth: int, units: str = "unit_years") -> None:
    """Units at ``depth`` without a value of their own get the combination of their children's: the sums
    of children with own values (``rollup_base``) and the roll-ups of children without (``rollup_up``)."""
    cur.execute(f"""
        INSERT INTO rollup_up
        WITH parts AS (
            SELECT indicator, year, unit, kind, total, numerator, denominator, reported, provenance,
                   first_source, last_source
            FROM rollup_base WHERE depth = ?
            UNION ALL
            SELECT indicator, year, parent, kind, value, numerator, denominator, 1, provenance,
                   first_source, last_source
            FROM rollup_up WHERE depth = ? AND {USABLE}),
        combined AS (
            SELECT indicator, year, unit, {dialect.of(cur).any_value('kind')} AS kind, sum(total) AS total,
                   sum(numerator) AS numerator, sum(denominator) AS denominator, sum(reported) AS reported,
                   bit_or(provenance) AS provenance, min(first_source) AS first_source,
                   max(last_source) AS last_source
            FROM parts GROUP BY indicator, year, unit)
        SELECT c.indicator, c.year, c.unit, ?, u.parent, c.kind,
               CASE WHEN c.kind IN ('ratio', 'rate')
                    THEN CASE WHEN c.denominator <> 0 THEN c.numerator / c.denominator
                              * (CASE WHEN c.kind = 'ratio' THEN 100 ELSE 1 END) END
                    ELSE c.total END,
               CASE WHEN c.kind IN ('ratio', 'rate') THEN c.numerator END,
               CASE WHEN c.kind IN ('ratio', 'rate') THEN c.denominator END,
               c.reported, c.provenance, c.first_source, c.last_source
        FROM combined c JOIN {units} u ON u.code = c.unit AND u.year = c.year
        WHERE NOT EXISTS (SELECT 1 FROM rollup_own o
                          WHERE o.unit = c.unit AND o.indicator = c.indicator AND o.year = c.year)""",
                [depth, depth + 1, depth])


def refresh(cur, pairs: str | None = None) -> None:
    """Recompute ``figures`` for the (indicator, year) pairs of the relation ``pairs`` (None: all)."""
    source = "SELECT * FROM current_values"
    if pairs is None:
        cur.execute("DELETE FROM figures")
    else:
        cur.execute(f"DELETE FROM figures f USING {pairs} p WHERE f.indicator = p.indicator AND f.year = p.year")
        years = [int(y) for (y,) in cur.execute(f"SELECT DISTINCT year FROM {pairs}").fetchall()]
        # constants, not a join alone: DuckDB skips the blocks of other years (a yearly import of the nation)
        source += f" WHERE year IN ({', '.join(map(str, years)) or 'NULL'})"
    compute(cur, source, [], pairs, "figures")


def refresh_scopes(cur) -> None:
    """After the targets changed: the sector-scoped roll-ups again (the scopes may have changed)."""
    cur.execute("DELETE FROM figures WHERE scope <> ''")
    compute(cur, "SELECT * FROM current_values", [], None, "figures", scoped_only=True)


def rebuild(cur) -> None:
    """Everything derived, from scratch: the trees, the figures (the values in force are the open versions)."""
    rebuild_unit_years(cur)
    refresh(cur)
    refresh_approved(cur)


# --- approved figures only ------------------------------------------------------------------------

def without_batches(cur, excluded: str, cells: str, pairs: str, rolled: str) -> None:
    """The values in force as if the batches of the relation ``excluded`` (column ``id``) were not there.

    Fills three tables the caller made (``cells``: columns of ``current_values``; ``pairs``: indicator, year;
    ``rolled``: columns of ``figures``): for each cell whose version in force is from an excluded batch, its
    newest version from a batch in force that is not excluded (none: the cell has no value then); the
    indicator × year pairs of those cells; and the roll-up of those pairs. The values are then
    ``current_values`` minus the excluded batches' versions plus ``cells``, and the figures ``figures``
    outside ``pairs`` plus ``rolled``. The work grows with the excluded batches' cells, not with the nation."""
    columns = "unit, indicator, year, value, numerator, denominator, source, note, provenance, batch"
    batches = [int(b) for (b,) in cur.execute(f"SELECT id FROM {excluded}").fetchall()]
    if not batches:  # every batch approved: nothing to read (no scan of the nation's values per import)
        return
    # the batch ids as constants: the versions lie in batch order, so the blocks of other batches are skipped
    cur.execute(f"""CREATE OR REPLACE TEMP TABLE excluded_cells AS
                    SELECT unit, indicator, year FROM observations
                    WHERE replaced_by IS NULL AND batch IN ({", ".join(map(str, batches))})""")
    if not cur.execute("SELECT count(*) FROM excluded_cells").fetchall()[0][0]:
        cur.execute("DROP TABLE excluded_cells")
        return
    # the other batches' versions of those cells: the excluded batches and the other years are left out before the
    # join (constants), so a first import of a file's cells joins them with no version instead of with its own
    years = [int(y) for (y,) in cur.execute("SELECT DISTINCT year FROM excluded_cells").fetchall() if y is not None]
    cur.execute(f"""
        INSERT INTO {cells} ({columns})
        SELECT {columns} FROM (
            SELECT o.*, row_number() OVER (PARTITION BY o.unit, o.indicator, o.year ORDER BY o.batch DESC) AS nth
            FROM (SELECT * FROM observations WHERE batch NOT IN ({", ".join(map(str, batches))})
                    AND year IN ({", ".join(map(str, years)) or "NULL"})) o
            JOIN excluded_cells k ON o.unit = k.unit AND o.indicator = k.indicator AND o.year = k.year
            JOIN batches b ON b.id = o.batch
            WHERE b.rolled_back_by IS NULL AND b.id NOT IN (SELECT id FROM {excluded})) o
        WHERE o.nth = 1""")
    cur.execute(f"INSERT INTO {pairs} (indicator, year) SELECT DISTINCT indicator, year FROM excluded_cells")
    source = f"""SELECT * FROM current_values c WHERE c.batch NOT IN (SELECT id FROM {excluded})
                   AND c.year IN (SELECT DISTINCT year FROM {pairs})
                 UNION ALL SELECT * FROM {cells}"""
    compute(cur, source, [], pairs, rolled)
    cur.execute("DROP TABLE excluded_cells")


def refresh_approved(cur) -> None:
    """The approved figures (``approved_values``, ``approved_figures``): the overlay of the cells and pairs
    that batches still provisional touch, made again (empty when every batch in force is approved)."""
    for table in ("approved_cells", "approved_pairs", "approved_rollups"):
        cur.execute(f"DELETE FROM {table}")
    without_batches(cur, "provisional_batches", "approved_cells", "approved_pairs", "approved_rollups")


def apply_batch(cur, batch: int) -> None:
    """After ``batch`` wrote its versions (``metrics.store`` closed those they replace): its indicator ×
    year pairs are rolled up again."""
    _touched_pairs(cur, "SELECT DISTINCT indicator, year FROM observations WHERE batch = ?", [batch])
    _refresh_touched(cur)


def revert_batch(cur, cells: str) -> None:
    """After a batch was rolled back (``metrics.store`` reopened what its versions had replaced): the pairs
    of its cells that were in force, named by the relation ``cells`` (unit, indicator, year), again."""
    _touched_pairs(cur, f"SELECT DISTINCT indicator, year FROM {cells}", [])
    _refresh_touched(cur)


def _touched_pairs(cur, sql: str, params: list) -> None:
    """``batch_pairs``: the indicator × year pairs whose figures a batch's cells change."""
    cur.execute(f"CREATE OR REPLACE TEMP TABLE batch_pairs AS {sql}", params)


def _refresh_touched(cur) -> None:
    new_years = [y for (y,) in cur.execute("""SELECT DISTINCT year FROM batch_pairs
                                                WHERE year NOT IN (SELECT DISTINCT year FROM unit_years)""").fetchall()]
    if new_years:  # (only a batch's own years can be new: every other year with values has its tree)
        rebuild_unit_years(cur, new_years)
    refresh(cur, "batch_pairs")
    cur.execute("DROP TABLE batch_pairs")
    refresh_approved(cur)
