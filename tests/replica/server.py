"""A real HTTP server for a ReplicaSite: ThreadingHTTPServer on 127.0.0.1 in a daemon thread."""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from .site import Response


class Served(Protocol):
    """What the server needs of a site: a ReplicaSite, or a sister site (sister.SisterSite)."""

    def respond(self, target: str) -> Response: ...


def make_server(site: Served, port: int = 0) -> ThreadingHTTPServer:
    """A server answering every request from `site` (port 0: an ephemeral port)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as crawlers expect of a real site
        server_version = "nginx"
        sys_version = ""

        def do_GET(self) -> None:
            self._answer(body=True)

        def do_HEAD(self) -> None:
            self._answer(body=False)

        def _answer(self, *, body: bool) -> None:
            response = site.respond(self.path)
            time.sleep(response.delay)
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if body:
                self.wfile.write(response.body[: response.drop_after])
            if response.drop_after is not None:
                self.close_connection = True  # mid-body: the client is owed the rest

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: tests and benchmarks make thousands of requests."""

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(
            self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
        ) -> None:
            """Quiet when a client gave up on a slow answer (timeouts are tested on purpose)."""
            if not isinstance(sys.exc_info()[1], ConnectionError):
                super().handle_error(request, client_address)

    return Server(("127.0.0.1", port), Handler)


@contextmanager
def serve(site: Served, port: int = 0) -> Iterator[str]:
    """Serve `site` in a daemon thread for the duration of the block; yields the base URL."""
    server = make_server(site, port)
    thread = threading.Thread(
        target=server.serve_forever, args=(0.05,), daemon=True, name="replica-server"
    )  # a short poll interval makes shutdown quick
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
