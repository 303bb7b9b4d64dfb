"""``python -m metrics users …``, ``backup``, ``restore``, ``audit``: the server administrator's commands.

The command line is the tool of whoever can read and write the database file itself: it needs no web
sign-in, and every write is recorded in the audit log under the operating-system user, source ``cli``.
``metrics/cli/commands.py`` registers these commands.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from metrics import backup
from metrics.cli.output import write_table
from metrics.storage import audit, db, users
from metrics.storage.store import Store
from metrics.vocabulary.errors import UserError
from metrics.vocabulary.shared import local_times


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    group = sub.add_parser("users", parents=[common], help="people who may sign in to the dashboard, and their roles")
    actions = group.add_subparsers(title="actions")
    p = actions.add_parser("add", parents=[common], help="add a user (asks for the password twice)")
    p.add_argument("username")
    p.add_argument("--role", choices=users.ROLES, required=True)
    p.add_argument("--name", dest="display_name", help="name shown in the dashboard (default: the user name)")
    p.add_argument("--unit", help="limit their imports, undos and templates to this unit and the units below it")
    p.add_argument("--password-stdin", action="store_true", help="read the password from one line of standard input")
    p.set_defaults(handler=cmd_users_add)
    p = actions.add_parser("list", parents=[common], help="every user, role and state (never a password)")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.set_defaults(handler=cmd_users_list)
    p = actions.add_parser("set-role", parents=[common], help="change a user's role")
    p.add_argument("username")
    p.add_argument("role", choices=users.ROLES)
    p.set_defaults(handler=cmd_users_set_role)
    p = actions.add_parser("set-unit", parents=[common],
                           help="limit a user's imports, undos and templates to a unit's subtree (no unit: everything)")
    p.add_argument("username")
    p.add_argument("unit", nargs="?", help="a unit code; leave out for the whole federation")
    p.set_defaults(handler=cmd_users_set_unit)
    p = actions.add_parser("reset-password", parents=[common], help="set a new password (asks twice)")
    p.add_argument("username")
    p.add_argument("--password-stdin", action="store_true")
    p.set_defaults(handler=cmd_users_reset_password)
    for name, handler, text in (("deactivate", cmd_users_deactivate, "lock an account (kept for the record)"),
                                ("activate", cmd_users_activate, "unlock an account")):
        p = actions.add_parser(name, parents=[common], help=text)
        p.add_argument("username")
        p.set_defaults(handler=handler)

    p = sub.add_parser("backup", parents=[common], help="export the whole database to a new folder (Parquet)")
    p.add_argument("folder", type=Path, metavar="DIR")
    p.set_defaults(handler=cmd_backup)
    p = sub.add_parser("restore", parents=[common], help="build the database named by --db from a backup folder or .zip")
    p.add_argument("source", type=Path, metavar="DIR")
    p.add_argument("--force", action="store_true", help="replace a database that holds data")
    p.set_defaults(handler=cmd_restore)
    p = sub.add_parser("audit", parents=[common], help="the audit log, newest first")
    p.add_argument("--user")
    p.add_argument("--action", choices=sorted(audit.ACTIONS))
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.set_defaults(handler=cmd_audit)


def _say(args, vi: str, en: str) -> None:
    print(vi if args.lang == "vi" else en)


def _path(args) -> Path | str:
    return args.db or db.location()


def _written(args) -> None:
    """Writes go to the file named by --db or KPI_DB, else the default one: say which, every time."""
    path = db.shown(_path(args))
    _say(args, f"Cơ sở dữ liệu: {path}", f"Database: {path}")


def _password(args, lang: str) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Mật khẩu: " if lang == "vi" else "Password: ")
    users.check_password(first)
    if getpass.getpass("Nhập lại mật khẩu: " if lang == "vi" else "Repeat the password: ") != first:
        raise UserError("passwords-differ", "Hai lần nhập mật khẩu không giống nhau; không thay đổi gì.",
                        "The two passwords differ; nothing was changed.")
    return first


def _with_store(args, work, read_only: bool = False):
    store = Store.open(_path(args), read_only=read_only)
    try:
        return work(store)
    finally:
        store.close()


def cmd_users_add(args) -> int:
    password = _password(args, args.lang)
    user = _with_store(args, lambda s: users.add(s, args.username, args.display_name or "", args.role, password,
                                                 by=audit.cli_user(), source="cli", unit=args.unit))
    role = users.role_label(user.role, args.lang)
    _say(args, f"Đã thêm người dùng {user.username} ({role}).", f"Added user {user.username} ({role}).")
    _written(args)
    return 0


def cmd_users_list(args) -> int:
    frame = _with_store(args, users.listing, read_only=True)
    write_table(frame.assign(created_at=_local(frame["created_at"]), updated_at=_local(frame["updated_at"])), args.format)
    return 0


def cmd_users_set_role(args) -> int:
    _with_store(args, lambda s: users.set_role(s, args.username, args.role, by=audit.cli_user(), source="cli"))
    _say(args, f"{args.username}: vai trò mới là {users.role_label(args.role, 'vi')}.",
         f"{args.username}: the role is now {users.role_label(args.role, 'en')}.")
    _written(args)
    return 0


def cmd_users_set_unit(args) -> int:
    _with_store(args, lambda s: users.set_scope(s, args.username, args.unit, by=audit.cli_user(), source="cli"))
    if args.unit:
        _say(args, f"{args.username}: chỉ nhập, hoàn tác cho đơn vị {args.unit} và các đơn vị trực thuộc.",
             f"{args.username}: imports and undoes only for unit {args.unit} and the units below it.")
    else:
        _say(args, f"{args.username}: nhập, hoàn tác cho toàn liên đoàn.",
             f"{args.username}: imports and undoes for the whole federation.")
    _written(args)
    return 0


def cmd_users_reset_password(args) -> int:
    password = _password(args, args.lang)
    _with_store(args, lambda s: users.reset_password(s, args.username, password, by=audit.cli_user(), source="cli"))
    _say(args, f"Đã đặt mật khẩu mới cho {args.username}.", f"Set a new password for {args.username}.")
    _written(args)
    return 0


def cmd_users_deactivate(args) -> int:
    _with_store(args, lambda s: users.deactivate(s, args.username, by=audit.cli_user(), source="cli"))
    _say(args, f"Đã khóa tài khoản {args.username}.", f"Deactivated {args.username}.")
    _written(args)
    return 0


def cmd_users_activate(args) -> int:
    _with_store(args, lambda s: users.activate(s, args.username, by=audit.cli_user(), source="cli"))
    _say(args, f"Đã mở lại tài khoản {args.username}.", f"Reactivated {args.username}.")
    _written(args)
    return 0


def cmd_backup(args) -> int:
    manifest = _with_store(args, lambda s: backup.backup(s, args.folder, user=audit.cli_user(), source="cli"))
    total = sum(manifest["counts"].values())
    _say(args, f"Đã sao lưu {_path(args)} vào {args.folder}: {len(manifest['counts'])} bảng, {total} dòng.",
         f"Backed up {_path(args)} to {args.folder}: {len(manifest['counts'])} tables, {total} rows.")
    return 0


def cmd_restore(args) -> int:
    manifest = backup.restore(args.source, _path(args), force=args.force, user=audit.cli_user())
    observations = manifest["counts"].get("observations", 0)
    _say(args, f"Đã khôi phục bản sao lưu ngày {manifest['created_at']} ({observations} giá trị). Người dùng cần đăng "
               "nhập lại.",
         f"Restored the backup of {manifest['created_at']} ({observations} values). Users need to sign in again.")
    _written(args)
    return 0


def cmd_audit(args) -> int:
    frame = _with_store(args, lambda s: audit.entries(s, user=args.user, actions=[args.action] if args.action else None,
                                                      limit=args.limit), read_only=True)
    write_table(frame.assign(happened_at=_local(frame["happened_at"])), args.format)
    return 0


def _local(moments):
    """Times are stored in UTC; the people who read them are in Vietnam."""
    return local_times(moments).dt.strftime("%Y-%m-%d %H:%M:%S")
