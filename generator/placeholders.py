"""Files the engine is told of before they exist, so that its link checks
pass: the data files under ``data/`` and the PDFs the pages link to, written
into the site after the pages are (under `serve`, the data files are served
from where the background refresh writes them)."""

from __future__ import annotations

from collections.abc import Iterable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from generator.export_context import DATA_DIR
from generator.exports import FORMATS
from generator.link import Corpus
from generator.serve_data import ServedData


def data_files(files: Files, config: MkDocsConfig, exports: Iterable[str], served: ServedData | None) -> Files:
    """``files`` with the data files: `serve`'s as made in the background,
    a build's as empty placeholders, filled after the pages are written."""
    if served is not None:
        for path in served.paths:
            files.append(File.generated(config, f"{DATA_DIR}/{path}", abs_src_path=str(served.folder / path)))
        return files
    for name in exports:
        for path in FORMATS[name].paths:
            files.append(File.generated(config, f"{DATA_DIR}/{path}", content=b""))
    return files


def pdf_files(files: Files, config: MkDocsConfig, corpus: Corpus) -> Files:
    """``files`` with the PDFs the pages link to, typeset after the pages are
    written, straight into the site folder: no temporary folder to leave behind."""
    from generator.pdf import pdf_names  # the PDF module is loaded only where PDFs are made

    for name in pdf_names(corpus):
        files.append(File.generated(config, f"pdf/{name}", content=b""))
    return files
