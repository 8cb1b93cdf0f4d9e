"""`edition reconcile`: find authority ids (Wikidata, GND, VIAF) for the register, with an editor deciding."""

from __future__ import annotations

from pathlib import Path

import click

from ..cli import load_config
from ..diagnostics import EditionError

KIND_CHOICES = ("person", "org", "place")


@click.group()
def reconcile() -> None:
    """Find authority ids for register entries through a W3C reconciliation service (the OpenRefine protocol).

    `query` sends each entry's name, dates and kind to the service and writes every candidate with its score
    to a review file; an editor marks the right candidates (x in the first column); `apply` writes the
    accepted ids into the register, each with a note of where it came from.

    \b
    Example:
      edition reconcile query --service https://wikidata.reconci.link/en/api --kind person
      edition reconcile apply
    """


@reconcile.command("query")
@click.option("--service", "url", required=True, help="The service's endpoint (its manifest is served there).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KIND_CHOICES),
              help="Only entries of this kind (repeatable; default: all).")
@click.option("--entry", "entries", multiple=True, help="Only this register entry (repeatable), e.g. pers-lenin.")
@click.option("--missing/--all", default=True,
              help="Only entries without an id of the service's kind (default), or all.")
@click.option("--limit", default=3, show_default=True, type=click.IntRange(1, 50), help="Candidates per entry.")
@click.option("--review", "review", type=click.Path(dir_okay=False), default="reconcile-review.tsv",
              show_default=True, help="The review file to write (relative to the project folder).")
@click.pass_context
def query_command(ctx: click.Context, url: str, kinds: tuple[str, ...], entries: tuple[str, ...], missing: bool,
                  limit: int, review: str) -> None:
    """Ask the service for candidates and write them to the review file.

    \b
    Example:
      edition reconcile query --service https://lobid.org/gnd/reconcile --entry pers-lenin
    """
    from .. import reconcile as rec
    from ..corpus import register_paths
    cfg = load_config(ctx)
    service = rec.connect(url)
    items = rec.register_items(register_paths(cfg), set(kinds or KIND_CHOICES), set(entries) if entries else None)
    if entries:
        unknown = sorted(set(entries) - {i.id for i in items})
        if unknown:
            raise EditionError(f"no register entry {', '.join(unknown)}", hint="ids look like pers-lenin, org-cheka")
    if missing and service.idno_type:
        have = _with_id(register_paths(cfg), service.idno_type)
        items = [i for i in items if i.id not in have]
    rows = rec.query(service, items, limit)
    out = _path(cfg.root, review)
    rec.write_review(rows, out, service)
    found = len({r["entry"] for r in rows if r["candidate"]})
    click.echo(f"{service.name}: {len(items)} entries asked, {found} with candidates, {len(rows)} rows → {out}")


@reconcile.command("apply")
@click.option("--review", "review", type=click.Path(dir_okay=False), default="reconcile-review.tsv",
              show_default=True, help="The review file whose accepted rows are written.")
@click.pass_context
def apply_command(ctx: click.Context, review: str) -> None:
    """Write the accepted candidates of the review file into the register.

    \b
    Example:
      edition reconcile apply --review reconcile-review.tsv
    """
    from .. import reconcile as rec
    from ..corpus import register_paths
    cfg = load_config(ctx)
    path = _path(cfg.root, review)
    decisions = rec.accepted(rec.read_review(path), path)
    if not decisions:
        click.echo(f"{path}: no row accepted (mark the right candidates with x in the accept column)")
        return
    for line in rec.apply(register_paths(cfg), decisions):
        click.echo(line)


def _path(root: Path, name: str) -> Path:
    p = Path(name)
    return p if p.is_absolute() else root / p


def _with_id(paths: list[Path], idno_type: str) -> set[str]:
    from .. import TEI_NS, XML_NS
    from ..xmlsafe import parse_file
    out = set()
    for path in paths:
        for idno in parse_file(path).getroot().iter("{%s}idno" % TEI_NS):
            if idno.get("type") == idno_type:
                entry = idno.getparent()
                out.add(entry.get("{%s}id" % XML_NS))
    return out


command = reconcile
