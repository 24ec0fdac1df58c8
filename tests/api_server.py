"""The real app (HTTP API and UI on one port, `ui.serve`) on a free loopback port, inside the
test process, stopped when the block ends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from tests.ui_process import free_port

if TYPE_CHECKING:  # pragma: no cover
    from qa.api import KnowledgeBase


@contextmanager
def serving(kb: KnowledgeBase) -> Iterator[str]:
    """Serve `kb` on 127.0.0.1; yields the base URL (no trailing slash)."""
    from ui.serve import serve

    served = serve(kb, "127.0.0.1", free_port())
    try:
        yield served.url.rstrip("/")
    finally:
        served.close()
