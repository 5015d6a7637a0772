"""Stage 6, pdf: briefs to printable PDF documents.

A brief is rendered through a print template (``templates/print/``, HTML with
CSS Paged Media) and typeset by WeasyPrint, which sits behind one function,
``typeset``. Citations are footnotes: one per cited statement, naming its
sources by number; the numbers resolve to the source list at the end.
Many briefs are typeset in parallel, one process per core.
"""

from __future__ import annotations

import io
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from generator import __version__
from generator.citations import Citations, footnotes
from generator.dates import PartialDate
from generator.errors import BriefingError
from generator.history import DEFAULT_EDITIONS, describe_edition
from generator.languages import html_in
from generator.link import Corpus
from generator.model import Brief, Claim, Event, Quote
from generator.options import Settings
from generator.pipeline import Prepared, Progress, prepare
from generator.problems import Problem
from generator.publish import Policy
from generator.reader import Reader
from generator.site_paths import page_path
from generator.site_views import edition_note_view, translation
from generator.subjects import Dispute
from generator.templating import template_dirs
from generator.views import (
    EditionView,
    PrintBrief,
    PrintChange,
    PrintClaim,
    PrintDispute,
    PrintEvent,
    PrintKeyPoint,
    PrintOther,
    PrintQuote,
    PrintSection,
    PrintSide,
    PrintSource,
    Ref,
)
from generator.wording import format_date, in_sentence, short_date, title_of

if TYPE_CHECKING:
    from generator.editions import EditionNote

log = logging.getLogger(__name__)

PAPER = {"a4": "A4", "letter": "letter"}
Notes = Citations[PrintSource]  # a brief's footnotes


@dataclass(frozen=True, slots=True)
class PdfOptions:
    paper: str = "a4"  # a4 or letter
    handling: str = ""  # default handling line; a brief's own wins
    site_url: str = ""  # when set, records link to their pages on the site
    edition: str = ""  # git tag and commit, or version; found when empty
    as_of: PartialDate | None = None  # an as-of build: the cover says so
    editions: dict[str, EditionNote] | None = None  # brief id -> changes since the previous edition
    edition_tags: str = DEFAULT_EDITIONS


# --- the engine --------------------------------------------------------------------


def typeset(html: str, base_url: str) -> bytes:
    """HTML with print CSS to PDF bytes: the one place WeasyPrint is used."""
    import weasyprint  # imported here: heavy, and only PDF work needs it

    # PDF/UA-1: tagged (a structure tree screen readers follow), with its language
    # and title, as WeasyPrint writes it.
    return weasyprint.HTML(string=html, base_url=base_url).write_pdf(  # type: ignore[no-any-return]
        pdf_variant="pdf/ua-1")


# --- a brief as print HTML -------------------------------------------------------------


class PrintRenderer:
    """Builds a brief's print view from the same corpus the site uses.
    Citations are footnotes (``generator.citations``)."""

    def __init__(self, corpus: Corpus, root: Path | None, options: PdfOptions) -> None:
        self.corpus = corpus
        self.options = options
        self.records = Reader(corpus)
        self.env = print_env(root)

    def url(self, rid: str) -> str:
        """The record's page on the published site, if there is one."""
        if not self.options.site_url:
            return ""
        page = page_path(self.records.get(rid).kind, rid).removesuffix(".md")
        return f"{self.options.site_url.rstrip('/')}/{page}.html"

    def ref(self, rid: str) -> Ref:
        return Ref(title_of(self.records.get(rid)), self.url(rid))

    def brief_view(self, rid: str) -> PrintBrief:
        brief = self.records.model(rid, Brief)
        notes = footnotes(self.records, rid)
        key_points = tuple(PrintKeyPoint(p.text, tuple(self.ref(r) for r in p.cites),
                                         notes.cite(s for r in p.cites for s in self.records.sources_of(r)))
                           for p in brief.key_points)
        scope: set[str] = {r for p in brief.key_points for r in p.cites}
        sections = []
        for section, ids in zip(brief.sections, self.corpus.selections[rid], strict=True):
            scope.update(ids)
            sections.append(self.section_view(section.title, section.summary or "", ids, notes))
        disputes = tuple(self.dispute_view(d, notes) for d in self.corpus.disputes
                         if scope.intersection(d.claims))
        return PrintBrief(
            id=rid, title=brief.title, subtitle=brief.subtitle or "", as_of=format_date(brief.as_of),
            as_of_iso=brief.as_of.earliest.isoformat().replace("+00:00", "Z"),
            handling=brief.handling or self.options.handling, bottom_line=brief.bottom_line,
            key_points=key_points, sections=tuple(sections), disputes=disputes,
            related=tuple(self.ref(r) for r in brief.related), url=self.url(rid),
            sources=tuple(notes.sources()), footnotes=notes.marks, changes=self.changes_view(rid),
            known_at=format_date(self.options.as_of) if self.options.as_of else "",
        )

    def changes_view(self, rid: str) -> EditionView[PrintChange] | None:
        note = (self.options.editions or {}).get(rid)
        if note is None:
            return None
        return edition_note_view(note, lambda r, change: PrintChange(
            r.title, self.url(r.id) if r.id in self.corpus.records else "", change))

    def section_view(self, title: str, summary: str, ids: list[str], notes: Notes) -> PrintSection:
        kinds: dict[str, list[str]] = {"event": [], "claim": [], "quote": [], "other": []}
        for i in ids:
            kind = self.records.get(i).kind
            kinds[kind if kind in kinds else "other"].append(i)
        # One statement a field: the footnotes are numbered in this order.
        events = tuple(self.event_view(e, notes) for e in kinds["event"])
        claims = tuple(self.claim_view(c, notes) for c in kinds["claim"])
        quotes = tuple(self.quote_view(q, notes) for q in kinds["quote"])
        others = tuple(self.other_view(o) for o in kinds["other"])
        return PrintSection(title, summary, events, claims, quotes, others)

    def other_view(self, rid: str) -> PrintOther:
        ref = self.ref(rid)
        return PrintOther(self.records.about(rid), ref.text, ref.url, self.names(rid))

    def names(self, rid: str) -> Markup:
        """Other names, in their own script where recorded: Khankendi (Xankəndi)."""
        model = self.records.get(rid).model
        names = getattr(model, "names", [])
        return Markup(", ").join(Markup("{} ({})").format(n.name, html_in(n.script, n.lang)) if n.script
                                 else Markup("{}").format(n.name) for n in names)

    def event_view(self, eid: str, notes: Notes) -> PrintEvent:
        event = self.records.model(eid, Event)
        ref = self.ref(eid)
        return PrintEvent(short_date(event.date), ref.text, ref.url, event.summary, notes.cite(event.sources))

    def claim_view(self, cid: str, notes: Notes) -> PrintClaim:
        claim = self.records.model(cid, Claim)
        return PrintClaim(claim.statement, self.records.figure(cid), in_sentence(claim.asserted_by), self.url(cid),
                          notes.cite(claim.sources), self.records.revision(cid))

    def quote_view(self, qid: str, notes: Notes) -> PrintQuote:
        quote = self.records.model(qid, Quote)
        return PrintQuote(html_in(quote.text, quote.language), self.ref(quote.speaker), format_date(quote.said),
                          notes.cite([quote.source]),
                          html_in(quote.original, quote.said_in) if quote.original else Markup(""), translation(quote))

    def dispute_view(self, dispute: Dispute, notes: Notes) -> PrintDispute:
        sides = []
        for cid in dispute.claims:
            claim = self.records.model(cid, Claim)
            sides.append(PrintSide(self.records.figure(cid) or claim.statement, claim.statement, claim.asserted_by,
                                   self.records.claim_when(cid), notes.cite(claim.sources)))
        return PrintDispute(self.records.dispute_title(dispute), tuple(sides))

    def document(self, brief_id: str) -> tuple[str, PrintBrief]:
        """A brief's print HTML, and the view it was made from."""
        brief = self.brief_view(brief_id)
        html = self.env.get_template("print/brief.html.j2").render(
            brief=brief, css=print_css(self.env, self.options), edition=self.options.edition or edition(None),
            generator=f"briefing {__version__}")
        return html, brief


def print_css(env: Environment, options: PdfOptions) -> Markup:
    assert env.loader is not None
    css = env.loader.get_source(env, "print/brief.css")[0]
    return Markup(css.replace("{{PAPER}}", PAPER[options.paper]))


def print_env(root: Path | None) -> Environment:
    return Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in template_dirs(root)]),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def edition(root: Path | None, pattern: str = DEFAULT_EDITIONS) -> str:
    """The edition's tag and the corpus' git commit (short), marked when
    there are local changes; the package version outside a git repository."""
    return describe_edition(root, pattern) or f"briefing {__version__}"


# --- many briefs ----------------------------------------------------------------------


@dataclass(slots=True)
class PdfResult:
    path: Path
    pages: int
    footnotes: int
    seconds: float
    title: str = ""
    as_of: str = ""  # ISO


def write_pdfs(corpus: Corpus, root: Path | None, out: Path, brief_ids: Sequence[str] | None = None,
               options: PdfOptions | None = None, book: bool = True,
               progress: Callable[[str], None] = log.info) -> list[PdfResult]:
    """Typeset each brief into ``out``, in parallel on the machine's cores;
    then the briefing book: a contents page, and the briefs as typeset."""
    options = options or PdfOptions()
    if not options.edition:
        options = replace(options, edition=edition(root, options.edition_tags))
    ids = list(brief_ids) if brief_ids is not None else list(corpus.by_kind["brief"])
    book = book and len(ids) > 1
    out.mkdir(parents=True, exist_ok=True)
    jobs = [(b, out / f"{b}.pdf") for b in ids]
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers <= 1:
        results = [_typeset_brief(corpus, root, options, *job) for job in jobs]
    else:
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(corpus, root, options)) as ex:
            results = list(ex.map(_worker_job, jobs))
    if book:
        results.append(_book(results, root, options, out / BOOK))
    for r in results:
        progress(f"wrote {r.path.name}: {r.pages} pages, {r.footnotes} footnotes, {r.seconds:.2f} s")
    return results


BOOK = "briefing-book.pdf"


def pdf_names(corpus: Corpus) -> list[str]:
    """The files ``write_pdfs`` makes of every brief: one per brief, and the
    book when there are several."""
    briefs = corpus.by_kind["brief"]
    return [f"{b}.pdf" for b in briefs] + ([BOOK] if len(briefs) > 1 else [])


_WORKER: dict[str, Any] = {}


def _init_worker(corpus: Corpus, root: Path | None, options: PdfOptions) -> None:
    _die_with_parent()
    _WORKER.update(corpus=corpus, root=root, options=options)


def _die_with_parent() -> None:
    """A typesetting worker ends when its build does, even when the build is
    killed outright (SIGKILL leaves no time to stop the pool): Linux sends
    the worker SIGKILL when its parent dies. Elsewhere the pool's own
    shutdown is all there is."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import multiprocessing
    import signal

    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    parent = multiprocessing.parent_process()
    if parent is not None and not parent.is_alive():  # it died before the line above
        os._exit(1)


def _worker_job(job: tuple[str, Path]) -> PdfResult:
    return _typeset_brief(_WORKER["corpus"], _WORKER["root"], _WORKER["options"], *job)


def _typeset_brief(corpus: Corpus, root: Path | None, options: PdfOptions, brief_id: str, path: Path) -> PdfResult:
    start = time.perf_counter()
    html, brief = PrintRenderer(corpus, root, options).document(brief_id)
    data = typeset(html, base_url=str(root or Path.cwd()))
    _write(path, data)
    return PdfResult(path, _count_pages(data), brief.footnotes, time.perf_counter() - start, brief.title,
                     brief.as_of_iso)


def _book(briefs: list[PdfResult], root: Path | None, options: PdfOptions, path: Path) -> PdfResult:
    """The contents (each brief's first page) typeset, then the briefs'
    own PDFs appended with their outlines: no brief is typeset twice."""
    from pypdf import PdfReader, PdfWriter

    start = time.perf_counter()
    env = print_env(root)
    readers = [PdfReader(r.path) for r in briefs]

    def contents(first: int) -> bytes:
        entries, page = [], first
        for result, reader in zip(briefs, readers, strict=True):
            entries.append({"title": result.title, "page": page})
            page += len(reader.pages)
        html = env.get_template("print/book.html.j2").render(
            title="Briefing book", briefs=entries, edition=options.edition, generator=f"briefing {__version__}",
            css=print_css(env, options), created=max(r.as_of for r in briefs))
        return typeset(html, base_url=str(root or Path.cwd()))

    front = contents(2)
    front_pages = _count_pages(front)
    if front_pages != 1:  # a long contents: number the briefs after it
        front = contents(front_pages + 1)
    writer = PdfWriter()
    writer.append(io.BytesIO(front), import_outline=True)
    for reader in readers:
        writer.append(reader, import_outline=True)
    writer.add_metadata({"/Title": "Briefing book", "/Author": f"briefing {__version__}",
                         "/Subject": f"{len(briefs)} briefs: " + "; ".join(r.title for r in briefs)})
    buffer = io.BytesIO()
    writer.write(buffer)
    data = buffer.getvalue()
    _write(path, data)
    return PdfResult(path, _count_pages(data), sum(r.footnotes for r in briefs), time.perf_counter() - start,
                     "Briefing book")


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(".pdf.part")
    tmp.write_bytes(data)
    tmp.replace(path)


def _count_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


class UnknownBrief(BriefingError):
    """A brief asked for by id that the published corpus does not hold."""


# Host names kept for examples and tests (RFC 2606, RFC 6761): a site_url on
# one is a placeholder, and a printed link to it would lead nowhere.
_PLACEHOLDER_HOST = re.compile(r"(?:^|\.)(?:example(?:\.com|\.net|\.org)?|invalid|test|localhost)$")


def linkable(site_url: str) -> str:
    """``site_url`` when PDFs may link to it; '' when it is unset or a placeholder."""
    host = (urlsplit(site_url).hostname or "").lower().rstrip(".")
    return "" if not host or _PLACEHOLDER_HOST.search(host) else site_url


def pdf_options(settings: Settings, prepared: Prepared, paper: str = "", handling: str = "") -> PdfOptions:
    """The options of a corpus' PDFs: its settings, what the pipeline found
    (as-of, edition notes), and what the command line overrides."""
    site_url = linkable(settings.site_url)
    if settings.site_url and not site_url:
        log.info("PDFs link to no page: site_url %s is a placeholder address", settings.site_url)
    return PdfOptions(paper or settings.paper, handling or settings.handling, site_url,
                      as_of=prepared.site.as_of, editions=prepared.editions or None, edition_tags=settings.editions)


def typeset_corpus(settings: Settings, out: Path, brief_ids: Sequence[str], policy: Policy, paper: str = "",
                   handling: str = "", progress: Progress = log.info) -> tuple[list[PdfResult], list[Problem]]:
    """`briefing pdf`: prepare the corpus, then typeset the named briefs (or
    all, and the book) into ``out``; the corpus' problems instead when it
    has errors."""
    prepared = prepare(settings, policy=policy, progress=progress)
    if not prepared.ok:
        return [], prepared.checked.problems
    unknown = [b for b in brief_ids if b not in prepared.corpus.by_kind["brief"]]
    if unknown:
        raise UnknownBrief(f"no brief with the id {', '.join(unknown)}")
    options = pdf_options(settings, prepared, paper, handling)
    return write_pdfs(prepared.corpus, settings.root, out, list(brief_ids) or None, options, progress=progress), []
