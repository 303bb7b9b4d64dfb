"""Labels in Vietnamese (first) and English. Status codes are stable; only their labels are translated."""

from __future__ import annotations

LANGUAGES = ("vi", "en")

STATUS_LABELS = {
    "target_achieved": ("Đã đạt", "Target achieved"),
    "substantial_progress": ("Đúng tiến độ", "On track"),
    "moderate_progress": ("Cần đẩy nhanh", "Needs acceleration"),
    "limited_progress": ("Chậm tiến độ", "Limited progress"),
    "deterioration": ("Đi lùi", "Deteriorating"),
    "not_available": ("Chưa đủ dữ liệu", "Not enough data"),
    "no_target": ("Chưa có chỉ tiêu", "No target set"),
}

#: A symbol per status so that status never rests on colour alone.
STATUS_SYMBOLS = {
    "target_achieved": "✔",
    "substantial_progress": "▲",
    "moderate_progress": "►",
    "limited_progress": "▼",
    "deterioration": "✖",
    "not_available": "?",
    "no_target": "–",
}

#: An annual target missed in a year whose trend cannot be judged yet (status ``not_available``).
MISSED_SYMBOL = "✗"
MISSED_LABEL = ("chưa đạt trong năm", "not met this year")

#: Okabe–Ito colour-blind-safe palette, one colour per status.
STATUS_COLOURS = {
    "target_achieved": "#009E73",
    "substantial_progress": "#56B4E9",
    "moderate_progress": "#E69F00",
    "limited_progress": "#D55E00",
    "deterioration": "#CC79A7",
    "not_available": "#BBBBBB",
    "no_target": "#DDDDDD",
}

TARGET_TYPE_LABELS = {
    "level": ("Đạt mức đến cuối nhiệm kỳ", "Level by the end year"),
    "cumulative": ("Cộng dồn cả nhiệm kỳ", "Cumulative over the term"),
    "annual_floor": ("Mức tối thiểu hằng năm", "Annual floor"),
    "annual_ceiling": ("Mức tối đa hằng năm", "Annual ceiling"),
    "annual_band": ("Khung hằng năm", "Annual band"),
    "unit_band": ("Khung bình quân mỗi đơn vị", "Per-unit band"),
}

LEVEL_LABELS = {
    "national": ("Toàn quốc", "National"),
    "province": ("Tỉnh", "Province"),
    "upper": ("Công đoàn cấp trên trực tiếp cơ sở", "Upper-level union"),
    "grassroots": ("Công đoàn cơ sở", "Grassroots union"),
}

SECTOR_LABELS = {
    "public_admin": ("Hành chính, sự nghiệp", "Public administration"),
    "state_enterprise": ("Doanh nghiệp nhà nước", "State enterprise"),
    "non_state": ("Ngoài nhà nước", "Non-state"),
}

PROVENANCE_LABELS = {
    "published": ("Số liệu công bố", "Published"),
    "illustrative": ("Số liệu minh họa", "Illustrative"),
    "imported": ("Số liệu nhập", "Imported"),
}

BAND_LABELS = {
    "below": ("dưới khung", "below the band"),
    "within": ("trong khung", "within the band"),
    "above": ("vượt khung", "above the band"),
}


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "vi" else pair[1]


def status_label(code: str, lang: str = "vi") -> str:
    return pick(STATUS_LABELS[code], lang)


def status_badge(code: str, lang: str = "vi") -> str:
    """Symbol and label: ``✔ Đã đạt``."""
    return f"{STATUS_SYMBOLS[code]} {status_label(code, lang)}"


def row_badge(status: str, missed: bool, lang: str = "vi") -> str:
    """The badge of a status row: ``? Chưa đủ dữ liệu · chưa đạt trong năm`` when a year was missed."""
    if missed:
        return f"{MISSED_SYMBOL} {status_label(status, lang)} · {pick(MISSED_LABEL, lang)}"
    return status_badge(status, lang)


def name(record: dict, field: str, lang: str = "vi") -> str:
    """``record[field + '_vi']`` or its English twin, falling back to Vietnamese."""
    if lang == "en" and record.get(f"{field}_en"):
        return record[f"{field}_en"]
    return record.get(f"{field}_vi") or ""
