"""A pytest plugin for tests/test_architecture.py (``-p collection_report`` with tests/ on ``PYTHONPATH``):
after collection and deselection, one line per test kept, ``KPI-ITEM <node id> <slow|->``, so one
collection answers what the fast lane and the "not browser" lane hold."""


def pytest_collection_finish(session) -> None:
    for item in session.items:
        print("KPI-ITEM", item.nodeid, "slow" if item.get_closest_marker("slow") else "-")
