"""A real ``streamlit run`` server and the command line on the same database file: reads work while the
dashboard holds the file, an import while it is idle is written and shows on the next page view, the first
administrator is added without stopping it, and a write that cannot wait names the dashboard."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from tests.browser.conftest import PUBLIC, assert_no_error, streamlit_server, wait_rendered
from tests.helpers import PASSWORD, ROOT, cli


def members_2026(folder, value: int):
    path = folder / "so-lieu-2026.csv"
    path.write_text(f"unit,indicator,year,value,source\nAG-2025,members,2026,{value},Báo cáo năm 2026\n",
                    encoding="utf-8")
    return path


def test_the_command_line_works_beside_a_running_dashboard(demo_db, tmp_path, page):
    db = tmp_path / "kpi.duckdb"
    shutil.copy(demo_db, db)
    with streamlit_server(db, extra_env=PUBLIC) as url:
        page.goto(url)
        wait_rendered(page)
        page.get_by_text("118.046").first.wait_for(state="visible")  # members 2026 as shipped
        assert cli("status", "--year", "2026", "--unit", "AG-2025", db=db).stdout.startswith("plan,target,")
        done = cli("import", members_2026(tmp_path, 125432), db=db)  # the dashboard is idle: it is written
        assert "Đã nhập đợt" in done.stdout
        page.reload()
        wait_rendered(page)
        assert_no_error(page)
        page.get_by_text("125.432").first.wait_for(state="visible")  # the next page view shows it
        added = subprocess.run([sys.executable, "-m", "metrics", "users", "add", "boss", "--role", "admin",
                                "--password-stdin", "--db", str(db)], input=PASSWORD + "\n", capture_output=True,
                               text=True, cwd=ROOT, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert added.returncode == 0, added.stderr


def test_a_dashboard_that_holds_the_file_lets_readers_in_and_is_named_to_a_writer(demo_db, tmp_path, page):
    """``KPI_DB_LINGER`` keeps the server's read connection open, as a dashboard busy with many visitors does."""
    db = tmp_path / "kpi.duckdb"
    shutil.copy(demo_db, db)
    with streamlit_server(db, extra_env={**PUBLIC, "KPI_DB_LINGER": "600"}) as url:
        page.goto(url)
        wait_rendered(page)
        assert_no_error(page)
        for command in (["status", "--year", "2026"], ["history"], ["users", "list"], ["audit"]):
            cli(*command, db=db)
        refused = cli("import", members_2026(tmp_path, 125432), db=db, check=False, env={"KPI_LOCK_WAIT": "1"})
        assert refused.returncode == 1 and "Traceback" not in refused.stderr
        assert "đang được dashboard (streamlit) (PID " in refused.stderr  # who holds it, by name and process
