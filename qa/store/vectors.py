"""Chroma: one vector per chunk, embedded in the index folder or on a Chroma server.

Writes go through llama-index's ChromaVectorStore (chunks become TextNodes whose SOURCE is
their article, so Chroma records `document_id`); queries go to the collection directly.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from qa.config import Settings
from qa.store.base import Filters, ScoredChunk, StoreError, date_ord, source_key
from qa.store.lock import open_lock


class Vectors:
    """The chunk collection (and, with a server, the article records collection beside it).

    Opened lazily; embedded Chroma is reopened when `data_version` (SQLite's, of the same
    index) says another process committed since it was opened here.

    Shared by the threads of a server: Chroma's clients are safe to query from several
    threads while one writes (tests/test_store_threads.py), and opening or reopening happens
    under `_mutex`, once, however many threads notice the change together. The version is
    read before taking `_mutex` (never while holding it): the SQLite writer asks for the
    collection inside its transaction, and the two locks must not be taken in both orders.
    """

    def __init__(self, settings: Settings, root: Path, data_version: Callable[[], int]) -> None:
        self.settings = settings
        self.root = root
        self._data_version = data_version
        self._client: Any = None
        self._collection: Any = None
        self._records: Any = None
        self._leases: Any = None
        self._vector_store: Any = None
        self._seen_version = -1
        self._mutex = threading.Lock()

    @property
    def collection(self) -> Any:
        col = self._collection
        version = self._version()
        if col is None or version != self._seen_version:
            return self._reopen(col, version)
        return col

    @property
    def records(self) -> Any:
        """Server mode: the `<collection>_articles` collection, one record per stored article."""
        if not self.settings.chroma_url:
            raise StoreError("article records are kept on a Chroma server only")
        if self._records is None:
            self._reopen(self._collection, self._version())
        return self._records

    @property
    def leases(self) -> Any:
        """Server mode: the `<collection>_leases` collection (qa/store/lease.py)."""
        if self._leases is None:
            _ = self.records  # opens the client (and raises in embedded mode)
            with self._mutex:
                if self._leases is None:
                    self._leases = self._client.get_or_create_collection(
                        f"{self.settings.collection}_leases", embedding_function=None
                    )
        return self._leases

    def _version(self) -> int:
        """SQLite's data_version, or 0 with a server (which needs no reopening)."""
        return 0 if self.settings.chroma_url else self._data_version()

    def _reopen(self, stale: Any, version: int) -> Any:
        """Open, unless another thread already replaced `stale` since it was read."""
        with self._mutex:
            if self._collection is None or self._collection is stale:
                self._open(version)
            return self._collection

    @property
    def vector_store(self) -> Any:
        """llama-index's ChromaVectorStore over the same collection: what writes go through."""
        col = self.collection
        if self._vector_store is None or self._vector_store._collection is not col:
            from llama_index.vector_stores.chroma import ChromaVectorStore

            self._vector_store = ChromaVectorStore(chroma_collection=col)
        return self._vector_store

    def open(self) -> None:
        """(Re)open the client and collections now.

        Embedded Chroma caches its vector segments per process and does not see another
        process's deletes (stale hits) or first writes ("Nothing found on disk"); SQLite's
        data_version tells us cheaply when to reopen it (`collection`). Chroma servers need
        none of this.
        """
        version = self._version()
        with self._mutex:
            self._open(version)

    def _open(self, version: int) -> None:
        """Open under `_mutex`; embedded Chroma under the open lock as well."""
        self.close()
        self._seen_version = version
        records = None
        if self.settings.chroma_url:
            client = self._server_client()
            collection = self._chunk_collection(client)
            records = client.get_or_create_collection(
                f"{self.settings.collection}_articles", embedding_function=None
            )
        else:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            # Chroma's first open of a folder creates its schema; two processes doing that at
            # once crash, so opening (client and collection) is one process at a time.
            with open_lock(self.root):
                client = chromadb.PersistentClient(
                    path=str(self.root / "chroma"),
                    settings=ChromaSettings(anonymized_telemetry=False),
                )
                collection = self._chunk_collection(client)
        self._client, self._collection, self._records = client, collection, records

    def _chunk_collection(self, client: Any) -> Any:
        return client.get_or_create_collection(
            self.settings.collection,
            embedding_function=None,  # we embed ourselves (per-batch padding, see qa.embed)
            configuration={"hnsw": {"space": "cosine"}},
        )

    def _server_client(self) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        u = urlparse(self.settings.chroma_url)
        try:
            client = chromadb.HttpClient(
                host=u.hostname or "127.0.0.1",
                port=u.port or 8000,
                ssl=u.scheme == "https",
                settings=ChromaSettings(anonymized_telemetry=False),
            )
            client.heartbeat()
        except Exception as e:
            raise StoreError(
                f"cannot reach the Chroma server at {self.settings.chroma_url}: {e}"
            ) from e
        return client

    def close(self) -> None:
        if self._client is not None and hasattr(self._client, "close"):
            with contextlib.suppress(Exception):
                self._client.close()
        self._client = None
        self._collection = None
        self._records = None
        self._leases = None
        self._vector_store = None

    # -- writing -----------------------------------------------------------------------

    def add(self, nodes: Sequence[Any]) -> None:
        if nodes:
            self.vector_store.add(list(nodes))

    def delete(self, ids: Sequence[str]) -> None:
        self.collection.delete(ids=list(ids))

    def delete_article(self, article_id: str) -> None:
        """Every vector of this article, by document id: also those SQLite never recorded."""
        self.collection.delete(where={"document_id": article_id})

    # -- reading -----------------------------------------------------------------------

    def count(self) -> int:
        return self.collection.count()

    def all_ids(self) -> set[str]:
        ids: set[str] = set()
        offset, page = 0, 5000
        while True:
            got = self.collection.get(include=[], limit=page, offset=offset)["ids"]
            ids.update(got)
            if len(got) < page:
                return ids
            offset += page

    def nearest(
        self, vector: np.ndarray, n: int, ids: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the n nearest chunks, of all or of `ids`, without
        their metadata: reading it costs as much as the search (`Store.dense` asks SQLite)."""
        kwargs: dict[str, Any] = {
            "query_embeddings": [vector.tolist()],
            "n_results": n,
            "include": ["distances"],
        }
        if ids is not None:
            kwargs["ids"] = list(ids)
        res = self._query(kwargs)
        return [
            (c, 1.0 - float(d)) for c, d in zip(res["ids"][0], res["distances"][0], strict=True)
        ]

    def exact(self, vector: np.ndarray, n: int, ids: Sequence[str]) -> list[tuple[str, float]]:
        """The n of `ids` nearest to `vector`, by reading their vectors: for a few ids this is
        cheaper than Chroma's `ids=` search, whose HNSW walk must pass over the chunks outside
        them (measured in `Store.dense`), and it is exact."""
        got = self._query({"ids": list(ids), "include": ["embeddings"]}, "get")
        if not got["ids"]:
            return []
        vecs = np.asarray(got["embeddings"], dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1) * float(np.linalg.norm(vector))
        cos = vecs @ vector.astype(np.float32) / np.where(norms > 0, norms, 1.0)
        best = np.argsort(-cos, kind="stable")[:n]
        return [(got["ids"][i], float(cos[i])) for i in best]

    def _query(self, kwargs: dict[str, Any], method: str = "query") -> Any:
        """The collection's `query` (or `get`), reopened once on a stale segment."""
        col = self.collection
        try:
            return getattr(col, method)(**kwargs)
        except Exception as e:  # chromadb raises its own InternalError for a stale segment
            if self.settings.chroma_url:
                raise StoreError(f"the Chroma server failed to answer: {e}") from e
            # Reopen once: another process may have just written (unless another thread
            # already reopened, which is what closed `col` under this query).
            return getattr(self._reopen(col, self._version()), method)(**kwargs)

    def dense(self, vector: np.ndarray, n: int, filters: Filters) -> list[ScoredChunk]:
        """The n chunks nearest to `vector` (cosine similarity) that pass the filters."""
        # Queries go to the Chroma collection directly rather than through ChromaVectorStore:
        # importing llama_index.core costs seconds of start-up, and a query needs only ids,
        # article ids and distances, not rebuilt nodes.
        kwargs: dict[str, Any] = {
            "query_embeddings": [vector.tolist()],
            "n_results": n,
            "include": ["metadatas", "distances"],
        }
        if where := chroma_where(filters):
            kwargs["where"] = where
        res = self._query(kwargs)
        out = []
        for cid, meta, dist in zip(
            res["ids"][0], res["metadatas"][0], res["distances"][0], strict=True
        ):
            aid = (meta or {}).get("article_id")
            if not aid:
                # A record another process deleted since this client loaded its index comes
                # back without metadata; SQLite (the record of what is stored) has it gone.
                continue
            out.append(ScoredChunk(cid, aid, 1.0 - float(dist)))  # cosine space
        return out


def node(chunk_id: str, article_id: str, text: str, vector: np.ndarray, meta: dict) -> Any:
    """A llama-index TextNode whose SOURCE is its article, so Chroma gets `document_id`."""
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

    return TextNode(
        id_=chunk_id,
        text=text,
        embedding=vector.tolist(),
        metadata=meta,
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=article_id)},
    )


def chunk_metadata(
    article_id: str, title: str, source: str | None, published_at: str | None, url: str | None
) -> dict[str, Any]:
    """What every chunk vector of an article carries: filters and citations need no SQLite."""
    return {
        "article_id": article_id,
        "title": title,
        "source": source or "",
        "source_key": source_key(source),
        "published_at": published_at or "",
        "published_ord": date_ord(published_at),
        "url": url or "",
    }


def chroma_where(filters: Filters) -> dict[str, Any] | None:
    """Filters as a Chroma `where` clause (dates compare as YYYYMMDD integers)."""
    conds: list[dict[str, Any]] = []
    if filters.sources:
        conds.append({"source_key": {"$in": [source_key(s) for s in filters.sources]}})
    if filters.since:
        conds.append({"published_ord": {"$gte": date_ord(filters.since)}})
    if filters.until:
        conds.append({"published_ord": {"$lte": date_ord(filters.until)}})
        # Undated articles carry 0: an upper bound alone must not let them through.
        conds.append({"published_ord": {"$gt": 0}})
    if not conds:
        return None
    return conds[0] if len(conds) == 1 else {"$and": conds}
