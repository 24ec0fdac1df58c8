"""Sentence-aware chunks that fit the embedder: at most 256 word pieces, header included.

llama-index's SentenceSplitter does the packing (sentences, overlap, long-sentence fallback);
we give it our sentence splitter and the embedder's own word-piece count, because by default
it counts tiktoken tokens, which overshoots MiniLM's 256-piece window.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from qa.corpus.model import Article
from qa.text import sentences

if TYPE_CHECKING:
    from qa.embed import Embedder

HEADER_MAX_TOKENS = 48


@dataclass(frozen=True)
class Chunk:
    id: str
    article_id: str
    position: int
    start: int  # character offsets into Article.text
    end: int
    text: str
    header: str  # title and date, embedded with the text so a chunk makes sense alone

    @property
    def embed_text(self) -> str:
        return f"{self.header}\n\n{self.text}" if self.header else self.text


def chunk_id(article: Article, position: int) -> str:
    # The content hash in the id tells a chunk of the old version from one of the new, which
    # lets `verify` repair an update that was interrupted half-way.
    return chunk_id_for(article.id, article.content_hash, position)


def chunk_id_for(article_id: str, content_hash: str, position: int) -> str:
    """`chunk_id` from an article's id and hash alone (what `Store.sync` knows)."""
    return f"{article_id}::{content_hash[:12]}::{position}"


def header_for(article: Article, embedder: Embedder) -> str:
    title = article.title or ""
    if embedder.count_tokens(title) > HEADER_MAX_TOKENS:
        words = title.split()
        while words and embedder.count_tokens(" ".join(words)) > HEADER_MAX_TOKENS - 1:
            words.pop()
        title = " ".join(words) + "…"
    return "\n".join(p for p in (title, article.published_at or "") if p)


def _sentence_pieces(text: str) -> list[str]:
    """Sentences with their trailing whitespace, so the pieces join back to `text` exactly."""
    spans = sentences(text)
    if not spans:
        return [text] if text else []
    cuts = [0] + [s for s, _ in spans[1:]] + [len(text)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if text[a:b]]


@lru_cache(maxsize=64)
def _splitter(budget: int, overlap: int, embedder: Embedder) -> Any:
    """One splitter per budget: building one per article cost ~3% of ingest."""
    from llama_index.core.node_parser import SentenceSplitter

    return SentenceSplitter(
        chunk_size=budget,
        chunk_overlap=min(overlap, budget // 4),
        tokenizer=embedder.tokenize,
        paragraph_separator="\n\n",
        chunking_tokenizer_fn=_sentence_pieces,
    )


def chunk_article(
    article: Article, embedder: Embedder, max_tokens: int = 256, overlap: int = 24
) -> list[Chunk]:
    header = header_for(article, embedder)
    # [CLS] + [SEP] + the blank line between header and text are part of the window.
    budget = max_tokens - 2 - (embedder.count_tokens(header) + 1 if header else 0)
    splitter = _splitter(budget, overlap, embedder)
    text = article.text
    chunks: list[Chunk] = []
    cursor = 0
    for piece in splitter.split_text(text):
        for part in _fit(piece, budget, embedder):
            start = text.find(part, cursor)
            if start < 0:  # overlap can step back before the cursor
                start = text.find(part)
            if start < 0:
                raise ValueError(f"chunk of {article.id} is not a substring of its text")
            end = start + len(part)
            cursor = start + 1
            pos = len(chunks)
            chunks.append(Chunk(chunk_id(article, pos), article.id, pos, start, end, part, header))
    return chunks


def _fit(piece: str, budget: int, embedder: Embedder) -> list[str]:
    """Guarantee the limit even where the splitter's per-split counting is off by a few."""
    if embedder.count_tokens(piece) <= budget:
        return [piece]
    words = piece.split(" ")
    out: list[str] = []
    cur: list[str] = []
    for w in words:
        if cur and embedder.count_tokens(" ".join([*cur, w])) > budget:
            out.append(" ".join(cur).strip())
            cur = []
        cur.append(w)
    if cur:
        out.append(" ".join(cur).strip())
    return [p for p in out if p]
