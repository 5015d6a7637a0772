"""The plugin's settings: its config class, and the typed settings a run uses.

``BriefingConfig`` is the one definition of the ``briefing`` plugin's options
in ``mkdocs.yml``: the engine validates them through it when it loads the
file (``generator.settings`` for the command line, MkDocs or ProperDocs
itself for ``mkdocs build``). ``settings_of`` turns a loaded config into
``Settings``, a frozen value the pipeline and the writers take.

This module imports MkDocs' config classes but never picks the engine
(``generator.engine``): the plugin imports it, and ``mkdocs build`` must
keep running the plugin on MkDocs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config, ValidationError
from mkdocs.config.defaults import MkDocsConfig

from generator.errors import BriefingError
from generator.geography import VIEWS, Geography
from generator.history import DEFAULT_EDITIONS

# The formats of generator.exports, named here so that mkdocs.yml's option is
# checked without importing the exporters (and their libraries) first.
EXPORT_FORMATS = ("json", "csv", "jsonld", "ftm", "stix")
SEARCH_MODES = ("auto", "chunked", "material")  # generator.search_chunks

DEFAULT_SITE_NAME = "Briefing"
PLUGIN_NAME = "briefing"  # the entry point's name: what mkdocs.yml lists under plugins


class BriefingConfig(Config):
    """The ``briefing`` plugin's options under ``plugins:`` in mkdocs.yml."""

    pdf = config_options.Type(bool, default=False)  # typeset briefs into pdf/ and link them
    paper = config_options.Choice(("a4", "letter"), default="a4")
    handling = config_options.Type(str, default="")  # e.g. "For internal use"
    history = config_options.Type(bool, default=True)  # show when each record last changed (git)
    editions = config_options.Type(str, default=DEFAULT_EDITIONS)  # tags that are editions (a glob)
    # The maps' borders: Natural Earth's de facto lines, disputed areas hatched,
    # or the point of view of ISO, the US, the UN or the World Bank (as Natural
    # Earth's disputed-areas layer records them).
    borders = config_options.Choice(("de facto", *VIEWS), default="de facto")
    # A folder (relative to mkdocs.yml) holding the maps' base geography in
    # place of the shipped Natural Earth files: countries-10m.json (TopoJSON,
    # world-atlas' shape) and, optionally, disputed-10m.json.
    geodata = config_options.Type(str, default="")
    # A folder (relative to mkdocs.yml) holding sources' archived texts, which
    # their quotes are checked against (a source's ``archive`` names a file
    # in it); outside the repository, so copyrighted text need not be committed.
    archive = config_options.Type(str, default="")
    # The data published with the site under data/ (generator.exports): every
    # format by default; [] publishes none (`briefing export` still writes them).
    exports = config_options.ListOfItems(config_options.Choice(EXPORT_FORMATS), default=list(EXPORT_FORMATS))
    # Keep each page's Markdown and HTML in .cache/briefing/ (generator.page_cache),
    # so that `briefing build` converts only the pages an edit changed.
    cache = config_options.Type(bool, default=True)
    # The site's search: an index in chunks over http, Material's whole
    # index from file:// (generator.search_chunks); "auto" from 2,000
    # pages, where Material's index grows too large to load per page.
    search_index = config_options.Choice(SEARCH_MODES, default="auto")


@dataclass(frozen=True, slots=True)
class Settings:
    """What a run takes from mkdocs.yml, validated once."""

    root: Path  # the corpus: where mkdocs.yml and briefings/ are
    site_name: str
    site_url: str  # where the site is published: PDFs link to its pages; "" when unset
    pdf: bool
    paper: str
    handling: str
    history: bool
    editions: str
    geography: Geography = Geography()
    archive: Path | None = None  # the archive folder, resolved; None when not set
    exports: tuple[str, ...] = EXPORT_FORMATS  # the data formats published under data/
    directory_urls: bool = True  # pages at events/x/ (MkDocs' use_directory_urls), else events/x.html
    cache: bool = True  # `briefing build` keeps and reuses pages in .cache/briefing/
    search_index: str = "auto"  # "chunked", "material", or "auto" (by the number of pages)


def geography_of(root: Path, options: BriefingConfig) -> Geography:
    """The maps' geography from the options; a geodata folder that lacks
    its countries file is an error that names what it looked for."""
    view = "" if options.borders == "de facto" else options.borders
    if not options.geodata:
        return Geography(view=view)
    folder = (root / options.geodata).resolve()
    countries, disputed = folder / "countries-10m.json", folder / "disputed-10m.json"
    if not countries.is_file():
        raise BriefingError(f"{root / 'mkdocs.yml'} is not valid: plugin '{PLUGIN_NAME}': option 'geodata': "
                            f"{countries} does not exist (a TopoJSON of countries, in world-atlas' shape, "
                            "is expected there; see the README's Locator maps)")
    return Geography(str(countries), str(disputed) if disputed.is_file() else "", view)


def settings_of(config: MkDocsConfig) -> Settings:
    """The settings of a config the engine loaded and validated."""
    root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
    return settings_for(root, config.site_name, config.site_url, plugin_config(config),
                        config.use_directory_urls and not offline(config.plugins))


def offline(plugins: Any) -> bool:
    """Whether Material's offline plugin is on, in the plugins as mkdocs.yml
    writes them or as the engine loaded them: its own settings step, after
    this plugin's, turns directory URLs off (pages at events/x.html)."""
    for name, given in plugin_entries(plugins):
        options = getattr(given, "config", given)  # a loaded plugin's settings, or those written
        if name in ("offline", "material/offline") and not (isinstance(options, Mapping)
                                                           and options.get("enabled") is False):
            return True
    return False


def settings_for(root: Path, site_name: str | None, site_url: str | None, options: BriefingConfig | None,
                 directory_urls: bool = True) -> Settings:
    """The settings from validated values; the plugin's defaults (its config
    class's) when mkdocs.yml does not list it."""
    options = options or default_options()
    return Settings(root=root, site_name=site_name or DEFAULT_SITE_NAME, site_url=site_url or "", pdf=options.pdf,
                    paper=options.paper, handling=options.handling, history=options.history,
                    editions=options.editions, geography=geography_of(root, options),
                    archive=(root / options.archive).resolve() if options.archive else None,
                    exports=tuple(options.exports), directory_urls=directory_urls, cache=options.cache,
                    search_index=options.search_index)


def plugin_config(config: MkDocsConfig) -> BriefingConfig | None:
    """The briefing plugin's validated options, when mkdocs.yml lists it."""
    for plugin in config.plugins.values():
        options: Any = getattr(plugin, "config", None)
        if isinstance(options, BriefingConfig):
            return options
    return None


def plugin_options(plugins: list[Any] | dict[str, Any]) -> BriefingConfig | None:
    """The plugin's options validated by its config class, from mkdocs.yml's
    ``plugins`` as written (a list of names and one-key mappings, or a
    mapping); None when the plugin is not listed. A wrong option raises
    MkDocs' ``ValidationError``, naming it."""
    for name, given in plugin_entries(plugins):
        if name != PLUGIN_NAME:
            continue
        if given is not None and not isinstance(given, dict):
            raise ValidationError(f"its options must be a mapping, not {given!r}")
        options = BriefingConfig()
        options.load_dict(given or {})
        errors, _ = options.validate()
        if errors:
            key, error = errors[0]
            raise ValidationError(f"option '{key}': {error}")
        return options
    return None


def plugin_entries(plugins: Any) -> list[tuple[Any, Any]]:
    """``(name, options as written)`` of each plugin mkdocs.yml lists (a list
    of names and one-key mappings, or a mapping)."""
    if isinstance(plugins, dict):
        return list(plugins.items())
    return [next(iter(item.items())) if isinstance(item, dict) and len(item) == 1 else (item, None)
            for item in plugins]


def default_options() -> BriefingConfig:
    """The options of a mkdocs.yml that does not list the plugin (`briefing
    pdf` and `pages` run without it): every default."""
    options = BriefingConfig()
    options.load_dict({})
    errors, _ = options.validate()
    assert not errors, errors  # the defaults are valid by construction
    return options
