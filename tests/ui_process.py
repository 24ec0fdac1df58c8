"""The web UI as a user starts it: a new process, up when its /config answers, stopped by
Ctrl-C (SIGINT). Used by the tests that start `python -m ui` or `qa ui`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Stopped:
    """How the process ended after Ctrl-C (filled in when the `with` block ends)."""

    returncode: int | None = None
    stderr: str = ""
    url: str = ""


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextmanager
def ui_process(*argv: str, port: int, timeout: float = 180) -> Iterator[Stopped]:
    """Run `python *argv` (e.g. "-m", "ui", ...) with no login, no ambient index or server,
    until its /config answers; Ctrl-C it on leaving the block and record how it ended."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    env["GRADIO_ANALYTICS_ENABLED"] = "False"
    for var in ("QA_INDEX", "QA_CHROMA_URL", "QA_UI_AUTH", "OPENAI_API_KEY"):
        env.pop(var, None)
    proc = subprocess.Popen(
        [sys.executable, *argv],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C reaches the app as in a terminal even when this run was started in the
        # background (`cmd &` in a script ignores SIGINT, the child inherits that, and Python
        # then never raises KeyboardInterrupt: the server ran on until killed).
        preexec_fn=_default_sigint,
    )
    result = Stopped(url=f"http://127.0.0.1:{port}/")
    try:
        deadline = time.monotonic() + timeout  # minutes on a busy machine
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(result.url + "config", timeout=5) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        assert proc.poll() is None, proc.communicate()
        yield result
        proc.send_signal(signal.SIGINT)
        _out, result.stderr = proc.communicate(timeout=60)
        result.returncode = proc.returncode
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
