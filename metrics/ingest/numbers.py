"""Numbers as people write them, read in SQL: Vietnamese (``111.258``, ``92,14%``) or English.

Every cell gets a *form*:

``int``        plain digits: ``111258``
``vi``         only the Vietnamese way reads it: ``1.234.567``, ``92,14``, ``1.234,5``
``en``         only the English way reads it: ``1,234,567``, ``92.14``, ``1,234.5``
``amb_dot``    ``111.258`` — thousands (vi) or decimals (en)
``amb_comma``  ``111,258`` — decimals (vi) or thousands (en)
``native``     a number Excel stored as a number (exact)
``formula_error``     an Excel formula whose stored result is an error (``#DIV/0!``)
``formula_uncached``  an Excel formula saved without its result
``sci``        ``1e-05`` (machines write this)
``bad``        not a number

The file's *convention* is ``vi`` when some cell reads only the Vietnamese way and none only the
English way, ``en`` the other way round, otherwise ``none`` (no hint) or ``mixed``. An ambiguous cell
follows the convention; without one, the indicator decides: a count (stock, flow, any numerator or
denominator) is a whole number, so the separator groups thousands; a percentage cannot exceed 100, so
it is a decimal; anything else stays ambiguous and is reported, never guessed.
"""

from __future__ import annotations

from metrics.storage.files.workbook import FORMULA_ERROR, FORMULA_UNCACHED, NATIVE

SIGN = "[+-]?"
PATTERNS = [  # order matters: the first that matches names the form
    ("int", rf"{SIGN}\d+"),
    ("amb_dot", rf"{SIGN}[1-9]\d{{0,2}}\.\d{{3}}"),
    ("amb_comma", rf"{SIGN}[1-9]\d{{0,2}},\d{{3}}"),
    ("vi", rf"{SIGN}[1-9]\d{{0,2}}(\.\d{{3}})+(,\d+)?|{SIGN}\d+,\d+"),
    ("en", rf"{SIGN}[1-9]\d{{0,2}}(,\d{{3}})+(\.\d+)?|{SIGN}\d*\.\d+"),
    ("sci", rf"{SIGN}\d+(\.\d+)?[eE][+-]?\d+"),
]
SPACES = (" ", "\u00a0", "\u202f", "\t")  # some people group thousands with (non-breaking) spaces


def compact(text: str) -> str:
    """SQL: the cell without spaces; most cells have none and are passed through untouched."""
    removed = text
    for space in SPACES:
        removed = f"replace({removed}, chr({ord(space)}), '')"
    spaced = " OR ".join(f"contains({text}, chr({ord(space)}))" for space in SPACES)
    return f"CASE WHEN {spaced} THEN {removed} ELSE {text} END"


def plain(text: str) -> str:
    """SQL: the cell is plain digits, perhaps signed (the form ``int`` with nothing to clean): most cells are."""
    return f"regexp_full_match({text}, '{PATTERNS[0][1]}')"


def body(compacted: str) -> str:
    """SQL: a compacted cell without its trailing %."""
    return f"rtrim({compacted}, '%')"


def has_percent(compacted: str) -> str:
    return f"ends_with({compacted}, '%')"


def form(b: str) -> str:
    """SQL: the form of a cleaned cell ``b`` (see the module docstring); NULL for an empty cell."""
    cases = " ".join(f"WHEN regexp_full_match({b}, '(?:{pattern})') THEN '{name}'" for name, pattern in PATTERNS)
    return (f"CASE WHEN {b} IS NULL OR {b} = '' THEN NULL WHEN starts_with({b}, chr({ord(NATIVE)})) THEN 'native' "
            f"WHEN starts_with({b}, chr({ord(FORMULA_ERROR)})) THEN 'formula_error' "
            f"WHEN starts_with({b}, chr({ord(FORMULA_UNCACHED)})) THEN 'formula_uncached' "
            f"{cases} ELSE 'bad' END")


def role(kind: str, field: str, decimals: str = "0") -> str:
    """SQL: how an ambiguous cell of this field can be settled: ``count``, ``percent`` or ``other`` (an amount
    in decimals, such as money, is settled only by the file's convention)."""
    if field in ("numerator", "denominator"):
        return "'count'"
    return (f"CASE WHEN {kind} IN ('stock', 'flow') AND {decimals} = 0 THEN 'count' WHEN {kind} = 'ratio' "
            "THEN 'percent' ELSE 'other' END")


def reading(f: str, convention: str, r: str) -> str:
    """SQL: ``thousands``, ``decimal`` or NULL (ambiguous) for form ``f`` under the file convention."""
    by_role = f"CASE {r} WHEN 'count' THEN 'thousands' WHEN 'percent' THEN 'decimal' END"
    return f"""CASE WHEN {f} = 'amb_dot' THEN CASE '{convention}' WHEN 'vi' THEN 'thousands' WHEN 'en' THEN 'decimal'
                                           ELSE {by_role} END
                    WHEN {f} = 'amb_comma' THEN CASE '{convention}' WHEN 'vi' THEN 'decimal' WHEN 'en' THEN 'thousands'
                                           ELSE {by_role} END END"""


def parse(b: str, f: str, rd: str) -> str:
    """SQL: the number a cleaned cell stands for (NULL when bad or ambiguous)."""
    return f"""CASE {f}
        WHEN 'int' THEN TRY_CAST({b} AS DOUBLE)
        WHEN 'native' THEN TRY_CAST(substr({b}, 2) AS DOUBLE)
        WHEN 'sci' THEN TRY_CAST({b} AS DOUBLE)
        WHEN 'vi' THEN TRY_CAST(replace(replace({b}, '.', ''), ',', '.') AS DOUBLE)
        WHEN 'en' THEN TRY_CAST(replace({b}, ',', '') AS DOUBLE)
        WHEN 'amb_dot' THEN CASE {rd} WHEN 'thousands' THEN TRY_CAST(replace({b}, '.', '') AS DOUBLE)
                                      WHEN 'decimal' THEN TRY_CAST({b} AS DOUBLE) END
        WHEN 'amb_comma' THEN CASE {rd} WHEN 'thousands' THEN TRY_CAST(replace({b}, ',', '') AS DOUBLE)
                                        WHEN 'decimal' THEN TRY_CAST(replace({b}, ',', '.') AS DOUBLE) END
        END"""


def decimals(b: str, f: str, rd: str) -> str:
    """SQL: how many decimals the person wrote (a value may be rounded or cut to that many)."""
    after = "length(split_part({}, '{}', 2))"
    return f"""CASE {f}
        WHEN 'vi' THEN {after.format(b, ',')}
        WHEN 'en' THEN {after.format(b, '.')}
        WHEN 'native' THEN least({after.format(b, '.')}, 12)
        WHEN 'sci' THEN 12
        WHEN 'amb_dot' THEN CASE {rd} WHEN 'decimal' THEN 3 ELSE 0 END
        WHEN 'amb_comma' THEN CASE {rd} WHEN 'decimal' THEN 3 ELSE 0 END
        ELSE 0 END"""


def convention_sql(table: str, fields: tuple[str, ...]) -> str:
    """SQL: the file's convention from the forms of all its number cells."""
    vi = " + ".join(f"count_if({f}_form = 'vi')" for f in fields)
    en = " + ".join(f"count_if({f}_form = 'en')" for f in fields)
    return f"""SELECT CASE WHEN vi > 0 AND en = 0 THEN 'vi' WHEN en > 0 AND vi = 0 THEN 'en'
                           WHEN vi > 0 THEN 'mixed' ELSE 'none' END
               FROM (SELECT {vi} AS vi, {en} AS en FROM {table})"""
