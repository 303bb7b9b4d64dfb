"""An analyst's scope: the unit (a province, a sector union) whose subtree their imports, undos and templates
stay in. A unit is in the subtree of the scope in a year when its chain of parents on 31 December of that year
reaches the scope's unit (the rule of the organisation tree). No scope: the whole federation."""

from __future__ import annotations

from metrics.vocabulary.errors import UserError

# Every (year, unit) of the scope's subtree, for the years the query's ``years`` CTE lists.
_TREE = """
    tree(year, code) AS (
        SELECT y.year, CAST(? AS VARCHAR) FROM years y  -- (PostgreSQL types a bare parameter TEXT)
        UNION
        SELECT t.year, u.code FROM tree t JOIN units u ON u.parent = t.code
         AND u.valid_from <= make_date(t.year, 12, 31)
         AND (u.valid_to IS NULL OR u.valid_to >= make_date(t.year, 12, 31)))"""


def name(cur, scope: str) -> str:
    """The scope as people read it: its code and Vietnamese name (of its latest period)."""
    found = cur.execute("SELECT name_vi FROM units WHERE code = ? ORDER BY valid_from DESC LIMIT 1",
                        [scope]).fetchall()
    return f"{scope} — {found[0][0]}" if found else scope


def mark_rows_outside(cur, scope: str | None, unit_header: str | None) -> None:
    """Add an ``outside-scope`` problem for every row of the checked file whose unit is outside ``scope``'s
    subtree in the row's year (a wide file's row once, whichever of its years is outside)."""
    if not scope:
        return
    cur.execute(f"""
        INSERT INTO problems
        WITH RECURSIVE years AS (SELECT DISTINCT year FROM checked WHERE unit IS NOT NULL AND year IS NOT NULL),
        {_TREE}
        SELECT DISTINCT ON (c.row) c.row, ?, u.unit_text, 'outside-scope', ?, 0
        FROM checked c JOIN unit_match u ON u.unit_tid = c.unit_tid
        WHERE c.unit IS NOT NULL AND c.year IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM tree t WHERE t.year = c.year AND t.code = c.unit)
        ORDER BY c.row""", [scope, unit_header, name(cur, scope)])


def check_batch(cur, batch: int, scope: str | None) -> None:
    """Refuse the undo of a batch that holds a figure of a unit outside ``scope``'s subtree."""
    if not scope:
        return
    outside = cur.execute(f"""
        WITH RECURSIVE years AS (SELECT DISTINCT year FROM observations WHERE batch = ?),
        {_TREE}
        SELECT DISTINCT o.unit FROM observations o
        WHERE o.batch = ? AND NOT EXISTS (SELECT 1 FROM tree t WHERE t.year = o.year AND t.code = o.unit)
        ORDER BY 1 LIMIT 6""", [batch, scope, batch]).fetchall()
    if outside:
        units = ", ".join(u for (u,) in outside[:5]) + ("…" if len(outside) > 5 else "")
        where = name(cur, scope)
        raise UserError("batch-outside-scope",
                        f"Đợt nhập {batch} có số liệu của đơn vị ngoài phạm vi của bạn ({where}): {units}. "
                        "Không có gì được hoàn tác. Hãy nhờ quản trị viên hoặc người được giao phạm vi đó.",
                        f"Batch {batch} holds figures of units outside your scope ({where}): {units}. "
                        "Nothing was undone. Ask an administrator or someone whose scope covers them.")


def require_same(report_scope: str | None, scope: str | None) -> None:
    """A file checked under one scope is written only under that same scope (the check is what enforced it)."""
    if report_scope != scope:
        raise UserError("scope-changed",
                        "Phạm vi đơn vị của bạn đã thay đổi kể từ lúc kiểm tra tệp. Không có gì được ghi. "
                        "Hãy kiểm tra lại tệp.",
                        "Your unit scope changed since the file was checked. Nothing was written. "
                        "Check the file again.")
