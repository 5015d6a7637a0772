"""The `briefing` command: a thin layer over the pipeline functions."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from generator import __version__
from generator.corpus import CorpusNotFound, read_corpus
from generator.problems import format_github, format_json, format_text, summary

ROOT_OPTION = click.option(
    "--root", "-C", "root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    show_default=True, help="The corpus folder: where mkdocs.yml and briefings/ are.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    try:
        result = read_corpus(root)
    except CorpusNotFound as exc:
        raise click.UsageError(str(exc)) from None
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
