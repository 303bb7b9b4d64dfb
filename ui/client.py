"""What the dashboard asks of the browser itself, once per run, before the page is drawn.

Streamlit has no API for the language of its own controls (the file uploader's "Upload", a
multiselect's "Choose options", the dataframe toolbar's tooltips …) nor for ``<html lang>``, and the
server never knows the width of the screen. So a small script of ours (``client.js``, inserted with
``st.html``; no data in it) sets ``lang``, puts Streamlit's own English words in Vietnamese as they appear
(an exact list, below, checked in the browser by tests/browser/test_screens.py), hides chart labels and
year ticks that would collide at the width the chart is drawn, and puts the slideshow in full screen
from its start button. Layout by width is CSS (``client.css``): media queries on Streamlit's containers.
Plotly's own words go through Plotly's supported ``config.locales`` (``PLOTLY_LOCALES``).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import streamlit as st

from metrics.judging import charts

HERE = Path(__file__).parent
SCRIPT = (HERE / "client.js").read_text(encoding="utf-8")
STYLE = (HERE / "client.css").read_text(encoding="utf-8")

#: Streamlit 1.67's own English, exactly as its frontend writes it (text, aria-label, title, placeholder).
STREAMLIT_VI = {
    # file uploader
    "Upload": "Tải lên",
    "Browse files": "Chọn tệp",
    "Drag and drop file here": "Kéo thả tệp vào đây",
    "Drag and drop a file here": "Kéo thả một tệp vào đây",
    "Drag and drop files here": "Kéo thả các tệp vào đây",
    "Add files": "Thêm tệp",
    "file upload": "tải tệp lên",
    "Remove file": "Bỏ tệp",
    # selectbox, multiselect
    "Choose an option": "Chọn một mục",
    "Choose options": "Chọn các mục",
    "No results": "Không có kết quả",
    "Clear all": "Xóa hết",
    "Clear value": "Xóa lựa chọn",
    "Selected values": "Các mục đã chọn",
    "Open": "Mở",
    "Close": "Đóng",
    "Dismiss": "Đóng",
    # date input
    "Choose date": "Chọn ngày",
    "Choose date range": "Chọn khoảng ngày",
    "Clear date": "Xóa ngày",
    "Clear dates": "Xóa ngày",
    "Previous month": "Tháng trước",
    "Next month": "Tháng sau",
    "Quick select a date range": "Chọn nhanh khoảng ngày",
    "Past Week": "Tuần qua",
    "Past Month": "Tháng qua",
    "Past 3 Months": "3 tháng qua",
    "Past 6 Months": "6 tháng qua",
    "Past Year": "Năm qua",
    "Past 2 Years": "2 năm qua",
    "Calendar": "Lịch",
    # dataframes and the element toolbar
    "Show/hide columns": "Ẩn/hiện cột",
    "Download as CSV": "Tải về dạng CSV",
    "Search": "Tìm kiếm",
    "Close Search": "Đóng tìm kiếm",
    "Fullscreen": "Toàn màn hình",
    "Close fullscreen": "Thoát toàn màn hình",
    "Toggle fullscreen": "Bật/tắt toàn màn hình",
    "Dataframe column menu": "Trình đơn của cột",
    "Copy column name": "Chép tên cột",
    "Sort ascending": "Sắp xếp tăng dần",
    "Sort descending": "Sắp xếp giảm dần",
    "Autosize": "Tự chỉnh độ rộng",
    "Pin column": "Ghim cột",
    "Unpin column": "Bỏ ghim cột",
    "Hide column": "Ẩn cột",
    "Format": "Định dạng",
    # frame, pages, tabs
    "Collapse sidebar": "Thu gọn thanh bên",
    "Expand sidebar": "Mở thanh bên",
    "Sidebar": "Thanh bên",
    "App pages": "Các trang",
    "Skip to main content": "Đến nội dung chính",
    "Link to heading": "Liên kết đến đề mục",
    "Main menu": "Trình đơn",
    "Running...": "Đang chạy…",
    "Stop script": "Dừng",
    "Scroll tabs left": "Cuộn thẻ sang trái",
    "Scroll tabs right": "Cuộn thẻ sang phải",
    "Pagination": "Phân trang",
    "Previous page": "Trang trước",
    "Next page": "Trang sau",
    "Vega visualization": "Biểu đồ nhỏ",
    "Page not found": "Không tìm thấy trang",
    # Streamlit's dialog when its navigation resolves no page (ui/navigation.py registers every one-level address)
    "The page that you have requested does not seem to exist. Running the app's main page.":
        "Không có trang ở địa chỉ này; đang mở trang chính.",
    "Copy to clipboard": "Chép vào bộ nhớ tạm",
}
#: Words Streamlit builds around a value: (JavaScript regular expression, replacement).
STREAMLIT_VI_PATTERNS = [
    (r"^(\S+) per file( • .*)?$", r"Tối đa $1 mỗi tệp$2"),
    (r"^Upload (.+)$", r"Tải lên $1"),
    (r"^Remove (.+)$", r"Bỏ $1"),
    (r"^Page (\d+)$", r"Trang $1"),
    (r"^(.*) start date$", r"$1: ngày đầu"),
    (r"^(.*) end date$", r"$1: ngày cuối"),
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = {"Su": "CN", "Mo": "T2", "Tu": "T3", "We": "T4", "Th": "T5", "Fr": "T6", "Sa": "T7"}

#: Plotly's own words (its modebar, hints), through ``config.locales``: Plotly ships no Vietnamese
#: dictionary (its ``vi`` locale has dates only), so here is one, inline: nothing is fetched.
PLOTLY_VI = {
    "Autoscale": "Tự co giãn",
    "Box Select": "Chọn vùng chữ nhật",
    "Compare data on hover": "So sánh số liệu khi rê chuột",
    "Double-click on legend to isolate one trace": "Bấm đúp vào chú giải để chỉ xem một chuỗi",
    "Double-click to zoom back out": "Bấm đúp để thu nhỏ lại",
    "Download plot as a PNG": "Tải biểu đồ (PNG)",
    "Download plot as a png": "Tải biểu đồ (PNG)",
    "Download plot": "Tải biểu đồ",
    "Lasso Select": "Chọn bằng dây",
    "Pan": "Kéo",
    "Produced with Plotly.js": "Vẽ bằng Plotly.js",
    "Produced with Plotly": "Vẽ bằng Plotly",
    "Reset": "Đặt lại",
    "Reset axes": "Đặt lại trục",
    "Reset view": "Đặt lại khung nhìn",
    "Reset views": "Đặt lại khung nhìn",
    "Show closest data on hover": "Hiện số liệu gần nhất khi rê chuột",
    "Snapshot succeeded": "Đã tạo ảnh",
    "Sorry, there was a problem downloading your snapshot!": "Không tải được ảnh biểu đồ.",
    "Taking snapshot - this may take a few seconds": "Đang tạo ảnh, xin đợi vài giây",
    "Preparing image - this may take a few seconds": "Đang chuẩn bị ảnh, xin đợi vài giây",
    "Toggle Spike Lines": "Bật/tắt đường gióng",
    "Toggle show closest data on hover": "Bật/tắt hiện số liệu gần nhất",
    "Zoom": "Phóng to vùng",
    "Zoom in": "Phóng to",
    "Zoom out": "Thu nhỏ",
    "trace": "chuỗi",
}
PLOTLY_LOCALES = {"vi": {"dictionary": PLOTLY_VI, "format": {
    "days": ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"],
    "shortDays": ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
    "months": [f"tháng {m}" for m in range(1, 13)],
    "shortMonths": [f"th{m}" for m in range(1, 13)],
    "date": "%d/%m/%Y", "decimal": ",", "thousands": ".",
}}}


# Streamlit loads the code of a chart or a table the first time a page shows one (Plotly's is megabytes
# to parse); the script loads these while the first page is read, so the first click on a page with a
# chart does not wait for it. Names as this Streamlit ships them; none found, nothing is preloaded.
JS_FOLDER = Path(st.__file__).parent / "static" / "static" / "js"
PRELOAD = [found[0].name for stem in ("PlotlyChart", "DataFrame", "withFullScreenWrapper")
           if (found := sorted(JS_FOLDER.glob(f"{stem}.*.js")))]


@st.cache_resource(show_spinner=False)
def _warm_up_plotly() -> threading.Thread:
    """Once per process, in the background: Plotly's first figure costs a third of a second."""
    thread = threading.Thread(target=charts.warm_up, name="plotly-warm-up", daemon=True)
    thread.start()
    return thread


def words(lang: str) -> dict | None:
    """The translations the script applies in a session of ``lang`` (None: English, Streamlit's own)."""
    if lang != "vi":
        return None
    exact = {**STREAMLIT_VI, **WEEKDAYS, **{m: f"Tháng {i}" for i, m in enumerate(MONTHS, 1)}}
    months = [[rf"^{m} (\d{{4}})$", f"Tháng {i}/$1"] for i, m in enumerate(MONTHS, 1)]  # a calendar's heading
    return {"exact": exact, "patterns": [list(p) for p in STREAMLIT_VI_PATTERNS] + months}


#: What the warm-up chart of ``client.js`` is drawn with: the pages' own Plotly config and font, so that it
#: runs the code of a real first drawing (ui/widgets.py's ``PLOTLY_CONFIG`` is this config).
PLOTLY_CONFIG = {"displaylogo": False, "locales": PLOTLY_LOCALES, "responsive": True,
                 "modeBarButtons": [["toImage"]], "toImageButtonOptions": {"format": "png", "scale": 2}}
CHART = {"config": PLOTLY_CONFIG, "font": charts.FONT}


def script(lang: str) -> str:
    settings = json.dumps({"lang": lang, "words": words(lang), "preload": PRELOAD, "chart": CHART},
                          ensure_ascii=False)
    return SCRIPT.replace("KPI;", f"{settings};", 1)


def inject(lang: str) -> None:
    """Our CSS and script, first thing of every run (an element of no height, in a hidden container)."""
    _warm_up_plotly()
    with st.container(key="kpi-client"):
        st.html(f"<style>{STYLE}</style><script>{script(lang)}</script>", unsafe_allow_javascript=True)
