"""Running the workspace: a socket bound on loopback (or, with
`allow_remote`, the host given), uvicorn serving the app on it, one line
printed with the address to open (token included), and a clean stop on
Ctrl-C or SIGTERM: uvicorn finishes the requests in hand (a save is whole
or not written: `editing.save` renames a complete file into place), then
the run ends with exit status 0.
"""

from __future__ import annotations

import errno
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from policycoord.core.errors import PolicycoordError
from policycoord.serve.security import Secrets, host_with_port, is_loopback
from policycoord.workflows.workspace import Workspace

DEFAULT_HOST = "127.0.0.1"
TERMINATED = 143  # cli.app's exit status for SIGTERM, which stops a server as Ctrl-C does


@dataclass(frozen=True, slots=True)
class Started:
    """What `prepare` made: the bound socket, the app, the address to open."""

    sock: socket.socket
    address: str
    app: object


def check_host(host: str, *, allow_remote: bool) -> str | None:
    """Refuse a host other than loopback unless allowed; the warning to print if allowed."""
    if is_loopback(host):
        return None
    if not allow_remote:
        raise PolicycoordError(
            f"--host {host} would let other computers reach the workspace, which can change "
            "the policy files. It serves this computer only (127.0.0.1) unless you also give "
            "--allow-remote."
        )
    return (
        f"policycoord: warning: serving on {host}: anyone who can reach this computer and "
        "learns the address with its token can read and change the policy files. The "
        "connection is not encrypted (http)."
    )


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: a free one)."""
    if not 0 <= port <= 65535:
        raise PolicycoordError(
            f"--port {port} is not a port: give 1 to 65535, or 0 for any free one."
        )
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise PolicycoordError(
            f"--host {host} is not an address of this computer ({error})."
        ) from None
    family, kind, proto, _, where = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(where)
        sock.listen(128)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise PolicycoordError(
                f"Port {port} is in use by another program: give another with --port, or "
                "--port 0 for any free one."
            ) from None
        raise PolicycoordError(f"Could not listen on {host}:{port}: {error.strerror}.") from None
    return sock


def prepare(directory: Path, *, host: str, port: int) -> Started:
    from policycoord.serve.app import make_app

    workspace = Workspace(directory)
    sock = bind(host, port)
    bound = sock.getsockname()[1]
    secrets_ = Secrets(bound)
    try:
        workspace.check()
        app = make_app(workspace, secrets_, host=host)
    except BaseException:
        sock.close()
        raise
    address = f"http://{host_with_port(host, bound)}/?token={secrets_.token}"
    return Started(sock, address, app)


def serve(started: Started, *, on_ready: Callable[[], None] | None = None) -> None:
    """Serve until Ctrl-C or SIGTERM; returns when stopped. `on_ready` (which
    prints the address) runs inside, so a Ctrl-C at any moment after it is a
    clean stop."""
    try:
        if on_ready is not None:
            on_ready()
        _run(started)
    except KeyboardInterrupt:  # uvicorn raises the Ctrl-C again once it has stopped
        pass
    except SystemExit as stop:  # SIGTERM (cli.app makes it SystemExit(143)): a server's usual stop
        if stop.code != TERMINATED:
            raise
    finally:
        started.sock.close()
    sys.stderr.write("policycoord: stopped.\n")


def _run(started: Started) -> None:
    import uvicorn

    config = uvicorn.Config(
        started.app,  # type: ignore[arg-type]
        log_level="warning",
        access_log=False,
        lifespan="off",
        server_header=False,
        date_header=False,
        timeout_graceful_shutdown=10,
    )
    server = uvicorn.Server(config)
    server.run(sockets=[started.sock])
