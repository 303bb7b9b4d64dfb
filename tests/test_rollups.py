"""The SQL roll-ups kept in the database agree with the Python reference (metrics.domain.rollup_reference) everywhere."""

import pandas as pd
import pytest

from metrics.judging.scorecard import Scorecard
from metrics.storage import rollups
from metrics.storage.store import rollback_batch, write_batch
from tests.helpers import open_copy


@pytest.fixture(scope="module")
def demo(demo_template, tmp_path_factory):
    store = open_copy(demo_template, tmp_path_factory.mktemp("rollups"), "demo.duckdb")
    yield store
    store.close()


def scopes(card: Scorecard) -> dict[str, set[str]]:
    """indicator -> '' and every sector scope its targets put on it."""
    found = {indicator: {""} for indicator in card.indicators}
    for plan in card.plans:
        for target in card.targets(plan):
            if isinstance(target["sector"], str) and target["sector"]:
                found[target["indicator"]].add(rollups.scope_key(target["sector"].split("|")))
    return found


def every_figure(card: Scorecard) -> dict:
    """(indicator, scope, year, unit) -> (value, numerator, denominator, reported, own, provenance)."""
    found = {}
    for indicator, kept in scopes(card).items():
        for year in card.source.years(indicator):
            tree = card.org.tree(year)
            card.source.prefetch([indicator], list(tree))
            for scope in kept:
                for code in tree:
                    figure = card.source.figure(indicator, code, year, scope)
                    if figure is not None and figure.value is not None:
                        found[(indicator, scope, year, code)] = (
                            round(figure.value, 9), figure.numerator, figure.denominator, figure.reported,
                            figure.own, figure.provenance)
    return found


def reference(store, as_of=None) -> Scorecard:
    return Scorecard(store, as_of=as_of, observations=store.observations(as_of=as_of))


def test_sql_rollups_equal_the_python_reference_on_the_shipped_data(demo):
    stored, memory = every_figure(Scorecard(demo)), every_figure(reference(demo))
    assert len(stored) > 1000
    assert {k[1] for k in stored} > {""}  # the sector-scoped roll-ups are compared too
    assert stored == memory


def test_sql_rollups_equal_the_reference_on_the_reorganised_mini_plan(mini_store):
    assert every_figure(Scorecard(mini_store)) == every_figure(reference(mini_store))


def test_figures_follow_imports_and_undo_in_the_same_transaction(mini_store):
    first = int(mini_store.batches()["id"].max())
    with mini_store.transaction() as cur:
        batch = write_batch(cur, pd.DataFrame([{"unit": "D1", "indicator": "members", "year": 2024, "value": 70.0},
                                               {"unit": "G1", "indicator": "members", "year": 2025, "value": 5.0}]),
                            "import")
    after = Scorecard(mini_store)
    assert after.source.figure("members", "P", 2024).value == 130
    assert every_figure(after) == every_figure(reference(mini_store))
    with mini_store.transaction() as cur:
        rollback_batch(cur, batch)
    undone = Scorecard(mini_store)
    assert undone.source.figure("members", "P", 2024).value == 120
    assert every_figure(undone) == every_figure(reference(mini_store))
    assert every_figure(Scorecard(mini_store, as_of=batch)) == every_figure(after)
    assert every_figure(Scorecard(mini_store, as_of=first)) == every_figure(undone)


def test_a_failed_write_leaves_no_figure_behind(mini_store):
    before = every_figure(Scorecard(mini_store))
    with pytest.raises(RuntimeError), mini_store.transaction() as cur:
        write_batch(cur, pd.DataFrame([{"unit": "D2", "indicator": "members", "year": 2024, "value": 999.0}]),
                    "import")
        raise RuntimeError("the import stops half-way")
    assert every_figure(Scorecard(mini_store)) == before


@pytest.mark.parametrize("store_name", ["demo", "mini_store"])
def test_both_figure_sources_judge_every_target_alike(store_name, request):
    """The database's roll-ups and the Python reference, each behind ``Scorecard.evaluate`` (the
    ``FigureSource`` protocol): the same statuses, values and series for every plan and year."""
    store = request.getfixturevalue(store_name)
    stored, memory = Scorecard(store), reference(store)
    compared = 0
    for plan in stored.plans:
        for year in stored.years(plan):
            a, b = stored.evaluate(plan, year), memory.evaluate(plan, year)
            assert [r.as_record() for r in a] == [r.as_record() for r in b]
            compared += len(a)
    assert compared > 0
