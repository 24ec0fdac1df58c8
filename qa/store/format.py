"""FORMAT.json: which index format and embedder a folder holds, checked before anything opens.

A different format or embedder is refused with a message rather than read wrongly.
"""

from __future__ import annotations

import json
from pathlib import Path

from qa.embed import DIM, MODEL_NAME
from qa.store.base import StoreError
from qa.store.lock import LOCK_FILES

FORMAT_VERSION = 1


def check_format(root: Path) -> None:
    """Refuse a folder of another format; mark an empty one as an index of this format.

    The caller holds the open lock (qa/store/lock.py): two processes creating one new index
    would otherwise see each other's half-made folder as "not a qa index".
    """
    path = root / "FORMAT.json"
    if not path.exists():
        if any(p.name not in LOCK_FILES for p in root.iterdir()):
            raise StoreError(f"{root} is not empty and is not a qa index; choose another --index")
        path.write_text(json.dumps({"format": FORMAT_VERSION, "embedder": MODEL_NAME, "dim": DIM}))
        return
    try:
        have = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        raise StoreError(f"{path} is unreadable ({e}); is {root} a qa index?") from e
    if have.get("format") != FORMAT_VERSION or have.get("embedder") != MODEL_NAME:
        raise StoreError(
            f"{root} holds an index of format {have.get('format')} "
            f"(embedder {have.get('embedder')}); this qa reads format {FORMAT_VERSION} "
            f"({MODEL_NAME}). Export it with the qa that wrote it, or re-ingest into "
            "a new --index folder."
        )
