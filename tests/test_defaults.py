"""Defaults a person expects: the plan in force with the widest scope (not the one loaded last), a plan judged
within its own term on the command line as on the dashboard, and years outside it refused with a message."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.storage.store import Store
from tests.helpers import read_csv, run_cli

THIS_YEAR = dt.date.today().year
PLANS_HEADER = "plan,name_vi,issuer,start_year,end_year,unit,source"
TARGETS_HEADER = "plan,target,group,group_vi,indicator,type,value,applies_to,label_vi,wording_vi,source,order"


def plan_files(tmp_path, *plans: tuple[str, int, int, str]):
    """A plans file and a targets file (one members target each) for ``(code, start, end, unit)``."""
    plans_file, targets_file = tmp_path / "plans.csv", tmp_path / "targets.csv"
    plans_file.write_text("\n".join([PLANS_HEADER, *(f"{c},Kế hoạch {c},Đại hội,{a},{b},{u},test"
                                                      for c, a, b, u in plans)]) + "\n", encoding="utf-8")
    targets_file.write_text("\n".join([TARGETS_HEADER, *(f"{c},M1,NK1,Đoàn viên,members,level,500,province|upper,"
                                                         f"Đoàn viên,Có 500 đoàn viên,test,1" for c, *_ in plans)])
                            + "\n", encoding="utf-8")
    return plans_file, targets_file


@pytest.fixture
def mini_db(mini_plan_db):
    return mini_plan_db


@pytest.mark.slow
def test_the_default_plan_is_in_force_with_the_widest_scope_not_the_one_loaded_last(mini_db, tmp_path):
    y = THIS_YEAR
    run_cli("targets", "import", *plan_files(tmp_path, ("LONG", y - 3, y + 3, "P2"), ("DISTRICT", y - 4, y + 4, "D1"),
                                         ("PAST", y - 9, y - 4, "P2")), db=mini_db)
    (tmp_path / "one").mkdir()
    run_cli("targets", "import", *plan_files(tmp_path / "one", ("ONE", y, y, "P2")), db=mini_db)  # loaded last
    rows = read_csv(run_cli("status", db=mini_db).stdout)
    assert {r["plan"] for r in rows} == {"LONG"}  # a province beats a district, six years beat one
    store = Store.open(mini_db, read_only=True)
    try:
        order = list(store.plans(y)["code"])
        assert order[0] == "LONG" and order.index("ONE") < order.index("DISTRICT")
        assert store.plans(y - 6)["code"].iloc[0] == "PAST"  # the plan in force in that year
    finally:
        store.close()


@pytest.mark.slow
def test_a_finished_plan_is_judged_in_its_last_year_and_later_years_are_refused(mini_db, tmp_path):
    run_cli("targets", "import", *plan_files(tmp_path, ("T-2018-2022", 2018, 2022, "P")), db=mini_db)
    values = tmp_path / "members.csv"
    values.write_text("unit,indicator,year,value\nP,members,2021,90\nP,members,2022,95\nP,members,2023,100\n"
                      "P2,members,2025,130\n", encoding="utf-8")
    run_cli("import", values, db=mini_db)  # 2023 and 2025 belong to the newer plan: one file, no --plan
    rows = read_csv(run_cli("status", "--plan", "T-2018-2022", db=mini_db).stdout)
    assert {r["year"] for r in rows} == {"2022"} and next(r for r in rows if r["unit"] == "P")["actual"] == "95.0"
    for command in (["status", "--plan", "T-2018-2022", "--year", "2030"],
                    ["export", "--format", "pdf", "--plan", "T-2018-2022", "--year", "2030", "--out",
                     tmp_path / "r.pdf"]):
        refused = run_cli(*command, db=mini_db, check=False)
        assert refused.returncode == 1 and "Traceback" not in refused.stderr
        assert "Năm 2030 nằm ngoài kế hoạch T-2018-2022 (2018–2022)" in refused.stderr
    assert not (tmp_path / "r.pdf").exists()


def test_a_template_for_a_year_no_plan_covers_is_refused_with_the_years_that_are(mini_db, tmp_path):
    refused = run_cli("template", "--year", "2040", "--out", tmp_path / "mau.csv", "--lang", "en", db=mini_db,
                  check=False)
    assert refused.returncode == 1 and "years 2018–2028 are accepted" in refused.stderr
    assert not (tmp_path / "mau.csv").exists()
