"""Sentence vectors kept in the index (`sentences.sqlite`), so the extractive answerer's one
costly step, embedding the sentences it weighs, is paid once per sentence, not once per
process and question (issue 16: an ask's answer stage is ~20 ms without it, ~300 ms with it).

Keyed by a hash of the embedding model's name and the sentence, so an entry is true for as
long as the file exists: an article deleted or changed leaves entries no answer asks for,
and nothing here has to stay in step with the article table (the two-phase write and
`qa check` do not look at it). Losing the file loses nothing but time. Vectors are kept as
the float32 the model gave, so an answer is the same whether its sentences come from here or
from the model.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from qa.embed import DIM, MODEL_NAME

FILE = "sentences.sqlite"


def key(text: str) -> bytes:
    return hashlib.blake2b(f"{MODEL_NAME}\0{text}".encode(), digest_size=16).digest()


class SentenceVectors:
    """Vectors by sentence text; reads and writes never fail an answer (a locked or broken
    file is treated as empty: the answerer then embeds as it would without it)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self.broken: str | None = None  # why the file is not used, once it failed

    def _db(self) -> sqlite3.Connection | None:
        if self._conn is None and self.broken is None:
            try:
                conn = sqlite3.connect(self.path, check_same_thread=False, timeout=0.2)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vec BLOB NOT NULL)"
                    " WITHOUT ROWID"
                )
                self._conn = conn
            except sqlite3.Error as e:
                self.broken = f"{self.path}: {e}"
        return self._conn

    def get(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The kept vectors of those texts that have one."""
        keys = {key(t): t for t in texts}
        out: dict[str, np.ndarray] = {}
        with self._lock:
            db = self._db()
            if db is None or not keys:
                return out
            try:
                rows = db.execute(
                    f"SELECT key, vec FROM vectors WHERE key IN ({','.join('?' * len(keys))})",
                    list(keys),
                ).fetchall()
            except sqlite3.Error:
                return out
        for k, blob in rows:
            v = np.frombuffer(blob, dtype=np.float32)
            if v.shape == (DIM,):
                out[keys[k]] = v
        return out

    def put(self, vectors: Mapping[str, np.ndarray]) -> None:
        """Keep these vectors; skipped when another process holds the file's write lock."""
        if not vectors:
            return
        rows = [(key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in vectors.items()]
        with self._lock:
            db = self._db()
            if db is None:
                return
            try:
                with db:
                    db.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?)", rows)
            except sqlite3.Error:
                pass  # another writer holds it: these are embedded again next time

    def count(self) -> int:
        with self._lock:
            db = self._db()
            if db is None:
                return 0
            return int(db.execute("SELECT count(*) FROM vectors").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
