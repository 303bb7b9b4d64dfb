"""A realistic national dataset, generated: for measuring the product at the Confederation's scale.

``python -m metrics synth --provinces 34 --grassroots 130000 --years 10 --out DIR`` writes
``units.csv`` (the national federation, 63 provinces merged into 34 on 1 July 2025, district
federations dissolved and commune/ward unions created, grassroots unions moving between them),
``targets.csv`` (one plan with its indicators of every kind and targets of every type, in the
one-file layout of docs/data-files.md) and ``values.csv`` (yearly figures of every grassroots union,
plus the upper-level unions' own ratings). The three load with ``units import``, ``targets import``
and ``import`` into an empty database. Names are synthetic and say so; figures are plausible, not real.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

REORGANISATION = "2025-07-01"
BEFORE = "2025-06-30"
OLD_PER_NEW = 63 / 34
DISTRICTS_PER_OLD_PROVINCE = 11
COMMUNES_PER_PROVINCE = 98
SECTOR_UNIONS = (("GD", "Công đoàn ngành Giáo dục", "Education Union", "public_admin"),
                 ("YT", "Công đoàn ngành Y tế", "Health Union", "public_admin"),
                 ("KCN", "Công đoàn các Khu công nghiệp", "Industrial Zones Union", "non_state"))
SECTORS = np.array(["public_admin", "state_enterprise", "non_state"])
SECTOR_SHARES = np.array([0.45, 0.07, 0.48])
SOURCE = "Số liệu tổng hợp (synthetic) — không phải số liệu thật"
PLAN = "SYN-2028"


@dataclass(frozen=True)
class Indicator:
    code: str
    name_vi: str
    name_en: str
    kind: str  # stock | flow | ratio | rate
    measure_vi: str
    measure_en: str
    leaf: bool = True  # reported by grassroots unions (else by upper-level unions about themselves)


INDICATORS = [
    Indicator("members", "Đoàn viên công đoàn", "Union members", "stock", "đoàn viên", "members"),
    Indicator("membership_rate", "Tỷ lệ CNVCLĐ là đoàn viên", "Workers who are members", "ratio", "%", "%"),
    Indicator("new_members", "Đoàn viên phát triển mới", "New members admitted", "flow", "đoàn viên", "members"),
    Indicator("union_houses", "Nhà “Mái ấm công đoàn”", "Union houses", "flow", "căn", "houses"),
    Indicator("initiatives", "Giải pháp, sáng kiến", "Initiatives", "flow", "sáng kiến", "initiatives"),
    Indicator("welfare_gifts", "Suất quà Tết sum vầy", "Tết gifts", "flow", "suất", "gifts"),
    Indicator("cba_coverage", "Ký kết thỏa ước lao động tập thể", "Collective agreement coverage", "ratio", "%", "%"),
    Indicator("cba_rated_b", "Thỏa ước loại B trở lên", "Agreements rated B or better", "ratio", "%", "%"),
    Indicator("democracy_rules", "Thực hiện quy chế dân chủ ở cơ sở", "Grassroots-democracy rules", "ratio",
              "%", "%"),
    Indicator("workplace_dialogue", "Tổ chức đối thoại tại nơi làm việc", "Workplace dialogue held", "ratio",
              "%", "%"),
    Indicator("workers_conference", "Tổ chức hội nghị người lao động", "Workers' conference held", "ratio", "%", "%"),
    Indicator("cdcs_rated_well", "CĐCS hoàn thành tốt nhiệm vụ", "Grassroots unions rated well", "ratio", "%", "%"),
    Indicator("women_committee", "CĐCS có ban nữ công", "Grassroots unions with a women's committee", "ratio",
              "%", "%"),
    Indicator("officials_trained", "Cán bộ CĐCS được bồi dưỡng", "Grassroots officials trained", "ratio", "%", "%"),
    Indicator("dues_common_account", "Nộp kinh phí qua tài khoản chung", "Dues via the common account", "ratio",
              "%", "%"),
    Indicator("finance_published", "Công khai tài chính", "Finances published", "ratio", "%", "%"),
    Indicator("party_introductions", "Đoàn viên ưu tú giới thiệu cho Đảng", "Members introduced to the Party",
              "rate", "người/CĐCS", "per union"),
    Indicator("hardship_visited", "Đoàn viên khó khăn được thăm hỏi", "Members in hardship visited", "ratio",
              "%", "%"),
    Indicator("welfare_users", "Đoàn viên hưởng phúc lợi", "Members using welfare programmes", "ratio", "%", "%"),
    Indicator("skills_training", "CNLĐ học nâng cao tay nghề", "Workers in skills training", "ratio", "%", "%"),
    Indicator("legal_cases", "Vụ việc có đại diện công đoàn", "Cases with union representation", "ratio", "%", "%"),
    Indicator("disputes_handled", "Tranh chấp có công đoàn tham gia", "Disputes with union involvement", "ratio",
              "%", "%"),
    Indicator("accidents", "Tai nạn lao động", "Workplace accidents", "flow", "vụ", "accidents"),
    Indicator("upper_rated_well", "CĐ cấp trên hoàn thành tốt nhiệm vụ", "Upper-level unions rated well", "ratio",
              "%", "%", leaf=False),
    Indicator("upper_finance_check", "CĐ cấp trên tự kiểm tra tài chính đúng hạn",
              "Upper-level unions checking finances on time", "ratio", "%", "%", leaf=False),
    Indicator("upper_inspections", "CĐCS được cấp trên kiểm tra tài chính", "Unions inspected by the upper level",
              "ratio", "%", "%", leaf=False),
    Indicator("upper_models", "Mô hình sáng tạo của CĐ cấp trên", "Creative models of upper-level unions", "rate",
              "mô hình/đơn vị", "per union", leaf=False),
    Indicator("upper_dialogues", "Đối thoại với chính quyền địa phương", "Dialogues with local authorities", "ratio",
              "%", "%", leaf=False),
    Indicator("upper_officials", "Cán bộ chuyên trách được đào tạo", "Full-time officials trained", "ratio", "%", "%",
              leaf=False),
    Indicator("upper_reports_on_time", "Báo cáo đúng hạn", "Reports on time", "ratio", "%", "%", leaf=False),
]

# (target code, group, indicator, type, value, value_high, applies_to); the group's title follows.
# A value of None is set from the first year's national total (``SCALED``), so targets fit any size;
# such national totals apply to the nation only (a province is not judged against them).
TARGETS = [
    ("NK1a", "NK1", "new_members", "cumulative", None, None, "national"),
    ("NK1b", "NK1", "members", "level", None, None, "national"),  # value set from the data
    ("NK1c", "NK1", "membership_rate", "level", 95, None, "national|province|upper"),
    ("NK2a", "NK2", "cba_coverage", "level", 96, None, "national|province|upper"),
    ("NK2b", "NK2", "legal_cases", "level", 90, None, "national|province|upper"),
    ("NK3a", "NK3", "union_houses", "cumulative", None, None, "national"),
    ("HN1a", "HN1", "skills_training", "annual_floor", 65, None, "national|province|upper"),
    ("HN1b", "HN1", "welfare_users", "annual_band", 30, 50, "national|province|upper"),
    ("HN2a", "HN2", "democracy_rules", "annual_floor", 96, None, "national|province|upper"),
    ("HN2b", "HN2", "workplace_dialogue", "annual_floor", 80, None, "national|province|upper"),
    ("HN2c", "HN2", "workers_conference", "annual_floor", 80, None, "national|province|upper"),
    ("HN3", "HN3", "party_introductions", "unit_band", 1, 2, "national|province|upper|grassroots"),
    ("HN4a", "HN4", "upper_rated_well", "annual_floor", 90, None, "national|province"),
    ("HN4b", "HN4", "cdcs_rated_well", "annual_floor", 80, None, "national|province|upper"),
    ("HN5", "HN5", "officials_trained", "annual_floor", 90, None, "national|province|upper"),
    ("HN6", "HN6", "women_committee", "annual_floor", 90, None, "national|province|upper"),
    ("HN7", "HN7", "hardship_visited", "annual_floor", 100, None, "national|province|upper"),
    ("HN8", "HN8", "dues_common_account", "annual_floor", 90, None, "national|province|upper"),
    ("HN9", "HN9", "upper_finance_check", "annual_floor", 100, None, "national|province"),
    ("HN10", "HN10", "accidents", "annual_ceiling", None, None, "national"),  # value set from the data
    ("HN11a", "HN11", "initiatives", "annual_floor", None, None, "national"),
    ("HN11b", "HN11", "welfare_gifts", "cumulative", None, None, "national"),
    ("HN11c", "HN11", "cba_rated_b", "level", 50, None, "national|province"),
    ("HN11d", "HN11", "finance_published", "annual_floor", 100, None, "national|province|upper"),
    ("HN11e", "HN11", "disputes_handled", "annual_floor", 100, None, "national|province"),
    ("HN12a", "HN12", "upper_inspections", "annual_floor", 10, None, "national|province"),
    ("HN12b", "HN12", "upper_models", "unit_band", 1, None, "national|province"),
    ("HN12c", "HN12", "upper_dialogues", "annual_floor", 80, None, "national|province"),
    ("HN12d", "HN12", "upper_officials", "annual_floor", 100, None, "national|province"),
    ("HN12e", "HN12", "upper_reports_on_time", "annual_floor", 95, None, "national|province"),
]
SCALED = {"members": 1.25, "accidents": 0.9, "initiatives": 1.1}  # × the first year's total
CUMULATIVE_PACE = 1.05  # cumulative targets: × the first year's flow × the years to 2028

GROUPS = {"NK1": "Đoàn viên và tổ chức", "NK2": "Thỏa ước và đại diện", "NK3": "Mái ấm công đoàn",
          "HN1": "Học tập, phúc lợi", "HN2": "Dân chủ, đối thoại", "HN3": "Giới thiệu đảng viên",
          "HN4": "Xếp loại", "HN5": "Đào tạo cán bộ", "HN6": "Nữ công", "HN7": "Thăm hỏi",
          "HN8": "Tài chính", "HN9": "Kiểm tra", "HN10": "An toàn lao động", "HN11": "Thi đua, phúc lợi",
          "HN12": "Công đoàn cấp trên"}


def _periods(code, name_vi, name_en, kind, sector, parent, start, end=None, successor=None) -> dict:
    return {"code": code, "name_vi": name_vi, "name_en": name_en, "kind": kind, "sector": sector or "",
            "parent": parent or "", "valid_from": start, "valid_to": end or "", "successor": successor or "",
            "official_code": "", "source": "synthetic: tên và số liệu tổng hợp"}


def build_units(provinces: int, grassroots: int, rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """Unit periods, and for every grassroots union its sector and its parents before and after 2025."""
    old_count = max(provinces, round(provinces * OLD_PER_NEW))
    rows = [_periods("VN", "Tổng Liên đoàn Lao động Việt Nam", "Vietnam General Confederation of Labour",
                     "national_federation", None, None, "1929-07-28")]
    new_of_old = np.arange(old_count) % provinces  # each old province merges into one new province
    districts, communes, uppers_new = [], [], {}
    for p in range(provinces):
        code = f"P{p + 1:02d}"
        rows.append(_periods(code, f"Liên đoàn Lao động tỉnh Tổng Hợp {p + 1:02d}",
                             f"Synthetic Province {p + 1:02d} Federation", "province", None, "VN", REORGANISATION))
        for c in range(COMMUNES_PER_PROVINCE):
            cc = f"{code}-X{c + 1:03d}"
            rows.append(_periods(cc, f"Công đoàn xã Tổng Hợp {c + 1:03d} ({code})", f"Commune Union {c + 1:03d} ({code})",
                                 "commune_union", None, code, REORGANISATION))
            communes.append((p, cc))
        for s, name_vi, name_en, sector in SECTOR_UNIONS:
            uppers_new[(p, s)] = f"{code}-{s}"
            rows.append(_periods(f"{code}-{s}", f"{name_vi} ({code})", f"{name_en} ({code})", "sector_union"
                                 if s != "KCN" else "industrial_zone_union", sector, code, REORGANISATION))
    for o in range(old_count):
        code, new = f"T{o + 1:02d}", f"P{new_of_old[o] + 1:02d}"
        rows.append(_periods(code, f"Liên đoàn Lao động tỉnh Cũ {o + 1:02d}", f"Former Province {o + 1:02d} Federation",
                             "province", None, "VN", "1976-01-01", BEFORE, new))
        for d in range(DISTRICTS_PER_OLD_PROVINCE):
            dc = f"{code}-H{d + 1:02d}"
            rows.append(_periods(dc, f"Liên đoàn Lao động huyện Cũ {d + 1:02d} ({code})",
                                 f"Former District {d + 1:02d} ({code})", "district_federation", None, code,
                                 "1976-01-01", BEFORE))
            districts.append((o, dc))
        for s, name_vi, name_en, sector in SECTOR_UNIONS:
            rows.append(_periods(f"{code}-{s}", f"{name_vi} ({code})", f"{name_en} ({code})", "sector_union"
                                 if s != "KCN" else "industrial_zone_union", sector, code, "1976-01-01", BEFORE,
                                 uppers_new[(new_of_old[o], s)]))
    units = pd.DataFrame(rows)
    leaves = _grassroots(grassroots, old_count, provinces, new_of_old, rng)
    return pd.concat([units, _grassroots_periods(leaves)], ignore_index=True), leaves


def _grassroots(count: int, old_count: int, provinces: int, new_of_old: np.ndarray, rng) -> pd.DataFrame:
    """Each grassroots union: its old province and district, its new commune, its sector and size."""
    old = rng.integers(0, old_count, count)
    sector = rng.choice(SECTORS, count, p=SECTOR_SHARES)
    district = rng.integers(0, DISTRICTS_PER_OLD_PROVINCE, count)
    commune = rng.integers(0, COMMUNES_PER_PROVINCE, count)
    new = new_of_old[old]
    size = np.maximum(5, rng.lognormal(3.6, 1.0, count)).astype(int)  # workers: median ≈ 37
    codes = np.char.add("CS", np.char.zfill(np.arange(1, count + 1).astype(str), 6))
    old_code = np.char.add("T", np.char.zfill((old + 1).astype(str), 2))
    new_code = np.char.add("P", np.char.zfill((new + 1).astype(str), 2))
    pre = np.char.add(np.char.add(old_code, "-H"), np.char.zfill((district + 1).astype(str), 2))
    post = np.char.add(np.char.add(new_code, "-X"), np.char.zfill((commune + 1).astype(str), 3))
    in_sector_union = rng.random(count) < 0.25  # some belong to a sector or industrial-zone union
    suffix = np.where(sector == "non_state", "-KCN", np.where(rng.random(count) < 0.5, "-GD", "-YT"))
    pre = np.where(in_sector_union, np.char.add(old_code, suffix), pre)
    post = np.where(in_sector_union, np.char.add(new_code, suffix), post)
    return pd.DataFrame({"code": codes, "sector": sector, "pre": pre, "post": post, "workers": size})


def _grassroots_periods(leaves: pd.DataFrame) -> pd.DataFrame:
    names_vi = "Công đoàn cơ sở Tổng Hợp " + leaves["code"].str[2:]
    names_en = "Synthetic Grassroots Union " + leaves["code"].str[2:]
    common = dict(code=leaves["code"], name_vi=names_vi, name_en=names_en, kind="grassroots",
                  sector=leaves["sector"], successor="", official_code="", source="synthetic: tên và số liệu tổng hợp")
    before = pd.DataFrame({**common, "parent": leaves["pre"], "valid_from": "2000-01-01", "valid_to": BEFORE})
    after = pd.DataFrame({**common, "parent": leaves["post"], "valid_from": REORGANISATION, "valid_to": ""})
    return pd.concat([before, after], ignore_index=True)


def leaf_values(leaves: pd.DataFrame, year: int, first: int, rng) -> pd.DataFrame:
    """One year of every grassroots union's figures, drawn around slowly improving national rates."""
    n, t = len(leaves), year - first
    workers = np.maximum(3, (leaves["workers"].to_numpy() * (1.02 ** t) * rng.normal(1, 0.03, n)).astype(int))
    # At least one member: a grassroots union has members by definition, and members are a denominator.
    members = np.clip(rng.binomial(workers, min(0.97, 0.86 + 0.008 * t)), 1, workers)

    def yes(p):  # one union's yes/no, reported as 1/1 or 0/1
        return rng.random(n) < min(0.995, p + 0.006 * t)

    parts = {
        "membership_rate": (members, workers),
        "cba_coverage": (yes(0.88), np.ones(n)), "cba_rated_b": (yes(0.42), np.ones(n)),
        "democracy_rules": (yes(0.93), np.ones(n)), "workplace_dialogue": (yes(0.74), np.ones(n)),
        "workers_conference": (yes(0.78), np.ones(n)), "cdcs_rated_well": (yes(0.76), np.ones(n)),
        "women_committee": (yes(0.86), np.ones(n)), "officials_trained": (yes(0.85), np.ones(n)),
        "dues_common_account": (yes(0.86), np.ones(n)), "finance_published": (yes(0.95), np.ones(n)),
        "party_introductions": (rng.poisson(1.1 + 0.03 * t, n), np.ones(n)),
        "skills_training": (rng.binomial(workers, min(0.9, 0.58 + 0.01 * t)), workers),
        "welfare_users": (rng.binomial(members, 0.3 + 0.01 * t), members),
    }
    cases = rng.poisson(0.6, n)
    parts["legal_cases"] = (rng.binomial(cases, 0.86), cases)
    hardship = rng.poisson(1.5, n)
    parts["hardship_visited"] = (rng.binomial(hardship, 0.97), hardship)
    disputes = rng.poisson(0.05, n)
    parts["disputes_handled"] = (disputes, disputes)
    counts = {"members": members, "new_members": rng.poisson(0.07 * members),
              "union_houses": rng.poisson(0.02, n), "initiatives": rng.poisson(0.02 * members + 0.2),
              "welfare_gifts": rng.poisson(0.3 * members), "accidents": rng.poisson(max(0.01, 0.05 - 0.003 * t), n)}
    frames = [_long(leaves["code"], code, year, value=v) for code, v in counts.items()]
    frames += [_long(leaves["code"], code, year, numerator=a, denominator=b) for code, (a, b) in parts.items()
               if code not in ("legal_cases", "hardship_visited", "disputes_handled")]
    for code in ("legal_cases", "hardship_visited", "disputes_handled"):
        numerator, denominator = parts[code]
        keep = denominator > 0  # a union with no case reports nothing for it
        frames.append(_long(leaves["code"][keep], code, year, numerator=numerator[keep],
                            denominator=denominator[keep]))
    return pd.concat(frames, ignore_index=True)


def upper_values(uppers: np.ndarray, year: int, first: int, rng) -> pd.DataFrame:
    """Upper-level unions' figures about themselves: ratings, checks, models, dialogues."""
    n, t = len(uppers), year - first
    one = np.ones(n)
    staff = rng.integers(2, 9, n)
    frames = [
        _long(uppers, "upper_rated_well", year, numerator=rng.random(n) < 0.9 + 0.005 * t, denominator=one),
        _long(uppers, "upper_finance_check", year, numerator=rng.random(n) < 0.96, denominator=one),
        _long(uppers, "upper_inspections", year, numerator=rng.integers(1, 6, n), denominator=rng.integers(20, 60, n)),
        _long(uppers, "upper_models", year, numerator=rng.poisson(1.2, n), denominator=one),
        _long(uppers, "upper_dialogues", year, numerator=rng.random(n) < 0.85, denominator=one),
        _long(uppers, "upper_officials", year, numerator=np.minimum(staff, rng.binomial(staff, 0.95)),
              denominator=staff),
        _long(uppers, "upper_reports_on_time", year, numerator=rng.random(n) < 0.9, denominator=one),
    ]
    return pd.concat(frames, ignore_index=True)


def _long(units, indicator: str, year: int, value=None, numerator=None, denominator=None) -> pd.DataFrame:
    n = len(units)
    empty = pd.array([pd.NA] * n, dtype="Int64")

    def column(values):
        return empty if values is None else pd.array(np.asarray(values).astype(np.int64), dtype="Int64")

    return pd.DataFrame({"unit": np.asarray(units), "indicator": indicator, "year": year, "value": column(value),
                         "numerator": column(numerator), "denominator": column(denominator)})


def upper_units_in(units: pd.DataFrame, year: int) -> np.ndarray:
    """Upper-level unions whose period covers 31 December of ``year``."""
    day = f"{year}-12-31"
    upper = units[~units["kind"].isin(["national_federation", "province", "grassroots"])]
    valid = (upper["valid_from"] <= day) & ((upper["valid_to"] == "") | (upper["valid_to"] >= day))
    return upper.loc[valid, "code"].to_numpy()


def targets_frame(first_year: int, totals: dict[str, float]) -> pd.DataFrame:
    """One plan, its indicators and its targets in the one-file layout (docs/data-files.md)."""
    kinds = {i.code: i for i in INDICATORS}
    rows = []
    for order, (code, group, indicator, typ, value, high, applies) in enumerate(TARGETS, start=1):
        ind = kinds[indicator]
        if value is None:
            scale = SCALED.get(indicator, CUMULATIVE_PACE * (2028 - first_year))
            value = max(1, round(totals.get(indicator, 1.0) * scale))
        parts = ("Số có kết quả", "Units with the result", "Số được hỏi", "Units asked") \
            if ind.kind in ("ratio", "rate") else ("", "", "", "")
        rows.append({
            "plan": PLAN, "plan_name_vi": f"Chương trình tổng hợp {first_year}–2028 (dữ liệu tổng hợp)",
            "plan_name_en": f"Synthetic programme {first_year}–2028 (synthetic data)",
            "plan_issuer": "Tổng Liên đoàn Lao động Việt Nam (giả lập)", "plan_start_year": first_year,
            "plan_end_year": 2028,
            "plan_unit": "VN", "plan_source": "synthetic", "plan_headline": "NK1b|NK2a|NK3a", "target": code,
            "group": group,
            "group_vi": GROUPS[group], "group_en": group, "indicator": indicator,
            "indicator_name_vi": ind.name_vi, "indicator_name_en": ind.name_en, "measure_vi": ind.measure_vi,
            "measure_en": ind.measure_en, "kind": ind.kind, "direction": "down" if indicator == "accidents" else "up",
            "numerator_vi": parts[0], "numerator_en": parts[1], "denominator_vi": parts[2], "denominator_en": parts[3],
            "limit": 100 if ind.kind == "ratio" else "", "definition_vi": ind.name_vi, "definition_en": ind.name_en,
            "type": typ, "value": value, "value_high": "" if high is None else high,
            "target_year": 2028 if typ in ("level", "cumulative") else "", "base_year": first_year, "baseline": "",
            "sector": "", "applies_to": applies, "label_vi": ind.name_vi, "label_en": ind.name_en,
            "wording_vi": f"{ind.name_vi} (chỉ tiêu tổng hợp)", "source": "synthetic", "order": order,
        })
    return pd.DataFrame(rows)


def synthesise(out: Path, provinces: int = 34, grassroots: int = 130_000, years: int = 10,
               last_year: int = 2026, seed: int = 7) -> dict[str, int]:
    """Write units.csv, targets.csv and values.csv into ``out``; return the row count of each."""
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    units, leaves = build_units(provinces, grassroots, rng)
    units.to_csv(out / "units.csv", index=False, quoting=csv.QUOTE_MINIMAL)
    first = last_year - years + 1
    rows, totals = 0, {}
    with open(out / "values.csv", "w", encoding="utf-8", newline="") as handle:
        handle.write("unit,indicator,year,value,numerator,denominator,source\n")
        for year in range(first, last_year + 1):
            frame = pd.concat([leaf_values(leaves, year, first, rng),
                               upper_values(upper_units_in(units, year), year, first, rng)], ignore_index=True)
            if year == first:
                totals = frame.groupby("indicator")["value"].sum().astype(float).to_dict()
            frame.assign(source=SOURCE).to_csv(handle, header=False, index=False)
            rows += len(frame)
    targets = targets_frame(first, totals)
    targets.to_csv(out / "targets.csv", index=False)
    return {"units": len(units), "targets": len(targets), "values": rows}


def add_parser(sub, common) -> None:
    """``python -m metrics synth`` (registered by metrics/cli/commands.py)."""
    p = sub.add_parser("synth", parents=[common], help="write a generated national dataset (units, targets, values)")
    p.add_argument("--provinces", type=int, default=34, help="provinces after the 2025 merges (default 34)")
    p.add_argument("--grassroots", type=int, default=130_000, help="grassroots unions (default 130000)")
    p.add_argument("--years", type=int, default=10, help="years of figures, ending in 2026 (default 10)")
    p.add_argument("--seed", type=int, default=7, help="random seed: the same seed writes the same files")
    p.add_argument("--out", type=Path, required=True, help="folder to write units.csv, targets.csv, values.csv")
    p.set_defaults(handler=_command)


def _command(args) -> int:
    counts = synthesise(args.out, args.provinces, args.grassroots, args.years, seed=args.seed)
    files = ", ".join(f"{name}.csv: {count:,}" for name, count in counts.items())
    print(f"Đã ghi vào {args.out}: {files}" if args.lang == "vi" else f"Wrote to {args.out}: {files}")
    return 0
