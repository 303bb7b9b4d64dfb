"""The words of every import problem, in Vietnamese and English: what is wrong and what to do.

A problem is found in SQL as ``(row, column, value, code, detail)``; ``detail`` is a short,
language-free string (a year range, a row number, candidate codes) that the message spells out.
"""

from __future__ import annotations

from collections.abc import Callable

from metrics.vocabulary.errors import UserError
from metrics.vocabulary.problems import Problem
from metrics.vocabulary.text import visible

WARNINGS = {"unknown-column", "implausible-change", "value-without-parts", "own-figure-over-units"}

Words = Callable[[str, str, str], tuple[str, str]]


def _num(text: str, lang: str) -> str:
    """``111258`` → ``111.258`` (vi) / ``111,258`` (en), as ``fmt.number`` writes it, without babel's cost
    (thousands of warnings are worded at once)."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return text
    written = f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    return written.translate(str.maketrans(",.", ".,")) if lang == "vi" else written


def _did_you_mean(detail: str) -> tuple[str, str]:
    return (f" Có phải là: {detail}?", f" Did you mean: {detail}?") if detail else ("", "")


def _unknown_unit(value, detail, column):
    hint_vi, hint_en = _did_you_mean(detail)
    return (f"Không tìm thấy đơn vị “{value}”.{hint_vi} Hãy ghi mã đơn vị (ví dụ 883) hoặc tên đầy đủ như trong "
            "danh sách đơn vị; không cần phân biệt hoa thường hay dấu.",
            f"No unit “{value}” is known.{hint_en} Write the unit code (e.g. 883) or its full name as in the "
            "unit list; case and diacritics do not matter.")


def _unknown_indicator(value, detail, column):
    hint_vi, hint_en = _did_you_mean(detail)
    return (f"Không có chỉ số “{value}”.{hint_vi} Hãy ghi mã chỉ số như trong tệp mẫu (ví dụ members, "
            "cba_coverage) hoặc tên đầy đủ của chỉ số.",
            f"There is no indicator “{value}”.{hint_en} Write the indicator code as in the template (e.g. "
            "members, cba_coverage) or its full name.")


def _unit_not_valid(value, detail, column):
    kind, _, info = detail.partition(":")
    if kind == "successor":
        return (f"Đơn vị “{value}” đã ngừng hoạt động trước cuối năm này; đơn vị kế thừa là {info}. "
                "Hãy ghi số liệu cho đơn vị kế thừa, hoặc kiểm tra lại năm.",
                f"Unit “{value}” had ceased before the end of this year; it is continued by {info}. "
                "Report the figure under the successor, or check the year.")
    if kind == "from":
        return (f"Đơn vị “{value}” chỉ hoạt động từ {info}, nên chưa có trong năm này. Hãy kiểm tra lại năm "
                "hoặc đơn vị.",
                f"Unit “{value}” exists only from {info}, so not in this year. Check the year or the unit.")
    return (f"Đơn vị “{value}” không hoạt động vào cuối năm này ({info}). Hãy kiểm tra lại năm hoặc đơn vị.",
            f"Unit “{value}” did not exist at the end of this year ({info}). Check the year or the unit.")


def _implausible(value, detail, column):
    year, _, previous = detail.partition(":")
    return (f"Giá trị {value} thay đổi bất thường so với năm {year} ({_num(previous, 'vi')}). Hãy kiểm tra lại; "
            "nếu đúng thì cứ nhập (đây chỉ là cảnh báo).",
            f"The value {value} differs unusually from {year} ({_num(previous, 'en')}). Please check it; if it "
            "is right, import anyway (this is only a warning).")


def _mismatch(value, detail, column):
    return (f"Giá trị {value} không khớp với tử số/mẫu số (tính ra {_num(detail, 'vi')}). Hãy sửa một trong hai, "
            "hoặc chỉ ghi tử số và mẫu số.",
            f"The value {value} does not match numerator/denominator (they give {_num(detail, 'en')}). Correct one "
            "of them, or give only the numerator and denominator.")


CONVENTIONS = {
    "vi": ("tệp này viết số kiểu Việt Nam: dấu chấm ngăn hàng nghìn, dấu phẩy thập phân",
           "this file writes numbers the Vietnamese way: dot for thousands, comma for decimals"),
    "en": ("tệp này viết số kiểu Anh: dấu phẩy ngăn hàng nghìn, dấu chấm thập phân",
           "this file writes numbers the English way: comma for thousands, dot for decimals"),
}


def _not_integer(value, detail, column):
    reading, _, convention = detail.partition("|")
    vi_note, en_note = CONVENTIONS.get(convention, ("", ""))
    return (f"“{value}” được đọc là {_num(reading, 'vi') if '.' not in reading else reading.replace('.', ',')}, "
            "nhưng chỉ số này đếm số lượng nên phải là số nguyên."
            + (f" Lưu ý: {vi_note}." if vi_note else "") + " Hãy sửa lại số.",
            f"“{value}” reads as {reading}, but this indicator counts things and needs a whole number."
            + (f" Note: {en_note}." if en_note else "") + " Correct the number.")


def _too_large(value, detail, column):
    return (f"“{value}” lớn quá mức hợp lý cho chỉ số này (tối đa {_num(detail, 'vi')}). Có thể thừa chữ số, hoặc số "
            "bị ghi dạng 1e20; hãy kiểm tra lại với báo cáo gốc và sửa.",
            f"“{value}” is larger than any plausible figure of this indicator (at most {_num(detail, 'en')}). A digit "
            "too many, or a number written as 1e20? Check it against the source report and correct it.")


def _fixed(vi: str, en: str) -> Words:
    return lambda value, detail, column: (vi.format(value=value, detail=detail, column=column),
                                          en.format(value=value, detail=detail, column=column))


def _unreadable(value, detail, column):
    kind, _, where = detail.partition(":")
    if kind == "binary":
        return (f"Tệp không phải là tệp văn bản CSV: có dữ liệu nhị phân (byte điều khiển ở vị trí {where}); có thể "
                "đây là tệp Excel, PDF, Word hay ảnh bị đổi đuôi thành .csv. Hãy mở tệp gốc bằng Excel rồi lưu dưới dạng "
                "CSV UTF-8 hoặc Excel (.xlsx) và tải lên lại.",
                f"This is not a CSV text file: it holds binary data (a control byte at position {where}); it may be an "
                "Excel, PDF, Word or image file renamed to .csv. Open the original in Excel, save it as CSV UTF-8 or "
                "Excel (.xlsx) and upload it again.")
    return (f"Không đọc được tệp ({detail}). Hãy lưu lại dưới dạng CSV (UTF-8) hoặc Excel (.xlsx) rồi tải lên lại.",
            f"The file cannot be read ({detail}). Save it as CSV (UTF-8) or Excel (.xlsx) and upload it again.")


def _long_cell(value, detail, column):
    over = detail.startswith(">")
    length = detail.lstrip(">")
    vi = ("hơn " if over else "") + _num(length, "vi")
    en = ("over " if over else "") + _num(length, "en")
    return (f"Ô này dài {vi} ký tự, quá mức cho phép (10.000). Hãy rút ngắn nội dung (ghi chú, nguồn), hoặc kiểm tra "
            "tệp có thiếu dấu ngoặc kép đóng khiến nhiều dòng bị gộp vào một ô.",
            f"This cell is {en} characters long, more than allowed (10,000). Shorten it (note, source), or check "
            "that a missing closing quote has not merged many lines into one cell.")


MESSAGES: dict[str, Words] = {
    "unreadable-file": _unreadable,
    "suspicious-workbook": _fixed(
        "Tệp Excel có cấu trúc bất thường ({detail}): khi mở ra sẽ lớn hơn rất nhiều so với kích thước tệp (có thể là "
        "“bom nén” hoặc trang tính có ô ở rất xa), nên không được mở. Hãy chép vùng số liệu sang một tệp Excel mới, "
        "lưu lại rồi tải lên; hoặc lưu dưới dạng CSV UTF-8.",
        "The Excel file is built strangely ({detail}): opened, it would be far larger than the file itself (a "
        "“zip bomb”, or a sheet with a cell very far away), so it is not opened. Copy the figures into a new "
        "workbook and upload that, or save them as CSV UTF-8."),
    "too-many-columns": _fixed(
        "Tệp có {detail} cột, quá mức cho phép (200). Tệp số liệu chỉ cần các cột đơn vị, chỉ tiêu, năm, giá trị… "
        "(xem tệp mẫu): hãy xóa các cột thừa, hoặc kiểm tra đã chọn đúng trang tính.",
        "The file has {detail} columns, more than allowed (200). A values file needs only unit, indicator, year, "
        "value … (see the template): delete the extra columns, or check that you chose the right sheet."),
    "cell-too-long": _long_cell,
    "mixed-encoding": _fixed(
        "Tệp được lưu bằng UTF-8 nhưng từ dòng này có chữ được lưu bằng bảng mã khác (thường là Windows-1258 "
        "hoặc TCVN3, khi dán từ một tệp cũ), nên đọc kiểu nào cũng sẽ có chữ bị sai dấu. Hãy mở tệp, gõ lại các "
        "dòng bị lỗi chữ rồi lưu toàn bộ dưới dạng CSV UTF-8 (hoặc Excel) và tải lên lại.",
        "The file is saved as UTF-8, but from this row on it holds text in another encoding (usually Windows-1258 "
        "or TCVN3, pasted from an older file), so part of it would be garbled whichever way it is read. Open the "
        "file, retype the garbled lines, save it all as CSV UTF-8 (or Excel) and upload it again."),
    "empty-file": _fixed(
        "Tệp không có dòng số liệu nào dưới dòng tiêu đề. Hãy kiểm tra đã chọn đúng tệp/trang tính.",
        "The file has no data rows under its header. Check that you chose the right file or sheet."),
    "file-too-large": _fixed(
        "Tệp quá lớn ({detail}). Hãy chia thành nhiều tệp nhỏ hơn.",
        "The file is too large ({detail}). Split it into smaller files."),
    "wrong-field-count": _fixed(
        "Dòng này có nhiều ô hơn dòng tiêu đề ({detail}). Thường do số có dấu phẩy thập phân (92,14) mà không đặt "
        "trong ngoặc kép; hãy lưu tệp với dấu chấm phẩy (;) làm dấu phân cách, hoặc dùng Excel.",
        "This row has more cells than the header ({detail}). Usually a decimal comma (92,14) without quotes; save "
        "the file with semicolons (;) as separator, or use Excel."),
    "missing-column": _fixed(
        "Thiếu cột “{column}” ({detail}). Hãy thêm cột này vào dòng tiêu đề (xem tệp mẫu).",
        "The column “{column}” is missing ({detail}). Add it to the header row (see the template)."),
    "duplicate-column": _fixed(
        "Cột “{column}” xuất hiện hơn một lần (cùng nghĩa với cột “{detail}”). Hãy xóa hoặc đổi tên một cột.",
        "The column “{column}” appears more than once (same meaning as “{detail}”). Remove or rename one."),
    "wide-layout-parts": _fixed(
        "Bảng mỗi năm một cột chỉ nhận giá trị, không nhận cột “{column}”. Để nhập tử số và mẫu số, hãy dùng bảng "
        "một dòng cho mỗi đơn vị × chỉ số × năm (xem tệp mẫu).",
        "A table with one column per year takes values only, not “{column}”. To give numerators and "
        "denominators, use one row per unit × indicator × year (see the template)."),
    "unknown-column": _fixed(
        "Không nhận ra cột “{column}”; cột này được bỏ qua. Nếu đây là số liệu, hãy đổi tên tiêu đề theo tệp mẫu.",
        "The column “{column}” is not recognised and is ignored. If it holds figures, rename it as in the template."),
    "missing-value": _fixed(
        "Ô trống; cột “{column}” cần có giá trị. Hãy điền vào, hoặc xóa dòng nếu chưa có số liệu.",
        "Empty cell; “{column}” needs a value. Fill it in, or delete the row if there is no figure yet."),
    "unknown-unit": _unknown_unit,
    "ambiguous-unit": _fixed(
        "Tên “{value}” trùng với nhiều đơn vị ({detail}). Hãy ghi mã đơn vị thay cho tên.",
        "The name “{value}” matches several units ({detail}). Write the unit code instead."),
    "unknown-indicator": _unknown_indicator,
    "ambiguous-indicator": _fixed(
        "Tên “{value}” trùng với nhiều chỉ số ({detail}). Hãy ghi mã chỉ số.",
        "The name “{value}” matches several indicators ({detail}). Write the indicator code."),
    "invalid-year": _fixed(
        "“{value}” không phải là năm. Hãy ghi năm bằng 4 chữ số, ví dụ 2025.",
        "“{value}” is not a year. Write the year with 4 digits, e.g. 2025."),
    "year-outside-plan": _fixed(
        "Năm {value} nằm ngoài các kỳ kế hoạch đã nạp và kỳ trước mỗi kế hoạch (nhận các năm {detail}). Hãy kiểm tra "
        "lại năm, hoặc nạp kế hoạch có năm đó trước (python -m metrics targets import).",
        "The year {value} is outside the terms of the loaded plans and the term before each (years {detail} are "
        "accepted). Check the year, or first load the plan that covers it (python -m metrics targets import)."),
    "unit-not-valid-in-year": _unit_not_valid,
    "outside-scope": _fixed(
        "Đơn vị “{value}” nằm ngoài phạm vi được giao cho bạn ({detail} và các đơn vị trực thuộc). Hãy bỏ dòng "
        "này khỏi tệp, hoặc nhờ người được giao đơn vị đó nhập.",
        "The unit “{value}” is outside the scope you were given ({detail} and the units below it). Remove this "
        "row from the file, or ask someone whose scope covers that unit to import it."),
    "not-a-number": _fixed(
        "“{value}” không phải là số. Hãy ghi số, ví dụ 111.258 hoặc 92,14.",
        "“{value}” is not a number. Write a number, e.g. 111,258 or 92.14."),
    "ambiguous-number": _fixed(
        "Không rõ “{value}” là số nguyên có dấu phân cách hàng nghìn hay số thập phân. Hãy viết rõ: bỏ dấu phân "
        "cách hàng nghìn (1234) hoặc thêm chữ số thập phân (1,250).",
        "It is unclear whether “{value}” has a thousands separator or a decimal point. Write it unambiguously: "
        "no thousands separator (1234), or more decimals (1.250)."),
    "not-an-integer": _not_integer,
    "negative-count": _fixed(
        "Số lượng không thể âm ({value}). Hãy sửa lại.",
        "A count cannot be negative ({value}). Correct it."),
    "number-too-large": _too_large,
    "formula-error": _fixed(
        "Ô này là công thức và kết quả Excel lưu là lỗi {value} (chia cho 0, tham chiếu hỏng…), không phải số. Hãy sửa "
        "công thức trong Excel, hoặc ghi số liệu thay cho công thức.",
        "This cell is a formula whose stored result is the error {value} (a division by 0, a broken reference …), "
        "not a number. Correct the formula in Excel, or type the figure instead of the formula."),
    "formula-without-value": _fixed(
        "Ô này là công thức ({value}) nhưng tệp không lưu kết quả của nó (tệp do một chương trình không tính công "
        "thức tạo ra), nên không có số để đọc. Hãy mở tệp bằng Excel hoặc LibreOffice để tính lại rồi lưu, hoặc ghi "
        "số liệu thay cho công thức.",
        "This cell is a formula ({value}) but the file does not hold its result (it was made by a program that does "
        "not calculate), so there is no number to read. Open the file in Excel or LibreOffice so that it "
        "recalculates, save it, or type the figure instead of the formula."),
    "control-character": _fixed(
        "Ô này chứa ký tự điều khiển vô hình ({detail}, hiện là �), thường do dán từ một chương trình khác; ký "
        "tự như vậy làm rối màn hình và tệp xuất nên không được nhận. Hãy gõ lại nội dung ô rồi lưu tệp.",
        "This cell holds an invisible control character ({detail}, shown as �), usually pasted from another "
        "program; such characters garble screens and exports, so they are not accepted. Retype the cell and save "
        "the file."),
    "number-too-small": _fixed(
        "“{value}” khác 0 nhưng nhỏ đến mức máy chỉ đọc được thành 0. Hãy ghi số như trong báo cáo (ví dụ 0,0001 "
        "hoặc 0), không ghi dạng 1e-400.",
        "“{value}” is not zero but so small that it can only be read as 0. Write the figure as the report gives it "
        "(e.g. 0.0001, or 0), not as 1e-400."),
    "percent-out-of-range": _fixed(
        "Tỷ lệ phần trăm phải từ 0 đến 100; “{value}” nằm ngoài khoảng này. Hãy ghi phần trăm (92,14), "
        "không ghi phân số (0,9214) hay số lượng.",
        "A percentage must be between 0 and 100; “{value}” is not. Write the percentage (92.14), not a "
        "fraction (0.9214) or a count."),
    "unexpected-percent": _fixed(
        "Chỉ số này không phải tỷ lệ phần trăm, nên “{value}” không được có dấu %. Hãy ghi số lượng.",
        "This indicator is not a percentage, so “{value}” cannot carry a % sign. Write the count."),
    "numerator-above-denominator": _fixed(
        "Tử số ({value}) lớn hơn mẫu số ({detail}). Hãy kiểm tra lại hai cột này.",
        "The numerator ({value}) is larger than the denominator ({detail}). Check the two columns."),
    "zero-denominator": _fixed(
        "Mẫu số bằng 0 nên không tính được tỷ lệ. Hãy sửa mẫu số hoặc xóa dòng.",
        "The denominator is 0, so no ratio can be computed. Correct it or delete the row."),
    "value-parts-mismatch": _mismatch,
    "unexpected-parts": _fixed(
        "Chỉ số này là số lượng, không có tử số/mẫu số. Hãy ghi số vào cột giá trị và để trống tử số, mẫu số.",
        "This indicator is a count without numerator/denominator. Put the figure in the value column and "
        "leave numerator and denominator empty."),
    "duplicate-row": _fixed(
        "Trùng đơn vị, chỉ số và năm với dòng {detail}. Hãy giữ một dòng.",
        "Same unit, indicator and year as row {detail}. Keep one of them."),
    "invalid-provenance": _fixed(
        "“{value}” không hợp lệ; chọn một trong: published, illustrative, imported (hoặc để trống).",
        "“{value}” is not allowed; use one of: published, illustrative, imported (or leave it empty)."),
    "implausible-change": _implausible,
    "own-figure-over-units": _fixed(
        "Dòng này ghi số riêng {value} cho một đơn vị mà tệp cũng có số của {detail} đơn vị trực thuộc: số riêng được "
        "dùng, số của các đơn vị trực thuộc không được cộng lên cho đơn vị này. Nếu số của đơn vị chỉ là tổng các đơn vị "
        "trực thuộc, hãy để trống dòng này.",
        "This row gives the unit's own figure {value} while the file also gives figures for {detail} units below it: "
        "the own figure counts, and those units' figures are not added up for it. If the unit's figure is only the "
        "sum of the units below, leave this row blank."),
    "value-without-parts": _fixed(
        "Chỉ có tỷ lệ {value}, không có tử số và mẫu số: giá trị được ghi cho đơn vị này nhưng không được cộng vào "
        "số của đơn vị cấp trên (tỷ lệ chung = tổng tử số ÷ tổng mẫu số). Nên ghi thêm tử số và mẫu số.",
        "Only the rate {value} is given, without numerator and denominator: it is recorded for this unit but "
        "cannot be added into its parent's figure (the overall rate is Σnumerator ÷ Σdenominator). Give the "
        "numerator and denominator as well if you can."),
}


class FileRejected(UserError):
    """A file stopped before it is read any further (too large, binary, a zip bomb …), with its problem."""

    def __init__(self, code: str, detail: str = "", row: int | None = None, column: str | None = None):
        self.problem = problem(row, column, None, code, detail)
        super().__init__(code, self.problem.message_vi, self.problem.message_en)


def problem(row: int | None, column: str | None, value: str | None, code: str, detail: str | None = None,
            unit: str | None = None, indicator: str | None = None) -> Problem:
    """A ``Problem`` with its message in both languages; severity follows from the code. File text in it
    (value, column, detail, the row's unit and indicator) is ``visible``: a terminal escape in a cell is
    shown, never obeyed."""
    value, column, detail = visible(value), visible(column), visible(detail)
    unit, indicator = visible(unit), visible(indicator)
    vi, en = MESSAGES[code](value if value is not None else "", detail or "", column or "")
    return Problem(row, column, value, code, vi, en, "warning" if code in WARNINGS else "error", unit, indicator)
