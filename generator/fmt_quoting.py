"""How text is written in canonical form: plain where every YAML reader
takes it for text; dates double-quoted; what our loader or a YAML 1.1 tool
would read as something else quoted (the rules are ``generator.scalars``');
text that was quoted and needs quotes keeps the quotes its author chose.
"""

from __future__ import annotations

import functools
import io
from typing import Any

from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from generator.fmt_emitter import canonical_yaml
from generator.scalars import is_date, needs_quotes


def styled(value: str) -> str:
    """Text as it is written: a plain str lets the emitter choose (plain
    where YAML allows it); the ScalarString subclasses force quotes."""
    quoted: str = value
    if is_date(value):  # always double-quoted, needed or not
        quoted = DoubleQuotedScalarString(value)
    elif needs_quotes(value):
        # What ruamel's emitter picks for text that cannot be plain.
        quoted = DoubleQuotedScalarString(value) if "'" in value or "\n" in value else SingleQuotedScalarString(value)
    return quoted


def styled_as(value: str, original: Any) -> str:
    """Like styled(), but text that was quoted and needs quotes anyway keeps
    its quotes, single or double: the author's choice stands (the sample
    corpus single-quotes text holding a ', `briefing new` double-quotes it)."""
    keep = isinstance(original, (SingleQuotedScalarString, DoubleQuotedScalarString)) and not is_date(value)
    if keep and (needs_quotes(value) or _emitter_quotes(value)):
        same: str = type(original)(value)
        return same
    return styled(value)


@functools.lru_cache(maxsize=4096)
def _emitter_quotes(value: str) -> bool:
    """Whether ruamel quotes this text when left to choose (``#x``, ``a: b``)."""
    buffer = io.StringIO()
    canonical_yaml().dump({"k": value}, buffer)
    return buffer.getvalue()[len("k: "):][:1] in ("'", '"')
