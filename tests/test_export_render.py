"""The deck and the report rendered to PNG by LibreOffice and pdftoppm (scripts/render_exports.py).

The PNGs land in test-artifacts/exports/ for people to look at; this test checks that every slide
and page was drawn and that no slide is blank.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "test-artifacts" / "exports"

pytestmark = pytest.mark.slow


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                    reason="needs libreoffice-impress and poppler-utils (./scripts/test installs them)")
def test_deck_and_report_render_to_png():
    done = subprocess.run([sys.executable, "scripts/render_exports.py", "--out", str(OUT)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    slides = sorted(OUT.glob("deck-*.png"))
    pages = sorted(OUT.glob("report-*.png"))
    assert len(slides) == 18  # title + 16 group slides + summary
    assert len(pages) >= 4
    for png in slides + pages:
        with Image.open(png) as image:
            colours = image.convert("L").getextrema()
        assert colours[0] < 100 < colours[1], png  # dark text on a light page: something was drawn
    with Image.open(slides[0]) as first:
        assert first.width / first.height == pytest.approx(16 / 9, rel=0.02)
