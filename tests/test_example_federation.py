"""The second example federation (data/examples/vinh-long), set up from an empty database with the commands
docs/data-files.md shows, and nothing else; its statuses checked against verdicts worked out by hand; its
pages and its deck and PDF opened."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest
import streamlit as st
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from tests.test_cli import ROOT, cli, read_csv

DOC = ROOT / "docs" / "data-files.md"


def walkthrough() -> list[list[str]]:
    """The commands of the "Set up your federation" section, as argument lists."""
    section = DOC.read_text(encoding="utf-8").split("## Set up your federation", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [shlex.split(line) for line in block.splitlines() if line.startswith("python -m metrics ")]


@pytest.fixture(scope="module")
def federation(tmp_path_factory) -> dict[str, Path]:
    """Run every documented command, the files it names written into a folder of the test's own."""
    folder = tmp_path_factory.mktemp("vinh-long")
    outputs: dict[str, str] = {}
    for command in walkthrough():
        args = [str(folder / a) if a.startswith("vinh-long") else a for a in command[3:]]
        done = cli(*args)
        outputs[" ".join(command[3:5])] = done.stdout
    return {"db": folder / "vinh-long.duckdb", "pptx": folder / "vinh-long-2026.pptx",
            "pdf": folder / "vinh-long-2026.pdf", "outputs": outputs}


def test_the_walkthrough_is_the_whole_setup_from_an_empty_database(federation):
    commands = [" ".join(c[3:5]) for c in walkthrough()]
    assert commands[0] == "init --db" and "units import" in commands and "targets import" in commands
    assert not any("--demo" in " ".join(c) for c in walkthrough())


def test_the_statuses_are_the_ones_worked_out_by_hand(federation):
    rows = {(r["target"], r["unit"]): r for r in read_csv(cli("status", "--format", "csv", db=federation["db"]).stdout)}
    got = {key: (r["status"], round(float(r["actual"]), 2)) for key, r in rows.items()}
    assert got == {
        # members of the three units: 64.000 + 40.500 + 21.000 = 125.500 ≥ 125.000 in 2026, the deadline
        ("T1", "VL-2025"): ("target_achieved", 125500),
        # new members in 2026 (2025 is the baseline year of a one-year plan): 3.000 + 800 + 1.500 = 5.300 < 6.000
        ("T2", "VL-2025"): ("not_achieved", 5300),
        # the industrial-zone union alone: 64.000 < 65.000 at the deadline
        ("T6", "VL-KCN"): ("not_achieved", 64000),
        # (300 + 60) / (400 + 100) = 72% ≥ 70%, the band's near end: achieved, within 70–75%
        ("T3", "VL-2025"): ("target_achieved", 72),
        # 6,25 + 2,1 + 3,4 = 11,75 tỷ đồng < 12,5
        ("T4", "VL-2025"): ("not_achieved", 11.75),
        # (30,12 + 15,5 + 8,58) / (25 + 14 + 6) = 54,20 / 45 = 120,44% of the plan ≥ 100%
        ("T5", "VL-2025"): ("target_achieved", 120.44),
    }
    assert rows[("T3", "VL-2025")]["band_position"] == "within" and rows[("T3", "VL-2025")]["achievement_pct"] == ""
    assert (rows[("T5", "VL-2025")]["numerator"], rows[("T5", "VL-2025")]["denominator"]) == ("54.2", "45.0")


def test_the_import_preview_keeps_the_amounts_decimals(federation):
    preview = federation["outputs"]["import data/examples/vinh-long/values.csv"]
    assert "Chi chăm lo đoàn viên · 2026: — → 6,25" in preview and "T5 Thu kinh phí đạt kế hoạch (2026): — → 120,44%" in preview


def test_the_overview_shows_every_target_of_the_plan_in_its_own_words(federation, monkeypatch):
    monkeypatch.setenv("KPI_DB", str(federation["db"]))
    monkeypatch.setenv("KPI_PUBLIC", "1")
    st.cache_resource.clear()
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.run()
    at.switch_page("pages/overview.py").run()
    st.cache_resource.clear()
    assert not at.exception and not at.error, [e.value for e in at.error]
    shown = (" ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
             + " ".join(str(m.value) for m in at.metric)
             + " ".join(link.proto.label for link in at.get("page_link"))).replace("\\", "")  # Markdown escapes
    assert "Năm 2026, 6 chỉ tiêu: ✔ Đã đạt 3 · ✖ Chưa đạt 3." in shown
    assert "T6" in shown and "Công đoàn các KCN có 65.000 đoàn viên" in shown, shown
    assert "70–75%" in shown and "trong khung" in shown  # the band, never "≥ 70%"
    assert "11,75" in shown and "120,44%" in shown


def test_the_deck_and_the_report_open_and_say_the_same(federation):
    deck = Presentation(str(federation["pptx"]))
    text = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)
    assert "Vĩnh Long" in text and "120,44% kế hoạch" in text and "11,75 tỷ đồng" in text
    assert "Công đoàn các Khu công nghiệp tỉnh Vĩnh Long" in text  # T6 names its unit
    pdf = subprocess.run(["pdftotext", "-layout", str(federation["pdf"]), "-"], capture_output=True, text=True,
                         check=True).stdout
    assert "120,44% kế hoạch" in pdf and "11,75 tỷ đồng" in pdf and "An Giang" not in pdf


def test_a_one_year_share_of_plan_chart_shows_its_target_and_its_numbers_above_100(federation):
    """T5 (120,44% of plan, one year): its target line through a single year drew nothing, hidden in the
    column, and the axis wrote no number above 100%."""
    from pptx.enum.chart import XL_MARKER_STYLE

    deck = Presentation(str(federation["pptx"]))
    slide = next(s for s in deck.slides
                 if any(sh.has_text_frame and sh.text_frame.text.startswith("T5 ·") for sh in s.shapes))
    chart = next(sh.chart for sh in slide.shapes if sh.has_chart)
    target = next(s for p in chart.plots for s in p.series if s.name.startswith("Chỉ tiêu"))
    assert target.marker.style == XL_MARKER_STYLE.DASH
    assert chart.value_axis.tick_labels.number_format == '0"%"'
    assert chart.value_axis.maximum_scale >= 120.44
