"""An audit row's details in words (``Đợt #3 · tệp so-lieu.csv · 2 giá trị``), not the JSON it is stored as.

The log keeps the JSON (``metrics.storage.audit``); people read this. A key this module does not know is shown
as ``key: value``, so nothing recorded is ever hidden.
"""

from __future__ import annotations

import json

from metrics.storage import users
from metrics.vocabulary import fmt

WORDS = {
    "batch": ("đợt #{v}", "batch #{v}"),
    "operation": ("ghi thành đợt #{v}", "recorded as batch #{v}"),
    "file": ("tệp {v}", "file {v}"),
    "files": ("tệp {v}", "files {v}"),
    "rows": ("{n} giá trị", "{n} values"),
    "units": ("{n} đơn vị", "{n} units"),
    "plans": ("{n} kế hoạch", "{n} plans"),
    "indicators": ("{n} chỉ số", "{n} indicators"),
    "targets": ("{n} chỉ tiêu", "{n} targets"),
    "plan": ("kế hoạch {v}", "plan {v}"),
    "sha256": ("SHA-256 {short}…", "SHA-256 {short}…"),
    "recorded_as": ("ghi tên {v}", "recorded as {v}"),
    "username": ("tài khoản {v}", "account {v}"),
    "role": ("vai trò {role}", "role {role}"),
    "folder": ("thư mục {v}", "folder {v}"),
    "dir": ("thư mục {v}", "folder {v}"),
    "from": ("từ {v}", "from {v}"),
    "scope": ("phạm vi {v}", "scope {v}"),
    "previous_scope": ("trước đó: {v}", "before: {v}"),
    "backup_created_at": ("bản sao lưu lúc {v}", "backup made at {v}"),
    "counts": ("{tables} bảng, {n} dòng", "{tables} tables, {n} rows"),
    "year": ("năm {v}", "year {v}"),
    "due": ("hạn {v}", "due {v}"),
    "deadlines": ("{n} hạn báo cáo", "{n} deadlines"),
}
FLAGS = {  # keys whose value is yes or no: said only when yes
    "demo": ("có số liệu mẫu", "with the demo data"),
    "force": ("ghi đè", "overwriting"),
    "replace": ("thay thế toàn bộ", "replacing everything"),
}
ORDER = ["username", "role", "scope", "previous_scope", "batch", "operation", "file", "files", "rows", "units", "plans", "indicators", "targets",
         "plan", "year", "due", "deadlines", "sha256", "recorded_as", "folder", "dir", "from", "backup_created_at", "counts", "demo", "force",
         "replace", "reason"]
REASONS = {
    "password": ("sai mật khẩu", "wrong password"),
    "too many failures": ("tên bị tạm khóa vì sai quá nhiều lần", "name locked after too many failures"),
}


def words(action: str, detail: str | None, lang: str = "vi") -> str:
    """The details of one audit row, in words (a row without any, read back as NaN by pandas: nothing)."""
    if not isinstance(detail, str) or not detail:
        return ""
    try:
        found = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(found, dict):
        return str(found)
    if action == "user-role" and {"from", "to"} <= found.keys():
        found["role"] = (found.pop("from"), found.pop("to"))
    order = [*ORDER, *sorted(k for k in found if k not in ORDER)]  # the log stores keys sorted: read them in sense
    return " · ".join(part for key in order if key in found and (part := _part(key, found[key], lang)))


def _part(key: str, value, lang: str) -> str:
    pick = 0 if lang == "vi" else 1
    if key in FLAGS:
        return FLAGS[key][pick] if value else ""
    if key == "reason":
        return REASONS.get(value, (str(value), str(value)))[pick]
    if key not in WORDS:
        return f"{key}: {_plain(value)}"
    if key in ("scope", "previous_scope") and value is None:
        value = ("toàn liên đoàn", "the whole federation")[pick]
    return WORDS[key][pick].format(**_fields(key, value, lang))


def _fields(key: str, value, lang: str) -> dict:
    if key == "role":
        roles = value if isinstance(value, tuple) else (value,)
        return {"role": " → ".join(users.role_label(r, lang) for r in roles)}
    if key == "counts" and isinstance(value, dict):
        return {"tables": len(value), "n": fmt.number(sum(v for v in value.values() if isinstance(v, int)), lang)}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"v": value, "n": fmt.number(value, lang)}
    return {"v": _plain(value), "n": _plain(value), "short": str(value)[:12]}


def _plain(value) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
