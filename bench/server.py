"""The benchmark's replica server: asyncio on 127.0.0.1, each answer sent in one write.

The tests' ThreadingHTTPServer writes the headers and the body separately; with Nagle's algorithm
and delayed ACKs every response then waits ~40 ms, which caps 16 connections near 360 requests/s
(measured by `python -m bench.server_bench`). Here the whole answer is one write on a TCP_NODELAY
socket (asyncio's default), and pages come from the ReplicaSite's own cache via `site.respond`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus

from tests.replica import ReplicaSite, Response

MAX_HEADER_BYTES = 64 * 1024


def head(response: Response) -> bytes:
    """Status line and headers of an HTTP/1.1 keep-alive answer."""
    lines = [
        f"HTTP/1.1 {response.status} {HTTPStatus(response.status).phrase}",
        "Server: nginx",
        f"Content-Type: {response.content_type}",
        f"Content-Length: {len(response.body)}",
        *(f"{name}: {value}" for name, value in response.headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _handle(
    site: ReplicaSite, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    try:
        while True:
            try:
                request = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                break
            request_line, *header_lines = request.decode("latin-1").split("\r\n")
            method, target, _version = request_line.split(" ", 2)
            response = site.respond(target)
            writer.write(head(response) + (response.body if method != "HEAD" else b""))
            await writer.drain()
            if any(line.lower() == "connection: close" for line in header_lines):
                break
    finally:
        writer.close()


@contextmanager
def serve_fast(site: ReplicaSite) -> Iterator[str]:
    """Serve `site` from an event loop in a daemon thread for the block; yields the base URL."""
    loop = asyncio.new_event_loop()

    async def start() -> asyncio.Server:
        return await asyncio.start_server(
            lambda r, w: _handle(site, r, w), "127.0.0.1", 0, limit=MAX_HEADER_BYTES, backlog=128
        )

    thread = threading.Thread(target=loop.run_forever, daemon=True, name="bench-replica-server")
    thread.start()
    server = asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        server.close()
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
