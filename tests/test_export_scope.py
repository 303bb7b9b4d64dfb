"""The exports judge a plan on its line of the organisation only (``metrics.exports.scope.plan_line``, issue 17):
every plan and year of the demo (quotas, sub-unit targets), the mini province (a merger in 2025) and the merger
fixture (a plan carried on, rebased, ended) gives the same deck as on the whole organisation."""

from __future__ import annotations

import pytest

from metrics.catalogue.loading import init_database
from metrics.domain.organisation import Organisation
from metrics.exports import deck
from metrics.exports.bundle import Choice, build, make_deck
from metrics.exports.pinned import pin
from metrics.exports.scope import plan_line
from metrics.exports.slides import Deck, slide_notes
from metrics.judging.scorecard import Scorecard
from metrics.storage.store import Store
from metrics.vocabulary.errors import UserError
from tests.helpers import FIXTURES, copy_database


def said(model: Deck) -> list:
    """Everything a deck states: each slide's kind, title and notes (every figure, source and sentence on it),
    each row as the status listing writes it, and each quota slide's units."""
    slides = [(s.kind, s.title, s.part, slide_notes(model, s)) for s in model.slides]
    rows = [r.as_record() for r in model.rows]
    quotas = [[(c.unit.code, c.quota, c.row.as_record()) for c in s.quotas.carriers] for s in model.slides if s.quotas]
    return [model.plan, model.unit_name, model.year, model.footer(), model.front_notes(), slides, rows, quotas]


def decks(card: Scorecard, plan: str, year: int | None) -> Deck | str:
    pinned = pin(card.store)
    try:
        return make_deck(card, pinned, Choice("pptx", plan, year))
    except UserError as refused:  # a year the plan does not judge is refused the same way
        return refused.en


@pytest.mark.parametrize("source", [pytest.param("demo", marks=pytest.mark.slow), "mini",
                                    pytest.param("merger", marks=pytest.mark.slow)])
def test_every_plan_and_year_says_the_same_on_the_plans_line_as_on_the_whole_organisation(
        source, demo_template, mini_template, tmp_path):
    if source == "merger":
        path = tmp_path / "merger.duckdb"
        init_database(path, demo=True, data_dir=FIXTURES / "merger").close()
    else:
        path = copy_database(demo_template if source == "demo" else mini_template, tmp_path)
    store = Store.open(path, read_only=True)
    try:
        with store.reading():
            whole = Organisation(store.unit_periods())
            card = Scorecard(store, org=whole)
            for plan in card.plans:
                line = plan_line(store, plan)
                assert len(line.periods) < len(whole.periods) or source == "merger"  # (six periods, all on the line)
                on_line = Scorecard(store, org=line)
                for year in (None, 2024, 2025, 2026):  # before, in and after the mergers of 2025
                    expected, got = decks(card, plan, year), decks(on_line, plan, year)
                    assert (said(got) if isinstance(got, Deck) else got) == \
                        (said(expected) if isinstance(expected, Deck) else expected), (plan, year)
    finally:
        store.close()


@pytest.mark.slow
def test_the_default_deck_is_the_same_file_as_on_the_whole_organisation(demo_template, tmp_path):
    store = Store.open(copy_database(demo_template, tmp_path), read_only=True)
    try:
        with store.reading():
            pinned = pin(store)
            card = Scorecard(store, as_of=pinned.as_of, approved_only=pinned.approved_only)
            whole = deck.render(make_deck(card, pinned, Choice("pptx")))
        assert build(store, Choice("pptx")) == whole
    finally:
        store.close()


def test_the_plans_line_refuses_a_whole_tree(demo_template, tmp_path):
    store = Store.open(copy_database(demo_template, tmp_path), read_only=True)
    try:
        with pytest.raises(RuntimeError, match="tree"):
            plan_line(store, None).descendants("AG", 2026)
    finally:
        store.close()


def test_the_plans_line_is_the_same_on_postgresql(postgres_demo_url, demo_db):
    found = []
    for where in (demo_db, postgres_demo_url):
        store = Store.open(where, read_only=True)
        try:
            periods = plan_line(store, None).periods
            found.append(periods[["code", "valid_from", "parent", "rank_vi", "rank_en"]].astype(str).values.tolist())
        finally:
            store.close()
    assert found[0] == found[1] and len(found[0]) > 1
