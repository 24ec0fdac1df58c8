"""HTML for answers and citation cards, built from the engine's typed objects.

Pure functions, no gradio import, so they are cheap to test. Every piece of text that came
from an article, a user or the engine goes through `esc` before it is placed in markup:
articles are written by strangers and may carry `<script>` or `onerror=` payloads.
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import urlsplit

from qa.text import Marker, cited_numbers, sub_markers
from qa.types import STAGES, Answer, ArticleInfo, Citation, Hit, Stage
from qa.when import describe_window

EXCERPT_CONTEXT = 180  # characters of article text shown on each side of the quote

# The stages the status line shows, in order, with their labels. The names are the engine's
# fixed stage names (qa.types.STAGES); "answer" is the answerer's own time in both modes.
STATUS_STAGES: tuple[tuple[Stage, str], ...] = (
    ("retrieve", "retrieval"),
    ("answer", "generation"),
    ("total", "total"),
)
assert all(stage in STAGES for stage, _ in STATUS_STAGES)

EXTRACTIVE_BANNER = (
    "**No language model is configured**, so answers are *extractive*: quoted sentences "
    "from the retrieved articles, with citations. To get generated answers, set "
    "`QA_LLM=openai` and `OPENAI_API_KEY`, or point `QA_LLM_BASE_URL` at any "
    "OpenAI-compatible server (vLLM, Ollama, llama.cpp), or use `QA_LLM=local` for the "
    "built-in local model; then restart `qa ui`."
)


def esc(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def new_turn_id() -> str:
    """A short id that makes card anchors unique within a page."""
    return "t" + secrets.token_hex(4)


def safe_url(url: str | None) -> str | None:
    """Only http(s) URLs become links; `javascript:` and friends are dropped."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url.strip()
    return None


def card_id(turn: str, n: int) -> str:
    return f"qa-{turn}-c{n}"


def _find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` sits in `text`, tolerating differences in whitespace."""
    if not text or not quote:
        return None
    i = text.find(quote)
    if i >= 0:
        return i, i + len(quote)
    words = quote.split()
    if not words:
        return None
    m = re.search(r"\s+".join(re.escape(w) for w in words), text)
    return (m.start(), m.end()) if m else None


def excerpt_html(article_text: str | None, quote: str, context: int = EXCERPT_CONTEXT) -> str:
    """The quote highlighted inside a short stretch of the article around it."""
    span = _find_quote(article_text or "", quote)
    if span is None:
        return f'<mark class="qa-quote">{esc(quote)}</mark>'
    text = article_text or ""
    start, end = span
    lo = max(0, start - context)
    hi = min(len(text), end + context)
    # Cut at word boundaries so the excerpt does not start or end mid-word.
    if lo > 0:
        sp = text.find(" ", lo, start)
        lo = sp + 1 if sp >= 0 else lo
    if hi < len(text):
        sp = text.rfind(" ", end, hi)
        hi = sp if sp >= 0 else hi
    before = ("… " if lo > 0 else "") + _squash(text[lo:start]).lstrip()
    after = _squash(text[end:hi]).rstrip() + (" …" if hi < len(text) else "")
    return (
        f'<span class="qa-context">{esc(before)}</span>'
        f'<mark class="qa-quote">{esc(_squash(text[start:end]))}</mark>'
        f'<span class="qa-context">{esc(after)}</span>'
    )


def _squash(s: str) -> str:
    """Whitespace runs (newlines included) become one space: an excerpt reads as one line."""
    return re.sub(r"\s+", " ", s)


def citation_card(c: Citation, turn: str, article_text: str | None) -> str:
    """One card: number, title (linked when the url is http(s)), source, date, excerpt."""
    url = safe_url(c.url)
    title = esc(c.title or c.article_id)
    if url:
        title_html = (
            f'<a class="qa-card-title" href="{esc(url)}" target="_blank" '
            f'rel="noopener noreferrer">{title}</a>'
        )
    else:
        title_html = f'<span class="qa-card-title">{title}</span>'
    meta = [esc(x) for x in (c.source, c.published_at) if x]
    if url:
        meta.append(
            f'<a class="qa-card-url" href="{esc(url)}" target="_blank" '
            f'rel="noopener noreferrer">{esc(url)}</a>'
        )
    meta_html = " · ".join(meta) if meta else "source and date unknown"
    also = ", ".join(esc(m.get("source") or m["article_id"]) for m in c.also_published_by)
    also_html = f'<div class="qa-card-also">Also published by: {also}</div>' if also else ""
    return (
        f'<div class="qa-card" id="{card_id(turn, c.n)}">'
        f'<div class="qa-card-head"><span class="qa-card-n">[{c.n}]</span> {title_html}</div>'
        f'<div class="qa-card-meta">{meta_html}</div>{also_html}'
        f'<blockquote class="qa-excerpt">{excerpt_html(article_text, c.quote)}</blockquote>'
        f"</div>"
    )


def _paragraphs(escaped: str) -> str:
    parts = [p.strip() for p in re.split(r"\n\s*\n", escaped) if p.strip()]
    return "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in parts) or "<p></p>"


def answer_text_html(
    text: str, turn: str | None, linkable: Iterable[int] = (), unsupported: Sequence[str] = ()
) -> str:
    """Escaped answer text; `[n]` markers become links to cards, unsupported parts marked."""
    body = esc(text)
    for stmt in unsupported:
        s = esc(stmt.strip())
        if s and s in body:
            body = body.replace(
                s,
                f'<mark class="qa-unsupported" title="Not supported by the cited article">'
                f"{s}</mark>",
                1,
            )
    ok = set(linkable)

    def link(marker: Marker, written: str) -> str:
        if turn is None or not any(n in ok for n in marker.numbers):
            return written
        if len(marker.numbers) == 1:
            (n,) = marker.numbers
            return f'<a class="qa-cite" href="#{card_id(turn, n)}">[{n}]</a>'
        refs = [
            f'<a class="qa-cite" href="#{card_id(turn, n)}">{n}</a>' if n in ok else str(n)
            for n in marker.numbers
        ]
        return "[" + ", ".join(refs) + "]"

    # The engine's own marker parser (qa.text), so "[1, 2]" links both articles.
    return _paragraphs(sub_markers(body, link))


def status_line(answer: Answer) -> str:
    """Mode and model, the question's time window (qa/when.py), then the timings in ms."""
    if answer.mode == "extractive":
        who = "extractive (no LLM)"
    else:
        who = f"{answer.mode} · {answer.model}" if answer.model else answer.mode
    t = answer.timings_ms or {}
    parts = [who] + [describe_window(answer.window)] if answer.window else [who]
    parts += [f"{label} {t[stage]:.0f} ms" for stage, label in STATUS_STAGES if stage in t]
    return f'<div class="qa-status">{esc(" · ".join(parts))}</div>'


def render_answer(answer: Answer, turn: str, article_text: Callable[[str], str | None]) -> str:
    """The finished answer: refusal or text, unsupported list, notices, status, cards."""
    used = cited_numbers(answer.text)
    cites = {c.n: c for c in answer.citations}
    shown = [cites[n] for n in used if n in cites]  # only cited articles get cards
    out: list[str] = ['<div class="qa-answer">']
    body = answer_text_html(answer.text, turn, [c.n for c in shown], answer.unsupported)
    if answer.refused:
        out.append(
            '<div class="qa-refusal"><div class="qa-refusal-label">'
            "No answer found in the articles</div>"
            f"{body}{unverified_html(answer)}</div>"
        )
    else:
        # An answer that took the model's place (qa/agreed.py, qa/latest.py) keeps its text.
        out.append(f'<div class="qa-text">{body}{unverified_html(answer)}</div>')
    if answer.unsupported and not answer.unverified:
        items = "".join(f"<li>{esc(s)}</li>" for s in answer.unsupported)
        out.append(
            '<div class="qa-unsupported-list"><strong>⚠ Not supported by the cited '
            f"articles:</strong><ul>{items}</ul></div>"
        )
    for note in answer.notices:
        out.append(f'<div class="qa-notice">ℹ {esc(note)}</div>')
    out.append(status_line(answer))
    if shown:
        cards = []
        for c in shown:
            try:
                text = article_text(c.article_id)
            except Exception:  # article deleted since: show the quote alone
                text = None
            cards.append(citation_card(c, turn, text))
        out.append(f'<div class="qa-cards">{"".join(cards)}</div>')
    out.append("</div>")
    return "".join(out)


def unverified_html(answer: Answer) -> str:
    """The model's answer that the articles do not support, behind a toggle (a native
    <details>, no script): kept for the curious, never shown as the answer."""
    if not answer.unverified:
        return ""
    text = answer_text_html(answer.unverified, None, (), answer.unsupported)
    return (
        '<details class="qa-unverified"><summary>Show the model\'s unverified answer '
        "(the articles do not state it)</summary>"
        f'<div class="qa-unverified-text">{text}</div></details>'
    )


def render_draft(text: str, status: str | None, n_citations: int = 0) -> str:
    """What the chat shows while the answer streams in."""
    out = ['<div class="qa-answer qa-streaming">']
    if text:
        out.append(f'<div class="qa-text">{answer_text_html(text, None)}</div>')
    note = status or "working"
    if n_citations:
        note += f" · {n_citations} source{'s' if n_citations != 1 else ''}"
    out.append(f'<div class="qa-status qa-progress">{esc(note)} …</div></div>')
    return "".join(out)


def render_error(message: str) -> str:
    return f'<div class="qa-answer qa-error">⚠ {esc(message)}</div>'


def user_html(question: str) -> str:
    return f'<div class="qa-question">{_paragraphs(esc(question))}</div>'


def short_title(title: str, limit: int = 80) -> str:
    title = " ".join((title or "").split())
    if len(title) <= limit:
        return title
    cut = title.rfind(" ", 0, limit)
    return title[: cut if cut > 20 else limit].rstrip(" ,;:-") + "…"


def example_questions(articles: Sequence[ArticleInfo], k: int = 3) -> list[str]:
    """Questions drawn from the newest article titles, so they always match the corpus."""
    ranked = sorted(articles, key=lambda a: (a.published_at or "", a.title), reverse=True)
    out: list[str] = []
    for a in ranked:
        t = short_title(a.title or "")
        if not t:
            continue
        q = f"What does the news say about “{t.rstrip('?.!')}”?"
        if q not in out:
            out.append(q)
        if len(out) == k:
            break
    return out


def article_choices(articles: Sequence[ArticleInfo]) -> list[tuple[str, str]]:
    """(label, id) pairs for the delete dropdown: a short title and the id."""
    return [(f"{short_title(a.title, 60)} ({a.id})", a.id) for a in articles]


def article_rows(
    articles: Sequence[ArticleInfo], needle: str = "", also: Iterable[str] = ()
) -> list[list[object]]:
    """Rows for the corpus table, newest first: with a needle, the articles whose title,
    source, id or date contain it, plus the ids in `also` (articles with matching passages)."""
    needle = needle.strip().lower()
    extra = set(also)
    rows = []
    for a in sorted(articles, key=lambda a: (a.published_at or "", a.title), reverse=True):
        hay = " ".join(x or "" for x in (a.title, a.source, a.id, a.published_at)).lower()
        if needle and needle not in hay and a.id not in extra:
            continue
        rows.append([a.title, a.source or "", a.published_at or "", a.chunks, a.id])
    return rows


def hits_html(hits: Sequence[Hit], limit_chars: int = 320) -> str:
    """Passages found by `kb.search`, escaped, with their article and score."""
    if not hits:
        return '<div class="qa-hits qa-empty">No passages found.</div>'
    items = []
    for h in hits:
        text = " ".join(h.text.split())
        if len(text) > limit_chars:
            text = text[:limit_chars].rsplit(" ", 1)[0] + " …"
        meta = " · ".join(esc(x) for x in (h.source, h.published_at, h.article_id) if x)
        items.append(
            f'<li class="qa-hit"><div class="qa-hit-title">{esc(h.title)}</div>'
            f'<div class="qa-card-meta">{meta} · score {h.score:.3f}</div>'
            f'<div class="qa-hit-text">{esc(text)}</div></li>'
        )
    return f'<ol class="qa-hits">{"".join(items)}</ol>'


CSS = """
.qa-answer p { margin: 0 0 .5em 0; }
.qa-cite { font-weight: 600; text-decoration: none; padding: 0 1px; }
.qa-cite:hover { text-decoration: underline; }
.qa-status { font-size: .8em; opacity: .75; margin-top: .4em; }
.qa-card-also { font-size: .8em; opacity: .8; }
.qa-progress { font-style: italic; }
.qa-cards { display: flex; flex-direction: column; gap: .5em; margin-top: .6em; }
.qa-card { border: 1px solid var(--border-color-primary, #ddd); border-radius: 8px;
  padding: .5em .7em; background: var(--background-fill-secondary, #fafafa);
  scroll-margin-top: 4em; }
.qa-card:target, .qa-card.qa-flash { outline: 3px solid #f59e0b; }
.qa-card-n { font-weight: 700; margin-right: .3em; }
.qa-card-title { font-weight: 600; }
.qa-card-meta { font-size: .8em; opacity: .8; margin: .15em 0 .3em 0; word-break: break-all; }
.qa-excerpt { margin: 0; padding-left: .6em; border-left: 3px solid #ccc; font-size: .9em; }
.qa-quote { background: #fde68a; color: inherit; padding: 0 2px; }
.qa-refusal { border-left: 4px solid #9ca3af; padding-left: .6em; }
.qa-refusal-label { font-weight: 700; margin-bottom: .3em; }
.qa-unsupported { background: #fecaca; text-decoration: underline wavy #dc2626; }
.qa-unsupported-list { color: #b91c1c; font-size: .9em; margin-top: .4em; }
.qa-notice { font-size: .85em; opacity: .85; margin-top: .3em; }
.qa-unverified { margin-top: .4em; font-size: .9em; }
.qa-unverified summary { cursor: pointer; opacity: .8; }
.qa-unverified-text { opacity: .75; border-left: 3px dashed #dc2626; padding-left: .6em; }
.qa-error { color: #b91c1c; }
.qa-banner { border: 1px solid #f59e0b; border-radius: 8px; padding: .2em .8em;
  background: rgba(245, 158, 11, .08); }
.qa-hits { padding-left: 1.2em; }
.qa-hit { margin-bottom: .6em; }
.qa-hit-title { font-weight: 600; }
"""
