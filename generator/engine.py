"""The site engine: ProperDocs, the maintained continuation of MkDocs 1.x.

MkDocs 1.6 is no longer maintained and its announced 2.0 drops the plugin
and theme systems this project stands on. ProperDocs, by MkDocs' former
maintainers, continues 1.x: it reads the same ``mkdocs.yml``, runs
``mkdocs.plugins`` entry points (Material's and ours), and answers for every
``mkdocs.*`` import once ``properdocs.replacement`` is loaded. So Material
and this package, which import ``mkdocs.*``, run on it unchanged.

The package imports this module first (``generator/__init__.py``), before
any of its modules imports ``mkdocs``: one process runs on one engine.
Where MkDocs' own modules are loaded already (``mkdocs build`` loading the
briefing plugin), the process stays on MkDocs: swapping engines halfway
would mix two sets of classes.
"""

from __future__ import annotations

import sys
from importlib.metadata import version


def _choose() -> str:
    loaded = sys.modules.get("mkdocs")
    if loaded is not None:  # MkDocs itself, or ProperDocs answering for it
        return "ProperDocs" if loaded.__name__ == "properdocs" else "MkDocs"
    try:
        import properdocs.replacement  # noqa: F401  (mkdocs.* is ProperDocs from here on)
    except ImportError:  # an environment with MkDocs only: it still builds
        return "MkDocs"
    return "ProperDocs"


ENGINE = _choose()


def engine_name() -> str:
    """The engine and its version, for progress lines: ProperDocs 1.6.7."""
    return f"{ENGINE} {version(ENGINE.lower())}"


def engine_logger() -> str:
    """The engine's own logger name (``properdocs``, or ``mkdocs``)."""
    return ENGINE.lower()
