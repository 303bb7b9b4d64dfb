"""The nation's listing judged in bulk (metrics.judging.bulk) says exactly what judging one unit at a time says.

The oracle is ``metrics.domain.judgement.judge`` (and ``progress.assess`` inside it), through
``Scorecard.evaluate``: every row, every column, to the last bit.
"""

import numpy as np
import pandas as pd
import pytest

from metrics.domain.judgement import TargetSpec, judge
from metrics.judging import bulk
from metrics.judging.scorecard import Scorecard, records
from metrics.storage.store import Store
from metrics.synth import synthesise
from tests.helpers import copy_database, run_cli

YEARS = list(range(2018, 2027))


def _spec_cases() -> list[TargetSpec]:
    cases = []
    for direction in ("up", "down"):
        cases += [TargetSpec("level", 60.0, 2020, 2025, direction), TargetSpec("level", 0.0, 2020, 2025, direction),
                  TargetSpec("level", 45.0, 2020, 2025, direction, value_high=50.0),
                  TargetSpec("level", 50.0, 2019, 2019, direction),
                  TargetSpec("cumulative", 300.0, 2020, 2025, direction),
                  TargetSpec("annual_floor", 50.0, 2020, 2025, direction),
                  TargetSpec("annual_ceiling", 50.0, 2020, 2025, direction),
                  TargetSpec("annual_band", 40.0, 2020, 2025, direction, value_high=60.0),
                  TargetSpec("unit_band", 40.0, 2020, 2025, direction, value_high=60.0)]
    return cases


def _random_grid(rng) -> bulk.Grid:
    """Values around the targets: zeros, negatives, equal years and holes (missing years) on purpose."""
    n = 400
    values = rng.choice([0.0, -5.0, 50.0, 60.0], size=(n, len(YEARS)))
    values = np.where(rng.random((n, len(YEARS))) < 0.7, np.round(rng.normal(50, 25, (n, len(YEARS))), 1), values)
    values[rng.random((n, len(YEARS))) < 0.25] = np.nan
    grid = bulk._empty_grid([f"U{i}" for i in range(n)], YEARS)
    grid.value[:] = values
    return grid


@pytest.mark.parametrize("year", [2019, 2020, 2023, 2025, 2026])
def test_bulk_arithmetic_is_judge_on_every_row(year):
    rng = np.random.default_rng(year)
    for spec in _spec_cases():
        grid = _random_grid(rng)
        judged = {"level": bulk.judge_level, "cumulative": bulk.judge_cumulative}.get(spec.type, bulk.judge_annual)(
            spec, grid, year)
        for i in range(len(grid.codes)):
            series = {y: v for y, v in zip(YEARS, grid.value[i].tolist()) if v == v}
            v = judge(spec, series, year)
            col = judged["actual_col"][i]
            found = {"status": judged["status"][i], "actual_year": YEARS[col] if col >= 0 else None,
                     **{k: _none(judged[k][i]) for k in ("actual", "target_value", "achievement_pct", "expected",
                                                        "gap", "pace_per_year", "pace_rate", "projection", "score")},
                     "years_met": _whole(judged["years_met"][i]), "years_assessed": _whole(judged["years_assessed"][i]),
                     "band_position": judged["band_position"][i], "trend": judged["trend"][i]}
            wanted = {k: getattr(v, k) for k in found}
            assert found == wanted, (spec, year, series)


def _none(value):
    return None if value != value else float(value)


def _whole(value):
    return None if value < 0 else int(value)


def _one_by_one(card: Scorecard, plan: str, year: int, target: dict) -> pd.DataFrame:
    return records(card.evaluate(plan, year, targets=[target["code"]]))


def _compare_every_target(path, years_of=None, as_of: int | None = None) -> int:
    """Every target of every plan in the judged years (as of a batch, if given): the bulk listing against the
    per-row one, as text."""
    store = Store.open(path, read_only=True)
    in_bulk = 0
    try:
        with store.reading():
            for plan in store.plans()["code"]:
                card, oracle = Scorecard(store, as_of=as_of), Scorecard(store, as_of=as_of)
                years = years_of(card, plan) if years_of else [card.latest_year(plan)]
                for year in years:  # (as ``status`` lists them: each next target's figures read ahead on a thread)
                    for target, found in bulk.status_frames(card, plan, year, card.targets(plan)):
                        wanted = _one_by_one(oracle, plan, year, target)
                        assert found.to_csv(index=False) == wanted.to_csv(index=False), (plan, year, target["code"])
                        if bulk._bulk_ready(card, target) and not found.empty:
                            scope = bulk.roster(card, plan, year)
                            codes = [scope.codes[i] for i in bulk._applying(card, target, scope)]
                            in_bulk += sum(line is not None for line in bulk._lines(card, target, codes, year))
    finally:
        store.close()
    return in_bulk


@pytest.mark.slow
def test_demo_listing_is_the_same_in_bulk(demo_template, tmp_path):
    """Every third year of each plan and its latest (a year before the data, a year judged after a deadline)."""
    path = copy_database(demo_template, tmp_path)
    assert _compare_every_target(path, lambda card, plan: sorted({*card.years(plan)[::3], card.latest_year(plan),
                                                                  int(card.plans[plan]["start_year"])})) > 0


def test_a_listing_as_of_an_earlier_import_is_the_one_judged_row_by_row(demo_template, tmp_path):
    """A state as of an import is judged one by one (the roll-ups in the database are of the data now)."""
    path = copy_database(demo_template, tmp_path)
    assert _compare_every_target(path, as_of=1) == 0


def test_merged_province_listing_is_the_same_in_bulk(mini_template, tmp_path):
    """A province formed by merging several in 2025: its years before reconstructed, one by one; the rest in bulk."""
    path = copy_database(mini_template, tmp_path)
    assert _compare_every_target(path, lambda card, plan: card.years(plan)) > 0


@pytest.mark.slow
def test_generated_federation_listing_is_the_same_in_bulk(tmp_path):
    """A generated federation (provinces merged in 2025, every grassroots union moved to a commune), a tenth of
    its values left out (missing years): bulk and one by one agree on every row, and most rows are in bulk."""
    out = tmp_path / "federation"
    synthesise(out, provinces=3, grassroots=300, years=6, seed=5)
    values = pd.read_csv(out / "values.csv", dtype=str, keep_default_na=False)
    leaves = values["unit"].str.startswith("CS")
    keep = ~leaves | (np.random.default_rng(5).random(len(values)) > 0.1)
    values[keep].to_csv(out / "values.csv", index=False)
    db = tmp_path / "federation.duckdb"
    run_cli("init", db=db)
    run_cli("units", "import", out / "units.csv", db=db)
    run_cli("targets", "import", out / "targets.csv", db=db)
    run_cli("import", out / "values.csv", "--plan", "SYN-2028", db=db)
    in_bulk = _compare_every_target(db, lambda card, plan: [2023, 2024, 2025, 2026])
    assert in_bulk > 10_000


def test_unit_periods_through_arrow_are_the_frame_df_gives(demo_template):
    """``Store.unit_periods`` reads the periods through Arrow on DuckDB (issue 17): the same frame, column types
    and all, as ``.df()`` of the same query (texts with a gap, texts with no value at all, days with a gap)."""
    from metrics.storage.store import Store

    store = Store.open(demo_template, read_only=True)
    try:
        read = store.unit_periods()
        with store.cursor() as cur:
            expected = cur.execute("""
                SELECT *, dense_rank() OVER (ORDER BY name_vi COLLATE vi) AS rank_vi,
                          dense_rank() OVER (ORDER BY name_en COLLATE en) AS rank_en
                FROM units ORDER BY code, valid_from""").df()
    finally:
        store.close()
    assert read["valid_to"].isna().any() and read["valid_to"].notna().any()
    pd.testing.assert_frame_equal(read, expected)
    import duckdb

    from metrics.storage.store import frame_of

    con = duckdb.connect()
    for sql in ("SELECT * FROM (VALUES ('a', NULL::VARCHAR, NULL::DATE, 1), (NULL, NULL, DATE '2020-01-01', 2)) t(x, y, d, i)",
                "SELECT 'a' AS x, NULL::VARCHAR AS y, DATE '2020-01-01' AS d FROM range(0)"):
        pd.testing.assert_frame_equal(frame_of(con.sql(sql).to_arrow_table()), con.execute(sql).df())


def test_merged_units_are_judged_in_bulk_as_row_by_row(tmp_path, monkeypatch):
    """Provinces and upper unions formed in 2025 by merging several: their years before rebuilt from their parts
    in bulk, not one by one, row for row what ``Scorecard.row`` says. The upper unions below T04 (one of the
    provinces P01 was formed from) report nothing in 2023: on their own indicators P01's 2023 is not
    reconstructed, and its rows say which part lacks a figure."""
    out = tmp_path / "federation"
    synthesise(out, provinces=3, grassroots=60, years=6, seed=5)
    values = pd.read_csv(out / "values.csv", dtype=str, keep_default_na=False)
    lacking = values["unit"].str.startswith("T04-") & (values["year"] == "2023")
    values[~lacking].to_csv(out / "values.csv", index=False)
    db = tmp_path / "federation.duckdb"
    run_cli("init", db=db)
    run_cli("units", "import", out / "units.csv", db=db)
    run_cli("targets", "import", out / "targets.csv", db=db)
    run_cli("import", out / "values.csv", "--plan", "SYN-2028", db=db)
    alone: set[str] = set()
    one_by_one = bulk._judged_one_by_one

    def recorded(card, plan, year, target, units):
        alone.update(u.code for u in units)
        return one_by_one(card, plan, year, target, units)

    monkeypatch.setattr(bulk, "_judged_one_by_one", recorded)
    assert _compare_every_target(db, lambda card, plan: [2024, 2026]) > 0
    assert not alone  # P01 … P03 and their unions too: every unit in bulk
    store = Store.open(db, read_only=True)
    try:
        card = Scorecard(store)
        frame = pd.concat([bulk.status_frame(card, "SYN-2028", 2026, t) for t in card.targets("SYN-2028")])
    finally:
        store.close()
    merged = frame[frame["unit"] == "P01"].set_index("target")
    assert merged.loc["NK1c", "reconstructed"] == "2021;2022;2023;2024"  # the grassroots still report
    assert merged.loc["HN12a", "reconstruction_missing"] == "2023:T04"  # inspections: by upper unions only
    assert merged.loc["HN12a", "reconstructed"] == "2021;2022;2024"


class _Parts:
    """An organisation that knows only which units each rebuilt cell is made of (all ``reconstruction`` asks)."""

    def __init__(self, parts: dict[tuple[str, int], list[str]]):
        self.parts = parts

    def carriers(self, code: str, year: int) -> list[str]:
        return self.parts[code, year]


@pytest.mark.parametrize("kind", ["stock", "flow", "ratio", "rate"])
def test_rebuilt_years_are_mergers_reconstruction_on_every_cell(kind):
    """``bulk._rebuild`` against ``mergers.reconstruction`` (and so ``rollup_reference.reconstruct``) on random
    parts: figures missing, a ratio without its numerator, denominators that add up to 0, sums whose order
    matters to the last bit (1e16 + 1 + -1e16), two to four parts in any order."""
    from metrics.domain import mergers
    from metrics.domain.rollup_reference import Figure
    from metrics.storage import rollups

    rng = np.random.default_rng(len(kind))
    codes = [f"P{i}" for i in range(8)]
    shape = (len(codes), len(YEARS))
    by_code = bulk._empty_grid(codes, YEARS)
    numbers = [np.nan, 0.0, 1.0, -1.0, 1e16, -1e16, 0.1, 0.2, 7.25, 1 / 3]
    by_code.value[:] = rng.choice(numbers, size=shape)
    by_code.numerator[:] = np.where(rng.random(shape) < 0.15, np.nan, rng.choice(numbers[1:], size=shape))
    by_code.denominator[:] = np.where(rng.random(shape) < 0.15, np.nan, rng.choice([0.0, 0.0, 1.0, 3.0, 1e16], size=shape))
    by_code.provenance[:] = np.where(np.isnan(by_code.value), 0, rng.integers(1, 16, size=shape))
    cells, parts_of = [], {}
    for row in range(300):
        col = int(rng.integers(len(YEARS)))
        parts = tuple(rng.choice(codes, size=int(rng.integers(2, 5)), replace=False).tolist())
        cells.append((row, col, parts))
        parts_of[f"U{row}", YEARS[col]] = list(parts)
    widest = max(len(p) for _, _, p in cells)
    part_ids = np.full((len(cells), widest), -1)
    for i, (_, _, parts) in enumerate(cells):
        part_ids[i, :len(parts)] = [codes.index(p) for p in parts]
    rebuilt_cells = bulk.RebuiltCells(np.array([r for r, _, _ in cells]), np.array([c for _, c, _ in cells]),
                                      part_ids, [p for _, _, p in cells])
    grid = bulk._empty_grid([""] * len(cells), YEARS)
    rebuilt = bulk._rebuild(grid, by_code, rebuilt_cells, kind)
    found = {(r, y): (whole, missing) for r, y, whole, missing in zip(
        rebuilt.rows.tolist(), rebuilt.years.tolist(), rebuilt.complete.tolist(), rebuilt.missing)}

    def figure(code: str, col: int) -> Figure | None:
        i = codes.index(code)
        value, numerator, denominator = (_none(m[i, col]) for m in (by_code.value, by_code.numerator,
                                                                      by_code.denominator))
        return None if value is None else Figure(value, numerator, denominator, provenance=rollups.provenance_names(
            int(by_code.provenance[i, col])))

    for row, col, _ in cells:
        made = mergers.reconstruction(_Parts(parts_of), f"U{row}", YEARS[col], lambda part, c=col: figure(part, c), kind)
        if made is None:
            assert (row, YEARS[col]) not in found
            assert np.isnan(grid.value[row, col]) and grid.provenance[row, col] == 0
            continue
        assert found[row, YEARS[col]] == (made.figure is not None, made.missing)
        value = made.figure.value if made.figure is not None else None
        assert _none(grid.value[row, col]) == value  # to the last bit
        if value is None:  # (a ratio whose denominators add up to 0: no figure in the series, nor its provenance)
            assert grid.provenance[row, col] == 0
            continue
        assert (_none(grid.numerator[row, col]), _none(grid.denominator[row, col])) == (
            made.figure.numerator, made.figure.denominator)
        assert rollups.provenance_names(int(grid.provenance[row, col])) == made.figure.provenance
        assert (grid.reported[row, col], grid.own[row, col]) == (made.figure.reported, made.figure.own)
