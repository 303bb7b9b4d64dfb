"""Opening the DuckDB file, and the one place where DuckDB's own errors become user errors."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from pathlib import Path

import duckdb

from metrics.errors import DatabaseBusy, DatabaseUnreadable

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_DB = DATA_DIR / "kpi.duckdb"

# Extensions that would try to download (excel, httpfs …) must fail at once on an offline machine.
# DuckDB would otherwise take up to 80 % of the machine's memory for its caches; with a limit it spills
# big work (a national import) to a temporary folder instead, and the dashboard stays small.
CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": True}
MEMORY_LIMIT = os.environ.get("KPI_MEMORY_LIMIT", "1GB")
# ``python -m metrics import`` is one import in a process of its own: it may use more, and spills less.
IMPORT_MEMORY_LIMIT = os.environ.get("KPI_IMPORT_MEMORY_LIMIT", "4GB")


def set_memory_limit(con: duckdb.DuckDBPyConnection, limit: str) -> None:
    """Change the connection's DuckDB memory cap (``'4GB'``, ``'512MB'`` …)."""
    con.execute(f"SET memory_limit = '{limit.replace(chr(39), '')}'")


def private_files() -> None:
    """Files this process creates from now on (the database's write-ahead log, backups, the sign-in key,
    temporary files) are readable by their owner only: the command line and the dashboard call this first."""
    os.umask(os.umask(0) | 0o077)


def default_path() -> Path:
    """The database path: ``KPI_DB`` if set, else ``data/kpi.duckdb`` in the project."""
    return Path(os.environ.get("KPI_DB") or DEFAULT_DB)


def connect(path: str | Path | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database, turning lock and format errors into messages that say what to do."""
    path = Path(path) if path else default_path()
    if read_only and not path.exists():
        raise DatabaseUnreadable(
            "database-missing",
            f"Chưa có cơ sở dữ liệu {path}. Hãy chạy: python -m metrics init --demo",
            f"There is no database at {path}. Run: python -m metrics init --demo",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    try:
        con = duckdb.connect(str(path), read_only=read_only, config={**CONFIG, "memory_limit": MEMORY_LIMIT})
    except duckdb.IOException as exc:
        raise _translate_io_error(path, exc) from exc
    except duckdb.Error as exc:
        raise _unreadable(path, exc) from exc
    if new:  # users' password hashes and every figure: for the account that runs the program only
        path.chmod(0o600)
    con.execute("SET TimeZone = 'Asia/Ho_Chi_Minh'")
    con.execute("SET enable_progress_bar = false")  # DuckDB's own bar would print into the command line's output
    return con


def _translate_io_error(path: Path, exc: Exception) -> Exception:
    text = str(exc)
    if "lock" in text.lower():
        return _busy(path, holder(text))
    return _unreadable(path, exc)


_HOLDER = re.compile(r"\(PID (\d+)\)")


def holder(message: str) -> tuple[str, str, int | None]:
    """Who holds the file, from DuckDB's message and the holder's command line: (vi, en, pid)."""
    found = _HOLDER.search(message)
    pid = int(found.group(1)) if found else None
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except (OSError, TypeError):
        command = ""
    if "streamlit" in command:
        return "dashboard (streamlit)", "the dashboard (streamlit)", pid
    if "metrics" in command:
        words = command.split()
        verb = " ".join(words[words.index("metrics") + 1:][:2]) if "metrics" in words else ""
        return f"một lệnh python -m metrics {verb}".rstrip(), f"a command python -m metrics {verb}".rstrip(), pid
    return "một chương trình khác", "another program", pid


def _busy(path: Path, who: tuple[str, str, int | None]) -> DatabaseBusy:
    """Said where it happens: the dashboard has no --db to offer, the command line has."""
    vi, en, pid = who
    process = f" (PID {pid})" if pid else ""
    in_dashboard = "streamlit" in sys.modules  # a check, not an import: metrics never imports Streamlit
    todo_vi = ("Hãy đợi việc đó xong rồi tải lại trang." if in_dashboard else
               "Hãy đợi việc đó xong (hoặc dừng nó) rồi chạy lại lệnh, hoặc chỉ định một tệp khác bằng --db.")
    todo_en = ("Wait until it has finished, then reload the page." if in_dashboard else
               "Wait until it has finished (or stop it) and run the command again, or point to another file with --db.")
    return DatabaseBusy("database-busy", f"Cơ sở dữ liệu {path} đang được {vi}{process} sử dụng. {todo_vi}",
                        f"The database {path} is in use by {en}{process}. {todo_en}")


def _unreadable(path: Path, exc: Exception) -> DatabaseUnreadable:
    return DatabaseUnreadable(
        "database-unreadable",
        f"Không mở được cơ sở dữ liệu {path}: {exc}. Tệp có thể bị hỏng hoặc được tạo bởi phiên bản khác. "
        "Hãy khôi phục từ bản sao lưu (python -m metrics restore THƯ_MỤC) hoặc tạo lại bằng "
        "python -m metrics init --demo với một tệp mới.",
        f"Cannot open the database {path}: {exc}. The file may be damaged or made by another version. "
        "Restore a backup (python -m metrics restore DIR) or build a new file with "
        "python -m metrics init --demo.",
    )


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection):
    """Run a block in one transaction: everything is written, or nothing."""
    cur = con.cursor()
    cur.begin()
    try:
        yield cur
    except BaseException:
        cur.rollback()
        raise
    else:
        cur.commit()
    finally:
        cur.close()
