"""A total deadline on every socket operation of a request, whatever the server does.

httpx's timeouts bound each operation alone: a read timeout starts again with every byte, so a server that
sends its status line and headers one byte at a time, each just within the timeout, holds a request for
as long as it likes (hours for 16 KB of headers). Here every connect, read and write of a connection gets
at most the time left before the deadline of the request it serves, and fails at once (httpx's
ReadTimeout) when none is left: no request outlives its deadline by more than one operation's time.

The deadline belongs to the thread that sends the request (`deadline(at)`, a context manager); the
transports' network backend is wrapped (`bound_transport`) so that it applies to every connection the
client opens, through a proxy too.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpcore

_local = threading.local()


@contextmanager
def deadline(at: float | None) -> Iterator[None]:
    """Socket operations of this thread end by `at` (time.monotonic()); None: no deadline."""
    before = getattr(_local, "at", None)
    _local.at = at
    try:
        yield
    finally:
        _local.at = before


def set_deadline(at: float | None) -> None:
    """Move the current deadline (within `deadline(...)`): e.g. from the answer's headers to its body."""
    _local.at = at


def _left(timeout: float | None) -> float | None:
    at = getattr(_local, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the request's total deadline has passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _left(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, _left(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend):
        self._inner = inner

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        return _Stream(self._inner.connect_tcp(host, port, _left(timeout), local_address, socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:
        return _Stream(self._inner.connect_unix_socket(path, _left(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def bound_transport(transport: Any) -> bool:
    """Wrap the network backend of an httpx transport (HTTPTransport, or a subclass) so that deadlines
    hold on its connections. httpx builds its connection pool without a way to pass a backend, so the
    pool's is replaced before any connection is made. False when the transport has no such pool (a
    mock transport makes no connections)."""
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if backend is None:
        return False
    if not isinstance(backend, _Backend):
        pool._network_backend = _Backend(backend)
    return True
