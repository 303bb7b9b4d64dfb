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
