"""Every command of the command line and every setting the dashboard reads is documented in the README."""

import argparse
import re
from pathlib import Path

from metrics.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ("KPI_DB", "KPI_PUBLIC", "KPI_COOKIE_KEY", "KPI_COOKIE_KEY_FILE", "KPI_COOKIE_SECURE", "maxUploadSize")


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
