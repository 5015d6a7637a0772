"""Where each page of the site lives, and the relative link from one page
to another (as MkDocs resolves links between Markdown pages)."""

from __future__ import annotations

from collections.abc import Mapping

from generator.model import FOLDERS
from generator.validate import Entry


def page_path(kind: str, rid: str) -> str:
    """A record's page: events/ceasefire.md."""
    return f"{FOLDERS[kind]}/{rid}.md"


def page_id(path: str) -> str:
    """The id a record page's path names: events/x.md -> x."""
    return path.rsplit("/", 1)[-1].removesuffix(".md")


def record_at(path: str, records: Mapping[str, Entry]) -> str | None:
    """The id of the record whose page is ``path`` (events/x.md), if any."""
    rid = page_id(path)
    entry = records.get(rid)
    return rid if entry is not None and page_path(entry.kind, rid) == path else None


def rel(from_page: str, to_page: str) -> str:
    """A relative link between two pages, as MkDocs resolves them.

    Cheaper than posixpath.relpath (a build makes hundreds of thousands of
    links): strip the folders both paths share, climb out of the rest."""
    here = from_page.split("/")[:-1]
    there = to_page.split("/")
    shared = 0
    while shared < len(here) and shared < len(there) - 1 and here[shared] == there[shared]:
        shared += 1
    return "/".join([".."] * (len(here) - shared) + there[shared:])


def href(from_page: str, to_page: str, directory_urls: bool) -> str:
    """The relative URL the engine writes for a Markdown link from one page
    to another, for HTML that the engine passes through as it is: ``rel``
    of the two pages' URLs."""
    return rel(_url(from_page, directory_urls), _url(to_page, directory_urls)) or "./"


def _url(path: str, directory_urls: bool) -> str:
    """A page's URL within the site, as the engine gives it: events/x.md is
    events/x/ with directory URLs and events/x.html without; an index
    (index.md, README.md) is its folder's, the site's own ''."""
    stem = path.removesuffix(".md")
    folder, _, name = stem.rpartition("/")
    if name in ("index", "README"):
        return f"{folder}/".lstrip("/") if directory_urls else f"{folder}/index.html".lstrip("/")
    return f"{stem}/" if directory_urls else f"{stem}.html"
