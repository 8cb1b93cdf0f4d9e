"""`edition schema`: compile the ODD into the RELAX NG, the Schematron and the encoding guidelines."""

from __future__ import annotations

import sys

import click

from ..cli import load_config


@click.command()
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if a committed file differs from the ODD.")
@click.pass_context
def schema(ctx: click.Context, check: bool) -> None:
    """Compile tei/schema/edition.odd into edition.compiled.odd, edition.rng, edition.sch and
    docs/encoding-guidelines.md.

    The ODD is the single source: edit it, then run this command. The TEI's own ODD processor (the TEI
    Stylesheets' odd2odd, in vendor/tei) writes the compiled ODD; the RELAX NG, the Schematron and the
    guidelines are made from that. `edition validate` reads the compiled ODD, or compiles the ODD itself
    when the committed one is stale, so the files written here serve other tools (oXygen, jing) and readers.

    \b
    Example:
      edition schema --check
    """
    from ..schema import artefact_paths, compile_all, load_odd, odd_path
    cfg = load_config(ctx)
    built = compile_all(load_odd(odd_path(cfg.root)))
    contents = {"compiled": built.compiled, "rng": built.rng, "sch": built.sch,
                "guidelines": built.guidelines.encode("utf-8")}
    stale = []
    for kind, path in artefact_paths(cfg.root).items():
        current = path.read_bytes() if path.exists() else None
        if current == contents[kind]:
            continue
        stale.append(path)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(contents[kind])
            click.echo(f"wrote {path.relative_to(cfg.root)}")
    if check and stale:
        for path in stale:
            click.echo(f"{path.relative_to(cfg.root)}: differs from what tei/schema/edition.odd gives", err=True)
        click.echo("run `edition schema` and commit the result", err=True)
        sys.exit(1)
    if not stale:
        click.echo("schema files are up to date")


command = schema
