"""Reporting deadlines and who is late (issue 19): the overdue list of the shipped demo, its Excel list read back,
its reminder letters opened and read, the deadlines and contacts checked on the way in, on DuckDB and PostgreSQL.

The demo's 2026 deadline is 30/11/2026 and two ward unions have not reported four figures each: counted on
03/12/2026 they are three days late.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import duckdb
import pandas as pd
import pytest
import streamlit as st
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from metrics.judging.overdue import overdue
from metrics.judging.scorecard import Scorecard
from metrics.storage import audit
from metrics.storage.migrations import MIGRATIONS, migrate
from metrics.storage.store import Store
from tests.helpers import ROOT, add_user, run_cli, sign_in

PLAN = "DH-XI-2023-2028"
ON = dt.date(2026, 12, 3)
LATE = ["CD-P-LONGXUYEN", "CD-P-RACHGIA"]
# in the resolution's order (HN1b, HN2b-1, HN5a, HN7a), as the letters list them, not by code
MISSING = ["workers_skills_training", "dialogue_state_enterprises", "fulltime_officials_trained", "members_using_welfare"]


def late_list(path, year=2026, on=ON, lang="vi"):
    store = Store.open(path, read_only=True)
    try:
        return overdue(Scorecard(store), PLAN, year, on, lang=lang)
    finally:
        store.close()


def test_the_demo_lists_its_late_units_with_what_is_missing_how_late_and_whom_to_call(demo_db):
    found = late_list(demo_db)
    assert [u.code for u in found.units] == LATE
    first = found.units[0]
    assert (list(first.missing), first.expected, first.days_late) == (MISSING, 27, 3)
    assert first.missing_vi[0] == "CNLĐ học tập nâng cao trình độ, kỹ năng nghề"
    assert first.contact.line() == "Nguyễn Thị Thu Hà · 0296 3000 101 · vanphong.longxuyen@example.org"
    assert found.headline("vi") == ("2 đơn vị chưa báo cáo đủ số liệu năm 2026: hạn 30/11/2026, đến 03/12/2026 đã trễ "
                                    "3 ngày.")
    assert late_list(demo_db, on=dt.date(2027, 1, 15)).units[0].days_late == 46


def test_the_letters_come_from_the_federation_in_force_on_the_deadline_and_list_figures_in_the_plan_s_order(demo_db):
    """The plan was set for An Giang before the 2025 merger (unit AG, ended 30/06/2025): the list named it for a
    2026 deadline, and listed the missing figures by their codes' order instead of the resolution's."""
    from metrics.exports.reminders import Letter, reminder_pdf

    found = late_list(demo_db)
    assert (found.federation("vi"), found.federation("en")) == (
        "Liên đoàn Lao động tỉnh An Giang (sau hợp nhất)", "An Giang Provincial Federation of Labour (merged)")
    before = late_list(demo_db, year=2024)  # due 15/01/2025: before the merger, the old federation asked
    assert before.federation("en") == "An Giang Provincial Federation of Labour"
    letter = " ".join(PdfReader(io.BytesIO(reminder_pdf(found, Letter.for_list(found)))).pages[0].extract_text().split())
    listed = [letter.index(f"{n}. {text}") for n, text in enumerate(found.units[0].missing_vi, start=1)]
    assert listed == sorted(listed) and found.units[0].missing_vi[:2] == (
        "CNLĐ học tập nâng cao trình độ, kỹ năng nghề", "DNNN tổ chức đối thoại, hội nghị người lao động")


@pytest.mark.parametrize("year, on, words", [
    (2026, dt.date(2026, 11, 30), "Hạn báo cáo số liệu năm 2026 là 30/11/2026: chưa đến hạn, chưa đơn vị nào trễ hạn."),
    (2025, dt.date(2026, 12, 3), "Không có đơn vị nào trễ hạn: mọi đơn vị đã báo cáo đủ số liệu năm 2025 (hạn 15/01/2026)."),
    (2023, dt.date(2026, 12, 3), "Chưa đặt hạn báo cáo số liệu năm 2023: quản trị viên đặt hạn ở trang Quản trị"),
])
def test_an_empty_list_says_why_plainly(demo_db, year, on, words):
    found = late_list(demo_db, year, on)
    assert found.units == () and found.headline("vi").startswith(words)


def test_late_units_come_in_vietnamese_name_order_not_byte_order(demo_db, tmp_path):
    """``Đ`` comes right after ``D`` in Vietnamese; in bytes it comes after ``Z``, so Đông Xuyên would be last."""
    units = list(csv.DictReader((ROOT / "data" / "units.csv").open(encoding="utf-8")))
    row = next(r for r in units if r["code"] == "CD-P-LONGXUYEN")
    renamed = tmp_path / "units.csv"
    with renamed.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(row))
        writer.writeheader()
        writer.writerow({**row, "name_vi": "Công đoàn phường Đông Xuyên"})
    run_cli("units", "import", renamed, db=demo_db)
    names = [u.name_vi for u in late_list(demo_db).units]
    assert names == ["Công đoàn phường Đông Xuyên", "Công đoàn phường Rạch Giá"]
    assert sorted(names) != names  # byte order would differ: the test can tell


@pytest.mark.slow
def test_the_command_line_writes_the_list_the_excel_file_and_the_letters(demo_db, tmp_path):
    done = run_cli("overdue", "--year", "2026", "--on", "03/12/2026", db=demo_db)
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [(r["unit"], r["days_late"], r["missing"], r["due"]) for r in rows] == [
        (code, "3", "|".join(MISSING), "2026-11-30") for code in LATE]
    assert rows[1]["contact_phone"] == "0297 3000 102" and "trễ 3 ngày" in done.stderr

    run_cli("overdue", "--year", "2026", "--on", "03/12/2026", "--format", "xlsx", "--out", tmp_path / "l.xlsx",
            "--lang", "en", db=demo_db)
    sheet = pd.read_excel(tmp_path / "l.xlsx", engine="calamine")
    assert list(sheet.columns[:3]) == ["No.", "Unit code", "Unit"]
    assert list(sheet["Unit"]) == ["Long Xuyen Ward Trade Union", "Rach Gia Ward Trade Union"]
    assert list(sheet["Days late"]) == [3, 3] and list(sheet["Deadline"]) == ["30/11/2026"] * 2

    run_cli("overdue", "--year", "2026", "--on", "03/12/2026", "--format", "pdf", "--out", tmp_path / "l.pdf",
            "--new-date", "17/12/2026", "--signer", "TM. BAN THƯỜNG VỤ|PHÓ CHỦ TỊCH", db=demo_db)
    pages = [page.extract_text() for page in PdfReader(tmp_path / "l.pdf").pages]
    assert len(pages) == 2  # one letter a unit
    assert "Kính gửi: Công đoàn phường Long Xuyên" in pages[0] and "Công đoàn phường Rạch Giá" in pages[1]
    for page in pages:
        flat = " ".join(page.split())
        assert "LIÊN ĐOÀN LAO ĐỘNG TỈNH AN GIANG" in flat and "Độc lập – Tự do – Hạnh phúc" in flat
        assert "chậm nhất ngày 30/11/2026" in flat and "đã trễ hạn 3 ngày" in flat and "còn thiếu 4/27 chỉ số" in flat
        assert "trước ngày 17/12/2026" in flat and "PHÓ CHỦ TỊCH" in flat
        assert "Cán bộ công đoàn chuyên trách được đào tạo, bồi dưỡng" in flat


@pytest.mark.slow
def test_a_letter_with_every_figure_missing_still_fits_its_page(demo_db, tmp_path):
    """A unit that reported nothing lists 27 figures: shrunk onto its page, never spilling onto the next unit's."""
    store = Store.open(demo_db)
    try:
        with store.transaction() as cur:
            cur.execute("UPDATE observations SET replaced_by = 0 WHERE unit = 'CD-P-RACHGIA' AND year = 2026")
    finally:
        store.close()
    run_cli("overdue", "--year", "2026", "--on", "03/12/2026", "--format", "pdf", "--out", tmp_path / "l.pdf",
            db=demo_db)
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "l.pdf").pages]
    assert len(pages) == 2 and "còn thiếu 27/27 chỉ số" in pages[1] and "27. " in pages[1]


def test_deadlines_are_set_listed_and_audited_and_a_wrong_one_changes_nothing(demo_db, tmp_path):
    done = run_cli("deadlines", "set", "--year", "2027", "--date", "15/01/2028", "--note", "CV 12/LĐLĐ", db=demo_db)
    assert "15/01/2028" in done.stdout
    assert "DH-XI-2023-2028,2027,15/01/2028,CV 12/LĐLĐ" in run_cli("deadlines", "list", db=demo_db).stdout
    for wrong, says in ((["--year", "2027", "--date", "31/02/2028"], "“31/02/2028” không phải ngày"),
                        (["--year", "2031", "--date", "15/01/2032"], "Năm 2031 ngoài nhiệm kỳ 2023–2028"),
                        (["--plan", "NOPE", "--year", "2027", "--date", "15/01/2028"], "Không có kế hoạch “NOPE”")):
        refused = run_cli("deadlines", "set", *wrong, db=demo_db, check=False)
        assert refused.returncode == 1 and says in refused.stderr
    file = tmp_path / "han.csv"
    file.write_text("Kế hoạch,Năm,Hạn báo cáo\nDH-XI-2023-2028,2027,01/02/2028\nDH-XI-2023-2028,2028,15-01-2029\n",
                    encoding="utf-8")
    refused = run_cli("deadlines", "import", file, db=demo_db, check=False)
    assert refused.returncode == 1 and "15-01-2029" in refused.stderr
    store = Store.open(demo_db, read_only=True)
    try:
        assert store.rows("SELECT due FROM reporting_deadlines WHERE year = 2027") == [(dt.date(2028, 1, 15),)]
        log = audit.entries(store)
        assert list(log["action"]).count("deadline-set") == 1
    finally:
        store.close()


def test_a_malformed_contact_is_refused_by_row_and_column_and_nothing_is_written(demo_db, tmp_path):
    file = tmp_path / "units.csv"
    file.write_text("code,name_vi,kind,parent,valid_from,source,Người liên hệ,Điện thoại,Email\n"
                    "X1,Công đoàn xã Thử,commune_union,AG-2025,2025-07-01,illustrative: thử,Lan,0296 38,lan@\n",
                    encoding="utf-8")
    refused = run_cli("units", "import", file, db=demo_db, check=False)
    assert refused.returncode == 1
    assert "“0296 38” không phải số điện thoại" in refused.stderr and "“lan@” không phải địa chỉ email" in refused.stderr
    store = Store.open(demo_db, read_only=True)
    try:
        assert store.rows("SELECT count(*) FROM units WHERE code = 'X1'") == [(0,)]
    finally:
        store.close()


def test_a_database_made_before_deadlines_gets_them_and_keeps_its_units(tmp_path):
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    try:
        before = [m[0] for m in MIGRATIONS].index("0018_reporting_deadlines")
        migrate(con, until=before)
        con.execute("INSERT INTO units (code, valid_from, name_vi, kind, level) VALUES ('A', '2020-01-01', 'Cũ', "
                    "'province', 'province')")
        assert "0018_reporting_deadlines" in migrate(con)
        assert con.execute("SELECT code, contact_name, contact_email FROM units").fetchall() == [("A", None, None)]
        assert con.execute("SELECT count(*) FROM reporting_deadlines").fetchall() == [(0,)]
    finally:
        con.close()


def test_the_same_late_units_on_postgresql(postgres_demo_url):
    found = late_list(postgres_demo_url)
    assert [(u.code, u.days_late, len(u.missing)) for u in found.units] == [(code, 3, 4) for code in LATE]
    assert found.units[1].contact.email == "vanphong.rachgia@example.org"


# --- the pages ------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_the_about_page_lists_the_late_units_and_offers_the_list_and_the_letters(demo_db, dashboard):
    at = dashboard(demo_db, "views/about.py", year=2026)
    at.date_input(key="about_overdue_on").set_value(ON).run()
    assert "Đơn vị trễ hạn báo cáo năm 2026" in [s.value for s in at.subheader]
    assert any("đã trễ 3 ngày" in w.value for w in at.warning)
    shown = next(d.value for d in at.dataframe if "Số ngày trễ" in d.value.columns)
    assert list(shown["Đơn vị"]) == ["Công đoàn phường Long Xuyên", "Công đoàn phường Rạch Giá"]
    assert list(shown["Người liên hệ"]) == ["Nguyễn Thị Thu Hà", "Trần Văn Phúc"]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Tải Excel" in labels and "Tải thư đôn đốc (PDF, mỗi đơn vị một trang)" in labels
    at.date_input(key="about_overdue_on").set_value(dt.date(2026, 11, 1)).run()
    assert any("chưa đến hạn" in i.value for i in at.info)


@pytest.mark.slow
def test_an_administrator_sets_a_deadline_on_the_admin_page(demo_db, monkeypatch):
    add_user(demo_db, "boss", "admin")
    monkeypatch.setenv("KPI_DB", str(demo_db))
    monkeypatch.delenv("KPI_PUBLIC", raising=False)
    st.cache_resource.clear()
    try:
        at = AppTest.from_file("../dashboard.py", default_timeout=60)
        sign_in(at, "boss")
        at.run()
        at._page_hash = calc_hash("admin")
        at.run()
        at.number_input(key="admin_deadline_year").set_value(2027)
        at.date_input(key="admin_deadline_date").set_value(dt.date(2028, 1, 20))
        next(b for b in at.button if b.label == "Đặt hạn").click().run()
        assert not at.exception, at.exception
        assert at.success[0].value.replace("\\", "").startswith("Đã đặt hạn báo cáo số liệu năm 2027")
    finally:
        st.cache_resource.clear()
    store = Store.open(demo_db, read_only=True)
    try:
        assert store.rows("SELECT due, set_by FROM reporting_deadlines WHERE year = 2027") == [(dt.date(2028, 1, 20), "boss")]
        log = audit.entries(store)
        assert (log.iloc[0]["action"], log.iloc[0]["source"]) == ("deadline-set", "web")
    finally:
        store.close()
