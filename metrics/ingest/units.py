"""Which unit and which indicator a cell names: by code, or by name ignoring case and diacritics.

Matching happens in SQL over the distinct texts of the file (a few hundred even in a file of
millions of rows). For the texts that match nothing, the closest known names are found in Python.
"""

from __future__ import annotations

import difflib

from metrics.vocabulary.text import fold

MAX_SUGGESTED_TEXTS = 200
FOLD_MACRO = ("CREATE OR REPLACE TEMP MACRO fold(x) AS "
              r"trim(regexp_replace(replace(lower(strip_accents(x)), 'đ', 'd'), '\s+', ' ', 'g'))")

# (what, source of code/name pairs)
CATALOGUES = {
    "unit": "SELECT DISTINCT code, name_vi, name_en FROM units",
    "indicator": "SELECT code, name_vi, name_en FROM indicators",
}


def resolve(cur, what: str, texts: str) -> None:
    """Create ``{what}_match(text, codes, tid, id)``: the codes each distinct text names (``texts``: SQL giving
    the file's distinct texts of that field as ``text``), the text's number (the checked rows carry it,
    not the text: a problem's words look the text up by it) and the number of its code when it names one
    (``{what}_ids(code, id)``).

    The best kind of match wins: the exact code, then the code ignoring case, then the name (vi or en)
    ignoring case and diacritics. One code: found; several: ambiguous; none: unknown.
    """
    cur.execute(FOLD_MACRO)
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE {what}_keys AS
        WITH catalogue AS ({CATALOGUES[what]})
        SELECT DISTINCT code, code AS key, 1 AS rank FROM catalogue
        UNION SELECT DISTINCT code, fold(code), 2 FROM catalogue
        UNION SELECT DISTINCT code, fold(name_vi), 3 FROM catalogue
        UNION SELECT DISTINCT code, fold(name_en), 3 FROM catalogue WHERE name_en IS NOT NULL""")
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE {what}_texts AS
        WITH texts AS (SELECT text FROM ({texts}) WHERE text IS NOT NULL),
        hits AS (
            SELECT t.text, k.code, k.rank FROM texts t JOIN {what}_keys k ON k.rank = 1 AND k.key = t.text
            UNION ALL
            SELECT t.text, k.code, k.rank FROM texts t JOIN {what}_keys k ON k.rank > 1 AND k.key = fold(t.text)),
        best AS (SELECT text, min(rank) AS rank FROM hits GROUP BY text),
        found AS (SELECT h.text, list(DISTINCT h.code ORDER BY h.code) AS codes
                  FROM hits h JOIN best b ON h.text = b.text AND h.rank = b.rank GROUP BY h.text)
        SELECT t.text AS {what}_text, f.codes AS {what}_codes, CAST(row_number() OVER () AS INTEGER) AS {what}_tid
        FROM texts t LEFT JOIN found f ON f.text = t.text""")
    # each code named by some text gets a number: the checked rows carry it, and the file's series, duplicates,
    # change check and comparison with the database group and join on these integers instead of the codes. The
    # numbers follow the codes' order (1 … n), so the staged cells sort by them as by the codes (``preview.stage``)
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE {what}_ids AS
        SELECT code AS {what}, CAST(row_number() OVER (ORDER BY code) AS INTEGER) AS {what}_id
        FROM (SELECT DISTINCT {what}_codes[1] AS code FROM {what}_texts WHERE len({what}_codes) = 1)""")
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE {what}_match AS
        SELECT t.*, i.{what}_id FROM {what}_texts t
        LEFT JOIN {what}_ids i ON len(t.{what}_codes) = 1 AND i.{what} = t.{what}_codes[1]""")
    cur.execute(f"DROP TABLE {what}_texts")


def suggestions(cur, what: str, texts: list[str]) -> dict[str, str]:
    """For texts that name nothing: up to three close names, as ``name (code)``."""
    if not texts:
        return {}
    catalogue = cur.execute(f"SELECT * FROM ({CATALOGUES[what]}) ORDER BY code").fetchall()
    labels: dict[str, str] = {}
    for code, name_vi, name_en in catalogue:
        for key in (code, name_vi, name_en):
            if key:
                labels.setdefault(fold(key), f"{name_vi} ({code})")
    keys = list(labels)
    found = {}
    for text in texts[:MAX_SUGGESTED_TEXTS]:
        wanted = fold(text)
        close = [k for k in keys if wanted and len(wanted) >= 3 and wanted in k]
        close += difflib.get_close_matches(wanted, keys, n=3, cutoff=0.6)
        # the closest first (ties by name), so the same file always gets the same three names
        close.sort(key=lambda k: (-difflib.SequenceMatcher(None, wanted, k).ratio(), k))
        names = list(dict.fromkeys(labels[k] for k in close))[:3]
        if names:
            found[text] = "; ".join(names)
    return found
