"""Labels in Vietnamese (first) and English. Statuses have their own table: ``metrics.vocabulary.statuses``."""

from __future__ import annotations

from typing import Any

LANGUAGES = ("vi", "en")

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
    "provisional": ("◐ tạm tính (chưa duyệt)", "◐ provisional (not approved)"),
}

# A figure that counts a value of a batch not yet approved: a symbol and a word, never a colour alone.
PROVISIONAL_MARK = "◐"
PROVISIONAL_WORDS = {"vi": "tạm tính", "en": "provisional"}


def provisional_mark(lang: str) -> str:
    """``◐ tạm tính`` / ``◐ provisional``."""
    return f"{PROVISIONAL_MARK} {PROVISIONAL_WORDS['vi' if lang == 'vi' else 'en']}"

BAND_LABELS = {
    "below": ("dưới khung", "below the band"),
    "within": ("trong khung", "within the band"),
    "above": ("vượt khung", "above the band"),
}


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "vi" else pair[1]


def name(record: Any, field: str, lang: str = "vi") -> str:
    """``record[field + '_vi']`` or its English twin, falling back to Vietnamese."""
    if lang == "en" and record.get(f"{field}_en"):
        return record[f"{field}_en"]
    return record.get(f"{field}_vi") or ""
