"""A tiny OpenAI-compatible HTTP server that fails on cue, for the retry/fallback tests.

A real llama.cpp server cannot be made to return 429 or drop a stream half-way on demand,
so this one plays a script: each request to /v1/chat/completions takes the next step
("429", "500", "cut", "ok", ...); when the script runs out, the last step repeats.
It binds 127.0.0.1 on a free port and must be stopped (use it as a context manager).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Step:
    """One scripted response.

    kind: "ok" (a full SSE stream of `text`), "429" (with Retry-After `retry_after`),
    "500", "400", "401" (error body echoing `echo`, like a provider that repeats the bad
    key), "strict" (400 if the request has `stream_options`, else "ok"),
    "cut" (stream the first `cut_after` pieces, then drop the TCP connection mid-chunk),
    "cut_clean" (stream `cut_after` pieces, then end the body properly but with no
    finish_reason and no [DONE]), "hang" (say nothing for `hang_s` seconds).
    """

    kind: str
    text: str = "The plan has support [1]."
    retry_after: str | None = None
    cut_after: int = 2
    hang_s: float = 5.0
    echo: str = ""


@dataclass
class FaultServer:
    script: list[Step]
    requests: list[dict[str, Any]] = field(default_factory=list)
    model: str = "fault-model"

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._stop = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep pytest output clean
                pass

            def do_GET(self) -> None:  # /v1/models
                body = json.dumps(
                    {"object": "list", "data": [{"id": owner.model, "object": "model"}]}
                ).encode()
                self._send(200, body)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                with owner._lock:
                    owner.requests.append(
                        {"path": self.path, "body": payload, "headers": dict(self.headers)}
                    )
                    i = min(len(owner.requests) - 1, len(owner.script) - 1)
                    step = owner.script[i]
                if step.kind == "strict":  # an older server that knows no stream_options
                    step = Step("400") if "stream_options" in payload else Step("ok", step.text)
                owner._play(self, step)

            def _send(self, code: int, body: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    # -- responses ---------------------------------------------------------------------

    @staticmethod
    def pieces(text: str) -> list[str]:
        words = text.split(" ")
        return [w if i == 0 else " " + w for i, w in enumerate(words)]

    def _chunk(self, content: str | None, finish: str | None = None) -> bytes:
        data = {
            "id": "chatcmpl-fault",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": self.model,
            "choices": [
                {
                    "index": 0,
                    "delta": {"content": content} if content is not None else {},
                    "finish_reason": finish,
                }
            ],
        }
        return f"data: {json.dumps(data)}\n\n".encode()

    def _play(self, h: BaseHTTPRequestHandler, step: Step) -> None:
        err = {"error": {"message": "", "type": "server_error"}}
        if step.kind == "429":
            err["error"]["message"] = "rate limited"
            headers = {"Retry-After": step.retry_after} if step.retry_after else {}
            h._send(429, json.dumps(err).encode(), headers)  # type: ignore[attr-defined]
            return
        if step.kind == "500":
            err["error"]["message"] = "internal error"
            h._send(500, json.dumps(err).encode())  # type: ignore[attr-defined]
            return
        if step.kind == "400":
            err["error"]["message"] = "unknown field"
            h._send(400, json.dumps(err).encode())  # type: ignore[attr-defined]
            return
        if step.kind == "401":
            err["error"]["message"] = f"Incorrect API key provided: {step.echo}"
            h._send(401, json.dumps(err).encode())  # type: ignore[attr-defined]
            return
        if step.kind == "hang":
            self._stop.wait(step.hang_s)
            h.close_connection = True
            return
        # Streaming kinds: chunked SSE.
        h.send_response(200)
        h.send_header("Content-Type", "text/event-stream")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()

        def write(data: bytes) -> None:
            h.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            h.wfile.flush()

        pieces = self.pieces(step.text)
        if step.kind == "ok":
            for p in pieces:
                write(self._chunk(p))
            write(self._chunk(None, "stop"))
            write(b"data: [DONE]\n\n")
            h.wfile.write(b"0\r\n\r\n")
            h.wfile.flush()
            return
        for p in pieces[: step.cut_after]:
            write(self._chunk(p))
        if step.kind == "cut_clean":
            h.wfile.write(b"0\r\n\r\n")  # a complete body that never said it was done
            h.wfile.flush()
            return
        # "cut": announce a chunk, send half of it, drop the connection.
        h.wfile.write(b'40\r\ndata: {"id"')
        h.wfile.flush()
        h.close_connection = True
        h.connection.shutdown(2)

    # -- lifecycle -----------------------------------------------------------------------

    @property
    def calls(self) -> int:
        return len(self.requests)

    def stop(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def dead_url() -> str:
    """A base URL on 127.0.0.1 where nothing listens (connection refused)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
