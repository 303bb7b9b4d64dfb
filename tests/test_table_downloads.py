"""Every table of the leaders' pages comes with CSV and Excel downloads (made by ``ui.widgets.table``)."""

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from metrics.exports import data
from tests.helpers import copy_database


@pytest.fixture(scope="module")
def demo_path(demo_template, tmp_path_factory):
    path = copy_database(demo_template, tmp_path_factory.mktemp("tables"), "kpi.duckdb")
    return path


@pytest.fixture
def page(demo_path, dashboard):
    """A leaders' page, public (tests/test_roles.py signs in), checked for exceptions and errors."""
    def open_page(path, **session):
        return dashboard(demo_path, path, **session)

    return open_page


@pytest.mark.parametrize("path, session, tables", [
    ("views/target.py", {"target": "HN1a", "year": 2026}, 2),  # years met, values and sources
    ("views/units.py", {"unit": "883", "year": 2024, "units_view": "unit"}, 1),
    # with the units late on 3/12/2026 (the demo's 2026 is due 30/11/2026; the page's date box, default today)
    ("views/about.py", {"year": 2026, "about_overdue_on": dt.date(2026, 12, 3)}, 6),
    ("views/about.py", {"year": 2026, "about_overdue_on": dt.date(2026, 11, 30)}, 5),  # nobody late yet
    ("views/overview.py", {"overview_detail": "table"}, 1),
])
def test_each_table_has_csv_and_excel_downloads(page, path, session, tables):
    at = page(path, **session)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("Tải CSV") == tables and labels.count("Tải Excel") == tables
    assert len(at.dataframe) == tables


def test_table_files_keep_the_index_and_neutralise_formulas():
    frame = pd.DataFrame({"Đơn vị": ["=HYPERLINK(\"x\")", "Long Xuyên"], "Giá trị": [1.5, -2.0]},
                         index=pd.Index([2024, 2025], name="Năm"))
    text = data.table_csv(frame, index=True).decode("utf-8-sig").splitlines()
    assert text == ["Năm,Đơn vị,Giá trị", "2024,\"'=HYPERLINK(\"\"x\"\")\",1.5", "2025,Long Xuyên,-2.0"]
    sheet = openpyxl.load_workbook(io.BytesIO(data.table_xlsx(frame, index=True))).active
    assert [c.value for c in sheet[2]] == [2024, "'=HYPERLINK(\"x\")", 1.5]
    assert sheet["B2"].data_type == "s" and sheet["C3"].value == -2


def test_the_overview_table_shows_every_row_both_bounds_and_no_term_count_as_pace(page):
    """The table view dropped a band's upper bound and put "đạt 2/3 năm" in its pace column."""
    at = page("views/overview.py", overview_detail="table")
    frame = at.dataframe[0].value  # drawn at the height of its rows: tests/browser/test_screens.py
    hn1a = frame[frame["Chỉ tiêu"].str.startswith("HN1a")].iloc[0]
    assert hn1a["Chỉ tiêu đề ra"] == "80–90%"
    assert hn1a["Tiến độ cần"] == "—" and hn1a["Số năm đạt"] == "2/3"
    assert not frame["Tiến độ cần"].str.contains("đạt").any()  # "đạt 2/3 năm" is no pace
    nk1b = frame[frame["Chỉ tiêu"].str.startswith("NK1b")].iloc[0]
    assert nk1b["Tiến độ cần"] == "mỗi năm cần +10.606"
