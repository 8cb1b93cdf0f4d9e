"""`edition add FILE…`: TEI documents encoded elsewhere, taken into the edition as they are."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..diagnostics import EditionError
from . import load_config


@click.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--lang", help="xml:lang to set on a document's root that has none (default: the one language its "
                             "header declares).")
@click.pass_context
def add_cmd(ctx: click.Context, files: tuple[str, ...], lang: str | None) -> None:
    """Add existing TEI documents to the edition: each is copied into tei/ and listed in edition.toml with
    conformance = "tei" (validated against TEI P5 and what the toolkit needs; no raw source needed).
    Only the root's xml:id (the document's id) and, if missing, its xml:lang are set.

    \b
    Example:
      edition add ../letters/letter-01.xml ../letters/letter-02.xml
    """
    from ..start import add
    cfg = load_config(ctx)
    refused: list[EditionError] = []
    for done in add(cfg, [Path(f) for f in files], lang, refused):
        said = f" (set {', '.join(done.changes)})" if done.changes else ""
        click.echo(f"added {done.id}: {done.path}{said}")
    if len(refused) == len(files):
        raise refused[0] if len(refused) == 1 else EditionError(
            f"none of the {len(files)} files is a TEI document that can be added:\n"
            + "\n".join(str(exc) for exc in refused))
    for exc in refused:         # the others are added: each refused one said, and the exit status is 1
        click.echo(f"not added: {exc}", err=True)
    click.echo("next: edition validate (TEI P5; what lies outside the edition's profile is listed as warnings), "
               "then edition build")
    if refused:
        sys.exit(1)


command = add_cmd
