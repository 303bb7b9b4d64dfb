"""Every command of the command line and every setting the dashboard reads is documented in the README."""

import argparse
import re
from pathlib import Path

from metrics.cli.commands import build_parser

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ("KPI_DB", "KPI_PUBLIC", "KPI_COOKIE_KEY", "KPI_COOKIE_KEY_FILE", "KPI_COOKIE_SECURE", "maxUploadSize",
            "KPI_LOCK_WAIT", "KPI_DB_LINGER", "KPI_DEMO")


def commands() -> set[str]:
    found = set()
    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            found |= set(action.choices)
    return found


def test_every_command_and_setting_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"python -m metrics (\w[\w-]*)", readme))
    assert commands() - documented == set()
    assert [s for s in SETTINGS if s not in readme] == []


def test_every_column_of_every_catalogue_file_is_explained_with_its_vietnamese_headers():
    from metrics.catalogue.files import FILE_KINDS, INLINE_INDICATOR, INLINE_PLAN
    from metrics.ingest.layout import FIELDS, HELPER_FIELDS

    doc = (ROOT / "docs" / "data-files.md").read_text(encoding="utf-8")
    columns = [c for _, kind_columns in FILE_KINDS.values() for c in kind_columns]
    assert [c.name for c in columns if f"`{c.name}`" not in doc] == []
    assert [a for c in columns for a in c.aliases if f"`{a}`".lower() not in doc.lower()] == []
    assert [h for h in (*INLINE_PLAN, *INLINE_INDICATOR) if f"`{h}`" not in doc] == []
    headers = [h for names in (*FIELDS.values(), *HELPER_FIELDS.values()) for h in names]
    assert [h for h in headers if f"`{h}`".lower() not in doc.lower()] == []


def test_every_path_the_readme_map_names_exists():
    """README "Where things are" is the one-hop map of the code: a package or module it names that moved or
    went away would send a reader nowhere."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Where things are", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`((?:metrics|ui|pages)/[\w/]*(?:\.py)?|dashboard\.py)`", section))
    table = [line for line in section.splitlines() if line.startswith("| `")]
    for line in table:  # a package's row names its modules bare: they live in that package
        folder = re.match(r"\| `([\w/]+/)`", line)
        if folder:
            named |= {folder.group(1) + m for m in re.findall(r"`(\w+\.py)`", line.split("|")[2])}
    packages = {p.relative_to(ROOT).as_posix() + "/" for p in (ROOT / "metrics").iterdir() if (p / "__init__.py").is_file()}
    assert len(named) > 40 and packages <= named  # every package of metrics/ is on the map
    assert sorted(n for n in named if not (ROOT / n).exists()) == []
