"""Users, roles and passwords (``metrics.storage.users``), the audit log (``metrics.storage.audit``) and their command line."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from metrics.ingest import intake
from metrics.storage import audit, users
from metrics.storage.store import Store
from metrics.vocabulary.errors import UserError
from tests.helpers import MINI, ROOT, run_cli

PASSWORD = "mật khẩu đủ dài"


@pytest.fixture
def store(mini_store):
    return mini_store


def test_a_user_signs_in_with_the_password_and_only_a_hash_is_kept(store):
    users.add(store, " Lan.Nguyen ", "Nguyễn Thị Lan", "analyst", PASSWORD, by="root", source="cli")
    assert users.verify(store, "lan.nguyen", PASSWORD) == users.User("lan.nguyen", "Nguyễn Thị Lan", "analyst", True)
    assert users.verify(store, "LAN.NGUYEN", PASSWORD) is not None  # the sign-in form lowers names too
    assert users.verify(store, "lan.nguyen", PASSWORD + "!") is None
    assert users.verify(store, "nobody", PASSWORD) is None
    stored = store.rows("SELECT password_hash FROM users")[0][0]
    assert stored.startswith("$2b$12$") and PASSWORD not in stored
    store.close()  # closing writes everything into the file
    assert PASSWORD.encode() not in Path(store.path).read_bytes()


@pytest.mark.parametrize("password, code", [
    ("ngắn", "password-too-short"),
    ("ă" * 37, "password-too-long"),  # 37 characters, 74 bytes: bcrypt would silently cut it
    (" có dấu cách ở đầu", "password-spaces"),
])
def test_weak_or_uncheckable_passwords_are_refused(store, password, code):
    with pytest.raises(UserError) as caught:
        users.add(store, "lan", "Lan", "viewer", password, by="root")
    assert caught.value.code == code and caught.value.vi and caught.value.en
    assert users.count(store) == 0


@pytest.mark.parametrize("name", ["a", "lan nguyen", "lân", "<b>x</b>", "x" * 41])
def test_user_names_are_plain(store, name):
    with pytest.raises(UserError, match="not valid"):
        users.add(store, name, "", "viewer", PASSWORD, by="root")


def test_roles_include_each_other_and_deactivated_users_may_nothing(store):
    assert users.allows("admin", "analyst") and users.allows("analyst", "viewer")
    assert not users.allows("viewer", "analyst") and not users.allows(None, "viewer")
    users.add(store, "boss", "", "admin", PASSWORD, by="root")
    users.add(store, "lan", "", "analyst", PASSWORD, by="boss")
    users.deactivate(store, "lan", by="boss")
    assert users.verify(store, "lan", PASSWORD) is None and not users.get(store, "lan").may("viewer")
    users.activate(store, "lan", by="boss")
    users.set_role(store, "lan", "admin", by="boss")
    assert users.get(store, "lan").may("admin")


def test_the_last_administrator_cannot_be_removed_or_demoted(store):
    users.add(store, "boss", "", "admin", PASSWORD, by="root")
    for change in (lambda: users.deactivate(store, "boss", by="boss"),
                   lambda: users.set_role(store, "boss", "viewer", by="boss")):
        with pytest.raises(UserError) as caught:
            change()
        assert caught.value.code == "last-admin"
    users.add(store, "second", "", "admin", PASSWORD, by="boss")
    users.set_role(store, "boss", "viewer", by="second")
    assert users.get(store, "boss").role == "viewer"


def test_only_a_bcrypt_hash_of_the_password_is_kept(store):
    users.add(store, "lan", "Lan", "analyst", PASSWORD, by="root")
    [(stored,)] = store.rows("SELECT password_hash FROM users WHERE username = 'lan'")
    assert stored.startswith("$2b$12$") and PASSWORD not in stored


def test_the_cookie_key_is_made_once_beside_the_database_never_in_it_or_taken_from_the_environment(
        store, monkeypatch, tmp_path):
    monkeypatch.delenv("KPI_COOKIE_KEY", raising=False)
    monkeypatch.delenv("KPI_COOKIE_KEY_FILE", raising=False)
    first = users.cookie_key(store)
    assert len(first) >= 48 and users.cookie_key(store) == first
    key_file = Path(str(store.path) + ".cookie-key")
    assert key_file.read_text(encoding="ascii") == first and key_file.stat().st_mode & 0o777 == 0o600
    store.close()  # a write closes its connection, and closing writes everything into the file
    assert first.encode() not in Path(store.path).read_bytes()
    assert store.rows("SELECT count(*) FROM settings")[0][0] == 0
    monkeypatch.setenv("KPI_COOKIE_KEY_FILE", str(tmp_path / "elsewhere.key"))
    assert users.cookie_key(store) != first and (tmp_path / "elsewhere.key").exists()
    monkeypatch.setenv("KPI_COOKIE_KEY", "from-the-environment")
    assert users.cookie_key(store) == "from-the-environment"


def test_a_key_file_others_can_read_is_refused_with_what_to_do(store, monkeypatch):
    monkeypatch.delenv("KPI_COOKIE_KEY", raising=False)
    monkeypatch.delenv("KPI_COOKIE_KEY_FILE", raising=False)
    users.cookie_key(store)
    Path(str(store.path) + ".cookie-key").chmod(0o644)
    with pytest.raises(UserError) as caught:
        users.cookie_key(store)
    assert caught.value.code == "cookie-key-exposed" and "chmod 600" in caught.value.vi


@pytest.mark.slow
def test_a_new_database_and_its_backups_are_for_their_owner_only(tmp_path):
    db = tmp_path / "private.duckdb"
    run_cli("init", "--demo", db=db)
    assert db.stat().st_mode & 0o777 == 0o600
    run_cli("backup", tmp_path / "backup", db=db)
    assert {p.stat().st_mode & 0o777 for p in (tmp_path / "backup").iterdir()} == {0o600}


def test_sign_out_new_password_new_role_and_lock_each_end_every_sign_in(store):
    users.add(store, "boss", "", "admin", PASSWORD, by="root")
    users.add(store, "lan", "", "analyst", PASSWORD, by="boss")
    seen = [users.get(store, "lan").session_version]
    for change in (lambda: users.end_sessions(store, "lan"),
                   lambda: users.reset_password(store, "lan", "một mật khẩu mới hẳn", by="boss"),
                   lambda: users.set_role(store, "lan", "viewer", by="boss"),
                   lambda: users.deactivate(store, "lan", by="boss")):
        change()
        seen.append(users.get(store, "lan").session_version)
    assert len(set(seen)) == len(seen) and all(seen)
    users.set_role(store, "boss", "admin", by="boss")  # no change of role: the sign-in goes on
    assert users.get(store, "boss").session_version == users.get(store, "boss").session_version


def test_an_unknown_name_takes_as_long_as_a_wrong_password(store):
    users.add(store, "lan", "", "analyst", PASSWORD, by="root")

    def took(name: str) -> float:  # CPU time: the work done (a bcrypt check or none); the wall clock under
        start = time.process_time()  # a loaded machine measured the queue (0.78 s against 0.30 s)
        users.verify(store, name, "không phải mật khẩu")
        return time.process_time() - start
    known = min(took("lan") for _ in range(3))
    unknown = min(took("khong-co-ai") for _ in range(3))
    assert 0.5 < unknown / known < 2, (known, unknown)


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "1234567890", "qwertyuiop", "lan.nguyen1", "lannguyen12",
                                      "Nguyen Thi Lan", "matkhau2024", "Password123"])
def test_easily_guessed_passwords_and_the_users_own_name_are_refused(store, password):
    with pytest.raises(UserError) as caught:
        users.add(store, "lan.nguyen", "Nguyễn Thị Lan", "viewer", password, by="root")
    assert caught.value.code == "password-too-weak" and "Hãy" in caught.value.vi
    assert users.count(store) == 0


def test_every_change_is_audited_in_its_own_transaction(store):
    users.add(store, "boss", "", "admin", PASSWORD, by="root", source="cli")
    users.reset_password(store, "boss", PASSWORD + "2", by="boss")
    with pytest.raises(UserError):
        users.add(store, "boss", "", "viewer", PASSWORD, by="boss")  # exists: no change, no record
    log = audit.entries(store)
    assert list(zip(log["user_name"], log["action"], log["source"])) == [
        ("boss", "user-password", "web"), ("root", "user-add", "cli")]
    assert PASSWORD not in " ".join(log["detail"].dropna())


def test_imports_and_undo_are_audited_with_the_change(store, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("unit,indicator,year,value\nD1,members,2023,100\n", encoding="utf-8")
    with intake.check(path, store=store) as report:
        batch = intake.commit(store, report, user="lan", source="web").batch
    intake.undo(store, batch, user="lan", source="web")
    with pytest.raises(UserError):
        intake.undo(store, batch, user="lan", source="web")  # already undone: nothing written, nothing recorded
    log = audit.entries(store)
    assert list(log["action"]) == ["undo", "import"]
    assert f'"batch": {batch}' in log["detail"].iloc[1] and '"file": "v.csv"' in log["detail"].iloc[1]


def test_audit_entries_filter_by_user_action_and_period(store):
    for user, action in (("lan", "sign-in"), ("lan", "sign-in-failed"), ("minh", "sign-in")):
        audit.record(store, user, action)
    assert len(audit.entries(store, user="lan")) == 2
    assert list(audit.entries(store, actions=["sign-in"])["user_name"]) == ["minh", "lan"]
    assert audit.recent_failures(store, "lan", 15) == 1
    import datetime as dt
    assert audit.entries(store, until=dt.date(2000, 1, 1)).empty
    with pytest.raises(ValueError):
        audit.record(store, "lan", "made-up-action")


AUDIT_WRITE = re.compile(r"\b(UPDATE\s+audit|DELETE\s+FROM\s+audit|TRUNCATE\s+audit|DROP\s+TABLE\s+(IF\s+EXISTS\s+)?audit)\b",
                         re.IGNORECASE)


def test_nothing_in_the_code_changes_or_removes_an_audit_row():
    sources = [p for folder in ("metrics", "ui", "views") for p in (ROOT / folder).rglob("*.py")]
    sources.append(ROOT / "dashboard.py")
    offending = [str(p.relative_to(ROOT)) for p in sources if AUDIT_WRITE.search(p.read_text(encoding="utf-8"))]
    assert offending == []
    assert not [n for n in dir(audit) if n.startswith(("update", "delete", "remove", "clear"))]


@pytest.mark.slow
def test_the_first_admin_is_made_on_the_command_line_and_every_write_is_audited(tmp_path):
    db = tmp_path / "kpi.duckdb"
    run_cli("init", db=db)
    done = subprocess.run([sys.executable, "-m", "metrics", "users", "add", "boss", "--role", "admin",
                           "--password-stdin", "--db", str(db)], input=PASSWORD + "\n", capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "boss" in done.stdout and str(db.resolve()) in done.stdout  # it says which file it wrote
    listed = run_cli("users", "list", db=db).stdout
    assert listed.splitlines()[0] == "username,display_name,role,active,created_at,updated_at,unit"
    assert "$2b$" not in listed
    refused = run_cli("users", "deactivate", "boss", db=db, check=False)
    assert refused.returncode == 1 and "quản trị viên cuối cùng" in refused.stderr and "Traceback" not in refused.stderr
    log = run_cli("audit", "--format", "json", db=db).stdout
    assert '"action":"user-add"' in log and '"source":"cli"' in log
    store = Store.open(db, read_only=True)
    try:
        assert users.verify(store, "boss", PASSWORD).role == "admin"
    finally:
        store.close()


def test_catalogue_loads_are_audited_with_the_change_and_only_when_written(store, tmp_path):
    from metrics.catalogue.loading import load_targets, load_units
    assert load_units(store, MINI / "units.csv", by="boss", source="web").ok
    bad = tmp_path / "targets.csv"
    bad.write_text((MINI / "targets.csv").read_text(encoding="utf-8").replace(",members,", ",nobody,"), encoding="utf-8")
    assert not load_targets(store, [bad], by="boss").ok  # rejected: nothing written, nothing recorded
    assert load_targets(store, [MINI / "targets.csv"], dry_run=True, by="boss").ok  # a preview writes nothing
    log = audit.entries(store)
    assert list(zip(log["action"], log["source"])) == [("units-load", "web")]
