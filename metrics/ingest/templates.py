"""Blank files to fill: one row per unit × indicator of a plan for one year, with names and measures.

A template is a long-layout values file; its helper columns (unit name, indicator name, measure) are
for people and ignored on import. Rows left without a figure must be deleted before importing.
"""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from metrics.errors import UserError
from metrics.i18n import name
from metrics.scorecard import Scorecard
from metrics.store import OBSERVATION_COLUMNS, Store
from metrics.text import safe_cell

HEADERS = {
    "vi": ["đơn vị", "tên đơn vị", "chỉ tiêu", "tên chỉ tiêu", "đơn vị tính", "năm", "giá trị", "tử số", "mẫu số",
           "nguồn", "ghi chú"],
    "en": ["unit", "unit name", "indicator", "indicator name", "measure", "year", "value", "numerator",
           "denominator", "source", "note"],
}
GUIDE = {
    "vi": ["Cách điền", "",
           "Mỗi dòng là một chỉ số của một đơn vị trong một năm. Điền cột “giá trị”; với tỷ lệ (%) có thể điền "
           "“tử số” và “mẫu số” thay cho giá trị.",
           "Số viết kiểu Việt Nam (111.258; 92,14) hoặc kiểu Anh (111,258; 92.14) đều được; tỷ lệ có hoặc "
           "không có dấu %.",
           "Xóa các dòng chưa có số liệu trước khi nhập: một dòng để trống giá trị sẽ bị báo lỗi.",
           "Các cột “tên đơn vị”, “tên chỉ tiêu”, “đơn vị tính” chỉ để đọc; không cần sửa.",
           "Nhập tệp ở trang Nhập dữ liệu, hoặc: python -m metrics import TỆP"],
    "en": ["How to fill in", "",
           "Each row is one indicator of one unit in one year. Fill in “value”; for a percentage you may give "
           "“numerator” and “denominator” instead.",
           "Numbers may be written the Vietnamese way (111.258; 92,14) or the English way (111,258; 92.14); "
           "percentages with or without %.",
           "Delete the rows you have no figure for before importing: a row without a value is reported as an error.",
           "The columns “unit name”, “indicator name” and “measure” are for reading only.",
           "Import the file on the Import page, or: python -m metrics import FILE"],
}


def rows(store: Store, plan: str, year: int, units: list[str] | None = None, lang: str = "vi") -> pd.DataFrame:
    """The template's rows: the plan's unit and its upper-level unions (or ``units``) × their indicators."""
    card = Scorecard(store, observations=pd.DataFrame(columns=[*OBSERVATION_COLUMNS, "batch"]))
    if plan not in card.plans:
        store.plan(plan)  # raises the unknown-plan message
    scope = card.units_for(plan, year)
    if units:
        known = {u.code: u for u in scope}
        missing = [c for c in units if c not in known]
        if missing:
            raise UserError("unknown-unit",
                            f"Các đơn vị {', '.join(missing)} không thuộc kế hoạch {plan} trong năm {year}.",
                            f"Units {', '.join(missing)} are not part of plan {plan} in {year}.")
        scope = [known[c] for c in units]
    else:
        scope = [u for u in scope if u.level in ("province", "upper")]
    targets = card.targets(plan)
    province_only = {t["indicator"] for t in targets if t["applies_to"] == "province"}
    records = []
    for unit in scope:
        wanted = {t["indicator"] for t in targets if card.applies(t, unit)}
        if unit.level != "province":
            wanted |= province_only
        for code in sorted(wanted, key=lambda c: _order(targets, c)):
            indicator = card.indicators[code]
            records.append([unit.code, unit.name(lang), code, name(indicator, "name", lang),
                            _measure(indicator, lang), year, None, None, None, None, None])
    return pd.DataFrame(records, columns=HEADERS[lang])


def _order(targets: list[dict], indicator: str) -> int:
    return min(t["sort_order"] for t in targets if t["indicator"] == indicator)


def _measure(indicator: dict, lang: str) -> str:
    measure = name(indicator, "measure", lang)
    if indicator["kind"] in ("ratio", "rate") and indicator.get("numerator_vi"):
        parts = (f"tử số: {name(indicator, 'numerator', lang)}; mẫu số: {name(indicator, 'denominator', lang)}"
                 if lang == "vi" else
                 f"numerator: {name(indicator, 'numerator', lang)}; denominator: {name(indicator, 'denominator', lang)}")
        return f"{measure} ({parts})"
    return measure


def as_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM (Excel opens it with the right letters), semicolons (Excel in Vietnam splits on them).

    Names come from the catalogue: one starting with ``=`` stays text in a spreadsheet (``safe_cell``).
    """
    return ("\ufeff" + frame.map(safe_cell).to_csv(index=False, sep=";", lineterminator="\r\n")).encode("utf-8")


def as_xlsx(frame: pd.DataFrame, lang: str = "vi") -> bytes:
    """A workbook: the rows to fill (codes kept as text), and a sheet that says how to fill them."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Số liệu" if lang == "vi" else "Values"
    sheet.append(list(frame.columns))
    for record in frame.itertuples(index=False):
        sheet.append([safe_cell(v) for v in record])
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), header_fill
    widths = [12, 40, 26, 40, 30, 8, 12, 12, 12, 24, 24]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
    for row in sheet.iter_rows(min_row=2, min_col=1, max_col=3):
        for cell in row:
            cell.number_format = "@"  # codes such as 00001 stay text
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("Hướng dẫn" if lang == "vi" else "Instructions")
    for line in GUIDE[lang]:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=13)
    guide.column_dimensions["A"].width = 110
    for row in guide.iter_rows():
        row[0].alignment = Alignment(wrap_text=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
