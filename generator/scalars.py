"""What a plain (unquoted) scalar means, and so which text needs quotes.

Two readings matter. Ours, the YAML 1.2 core schema (``generator.load``,
and editors' yaml-language-server): ``null``, ``true``, ``12``, ``1.5`` and
``0x1F`` are not text; ``no``, ``13:00`` and ``1_000`` are. And YAML 1.1's,
which many tools still follow (PyYAML among them): there ``no`` is false,
``13:00`` is 780, ``1_000`` is 1000 and ``2023-09-20`` a timestamp. The
loader warns about the booleans and numbers the two read differently;
``briefing fmt`` and ``briefing new`` quote them, and double-quote dates.
This module is the one place that knows both rule sets.
"""

from __future__ import annotations

import math
import re

# --- YAML 1.2, the core schema: what our loader reads ----------------------------

NULL = frozenset({"", "~", "null", "Null", "NULL"})
TRUE = frozenset({"true", "True", "TRUE"})
FALSE = frozenset({"false", "False", "FALSE"})
INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}
# Plain scalars that are not text and need no pattern: the loader's fast path.
PLAIN_SPECIAL: dict[str, object] = {
    **dict.fromkeys(NULL), **dict.fromkeys(TRUE, True), **dict.fromkeys(FALSE, False)}


def core_number(value: str) -> int | float | None:
    """The number a plain scalar is by the core schema; None if it is not one."""
    if INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    special = _SPECIAL_FLOAT.get(value.lower())
    if special is not None:
        return special
    if value.startswith("0o") and re.fullmatch(r"0o[0-7]+", value):
        return int(value[2:], 8)
    if value.startswith("0x") and re.fullmatch(r"0x[0-9a-fA-F]+", value):
        return int(value[2:], 16)
    return None


# --- YAML 1.1: what other tools read ------------------------------------------------

# Booleans in the casings the YAML 1.1 spec lists: the loader warns about these.
YAML11_TRUE = frozenset({"y", "Y", "yes", "Yes", "YES", "on", "On", "ON"})
YAML11_FALSE = frozenset({"n", "N", "no", "No", "NO", "off", "Off", "OFF"})
YAML11_BOOLS = YAML11_TRUE | YAML11_FALSE
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$")
_UNDERSCORED = re.compile(r"^[-+]?[0-9][0-9_]*$")
# What fmt quotes beyond the loader's warnings, to be safe with any tool:
# booleans and null in any casing (some tools ignore case) ...
_WORDS_ANY_CASE = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"})
# ... binary, hexadecimal with underscores, floats with underscores or in base 60 ...
_NUMBERS = re.compile(
    r"^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*\.[0-9._]*(?:[eE][-+]?[0-9]+)?"
    r"|\.[0-9_]+(?:[eE][-+]?[0-9]+)?)$"
)
# ... and the value (=) and merge (<<) types.
_SPECIAL = frozenset({"=", "<<"})
# Dates ("2023", "2023-09", "2023-09-20T13:00+04:00"): unquoted, YAML 1.1
# tools read a day as a timestamp and a year as a number. A slug that starts
# with a year ("2020-war") is not a date.
_DATE = re.compile(r"^[0-9]{4}(?:-[0-9]{1,2}(?:-[0-9]{1,2}(?:[Tt ].*)?)?)?$", re.DOTALL)


def yaml11_number(value: str) -> int | None:
    """What YAML 1.1 makes of 13:00 (780) or 1_000 (1000); None if not a number there."""
    sign = -1 if value.startswith("-") else 1
    digits = value.lstrip("+-").replace("_", "")
    if _SEXAGESIMAL.match(value):
        total = 0
        for part in digits.split(":"):
            total = total * 60 + int(part)
        return sign * total
    if _UNDERSCORED.match(value) and digits:
        return sign * int(digits)
    return None


def is_date(value: str) -> bool:
    """Whether text is written like a date (the model's dates are): fmt
    double-quotes every one, so that no YAML reader takes it for anything else."""
    return _DATE.match(value) is not None


# --- both: which text may be written plain ----------------------------------------------


def plain_is_text(value: str) -> bool:
    """Whether ``value``, written unquoted, is read back by our loader as this
    same text and draws no yaml11-ambiguous warning: false for null, true,
    12, 1.5, 0x1F, no, 13:00 and 1_000. The same decisions as the loader's."""
    if value in PLAIN_SPECIAL or value in YAML11_BOOLS:
        return False
    if value[0].isdigit() or value[0] in "+-.":
        return core_number(value) is None and yaml11_number(value) is None
    return True


def needs_quotes(value: str) -> bool:
    """Whether text written plain would be read as something else, by our
    loader (YAML 1.2) or by a YAML 1.1 tool: ``no``, ``13:00``, ``1_000``,
    ``0x1F``, ``null``, ``12``. What YAML syntax itself needs quoted
    (``#x``, ``a: b``, leading blanks) the emitter sees to."""
    return (
        not plain_is_text(value)
        or value.lower() in _WORDS_ANY_CASE
        or value in _SPECIAL
        or _NUMBERS.match(value) is not None
    )
