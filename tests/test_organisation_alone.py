"""A unit read from its own periods (no tree of the year built) is the unit of that year's tree."""

import pytest

from metrics.domain.organisation import Organisation
from metrics.storage.store import Store
from tests.helpers import copy_database


@pytest.mark.parametrize("template", ["demo_template", "mini_template"])
def test_unit_without_the_tree_is_the_trees_unit(template, request, tmp_path):
    store = Store.open(copy_database(request.getfixturevalue(template), tmp_path), read_only=True)
    try:
        periods = store.unit_periods()
    finally:
        store.close()
    codes = sorted(set(periods["code"]))
    sectors = [(), *sorted({(s,) for s in periods["sector"].dropna()})]
    checked = 0
    for year in range(2015, 2028):
        alone, whole = Organisation(periods), Organisation(periods)
        tree = whole.tree(year)
        for code in codes:
            found, wanted = alone.unit(code, year), tree.get(code)
            assert found == wanted, (code, year)
            for scope in sectors:
                counted = None if wanted is None else sum(
                    1 for c in wanted.children if not scope or tree[c].sector is None or tree[c].sector in scope)
                assert alone.children_in_scope(code, year, scope) == counted, (code, year, scope)
            checked += wanted is not None and bool(wanted.children)
        assert year not in alone._trees  # nothing built the tree behind its back
    assert checked > 0
