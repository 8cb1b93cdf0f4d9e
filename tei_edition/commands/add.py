"""`edition add FILE…`: TEI documents encoded elsewhere, taken into the edition as they are."""

from __future__ import annotations

from pathlib import Path

import click

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
    for done in add(cfg, [Path(f) for f in files], lang):
        said = f" (set {', '.join(done.changes)})" if done.changes else ""
        click.echo(f"added {done.id}: {done.path}{said}")
    click.echo("next: edition validate (TEI P5; what lies outside the edition's profile is listed as warnings), "
               "then edition build")


command = add_cmd
