"""Which characters record text may hold, and how to show the others.

Refused (``control-character``): C0 controls but tab and newline, DEL, C1
controls and Unicode noncharacters. None of them is text a reader should
see; they garble terminals and PDF metadata, and a YAML front matter line
holding one no longer parses.

Warned about (``invisible-character``): bidirectional embeddings, overrides
and isolates, which reorder how the text around them displays (a title can
read differently from what it holds), and zero-width characters, which make
two equal-looking names differ. The marks U+200E, U+200F and U+061C are the
safe way to set direction and pass. Zero-width joiner and non-joiner pass
between letters of scripts that need them (Persian, the Indic scripts) and
in emoji sequences.
"""

from __future__ import annotations

import re
import unicodedata

# Noncharacters: U+FDD0..U+FDEF and the last two code points of every plane.
_NONCHARS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
REFUSED = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_NONCHARS}]")
_BIDI = "\u202a-\u202e\u2066-\u2069"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060-\u2064\ufeff\u180e"
INVISIBLE = re.compile(f"[{_BIDI}{_ZERO_WIDTH}]")
_JOINERS = "\u200c\u200d"
# Any of these in a file's text, or a backslash (an escape in a quoted
# string), and its values are looked at one by one; otherwise not at all.
SUSPECT = re.compile(f"[\\\\{_BIDI}{_ZERO_WIDTH}{_NONCHARS}]")
# What a report shows escaped: the refused characters, the warned-about
# ones, line and paragraph separators, and lone surrogates (a file name
# that is not UTF-8).
_UNPRINTABLE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff{_BIDI}{_ZERO_WIDTH}{_NONCHARS}]")
# YAML's printable set (YAML 1.2, 5.1); anything else in a double-quoted
# scalar must be written as an escape.
_YAML_UNPRINTABLE = re.compile(f"[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[{_NONCHARS}]")


def suspect(text: str) -> bool:
    """Whether a file's text may hold a character to refuse or warn about:
    a backslash (an escape in a quoted string) or one of them raw. Most
    files are ASCII without a backslash, and are done with in two scans at
    C speed; the regular expression runs on the others only."""
    return "\\" in text or (not text.isascii() and SUSPECT.search(text) is not None)


def code_point(char: str) -> str:
    """"U+202E RIGHT-TO-LEFT OVERRIDE", "U+0085 (a C1 control character)"."""
    cp = ord(char)
    label = f"U+{cp:04X}"
    name = unicodedata.name(char, "")
    if name:
        return f"{label} {name}"
    if cp < 0x20:
        return f"{label} (a control character)"
    if cp == 0x7F:
        return f"{label} (DELETE, a control character)"
    if cp <= 0x9F:
        return f"{label} (a C1 control character)"
    return f"{label} (a noncharacter)"


def refused(text: str) -> re.Match[str] | None:
    return REFUSED.search(text)


def invisible(text: str) -> re.Match[str] | None:
    """The first warned-about character, joiners between letters excepted."""
    for match in INVISIBLE.finditer(text):
        if match[0] not in _JOINERS or not _joins(text, match.start()):
            return match
    return None


_BIDI_CHAR = re.compile(f"[{_BIDI}]")


def invisible_hint(char: str) -> str:
    if _BIDI_CHAR.match(char):
        return ("remove it: it reorders the text after it; to set the direction of right-to-left text, "
                "U+200F RIGHT-TO-LEFT MARK is the safe character")
    return "remove it: two texts that look the same would differ (in search, in ids, in comparisons)"


def _joins(text: str, i: int) -> bool:
    """A zero-width (non-)joiner between two non-ASCII letters, marks or
    symbols (emoji) does a job; elsewhere it is a stray."""
    if i == 0 or i + 1 >= len(text):
        return False
    return all(not c.isascii() and unicodedata.category(c)[0] in "LMS" for c in (text[i - 1], text[i + 1]))


def _escape(char: str) -> str:
    cp = ord(char)
    return f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}" if cp < 0x10000 else f"\\U{cp:08x}"


def printable(text: str) -> str:
    """Text for a terminal or a log: what would act on the terminal, break
    the line or hide itself, as a backslash escape."""
    return _UNPRINTABLE.sub(lambda m: _escape(m[0]), text)


def yaml_double_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar, which reads back as the same
    text whatever it holds (JSON's escaping is valid YAML, and the
    characters YAML does not allow raw are escaped too)."""
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    body = body.replace("\t", "\\t")
    return '"' + _YAML_UNPRINTABLE.sub(lambda m: _escape(m[0]), body) + '"'
