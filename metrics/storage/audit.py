"""The audit log: who did what, when, from where (the dashboard or the command line). Append-only.

    record(cur, "lan", "import", {"batch": 3, "file": "so-lieu.csv", "rows": 2})          # in the change's transaction
    record(store, getpass.getuser(), "backup", {"dir": "/srv/backup"}, source="cli")     # on its own

This module writes rows and reads them; it has no way to change or remove one, and a test checks that
no code of the project runs an UPDATE or DELETE on the ``audit`` table. Never imports Streamlit.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json

import pandas as pd

SOURCES = ("web", "cli")
# Every action the project records, with its words for the admin page's filter.
ACTIONS = {
    "sign-in": ("Đăng nhập", "Sign-in"),
    "sign-in-failed": ("Đăng nhập sai", "Failed sign-in"),
    "sign-out": ("Đăng xuất", "Sign-out"),
    "import": ("Nhập số liệu", "Import"),
    "undo": ("Hoàn tác đợt nhập", "Undo of an import"),
    "approve": ("Duyệt đợt nhập", "Batch approved"),
    "units-load": ("Nạp đơn vị", "Units loaded"),
    "targets-load": ("Nạp kế hoạch, chỉ tiêu", "Plans and targets loaded"),
    "user-add": ("Thêm người dùng", "User added"),
    "user-role": ("Đổi vai trò", "Role changed"),
    "user-scope": ("Đổi phạm vi đơn vị", "Unit scope changed"),
    "user-password": ("Đặt lại mật khẩu", "Password reset"),
    "user-deactivate": ("Khóa tài khoản", "User deactivated"),
    "user-activate": ("Mở lại tài khoản", "User reactivated"),
    "backup": ("Sao lưu", "Backup"),
    "restore": ("Khôi phục", "Restore"),
    "init": ("Tạo cơ sở dữ liệu", "Database created"),
    "deadline-set": ("Đặt hạn báo cáo", "Reporting deadline set"),
}
COLUMNS = ["id", "happened_at", "user_name", "action", "detail", "source"]


def cli_user() -> str:
    """The operating-system user running the command line (its writes need no web sign-in)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for the uid (a container), say so rather than guess
        return "unknown-os-user"


def record(target, user: str | None, action: str, detail: dict | None = None, *, source: str = "web") -> None:
    """Append one row. ``target`` is a cursor (the row joins the caller's transaction) or a ``Store``."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if source not in SOURCES:
        raise ValueError(f"unknown audit source {source!r}")
    text = json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True) if detail else None
    sql = "INSERT INTO audit (user_name, action, detail, source) VALUES (?, ?, ?, ?)"
    if hasattr(target, "transaction"):  # a Store: a write of its own
        with target.transaction() as cur:
            cur.execute(sql, [user, action, text, source])
    else:
        target.execute(sql, [user, action, text, source])


def entries(store, *, user: str | None = None, actions: list[str] | None = None,
            since: dt.date | dt.datetime | None = None, until: dt.date | dt.datetime | None = None,
            limit: int = 5000) -> pd.DataFrame:
    """Rows of the log, newest first, optionally for one user, some actions, a period (``until`` inclusive)."""
    where: list[str] = []
    params: list[object] = []
    if user:
        where.append("user_name = ?")
        params.append(user)
    if actions:
        where.append("action IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(actions))
    if since is not None:
        where.append("happened_at >= ?")
        params.append(_moment(since))
    if until is not None:
        end = until + dt.timedelta(days=1) if not isinstance(until, dt.datetime) else until
        where.append("happened_at < ?")
        params.append(_moment(end))
    sql = f"SELECT {', '.join(COLUMNS)} FROM audit"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return store.frame(f"{sql} ORDER BY id DESC LIMIT ?", [*params, int(limit)])


def recent_failures(store, user: str, minutes: int) -> int:
    """Failed sign-ins of ``user`` in the last ``minutes`` (the sign-in form's brake on guessing)."""
    return store.rows("SELECT count(*) FROM audit WHERE action = 'sign-in-failed' AND user_name = ? "
                      "AND happened_at > now() - CAST(? AS INTEGER) * INTERVAL '1 minute'", [user, int(minutes)])[0][0]


def _moment(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time())
