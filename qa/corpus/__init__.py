"""Corpus input: news articles read from files (.txt .md .html .json .jsonl), cleaned of page
furniture, given stable ids, and cut into sentence-aware chunks that fit the embedder.

    model     Article, Cleaned, size limits
    formats   load: files and folders to Articles (IngestFailure for bad input, never raises)
    records   .json / .jsonl records          decode    bytes to text (BOMs, strict UTF-8)
    clean     clean_text, derive_title        metadata  bylines, datelines, "Read this on X"
    markdown  light markdown to plain text    dates     parse_date
    ids       stable ids from names, urls, text
    chunk     chunk_article, Chunk, chunk ids (the on-disk index depends on them)
"""

from qa.corpus.chunk import Chunk, chunk_article, chunk_id, chunk_id_for
from qa.corpus.clean import clean_text, derive_title
from qa.corpus.dates import parse_date
from qa.corpus.formats import SUPPORTED, load
from qa.corpus.model import Article, Cleaned

__all__ = [
    "SUPPORTED",
    "Article",
    "Chunk",
    "Cleaned",
    "chunk_article",
    "chunk_id",
    "chunk_id_for",
    "clean_text",
    "derive_title",
    "load",
    "parse_date",
]
