"""Rules of the codebase that keep the core usable without the UI."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

IMPORT_ALL = """
import importlib, pkgutil, sys
import metrics
names = [m.name for m in pkgutil.walk_packages(metrics.__path__, 'metrics.') if m.name != 'metrics.__main__']
for name in names:
    importlib.import_module(name)
print(len(names))
print(sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit'))
"""


def test_metrics_never_imports_streamlit():
    done = subprocess.run([sys.executable, "-c", IMPORT_ALL], capture_output=True, text=True, cwd=ROOT, check=True)
    count, streamlit_modules = done.stdout.strip().splitlines()
    assert int(count) >= 15  # every module of the package was imported, not just its __init__
    assert streamlit_modules == "[]"


def test_the_fast_lane_leaves_every_browser_test_out():
    """``-m "not browser"`` still started Chromium: the folder's ``pytestmark`` in its conftest did nothing."""
    listed = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "not browser",
                             "-p", "no:cacheprovider", "tests"], cwd=ROOT, capture_output=True, text=True, check=True)
    names = [line for line in listed.stdout.splitlines() if "::" in line]
    assert names and not [n for n in names if n.startswith("tests/browser/")]
