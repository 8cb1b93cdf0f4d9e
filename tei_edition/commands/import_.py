"""`edition import`: raw source text to TEI."""

from __future__ import annotations

import sys

import click

from . import load_config, select_documents
from ..diagnostics import EditionError
from ..xmlsafe import XMLProblem

@click.command("import")
@click.argument("ids", nargs=-1)
@click.option("--force", is_flag=True, help="Overwrite curated TEI files (a diff is shown first).")
@click.option("--quiet", is_flag=True, help="Do not print the reports.")
@click.pass_context
def import_cmd(ctx: click.Context, ids: tuple[str, ...], force: bool, quiet: bool) -> None:
    """Convert raw source texts into TEI documents, with a report per document.

    IDS are document ids from edition.toml (default: all). An existing TEI file is not
    replaced unless --force is given; without it, the differences are printed.

    \b
    Example:
      edition import d002 --force
    """
    from ..importer import import_document
    cfg = load_config(ctx)
    status = 0
    for doc in select_documents(cfg, ids):
        if not doc.has_source:      # added from elsewhere (edition add): its TEI is the document
            if ids:
                click.echo(f"{doc.id}: no raw source in edition.toml (a TEI document added from elsewhere): "
                           "nothing to import", err=True)
                status = max(status, 1)
            continue
        try:
            res = import_document(cfg, doc, force=force)
        except (XMLProblem, EditionError) as exc:    # this document cannot be imported; go on with the others
            click.echo(f"{doc.id}: not imported\n  " + str(exc).replace("\n", "\n  "), err=True)
            status = 2
            continue
        if not quiet:
            click.echo(res.report)
        if res.written:
            click.echo(f"wrote {doc.tei_path}")
        elif res.diff:
            click.echo(res.diff)
            click.echo(f"{doc.tei_path}: curated file differs from the import; not overwritten (use --force)")
            status = max(status, 1)
        else:
            click.echo(f"{doc.tei_path}: unchanged")
    sys.exit(status)


command = import_cmd
