"""Nothing of An Giang outside ``data/``: another federation's dashboard shows its own plan's examples and its
own headline targets (named in its plans file), and no code names a shipped plan, target, indicator or unit."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import streamlit as st

from tests.helpers import MINI, ROOT, run_cli, texts


@pytest.fixture(scope="module")
def other_db(tmp_path_factory) -> Path:
    """A federation set up from its own files only (the mini province), its plan naming two headline targets."""
    folder = tmp_path_factory.mktemp("other")
    db = folder / "kpi.duckdb"
    plans = folder / "plans.csv"
    lines = (MINI / "plans.csv").read_text(encoding="utf-8").splitlines()
    plans.write_text(f"{lines[0]},headline\n{lines[1]},R1|L1\n", encoding="utf-8")
    run_cli("init", db=db)
    run_cli("units", "import", MINI / "units.csv", db=db)
    run_cli("targets", "import", plans, MINI / "indicators.csv", MINI / "targets.csv", MINI / "period_totals.csv", db=db)
    run_cli("import", MINI / "values.csv", db=db)
    run_cli("batches", "approve", "1", db=db)  # the office approves the figures (else provisional)
    return db


@pytest.fixture
def page(dashboard):
    """A public page of the federation's database ``db`` in 2024, checked for exceptions and errors."""
    def open_page(db: Path, script: str):
        at = dashboard(db, script, year=2024)
        st.cache_resource.clear()  # releases the file: a test may run the command line on it next
        return at

    return open_page


@pytest.mark.slow
def test_the_headline_cards_are_the_targets_the_plan_names_in_its_order(other_db, page):
    at = page(other_db, "views/overview.py")
    shown = [m.value for m in at.markdown if m.value.startswith("**")]
    assert shown[:2] == ["**R1** · Tỷ lệ ký thỏa ước", "**L1** · Tổng số đoàn viên"]
    assert "Chỉ tiêu chính" in [s.value for s in at.subheader]


@pytest.mark.slow
def test_a_plan_without_headline_targets_shows_none_rather_than_another_federations(tmp_path, page):
    db = tmp_path / "kpi.duckdb"
    run_cli("init", db=db)
    run_cli("units", "import", MINI / "units.csv", db=db)
    run_cli("targets", "import", MINI / "plans.csv", MINI / "indicators.csv", MINI / "targets.csv", db=db)
    at = page(db, "views/overview.py")
    assert "Chỉ tiêu chính" not in [s.value for s in at.subheader]


@pytest.mark.slow
def test_the_method_takes_its_examples_from_the_plan_on_screen(other_db, page):
    shown = texts(page(other_db, "views/about.py"))
    assert "(ví dụ L1: “Tổng số đoàn viên”)" in shown and "(ví dụ C1: “Nhà Mái ấm”)" in shown
    assert "(ví dụ F1: “Thỏa ước hằng năm”)" in shown
    assert "139.258" not in shown and "300 căn" not in shown


def test_a_missing_database_on_the_command_line_says_how_to_load_ones_own_files(tmp_path):
    done = run_cli("status", db=tmp_path / "none.duckdb", check=False)
    assert done.returncode == 1 and "python -m metrics init" in done.stderr and "targets import" in done.stderr
    own, demo = done.stderr.split("Chỉ để xem thử")
    assert "--demo" not in own and "--demo" in demo


def shipped_codes() -> set[str]:
    found = set()
    for name, column in (("plans.csv", "plan"), ("targets.csv", "target"), ("indicators.csv", "indicator"),
                         ("units.csv", "code")):
        with open(ROOT / "data" / name, encoding="utf-8") as handle:
            found |= {row[column] for row in csv.DictReader(handle)}
    return found


def test_no_code_names_a_shipped_plan_target_indicator_or_unit():
    """metrics/synth.py generates a national dataset of its own and is left out."""
    codes = shipped_codes()
    sources = [*ROOT.glob("ui/*.py"), *ROOT.glob("views/*.py"), *ROOT.glob("metrics/**/*.py"), ROOT / "dashboard.py"]
    found = [(path.name, code) for path in sources if path.name != "synth.py"
             for code in codes if re.search(rf"""["']{re.escape(code)}["']""", path.read_text(encoding="utf-8"))]
    assert found == []
