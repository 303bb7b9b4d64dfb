"""Render the deck and the report to PNG pages, to look at them (and for the slow test).

    .venv/bin/python scripts/render_exports.py [--db PATH] [--out test-artifacts/exports] [--lang vi]

Builds the exports on the demo data (a fresh database unless ``--db`` is given), converts the .pptx
to PDF with LibreOffice (headless) and every PDF page to PNG with pdftoppm (Debian packages
libreoffice-impress and poppler-utils, installed by ./scripts/test). Prints the files written.

The deck names Arial, which PowerPoint has and LibreOffice draws with its metric twin Liberation Sans.
A machine without it would draw DejaVu Sans, a tenth wider, and wrap what PowerPoint keeps on one
line; so LibreOffice gets Liberation Sans from .cache/fonts (unpacked there by ./scripts/test from
Debian's fonts-liberation2, never installed for the whole machine) when the machine lacks it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from metrics.catalogue.loading import init_database  # noqa: E402
from metrics.exports.bundle import Choice, build  # noqa: E402
from metrics.storage.store import Store  # noqa: E402

PLAN = "DH-XI-2023-2028"
FONTS = ROOT / ".cache" / "fonts"


def font_config(folder: Path) -> dict[str, str]:
    """The environment for LibreOffice: the machine's fonts, plus Liberation Sans when it lacks it."""
    env = dict(os.environ)
    listed = subprocess.run(["fc-list", ":family=Liberation Sans"], capture_output=True, text=True).stdout
    if listed.strip() or not FONTS.is_dir():
        return env
    conf = folder / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    f"<dir>{FONTS}</dir><cachedir>{folder / 'cache'}</cachedir></fontconfig>")
    env["FONTCONFIG_FILE"] = str(conf)
    return env


def render(store: Store, out: Path, lang: str = "vi", dpi: int = 60, plan: str = PLAN,
           provisional: bool = False) -> list[Path]:
    """Write deck.pptx, report.pdf, report.xlsx of ``plan`` and their PNG pages into ``out``; return the PNGs.
    ``provisional``: with the batches not yet approved (default: approved figures only, as every export)."""
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: apt-get install -y libreoffice-impress poppler-utils")
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    (out / "deck.pptx").write_bytes(build(store, Choice("pptx", plan, lang=lang, provisional=provisional)))
    (out / "report.pdf").write_bytes(build(store, Choice("pdf", plan, lang=lang, provisional=provisional)))
    (out / "report.xlsx").write_bytes(build(store, Choice("xlsx", plan, lang=lang, provisional=provisional)))
    with tempfile.TemporaryDirectory() as profile:  # a private profile: never collides with an open LibreOffice
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out), str(out / "deck.pptx")],
                       check=True, capture_output=True, timeout=180, env=font_config(Path(profile)))
    for name in ("deck", "report"):
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(out / f"{name}.pdf"), str(out / name)],
                       check=True, timeout=120)
    return sorted(out.glob("*.png"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="database (default: a fresh demo database)")
    parser.add_argument("--out", type=Path, default=ROOT / "test-artifacts" / "exports")
    parser.add_argument("--lang", choices=("vi", "en"), default="vi")
    parser.add_argument("--dpi", type=int, default=60)
    parser.add_argument("--plan", help="plan code (default: the database's default plan)")
    parser.add_argument("--include-provisional", action="store_true", dest="provisional",
                        help="include the imports not yet approved, marked (default: approved figures only)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "demo.duckdb"
        store = Store.open(path, read_only=True) if args.db else init_database(path, demo=True)
        try:
            pages = render(store, args.out, args.lang, args.dpi, args.plan or store.default_plan() or PLAN,
                           args.provisional)
        finally:
            store.close()
    for page in pages:
        print(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
