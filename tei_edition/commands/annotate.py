"""`edition annotate`: link names to the register, tag dates, encode corrections — in place."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from . import load_config, select_documents


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


@click.command("annotate")
@click.argument("ids", nargs=-1)
@click.option("--dry-run", is_flag=True, help="Annotate in memory and print the figures; write nothing.")
@click.option("--check", is_flag=True,
              help="Write nothing; print the review lists (untagged capitalised names, uncertain links, "
                   "dates without a year, corrections).")
@click.option("--sample", "sample_path", type=click.Path(dir_okay=False),
              help="Hand-checked sample of mentions (default: tests/data/mentions_sample.tsv if present).")
@click.pass_context
def annotate(ctx: click.Context, ids: tuple[str, ...], dry_run: bool, check: bool, sample_path: str | None) -> None:
    """Link persons, organisations and places to the register, tag dates, encode corrections.

    Rewrites each TEI document in place (atomically), only wrapping existing text, so the
    fidelity proof keeps holding (it is re-checked before writing). Running it again changes
    nothing. Prints figures per document and, against the hand-checked sample, recall and
    precision of the links.

    \b
    Example:
      edition annotate d002 --dry-run
      edition annotate --check
    """
    from ..annotate import annotate_document, evaluate, register
    from ..annotate.report import document_figures, impossible_dates, review_lists
    from ..corpus import register_paths
    from ..diagnostics import EditionError
    from ..validate.gate import require_valid

    cfg = load_config(ctx)
    if not register_paths(cfg):
        raise EditionError(f"{cfg.tei_dir / 'register'}: no register files (persons.xml, organisations.xml, "
                           "places.xml)", hint="the annotator links names to the register: restore tei/register/ "
                           "from version control, or create it (see docs/internals.md, 'Register and annotation')")
    reg = register.load(register_paths(cfg))
    counts = reg.counts()
    click.echo(f"register: {counts.get('person', 0)} persons, {counts.get('org', 0)} organisations, "
               f"{counts.get('place', 0)} places")
    trees = {}
    status = 0
    selected = select_documents(cfg, ids)
    require_valid(cfg, [d.tei_path for d in selected if d.tei_path.exists()], "nothing annotated")
    for doc in selected:
        if not doc.tei_path.exists():
            click.echo(f"{doc.id}: no TEI yet ({doc.tei_path}); skipped")
            continue
        original = doc.tei_path.read_bytes()
        data, root, result = annotate_document(original, reg, doc.id, str(doc.tei_path))
        changed = data != original
        trees[doc.id] = root
        click.echo(document_figures(result, changed))
        for warning in impossible_dates(result, str(doc.tei_path)):
            click.echo(warning)
        if check:
            click.echo(review_lists(result))
        elif changed and not dry_run:
            _write_atomically(doc.tei_path, data)
            click.echo(f"wrote {doc.tei_path}")
    path = Path(sample_path) if sample_path else cfg.root / "tests" / "data" / "mentions_sample.tsv"
    if path.exists() and trees:
        s = evaluate.score(evaluate.load_sample(path), trees)
        if s.expected:
            click.echo(f"sample ({path.name}): recall {s.correct}/{s.expected} = {100 * s.recall:.1f}%, "
                       f"precision {s.tagged - len(s.false)}/{s.tagged} = {100 * s.precision:.1f}%")
            for m in s.misses[:40]:
                click.echo(f"  missed: {m}")
            for m in s.false[:40]:
                click.echo(f"  wrong:  {m}")
    sys.exit(status)


command = annotate
