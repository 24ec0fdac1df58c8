"""The Corpus tab: the article list with search, uploads that ingest, and deleting an article."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from qa.types import ArticleInfo
from qa.uploads import ALLOWED_SUFFIXES, NOT_KEPT, ingest_upload, max_upload_bytes
from ui import render

if TYPE_CHECKING:  # pragma: no cover
    from qa.api import KnowledgeBase


@dataclass
class CorpusTab:
    """The Corpus tab's components that events read or write."""

    needle: gr.Textbox
    search_btn: gr.Button
    articles: gr.Dataframe
    hits: gr.HTML
    files: gr.File
    ingest_btn: gr.Button
    ingest_summary: gr.Markdown
    ingest_table: gr.Dataframe
    to_delete: gr.Dropdown
    delete_btn: gr.Button
    delete_msg: gr.Markdown


def build(kb: KnowledgeBase, articles: Sequence[ArticleInfo]) -> CorpusTab:
    """The tab's layout: search and the article table, then adding and deleting articles."""
    with gr.Tab("Corpus", id="corpus"):
        with gr.Row():
            needle = gr.Textbox(
                show_label=False,
                placeholder="Search titles and passages…",
                elem_id="qa-search",
                scale=5,
            )
            search_btn = gr.Button("Search", elem_id="qa-search-btn", scale=1)
        table = gr.Dataframe(
            value=render.article_rows(articles),
            headers=["Title", "Source", "Published", "Chunks", "ID"],
            datatype=["str", "str", "str", "number", "str"],
            interactive=False,
            label="Articles",
            elem_id="qa-articles",
            wrap=True,
        )
        hits = gr.HTML(elem_id="qa-hits")
        with gr.Row():
            with gr.Column():
                add = _add_articles(max_upload_bytes(kb.settings) / 1048576)
            with gr.Column():
                gr.Markdown("### Delete an article")
                to_delete = gr.Dropdown(
                    choices=render.article_choices(articles),
                    label="Article",
                    allow_custom_value=True,  # API clients pass an article id
                    elem_id="qa-delete-choice",
                )
                delete_btn = gr.Button("Delete article", variant="stop", elem_id="qa-delete")
                delete_msg = gr.Markdown(elem_id="qa-delete-msg")
    return CorpusTab(needle, search_btn, table, hits, *add, to_delete, delete_btn, delete_msg)


def _add_articles(max_mb: float) -> tuple[gr.File, gr.Button, gr.Markdown, gr.Dataframe]:
    """The upload box, its button, and where the per-file results go."""
    gr.Markdown(
        f"### Add articles\nAccepted: {' '.join(ALLOWED_SUFFIXES)}; "
        f"up to {max_mb:.0f} MB per file. Files are copied into the "
        "index's data folder; a .txt/.md/.html file's article id is its "
        "(sanitised) file name."
    )
    files = gr.File(
        file_count="multiple", type="filepath", label="Files to ingest", elem_id="qa-upload"
    )
    ingest_btn = gr.Button("Ingest files", variant="primary", elem_id="qa-ingest")
    summary = gr.Markdown(elem_id="qa-ingest-summary")
    table = gr.Dataframe(
        headers=["File", "Result", "Details"],
        datatype=["str", "str", "str"],
        interactive=False,
        label="Per-file result",
        elem_id="qa-ingest-results",
        wrap=True,
    )
    return files, ingest_btn, summary, table


def ingest_one(kb: KnowledgeBase, path: str) -> list[str]:
    """Copy one file into the data folder under a safe name and ingest it: its result row
    (the rules are the engine's, `qa.uploads`, shared with `POST /api/articles`)."""
    up = ingest_upload(kb, path, Path(path).name)
    return [up.name, up.result, up.details]


def search_corpus(kb: KnowledgeBase, needle: str) -> tuple[list[list[object]], str]:
    """Filter the article list and show the best-matching passages from the index."""
    needle = (needle or "").strip()
    if not needle:
        return render.article_rows(kb.articles()), ""
    try:
        found = kb.search(needle, k=8)
    except ValueError as exc:  # the engine's QuestionError: too long, only symbols, ...
        return render.article_rows(kb.articles(), needle), render.render_error(str(exc))
    rows = render.article_rows(kb.articles(), needle, also=[h.article_id for h in found])
    return rows, render.hits_html(found)


def delete_article(kb: KnowledgeBase, article_id: str | None) -> str:
    """Remove one article (all its chunks) from the index; the message to show."""
    if not article_id:
        return "Choose an article to delete."
    if kb.delete(article_id):
        return f"Deleted {article_id}."
    return f"No article with id {article_id}."


def wire(
    kb: KnowledgeBase,
    tab: CorpusTab,
    refresh: Callable[[], tuple[Any, ...]],
    refresh_outputs: list[Any],
) -> None:
    """The tab's events (`/search`, `/upload`, `/delete` in the API); writes refresh the page."""

    def search(needle: str) -> tuple[list[list[object]], str]:
        return search_corpus(kb, needle)

    def upload(files: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        """Ingest each uploaded file and report per file."""
        files = [f for f in (files or []) if f]
        results: list[list[str]] = []
        for i, path in enumerate(files):
            progress((i, len(files)), desc=f"Ingesting {Path(path).name}", unit="files")
            results.append(ingest_one(kb, path))
        progress((len(files), len(files)), desc="Done", unit="files")
        if not files:
            summary = "Choose one or more files first."
        else:
            ok = sum(1 for r in results if r[1] not in NOT_KEPT)
            summary = f"{ok} of {len(files)} files ingested."
        return (results, summary, None, *refresh())

    def delete(article_id: str | None) -> tuple[Any, ...]:
        """Remove one article (all its chunks) from the index."""
        return (delete_article(kb, article_id), *refresh())

    gr.on(
        [tab.needle.submit, tab.search_btn.click],
        search,
        inputs=[tab.needle],
        outputs=[tab.articles, tab.hits],
        api_name="search",
    )
    tab.ingest_btn.click(
        upload,
        inputs=[tab.files],
        outputs=[tab.ingest_table, tab.ingest_summary, tab.files, *refresh_outputs],
        api_name="upload",
        concurrency_id="kb-write",
        concurrency_limit=1,
    )
    tab.delete_btn.click(
        delete,
        inputs=[tab.to_delete],
        outputs=[tab.delete_msg, *refresh_outputs],
        api_name="delete",
        concurrency_id="kb-write",
        concurrency_limit=1,
    )
