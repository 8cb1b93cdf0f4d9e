"""`edition init FOLDER`: a new edition that builds at once."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("init")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--title", help="The edition's title (default: from the folder's name); edit edition.toml later.")
def init_cmd(folder: str, title: str | None) -> None:
    """Start a new edition in FOLDER (new or empty): edition.toml with comments, an empty tei/ and register,
    the toolkit's schema, a README for its editors. It builds at once (`edition build`).

    \b
    Example:
      edition init my-edition
      cd my-edition && edition add ../letters/*.xml && edition build
    """
    from ..start import init
    written = init(Path(folder), title)
    click.echo(f"wrote a new edition in {folder} ({len(written)} files): edit edition.toml, then\n"
               f"  cd {folder}\n  edition add FILE.xml...    (TEI documents from elsewhere)\n"
               "  edition build               (site in build/site, PDFs in build/pdf)")


command = init_cmd
