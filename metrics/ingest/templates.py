"""Files to fill: one row per unit × indicator of a plan for one year, with names and measures, blank or
filled with the figures in force (for corrections).

A template is a long-layout values file that imports as it comes: its helper columns (unit name, indicator
name, measure, how it adds up) are for people and ignored, and rows left without a figure are skipped. A
row whose figure is the sum of units below it in the template says so; filled in, it is that unit's own
figure and replaces the sum.
"""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from metrics.domain.records import Indicator, Target
from metrics.judging.scorecard import Scorecard
from metrics.storage.store import OBSERVATION_COLUMNS, Store
from metrics.vocabulary.errors import UserError
from metrics.vocabulary.i18n import name
from metrics.vocabulary.kinds import PART_KINDS
from metrics.vocabulary.shared import number_or_none
from metrics.vocabulary.text import safe_cell

HEADERS = {
    "vi": ["đơn vị", "tên đơn vị", "chỉ tiêu", "tên chỉ tiêu", "đơn vị tính", "năm", "giá trị", "tử số", "mẫu số",
           "nguồn", "ghi chú", "cách tính"],
    "en": ["unit", "unit name", "indicator", "indicator name", "measure", "year", "value", "numerator",
           "denominator", "source", "note", "how it adds up"],
}
FIGURES = slice(6, 11)  # value, numerator, denominator, source, note
SUM = {"vi": "tổng của các đơn vị trực thuộc ở dưới: để trống, trừ khi có số riêng của đơn vị",
       "en": "the sum of the units below: leave blank unless the unit has its own figure"}
GUIDE = {
    "vi": ["Cách điền", "",
           "Mỗi dòng là một chỉ số của một đơn vị trong một năm. Điền cột “giá trị”; với tỷ lệ (%) có thể điền "
           "“tử số” và “mẫu số” thay cho giá trị.",
           "Số viết kiểu Việt Nam (111.258; 92,14) hoặc kiểu Anh (111,258; 92.14) đều được; tỷ lệ có hoặc "
           "không có dấu %.",
           "Dòng để trống số liệu được bỏ qua khi nhập (số đã có không bị xóa): không cần xóa dòng nào.",
           "Dòng có cột “cách tính” ghi “tổng của các đơn vị trực thuộc” được tự cộng từ các đơn vị ở dưới: để trống; "
           "nếu điền, số đó là số riêng của đơn vị và thay cho tổng.",
           "Tệp mẫu điền sẵn (--filled) có số liệu hiện hành: chỉ sửa ô cần sửa rồi nhập lại; ô không đổi không bị ghi.",
           "Các cột “tên đơn vị”, “tên chỉ tiêu”, “đơn vị tính”, “cách tính” chỉ để đọc; không cần sửa.",
           "Nhập tệp ở trang Nhập dữ liệu, hoặc: python -m metrics import TỆP"],
    "en": ["How to fill in", "",
           "Each row is one indicator of one unit in one year. Fill in “value”; for a percentage you may give "
           "“numerator” and “denominator” instead.",
           "Numbers may be written the Vietnamese way (111.258; 92,14) or the English way (111,258; 92.14); "
           "percentages with or without %.",
           "Rows left without a figure are skipped on import (figures already there stay): no need to delete any.",
           "A row whose “how it adds up” says “the sum of the units below” is added up from them: leave it blank; "
           "filled in, it is the unit's own figure and replaces the sum.",
           "A filled template (--filled) holds the figures in force: change only the cells to correct and import it; "
           "unchanged cells are not written again.",
           "The columns “unit name”, “indicator name”, “measure” and “how it adds up” are for reading only.",
           "Import the file on the Import page, or: python -m metrics import FILE"],
}


def rows(store: Store, plan: str, year: int, units: list[str] | None = None, lang: str = "vi",
         filled: bool = False, within: str | None = None) -> pd.DataFrame:
    """The template's rows: the plan's unit and its upper-level unions (or ``units``) × their indicators;
    ``filled``: with each unit's own figure in force in ``year``, its source and note. ``within``: an analyst's
    scope; by default that unit and the units directly below it, and never a unit outside its subtree."""
    card = Scorecard(store, observations=pd.DataFrame(columns=[*OBSERVATION_COLUMNS, "batch"]))
    if plan not in card.plans:
        store.plan(plan)  # raises the unknown-plan message
    scope = _scope(card, plan, year, units, within)
    wanted = _indicators(card, plan, scope, year)
    below = {(u.parent, code) for u in scope for code in wanted[u.code]}
    records = []
    for unit in scope:
        for code in sorted(wanted[unit.code], key=lambda c: _order(card.targets(plan), c)):
            indicator = card.indicators[code]
            records.append([unit.code, unit.name(lang), code, name(indicator, "name", lang),
                            _measure(indicator, lang), year, None, None, None, None, None,
                            SUM[lang] if (unit.code, code) in below else None])
    frame = pd.DataFrame(records, columns=HEADERS[lang])
    return _fill(store, frame, year) if filled else frame


def _scope(card: Scorecard, plan: str, year: int, units: list[str] | None, within: str | None = None) -> list:
    tree = card.org.tree(year)
    scope = [u for u in card.units_for(plan, year) if u.code in tree]  # (a merged unit before it: its parts report)
    if within:
        allowed = {within, *card.org.descendants(within, year)}
        scope = [u for u in scope if u.code in allowed]
        if not units:
            return [u for u in scope if within in (u.code, u.parent)]
    if not units:
        return [u for u in scope if u.level in ("province", "upper")]
    known = {u.code: u for u in scope}
    missing = [c for c in units if c not in known]
    if missing:
        raise UserError("unknown-unit",
                        f"Các đơn vị {', '.join(missing)} không thuộc kế hoạch {plan} trong năm {year}.",
                        f"Units {', '.join(missing)} are not part of plan {plan} in {year}.")
    return [known[c] for c in units]


def _indicators(card: Scorecard, plan: str, scope: list, year: int) -> dict[str, set[str]]:
    """Each unit's indicators: those of the targets tracked for it; units below the plan's unit also report
    those of the targets set for the plan's unit alone (its figure is built from theirs), and so do, before a
    merger, the units the plan's merged unit was formed from."""
    targets = card.targets(plan)
    province_only = {t.indicator for t in targets if t.applies_to == "province"}
    root = card.root(plan, year)
    wanted = {}
    for unit in scope:
        wanted[unit.code] = {t.indicator for t in targets if card.applies(t, unit)}
        if unit.level != "province":
            wanted[unit.code] |= province_only
        if unit.code in card.stand_ins(plan) and root is not None:  # a unit the plan's merged unit adds up
            wanted[unit.code] |= {t.indicator for t in targets if card.applies(t, root)}
    return wanted


def _fill(store: Store, frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """The units' own figures in force in ``year`` (never a sum from below: that one fills itself)."""
    unit, indicator = frame.columns[0], frame.columns[2]
    found = store.observations(indicators=sorted(set(frame[indicator])), units=sorted(set(frame[unit])))
    found = found[found["year"] == year].set_index(["unit", "indicator"])
    for index, (code, what) in enumerate(zip(frame[unit], frame[indicator])):
        if (code, what) in found.index:
            cell = found.loc[(code, what)]
            frame.iloc[index, FIGURES] = [number_or_none(cell["value"]), number_or_none(cell["numerator"]),
                                          number_or_none(cell["denominator"]), cell["source"], cell["note"]]
    return frame




def _order(targets: list[Target], indicator: str) -> int:
    return min(t.sort_order for t in targets if t.indicator == indicator)


def _measure(indicator: Indicator, lang: str) -> str:
    measure = name(indicator, "measure", lang)
    if indicator.kind in PART_KINDS and indicator.numerator_vi:
        parts = (f"tử số: {name(indicator, 'numerator', lang)}; mẫu số: {name(indicator, 'denominator', lang)}"
                 if lang == "vi" else
                 f"numerator: {name(indicator, 'numerator', lang)}; denominator: {name(indicator, 'denominator', lang)}")
        return f"{measure} ({parts})"
    return measure


def as_csv(frame: pd.DataFrame, lang: str = "vi") -> bytes:
    """UTF-8 with BOM (Excel opens it with the right letters), semicolons (Excel in Vietnam splits on them).

    Figures are written so that the import reads them back exactly: no thousands separator, a decimal comma
    in Vietnamese (a dot in English), never exactly three decimals (``1,125`` could be a thousand). Names
    come from the catalogue: one starting with ``=`` stays text in a spreadsheet (``safe_cell``).
    """
    frame = frame.copy()
    for column in frame.columns[6:9]:
        frame[column] = frame[column].map(lambda v: _written(v, lang))
    return ("\ufeff" + frame.map(safe_cell).to_csv(index=False, sep=";", lineterminator="\r\n")).encode("utf-8")


def _written(value, lang: str) -> str | None:
    if isinstance(value, str) or value is None or pd.isna(value):  # typed by a person: as it is
        return value
    if float(value).is_integer():
        return str(int(value))
    text = repr(float(value))
    if len(text.split(".")[1]) == 3:
        text += "0"
    return text.replace(".", ",") if lang == "vi" else text


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
    widths = [12, 40, 26, 40, 30, 8, 12, 12, 12, 24, 24, 40]
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
