"""The dashboard's server keeps what its imports made out of the garbage collector's way (ui/memory.py)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# As ``streamlit run dashboard.py`` does: import the module (not run as __main__), then look at the collector.
SERVER_START = """
import gc
import dashboard
print(gc.get_freeze_count(), len(gc.get_objects()))
"""


def test_the_server_start_freezes_what_the_imports_made():
    done = subprocess.run([sys.executable, "-c", SERVER_START], capture_output=True, text=True, cwd=ROOT, check=True)
    frozen, tracked = map(int, done.stdout.split())
    # Streamlit's full collection after every page run walked all of these (120–280 ms a click) …
    assert frozen > 100_000
    # … and now walks only what is left, a few percent of it.
    assert tracked < frozen / 10
    assert "leaked" not in done.stderr  # given back at exit: DuckDB's bindings find nothing left over
