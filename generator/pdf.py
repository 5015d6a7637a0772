"""Stage 6, pdf: briefs to printable PDF documents.

A brief is rendered through a print template (``templates/print/``, HTML with
CSS Paged Media; the views are ``generator.print_views``) and typeset by
WeasyPrint, which sits behind one function, ``typeset``. A citation is the
numbers of its sources in the list at the end; a source's first citation on
a page carries a footnote naming it. Where pages break is known only once
typeset, so ``typeset`` lays the document out, plans the notes from where
each citation fell, and lays it out again until the plan holds.

Each brief is typeset in its own process, one per core; the briefing book is
one more document, numbered as one: a cover, contents, the briefs.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from generator.errors import BriefingError
from generator.link import Corpus
from generator.options import Settings
from generator.pagination import Calls, last_block, number_blocks, places, plan_notes, strays
from generator.pipeline import Prepared, Progress, prepare
from generator.print_views import PdfOptions, PrintRenderer, book_order, edition
from generator.problems import Problem
from generator.publish import Policy
from generator.workers import die_with_parent

if TYPE_CHECKING:
    from generator.print_views import NotePlan

log = logging.getLogger(__name__)

# A document rendered for a plan of its notes (None: every call carries them): its HTML and citations.
Render = Callable[["NotePlan | None"], tuple[str, Calls]]
_PASSES = 8  # layouts tried before settling for what the last gave


# --- the engine --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Typeset:
    data: bytes
    pages: int
    notes: int  # footnotes printed


def typeset(render: Render, base_url: str) -> Typeset:
    """HTML with print CSS to PDF: the one place WeasyPrint is used.

    A note goes with a source's first citation on each page, on that page.
    Which citation that is depends on where the pages break, which depends
    on the notes: lay out, plan the notes, and lay out again until the plan
    is the one the layout was made with and every note sits on its call's
    page (``generator.pagination``; two or three layouts, as a rule)."""
    import weasyprint  # imported here: heavy, and only PDF work needs it

    plan: NotePlan | None = None
    breaks: frozenset[int] = frozenset()
    for _ in range(_PASSES):
        html, calls = render(plan)
        document = weasyprint.HTML(string=number_blocks(html, breaks), base_url=base_url).render()
        where = places(document)
        found = plan_notes(calls, where)
        if found != plan:  # the notes are planned for where the citations fell: lay out again
            plan = found
            continue
        # WeasyPrint moved a note off its call's page, at the foot of the first page that
        # has one: the block it made room for starts the next page. Later pages will move.
        stray = min(strays(plan, where), default=None)
        block = last_block(document, stray) if stray is not None else None
        if block is None or block in breaks:
            break
        breaks |= {block}
    else:
        log.info("footnotes did not settle in %d layouts: a note may sit a page after its call", _PASSES)
    used = plan or {}
    # PDF/UA-1: tagged (a structure tree screen readers follow), with its language
    # and title, as WeasyPrint writes it.
    data = document.write_pdf(pdf_variant="pdf/ua-1")
    return Typeset(data, len(document.pages), sum(len(n) for n in used.values()))


# --- many briefs ----------------------------------------------------------------------


@dataclass(slots=True)
class PdfResult:
    path: Path
    pages: int
    footnotes: int
    seconds: float
    title: str = ""


def write_pdfs(corpus: Corpus, root: Path | None, out: Path, brief_ids: Sequence[str] | None = None,
               options: PdfOptions | None = None, book: bool = True,
               progress: Callable[[str], None] = log.info) -> list[PdfResult]:
    """Typeset each brief into ``out``, and the briefing book when there are
    several, in parallel on the machine's cores."""
    options = options or PdfOptions()
    if not options.edition:
        options = replace(options, edition=edition(root, options.edition_tags))
    ids = list(brief_ids) if brief_ids is not None else list(corpus.by_kind["brief"])
    jobs: list[tuple[list[str], Path]] = [([b], out / f"{b}.pdf") for b in ids]
    if book and len(ids) > 1:
        jobs.append((book_order(corpus, ids), out / BOOK))
    out.mkdir(parents=True, exist_ok=True)
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers <= 1:
        results = [_typeset(corpus, root, options, *job) for job in jobs]
    else:
        # The book, the longest job, first: it is not left to run alone at the end.
        order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][0]))
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(corpus, root, options)) as ex:
            done = dict(zip(order, ex.map(_worker_job, [jobs[i] for i in order]), strict=True))
        results = [done[i] for i in range(len(jobs))]
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
    die_with_parent()
    _WORKER.update(corpus=corpus, root=root, options=options)


def _worker_job(job: tuple[list[str], Path]) -> PdfResult:
    return _typeset(_WORKER["corpus"], _WORKER["root"], _WORKER["options"], *job)


def _typeset(corpus: Corpus, root: Path | None, options: PdfOptions, brief_ids: list[str], path: Path) -> PdfResult:
    """One brief, or the book of several."""
    start = time.perf_counter()
    titles: list[str] = []

    def render(plan: NotePlan | None) -> tuple[str, Calls]:
        renderer = PrintRenderer(corpus, root, options, plan)
        if len(brief_ids) == 1:
            html, brief = renderer.document(brief_ids[0])
            titles[:] = [brief.title]
        else:
            html, _ = renderer.book(brief_ids, options.subject)
            titles[:] = [f"Briefing book: {options.subject}" if options.subject else "Briefing book"]
        return html, renderer.calls

    result = typeset(render, base_url=str(root or Path.cwd()))
    _write(path, result.data)
    return PdfResult(path, result.pages, result.notes, time.perf_counter() - start, titles[0])


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(".pdf.part")
    tmp.write_bytes(data)
    tmp.replace(path)


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
                      as_of=prepared.site.as_of, editions=prepared.editions or None, edition_tags=settings.editions,
                      subject=settings.site_name, geography=settings.geography)


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
