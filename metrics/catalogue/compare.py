"""What a plans/indicators/targets/period totals load would change, row by row and field by field.

A load merges: what the files hold is created or updated, the rest stays. Only with ``replace`` are the
files the whole target list of every plan they name, and a target missing from them is removed: the
preview says so before anything is written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from metrics.catalogue import rules as catalogue
from metrics.storage.store import Store
from metrics.vocabulary import fmt

KEYS = {"plans": ["code"], "indicators": ["code"], "targets": ["plan", "code"],
        "period_totals": catalogue.PERIOD_TOTAL_KEYS, "target_quotas": ["plan", "target", "unit"]}
NAMES = {"plans": ("Kế hoạch", "Plans"), "indicators": ("Chỉ số", "Indicators"), "targets": ("Chỉ tiêu", "Targets"),
         "period_totals": ("Số liệu cả giai đoạn", "Period totals"),
         "target_quotas": ("Chỉ tiêu giao đơn vị", "Units' quotas")}
CHANGES = {"created": ("tạo mới", "created"), "updated": ("cập nhật", "updated"),
           "unchanged": ("không đổi", "unchanged"), "removed": ("xóa", "removed")}


@dataclass
class Change:
    table: str
    key: str
    change: str  # created | updated | removed
    fields: list[tuple[str, object, object]] = field(default_factory=list)  # (column, old, new)


@dataclass
class CataloguePreview:
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # table -> change -> count
    changes: list[Change] = field(default_factory=list)

    def lines(self, lang: str = "vi") -> list[str]:
        out = []
        for table, counts in self.counts.items():
            words = " · ".join(f"{CHANGES[c][0 if lang == 'vi' else 1]}: {n}" for c, n in counts.items())
            out.append(f"{NAMES[table][0 if lang == 'vi' else 1]}: {words}")
            for change in (c for c in self.changes if c.table == table):
                out.append(f"  {change.key}: " + _describe(change, lang))
        return out


def _describe(change: Change, lang: str) -> str:
    if change.change != "updated":
        if change.change == "removed":
            return "xóa (không còn trong tệp)" if lang == "vi" else "removed (no longer in the file)"
        return CHANGES[change.change][0 if lang == "vi" else 1]
    return "; ".join(f"{column} {_plain(old, column, lang)} → {_plain(new, column, lang)}"
                     for column, old, new in change.fields)


#: The catalogue's columns of numbers (a value, a baseline, a bound), written in the reader's format.
NUMBER_COLUMNS = {c.name for columns in (catalogue.INDICATOR_COLUMNS, catalogue.TARGET_COLUMNS,
                                         catalogue.PERIOD_TOTAL_COLUMNS) for c in columns if c.kind == "number"}


def _plain(value, column: str = "", lang: str = "vi") -> str:
    """A stored value as the preview writes it: a number in ``lang``'s format (``1.797,5``); a code, or a year
    (read back as ``2028.0`` beside an empty cell), as it is."""
    if _missing(value):
        return "—"
    if column in NUMBER_COLUMNS and isinstance(value, (int, float)):
        return fmt.written(float(value), lang)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _same(a, b) -> bool:
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) < 1e-9
    return str(a) == str(b)


def compare(store: Store, found: dict[str, list[dict]], plans: dict[str, dict], *,
            replace: bool = False) -> CataloguePreview:
    """Incoming plans, indicators, targets and period totals against the database, the way the load writes
    them (``replace``: the targets of the plans named are the whole list)."""
    incoming = {"plans": catalogue.plan_rows(found.get("plans", [])),
                "indicators": catalogue.indicator_rows(found.get("indicators", [])),
                "targets": catalogue.target_rows(found.get("targets", []), plans),
                "period_totals": catalogue.period_total_rows(found.get("period_totals", [])),
                "target_quotas": catalogue.quota_rows(found.get("quotas", []))}
    preview = CataloguePreview()
    for table, rows in incoming.items():
        if rows.empty:
            continue
        whole = table in ("targets", "target_quotas") and replace  # the file is the whole list of its plans: compare with all of it
        scope = "plan" if whole else KEYS[table][0]
        existing = store.frame(f"SELECT * FROM {table} WHERE {scope} IN (SELECT unnest(?::VARCHAR[]))",
                               [sorted({str(v) for v in rows[scope]})])
        _table(preview, table, existing, rows, whole)
    return preview


def _label(table: str, key: tuple) -> str:
    if table == "targets":
        return "/".join(reversed(key))
    if table == "target_quotas":
        return f"{key[1]}/{key[0]} → {key[2]}"
    return " · ".join(str(k) for k in key)


def _table(preview: CataloguePreview, table: str, existing: pd.DataFrame, rows: pd.DataFrame, whole: bool) -> None:
    keys = KEYS[table]
    old = {tuple(r[k] for k in keys): r for r in existing.to_dict("records")}
    counts = dict.fromkeys(CHANGES, 0)
    for new in rows.to_dict("records"):
        key = tuple(new[k] for k in keys)
        if key not in old:
            counts["created"] += 1
            preview.changes.append(Change(table, _label(table, key), "created"))
            continue
        before = old.pop(key)
        fields = [(c, before.get(c), v) for c, v in new.items() if c not in keys and not _same(before.get(c), v)]
        counts["updated" if fields else "unchanged"] += 1
        if fields:
            preview.changes.append(Change(table, _label(table, key), "updated", fields))
    for key in old if whole else ():
        counts["removed"] += 1
        preview.changes.append(Change(table, _label(table, key), "removed"))
    if not whole:
        del counts["removed"]
    preview.counts[table] = counts
