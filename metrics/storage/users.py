"""People who may sign in, their roles, and the key that signs their sign-in cookies. Never imports Streamlit.

Roles, each including the one before: ``viewer`` (reads every page), ``analyst`` (imports and undoes
figures), ``approver`` (approves imported batches, undoes approved ones), ``admin`` (plans, targets, units, users, backups). Passwords are kept only as bcrypt hashes.
Every change is written together with its audit row, in one transaction.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import bcrypt
import pandas as pd
from zxcvbn import zxcvbn

from metrics.storage import audit
from metrics.vocabulary.errors import UserError
from metrics.vocabulary.text import fold

ROLES = ("viewer", "analyst", "approver", "admin")
ROLE_LABELS = {"viewer": ("Người xem", "Viewer"), "analyst": ("Cán bộ nghiệp vụ", "Analyst"),
               "approver": ("Người duyệt số liệu", "Approver"), "admin": ("Quản trị viên", "Administrator")}
MIN_PASSWORD = 10
MAX_PASSWORD_BYTES = 72  # bcrypt reads no further: a longer password is refused, never silently cut
BCRYPT_ROUNDS = 12
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
COOKIE_KEY_ENV, COOKIE_KEY_FILE_ENV = "KPI_COOKIE_KEY", "KPI_COOKIE_KEY_FILE"
KEY_SUFFIX = ".cookie-key"  # the key file beside the database: kpi.duckdb.cookie-key
# Compared against when the user is unknown, so a wrong name takes as long as a wrong password (same cost).
MIN_GUESSES_SCORE = 3  # zxcvbn: 3 = "safely unguessable" (10^8 guesses and more)
# Words a person here reaches for first; zxcvbn's own lists are English.
LOCAL_WORDS = ("matkhau", "congdoan", "doanvien", "anhyeuem", "emyeuanh", "vietnam", "angiang", "hanoi",
               "saigon", "ldld", "liendoan", "laodong", "quantri", "admin")


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    role: str
    active: bool
    session_version: str | None = field(default=None, compare=False)  # in the cookie; changed to end sign-ins
    unit: str | None = None  # the unit whose subtree their imports, undos and templates are limited to; None: all

    def may(self, role: str) -> bool:
        """Whether this user's role includes ``role`` (an admin may do what an analyst may)."""
        return self.active and allows(self.role, role)


@cache
def _dummy_hash() -> bytes:
    """A hash of nobody's password, checked when the user name is unknown so that an unknown name takes as long
    as a known one. Made on first use, not at import: every command line call and every test imports this
    module, and 12 bcrypt rounds cost a quarter of a second of CPU (seconds under load)."""
    return bcrypt.hashpw(b"not a password of anyone", bcrypt.gensalt(BCRYPT_ROUNDS))


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


def check_password(password: str, username: str = "", display_name: str = "") -> None:
    """At least 10 characters, at most 72 bytes (bcrypt's limit), no spaces at either end (the sign-in
    form trims them, so such a password could never be typed back), and not easily guessed: no repeats,
    sequences, keyboard rows, common words or the user's own name (zxcvbn's estimate)."""
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
    if _guessable(password, username, display_name):
        raise UserError("password-too-weak",
                        "Mật khẩu quá dễ đoán (lặp một ký tự, dãy số hoặc phím liền nhau, từ thông dụng, hay chứa tên "
                        "người dùng). Hãy dùng một câu ngắn dễ nhớ gồm vài từ, ví dụ “mùa lúa chín ở Tri Tôn”.",
                        "The password is too easy to guess (a repeated character, a sequence or keyboard row, a "
                        "common word, or the user's own name). Use a short sentence of a few words that is easy "
                        "to remember.")


def _guessable(password: str, username: str, display_name: str) -> bool:
    """The user's own name in it (``lannguyen12`` for lan.nguyen), or a zxcvbn score below 3."""
    def letters(text: str) -> str:
        return re.sub(r"[^a-z0-9]", "", fold(text))
    names = [n for n in (letters(username), letters(display_name)) if len(n) >= 3]
    if any(name in letters(password) for name in names):
        return True
    hints = [username, display_name, *re.split(r"[._\-\s]+", f"{username} {fold(display_name)}"), *LOCAL_WORDS]
    return zxcvbn(password, [h for h in hints if h])["score"] < MIN_GUESSES_SCORE


def _new_version() -> str:
    return secrets.token_urlsafe(16)


def hash_password(password: str, username: str = "", display_name: str = "") -> str:
    check_password(password, username, display_name)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")


_FIELDS = "username, display_name, role, active, session_version, unit"


# --- reading ----------------------------------------------------------------------------------------

def get(store, username: str | None) -> User | None:
    if not username:
        return None
    found = store.rows(f"SELECT {_FIELDS} FROM users WHERE username = ?",
                       [str(username).strip().lower()])
    return User(*found[0]) if found else None


def listing(store) -> pd.DataFrame:
    """Every user, without hashes: username, display name, role, active, created, updated and unit (their scope; the
    column came last so that older readers of the list keep their columns)."""
    return store.frame("SELECT username, display_name, role, active, created_at, updated_at, unit FROM users "
                       "ORDER BY active DESC, username")


def count(store) -> int:
    return store.rows("SELECT count(*) FROM users")[0][0]


def verify(store, username: str, password: str) -> User | None:
    """The active user with this name and password, else None (unknown, inactive or wrong password)."""
    name = (username or "").strip().lower()
    found = store.rows("SELECT password_hash FROM users WHERE username = ? AND active", [name])
    stored = found[0][0].encode("ascii") if found else _dummy_hash()
    try:
        matches = bcrypt.checkpw((password or "").encode("utf-8"), stored)
    except ValueError:  # longer than bcrypt accepts: cannot be anyone's password
        matches = False
    return get(store, name) if matches and found else None


def cookie_key(store) -> str:
    """The key that signs sign-in cookies, never in the database (a copy of the database must not let
    anyone forge a sign-in): ``KPI_COOKIE_KEY`` if set; else the file ``KPI_COOKIE_KEY_FILE``, or
    ``<database>.cookie-key`` beside the database, made once with a random key, readable by its owner
    only (0600), so that sign-ins survive a restart of the dashboard."""
    if os.environ.get(COOKIE_KEY_ENV):
        return os.environ[COOKIE_KEY_ENV]
    return _key_file(key_path(store))


def key_path(store) -> Path:
    configured = os.environ.get(COOKIE_KEY_FILE_ENV)
    if configured:
        return Path(configured)
    if getattr(store, "engine", "duckdb") == "postgresql":  # no file beside the database: say which to name
        raise UserError("cookie-key-needed",
                        f"Với cơ sở dữ liệu PostgreSQL, hãy đặt {COOKIE_KEY_FILE_ENV} (một tệp khóa mà mọi tiến trình "
                        f"dashboard cùng đọc, quyền 600) hoặc {COOKIE_KEY_ENV}; nếu không, không ai đăng nhập được.",
                        f"With a PostgreSQL database, set {COOKIE_KEY_FILE_ENV} (a key file every dashboard process "
                        f"reads, mode 600) or {COOKIE_KEY_ENV}; otherwise nobody can sign in.")
    return Path(str(store.path) + KEY_SUFFIX)


def _key_file(path: Path) -> str:
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    with os.fdopen(handle, "w", encoding="ascii") as out:
        out.write(secrets.token_urlsafe(48))
    return _read_key(path)


def _read_key(path: Path) -> str:
    if path.stat().st_mode & 0o077:
        raise UserError("cookie-key-exposed",
                        f"Tệp khóa đăng nhập {path} có thể được người khác đọc. Hãy xóa tệp này (mọi người sẽ phải đăng "
                        f"nhập lại; một khóa mới được tạo), hoặc nếu chắc chắn chưa ai đọc được: chmod 600 {path}.",
                        f"The sign-in key file {path} is readable by others. Delete it (everyone signs in again; a new "
                        f"key is made), or if you are sure nobody has read it: chmod 600 {path}.")
    for _ in range(50):  # a second process may have created it a moment ago and still be writing
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
        time.sleep(0.02)
    raise UserError("cookie-key-empty", f"Tệp khóa đăng nhập {path} trống. Hãy xóa tệp này rồi mở lại dashboard.",
                    f"The sign-in key file {path} is empty. Delete it and open the dashboard again.")


def end_sessions(store, username: str) -> None:
    """End every sign-in of this user, on every device: their cookies carry a version that no longer is."""
    with store.transaction() as cur:
        cur.execute("UPDATE users SET session_version = ? WHERE username = ?", [_new_version(), username])


# --- changes, each with its audit row -----------------------------------------------------------------

def add(store, username: str, display_name: str, role: str, password: str, *, by: str | None,
        source: str = "web", unit: str | None = None) -> User:
    name, role = check_username(username), check_role(role)
    display = (display_name or "").strip() or name
    if len(display) > 100:
        raise UserError("invalid-display-name", "Tên hiển thị dài quá 100 ký tự.", "The display name is over 100 characters.")
    hashed = hash_password(password, name, display)
    with store.transaction() as cur:
        if cur.execute("SELECT 1 FROM users WHERE username = ?", [name]).fetchall():
            raise UserError("user-exists", f"Đã có người dùng “{name}”. Hãy chọn tên khác, hoặc đặt lại mật khẩu/vai trò.",
                            f"There is already a user “{name}”. Choose another name, or reset their password or role.")
        unit = _known_unit(cur, unit)
        cur.execute("INSERT INTO users (username, display_name, role, password_hash, session_version, unit) "
                    "VALUES (?, ?, ?, ?, ?, ?)", [name, display, role, hashed, _new_version(), unit])
        audit.record(cur, by, "user-add", {"username": name, "role": role, **({"scope": unit} if unit else {})},
                     source=source)
    return User(name, display, role, True, unit=unit)


def set_scope(store, username: str, unit: str | None, *, by: str | None, source: str = "web") -> None:
    """Limit a user's imports, undos and templates to ``unit``'s subtree (None: the whole federation).
    Their sign-ins end, so no page keeps the old scope."""
    with store.transaction() as cur:
        user = _existing(cur, username)
        unit = _known_unit(cur, unit)
        cur.execute("UPDATE users SET unit = ?, session_version = ?, updated_at = now() WHERE username = ?",
                    [unit, _new_version() if unit != user.unit else user.session_version, user.username])
        audit.record(cur, by, "user-scope", {"username": user.username, "scope": unit, "previous_scope": user.unit},
                     source=source)


def set_role(store, username: str, role: str, *, by: str | None, source: str = "web") -> None:
    role = check_role(role)
    with store.transaction() as cur:
        user = _existing(cur, username)
        if user.role == "admin" and role != "admin":
            _keep_an_admin(cur, user.username)
        cur.execute("UPDATE users SET role = ?, session_version = ?, updated_at = now() WHERE username = ?",
                    [role, _new_version() if role != user.role else user.session_version, user.username])
        audit.record(cur, by, "user-role", {"username": user.username, "from": user.role, "to": role}, source=source)


def reset_password(store, username: str, password: str, *, by: str | None, source: str = "web") -> None:
    """A new password; every sign-in with the old one ends."""
    found = get(store, username)
    hashed = hash_password(password, found.username if found else username, found.display_name if found else "")
    with store.transaction() as cur:
        user = _existing(cur, username)
        cur.execute("UPDATE users SET password_hash = ?, session_version = ?, updated_at = now() WHERE username = ?",
                    [hashed, _new_version(), user.username])
        audit.record(cur, by, "user-password", {"username": user.username}, source=source)


def deactivate(store, username: str, *, by: str | None, source: str = "web") -> None:
    """Lock the account (kept for the audit trail, never deleted); a signed-in session ends on its next click."""
    with store.transaction() as cur:
        user = _existing(cur, username)
        if user.role == "admin":
            _keep_an_admin(cur, user.username)
        cur.execute("UPDATE users SET active = false, session_version = ?, updated_at = now() WHERE username = ?",
                    [_new_version(), user.username])
        audit.record(cur, by, "user-deactivate", {"username": user.username}, source=source)


def activate(store, username: str, *, by: str | None, source: str = "web") -> None:
    with store.transaction() as cur:
        user = _existing(cur, username)
        cur.execute("UPDATE users SET active = true, updated_at = now() WHERE username = ?", [user.username])
        audit.record(cur, by, "user-activate", {"username": user.username}, source=source)


def _existing(cur, username: str) -> User:
    name = (username or "").strip().lower()
    found = cur.execute(f"SELECT {_FIELDS} FROM users WHERE username = ?", [name]).fetchall()
    if not found:
        raise UserError("unknown-user", f"Không có người dùng “{username}”. Xem danh sách: python -m metrics users list",
                        f"There is no user “{username}”. See the list: python -m metrics users list")
    return User(*found[0])


def _known_unit(cur, unit: str | None) -> str | None:
    """The unit's code as the units file writes it, or a clear error for a code no period of any unit has."""
    code = (unit or "").strip()
    if not code:
        return None
    found = cur.execute("SELECT code FROM units WHERE upper(code) = upper(?) LIMIT 1", [code]).fetchall()
    if not found:
        raise UserError("unknown-unit", f"Không có đơn vị mã “{code}”. Xem danh sách đơn vị trong tệp đơn vị đã nạp.",
                        f"There is no unit with the code “{code}”. See the units file that was loaded.")
    return found[0][0]


def _keep_an_admin(cur, leaving: str) -> None:
    others = cur.execute("SELECT count(*) FROM users WHERE role = 'admin' AND active AND username <> ?",
                         [leaving]).fetchall()[0][0]
    if not others:
        raise UserError("last-admin",
                        "Đây là quản trị viên cuối cùng đang hoạt động; hãy thêm hoặc cấp quyền cho một quản trị viên "
                        "khác trước.",
                        "This is the last active administrator; add or promote another administrator first.")
