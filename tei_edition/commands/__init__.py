"""One module per subcommand of `edition`; each exposes a click command named `command` (cli.py adds
every module of this package). What the commands share: reading the project, choosing documents, echoing
a stage's progress."""

from __future__ import annotations

from pathlib import Path

import click

from .. import config as config_mod
from ..config import Config
from ..corpus import Document, documents
from ..diagnostics import EditionError


def echo(message: str) -> None:
    """A progress line of a stage on the terminal (empty lines are not written)."""
    if message:
        click.echo(message)


def load_config(ctx: click.Context) -> Config:
    root = ctx.obj["root"]
    return config_mod.load(Path(root) if root else None)


def select_documents(cfg: Config, ids: tuple[str, ...]) -> list[Document]:
    docs = documents(cfg)
    if not ids:
        return docs
    by_id = {d.id: d for d in docs}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise EditionError(f"unknown document id(s): {', '.join(unknown)}",
                           hint=f"known ids: {', '.join(by_id)} (see edition.toml)")
    return [by_id[i] for i in ids]
