"""The one reader of mkdocs.yml for the command line.

The file is read by the engine's own YAML loader, so that ``!ENV`` and
``INHERIT`` behave as they do in a MkDocs build, and validated by the
engine's config classes: the site's options a run needs by MkDocs' own
option types (``SiteConfig``), the plugin's by its config class
(``generator.options.BriefingConfig``), once. `briefing build` and `serve`
hand the file to the engine whole (``load_engine_config``), which validates
everything, the theme and other plugins included; `briefing pdf` and
`pages` need no theme, so a corpus whose theme is not installed still
typesets. A file that cannot be read or is not valid stops the run with a
``SettingsError`` (a usage error) that says which option is wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mkdocs.config import config_options, load_config
from mkdocs.config.base import Config, ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError
from mkdocs.utils.yaml import yaml_load

from generator.errors import BriefingError
from generator.options import (
    DEFAULT_SITE_NAME,
    PLUGIN_NAME,
    Settings,
    offline,
    plugin_options,
    settings_for,
)

log = logging.getLogger(__name__)

CONFIG_FILE = "mkdocs.yml"


class SettingsError(BriefingError):
    """mkdocs.yml is missing, unreadable or not valid."""


class SiteConfig(Config):
    """The part of mkdocs.yml a run without the engine reads, with MkDocs'
    own option types (MkDocsConfig's definitions of these keys)."""

    site_name = config_options.Type(str, default=DEFAULT_SITE_NAME)
    site_url = config_options.Optional(config_options.URL(is_dir=True))
    use_directory_urls = config_options.Type(bool, default=True)
    plugins = config_options.Type((list, dict), default=[])


_SITE_KEYS = ("site_name", "site_url", "use_directory_urls", "plugins")


def load_engine_config(root: Path, **overrides: Any) -> MkDocsConfig:
    """mkdocs.yml loaded and validated by the engine, with ``overrides``
    (``site_dir``, ``strict``) as the engine's own command line passes them."""
    path = config_path(root)
    try:
        return load_config(config_file=str(path), **overrides)
    except (Abort, ConfigurationError) as exc:  # the engine logged each problem above this line
        raise SettingsError(f"{path} is not valid: {exc}") from None
    except OSError as exc:
        raise SettingsError(f"{path} cannot be read: {exc.strerror}") from None


def read_settings(root: Path) -> Settings:
    """The settings a run takes from mkdocs.yml; every default for a corpus
    without one (`briefing pdf` and `pages` need nothing more than records)."""
    return settings_from(root, raw_config(root))


def settings_from(root: Path, raw: dict[str, Any]) -> Settings:
    """The settings in ``raw``, mkdocs.yml as ``raw_config`` read it, validated."""
    path = root.resolve() / CONFIG_FILE
    site = SiteConfig(config_file_path=str(path))
    site.load_dict({k: v for k, v in raw.items() if k in _SITE_KEYS})
    _raise_errors(path, site.validate()[0])
    try:
        options = plugin_options(site.plugins if isinstance(site.plugins, dict) else list(site.plugins))
    except ValidationError as exc:
        raise SettingsError(f"{path} is not valid: plugin '{PLUGIN_NAME}': {exc}") from None
    return settings_for(path.parent, site.site_name, site.site_url, options,
                        site.use_directory_urls and not offline(site.plugins))


def raw_config(root: Path) -> dict[str, Any]:
    """mkdocs.yml as a mapping, through the engine's YAML loader: ``!ENV``
    resolved and ``INHERIT`` merged, as the engine reads it, but not yet
    validated (for writing a plain copy of it: ``briefing pages``); empty
    for a corpus without one."""
    path = root / CONFIG_FILE
    if not path.exists():
        return {}
    try:
        with path.open("rb") as stream:
            data = yaml_load(stream)
    except ConfigurationError as exc:
        raise SettingsError(f"{path} is not valid: {exc}") from None
    except OSError as exc:
        raise SettingsError(f"{path} cannot be read: {exc.strerror}") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{path} is not a mapping of settings")
    return data


def config_path(root: Path) -> Path:
    path = root.resolve() / CONFIG_FILE
    if not path.is_file():
        raise SettingsError(f"no {CONFIG_FILE} in {root}: run this where mkdocs.yml and briefings/ are, or pass -C")
    return path


def _raise_errors(path: Path, errors: Iterable[tuple[str, Exception]]) -> None:
    said = [f"option '{key}': {error}" for key, error in errors]
    if said:
        raise SettingsError(f"{path} is not valid: " + "; ".join(said))
