"""Local ports, bound to 127.0.0.1 only: nobody else on the machine or the network reaches a forward.

The socket that found a port free is the one that listens on it, so no other process can take the
port between the check and the use.
"""

from __future__ import annotations

import errno
import socket

from core.errors import NetworkError

LOOPBACK = "127.0.0.1"
SEARCH = 50  # ports tried after a busy one


def _socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # Closed connections of an earlier run (TIME_WAIT) must not keep a tunnel off its own port;
    # on Linux this never lets two sockets listen on one port.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return sock


def listen_on(port: int, search: int = SEARCH) -> socket.socket:
    """A listening socket on the port asked for, or the next free one above it."""
    last: OSError | None = None
    for candidate in range(port, min(port + search, 65535) + 1):
        sock = _socket()
        try:
            sock.bind((LOOPBACK, candidate))
            sock.listen(64)
            return sock
        except OSError as exc:
            sock.close()
            if exc.errno not in (errno.EADDRINUSE, errno.EACCES):
                raise NetworkError(f"cannot listen on {LOOPBACK}:{candidate}: {exc.strerror or exc}") from exc
            last = exc
    raise NetworkError(f"no free local port from {port} to {port + search} on {LOOPBACK} ({last})",
                       hint="choose another port with --prefect-port / --marquez-port")


def listen_again(port: int) -> socket.socket:
    """The exact port a tunnel had before (a restart keeps its ports), else a clear error."""
    sock = _socket()
    try:
        sock.bind((LOOPBACK, port))
        sock.listen(64)
        return sock
    except OSError as exc:
        sock.close()
        raise NetworkError(f"local port {port} is taken: {exc.strerror or exc}") from exc


def free_port() -> int:
    """A port nobody listens on now (for tests and benchmarks)."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]
