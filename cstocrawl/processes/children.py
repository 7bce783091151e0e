"""Child processes of the crawl that die with it: the page and attachment workers, the WARC writer.

Standard library only: a child imports this too, and must start light.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
from multiprocessing.connection import Connection

_PR_SET_PDEATHSIG = 1


def spawn_child(module: str, args: list[str]) -> tuple[subprocess.Popen[bytes], Connection]:
    """A Python process running `module._main([its end of the pipe, our pid, *args])`, talking to
    us over a socket pair: a plain child (no forkserver, no resource tracker, no re-import of our
    __main__), given our sys.path."""
    parent_end, child_end = socket.socketpair()
    code = "import sys, json; sys.path[:0] = json.loads(sys.argv[1]); "
    code += f"from {module} import _main; _main(sys.argv[2:])"
    argv = [str(child_end.fileno()), str(os.getpid()), *args]
    with child_end:
        process = subprocess.Popen(
            [sys.executable, "-c", code, json.dumps(sys.path), *argv],
            pass_fds=[child_end.fileno()],
            stdin=subprocess.DEVNULL,
        )
    return process, Connection(parent_end.detach())


def die_with(parent: int) -> None:
    """Have the kernel kill this process when the crawl ends, however it ends (Linux).

    The kernel's parent is the thread that started the worker: workers are started from the
    crawl's event loop thread, which lives as long as the crawl.
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the crawl died before the line above
        os._exit(1)
