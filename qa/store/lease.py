"""Server mode: a lease on the Chroma server, so writers on different hosts keep out of each
other's way.

The write lock (`lock.py`) is a flock on the index folder: it keeps the processes of one host
in turn, but hosts sharing a Chroma server each have their own folder. Several hosts may
ingest disjoint shards at once (their writes touch different articles), but `qa check` and
`qa check --repair` must run alone: an ingest on another host has vectors on the server whose
article records are not there yet, which a check counts as orphans and a repair would delete.

So writers hold a lease in the collection `<collection>_leases` on the server: ingest and
delete a *shared* one, check and repair an *exclusive* one. Chroma has no compare-and-swap,
so each holder writes its own record and then reads everyone's ("write, then look"): of two
holders that conflict, the one that wrote second sees the first, and whoever sees a conflict
removes its record and tries again after a random pause. This is safe on one Chroma server,
which reads its own writes. A record carries an expiry (wall-clock seconds, renewed by a
background thread every `ttl / 3`), so a host that died holding a lease blocks others for at
most `ttl` seconds; hosts' clocks must agree to well within `ttl`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from qa.store.base import IndexBusy

LeaseKind = Literal["shared", "exclusive"]
LEASE_TTL = 60.0  # seconds a record stays live without renewal
_VECTOR = [1.0]  # Chroma wants an embedding per record; leases are only ever read by listing

logger = logging.getLogger(__name__)


def holder_name() -> str:
    """Who holds a lease, as other hosts' error messages show it."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@contextlib.contextmanager
def server_lease(
    leases: Any, kind: LeaseKind, wait: float, what: str, ttl: float = LEASE_TTL
) -> Iterator[str]:
    """Hold a `kind` lease on the server for the block; yields this holder's record id.

    Waits up to `wait` seconds for conflicting holders (any holder, for an exclusive lease; an
    exclusive one, for a shared lease), then raises IndexBusy naming them.
    """
    me = holder_name()
    deadline = time.monotonic() + wait
    told = False
    while True:
        _put(leases, me, kind, what, ttl)
        others = _live_others(leases, me)
        conflicts = [o for o in others if kind == "exclusive" or o[1] == "exclusive"]
        if not conflicts:
            break
        leases.delete(ids=[me])
        who = ", ".join(f"{h} ({w}, {k})" for h, k, w in conflicts)
        if time.monotonic() > deadline:
            raise IndexBusy(
                f"the Chroma server is busy: {who} holds a lease that excludes {what}. "
                "Try again when it has finished."
            )
        if not told and wait > 0:
            logger.warning("waiting for %s to finish on the Chroma server", who)
            told = True
        time.sleep(random.uniform(0.1, 0.6))
    stop = threading.Event()
    renew = threading.Thread(
        target=_renew, args=(leases, me, kind, what, ttl, stop), daemon=True, name="qa-lease"
    )
    renew.start()
    try:
        yield me
    finally:
        stop.set()
        renew.join()
        with contextlib.suppress(Exception):  # an unreachable server: the record expires
            leases.delete(ids=[me])


def holders(leases: Any) -> list[tuple[str, str, str]]:
    """(holder, kind, what) of every live lease on the server."""
    return _live_others(leases, None)


def _put(leases: Any, me: str, kind: str, what: str, ttl: float) -> None:
    meta = {"kind": kind, "what": what, "expires": time.time() + ttl}
    leases.upsert(ids=[me], embeddings=[_VECTOR], documents=[""], metadatas=[meta])


def _live_others(leases: Any, me: str | None) -> list[tuple[str, str, str]]:
    got = leases.get(include=["metadatas"])
    now, live, expired = time.time(), [], []
    for rid, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
        meta = meta or {}
        if rid == me:
            continue
        if float(meta.get("expires", 0)) < now:
            expired.append(rid)  # its holder died without letting go
        else:
            live.append((rid, str(meta.get("kind", "exclusive")), str(meta.get("what", "?"))))
    if expired:
        with contextlib.suppress(Exception):
            leases.delete(ids=expired)
    return live


def _renew(leases: Any, me: str, kind: str, what: str, ttl: float, stop: threading.Event) -> None:
    while not stop.wait(ttl / 3):
        try:
            _put(leases, me, kind, what, ttl)
        except Exception as e:  # the next try may reach the server again
            logger.warning("could not renew the lease on the Chroma server: %s", e)
