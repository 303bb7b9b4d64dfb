"""Checks on the shipped data files in data/ (plans, indicators, targets, units, values).

Uses only pandas and the standard library: the files must be right whatever the engine does with them.
"""
import os
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
SEEDS = Path(os.environ.get("KPI_SEEDS", "/work/shared/seeds"))
MAIN_PLAN, OLDER_PLAN = "DH-XI-2023-2028", "CTHD-2020-2025"
VALUE_FILES = ("values_published.csv", "values_demo.csv")

KINDS = {"stock", "flow", "ratio", "rate"}
TARGET_TYPES = {"level", "cumulative", "annual_floor", "annual_ceiling", "annual_band", "unit_band"}
UNIT_KINDS = {"province", "district_federation", "sector_union", "industrial_zone_union", "commune_union",
              "grassroots"}
SECTORS = {"public_admin", "state_enterprise", "non_state"}
LEVELS = {"province", "upper", "grassroots"}
VIETNAMESE_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ") | {c for c in "àáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ"}
MOJIBAKE = ("Ã", "Ä‘", "á»", "Æ°", "\ufffd")

# The 2023–2028 targets as the resolution sets them: code → (indicator, type, value, value_high).
MAIN_TARGETS = {
    "NK1a": ("new_members", "cumulative", 28000, None), "NK1b": ("members", "level", 139258, None),
    "NK1c": ("enterprises_25_with_union", "level", 100, None), "NK2a": ("cba_coverage", "level", 96, None),
    "NK2b": ("legal_cases_represented", "level", 90, None), "NK3a": ("union_houses", "cumulative", 300, None),
    "NK3b": ("union_houses_new", "cumulative", 200, None), "HN1a": ("members_informed", "annual_band", 80, 90),
    "HN1b": ("workers_skills_training", "annual_floor", 65, None),
    "HN2a-1": ("democracy_rules_public_state", "annual_floor", 100, None),
    "HN2a-2": ("democracy_rules_non_state", "annual_floor", 96, None),
    "HN2b-1": ("dialogue_state_enterprises", "annual_floor", 100, None),
    "HN2b-2": ("dialogue_non_state", "annual_floor", 80, None),
    "HN3": ("party_introductions", "unit_band", 1, 2),
    "HN4a": ("upper_unions_rated_well", "annual_floor", 90, None),
    "HN4b": ("cdcs_state_rated_well", "annual_floor", 90, None),
    "HN4c": ("cdcs_non_state_rated_well", "annual_floor", 70, None),
    "HN5a": ("fulltime_officials_trained", "annual_floor", 100, None),
    "HN5b": ("cdcs_officials_trained", "annual_floor", 90, None),
    "HN5c": ("new_chairs_trained", "annual_floor", 100, None),
    "HN6": ("women_committees_non_state", "annual_floor", 90, None),
    "HN7a": ("members_using_welfare", "annual_floor", 30, None),
    "HN7b": ("hardship_members_visited", "annual_floor", 100, None),
    "HN8a": ("dues_via_common_account", "annual_floor", 90, None),
    "HN8b": ("unions_publishing_finances", "annual_floor", 100, None),
    "HN9a": ("upper_unions_finance_inspection", "annual_floor", 100, None),
    "HN9b": ("cdcs_inspected_by_upper", "annual_floor", 10, None),
}


def read(name):
    """Read a shipped CSV with every cell as text (codes like 883 stay text)."""
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


def values():
    """Published and demo values together, with numbers parsed."""
    frame = pd.concat([read(name) for name in VALUE_FILES], ignore_index=True)
    for column in ("value", "numerator", "denominator"):
        frame[column + "_num"] = pd.to_numeric(frame[column].replace("", None))
    frame["year"] = frame["year"].astype(int)
    return frame


def normalise(text):
    """NFC, one space between words: for comparing quotes with the seed documents."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def covers(row, day):
    """True when the unit period in `row` includes the ISO date `day`."""
    return row["valid_from"] <= day and (row["valid_to"] == "" or day <= row["valid_to"])


@pytest.mark.parametrize("path", sorted(DATA.glob("*.csv")), ids=lambda p: p.name)
def test_file_is_clean_utf8(path):
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    text = raw.decode("utf-8")
    assert unicodedata.is_normalized("NFC", text), "Vietnamese text must be NFC (precomposed)"
    assert not any(bad in text for bad in MOJIBAKE), "mojibake found"


@pytest.mark.parametrize("name, columns", [
    ("plans.csv", ["name_vi", "issuer"]),
    ("indicators.csv", ["name_vi", "definition_vi"]),
    ("targets.csv", ["group_vi", "label_vi", "wording_vi"]),
    ("units.csv", ["name_vi"]),
])
def test_vietnamese_text_has_diacritics(name, columns):
    frame = read(name)
    for column in columns:
        bare = [cell for cell in frame[column] if not VIETNAMESE_LETTERS & set(cell)]
        assert not bare, f"{name}:{column} without diacritics: {bare[:3]}"


def test_plans():
    plans = read("plans.csv")
    assert set(plans["plan"]) == {MAIN_PLAN, OLDER_PLAN}
    assert (plans[["name_vi", "issuer", "unit", "source"]] != "").all().all()
    assert set(plans["unit"]) <= set(read("units.csv")["code"])


def test_indicators():
    ind = read("indicators.csv")
    assert ind["indicator"].is_unique
    assert set(ind["kind"]) <= KINDS and set(ind["direction"]) <= {"up", "down"}
    assert (ind[["name_vi", "name_en", "measure_vi", "definition_vi", "definition_en"]] != "").all().all()
    parts = ind[ind["kind"].isin(["ratio", "rate"])]
    assert (parts[["numerator_vi", "denominator_vi", "numerator_en", "denominator_en"]] != "").all().all()
    assert (ind.loc[ind["measure_vi"] == "%", "limit"] == "100").all()
    assert ind.set_index("indicator").loc["party_introductions", "measure_vi"] == "người/CĐCS"


def test_targets_reference_known_plan_and_indicator():
    targets = read("targets.csv")
    assert set(targets["plan"]) <= set(read("plans.csv")["plan"])
    assert set(targets["indicator"]) <= set(read("indicators.csv")["indicator"])
    assert not targets.duplicated(["plan", "target"]).any(), "target codes must be unique per plan"


def test_targets_are_well_formed():
    targets = read("targets.csv")
    assert set(targets["type"]) <= TARGET_TYPES
    for _, t in targets.iterrows():
        assert set(t["applies_to"].split("|")) <= LEVELS, t["target"]
        assert t["sector"] == "" or set(t["sector"].split("|")) <= SECTORS, t["target"]
        assert all(t[c] for c in ("group", "group_vi", "group_en", "label_vi", "label_en", "wording_vi",
                                  "source", "value", "order")), t["target"]
        if t["type"] in ("level", "cumulative"):
            assert t["target_year"], t["target"]
        if t["type"].endswith("band") and t["value_high"]:
            assert float(t["value_high"]) >= float(t["value"]), t["target"]
    for _, plan in targets.groupby("plan"):
        assert sorted(plan["order"].astype(int)) == list(range(1, len(plan) + 1))


def test_main_plan_has_27_targets_in_12_groups():
    main = read("targets.csv").query("plan == @MAIN_PLAN")
    assert len(main) == 27
    groups = set(main["group"])
    assert len(groups) == 12
    assert sum(g.startswith("NK") for g in groups) == 3 and sum(g.startswith("HN") for g in groups) == 9
    assert list(main.sort_values("order", key=lambda s: s.astype(int))["target"]) == list(MAIN_TARGETS)


def test_main_plan_targets_match_the_resolution():
    main = read("targets.csv").query("plan == @MAIN_PLAN").set_index("target")
    for code, (indicator, kind, value, high) in MAIN_TARGETS.items():
        t = main.loc[code]
        assert (t["indicator"], t["type"], float(t["value"])) == (indicator, kind, value), code
        assert (float(t["value_high"]) if t["value_high"] else None) == high, code
        assert t["base_year"] == "2023", code
    assert main.loc["NK1b", "baseline"] == "111258" and main.loc["NK2a", "baseline"] == "92.14"


def test_wording_is_quoted_from_the_seed_documents():
    seeds = {MAIN_PLAN: "000_*.txt", OLDER_PLAN: "001_*.txt"}
    files = {plan: sorted(SEEDS.glob(pattern)) for plan, pattern in seeds.items()}
    if not all(files.values()):
        pytest.skip(f"seed documents not found in {SEEDS}")
    texts = {plan: normalise(found[0].read_text(encoding="utf-8")) for plan, found in files.items()}
    for _, t in read("targets.csv").iterrows():
        assert normalise(t["wording_vi"]) in texts[t["plan"]], f"{t['plan']} {t['target']} not quoted verbatim"


def test_units_are_well_formed():
    units = read("units.csv")
    assert set(units["kind"]) <= UNIT_KINDS
    assert set(units["sector"]) - {""} <= SECTORS
    assert (units[["code", "name_vi", "name_en", "valid_from", "source"]] != "").all().all()
    codes = set(units["code"])
    assert set(units["parent"]) - {""} <= codes, "every parent must be a unit"
    assert set(units["successor"]) - {""} <= codes, "every successor must be a unit"
    assert (units.loc[units["kind"] == "province", "parent"] == "").all()
    assert (units.loc[units["kind"] != "province", "parent"] != "").all()


def test_unit_periods_do_not_overlap():
    for code, periods in read("units.csv").groupby("code"):
        periods = periods.sort_values("valid_from")
        ends = list(periods["valid_to"])
        for end, next_start in zip(ends, list(periods["valid_from"])[1:]):
            assert end and end < next_start, f"{code}: periods overlap"
        for _, p in periods.iterrows():
            assert p["valid_to"] == "" or p["valid_from"] <= p["valid_to"], code


def test_parents_exist_while_their_children_do():
    units = read("units.csv")
    for _, child in units[units["parent"] != ""].iterrows():
        parent = units[units["code"] == child["parent"]]
        for day in (child["valid_from"], child["valid_to"] or "2099-12-31"):
            assert any(covers(p, day) for _, p in parent.iterrows()), f"{child['code']} has no parent on {day}"


def test_reorganisation_of_2025():
    units = read("units.csv")
    upper_2024 = units[(units["parent"] == "AG") & units.apply(covers, day="2024-12-31", axis=1)]
    assert len(upper_2024) == 14
    grassroots = units[units["kind"] == "grassroots"]
    assert grassroots["code"].nunique() == len(grassroots) // 2 >= 40
    for code, periods in grassroots.groupby("code"):
        assert list(periods["valid_to"]) == ["2025-06-30", ""], code
        assert periods["name_vi"].nunique() == 1, code


def test_values_reference_known_units_and_indicators():
    units, frame = read("units.csv"), values()
    assert set(frame["unit"]) <= set(units["code"])
    assert set(frame["indicator"]) <= set(read("indicators.csv")["indicator"])
    assert (frame["source"] != "").all() and (frame["provenance"] != "").all()
    for (code, year), _ in frame.groupby(["unit", "year"]):
        periods = units[units["code"] == code]
        assert any(covers(p, f"{year}-12-31") for _, p in periods.iterrows()), f"{code} did not exist in {year}"
    assert set(read("values_published.csv")["provenance"]) == {"published"}
    assert set(read("values_demo.csv")["provenance"]) == {"illustrative"}


def test_ratio_and_rate_rows_are_consistent():
    frame = values()
    kinds = read("indicators.csv").set_index("indicator")["kind"]
    parts = frame[frame["numerator_num"].notna()]
    assert (parts["denominator_num"] > 0).all()
    for _, r in parts.iterrows():
        kind = kinds[r["indicator"]]
        assert kind in ("ratio", "rate"), r["indicator"]
        expected = r["numerator_num"] / r["denominator_num"] * (100 if kind == "ratio" else 1)
        assert abs(r["value_num"] - expected) <= 0.01, (r["unit"], r["indicator"], r["year"])
        if kind == "ratio":
            assert r["numerator_num"] <= r["denominator_num"], (r["unit"], r["indicator"], r["year"])


def test_demo_values_cover_upper_level_units_only():
    units, demo = read("units.csv"), read("values_demo.csv")
    upper = set(units.loc[~units["kind"].isin(["province", "grassroots"]), "code"])
    assert set(demo["unit"]) <= upper
    assert set(demo["year"]) == {"2024", "2025", "2026"}


def test_demo_totals_match_the_published_figures():
    demo = values().query("provenance == 'illustrative'")
    members = demo[demo["indicator"] == "members"].groupby("year")["value_num"].sum()
    assert 112_000 <= members[2024] <= 115_000
    assert members[2025] == 116_002
    assert 117_000 <= members[2026] <= 119_000
    rate = demo[demo["indicator"] == "membership_rate"]
    assert rate[rate["year"] == 2025]["denominator_num"].sum() == 124_317
    paired = rate.merge(demo[demo["indicator"] == "members"], on=["unit", "year"], suffixes=("", "_m"))
    assert (paired["numerator_num"] == paired["value_num_m"]).all(), "membership_rate numerator = members"
    new = demo[demo["indicator"] == "new_members"].groupby("year")["value_num"].sum()
    assert new.between(5_300, 5_800).all()


def test_period_totals():
    totals = read("period_totals.csv")
    assert set(totals["unit"]) <= set(read("units.csv")["code"])
    assert set(totals["indicator"]) <= set(read("indicators.csv")["indicator"])
    assert (totals["source"] != "").all()
    assert dict(zip(totals["indicator"], totals["value"].astype(int)))["union_houses"] == 555


PROJECT_FILE = re.compile(r"[\w./-]+\.(md|py|csv|tsv|txt|xlsx|duckdb|json|toml|parquet)\b|\bseeds/|\bREADME\b",
                          re.IGNORECASE)


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.csv")))
def test_no_source_cites_a_file_of_this_project(name):
    """A shipped figure cites a real document (shown in hovers, source tables and PDF footnotes), never
    a file of this project such as the team's own notes."""
    frame = read(name)
    cited = [c for c in frame.columns if c in ("source", "note")]
    found = [(c, v) for c in cited for v in frame[c] if isinstance(v, str) and PROJECT_FILE.search(v)]
    assert found == []


def test_published_figures_name_their_document():
    published = values().query("provenance == 'published'")
    assert not published["source"].str.contains("chưa xác định|not identified|unknown", case=False).any()
    merged = published[published["unit"] == "AG-2025"]
    assert len(merged) and merged["source"].str.contains("Lao Động").all()
    assert merged["source"].str.contains("1623430").all()  # news.laodong.vn, the article's number
