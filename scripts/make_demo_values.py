"""Generate the illustrative (demo) values shipped in data/values_demo.csv.

Reads data/units.csv, data/indicators.csv and data/targets.csv and writes data/values_demo.csv with the
columns of data/values_published.csv. The numbers are invented, but they hold together: unit members add up
to the published provincial totals, numerators never exceed denominators, and the annual indicators land on
a realistic mix of met and missed targets. Same input, same output (fixed random seed).

Run from the project root: .venv/bin/python scripts/make_demo_values.py
"""
import random
from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parent.parent / "data"
SEED = 20230929  # opening day of the 11th provincial union congress
SOURCE = "Số liệu minh họa (demo) — không phải số liệu chính thức"
ROOT_PROVINCE = "AG"
MAIN_PLAN = "DH-XI-2023-2028"
YEARS = (2024, 2025, 2026)
OLDER_PLAN_YEARS = (2024, 2025)
OLDER_PLAN_INDICATORS = ("initiatives", "cba_better_terms", "cba_rated_b_or_better")
NEVER_MISSING = {"members", "new_members", "union_houses", "union_houses_new", "cba_coverage", "membership_rate"}

# Province totals; 2025 members, workers and grassroots unions are the published figures.
MEMBERS = {2024: 113_480, 2025: 116_002, 2026: 118_046}
WORKERS = {2024: 122_550, 2025: 124_317, 2026: 125_580}
GRASSROOTS_UNIONS = {2024: 842, 2025: 785, 2026: 792}
FLOWS = {
    "new_members": {2024: 5_420, 2025: 5_310, 2026: 5_760},
    "union_houses": {2024: 55, 2025: 52, 2026: 57},
    "union_houses_new": {2024: 36, 2025: 34, 2026: 38},
    "initiatives": {2024: 5_480, 2025: 5_120},
}
# Province-wide level each ratio should land on (%; per CĐCS for the rate), for 2024, 2025, 2026.
PROVINCE_LEVEL = {
    "enterprises_25_with_union": (86.5, 88.9, 91.2),
    "cba_coverage": (93.0, 94.5, 95.3),
    "legal_cases_represented": (78.0, 83.0, 86.0),
    "members_informed": (84.6, 78.9, 86.2),          # inside the 80–90 band, below it, inside again
    "workers_skills_training": (58.4, 62.1, 66.3),   # rising towards the 65% floor
    "democracy_rules_public_state": (100, 99.4, 100),  # missed once
    "democracy_rules_non_state": (96.8, 95.2, 97.1),   # missed once
    "dialogue_state_enterprises": (100, 100, 100),     # met every year
    "dialogue_non_state": (76.5, 79.1, 82.4),          # rising towards the 80% floor
    "party_introductions": (0.92, 1.08, 1.21),         # below the 1–2 band, then inside it
    "upper_unions_rated_well": (92.9, 85.0, 94.4),
    "cdcs_state_rated_well": (91.5, 92.3, 93.0),
    "cdcs_non_state_rated_well": (66.8, 71.4, 73.9),
    "fulltime_officials_trained": (100, 100, 100),
    "cdcs_officials_trained": (87.2, 90.6, 91.8),
    "new_chairs_trained": (100, 96.3, 100),
    "women_committees_non_state": (91.0, 92.4, 93.1),
    "members_using_welfare": (27.4, 29.6, 31.8),
    "hardship_members_visited": (100, 100, 100),
    "dues_via_common_account": (85.3, 88.7, 91.2),
    "unions_publishing_finances": (100, 100, 100),
    "upper_unions_finance_inspection": (100, 100, 94.4),
    "cdcs_inspected_by_upper": (11.2, 12.5, 10.8),
    "cba_better_terms": (88.1, 91.0, None),
    "cba_rated_b_or_better": (41.5, 44.2, None),
}
# What each denominator counts: (field of the unit profile, low factor, high factor).
DENOMINATOR = {
    "enterprises_25_with_union": ("enterprise_cdcs", 1.05, 1.25),
    "cba_coverage": ("cba_units", 1.0, 1.0),
    "legal_cases_represented": ("cdcs", 0.02, 0.06),
    "members_informed": ("workers", 1.0, 1.0),
    "workers_skills_training": ("enterprise_workers", 1.0, 1.0),
    "democracy_rules_public_state": ("cdcs_public_state", 1.0, 1.0),
    "democracy_rules_non_state": ("cdcs_non_state", 1.0, 1.0),
    "dialogue_state_enterprises": ("cdcs_state", 1.0, 1.0),
    "dialogue_non_state": ("cdcs_non_state", 1.0, 1.0),
    "party_introductions": ("cdcs", 1.0, 1.0),
    "upper_unions_rated_well": ("self", 1.0, 1.0),
    "cdcs_state_rated_well": ("cdcs_public_state", 1.0, 1.0),
    "cdcs_non_state_rated_well": ("cdcs_non_state", 1.0, 1.0),
    "fulltime_officials_trained": ("fulltime_officials", 1.0, 1.0),
    "cdcs_officials_trained": ("cdcs", 4.0, 6.0),
    "new_chairs_trained": ("cdcs", 0.10, 0.20),
    "women_committees_non_state": ("cdcs_non_state", 1.0, 1.0),
    "members_using_welfare": ("members", 1.0, 1.0),
    "hardship_members_visited": ("members", 0.01, 0.02),
    "dues_via_common_account": ("enterprise_cdcs", 1.0, 1.0),
    "unions_publishing_finances": ("unions", 1.0, 1.0),
    "upper_unions_finance_inspection": ("self", 1.0, 1.0),
    "cdcs_inspected_by_upper": ("enterprise_cdcs", 1.0, 1.0),
    "cba_better_terms": ("cbas", 1.0, 1.0),
    "cba_rated_b_or_better": ("cbas", 1.0, 1.0),
}
MEMBER_WEIGHT_BY_CODE = {"883": (12_000, 14_000), "CDN-GD": (14_000, 16_000), "CDN-YT": (6_000, 8_000)}
MEMBER_WEIGHT = {"district_federation": (4_000, 12_000), "sector_union": (6_000, 16_000),
                 "industrial_zone_union": (8_000, 12_000), "commune_union": (2_500, 8_000)}
UPPER_KINDS = set(MEMBER_WEIGHT)
MEMBERS_PER_CDCS = 140  # about 116.002 members ÷ 785 grassroots unions


def read(name):
    """Read a shipped CSV with every cell as text (codes like 883 stay text)."""
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


def split_total(total, weights):
    """Split an integer total in proportion to weights (largest remainder); the parts add up exactly."""
    shares = [total * w / sum(weights) for w in weights]
    parts = [int(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: shares[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def allocate(total, dens, caps, rng, spread=0.15):
    """Split a total into integer numerators, roughly in proportion to dens, none above its cap."""
    weights = [d * rng.uniform(1 - spread, 1) for d in dens]
    scale = total / sum(weights)
    nums = [min(cap, int(w * scale)) for w, cap in zip(weights, caps)]
    while sum(nums) < total:
        with_room = [i for i, (n, cap) in enumerate(zip(nums, caps)) if n < cap]
        nums[rng.choice(with_room)] += 1
    return nums


def covers(row, day):
    """True when the unit period in `row` includes the ISO date `day`."""
    return row["valid_from"] <= day and (row["valid_to"] == "" or day <= row["valid_to"])


def province_of(units, year):
    """The province unit of the tree of `year`: AG, or the successor that carries it on."""
    code = ROOT_PROVINCE
    while True:
        row = units[units["code"] == code].iloc[-1]
        if covers(row, f"{year}-12-31"):
            return code
        code = row["successor"]


def upper_units(units, year):
    """Upper-level units (not province, not grassroots) under the province on 31 December of `year`."""
    day, province = f"{year}-12-31", province_of(units, year)
    rows = [r for _, r in units.iterrows()
            if r["kind"] in UPPER_KINDS and r["parent"] == province and covers(r, day)]
    return sorted(rows, key=lambda r: r["code"])


def indicator_sectors(targets):
    """Indicator → set of sectors its targets concern; None when some target concerns every sector."""
    sectors = {}
    for _, t in targets.iterrows():
        wanted = set(t["sector"].split("|")) if t["sector"] else None
        if t["indicator"] not in sectors:
            sectors[t["indicator"]] = wanted
        elif sectors[t["indicator"]] is not None:
            sectors[t["indicator"]] = None if wanted is None else sectors[t["indicator"]] | wanted
    return sectors


def split_grassroots(cdcs, sector, rng):
    """Split a unit's grassroots unions into (public admin, state enterprise, non-state)."""
    if sector == "public_admin":
        return cdcs, 0, 0
    if sector == "non_state":
        return 0, 0, cdcs
    state = max(1, round(cdcs * rng.uniform(0.02, 0.05)))
    non_state = round(cdcs * rng.uniform(0.22, 0.30))
    return cdcs - state - non_state, state, non_state


def start_weights(unit, before, rng):
    """Relative size (members, grassroots unions) of a unit: its predecessor's size if it had one."""
    if before:
        return before["members"] * rng.uniform(1.0, 1.035), before["cdcs"] * rng.uniform(0.98, 1.03)
    members = rng.uniform(*MEMBER_WEIGHT_BY_CODE.get(unit["code"], MEMBER_WEIGHT[unit["kind"]]))
    return members, members / MEMBERS_PER_CDCS * rng.uniform(0.7, 1.3)


def build_profiles(units, year, predecessors, rng):
    """Invent the size of each upper-level unit in `year`: members, workers, grassroots unions…

    `predecessors` maps a unit code to last year's profile of the same unit (or of the unit it succeeds).
    """
    weights = [start_weights(u, predecessors.get(u["code"]), rng) for u in units]
    members = split_total(MEMBERS[year], [m for m, _ in weights])
    cdcs = split_total(GRASSROOTS_UNIONS[year], [c for _, c in weights])
    slack_w = [m * (1 / rng.uniform(0.89, 0.97) - 1) for m in members]
    workers = [m + s for m, s in zip(members, split_total(WORKERS[year] - MEMBERS[year], slack_w))]
    profiles = {}
    for u, m, w, c in zip(units, members, workers, cdcs):
        public, state, non_state = split_grassroots(c, u["sector"], rng)
        enterprise_share = {"public_admin": 0.0, "non_state": rng.uniform(0.95, 1.0)}.get(
            u["sector"], rng.uniform(0.30, 0.45))
        enterprise_cdcs = state + non_state
        profiles[u["code"]] = dict(
            members=m, workers=w, cdcs=c, cdcs_public_state=public + state, cdcs_state=state,
            cdcs_non_state=non_state, enterprise_cdcs=enterprise_cdcs,
            cba_units=enterprise_cdcs or max(1, round(c * rng.uniform(0.04, 0.08))),
            enterprise_workers=round(w * enterprise_share), unions=c + 1, self=1,
            fulltime_officials=rng.randint(2, 6))
    return profiles


def predecessor_profiles(units, previous):
    """Map each unit code to last year's profile of the same unit or of the unit it succeeds."""
    found = dict(previous)
    for _, r in units.iterrows():
        if r["successor"] and r["code"] in previous:
            found[r["successor"]] = previous[r["code"]]
    return found


def ratio_values(indicator, year, units, profiles, kind, rng):
    """Numerator/denominator pairs for one ratio or rate, landing near the planned province level."""
    field, low, high = DENOMINATOR[indicator]
    pairs = [(u["code"], max(1, round(profiles[u["code"]][field] * rng.uniform(low, high))))
             for u in units if profiles[u["code"]][field] > 0]
    dens = [d for _, d in pairs]
    level = PROVINCE_LEVEL[indicator][YEARS.index(year)]
    if kind == "rate":
        nums = allocate(round(level * sum(dens)), dens, [3 * d for d in dens], rng)
    else:
        nums = allocate(round(level / 100 * sum(dens)), dens, dens, rng)
    return [(code, n, d) for (code, d), n in zip(pairs, nums)]


def row(code, indicator, year, value, numerator="", denominator=""):
    """One output row in the layout of values_published.csv."""
    return dict(unit=code, indicator=indicator, year=year, value=value, numerator=numerator,
                denominator=denominator, source=SOURCE, note="", provenance="illustrative")


def flow_rows(ind, year, units, profiles, houses, rng):
    """Rows of one flow; newly built houses never exceed the unit's houses built or repaired."""
    if ind == "union_houses_new":
        caps = [houses[u["code"]] for u in units]
        counts = allocate(FLOWS[ind][year], caps, caps, rng)
    else:
        weights = [profiles[u["code"]]["members"] * rng.uniform(0.6, 1.4) for u in units]
        counts = split_total(FLOWS[ind][year], weights)
    if ind == "union_houses":
        houses.update({u["code"]: n for u, n in zip(units, counts)})
    return [row(u["code"], ind, year, n) for u, n in zip(units, counts)]


def indicator_rows(ind, kind, year, units, profiles, houses, rng):
    """Rows of one indicator in one year for the given units."""
    if ind == "members":
        return [row(u["code"], ind, year, profiles[u["code"]]["members"]) for u in units]
    if ind == "membership_rate":
        pairs = [(u["code"], profiles[u["code"]]["members"], profiles[u["code"]]["workers"]) for u in units]
    elif kind == "flow":
        return flow_rows(ind, year, units, profiles, houses, rng)
    else:
        pairs = ratio_values(ind, year, units, profiles, kind, rng)
    rows = []
    for code, n, d in pairs:
        if ind == "cba_coverage":
            profiles[code]["cbas"] = n  # the agreements that cba_better_terms / cba_rated_b_or_better rate
        value = f"{n / d:.2f}" if kind == "rate" else f"{100 * n / d:.2f}"
        rows.append(row(code, ind, year, value, n, d))
    return rows


def year_rows(year, units, profiles, indicators, sectors, rng):
    """All demo rows of one year; sector-specific indicators only for units of that sector or mixed."""
    wanted = list(dict.fromkeys(indicators["main"])) + ["membership_rate"]
    if year in OLDER_PLAN_YEARS:
        wanted += list(OLDER_PLAN_INDICATORS)
    rows, houses = [], {}
    for ind in wanted:
        eligible = [u for u in units if sectors.get(ind) is None or u["sector"] in ("", *sectors[ind])]
        rows += indicator_rows(ind, indicators["kind"][ind], year, eligible, profiles, houses, rng)
    return rows


def drop_not_reported(rows, indicators, rng):
    """Leave out two units' values for 3–4 annual ratio indicators: reports not in yet."""
    late_indicators = set(rng.sample(indicators["annual_ratios"], rng.choice([3, 4])))
    reported = {}
    for r in rows:
        reported.setdefault(r["unit"], set()).add(r["indicator"])
    candidates = sorted(code for code, inds in reported.items() if late_indicators <= inds)
    late_units = set(rng.sample(candidates, 2))
    return [r for r in rows if not (r["unit"] in late_units and r["indicator"] in late_indicators)]


def load_catalogue():
    """Indicators the main plan needs, their kinds, the annual ratio indicators and sectors."""
    targets, catalogue = read("targets.csv"), read("indicators.csv")
    kind = dict(zip(catalogue["indicator"], catalogue["kind"]))
    main = targets[targets["plan"] == MAIN_PLAN]
    annual = main[main["type"].isin(["annual_floor", "annual_band"])]
    annual_ratios = sorted({i for i in annual["indicator"] if kind[i] == "ratio"} - NEVER_MISSING)
    return dict(main=list(main["indicator"]), kind=kind, annual_ratios=annual_ratios), indicator_sectors(targets)


def main():
    """Build every year's rows and write data/values_demo.csv."""
    rng = random.Random(SEED)
    units = read("units.csv")
    indicators, sectors = load_catalogue()
    rows, previous = [], {}
    for year in YEARS:
        year_units = upper_units(units, year)
        profiles = build_profiles(year_units, year, predecessor_profiles(units, previous), rng)
        new_rows = year_rows(year, year_units, profiles, indicators, sectors, rng)
        if year == YEARS[-1]:
            new_rows = drop_not_reported(new_rows, indicators, rng)
        rows += new_rows
        previous = profiles
    out = pd.DataFrame(rows)
    out.to_csv(DATA / "values_demo.csv", index=False, encoding="utf-8", lineterminator="\n")
    print(f"wrote {len(out)} rows to {DATA / 'values_demo.csv'}")


if __name__ == "__main__":
    main()
