"""The preview server of `edition serve`: build/site over HTTP on the loopback interface only."""

from __future__ import annotations

import functools
import http.server
from pathlib import Path

HOST = "127.0.0.1"  # loopback only, and no option to change it: the preview is for this machine, not a network


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        if args and str(args[1]).startswith(("4", "5")):
            super().log_message(format, *args)


def make_server(site: Path, port: int) -> http.server.ThreadingHTTPServer:
    """The preview server for `site`, bound to the loopback interface (port 0: any free port)."""
    return http.server.ThreadingHTTPServer((HOST, port), functools.partial(QuietHandler, directory=str(site)))
