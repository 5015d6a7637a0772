"""The `briefing` command: a thin layer over the pipeline functions.

Exit status, for every command: 0 done, 1 problems in the records (or a
build that failed on them), 2 a usage error (an option, a folder that is
not a corpus, an unknown revision, a setting), 3 an internal error (a bug in
briefing: one line, the traceback with -v), 130 interrupted.
"""

from __future__ import annotations

import errno
import logging
import os
import shlex
import shutil
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from generator import __version__
from generator.corpus import read_corpus
from generator.dates import PartialDate
from generator.errors import BriefingError
from generator.model import KINDS
from generator.problems import Problem, format_github, format_json, format_text, summary

EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


class _Guarded(click.Command):
    """Every command: a usage error is one line (exit 2), and so is a bug,
    with its own exit status, so that CI tells it from problems found; with
    --format json, stdout is a JSON document whatever happened."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BriefingError as exc:  # a click exception: click says it, with its exit status
            _json_error(ctx, "usage", exc.message)
            raise
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted: nothing was replaced", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            # `briefing check | head`: the reader left; say nothing more.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except Exception as exc:
            verbose = bool(ctx.find_root().params.get("verbose"))
            if verbose:
                click.echo("".join(traceback.format_exception(exc)), err=True, nl=False)
            _json_error(ctx, "internal", f"{type(exc).__name__}: {exc}")
            click.echo(f"internal error: {type(exc).__name__}: {exc}\n  This is a bug in briefing, not a problem in "
                       "the records; no output was replaced." + ("" if verbose else " Run with -v for the traceback."),
                       err=True)
            ctx.exit(EXIT_INTERNAL)


def _json_error(ctx: click.Context, kind: str, message: str) -> None:
    """With --format json, a document on stdout even when the run stopped."""
    if ctx.params.get("fmt") == "json":
        click.echo(format_json([], 0, error={"kind": kind, "message": message}))


class _Group(click.Group):
    command_class = _Guarded

ROOT_OPTION = click.option(
    "--root", "-C", "root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    show_default=True, help="The corpus folder: where mkdocs.yml and briefings/ are.",
)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefing")
@click.option("-v", "--verbose", is_flag=True, help="Log what each stage does.")
def main(verbose: bool) -> None:
    """Validate briefing records and build the briefing site and PDFs."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


@main.command()
@ROOT_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="text for people, json for tools, github for workflow annotations.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(root: Path, fmt: str, strict: bool) -> None:
    """Check every record: syntax, fields, dates, references.

    Exit 0 when clean, 1 on problems (errors; with --strict, warnings too),
    2 on usage errors.
    """
    result = read_corpus(root)
    # Quotes against their sources' archived texts, where mkdocs.yml names the folder.
    if (root / "mkdocs.yml").is_file():
        from generator.fidelity import check_quotes
        from generator.settings import read_settings

        fidelity = check_quotes(result, read_settings(root).archive, strict)
        if fidelity.note:
            click.echo(f"note: {fidelity.note}", err=True)
    if fmt == "json":
        click.echo(format_json(result.problems, result.files))
    elif fmt == "github":
        if result.problems:
            click.echo(format_github(result.problems))
    else:
        if result.problems:
            click.echo(format_text(result.problems))
        tail = summary(result.problems, result.files)
        if result.corpus is not None:
            counts = ", ".join(f"{len(ids)} {kind}s" for kind, ids in result.corpus.by_kind.items() if ids)
            tail += f" ({counts}; {len(result.corpus.disputes)} disputes)"
        click.echo(tail, err=bool(result.problems))
    sys.exit(1 if result.failed(strict) else 0)


@main.command("fmt")
@ROOT_OPTION
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; list the files that are not in canonical form and fail if any is.")
@click.option("--diff", "show_diff", is_flag=True, help="Write nothing; print what would change as a unified diff.")
def fmt_command(root: Path, paths: tuple[Path, ...], check_only: bool, show_diff: bool) -> None:
    """Rewrite record files in canonical form: the named PATHS (files or
    folders), or every record under briefings/. Comments are kept.

    Exit 0 when done (with --check: when every file is canonical), 1 on
    files that cannot be formatted (and with --check, on files that are not
    canonical), 2 on usage errors.
    """
    from generator.fmt import format_files, record_files, tally, unified_diff, write_formatted

    outcomes = format_files(record_files(root, paths))
    dry = check_only or show_diff
    problems = [p for o in outcomes for p in o.problems]
    changed = [o for o in outcomes if o.changed]
    failed = False
    for outcome in changed:
        if show_diff:
            click.echo(unified_diff(outcome), nl=False)
        if dry:
            click.echo(f"would reformat {outcome.file.rel}", err=True)
            continue
        try:
            write_formatted(outcome)
        except OSError as exc:
            click.echo(f"{outcome.file.rel}: cannot write: {exc.strerror}", err=True)
            failed = True
            continue
        click.echo(f"reformatted {outcome.file.rel}", err=True)
    if problems:
        click.echo(format_text(problems), err=True)
    click.echo(tally(outcomes, written=not dry), err=True)
    sys.exit(1 if failed or problems or (check_only and changed) else 0)


@main.command()
@ROOT_OPTION
@click.option("--check", "check_only", is_flag=True, help="Fail if the committed schemas are stale; write nothing.")
def schema(root: Path, check_only: bool) -> None:
    """Write the editors' JSON Schema (schema/<kind>.schema.json) from the model."""
    from generator.schema import stale_schemas, write_schemas

    if check_only:
        stale = stale_schemas(root)
        for name in stale:
            click.echo(f"schema/{name} is stale: run 'briefing schema'", err=True)
        sys.exit(1 if stale else 0)
    for path in write_schemas(root):
        click.echo(f"wrote {path}")


@main.command()
@ROOT_OPTION
def vocabulary(root: Path) -> None:
    """List the terms records may use: the defaults merged with the corpus'
    own (briefings/vocabulary.yaml), and the subjects claims answer."""
    from generator.schema import corpus_vocabulary
    from generator.vocabulary import listing

    click.echo(listing(corpus_vocabulary(root)))


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--name", default=None, help="The site's name (default: the folder's name).")
def init(folder: Path, name: str | None) -> None:
    """Start a corpus repository in FOLDER (new, or empty) that builds at
    once: mkdocs.yml, one example record of each kind, the editors' schemas,
    pre-commit hooks and a git repository (nothing committed)."""
    from generator.scaffold import example_ids, init_corpus

    result = init_corpus(folder, name)
    for rel in result.files:
        click.echo(f"created {folder / rel}")
    if result.git:
        click.echo(f"initialised a git repository in {folder} (nothing committed)")
    source = example_ids()["source"]
    me = command_name()
    click.echo(f"""
Next steps:
  cd {shlex.quote(str(folder))}
  {me} check --strict     # the example records pass; make them your own, or delete them
  {me} build              # the site in site/ (open site/index.html), PDFs in site/pdf/
  {me} new event my-event --ref sources={source}
  pre-commit install          # check and format records before each commit""")


@main.command()
@ROOT_OPTION
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.argument("record_id", metavar="ID")
@click.option("--ref", "refs", multiple=True, metavar="FIELD=ID",
              help="Fill a reference field, e.g. --ref sources=bloomberg-2023-09-20 (repeat for more ids).")
def new(root: Path, kind: str, record_id: str, refs: tuple[str, ...]) -> None:
    """Write briefings/<kind>s/ID.yaml: every required field with a
    placeholder (TODO, which check warns about), every optional field
    commented out with its description."""
    from datetime import datetime

    from generator.scaffold import missing_ref_notes, new_record

    given: dict[str, list[str]] = {}
    for ref in refs:
        key, sep, target = ref.partition("=")
        if not sep or not key or not target:
            raise click.BadParameter(f"'{ref}' is not FIELD=ID", param_hint="--ref")
        given.setdefault(key.strip(), []).append(target.strip())
    result = new_record(root, kind, record_id, given, datetime.now().astimezone())
    click.echo(f"wrote {result.path}")
    for note in missing_ref_notes(result):
        click.echo(f"  {note}")
    for target in result.unknown_targets:
        click.echo(f"  no record has the id '{target}' yet: check reports it until one does")
    click.echo(f"Replace the TODO values, then run: {command_name()} check")


def command_name() -> str:
    """How to run briefing again, as the user can type it: `briefing` when
    that name on PATH is this program, else the path it was run by (a
    virtual environment's bin/ that is not on PATH)."""
    program = Path(sys.argv[0])
    if program.name == "__main__.py":  # python -m generator
        return f"{shlex.quote(sys.executable)} -m generator"
    found = shutil.which("briefing")
    if found and program.name == "briefing" and Path(found).resolve() == program.resolve():
        return "briefing"
    if program.name == "briefing" and program.exists():
        return shlex.quote(str(program.resolve()))
    return "briefing"


def _report(problems: list[Problem], files: int) -> None:
    if problems:
        click.echo(format_text(problems), err=True)
    click.echo(summary(problems, files), err=True)


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> PartialDate | None:
    """A moment for --as-of: 2023-09-20T12:00+04:00 (or a day, a month)."""
    from generator.dates import DateError

    if value is None:
        return None
    try:
        return PartialDate.parse(value)
    except DateError as exc:
        raise click.BadParameter(f"{exc}; e.g. 2023-09-20T12:00+04:00") from None


AS_OF_OPTION = click.option(
    "--as-of", "as_of", metavar="DATETIME", callback=_as_of, default=None,
    help="Only what could have been known then: sources published by that moment, the claims, quotes and "
         "events they carry, briefs written by then. E.g. 2023-09-20T12:00+04:00.")


@main.command()
@ROOT_OPTION
@AS_OF_OPTION
@click.option("--site-dir", "-d", "site_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Build into this folder instead of mkdocs.yml's site_dir.")
def build(root: Path, as_of: PartialDate | None, site_dir: Path | None) -> None:
    """Check the corpus, then build the site into site/ (strict).

    The new site is built beside the old one and replaces it only when the
    build succeeded: a failed build leaves the previous site/ in place.
    Drafts, embargoed records and every mention of them are left out.
    """
    from generator.build import build_site

    _quiet_mkdocs()
    result = build_site(root, progress=lambda msg: click.echo(msg, err=True), site_dir=site_dir, as_of=as_of)
    if result.problems and not result.ok:
        _report(result.problems, len(result.problems))
    if result.error:
        click.echo(f"error: {result.error}", err=True)
    sys.exit(0 if result.ok else 1)


@main.command()
@ROOT_OPTION
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def serve(root: Path, dev_addr: str) -> None:
    """Serve the site with live reload: edits to records and templates show
    in the browser within a second or two; a broken record keeps the last
    good pages and shows its problems."""
    from mkdocs.commands.serve import serve as engine_serve
    from mkdocs.exceptions import Abort, ConfigurationError

    from generator.settings import SettingsError, config_path

    config = config_path(root)
    for name in (*ENGINE_LOGGERS, "briefing"):  # ours too: the page cache, the data files made again
        logging.getLogger(name).setLevel(logging.INFO)
    _mkdocs_console()
    # Dirty rebuilds: the plugin marks only the pages whose Markdown changed
    # as modified. Not strict: the engine counts its own "dirty build" notice
    # as a warning (`briefing build` stays strict).
    try:
        engine_serve(config_file=str(config), livereload=True, build_type="dirty", dev_addr=dev_addr, strict=False)
    except (Abort, ConfigurationError) as exc:  # mkdocs.yml, read by the engine as it starts
        raise SettingsError(f"{config} is not valid: {exc}") from None
    except OSError as exc:  # the address, taken before anything is built
        if exc.errno not in (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES):
            raise
        raise BriefingError(f"cannot serve on {dev_addr}: {exc.strerror}; give another address with "
                            "--dev-addr, e.g. -a 127.0.0.1:8001") from None


@main.command()
@ROOT_OPTION
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write docs/ and a plain mkdocs.yml into.")
@AS_OF_OPTION
def pages(root: Path, out: Path, as_of: PartialDate | None) -> None:
    """Write the generated pages as plain Markdown, with a mkdocs.yml that
    needs no plugin, for another builder (bare MkDocs, Zensical)."""
    from generator.build import export_pages

    result = export_pages(root, out, as_of)
    if not result.ok:
        _report(result.problems, result.files)
        sys.exit(1)
    click.echo(f"wrote {out / 'docs'} and {out / 'mkdocs.yml'}", err=True)


@main.command()
@ROOT_OPTION
@click.option("--format", "formats", multiple=True, type=click.Choice(["json", "csv", "jsonld", "ftm", "stix"]),
              help="A format to write (repeat for several); every format when none is given.")
@AS_OF_OPTION
@click.argument("out", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
def export(root: Path, formats: tuple[str, ...], as_of: PartialDate | None, out: Path) -> None:
    """Write the published corpus as data into DIR: JSON (with its JSON
    Schema), CSV, JSON-LD (schema.org), FollowTheMoney and STIX 2.1; the
    same files a build publishes under site/data/. Drafts, embargoed records
    and private notes are left out, as on the site."""
    from generator.build import export_data_files
    from generator.options import EXPORT_FORMATS

    result, written = export_data_files(root, out, formats or EXPORT_FORMATS, as_of)
    if not result.ok:
        _report(result.problems, result.files)
        sys.exit(1)
    click.echo(f"wrote {written} files into {out}", err=True)


# ProperDocs logs under its own name, Material's plugins under MkDocs'.
ENGINE_LOGGERS = ("mkdocs", "properdocs")


def _mkdocs_console() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    for name in (*ENGINE_LOGGERS, "briefing"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.propagate = False


def _quiet_mkdocs() -> None:
    """The engine's own progress lines are noise here; its warnings are not."""
    for name in ENGINE_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    _mkdocs_console()


@main.command()
@ROOT_OPTION
@click.argument("briefs", nargs=-1)
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the PDFs (default: site/pdf).")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default=None,
              help="Paper size (default: the plugin's paper setting, else a4).")
@click.option("--handling", default="", help='Handling line for briefs without one, e.g. "For internal use".')
@AS_OF_OPTION
def pdf(root: Path, briefs: tuple[str, ...], out: Path | None, paper: str | None, handling: str,
        as_of: PartialDate | None) -> None:
    """Typeset briefs as PDF: the named BRIEFS, or all of them and a briefing book.

    Settings (paper, handling, site_url, editions) come from mkdocs.yml; the
    options here override them.
    """
    from generator.pdf import typeset_corpus
    from generator.publish import Policy, clock
    from generator.settings import read_settings

    settings = read_settings(root)
    _, problems = typeset_corpus(settings, out or root / "site" / "pdf", briefs, Policy(clock(), as_of),
                                       paper or "", handling, progress=lambda msg: click.echo(msg, err=True))
    if problems:
        _report(problems, len(problems))
        sys.exit(1)


@main.command()
@ROOT_OPTION
@click.argument("old")
@click.argument("new", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
@click.option("--all", "everything", is_flag=True,
              help="Compare every record, drafts and embargoed ones included (default: what is published).")
def diff(root: Path, old: str, new: str | None, fmt: str, everything: bool) -> None:
    """Changes from OLD to NEW as records, not lines: events and sources
    added or removed, claims revised, sources re-graded or retracted.

    OLD and NEW are git revisions (tags, branches, commits) or dates
    (2023-09-20: the last commit made by the end of that day); without NEW,
    the work tree. Exit 0 whether or not there are changes, 1 when a side
    does not check, 2 on usage errors.
    """
    from generator.diff import changes_json, changes_markdown, changes_text
    from generator.editions import compare
    from generator.publish import Policy, clock

    changes = compare(root, old, new, None if everything else Policy(clock()))
    formatter = {"text": changes_text, "markdown": changes_markdown, "json": changes_json}[fmt]
    click.echo(formatter(changes))
