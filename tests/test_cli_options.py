"""Global options (``--db``, ``--lang``) work before and after the command name, for every command.

Each command runs twice on its own copy of a demo database, once as ``python -m metrics --db X --lang en
COMMAND …`` and once as ``python -m metrics COMMAND … --db X --lang en`` (through ``metrics.cli.main`` in
this process), with ``KPI_DB`` pointing at a decoy file that must never come into being: the database that
was read or written is X and no other.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from metrics.cli.commands import build_parser
from metrics.storage.store import Store, write_batch
from tests.helpers import ROOT, copy_database, run_cli

VALUES = "unit,indicator,year,value\n883,union_houses,2024,11\n"
UNITS = ROOT / "data" / "units.csv"
TARGETS = [ROOT / "data" / n for n in ("plans.csv", "indicators.csv", "targets.csv")]
PASSWORD = "một câu mật khẩu dài\n"

# command -> (arguments, whether it writes the database, words of its English output, standard input)
CASES = {
    "init": (["--force"], True, "Created", None),
    "status": (["--year", "2024"], False, "plan,target", None),
    "units import": ([UNITS], True, "Loaded units", None),
    "targets import": ([*TARGETS, "--dry-run"], False, "Dry run", None),
    "targets allocate": (["--target", "NK3b", "--rule", "equal", "--out", "{tmp}/q.csv"], False, "Wrote", None),
    "targets reconcile": (["--target", "NK1a"], False, "The units are given 26,500 / 28,000", None),
    "import": (["{values}"], True, "Imported batch", None),
    "template": (["--year", "2025", "--out", "{tmp}/t.csv"], False, "Wrote", None),
    "history": ([], False, "batch,file", None),
    "rollback": (["1"], True, "Rolled back batch 1", None),
    "batches approve": (["3"], True, "Approved batch 3", None),
    "export": (["--format", "csv", "--out", "{tmp}/x.csv"], False, "Wrote", None),
    "users add": (["minh", "--role", "viewer", "--password-stdin"], True, "Added user minh", PASSWORD),
    "users list": ([], False, "username,display_name", None),
    "users set-role": (["lan", "analyst"], True, "the role is now Analyst", None),
    "users set-unit": (["lan", "883"], True, "only for unit 883", None),
    "users reset-password": (["lan", "--password-stdin"], True, "Set a new password", PASSWORD),
    "users deactivate": (["lan"], True, "Deactivated lan", None),
    "users activate": (["lan"], True, "Reactivated lan", None),
    "backup": (["{tmp}/backup"], True, "Backed up", None),
    "restore": (["{backup}", "--force"], True, "Restored the backup", None),
    "audit": ([], False, "happened_at", None),
    "overdue": (["--year", "2026", "--on", "03/12/2026"], False, "plan,year,unit", None),
    "deadlines set": (["--year", "2027", "--date", "15/01/2028"], True, "Set the deadline", None),
    "deadlines list": ([], False, "plan,year,deadline", None),
    "deadlines import": ([ROOT / "data" / "deadlines.csv"], True, "Loaded 3 deadlines", None),
    "synth": (["--provinces", "1", "--grassroots", "5", "--years", "1", "--out", "{tmp}/synth"], None, "Wrote to",
              None),
}


def commands() -> set[str]:
    """Every command the parser knows, nested ones as ``users add``."""
    found = set()
    for name, parser in build_parser()._subparsers._group_actions[0].choices.items():
        nested = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
        found |= {f"{name} {action}" for action in nested[0].choices} if nested else {name}
    return found


def test_every_command_is_walked():
    assert set(CASES) == commands()


@pytest.fixture(scope="module")
def template(demo_template, tmp_path_factory) -> tuple[Path, Path]:
    """A demo database with a second administrator (so lan can be changed), and a backup of it."""
    folder = tmp_path_factory.mktemp("options")
    path = copy_database(demo_template, folder)
    for name in ("boss", "lan"):
        run_cli("users", "add", name, "--role", "admin", "--password-stdin", db=path, stdin=PASSWORD)
    store = Store.open(path)
    try:  # batch 3: an import not yet approved (for ``batches approve``)
        with store.transaction() as cur:
            write_batch(cur, pd.DataFrame([{"unit": "883", "indicator": "union_houses", "year": 2024, "value": 12.0}]),
                        "import", provisional=True)
    finally:
        store.close()
    run_cli("backup", folder / "backup", db=path)
    return path, folder / "backup"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("position", ["before", "after"])
@pytest.mark.parametrize("command", sorted(CASES))
@pytest.mark.slow
def test_global_options_choose_the_database_and_language(command, position, template, tmp_path):
    arguments, writes, english, stdin = CASES[command]
    db = tmp_path / "chosen.duckdb"
    shutil.copy(template[0], db)
    values = tmp_path / "values.csv"
    values.write_text(VALUES, encoding="utf-8")
    fill = {"tmp": tmp_path, "values": values, "backup": template[1]}
    arguments = [str(a).format(**fill) for a in arguments]
    options = ["--db", str(db), "--lang", "en"]
    line = [*options, *command.split(), *arguments] if position == "before" else [*command.split(), *arguments, *options]
    decoy = tmp_path / "decoy.duckdb"
    before = digest(db)
    # in this process (the parsing is the same code; a process's start-up is tested in test_cli.py)
    done = run_cli(*line, env={"KPI_LANG": None, "KPI_DB": str(decoy)}, stdin=stdin)
    assert english in done.stdout, done.stdout[:500]
    assert not decoy.exists() and not Path(str(decoy) + ".wal").exists()
    if writes is not None:
        assert (digest(db) != before) == writes


def test_the_command_line_imports_only_what_the_command_needs():
    """Every ``python -m metrics`` call imported every engine up front (the catalogue, the intake, python-pptx,
    reportlab, openpyxl, Plotly) and hashed a bcrypt password at import: seconds of CPU before ``--help``."""
    probe = ("import sys; from metrics.cli.commands import build_parser; build_parser().parse_args(['status']); "
             "from metrics.storage import users; "
             "heavy = ['metrics.catalogue.loading', 'metrics.ingest.intake', 'metrics.judging.scorecard', "
             "'metrics.exports.bundle', 'pptx', 'reportlab', 'openpyxl', 'plotly']; "
             "print(sorted(m for m in heavy if m in sys.modules), users._dummy_hash.cache_info().currsize)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[] 0"


def test_the_export_formats_of_the_command_line_are_the_exports_own():
    from metrics.cli import export
    from metrics.exports import bundle

    assert export.FORMATS == bundle.FORMATS
