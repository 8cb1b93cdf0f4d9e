"""`edition validate`: the project schema, the edition-wide checks, and optionally tei_all."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from . import load_config


@click.command()
@click.argument("files", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one object with counts and every diagnostic, for tools.")
@click.option("--tei-all", is_flag=True, help="Also check TEI conformance against the official tei_all.rng (jing).")
@click.option("--quiet", is_flag=True, help="Print only the summary line (text format).")
@click.pass_context
def validate(ctx: click.Context, files: tuple[str, ...], fmt: str, tei_all: bool, quiet: bool) -> None:
    """Validate TEI files: every problem, as path:line:col: severity: message [rule].

    FILES are TEI files or document ids from edition.toml (default: the whole edition, documents and
    register). Checks well-formedness, the project schema (tei/schema/edition.odd: RELAX NG and
    Schematron), and edition-wide rules: unique ids, pointers that resolve, notes and their calls, ISO
    dates, declared calendars and languages, no empty names. Exit status 1 if there is any error.

    \b
    Examples:
      edition validate
      edition validate tei/d002.xml --format json
      edition validate d001 --tei-all
    """
    from ..diagnostics import summary, to_json
    from ..validate import validate as run
    cfg = load_config(ctx)
    ids = {d.id: d.tei for d in cfg.documents}
    paths = [cfg.tei_dir / ids[f] if f in ids and not Path(f).exists() else Path(f) for f in files]
    started = time.perf_counter()
    report = run(cfg, paths or None, tei_all=tei_all)
    elapsed = time.perf_counter() - started
    if fmt == "json":
        click.echo(to_json(report.diagnostics, report.files))
    else:
        if not quiet:
            for d in report.diagnostics:
                click.echo(d.format())
        click.echo(f"{summary(report.diagnostics, report.files)} in {elapsed:.2f} s")
    sys.exit(1 if report.errors else 0)


command = validate
