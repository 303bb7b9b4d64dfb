"""Quotas (issue 19): a target divided among the units below its owner, loaded from a targets file or
allocated by a rule, reconciled with the target, and every unit judged against its own quota."""

from __future__ import annotations

import csv
import hashlib

import pytest

from metrics.domain.quotas import reconcile, split
from metrics.storage import db, migrations
from metrics.storage.store import Store
from metrics.vocabulary.kinds import IndicatorKind
from tests.helpers import MINI, ROOT, read_csv, run_cli

HEADER = (MINI / "targets.csv").read_text(encoding="utf-8").splitlines()[0]


def _target_row(code: str) -> dict:
    rows = list(csv.DictReader((MINI / "targets.csv").open(encoding="utf-8")))
    return next(r for r in rows if r["target"] == code)


def _quota_file(tmp_path, quotas: list[tuple[str, str, object]], name: str = "quotas.csv", **changes):
    """A targets file of quota rows: each repeats its target's row in tests/fixtures/mini with a unit and a value."""
    path = tmp_path / name
    fields = HEADER.split(",") + (["unit"] if "unit" not in HEADER.split(",") else [])
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=fields)
        writer.writeheader()
        for target, unit, value in quotas:
            writer.writerow({**_target_row(target), "unit": unit, "value": value, **changes})
    return path


# --- the arithmetic ---------------------------------------------------------------------------------

def test_largest_remainder_keeps_the_sum_and_gives_the_extra_units_to_the_largest_remainders():
    parts = split(10, {"a": 1, "b": 1, "c": 1})
    assert sum(parts.values()) == 10 and sorted(parts.values()) == [3, 3, 4] and parts["a"] == 4
    parts = split(28000, {"x": 365, "y": 125, "z": 733})  # shares 8356.5…, 2861.8…, 16781.6…
    assert sum(parts.values()) == 28000 and parts == {"x": 8356.0, "y": 2862.0, "z": 16782.0}
    assert split(7, {"a": 0, "b": 0}) == {"a": 4.0, "b": 3.0}  # no weight at all: equal shares


def test_reconcile_adds_counts_and_weighs_ratios_by_their_denominators():
    counts = reconcile(IndicatorKind.FLOW, 28000, {"a": 20000, "b": 6500})
    assert counts.implied == 26500 and counts.gap == 1500 and counts.short
    ratio = reconcile(IndicatorKind.RATIO, 96, {"a": 90, "b": 100}, {"a": 300, "b": 100})
    assert ratio.implied == pytest.approx(92.5) and ratio.short  # (90×300 + 100×100) ÷ 400
    assert reconcile(IndicatorKind.RATIO, 96, {"a": 90}, {"a": None}).implied is None


# --- loading quotas -----------------------------------------------------------------------------------

def test_quota_rows_load_and_judge_each_unit_against_its_own_quota(mini_template, tmp_path):
    path = tmp_path / "kpi.duckdb"
    path.write_bytes(mini_template.read_bytes())
    quotas = _quota_file(tmp_path, [("L1", "D1", 120), ("L1", "D2", 60), ("C1", "D1", 30), ("C1", "S1", 20)])
    run_cli("targets", "import", quotas, db=path)
    store = Store.open(path)
    try:
        assert store.rows("SELECT target, unit, value FROM target_quotas ORDER BY ALL") == [
            ("C1", "D1", 30.0), ("C1", "S1", 20.0), ("L1", "D1", 120.0), ("L1", "D2", 60.0)]
        assert store.rows("SELECT count(*) FROM targets WHERE code = 'L1'") == [(1,)]  # the target stays one
    finally:
        store.close()
    said = run_cli("targets", "reconcile", "--year", "2024", db=path).stdout
    assert "Các đơn vị được giao 180 / 200 đoàn viên; còn 20 chưa giao." in said
    assert "Các đơn vị được giao đủ 50 căn (2 đơn vị)." in said
    english = run_cli("--lang", "en", "targets", "reconcile", "--year", "2024", "--target", "L1", db=path).stdout
    assert "The units are given 180 / 200 members; 20 not yet given to any unit." in english
    rows = read_csv(run_cli("status", "--year", "2024", "--unit", "D1", db=path).stdout)
    judged = {r["target"]: r for r in rows}
    assert judged["L1"]["target_value"] == "120.0" and judged["L1"]["judged_against"] == "quota"
    assert judged["R1"]["judged_against"] == "target" and judged["R1"]["target_value"] == "96.0"


@pytest.mark.parametrize(("quotas", "changes", "code", "words"), [
    ([("L1", "ZZ", 10)], {}, "unknown-unit", "Không có đơn vị mã “ZZ”"),
    ([("L1", "P2", 10)], {}, "quota-not-below", "không thuộc P"),
    ([("L1", "D1", 10), ("L1", "D1", 20)], {}, "duplicate-quota", "đã được giao chỉ tiêu L1 ở dòng 2"),
    ([("L1", "D1", 10)], {"target_year": "2027"}, "quota-mismatch", "năm đích “2027”"),
    ([("B1", "D1", 1)], {}, "quota-on-band", "dạng khung"),
])
def test_a_wrong_quota_is_refused_with_its_row_and_nothing_is_written(mini_plan_db, tmp_path, quotas, changes,
                                                                      code, words):
    before = hashlib.sha256(mini_plan_db.read_bytes()).hexdigest()
    done = run_cli("targets", "import", _quota_file(tmp_path, quotas, **changes), db=mini_plan_db, check=False)
    assert done.returncode == 1 and code in done.stderr and words in done.stderr
    assert "Không ghi gì" in done.stdout
    assert hashlib.sha256(mini_plan_db.read_bytes()).hexdigest() == before


def test_a_quota_s_number_is_written_as_each_language_writes_numbers_when_refused_or_changed(mini_plan_db, tmp_path):
    """A refused quota read “-5.0” (Python's float), and a changed one “120 → 1234.5”, in both languages."""
    from metrics.catalogue.loading import load_targets
    from metrics.ingest.text import listed

    store = Store.open(mini_plan_db)
    try:
        refused = load_targets(store, [_quota_file(tmp_path, [("L1", "D1", "-1234,5")])]).problems
        assert any("value · “-1.234,5” · negative-quota" in line for line in listed(refused, "vi"))
        assert any("value · “-1,234.5” · negative-quota" in line for line in listed(refused, "en"))
        assert "0 trở lên" in refused[0].message_vi and "0 or more" in refused[0].message_en  # what to do
        assert load_targets(store, [_quota_file(tmp_path, [("L1", "D1", 120)])]).ok
        changed = load_targets(store, [_quota_file(tmp_path, [("L1", "D1", 1234.5)], "b.csv")], dry_run=True).preview
        assert changed is not None
        assert any(line.endswith("value 120 → 1.234,5") for line in changed.lines("vi")), changed.lines("vi")
        assert any(line.endswith("value 120 → 1,234.5") for line in changed.lines("en"))
    finally:
        store.close()


def test_an_old_database_upgrades_with_an_empty_quota_table(tmp_path):
    path = tmp_path / "old.duckdb"
    old = db.connect(path)
    try:
        migrations.migrate(old, until=15)
    finally:
        old.close()
    store = Store.open(path)
    try:
        assert store.quotas().empty
        assert store.rows("SELECT name FROM schema_migrations WHERE name = '0016_target_quotas'")
    finally:
        store.close()


# --- allocating --------------------------------------------------------------------------------------

@pytest.mark.slow
def test_allocate_previews_then_writes_a_file_that_loads_as_quotas_adding_up_to_the_target(demo_db, tmp_path):
    out = tmp_path / "nk3b.csv"
    said = run_cli("targets", "allocate", "--target", "NK3b", "--rule", "baseline", "--out", out, db=demo_db).stdout
    assert "Giao chỉ tiêu NK3b (200 căn) cho 20 đơn vị, theo số gốc, năm 2026:" in said and "Tổng: 200 căn" in said
    rows = read_csv(out.read_text(encoding="utf-8-sig"))
    assert len(rows) == 20 and sum(int(r["value"]) for r in rows) == 200 and all(r["unit"] for r in rows)
    run_cli("targets", "import", out, db=demo_db)
    told = run_cli("targets", "reconcile", "--target", "NK3b", db=demo_db).stdout
    assert "Các đơn vị được giao đủ 200 căn (20 đơn vị)." in told


def test_allocate_by_workers_says_when_the_data_has_none(mini_plan_db):
    done = run_cli("targets", "allocate", "--target", "L1", "--rule", "workers", db=mini_plan_db, check=False)
    assert done.returncode != 0 and "không có số người lao động" in done.stderr


# --- the shipped demo --------------------------------------------------------------------------------

def test_the_demo_gives_quotas_on_members_new_members_and_houses_with_one_shortfall():
    rows = read_csv((ROOT / "data" / "quotas.csv").read_text(encoding="utf-8-sig"))
    sums: dict[str, int] = {}
    for r in rows:
        sums[r["target"]] = sums.get(r["target"], 0) + int(r["value"])
    assert sums == {"NK1a": 26500, "NK1b": 139258, "NK3a": 300}  # new members short by 1,500; the others whole


def test_the_demo_reconciles_and_names_who_carries_the_gap(demo_db):
    said = run_cli("targets", "reconcile", db=demo_db).stdout
    assert "Các đơn vị được giao 26.500 / 28.000 đoàn viên; còn 1.500 chưa giao." in said
    assert "Các đơn vị được giao đủ 139.258 đoàn viên (20 đơn vị)." in said
    assert "đơn vị chậm so với tiến độ chỉ tiêu giao (năm 2026)" in said and "thiếu nhiều nhất:" in said


@pytest.mark.slow
def test_the_demo_on_postgresql_reconciles_the_same(postgres_demo_url, demo_db):
    on_postgres = run_cli("targets", "reconcile", db=postgres_demo_url).stdout
    assert "Các đơn vị được giao 26.500 / 28.000 đoàn viên; còn 1.500 chưa giao." in on_postgres
    assert on_postgres == run_cli("targets", "reconcile", db=demo_db).stdout


# --- the pages ---------------------------------------------------------------------------------------

def test_target_page_reconciles_and_lists_each_unit_against_its_quota(demo_db, dashboard):
    from tests.helpers import texts

    at = dashboard(demo_db, "views/target.py", target="NK1a", year=2026)
    shown = texts(at)
    assert "Chỉ tiêu giao các đơn vị — năm 2026" in shown
    assert "Các đơn vị được giao 26.500 / 28.000 đoàn viên; còn 1.500 chưa giao." in shown
    assert "chậm so với tiến độ chỉ tiêu giao" in shown
    assert any(c.key == "shortfall-NK1a" for c in at.get("plotly_chart"))
    table = next(d.value for d in at.dataframe if "Chỉ tiêu giao" in d.value.columns)
    assert len(table) == 20 and "Trạng thái (so với chỉ tiêu giao)" in table.columns
    long_xuyen = table[table["Đơn vị"] == "Công đoàn phường Long Xuyên"].iloc[0]
    assert long_xuyen["Chỉ tiêu giao"] == "2.102" and long_xuyen["Thực hiện"] == "872"
    behind = [int(v.replace(".", "")) for v in table["Chậm so với tiến độ"] if v != "—"]
    assert behind == sorted(behind, reverse=True)  # the units carrying most of the gap first


@pytest.mark.slow
def test_an_analyst_previews_an_allocation_on_the_target_page_and_a_viewer_does_not_see_it(demo_db, dashboard,
                                                                                          monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.helpers import add_user, sign_in, texts

    public = dashboard(demo_db, "views/target.py", target="NK3b", year=2026)
    assert "Giao chỉ tiêu cho các đơn vị" not in [e.proto.label for e in public.get("expander")]
    add_user(demo_db, "phan_tich", "analyst")
    monkeypatch.delenv("KPI_PUBLIC", raising=False)
    st.cache_resource.clear()
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.session_state["target"] = "NK3b"
    sign_in(at, "phan_tich")
    at.run()
    at.switch_page("views/target.py").run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    assert "Giao chỉ tiêu cho các đơn vị" in [e.proto.label for e in at.get("expander")]
    preview = next(d.value for d in at.dataframe if "Chia theo (năm)" in d.value.columns)
    assert len(preview) == 20 and sum(int(v.replace(".", "")) for v in preview["Chỉ tiêu giao"]) == 200
    assert "Tổng các mức giao: 200 căn (chỉ tiêu: 200 căn)." in texts(at)


def test_the_shortfall_chart_draws_who_carries_the_gap_with_room_past_every_bar_for_its_label(demo_db):
    """A unit far ahead of its quota (Khu kinh tế: 4.400 ahead on NK1b) was a long bar below zero that squeezed
    the bars of the units behind, and on a phone the largest bar's label had no room past it and was not drawn."""
    import pandas as pd

    from metrics.judging import charts
    from metrics.judging.quotas import ahead_sentence, find_target, target_quotas
    from metrics.judging.scorecard import Scorecard
    from metrics.storage.store import write_batch

    store = Store.open(demo_db)
    try:
        with store.transaction() as cur:
            write_batch(cur, pd.DataFrame([{"unit": "CD-KKT-2025", "indicator": "members", "year": 2026,
                                            "value": 13655.0}]), "import")
        card = Scorecard(store)
        found = target_quotas(card, find_target(card, "NK1b"), 2026)
    finally:
        store.close()
    assert found is not None
    bars = charts.shortfall(found.carriers, found.indicator, "vi")
    bar, end = bars.data[0], bars.layout.xaxis.range[1]
    assert len(bar.y) == len(found.shortfall) == 19 and min(bar.x) > 0 and bars.layout.xaxis.range[0] == 0
    assert "Công đoàn các Khu kinh tế tỉnh An Giang" not in bar.y
    assert bar.textposition == "outside"
    for value, label in zip(bar.x, bar.text):  # each label fits past its bar in a phone's plot area
        assert value / end * charts.NARROW_PLOT_PX + charts.text_px(label, 14) + 3 <= charts.NARROW_PLOT_PX, label
    assert ahead_sentence(found, "vi") == ("Vượt tiến độ chỉ tiêu giao: Công đoàn các Khu kinh tế tỉnh An Giang "
                                           "(vượt 4.400 đoàn viên).")
    assert ahead_sentence(found, "en").startswith("Ahead of the pace of their quotas: An Giang Economic Zones")
