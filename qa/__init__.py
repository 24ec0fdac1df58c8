"""News QA: answers about a corpus of news articles, with citations to the articles.

`from qa import KnowledgeBase` is the public entry point; the typed results live in qa.types.
Imports are lazy so that `qa --help` and the UI start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qa.types import Answer, ArticleInfo, Citation, Hit, IngestFailure, IngestReport

__all__ = [
    "Answer",
    "ArticleInfo",
    "Citation",
    "Hit",
    "IngestFailure",
    "IngestReport",
    "KnowledgeBase",
    "Settings",
]
__version__ = "0.1.0"

if TYPE_CHECKING:
    from qa.api import KnowledgeBase
    from qa.config import Settings


def __getattr__(name: str) -> Any:
    if name == "KnowledgeBase":
        from qa.api import KnowledgeBase

        return KnowledgeBase
    if name == "Settings":
        from qa.config import Settings

        return Settings
    raise AttributeError(name)
