"""The generated national dataset loads through the public commands into an empty database."""

import csv
import io

import numpy as np
import pandas as pd
import pytest

from metrics.synth import leaf_values, synthesise
from tests.helpers import run_cli


@pytest.mark.slow
def test_synthetic_dataset_loads_with_the_contract_commands(tmp_path):
    out = tmp_path / "national"
    counts = synthesise(out, provinces=3, grassroots=400, years=3, seed=1)
    units = pd.read_csv(out / "units.csv", dtype=str, keep_default_na=False)
    merged = units[(units["kind"] == "province") & (units["successor"] != "")]
    assert len(merged) == 6  # 63/34 of 3 new provinces were provinces before the merge
    assert set(merged["valid_to"]) == {"2025-06-30"}
    moved = units[units["kind"] == "grassroots"].groupby("code")["parent"].nunique()
    assert (moved == 2).all()  # every grassroots union moves from a district to a commune on 1/7/2025

    db = tmp_path / "national.duckdb"
    run_cli("init", db=db)
    run_cli("units", "import", out / "units.csv", db=db)
    run_cli("targets", "import", out / "targets.csv", db=db)  # one file: plan, indicators and targets
    done = run_cli("import", out / "values.csv", "--plan", "SYN-2028", db=db)
    assert f"{counts['values']}" in done.stdout.replace(".", "").replace(",", "")
    rows = list(csv.DictReader(io.StringIO(run_cli("status", "--year", "2026", "--unit", "VN", db=db).stdout)))
    assert len(rows) == counts["targets"]
    members = next(r for r in rows if r["indicator"] == "members")
    total = pd.read_csv(out / "values.csv").query("indicator == 'members' and year == 2026")["value"].sum()
    assert float(members["actual"]) == total  # the nation is the sum of every grassroots union


def test_same_seed_same_files(tmp_path):
    synthesise(tmp_path / "a", provinces=2, grassroots=50, years=2, seed=3)
    synthesise(tmp_path / "b", provinces=2, grassroots=50, years=2, seed=3)
    for name in ("units.csv", "targets.csv", "values.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_the_smallest_unions_never_report_a_zero_denominator():
    """At national size (130,000 unions) the rarest draw happens: a union of three workers with no
    member drawn would make the members a zero denominator, which the import rightly refuses."""
    leaves = pd.DataFrame({"code": [f"CS{i:06d}" for i in range(200_000)], "workers": 3})
    values = leaf_values(leaves, year=2017, first=2017, rng=np.random.default_rng(7))
    parts = values.dropna(subset=["denominator"])
    assert len(parts) > 200_000 and (parts["denominator"] > 0).all()
