"""`edition annotate`: link names to the register, tag dates, encode corrections and citations — in place."""

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
@click.option("--evaluate", "evaluate_only", is_flag=True,
              help="Write nothing, change nothing: score the TEI as it is against the hand-read samples "
                   "(names: recall, precision, same-surname cases, names the register lacks; dates: right, "
                   "wrong, missed).")
@click.option("--names-sample", type=click.Path(dir_okay=False),
              help="The names sample (default: tests/data/names_sample.tsv).")
@click.option("--dates-sample", type=click.Path(dir_okay=False),
              help="The dates sample (default: tests/data/dates_sample.tsv).")
@click.pass_context
def annotate(ctx: click.Context, ids: tuple[str, ...], dry_run: bool, check: bool, evaluate_only: bool,
             names_sample: str | None, dates_sample: str | None) -> None:
    """Link persons, organisations and places to the register, tag dates, encode corrections.

    Rewrites each TEI document in place (atomically), only wrapping existing text, so the
    fidelity proof keeps holding (it is re-checked before writing). Running it again changes
    nothing. Prints figures per document and, against the hand-read evaluation samples
    (tests/data/names_sample.tsv, dates_sample.tsv), names recall and precision and dates right;
    --evaluate prints them in full for the TEI as it is, without annotating.

    \b
    Example:
      edition annotate d002 --dry-run
      edition annotate --check
      edition annotate --evaluate d000 d003
    """
    from .. import citing
    from ..annotate import annotate_document, register
    from ..annotate.abbreviations import read_forms
    from ..annotate.citation_parts import read_entries
    from ..annotate.events import read_spans
    from ..annotate.report import document_figures, impossible_dates, review_lists
    from ..corpus import register_paths
    from ..diagnostics import EditionError
    from ..validate.gate import require_valid

    cfg = load_config(ctx)
    samples = (Path(names_sample) if names_sample else cfg.root / "tests" / "data" / "names_sample.tsv",
               Path(dates_sample) if dates_sample else cfg.root / "tests" / "data" / "dates_sample.tsv")
    if evaluate_only:
        _evaluate(cfg, select_documents(cfg, ids), *samples)
        return
    if not register_paths(cfg):
        raise EditionError(f"{cfg.tei_dir / 'register'}: no register files (persons.xml, organisations.xml, "
                           "places.xml)", hint="the annotator links names to the register: restore tei/register/ "
                           "from version control, or create it (see docs/internals.md, 'Register and annotation')")
    reg = register.load(register_paths(cfg))
    counts = reg.counts()
    click.echo(f"register: {counts.get('person', 0)} persons, {counts.get('org', 0)} organisations, "
               f"{counts.get('place', 0)} places")
    cited = citing.read(citing.citations_path(cfg))      # the citations to encode (tei/register/citations.tsv)
    spans = read_spans(cfg.tei_dir / "register" / "events.xml")   # the chronology's events, for dated passages
    forms = read_forms(cfg.tei_dir / "register" / "abbreviations.xml")   # the abbreviations, for their occurrences
    works = read_entries(cfg.tei_dir / "register" / "bibliography.xml")   # the works cited, for the citations' parts
    trees = {}
    status = 0
    selected = select_documents(cfg, ids)
    require_valid(cfg, [d.tei_path for d in selected if d.tei_path.exists()], "nothing annotated")
    for doc in selected:
        if not doc.tei_path.exists():
            click.echo(f"{doc.id}: no TEI yet ({doc.tei_path}); skipped")
            continue
        original = doc.tei_path.read_bytes()
        data, root, result = annotate_document(original, reg, doc.id, str(doc.tei_path),
                                               citations=[c for c in cited if c.doc_id == doc.id], events=spans,
                                               abbreviations=forms, works=works)
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
    if trees and not check:
        _print_scores(trees, *samples, detail=False)
    sys.exit(status)


def _print_scores(trees: dict, names_path: Path, dates_path: Path, detail: bool) -> None:
    from ..annotate import evaluate
    if names_path.exists():
        click.echo("\n".join(evaluate.names_report(
            evaluate.score_names(evaluate.load_names(names_path), trees), detail)))
    if dates_path.exists():
        click.echo("\n".join(evaluate.dates_report(
            evaluate.score_dates(evaluate.load_dates(dates_path), trees), detail)))


def _evaluate(cfg, selected, names_path: Path, dates_path: Path) -> None:
    """Score the TEI as it stands (nothing annotated, nothing written)."""
    from ..diagnostics import EditionError
    from ..xmlsafe import parse_file

    for path, what in ((names_path, "names"), (dates_path, "dates")):
        if not path.exists():
            raise EditionError(f"{path}: no {what} sample", hint="give it with --names-sample/--dates-sample, or "
                               "restore tests/data/ (see docs/internals.md, 'Evaluation')")
    trees = {d.id: parse_file(d.tei_path).getroot() for d in selected if d.tei_path.exists()}
    if not trees:
        raise EditionError("no TEI documents to evaluate", hint="run edition import first")
    _print_scores(trees, names_path, dates_path, detail=True)


command = annotate
