"""`edition pdf`: the print edition into build/pdf (also part of `edition build`)."""

from __future__ import annotations

from pathlib import Path

import click

from . import echo, load_config


@click.command()
@click.argument("ids", nargs=-1)
@click.option("--no-book", is_flag=True, help="Only the per-document PDFs, not the whole edition as one book.")
@click.option("--no-pdfa", is_flag=True, help="Skip the PDF/A-3a twins with the TEI attached (build/pdf/pdfa/).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Folder for the PDFs (default build/pdf).")
@click.option("--jobs", type=int, help="Worker processes (default: every core; EDITION_JOBS=1 for serial).")
@click.option("--no-wait", is_flag=True,
              help="Fail at once if another build of this project is running (default: wait for it).")
@click.pass_context
def pdf(ctx: click.Context, ids: tuple[str, ...], no_book: bool, no_pdfa: bool, out: Path | None,
        jobs: int | None, no_wait: bool) -> None:
    """Typeset the print edition with WeasyPrint.

    One PDF per document (IDS, default all whose TEI exists) and the whole edition as one book
    (edition.pdf, made only when no IDS or all of them are given: the book of some documents would
    replace the whole edition's), from the same XSLT output as the web edition: title page and imprint, contents,
    footnotes with the source's numbering, source page numbers in the margin, index of names.
    Each PDF tagged for accessibility (PDF/UA-1), and also as PDF/A-3a with its TEI attached.
    Fails if a note is missing from a PDF's text.
    The PDFs are written into a folder beside the output and swapped in when all are made (the other
    PDFs kept when only some are asked for), so a failed or interrupted run leaves the previous ones;
    like edition build, it waits for another build of the project to finish.

    \b
    Example:
      edition pdf d002 --no-book
    """
    from ..build import build_print   # loaded when it runs: `edition --help` loads no WeasyPrint
    build_print(load_config(ctx), list(ids) or None, out=out, with_book=not no_book, pdfa=not no_pdfa, jobs=jobs,
                wait=not no_wait, log=echo)


command = pdf
