"""The one table of statuses: complete, unambiguous, readable, and the colour the dashboard's badges use."""

import re
import tomllib
from itertools import combinations
from pathlib import Path

import pytest
from coloraide import Color

from metrics.domain import progress
from metrics.vocabulary import statuses

ROOT = Path(__file__).resolve().parent.parent


def test_the_table_has_every_code_of_the_engine_once():
    engine = (progress.TARGET_ACHIEVED, progress.SUBSTANTIAL, progress.MODERATE, progress.LIMITED,
              progress.DETERIORATION, progress.NOT_ACHIEVED, progress.NOT_AVAILABLE, progress.NO_TARGET)
    assert engine == statuses.CODES
    assert "not_achieved" in statuses.CODES
    assert statuses.badge("not_achieved") == "✖ Chưa đạt" and statuses.badge("not_achieved", "en") == "✖ Not achieved"


@pytest.mark.parametrize("field", ["symbol", "vi", "en"])
def test_no_two_statuses_share_a_symbol_or_a_word(field):
    values = [getattr(s, field) for s in statuses.TABLE]
    assert len(set(values)) == len(values)


def test_only_the_two_verdictless_states_share_a_colour():
    by_colour = {}
    for s in statuses.TABLE:
        by_colour.setdefault(s.badge, []).append(s.code)
    assert {k: v for k, v in by_colour.items() if len(v) > 1} == {"gray": ["not_available", "no_target"]}


@pytest.mark.parametrize("vision", [None, "protan", "deutan", "tritan"])
def test_colours_stay_apart_for_colour_blind_readers(vision):
    """CIEDE2000 distance between every pair of status colours, as seen with each kind of colour blindness
    (Brettel/Viénot simulation in coloraide): 10 or more (the two greys are one colour)."""
    seen = {s.colour: Color(s.colour).filter(vision).convert("srgb") if vision else Color(s.colour)
            for s in statuses.TABLE}
    assert len(seen) == len(statuses.TABLE) - 1
    for a, b in combinations(seen, 2):
        assert seen[a].delta_e(seen[b], method="2000") >= 10, (vision, a, b)


def test_the_bad_states_are_in_a_red_family_and_the_good_ones_are_not():
    hue = {s.code: Color(s.colour).convert("oklch")["hue"] for s in statuses.TABLE[:6]}
    for code in ("moderate_progress", "limited_progress", "deterioration", "not_achieved"):
        assert hue[code] < 90 or hue[code] > 350, code  # red, orange-red, amber
    for code in ("target_achieved", "substantial_progress"):
        assert 150 < hue[code] < 270, code  # blue-green to blue


@pytest.mark.parametrize("status", statuses.TABLE, ids=lambda s: s.code)
def test_text_on_a_status_colour_reads(status):
    assert Color(status.colour).contrast(status.ink) >= 4.5


def test_the_dashboards_palette_slots_are_the_tables_colours():
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
    for s in statuses.TABLE:
        assert theme[f"{s.badge}Color"].upper() == s.colour.upper(), s.code


def test_the_methodology_document_has_the_codes_table():
    """docs/methodology.md states every status with the code's symbol, words and colour, nothing else."""
    text = (ROOT / "docs" / "methodology.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)` \| (.+?) \| (.+?) \| (.+?) \| `(#[0-9A-Fa-f]{6})` \|$", text, re.MULTILINE)
    assert rows == [(s.code, s.symbol, s.vi, s.en, s.colour) for s in statuses.TABLE]
    for target_type in ("level", "cumulative", "floor", "ceiling", "band", "per-unit rate"):
        assert target_type in text
