"""docs/interfaces.md and the program agree: every command and option the parser has is documented on its
command's row, every documented command exists, every environment variable the code reads is listed, the
documented CSV columns are the code's, and every document the code or the README names exists."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from metrics.cli.commands import HISTORY_COLUMNS, build_parser
from metrics.judging.scorecard import Scorecard, records

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "interfaces.md").read_text(encoding="utf-8")
GLOBAL = {"--db", "--lang"}  # every command's, documented once above the table


def commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> dict[str, set[str]]:
    """Each command of the parser ("users add") with its own option strings."""
    found: dict[str, set[str]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found |= commands(sub, (*path, name))
    options = {s for a in parser._actions for s in a.option_strings if s.startswith("--")} - GLOBAL - {"--help"}
    if path and not found:
        found[" ".join(path)] = options
    return found


def table_rows() -> dict[str, str]:
    """The command table's rows by each command named in their first cell."""
    rows = {}
    for line in DOC.splitlines():
        cells = line.split("|")
        if len(cells) < 4 or not cells[1].strip().startswith("`"):
            continue
        for named in re.findall(r"`([a-z][a-z -]*?)(?: [A-Z]+…?)*`", cells[1]):
            rows[named.strip()] = line
    return rows


def test_every_command_and_option_is_on_its_row():
    rows = table_rows()
    for command, options in commands(build_parser()).items():
        assert command in rows, f"docs/interfaces.md has no row for `{command}`"
        missing = [o for o in options if f"`{o}" not in rows[command]]
        assert not missing, f"`{command}`: {missing} not documented"


def test_every_documented_command_exists():
    known = set(commands(build_parser()))
    assert set(table_rows()) <= known, set(table_rows()) - known


def test_global_options_are_documented():
    assert all(f"`{option} " in DOC for option in GLOBAL)


def test_every_environment_variable_the_code_reads_is_listed():
    code = [ROOT / "dashboard.py", *ROOT.glob("metrics/**/*.py"), *ROOT.glob("ui/**/*.py")]
    read = {name for path in code for name in re.findall(r"\b(KPI_[A-Z_]+)\b", path.read_text(encoding="utf-8"))}
    assert read, "the scan found no variable at all"
    assert not [name for name in read if f"`{name}`" not in DOC], read


def test_documented_csv_columns_are_the_codes(mini_store):
    card = Scorecard(mini_store)
    plan = mini_store.default_plan()
    columns = list(records(card.evaluate(plan, card.judged_year(plan, None))).columns)
    assert "`" + ",".join(columns[:9]) + "`" in DOC, columns
    assert "`" + ",".join(HISTORY_COLUMNS) + "`" in DOC


def test_every_document_named_exists():
    texts = [ROOT / "README.md", *ROOT.glob("docs/*.md"), *ROOT.glob("metrics/**/*.py"), *ROOT.glob("ui/**/*.py"),
             *ROOT.glob("tests/*.py"), ROOT / "dashboard.py"]
    named = {(path, m) for path in texts
             for m in re.findall(r"(?<![\w/.-])((?:docs/)?[\w-]+\.md)\b", path.read_text(encoding="utf-8"))}
    assert named
    for path, name in named:
        here = path.parent / name if path.parent.name == "docs" and "/" not in name else ROOT / name
        if not here.exists() and "/" not in name:
            here = ROOT / "docs" / name
        assert here.exists(), f"{path.relative_to(ROOT)} names {name}, which is not in the repository"
