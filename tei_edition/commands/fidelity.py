"""`edition fidelity`: prove the TEI accounts for every source character."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import load_config, select_documents
from ..diagnostics import EditionError
from ..xmlsafe import XMLProblem

@click.command()
@click.argument("ids", nargs=-1)
@click.option("--write", "write_dir", type=click.Path(file_okay=False),
              help="Also write each regenerated source text into this folder.")
@click.pass_context
def fidelity(ctx: click.Context, ids: tuple[str, ...], write_dir: str | None) -> None:
    """Prove that the TEI accounts for every character of the sources.

    Regenerates each source text from its TEI (original lines, hyphens, notes, residue) and
    compares it with sources/; prints the share of characters accounted for and the first
    divergences by source line and TEI line. Exit status 1 unless all are 100%.

    \b
    Example:
      edition fidelity d002
    """
    from ..fidelity import compare, render_source, source_lines
    cfg = load_config(ctx)
    failed = False
    for doc in select_documents(cfg, ids):
        if not doc.tei_path.exists():
            click.echo(f"{doc.id}: no TEI yet ({doc.tei_path})")
            failed = True
            continue
        if not doc.has_source:      # a TEI document added from elsewhere: no witness to hold it to
            click.echo(f"{doc.id}: no raw source (added TEI): nothing to compare")
            continue
        try:
            rep = compare(doc.id, doc.tei_path, doc.source_path)
        except (XMLProblem, EditionError) as exc:    # this document cannot be compared; go on with the others
            click.echo(f"{doc.id}: cannot compare\n  " + str(exc).replace("\n", "\n  "), err=True)
            failed = True
            continue
        click.echo(f"{doc.id}: {rep.matched_chars}/{rep.source_chars} characters ({rep.percent:.2f}%)"
                   f"{'' if rep.ok else ' — DIVERGES'}")
        for d in rep.divergences:
            click.echo(f"  {d}")
        failed |= not rep.ok
        if write_dir:
            out = Path(write_dir) / f"{doc.id}.txt"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(render_source(doc.tei_path, len(source_lines(doc.source_path))), encoding="utf-8")
    sys.exit(1 if failed else 0)


command = fidelity
