"""`edition build`: the whole edition (validated, rendered once) into build/site and build/pdf."""

from __future__ import annotations

import click

from . import echo, load_config


@click.command()
@click.option("--no-search", is_flag=True, help="Skip the search index (faster; the search page finds nothing).")
@click.option("--interface", metavar="LANG",
              help="Language of the interface: templates/i18n/LANG.toml (default: the apparatus language, else en).")
@click.option("--no-pdf", is_flag=True, help="Skip the print edition (build/pdf stays as it is; faster).")
@click.option("--no-wait", is_flag=True,
              help="Fail at once if another build of this project is running (default: wait for it).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run the per-document work on a Dask cluster (e.g. tcp://host:8786; default: edition.toml's "
                   "[build] scheduler, else this machine's cores). The output is the same.")
@click.pass_context
def build(ctx: click.Context, no_search: bool, interface: str | None, no_pdf: bool, no_wait: bool,
          scheduler: str | None) -> None:
    """Build the edition: the reading site into build/site, the print edition into build/pdf.

    Validates the edition first (an invalid document is not published; `edition validate` lists the
    problems), then renders every document whose TEI exists (missing ones are listed, not fatal) with the
    XSLT once, splits long texts into pages, writes register, chronology, search, downloads and home pages,
    indexes the site for search, and typesets the print edition into build/pdf (edition pdf). The new site
    and PDFs replace the previous ones only when everything succeeded: a failed or interrupted build
    leaves them intact. One build of a project at a time: a second one waits for the first (lock file
    .cache/build.lock) and says so, or with --no-wait stops with an error.

    \b
    Example:
      edition build
      edition build --no-pdf --no-search   # the HTML only, quickly
      edition build --scheduler tcp://scheduler-host:8786   # on a Dask cluster
    """
    from ..build import build as build_site   # loaded when it runs: `edition --help` loads no WeasyPrint
    res = build_site(load_config(ctx), search=not no_search, interface=interface, pdf=not no_pdf,
                     wait=not no_wait, log=echo, scheduler=scheduler)
    click.echo(f"built {res.site}: {len(res.documents)} document(s) ({', '.join(res.documents)}), "
               f"{res.pages} reading page(s), {res.register_entries} register entries, "
               f"{res.dated_mentions} dated mentions in {res.seconds:.1f} s")
    if res.missing:
        click.echo(f"not yet in the edition (no TEI file): {', '.join(res.missing)}")


command = build
