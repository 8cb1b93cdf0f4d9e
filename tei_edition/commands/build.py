"""`edition build`: the reading edition into build/site."""

from __future__ import annotations

import click

from ..cli import load_config


@click.command()
@click.option("--no-search", is_flag=True, help="Skip the search index (faster; the search page finds nothing).")
@click.option("--interface", metavar="LANG",
              help="Language of the interface: templates/i18n/LANG.toml (default: the apparatus language, else en).")
@click.pass_context
def build(ctx: click.Context, no_search: bool, interface: str | None) -> None:
    """Build the HTML reading edition into build/site.

    Renders every document whose TEI exists (missing ones are listed, not fatal) with the XSLT,
    splits long texts into pages, writes register, chronology, search, downloads and home pages,
    and indexes the site for search. The previous site stays in place if anything fails.

    \b
    Example:
      edition build
    """
    from ..build import build as build_site
    cfg = load_config(ctx)
    res = build_site(cfg, search=not no_search, interface=interface, log=lambda m: m and click.echo(m))
    click.echo(f"built {res.site}: {len(res.documents)} document(s) ({', '.join(res.documents)}), "
               f"{res.pages} reading page(s), {res.register_entries} register entries, "
               f"{res.dated_mentions} dated mentions in {res.seconds:.1f} s")
    if res.missing:
        click.echo(f"not yet in the edition (no TEI file): {', '.join(res.missing)}")


command = build
