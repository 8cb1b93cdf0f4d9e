"""The `edition` command: one subcommand per pipeline stage, each a thin layer over one library call."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import traceback
from pathlib import Path

import click

from . import commands
from .diagnostics import EditionError
from .xmlsafe import XMLProblem


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False), help="The edition project folder (default: search upwards).")
@click.pass_context
def cli(ctx: click.Context, root: str | None) -> None:
    """Make a digital critical edition: import raw texts to TEI, validate, build HTML and PDF.

    \b
    Example:
      edition validate
    """
    ctx.obj = {"root": root}


# each module of tei_edition.commands defines `command`; its name is the subcommand's
for _info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
    cli.add_command(importlib.import_module(f"{commands.__name__}.{_info.name}").command)


def main() -> None:
    try:
        cli(standalone_mode=False)
    except XMLProblem as exc:
        click.echo(exc.diag.format(), err=True)
        sys.exit(2)
    except EditionError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (click.exceptions.Abort, KeyboardInterrupt):
        sys.exit(130)
    except OSError as exc:      # the disk, not the edition: full, read-only, no permission
        where = f": {str(exc.filename)[:200]}" if exc.filename else ""
        click.echo(f"error: {exc.strerror or exc}{where}", err=True)
        click.echo("  hint: check that the folder is writable, the disk has space and the path exists", err=True)
        sys.exit(2)
    except Exception as exc:    # last resort: a bug of the toolkit, said in one line, never a traceback
        if os.environ.get("EDITION_DEBUG"):
            raise
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        click.echo(f"error: internal error: {type(exc).__name__}: {exc} (at {Path(frame.filename).name}:"
                   f"{frame.lineno} in {frame.name})", err=True)
        click.echo("  hint: this is a bug in the toolkit, not in your files; please report it with this message "
                   "(EDITION_DEBUG=1 shows the traceback)", err=True)
        sys.exit(70)
