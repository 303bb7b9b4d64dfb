"""People who may sign in, their roles, and the key that signs their sign-in cookies. Never imports Streamlit.

Roles, each including the one before: ``viewer`` (reads every page), ``analyst`` (imports and undoes
figures), ``admin`` (plans, targets, units, users, backups). Passwords are kept only as bcrypt hashes.
Every change is written together with its audit row, in one transaction.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass

import bcrypt
import pandas as pd

from metrics import audit
from metrics.errors import UserError

ROLES = ("viewer", "analyst", "admin")
ROLE_LABELS = {"viewer": ("Người xem", "Viewer"), "analyst": ("Cán bộ nghiệp vụ", "Analyst"),
               "admin": ("Quản trị viên", "Administrator")}
MIN_PASSWORD = 10
MAX_PASSWORD_BYTES = 72  # bcrypt reads no further: a longer password is refused, never silently cut
BCRYPT_ROUNDS = 12
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
COOKIE_KEY_SETTING = "cookie_key"
# Compared against when the user is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = bcrypt.hashpw(b"not a password of anyone", bcrypt.gensalt(4))


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    role: str
    active: bool

    def may(self, role: str) -> bool:
        """Whether this user's role includes ``role`` (an admin may do what an analyst may)."""
        return self.active and allows(self.role, role)


def allows(role: str | None, needed: str) -> bool:
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def role_label(role: str, lang: str) -> str:
    vi, en = ROLE_LABELS.get(role, (role, role))
    return vi if lang == "vi" else en


# --- checks with messages ---------------------------------------------------------------------------

def check_username(username: str) -> str:
    name = (username or "").strip().lower()
    if not USERNAME.match(name):
        raise UserError("invalid-username",
                        f"Tên đăng nhập “{username}” không hợp lệ: dùng 2–40 ký tự chữ thường không dấu, chữ số, "
                        "dấu chấm, gạch ngang hoặc gạch dưới (ví dụ: lan.nguyen).",
                        f"The user name “{username}” is not valid: use 2–40 lowercase letters without diacritics, "
                        "digits, dots, hyphens or underscores (e.g. lan.nguyen).")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError("invalid-role", f"Vai trò “{role}” không có; chọn một trong: {', '.join(ROLES)}.",
                        f"There is no role “{role}”; choose one of: {', '.join(ROLES)}.")
    return role


def check_password(password: str) -> None:
    """At least 10 characters, at most 72 bytes (bcrypt's limit), no spaces at either end (the sign-in
    form trims them, so such a password could never be typed back)."""
    if password != password.strip():
        raise UserError("password-spaces", "Mật khẩu không được bắt đầu hoặc kết thúc bằng dấu cách.",
                        "A password cannot start or end with a space.")
    if len(password) < MIN_PASSWORD:
        raise UserError("password-too-short", f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.",
                        f"A password needs at least {MIN_PASSWORD} characters.")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise UserError("password-too-long",
                        f"Mật khẩu dài quá {MAX_PASSWORD_BYTES} byte (chữ có dấu tính 2–3 byte); bcrypt sẽ bỏ qua phần "
                        "thừa nên mật khẩu này không được nhận. Hãy chọn mật khẩu ngắn hơn.",
                        f"The password is longer than {MAX_PASSWORD_BYTES} bytes (letters with diacritics count 2–3); "
                        "bcrypt ignores the rest, so it is refused. Choose a shorter one.")


def hash_password(password: str) -> str:
    check_password(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")


# --- reading ----------------------------------------------------------------------------------------

def get(store, username: str | None) -> User | None:
    if not username:
        return None
    found = store.rows("SELECT username, display_name, role, active FROM users WHERE username = ?",
                       [str(username).strip().lower()])
    return User(*found[0]) if found else None


def listing(store) -> pd.DataFrame:
    """Every user, without hashes: username, display name, role, active, created and updated."""
    return store.frame("SELECT username, display_name, role, active, created_at, updated_at FROM users "
                       "ORDER BY active DESC, username")


def count(store) -> int:
    return store.rows("SELECT count(*) FROM users")[0][0]


def verify(store, username: str, password: str) -> User | None:
    """The active user with this name and password, else None (unknown, inactive or wrong password)."""
    name = (username or "").strip().lower()
    found = store.rows("SELECT password_hash FROM users WHERE username = ? AND active", [name])
    stored = found[0][0].encode("ascii") if found else _DUMMY_HASH
    try:
        matches = bcrypt.checkpw((password or "").encode("utf-8"), stored)
    except ValueError:  # longer than bcrypt accepts: cannot be anyone's password
        matches = False
    return get(store, name) if matches and found else None


def credentials(store) -> dict:
    """Active users in the shape streamlit-authenticator reads: hashes only, never a password."""
    rows = store.rows("SELECT username, display_name, role, password_hash FROM users WHERE active ORDER BY username")
    return {"usernames": {u: {"name": name, "password": hashed, "roles": [role], "email": None}
                          for u, name, role, hashed in rows}}


def cookie_key(store) -> str:
    """``KPI_COOKIE_KEY`` if set; else a random key made once and kept in the database (so sign-ins
    survive a restart of the dashboard). Backups leave it out: a restored database makes a new one."""
    if os.environ.get("KPI_COOKIE_KEY"):
        return os.environ["KPI_COOKIE_KEY"]
    found = store.rows("SELECT value FROM settings WHERE name = ?", [COOKIE_KEY_SETTING])
    if found:
        return found[0][0]
    with store.transaction() as cur:  # once, on the first start: reading needs no write after that
        cur.execute("INSERT INTO settings VALUES (?, ?) ON CONFLICT DO NOTHING",
                    [COOKIE_KEY_SETTING, secrets.token_urlsafe(48)])
        return cur.execute("SELECT value FROM settings WHERE name = ?", [COOKIE_KEY_SETTING]).fetchall()[0][0]


# --- changes, each with its audit row -----------------------------------------------------------------

def add(store, username: str, display_name: str, role: str, password: str, *, by: str | None,
        source: str = "web") -> User:
    name, role = check_username(username), check_role(role)
    display = (display_name or "").strip() or name
    if len(display) > 100:
        raise UserError("invalid-display-name", "Tên hiển thị dài quá 100 ký tự.", "The display name is over 100 characters.")
    hashed = hash_password(password)
    with store.transaction() as cur:
        if cur.execute("SELECT 1 FROM users WHERE username = ?", [name]).fetchall():
            raise UserError("user-exists", f"Đã có người dùng “{name}”. Hãy chọn tên khác, hoặc đặt lại mật khẩu/vai trò.",
                            f"There is already a user “{name}”. Choose another name, or reset their password or role.")
        cur.execute("INSERT INTO users (username, display_name, role, password_hash) VALUES (?, ?, ?, ?)",
                    [name, display, role, hashed])
        audit.record(cur, by, "user-add", {"username": name, "role": role}, source=source)
    return User(name, display, role, True)


def set_role(store, username: str, role: str, *, by: str | None, source: str = "web") -> None:
    role = check_role(role)
    with store.transaction() as cur:
        user = _existing(cur, username)
        if user.role == "admin" and role != "admin":
            _keep_an_admin(cur, user.username)
        cur.execute("UPDATE users SET role = ?, updated_at = now() WHERE username = ?", [role, user.username])
        audit.record(cur, by, "user-role", {"username": user.username, "from": user.role, "to": role}, source=source)


def reset_password(store, username: str, password: str, *, by: str | None, source: str = "web") -> None:
    hashed = hash_password(password)
    with store.transaction() as cur:
        user = _existing(cur, username)
        cur.execute("UPDATE users SET password_hash = ?, updated_at = now() WHERE username = ?", [hashed, user.username])
        audit.record(cur, by, "user-password", {"username": user.username}, source=source)


def deactivate(store, username: str, *, by: str | None, source: str = "web") -> None:
    """Lock the account (kept for the audit trail, never deleted); a signed-in session ends on its next click."""
    with store.transaction() as cur:
        user = _existing(cur, username)
        if user.role == "admin":
            _keep_an_admin(cur, user.username)
        cur.execute("UPDATE users SET active = false, updated_at = now() WHERE username = ?", [user.username])
        audit.record(cur, by, "user-deactivate", {"username": user.username}, source=source)


def activate(store, username: str, *, by: str | None, source: str = "web") -> None:
    with store.transaction() as cur:
        user = _existing(cur, username)
        cur.execute("UPDATE users SET active = true, updated_at = now() WHERE username = ?", [user.username])
        audit.record(cur, by, "user-activate", {"username": user.username}, source=source)


def _existing(cur, username: str) -> User:
    name = (username or "").strip().lower()
    found = cur.execute("SELECT username, display_name, role, active FROM users WHERE username = ?", [name]).fetchall()
    if not found:
        raise UserError("unknown-user", f"Không có người dùng “{username}”. Xem danh sách: python -m metrics users list",
                        f"There is no user “{username}”. See the list: python -m metrics users list")
    return User(*found[0])


def _keep_an_admin(cur, leaving: str) -> None:
    others = cur.execute("SELECT count(*) FROM users WHERE role = 'admin' AND active AND username <> ?",
                         [leaving]).fetchall()[0][0]
    if not others:
        raise UserError("last-admin",
                        "Đây là quản trị viên cuối cùng đang hoạt động; hãy thêm hoặc cấp quyền cho một quản trị viên "
                        "khác trước.",
                        "This is the last active administrator; add or promote another administrator first.")
