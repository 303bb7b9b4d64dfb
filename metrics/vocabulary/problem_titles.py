"""A problem's kind in words (``implausible-change`` → ``Thay đổi bất thường``), for the pages that list
problems. The code stays the stable identifier in files and on the command line; a reader gets words.

``tests/test_problem_titles.py`` keeps every code the import and the catalogue files can report in this table.
"""

from __future__ import annotations

import pandas as pd

TITLES = {
    # reading the file
    "unreadable-file": ("Không đọc được tệp", "Unreadable file"),
    "suspicious-workbook": ("Tệp Excel đáng ngờ", "Suspicious workbook"),
    "too-many-columns": ("Quá nhiều cột", "Too many columns"),
    "cell-too-long": ("Ô quá dài", "Cell too long"),
    "empty-file": ("Tệp trống", "Empty file"),
    "file-too-large": ("Tệp quá lớn", "File too large"),
    "wrong-field-count": ("Sai số ô trong dòng", "Wrong number of cells"),
    "missing-column": ("Thiếu cột", "Missing column"),
    "duplicate-column": ("Cột trùng tên", "Duplicate column"),
    "wide-layout-parts": ("Bảng theo năm có tử số, mẫu số", "Parts in a wide layout"),
    "unknown-column": ("Cột không dùng đến", "Unknown column"),
    "unknown-file-kind": ("Không nhận ra loại tệp", "Unknown kind of file"),
    # each row
    "missing-value": ("Thiếu giá trị", "Missing value"),
    "unknown-unit": ("Không có đơn vị này", "Unknown unit"),
    "ambiguous-unit": ("Tên đơn vị trùng nhau", "Ambiguous unit"),
    "unknown-indicator": ("Không có chỉ số này", "Unknown indicator"),
    "ambiguous-indicator": ("Tên chỉ số trùng nhau", "Ambiguous indicator"),
    "invalid-year": ("Năm không hợp lệ", "Invalid year"),
    "year-outside-plan": ("Năm ngoài kế hoạch", "Year outside the plan"),
    "unit-not-valid-in-year": ("Đơn vị không hoạt động năm này", "Unit not active that year"),
    "outside-scope": ("Đơn vị ngoài phạm vi của bạn", "Unit outside your scope"),
    "not-a-number": ("Không phải số", "Not a number"),
    "ambiguous-number": ("Số đọc được hai cách", "Ambiguous number"),
    "not-an-integer": ("Không phải số nguyên", "Not a whole number"),
    "negative-count": ("Số âm", "Negative count"),
    "percent-out-of-range": ("Tỷ lệ ngoài 0–100%", "Percentage out of range"),
    "unexpected-percent": ("Dấu % không đúng chỗ", "Unexpected percentage"),
    "numerator-above-denominator": ("Tử số lớn hơn mẫu số", "Numerator above denominator"),
    "zero-denominator": ("Mẫu số bằng 0", "Zero denominator"),
    "value-parts-mismatch": ("Giá trị không khớp tử số, mẫu số", "Value and parts disagree"),
    "unexpected-parts": ("Tử số, mẫu số không áp dụng", "Parts not expected"),
    "duplicate-row": ("Dòng trùng lặp", "Duplicate row"),
    "invalid-provenance": ("Loại số liệu không hợp lệ", "Invalid provenance"),
    "implausible-change": ("Thay đổi bất thường", "Implausible change"),
    "own-figure-over-units": ("Số riêng thay cho tổng đơn vị trực thuộc", "Own figure over its units' sum"),
    "mixed-encoding": ("Lẫn bảng mã chữ", "Mixed text encodings"),
    "number-too-large": ("Số quá lớn", "Number too large"),
    "number-too-small": ("Số quá nhỏ", "Number too small"),
    "formula-error": ("Công thức bị lỗi", "Formula error"),
    "formula-without-value": ("Công thức chưa có kết quả", "Formula without a value"),
    "control-character": ("Có ký tự điều khiển", "Control character"),
    "value-without-parts": ("Tỷ lệ thiếu tử số, mẫu số", "Percentage without parts"),
    # plans, targets and units files
    "unknown-plan": ("Không có kế hoạch này", "Unknown plan"),
    "duplicate-target": ("Chỉ tiêu trùng lặp", "Duplicate target"),
    "invalid-period": ("Thời gian không hợp lệ", "Invalid period"),
    "overlapping-period": ("Thời gian chồng lấn", "Overlapping periods"),
    "missing-parent": ("Thiếu đơn vị cấp trên", "Missing parent unit"),
    "invalid-band": ("Khung chỉ tiêu không hợp lệ", "Invalid band"),
    "floor-needs-up": ("Mức tối thiểu cần chiều tăng", "A floor needs 'up'"),
    "ceiling-needs-down": ("Mức tối đa cần chiều giảm", "A ceiling needs 'down'"),
    "cumulative-needs-flow": ("Cộng dồn cần chỉ số phát sinh", "Cumulative needs a flow"),
    "cumulative-needs-up": ("Cộng dồn cần chiều tăng", "Cumulative needs 'up'"),
    "unit-band-needs-rate": ("Khung mỗi đơn vị cần chỉ số bình quân", "A per-unit band needs a rate"),
    "unknown-target": ("Không có chỉ tiêu này", "Unknown target"),
    "wrong-file-kind": ("Sai loại tệp cho lệnh này", "Wrong kind of file for this command"),
    "unexpected-value-high": ("Cận trên không áp dụng", "High end not expected"),
    "duplicate-quota": ("Giao trùng chỉ tiêu cho một đơn vị", "Quota given twice to one unit"),
    "quota-not-below": ("Đơn vị không thuộc đơn vị của kế hoạch", "Unit not below the plan's unit"),
    "quota-mismatch": ("Mức giao khác chỉ tiêu", "Quota unlike its target"),
    "quota-on-band": ("Không giao được chỉ tiêu dạng khung", "A band cannot be divided"),
    "negative-quota": ("Mức giao âm", "Negative quota"),
    "basis-needs-amount": ("Số kế hoạch cần chỉ số số lượng", "The plan figure needs an amount"),
    "base-year-not-before-deadline": ("Năm gốc không trước năm đích", "Base year not before the deadline"),
    "invalid-day": ("Ngày không hợp lệ", "Invalid date"),
    "year-not-in-plan": ("Năm ngoài nhiệm kỳ", "Year outside the plan"),
    "invalid-phone": ("Số điện thoại không hợp lệ", "Invalid phone number"),
    "invalid-email": ("Email không hợp lệ", "Invalid email address"),
}


def title(code: str, lang: str = "vi") -> str:
    """The words for ``code``; a code without words (added since) reads as its words separated by spaces."""
    vi, en = TITLES.get(code, (code.replace("-", " "), code.replace("-", " ")))
    return vi if lang == "vi" else en


def frame(problems: pd.DataFrame, lang: str, words) -> pd.DataFrame:
    """A problems table (``metrics.vocabulary.problems.to_frame``) as a page shows it: headers in ``lang`` (``words`` is
    the page's own ``t``), the kind of each problem in words."""
    return pd.DataFrame({
        words("col_row", lang): problems["row"], words("col_column", lang): problems["column"],
        words("col_value", lang): problems["value"] if lang == "vi" else problems["value_en"].fillna(problems["value"]),
        words("col_code", lang): problems["code"].map(lambda code: title(code, lang)),
        words("col_message", lang): problems[f"message_{lang}"]})
