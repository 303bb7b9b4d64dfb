"""Rules of the codebase that keep the core usable without the UI."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.fixture(scope="module")
def not_browser() -> dict[str, bool]:
    """The tests ``-m "not browser"`` keeps (one collection; the plugin ``tests/collection_report.py``): node id -> slow."""
    listed = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "not browser",
                             "-p", "no:cacheprovider", "-p", "collection_report", "tests"], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "tests")}, capture_output=True, text=True,
                            check=True)
    return {line.split()[1]: line.split()[2] == "slow" for line in listed.stdout.splitlines()
            if line.startswith("KPI-ITEM ")}


@pytest.mark.slow
def test_the_fast_lane_leaves_every_browser_test_out(not_browser):
    """``-m "not browser"`` still started Chromium: the folder's ``pytestmark`` in its conftest did nothing."""
    assert len(not_browser) > 500 and not [n for n in not_browser if n.startswith("tests/browser/")]


@pytest.mark.slow
def test_the_fast_lane_runs_some_test_of_every_module(not_browser):
    """``-m "not browser and not slow"`` (README) leaves out the slow tests, never a whole module of tests."""
    fast = {name.split("::")[0] for name, slow in not_browser.items() if not slow}
    modules = {f"tests/{p.name}" for p in (ROOT / "tests").glob("test_*.py")}
    modules -= {"tests/test_export_render.py",  # renders decks with LibreOffice
                "tests/test_crash.py"}  # its one test kills a big import mid-write
    assert modules - fast == set()


@pytest.mark.slow
def test_the_project_installs_with_its_pinned_runtime_and_a_kpi_command(tmp_path):
    """``python -m metrics`` worked only inside .venv; the project now declares its dependencies (the
    pins of requirements.txt) and a ``kpi`` command, built here from a copy of the package."""
    import shutil
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = [line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    assert project["dependencies"] == pins
    source = tmp_path / "src"
    shutil.copytree(ROOT / "metrics", source / "metrics", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", source)
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(source)], check=True, capture_output=True)
    assert (target / "metrics" / "exports" / "fonts" / "DejaVuSans.ttf").is_file()  # the PDF's font comes along
    done = subprocess.run([str(target / "bin" / "kpi"), "--help"], capture_output=True, text=True, cwd=tmp_path,
                          env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0 and "status" in done.stdout, done.stderr


def test_the_packages_keep_their_layers():
    """metrics/ is layered (cli > catalogue | ingest | exports | synth | backup > judging > storage > domain >
    vocabulary, pyproject [tool.importlinter]): an import upwards, between two engines, of Streamlit, or of
    the public metrics.progress from inside breaks a contract."""
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "3 kept, 0 broken" in done.stdout


def test_the_public_progress_module_is_the_domain_judgement_and_no_page_imports_it():
    """``from metrics.progress import assess`` is a public contract (docs/interfaces.md); inside the project
    the judgement is metrics.domain.progress, the pages and the dashboard included (lint-imports sees no pages)."""
    import ast

    from metrics import progress
    from metrics.domain import progress as domain_progress

    assert progress.assess is domain_progress.assess and progress.Assessment is domain_progress.Assessment
    assert all(getattr(progress, name) is getattr(domain_progress, name) for name in progress.__all__)
    scripts = [ROOT / "dashboard.py", *sorted((ROOT / "views").glob("*.py"))]
    importing = []
    for script in scripts:
        for node in ast.walk(ast.parse(script.read_text("utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [f"{node.module}.{a.name}" for a in node.names] if isinstance(node, ast.ImportFrom) else []
            importing += [script.name for n in names if n == "metrics.progress" or n.startswith("metrics.progress.")]
    assert len(scripts) > 5 and importing == []


def test_no_legacy_pages_folder_and_no_private_pages_api():
    """A ``pages/`` folder beside dashboard.py switches Streamlit to its legacy multipage mode (docs/stack.md);
    the page scripts live in ``views/`` and nothing writes Streamlit's private PagesManager."""
    assert not (ROOT / "pages").exists()
    assert sorted(p.name for p in (ROOT / "views").glob("*.py"))
    sources = [ROOT / "dashboard.py", *ROOT.glob("ui/*.py"), *ROOT.glob("views/*.py")]
    assert [p.name for p in sources if "PagesManager" in p.read_text("utf-8")] == []
