"""`edition serve`: preview the reading edition on 127.0.0.1, rebuilding when a source changes."""

from __future__ import annotations

import threading
import time

import click

from . import load_config
from ..diagnostics import EditionError
from ..serve.server import HOST, make_server
from ..serve.watch import watch
from ..xmlsafe import XMLProblem


@click.command()
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option("--no-search", is_flag=True, help="Skip the search index on rebuilds (faster).")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between checks for changes.")
@click.option("--pdf", is_flag=True, help="Typeset the print edition on every rebuild too (slow; off by default).")
@click.pass_context
def serve(ctx: click.Context, port: int, no_search: bool, interval: float, pdf: bool) -> None:
    """Preview the reading edition at http://127.0.0.1:PORT/ and rebuild on change.

    Builds once (after validating, as `edition build` does), serves build/site on the loopback interface only
    (there is no option to serve on another address), and rebuilds whenever a file in
    tei/, templates/, xslt/ or edition.toml changes; a failed rebuild is reported and the previous
    site keeps being served. The print edition is left as it is unless --pdf is given. Stop with Ctrl-C.

    \b
    Example:
      edition serve --port 8001
    """
    from ..build import build as build_site   # loaded when it runs: `edition --help` loads no WeasyPrint
    cfg = load_config(ctx)

    def rebuild() -> None:
        started = time.perf_counter()
        try:
            res = build_site(cfg, search=not no_search, pdf=pdf)   # validated first, as `edition build`
        except (EditionError, XMLProblem) as exc:
            click.echo(f"build failed, still serving the previous site:\n{exc}", err=True)
            return
        click.echo(f"rebuilt {len(res.documents)} document(s) in {time.perf_counter() - started:.1f} s")

    rebuild()
    site = cfg.build_dir / "site"
    if not site.is_dir():
        raise EditionError(f"{site}: no site to serve", hint="fix the errors above and run `edition build`")
    server = make_server(site, port)
    stop = threading.Event()
    threading.Thread(target=watch, args=(cfg.root, rebuild, interval, stop), daemon=True).start()
    click.echo(f"serving {site} at http://{HOST}:{server.server_address[1]}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()


command = serve
