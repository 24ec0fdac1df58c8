"""Server-sent events from the engine's generators, and what became of each stream.

The engine streams from a plain generator (`kb.ask_stream`). Each `next()` runs in a worker
thread, one at a time; when the client goes away the response stops asking and closes the
generator at once (GeneratorExit where it paused), so a disconnected client's answer is not
computed to its end and its thread goes back to the pool. `StreamStats` counts streams
running, finished and cut short; `GET /api/health` shows them.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
from starlette.responses import StreamingResponse
from starlette.types import Send

_END = object()


class StreamStats:
    """Streams now running, run to their end, and closed early (the client left)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.active = self.completed = self.cancelled = 0

    def started(self) -> None:
        with self._lock:
            self.active += 1

    def ended(self, finished: bool) -> None:
        with self._lock:
            self.active -= 1
            if finished:
                self.completed += 1
            else:
                self.cancelled += 1

    def to_dict(self) -> dict[str, int]:
        with self._lock:
            return {"active": self.active, "completed": self.completed, "cancelled": self.cancelled}


def _next(it: Iterator[str]) -> Any:
    return next(it, _END)


async def _pull(chunks: Iterator[str], stats: StreamStats) -> AsyncIterator[str]:
    stats.started()
    finished = False
    try:
        while True:
            item = await anyio.to_thread.run_sync(_next, chunks)
            if item is _END:
                finished = True
                return
            yield item
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()  # not running: run_sync waits for its thread even when cancelled
        stats.ended(finished)


class EventStream(StreamingResponse):
    """`text/event-stream` from a generator of SSE strings; the generator is closed as soon
    as the response ends, however it ends (done, client gone, server stopping)."""

    media_type = "text/event-stream"

    def __init__(self, chunks: Iterator[str], stats: StreamStats) -> None:
        super().__init__(
            _pull(chunks, stats),
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    async def stream_response(self, send: Send) -> None:
        try:
            await super().stream_response(send)
        finally:
            with anyio.CancelScope(shield=True):
                await self.body_iterator.aclose()  # type: ignore[attr-defined]
