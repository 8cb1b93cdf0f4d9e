"""`edition synthetic`: a synthetic edition N times the real one, for measuring how the build scales."""

from __future__ import annotations

from pathlib import Path

import click

from . import load_config


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--factor", default=10, show_default=True, help="Copies of each document (1–199).")
@click.pass_context
def synthetic(ctx: click.Context, folder: Path, factor: int) -> None:
    """Write into FOLDER an edition FACTOR times this one, with its own edition.toml.

    Every document is copied FACTOR times with new ids (copy k of dJ is d(5k+J), every id and pointer
    renamed), the register is shared, so register pages grow as in a large edition. Build it with
    `edition --root FOLDER build`. The real project is not changed.

    \b
    Example:
      edition synthetic /tmp/edition-x10 --factor 10
    """
    from ..synthetic import make_synthetic
    made = make_synthetic(load_config(ctx), folder, factor)
    click.echo(f"wrote {made.root}: {made.documents} documents, {made.tei_bytes / 1e6:.1f} MB of TEI")


command = synthetic
