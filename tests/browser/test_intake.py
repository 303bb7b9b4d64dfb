"""A real .xlsx uploaded through the import page in Chromium: sheet, check, preview, confirm, overview."""

import shutil

import pytest
from openpyxl import Workbook

from tests.browser.conftest import ARTIFACTS, assert_no_error, sign_in, streamlit_server, wait_rendered
from tests.helpers import PASSWORD, add_user


@pytest.fixture(scope="module")
def analyst_server(demo_db, tmp_path_factory):
    """A server on a database of the module's own (the import writes to it), with an analyst who signs in."""
    path = tmp_path_factory.mktemp("intake") / "kpi.duckdb"
    shutil.copy(demo_db, path)
    add_user(path, "lan", "analyst")
    with streamlit_server(path) as url:
        yield url


def workbook(path):
    """Instructions first; the figures on the second sheet, numbers stored as numbers."""
    book = Workbook()
    book.active.title = "Hướng dẫn"
    book.active["A1"] = "Số liệu ở trang sau"
    sheet = book.create_sheet("Số liệu")
    sheet.append(["Đơn vị", "Chỉ tiêu", "Năm", "Giá trị"])
    sheet.append(["AG-2025", "members", 2026, 130000])
    sheet.append(["Liên đoàn Lao động thành phố Châu Đốc", "members", 2024, 9000])
    book.save(path)


def test_an_excel_file_is_imported_through_the_page(analyst_server, tmp_path, browser):
    xlsx = tmp_path / "bao-cao-2026.xlsx"
    workbook(xlsx)
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        page.goto(f"{analyst_server}/import")
        wait_rendered(page)
        sign_in(page, "lan", PASSWORD)
        page.get_by_role("heading", name="Nhập dữ liệu").wait_for()
        wait_rendered(page)
        assert_no_error(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(xlsx))
        page.get_by_text("Trang tính", exact=True).wait_for()
        wait_rendered(page)
        page.locator('[data-testid="stSelectbox"]').filter(has_text="Trang tính").click()
        page.get_by_role("option", name="Số liệu").click()
        wait_rendered(page)
        page.get_by_role("button", name="Kiểm tra tệp").click()
        page.get_by_text("Tệp hợp lệ").wait_for()
        wait_rendered(page)
        assert_no_error(page)
        page.get_by_text("trang tính “Số liệu”").wait_for()
        page.screenshot(path=str(ARTIFACTS / "intake-preview.png"), full_page=True)
        page.get_by_role("button", name="Xác nhận nhập 2 giá trị").click()
        page.get_by_text("Đã nhập đợt #3").wait_for()
        wait_rendered(page)
        page.get_by_role("tab", name="Lịch sử nhập").click()
        # the history lists the new batch with its file and who imported it (the grid's accessible table)
        page.get_by_role("gridcell", name="bao-cao-2026.xlsx", include_hidden=True).wait_for(state="attached")
        page.get_by_role("gridcell", name="lan", exact=True, include_hidden=True).wait_for(state="attached")
        wait_rendered(page)
        page.screenshot(path=str(ARTIFACTS / "intake-history.png"), full_page=True)
        page.get_by_role("link", name="Tổng quan", exact=True).click()
        page.get_by_text("130.000").first.wait_for()
        wait_rendered(page)
        assert_no_error(page)
        page.screenshot(path=str(ARTIFACTS / "intake-overview-after.png"), full_page=True)
    finally:
        context.close()


def test_a_rejected_file_lists_every_problem_in_the_browser(analyst_server, page, tmp_path):
    bad = tmp_path / "bao-cao.csv"
    bad.write_text("đơn vị;chỉ tiêu;năm;giá trị\nLong Xuyen;members;2024;12.345\n884;members;2024;abc\n",
                   encoding="utf-8")
    page.goto(f"{analyst_server}/import")
    wait_rendered(page)
    sign_in(page, "lan", PASSWORD)
    page.get_by_role("heading", name="Nhập dữ liệu").wait_for()
    wait_rendered(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    page.get_by_role("button", name="Kiểm tra tệp").wait_for()
    wait_rendered(page)
    page.get_by_role("button", name="Kiểm tra tệp").click()
    page.get_by_text("không thể nhập").wait_for()
    wait_rendered(page)
    table = page.locator('[data-testid="stTable"]')
    # Each problem in words, never its code (unknown-unit, not-a-number).
    for text in ("Không có đơn vị này", "Không phải số", "Có phải là: Công đoàn phường Long Xuyên"):
        table.get_by_text(text).first.wait_for()  # raises if it never shows
    assert table.get_by_text("unknown-unit").count() == 0 and table.get_by_text("not-a-number").count() == 0
    page.get_by_role("button", name="Tải tệp kèm cột lỗi").wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
