"""The analyst's round trip: the template imports as it comes (blank rows skipped, rows that are sums say
so), a template filled with the figures in force comes back unchanged and one correction is one change, the
preview keeps changed figures apart from changed sources and notes, a problem names its row's unit and
indicator, and the plausibility check leaves small bases and untouched figures alone."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from metrics.cli import commands
from metrics.ingest import intake, text
from metrics.storage.store import Store, write_batch
from tests.helpers import copy_database


@pytest.fixture(scope="module")
def template_db(demo_template, tmp_path_factory):
    path = copy_database(demo_template, tmp_path_factory.mktemp("round-trip"), "template.duckdb")
    return path


@pytest.fixture
def demo(template_db, tmp_path):
    store = Store.open(copy_database(template_db, tmp_path))
    yield store
    store.close()


def template(store: Store, tmp_path, name: str, *extra: str, year: int = 2025) -> bytes:
    """``python -m metrics template --year … --out name`` (in this process), the file's bytes."""
    out = tmp_path / name
    assert commands.main(["template", "--year", str(year), "--out", str(out), "--db", str(store.path), *extra]) == 0
    return out.read_bytes()


def check(store: Store, tmp_path, name: str, content: bytes) -> intake.Report:
    path = tmp_path / f"in-{name}"
    path.write_bytes(content)
    return intake.check(path, store=store)


@pytest.mark.parametrize("name", ["mau.csv", "mau.xlsx"])
def test_a_blank_template_imports_as_it_comes_its_empty_rows_skipped(name, demo, tmp_path):
    with check(demo, tmp_path, name, template(demo, tmp_path, name)) as report:
        assert report.ok, report.problem_table().to_string()
        assert report.counts["skipped"] == report.rows > 500 and report.to_write == 0


def test_rows_that_are_sums_say_so_and_a_filled_one_is_said_to_replace_the_sum(demo, tmp_path):
    frame = pd.read_csv(io.BytesIO(template(demo, tmp_path, "mau.csv")), sep=";", dtype=str, encoding="utf-8-sig")
    sums = frame[frame["cách tính"].notna()]
    assert set(sums["đơn vị"]) == {"AG-2025"} and "members" in set(sums["chỉ tiêu"])  # the province, from below
    assert frame[frame["đơn vị"] != "AG-2025"]["cách tính"].isna().all()
    frame.loc[(frame["đơn vị"] == "AG-2025") & (frame["chỉ tiêu"] == "members"), "giá trị"] = "117.500"
    below = frame[(frame["đơn vị"] != "AG-2025") & (frame["chỉ tiêu"] == "members")].index[0]
    frame.loc[below, "giá trị"] = "12.400"  # and one of the units it adds up
    content = frame.to_csv(sep=";", index=False).encode("utf-8")
    with check(demo, tmp_path, "mau.csv", content) as report:
        assert report.ok and report.to_write == 2
        warned = [(p.row, p.code, p.unit, p.indicator) for p in report.problems]
        assert ("own-figure-over-units", "AG-2025", "members") in [w[1:] for w in warned]


@pytest.mark.parametrize("name, lang", [("sua.csv", "vi"), ("sua-en.csv", "en"), ("sua.xlsx", "vi")])
def test_a_filled_template_comes_back_unchanged_and_one_correction_is_one_change(name, lang, demo, tmp_path):
    content = template(demo, tmp_path, name, "--filled", "--lang", lang, year=2024)
    with check(demo, tmp_path, name, content) as report:
        assert report.ok and not report.problems, report.problem_table().to_string()
        assert report.to_write == 0 and report.counts["unchanged"] > 300
    corrected = _corrected(content, name, lang)
    with check(demo, tmp_path, "corrected-" + name, corrected) as report:
        assert report.ok and (report.counts["updated"], report.to_write) == (1, 1)
        assert [line.split(": ")[1] for line in text.change_lines(report, "vi")] == ["8.901 → 9.001"]


def _corrected(content: bytes, name: str, lang: str) -> bytes:
    """The filled template with district 884's members for 2024 raised by 100, as a person would type it."""
    unit, indicator, value = (0, 2, 6)
    if name.endswith(".xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(content))
        for row in book.active.iter_rows(min_row=2):
            if row[unit].value == "884" and row[indicator].value == "members":
                row[value].value = row[value].value + 100
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    lines = content.decode("utf-8-sig").split("\r\n")
    for index, line in enumerate(lines):
        cells = line.split(";")
        if cells[unit] == "884" and cells[indicator] == "members":
            cells[value] = str(int(cells[value]) + 100)
            lines[index] = ";".join(cells)
    return ("\ufeff" + "\r\n".join(lines)).encode("utf-8")


def test_the_preview_keeps_changed_figures_apart_from_changed_sources(demo, tmp_path):
    rows = demo.frame("SELECT unit, indicator, year, value FROM current_values WHERE indicator = 'members' "
                      "AND year = 2024 AND unit IN ('883', '884', '886', '887', '888') ORDER BY unit")
    rows["source"] = "Báo cáo tổng kết năm 2024 (bản chính thức)"
    rows.loc[rows["unit"] == "888", "value"] += 50
    with check(demo, tmp_path, "v.csv", rows.to_csv(index=False).encode()) as report:
        assert report.ok
        assert (report.counts["updated"], report.counts["annotated"]) == (1, 4)
        figures, texts = text.change_lines(report, "en"), text.text_lines(report, "en")
        assert len(figures) == 1 and "(888)" in figures[0]
        assert len(texts) == 5 and all("(bản chính thức)”" in line for line in texts)
    assert "Source/note only: 4" in text.summary(report, "en")


def test_a_problem_names_the_unit_and_indicator_of_its_row(demo, tmp_path):
    content = "đơn vị;chỉ tiêu;năm;giá trị\n883;members;2024;nhiều\n884;cba_coverage;2024;140\n".encode()
    with check(demo, tmp_path, "v.csv", content) as report:
        assert [(p.row, p.unit, p.indicator, p.code) for p in report.problems] == [
            (2, "883", "members", "not-a-number"), (3, "884", "cba_coverage", "percent-out-of-range")]
        assert text.problem_lines(report, "vi")[0].startswith("dòng 2 (883 · members) · giá trị")
        assert list(report.problem_table().columns[:3]) == ["row", "unit", "indicator"]


def test_the_plausibility_check_leaves_small_bases_and_untouched_figures_alone(demo, tmp_path):
    seeded = pd.DataFrame([("CS-LX-001", 2023, 1.0, 1.0),  # a grassroots union whose one enterprise had signed
                           ("884", 2023, 100.0, 100.0), ("886", 2023, 100.0, 100.0), ("886", 2024, 10.0, 100.0)],
                          columns=["unit", "year", "numerator", "denominator"]).assign(indicator="cba_coverage")
    with demo.transaction() as cur:
        write_batch(cur, seeded, "import")
    content = (b"unit,indicator,year,numerator,denominator\n"
               b"CS-LX-001,cba_coverage,2024,0,1\n"    # 1/1 → 0/1: one enterprise, nothing to say
               b"884,cba_coverage,2024,10,100\n"       # 100/100 → 10/100: worth a second look
               b"886,cba_coverage,2024,10,100\n")  # the same jump, already in force: nobody touches it
    with check(demo, tmp_path, "v.csv", content) as report:
        assert [(p.row, p.unit, p.code) for p in report.problems] == [(3, "884", "implausible-change")]
