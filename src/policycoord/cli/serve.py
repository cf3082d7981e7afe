"""`serve`: the browser workspace (`policycoord.serve`) on this computer."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

FolderArg = Annotated[
    Path,
    typer.Argument(
        help="A folder of the policy repository (its partnership.yaml is found as check "
        "finds it). Default: the current folder.",
        metavar="DIR",
        show_default=False,
    ),
]
PortOpt = Annotated[
    int,
    typer.Option(
        "--port",
        help="The port to listen on. Default: any free port (0).",
        metavar="N",
        show_default=False,
    ),
]
HostOpt = Annotated[
    str,
    typer.Option(
        "--host",
        help="The address to listen on. Default: 127.0.0.1, this computer only; any other "
        "needs --allow-remote.",
        metavar="ADDRESS",
        show_default=False,
    ),
]
AllowRemoteOpt = Annotated[
    bool,
    typer.Option(
        "--allow-remote",
        help="Allow a --host that other computers can reach (not encrypted: for trusted "
        "networks only).",
    ),
]
OpenOpt = Annotated[bool, typer.Option("--open", help="Open the workspace in the web browser.")]


def serve(
    directory: FolderArg = Path("."),
    port: PortOpt = 0,
    host: HostOpt = "127.0.0.1",
    allow_remote: AllowRemoteOpt = False,
    open_browser: OpenOpt = False,
) -> None:
    """Open the partnership's policies in a web browser: read them, follow each
    finding to the field behind it, change it through a form and see the
    finding go. Prints the address to open; Ctrl-C stops it."""
    from policycoord.serve import server

    warning = server.check_host(host, allow_remote=allow_remote)
    if warning is not None:
        sys.stderr.write(warning + "\n")
    started = server.prepare(directory, host=host, port=port)

    def ready() -> None:
        sys.stdout.write(started.address + "\n")
        sys.stdout.flush()
        if open_browser:
            import webbrowser

            webbrowser.open(started.address)

    server.serve(started, on_ready=ready)
