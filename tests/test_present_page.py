"""The presentation page (Trình chiếu) through AppTest on a real demo database."""

import pytest

from metrics.exports.pinned import pin
from metrics.storage.store import Store
from metrics.vocabulary import statuses
from tests.helpers import copy_database, texts


@pytest.fixture(scope="module")
def demo_path(demo_template, tmp_path_factory):
    path = copy_database(demo_template, tmp_path_factory.mktemp("present"), "kpi.duckdb")
    return path


@pytest.fixture
def app(demo_path, dashboard):
    """The presentation page, public (tests/test_roles.py signs in), checked for exceptions and errors."""
    def start(**session):
        return dashboard(demo_path, "views/present.py", **session)

    return start


def check(at) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


@pytest.fixture(scope="module")
def newest(demo_path):
    store = Store.open(demo_path, read_only=True)
    try:
        return pin(store)
    finally:
        store.close()


def test_start_view_states_the_pinned_data_and_offers_the_files(app, newest):
    at = app()
    assert at.title[0].value == "Trình chiếu"
    assert newest.line("vi") in texts(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Bài trình chiếu (.pptx)", "Báo cáo (.pdf)", "Báo cáo (.xlsx)", "Số liệu (.csv)"]
    assert "21 trang:" in texts(at)


@pytest.mark.slow
def test_slideshow_starts_advances_and_exits(app, newest):
    at = app()
    at.button(key="present_go").click().run()
    check(at)
    assert at.session_state["slide"] == "1" and at.session_state["pin"] == str(newest.batch)
    assert "Nghị quyết Đại hội XI Công đoàn tỉnh An Giang" in at.title[0].value
    at.button(key="present_next").click().run()
    check(at)
    assert at.session_state["slide"] == "2"
    shown = texts(at)
    assert "NK1 · Phát triển đoàn viên, thành lập CĐCS (1/2)" in shown
    assert "NK1a · Phát triển thêm 28.000 đoàn viên" in shown and "16.490 đoàn viên" in shown
    assert len(at.get("plotly_chart")) == 2
    assert "**2/21**" in shown
    at.button(key="present_prev").click().run()
    assert at.session_state["slide"] == "1"
    at.button(key="present_exit").click().run()
    check(at)
    assert "slide" not in at.session_state
    assert at.title[0].value == "Trình chiếu"


def test_a_link_to_a_slide_on_an_older_batch_shows_that_batch(app):
    at = app(slide="21", pin="1", lang="en")
    shown = texts(at)
    assert "Summary" in shown and "import #1" in shown
    labels = [m.label for m in at.metric]
    assert labels and labels == [s.badge_text("en") for s in statuses.TABLE if s.badge_text("en") in labels]
    assert sum(int(m.value.split("/")[0]) for m in at.metric) == int(at.metric[0].value.split("/")[1])


def test_auto_advance_is_kept_for_the_slideshow(app):
    at = app(present_auto=10)
    at.button(key="present_go").click().run()
    check(at)
    assert at.session_state["present_auto"] == 10


def test_a_slide_change_reads_the_batch_list_once_per_data_version(app, monkeypatch):
    """Each click of the slideshow reruns the page, which read the whole batch list three times (a second's
    share under load at national scale). It is now kept per data version: the next slide reads it not at all."""
    read: list[int] = []
    listed = Store.batches
    monkeypatch.setattr(Store, "batches", lambda self: read.append(1) or listed(self))
    at = app()
    at.button(key="present_go").click().run()
    check(at)
    assert len(read) <= 1  # the first run of the data version
    before = len(read)
    at.button(key="present_next").click().run()
    check(at)
    assert at.session_state["slide"] == "2" and len(read) == before
