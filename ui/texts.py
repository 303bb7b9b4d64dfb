"""Words of the dashboard's own interface, Vietnamese first. Domain labels live in ``metrics.i18n``."""

from __future__ import annotations

TEXTS = {
    "app_title": ("Theo dõi chỉ tiêu Nghị quyết Đại hội Công đoàn", "Union congress targets"),
    "language": ("Ngôn ngữ", "Language"),
    "plan": ("Kế hoạch", "Plan"),
    "year": ("Năm", "Year"),
    "unit": ("Đơn vị", "Unit"),
    "as_of": ("Số liệu tại thời điểm", "Data as of"),
    "as_of_latest": ("Mới nhất", "Latest"),
    "page_overview": ("Tổng quan", "Overview"),
    "page_target": ("Chỉ tiêu", "Target"),
    "page_units": ("Đơn vị", "Units"),
    "page_about": ("Về số liệu", "About the data"),
    "illustrative_banner": (
        "Đang hiển thị **số liệu minh họa** (demo) bên cạnh số liệu công bố; số liệu minh họa không phải "
        "số liệu chính thức.",
        "Showing **illustrative** (demo) figures beside published ones; illustrative figures are not official.",
    ),
    "error_generic": (
        "Đã xảy ra lỗi khi hiển thị trang này. Lỗi đã được ghi lại; hãy tải lại trang hoặc chọn kế hoạch/năm khác.",
        "Something went wrong while showing this page. The error was logged; reload the page or choose "
        "another plan or year.",
    ),
    "no_plan": (
        "Chưa có kế hoạch nào trong cơ sở dữ liệu. Hãy nạp kế hoạch và chỉ tiêu: python -m metrics targets import …",
        "There is no plan in the database yet. Load plans and targets: python -m metrics targets import …",
    ),
    "col_group": ("Nhóm", "Group"),
    "col_target": ("Chỉ tiêu", "Target"),
    "col_actual": ("Thực hiện", "Actual"),
    "col_target_value": ("Chỉ tiêu đề ra", "Target value"),
    "col_achievement": ("Đạt (%)", "Achieved (%)"),
    "col_status": ("Đánh giá", "Status"),
    "col_year": ("Năm số liệu", "Data year"),
}


def t(key: str, lang: str) -> str:
    vi, en = TEXTS[key]
    return vi if lang == "vi" else en
