"""Syndicated copies: articles that are the same story (one wire copy under several outlets,
light edits, other boilerplate) share a group, so retrieval shows one of them and the answer
lists the others as "also published by".

Found at ingest with MinHash signatures of word 3-shingles and an LSH index (datasketch), then
checked: a copy must have the same published date and must not change a figure that the
other states in the same sentence ("12 dead" -> "30 dead" is a follow-up, which the latest-
report answer needs as its own article). Names are not compared: copy editors reword them
("Dutch" -> "Rotterdam-based", "February" -> "Feb"). Exact copies under
another id are kept as group members without chunks (`dup_copies`), so their outlet is
known; deleting the article they copy promotes one of them to a full article (`promote_copies`).

Why 3-shingles at Jaccard 0.3: on the newsroom suite's tune stories, syndicated copies score
0.36 to 0.81 and different articles of one story at most 0.06 (docs/benchmarks.md).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from qa.text import numbers_in, sentences, words

if TYPE_CHECKING:
    from qa.corpus import Article
    from qa.store import Store

NUM_PERM = 64  # MinHash permutations: 256 bytes of uint32 per article
SHINGLE = 3  # words per shingle
THRESHOLD = 0.3  # estimated Jaccard of shingles at or above which two texts are copies
_SEED = 1
# The label datasketch 2 asks every MinHash to carry; all of ours are made by `signature`
# (32-bit values), so they compare with each other and nothing else.
_SCHEME = "affine32"
_PRIME = (1 << 31) - 1  # a*x + b stays below 2^63 for x < 2^32: no uint64 overflow
_MAX32 = (1 << 32) - 1
# Two sentences sharing this share of their words (numbers aside) are one sentence, reworded.
SAME_SENTENCE = 0.6


def shingles(text: str) -> np.ndarray:
    """The text's word 3-shingles as 32-bit hashes (crc32 of each lower-cased word, combined
    in order), distinct; a text of fewer words is one shingle."""
    ws = np.fromiter(map(zlib.crc32, map(str.encode, words(text.lower()))), dtype=np.uint64)
    if len(ws) == 0:
        return ws
    if len(ws) < SHINGLE:
        ws = np.concatenate([ws, np.zeros(SHINGLE - len(ws), dtype=np.uint64)])
    h = ws[: len(ws) - SHINGLE + 1].copy()
    for i in range(1, SHINGLE):  # uint64 arithmetic wraps: a cheap order-aware mix
        h = h * np.uint64(0x9E3779B1) + ws[i : len(ws) - SHINGLE + 1 + i]
    return np.unique(h & np.uint64(_MAX32))


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """NUM_PERM universal hash functions (a * x + b) mod p, p = 2^31 - 1, drawn once."""
    rng = np.random.RandomState(_SEED)
    a = rng.randint(1, _PRIME, size=NUM_PERM).astype(np.uint64)
    b = rng.randint(0, _PRIME, size=NUM_PERM).astype(np.uint64)
    return a[:, None], b[:, None]


def signature(text: str) -> Any:
    """The text's MinHash: for each hash function, the least hash of its shingles (numpy, one
    pass; datasketch hashes shingle by shingle in Python, 5-10x slower), in a datasketch
    LeanMinHash so its LSH index and Jaccard estimate take it."""
    sh = shingles(text)
    if len(sh) == 0:
        values = np.full(NUM_PERM, _MAX32, dtype=np.uint32)
    else:
        a, b = _permutations()
        values = ((a * sh[None, :] + b) % np.uint64(_PRIME)).min(axis=1).astype(np.uint32)
    return _lean(values)


def _lean(values: np.ndarray) -> Any:
    from datasketch import LeanMinHash

    return LeanMinHash(seed=_SEED, hashvalues=values, scheme=_SCHEME)


def to_bytes(m: Any) -> bytes:
    return np.asarray(m.hashvalues, dtype=np.uint32).tobytes()


def from_bytes(raw: bytes) -> Any:
    """A stored signature."""
    return _lean(np.frombuffer(raw, dtype=np.uint32))


Facts = list[tuple[set[str], frozenset[float]]]


def facts(text: str) -> Facts:
    """Each sentence stating a number: its other words (lower-cased) and the figures."""
    out: Facts = []
    for a, b in sentences(text):
        s = text[a:b]
        stated = numbers_in(s)
        if not stated:
            continue
        rest = s
        for n in reversed(stated):  # blank the numbers ("four", "1.2 million") by position
            rest = rest[: n.start] + " " + rest[n.end :]
        words_left = {w.lower() for w in words(rest)}
        out.append((words_left, frozenset(n.value for n in stated)))
    return out


def changed_facts(a: Facts, b: Facts) -> bool:
    """Does a sentence of one text, reworded at most lightly in the other (SAME_SENTENCE of
    its other words shared), state a different figure there in place of its own?

    Replaced, not added: a dateline's date or a unit spelled out adds a number to one side
    only; "four dead" -> "seven dead" takes one away and puts another."""
    for words_a, nums_a in a:
        best, best_j = None, SAME_SENTENCE
        for words_b, nums_b in b:
            j = len(words_a & words_b) / max(1, len(words_a | words_b))
            if j >= best_j:
                best, best_j = nums_b, j
        if best is not None and nums_a - best and best - nums_a:
            return True
    return False


def changed_figures(a: str, b: str) -> bool:
    """`changed_facts` of two texts."""
    return changed_facts(facts(a), facts(b))


@dataclass
class _Member:
    group: str
    published_at: str | None
    sig: Any


class Grouper:
    """The LSH index of stored articles (loaded on first use) plus this run's, and the rule
    that assigns each new article a group: its best-matching copy's, else its own id."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lsh: Any = None
        self._members: dict[str, _Member] = {}
        self._texts: dict[str, str] = {}  # this run's articles (not in the store yet)
        self._facts: dict[str, Facts] = {}  # sentence facts of articles compared, by id

    def _load(self) -> None:
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        for aid, group, published_at, raw in self.store.group_signatures():
            self._insert(aid, _Member(group, published_at, from_bytes(raw)))

    def _insert(self, aid: str, member: _Member) -> None:
        if aid in self._members:
            self._lsh.remove(aid)
        self._members[aid] = member
        self._lsh.insert(aid, member.sig)

    def assign(self, art: Article) -> tuple[str, bytes]:
        """(group id, signature bytes) for an article about to be stored."""
        if self._lsh is None:
            self._load()
        sig = signature(art.text)
        by_group: dict[str, list[tuple[float, str]]] = {}
        for cand in self._lsh.query(sig):
            m = self._members[cand]
            if cand != art.id and m.published_at == art.published_at:  # else a follow-up
                by_group.setdefault(m.group, []).append((sig.jaccard(m.sig), cand))
        group, best_j = art.id, THRESHOLD
        self._texts[art.id] = art.text
        for gid, found in by_group.items():
            close = [c for j, c in found if j >= THRESHOLD]
            j = max(found)[0]
            # Joining a group: a copy of every member found, no fact changed against any.
            if j >= best_j and not any(
                changed_facts(self._facts_of(art.id), self._facts_of(c)) for c in close
            ):
                group, best_j = gid, j
        self._insert(art.id, _Member(group, art.published_at, sig))
        return group, to_bytes(sig)

    def _facts_of(self, aid: str) -> Facts:
        """Sentence facts, computed when first compared (most articles never are)."""
        if aid not in self._facts:
            if len(self._facts) >= 5000:  # a bound on memory over a long run
                self._facts.clear()
            text = self._texts.get(aid) or self.store.article_text(aid) or ""
            self._facts[aid] = facts(text)
        return self._facts[aid]


def also_published(store: Store, article_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """For each article, the other members of its group (copies included), as
    {article_id, source, title, url, published_at}, sources in name order."""
    ids = list(dict.fromkeys(article_ids))
    members = store.group_members(ids)
    out: dict[str, list[dict[str, Any]]] = {}
    for aid in ids:
        others = [m for m in members.get(aid, []) if m["article_id"] != aid]
        if others:
            out[aid] = sorted(others, key=lambda m: ((m["source"] or "").lower(), m["article_id"]))
    return out


def promote_copies(store: Store, embedder: Any, settings: Any, article_id: str) -> str | None:
    """Before `article_id` is deleted: make its first exact copy a full article (chunked,
    embedded and written like any other, in the same group) and point the other copies at it.
    Returns the promoted id, or None when it has no copies. The caller holds the write lock."""
    from qa.corpus import Article, chunk_article

    copies = store.copies_of(article_id)
    text = store.article_text(article_id)
    if not copies or text is None:
        return None
    first = copies[0]
    art = Article(
        id=first["id"],
        title=first["title"] or "",
        text=text,
        url=first["url"],
        published_at=first["published_at"],
        source=first["source"],
        author=first["author"],
        origin=first["origin"] or "",
    )
    chunks = chunk_article(art, embedder, settings.chunk_tokens, settings.chunk_overlap)
    vectors = embedder.embed([c.embed_text for c in chunks], batch_size=settings.embed_batch_size)
    group, sig = store.group_of(article_id)
    store.write([(art, chunks)], vectors, groups={art.id: (group or art.id, sig)})
    store.repoint_copies(article_id, art.id)
    return art.id
