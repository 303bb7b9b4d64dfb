"""Approval of figures (issue 19): an import is provisional until an approver approves its batch.

On both engines: a provisional batch is marked in ``status`` (a column) and the exports say which figures
they show (approved by default); ``--approved-only`` leaves it out; approval flips it; an analyst cannot
approve; the audit log holds the import and the approval. On both, the provisional batch is a real CSV file
imported with ``python -m metrics import``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from metrics.ingest import intake
from metrics.storage import audit, users
from metrics.storage.store import Store, write_batch
from metrics.vocabulary.errors import UserError
from tests.helpers import PASSWORD, read_csv, run_cli, texts

MEMBERS_2026 = 118046.0  # the demo's province figure of members in 2026 (NK1b), before the import
RAISED = 5000.0  # the import adds this many members in one upper-level union
FILE = "unit,indicator,year,value\nCD-KKT-2025,members,2026,13655\n"  # 8.655 → 13.655


@pytest.fixture(params=["duckdb", "postgresql"])
def provisional(request, tmp_path):
    """A demo database on each engine with one provisional batch an analyst imported from a CSV file (the
    command line, as an office does it); yields (where, batch)."""
    where = request.getfixturevalue("demo_db" if request.param == "duckdb" else "postgres_demo_url")
    (tmp_path / "members.csv").write_text(FILE, encoding="utf-8")
    _users(where)
    done = run_cli("import", tmp_path / "members.csv", "--user", "lan", db=where)
    assert "batches approve 3" in done.stdout  # the import says how its figures become approved
    return where, 3


def _users(where) -> None:
    store = Store.open(where)
    try:
        users.add(store, "lan", "Lan", "analyst", PASSWORD, by="test", source="cli")
        users.add(store, "duyet", "Duyệt", "approver", PASSWORD, by="test", source="cli")
    finally:
        store.close()


def _province_members(where, *options) -> dict:
    rows = read_csv(run_cli("status", "--unit", "AG-2025", "--format", "csv", *options, db=where).stdout)
    return next(r for r in rows if r["target"] == "NK1b" and r["unit"] == "AG-2025")


@pytest.mark.slow
def test_a_provisional_batch_is_marked_left_out_on_request_and_approval_flips_it(provisional, tmp_path):
    where, batch = provisional
    marked = _province_members(where)
    assert float(marked["actual"]) == MEMBERS_2026 + RAISED
    assert marked["provisional"] == "True" and "provisional" in marked["provenance"].split(";")
    approved = _province_members(where, "--approved-only")
    assert float(approved["actual"]) == MEMBERS_2026 and approved["provisional"] == "False"

    # the exports pin approved figures by default and say so; on request they include the batch, marked
    out = run_cli("export", "--format", "csv", "--out", tmp_path / "a.csv", db=where).stdout
    assert f"chỉ số liệu đã duyệt (không gồm đợt tạm tính #{batch})" in out
    assert ",13655," not in (tmp_path / "a.csv").read_text(encoding="utf-8-sig")
    out = run_cli("export", "--format", "csv", "--out", tmp_path / "b.csv", "--include-provisional", db=where).stdout
    assert f"gồm số liệu ◐ tạm tính (đợt #{batch}, chưa duyệt)" in out
    values = read_csv((tmp_path / "b.csv").read_text(encoding="utf-8-sig"))
    assert [r["approval"] for r in values if r["unit"] == "CD-KKT-2025" and r["indicator"] == "members"
            and r["year"] == "2026"] == ["provisional"]

    if isinstance(where, Path):  # the report on one engine (its figures are the same on both): the note, read
        run_cli("export", "--format", "pdf", "--out", tmp_path / "r.pdf", "--include-provisional", db=where)
        text = "".join(page.extract_text() for page in PdfReader(tmp_path / "r.pdf").pages)
        assert "◐ Có số liệu tạm tính: đợt nhập chưa duyệt" in text and "Áp dụng cho: NK1b." in text

    # an analyst may not approve (a dashboard user named on the command line is held to their role)
    refused = run_cli("batches", "approve", batch, "--user", "lan", db=where, check=False)
    assert refused.returncode == 1 and "cán bộ nghiệp vụ thì không" in refused.stderr
    assert _province_members(where)["provisional"] == "True"

    run_cli("batches", "approve", batch, "--user", "duyet", db=where)
    now = _province_members(where)
    assert now["provisional"] == "False" and "provisional" not in now["provenance"]
    assert _province_members(where, "--approved-only") == now
    assert "provisional" not in run_cli("history", db=where).stdout.splitlines()[batch]

    store = Store.open(where, read_only=True)
    try:
        log = audit.entries(store, actions=["import", "approve"])
    finally:
        store.close()
    assert list(log["action"]) == ["approve", "import"]  # newest first
    assert f'"batch": {batch}' in log["detail"].iloc[0] and '"recorded_as": "duyet"' in log["detail"].iloc[0]


def test_approving_twice_an_unknown_or_an_undone_batch_is_a_message(demo_db, tmp_path):
    store = Store.open(demo_db)
    try:
        with store.transaction() as cur:
            batch = write_batch(cur, pd.DataFrame([{"unit": "CD-KKT-2025", "indicator": "members", "year": 2026,
                                                   "value": 13655.0}]), "import", provisional=True)
        with pytest.raises(UserError) as twice:
            intake.approve(store, 1, user="duyet", role="approver")  # the demo's figures are approved
        assert twice.value.code == "already-approved"
        with pytest.raises(UserError) as unknown:
            intake.approve(store, 99, user="duyet", role="admin")
        assert unknown.value.code == "unknown-batch"
        with pytest.raises(UserError) as analyst:
            intake.approve(store, batch, user="lan", role="analyst")
        assert analyst.value.code == "approve-needs-approver"
        intake.undo(store, batch, user="lan", role="analyst")  # not approved yet: the analyst may undo it
        with pytest.raises(UserError) as undone:
            intake.approve(store, batch, user="duyet", role="approver")
        assert undone.value.code == "approve-rolled-back"
        assert audit.entries(store, actions=["approve"]).empty  # nothing approved, nothing recorded
    finally:
        store.close()


@pytest.mark.slow
def test_undo_of_an_approved_batch_needs_the_approver_and_its_preview_names_the_statuses(demo_db):
    store = Store.open(demo_db)
    try:
        with store.transaction() as cur:
            batch = write_batch(cur, pd.DataFrame([{"unit": "CD-KKT-2025", "indicator": "members", "year": 2026,
                                                   "value": 13655.0}]), "import", provisional=True)
        intake.approve(store, batch, user="duyet", role="approver")
        with pytest.raises(UserError) as refused:
            intake.undo(store, batch, user="lan", role="analyst")
        assert refused.value.code == "undo-needs-approver"
        preview = intake.undo_status_changes(store, batch, "DH-XI-2023-2028")
        changed = preview.set_index("target")
        assert changed.loc["NK1b", "old_value"] == MEMBERS_2026 + RAISED
        assert changed.loc["NK1b", "new_value"] == MEMBERS_2026
        assert (changed.loc["NK1b", "old_status"], changed.loc["NK1b", "new_status"]) == (
            "substantial_progress", "limited_progress")
    finally:
        store.close()
    said = run_cli("rollback", batch, "--dry-run", db=demo_db).stdout  # the same on the command line, nothing written
    assert "NK1b Toàn tỉnh có 139.258 đoàn viên (2026): 123.046 → 118.046, Đúng tiến độ → Chậm tiến độ" in said
    store = Store.open(demo_db)
    try:
        intake.undo(store, batch, user="duyet", role="approver")
    finally:
        store.close()
    assert float(_province_members(demo_db)["actual"]) == MEMBERS_2026


@pytest.mark.slow
def test_the_leaders_pages_mark_provisional_figures_and_can_leave_them_out(demo_db, dashboard):
    store = Store.open(demo_db)
    try:
        with store.transaction() as cur:
            write_batch(cur, pd.DataFrame([{"unit": "CD-KKT-2025", "indicator": "members", "year": 2026,
                                            "value": 13655.0}]), "import", provisional=True)
    finally:
        store.close()
    for page in (None, "views/target.py", "views/units.py", "views/about.py"):
        shown = texts(dashboard(demo_db, page, target="NK1b"))
        assert "◐ Có số liệu tạm tính" in shown, page
    overview = dashboard(demo_db)
    assert any("◐ tạm tính" in m.label for m in overview.metric)  # the card of NK1b
    approved = dashboard(demo_db, approved="1")
    assert "chỉ số liệu đã duyệt" in texts(approved)
    assert not any("◐" in m.label for m in approved.metric)
    # The state as of that import: its figures marked, and the page says which import is not approved (it
    # said nothing: the marks stood without their reason).
    for page in (None, "views/target.py"):
        shown = texts(dashboard(demo_db, page, target="NK1b", as_of="3"))
        assert "tại thời điểm sau đợt nhập #3" in shown, page
        assert "đợt nhập #3 của thời điểm này chưa được duyệt" in shown, page


@pytest.mark.slow
def test_a_state_pinned_approved_only_keeps_its_figures_when_a_later_import_arrives(provisional, tmp_path):
    """A presentation pins the newest batch at its start, approved figures only. An import arriving during it
    made the pinned batch an earlier one, and an earlier state was shown with its provisional figures: the
    slides changed mid-talk and the downloads no longer matched them."""
    from metrics.exports.pinned import pin
    from metrics.judging.scorecard import Scorecard

    where, batch = provisional
    before = run_cli("export", "--format", "csv", "--as-of", batch, "--out", tmp_path / "a.csv", db=where).stdout
    (tmp_path / "later.csv").write_text("unit,indicator,year,value\nCD-KKT-2025,members,2025,9000\n", encoding="utf-8")
    run_cli("import", tmp_path / "later.csv", "--user", "lan", db=where)  # batch 4, provisional too
    after = run_cli("export", "--format", "csv", "--as-of", batch, "--out", tmp_path / "b.csv", db=where).stdout
    assert f"chỉ số liệu đã duyệt (không gồm đợt tạm tính #{batch})" in before
    assert after.replace("b.csv", "a.csv") == before
    assert (tmp_path / "b.csv").read_bytes() == (tmp_path / "a.csv").read_bytes()
    store = Store.open(where, read_only=True)
    try:
        pinned = pin(store, batch)
        assert pinned.approved_only and pinned.provisional == (batch,)
        card = Scorecard(store, as_of=pinned.as_of, approved_only=pinned.approved_only)
        row = next(r for r in card.evaluate(card.store.default_plan(), 2026, units=["AG-2025"], targets=["NK1b"]))
        assert row.verdict.actual == MEMBERS_2026 and not row.provisional
        marked = Scorecard(store, as_of=batch)  # on request (or on the pages' "as of"): that state, marked
        row = next(r for r in marked.evaluate(marked.store.default_plan(), 2026, units=["AG-2025"], targets=["NK1b"]))
        assert row.verdict.actual == MEMBERS_2026 + RAISED and row.provisional
    finally:
        store.close()


@pytest.mark.slow
def test_an_import_undone_without_approval_is_still_provisional_in_the_state_before_its_undo(provisional, tmp_path):
    """The state as of an import later undone, never approved, showed its figures unmarked: the marks asked
    which imports are provisional now, and an undone import is not (its values are no longer in force)."""
    where, batch = provisional
    run_cli("rollback", batch, db=where)
    then = _province_members(where, "--as-of", str(batch))
    assert float(then["actual"]) == MEMBERS_2026 + RAISED and then["provisional"] == "True"
    out = run_cli("export", "--format", "csv", "--as-of", batch, "--include-provisional", "--out", tmp_path / "v.csv",
                  db=where).stdout
    assert f"gồm số liệu ◐ tạm tính (đợt #{batch}, chưa duyệt)" in out
    values = read_csv((tmp_path / "v.csv").read_text(encoding="utf-8-sig"))
    assert [r["approval"] for r in values if r["unit"] == "CD-KKT-2025" and r["indicator"] == "members"
            and r["year"] == "2026"] == ["provisional"]
    run_cli("export", "--format", "csv", "--as-of", batch, "--out", tmp_path / "a.csv", db=where)  # approved only
    assert ",13655," not in (tmp_path / "a.csv").read_text(encoding="utf-8-sig")
