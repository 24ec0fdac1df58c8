"""The `qa` command: a thin shell over KnowledgeBase that only parses and prints."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from qa.config import LLM_MODES
from qa.types import Answer, CitationEvent, Event, Final, Hit, Status, TextDelta

if TYPE_CHECKING:  # pragma: no cover
    from typing import TypeAlias

    from qa.api import KnowledgeBase
    from qa.config import Settings

    _Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--since", metavar="DATE", help="only articles published on/after DATE")
    p.add_argument("--until", metavar="DATE", help="only articles published on/before DATE")
    p.add_argument(
        "--source", action="append", metavar="NAME", help="only this source (repeatable)"
    )
    p.add_argument(
        "--as-of",
        metavar="DATE",
        help="the question's 'today' for 'yesterday', 'last week'... (env QA_AS_OF); "
        "nothing published later is searched",
    )
    p.add_argument(
        "--no-time",
        action="store_true",
        help="don't read time words in the question as a published-date window",
    )


# The flags before the subcommand; every subcommand honours them (`_settings`, `_eval_argv`).
GLOBAL_FLAGS = ("--index", "--chroma-url")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="qa",
        description="Answer questions about news articles, with citations to the articles.",
    )
    p.add_argument(
        "--index",
        metavar="DIR",
        help="index folder (env QA_INDEX; default ~/.local/share/news-qa/index)",
    )
    p.add_argument("--chroma-url", metavar="URL", help="use a Chroma server (env QA_CHROMA_URL)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # In the order `qa --help` lists them.
    _ingest_command(sub)
    _question_commands(sub)
    _store_commands(sub)
    _server_commands(sub)
    return p


def _ingest_command(sub: _Subparsers) -> None:
    s = sub.add_parser("ingest", help="add or update articles from files and folders")
    s.add_argument("paths", nargs="+", metavar="PATH")
    s.add_argument("--json", action="store_true", help="print the report as JSON")
    s.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    s.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="embed in N worker processes, one writer (env QA_INGEST_WORKERS; default 1)",
    )


def _question_commands(sub: _Subparsers) -> None:
    """Commands that ask: one question, a search, a conversation."""
    s = sub.add_parser("ask", help="answer a question with citations")
    s.add_argument("question")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    s.add_argument("--llm", choices=LLM_MODES, help="answerer to use")
    s.add_argument("-k", type=int, default=None, help="chunks of context to retrieve")
    _filters(s)

    s = sub.add_parser("search", help="show the ranked chunks for a query")
    s.add_argument("query")
    s.add_argument("-k", type=int, default=5)
    s.add_argument("--json", action="store_true")
    _filters(s)

    s = sub.add_parser("chat", help="a multi-turn conversation in the terminal")
    s.add_argument("--llm", choices=LLM_MODES, help="answerer to use")
    _filters(s)


def _store_commands(sub: _Subparsers) -> None:
    """Commands that show, remove, check or copy what is stored."""
    s = sub.add_parser("list", help="list the stored articles")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("delete", help="remove an article and all its chunks")
    s.add_argument("ids", nargs="+", metavar="ID")

    s = sub.add_parser("check", help="check the indexes agree (and --repair them)")
    s.add_argument("--repair", action="store_true", help="fix what the check finds")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("sync", help="update the local articles from the Chroma server")
    s.add_argument("--json", action="store_true", help="print the report as JSON")

    s = sub.add_parser("export", help="write all articles as JSONL (re-ingestable)")
    s.add_argument("-o", "--output", metavar="FILE", help="default: standard output")


def _server_commands(sub: _Subparsers) -> None:
    """The web app, and the eval harness (which parses its own flags)."""
    # One app either way: the HTTP API (/v1, /api, /docs) and the web UI (/) on one port.
    for name, what in (
        ("serve", "serve the HTTP API and the web UI on one port"),
        ("ui", "start the web UI (the HTTP API is served beside it)"),
    ):
        s = sub.add_parser(name, help=what)
        s.add_argument("--host", help="address to bind (env QA_UI_HOST; default 127.0.0.1)")
        s.add_argument("--port", type=int, help="port (env QA_UI_PORT; default 7860)")

    s = sub.add_parser("eval", help="run an eval suite (see docs/evals.md)", add_help=False)
    s.add_argument("rest", nargs=argparse.REMAINDER)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    eval_argv = _eval_argv(argv)
    if eval_argv is not None:  # the harness parses its own flags (and its own --help)
        from evals.cli import main as eval_main

        return eval_main(eval_argv)
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # every failure a user can cause ends as one line, not a traceback
        from qa.api import QuestionError
        from qa.embed import EmbedderUnavailable
        from qa.store import StoreError

        if isinstance(e, (QuestionError, ValueError, StoreError, EmbedderUnavailable, OSError)):
            print(f"qa: error: {e}", file=sys.stderr)
            return 2
        raise


def _eval_argv(argv: list[str]) -> list[str] | None:
    """`qa [--index DIR] [--chroma-url URL] eval ...` -> the harness's own argv, with the
    global flags passed on (it takes both)."""
    i, extra = 0, []
    while i < len(argv) and argv[i].split("=")[0] in GLOBAL_FLAGS:
        n = 1 if "=" in argv[i] else 2
        extra += argv[i : i + n]
        i += n
    if i < len(argv) and argv[i] == "eval":
        return [*argv[i + 1 :], *extra]
    return None


def _settings(args: argparse.Namespace) -> Settings:
    """The settings for any command: every global flag (and `qa ui`'s own) on top of env and
    qa.toml. One place, so a global flag reaches every command, `qa ui` included."""
    from qa.config import settings_from

    return settings_from(
        index=args.index,
        chroma_url=args.chroma_url,
        ui_host=getattr(args, "host", None),
        ui_port=getattr(args, "port", None),
        ingest_workers=getattr(args, "workers", None),
        # `qa sync` syncs itself, with a report (not quietly on open).
        auto_sync=False if args.command == "sync" else None,
    )


def _kb(args: argparse.Namespace) -> KnowledgeBase:
    from qa.api import KnowledgeBase

    return KnowledgeBase(settings=_settings(args))


def _filter_args(args: argparse.Namespace) -> dict[str, object]:
    return {
        "since": args.since,
        "until": args.until,
        "source": args.source,
        "as_of": args.as_of,
        "parse_time": False if args.no_time else None,
    }


def _json(value: object) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def _ui(args: argparse.Namespace) -> int:
    """`qa ui` and `qa serve`: the web UI and the HTTP API, one app on one port."""
    from ui.app import run

    return run(_settings(args))


def _ingest(args: argparse.Namespace) -> int:
    report = _kb(args).ingest(args.paths, progress=not (args.quiet or args.json))
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
        return 1 if report.failed else 0
    print(report.summary())
    for f in report.failed:
        print(f"  failed: {f}", file=sys.stderr)
    if report.failures_not_listed:
        print(f"  … and {report.failures_not_listed:,} more failures", file=sys.stderr)
    for new, old in report.duplicates.items():
        print(f"  duplicate: {new} has the same content as {old}; stored once, listed as its copy")
    return 1 if report.failed else 0


def _ask(args: argparse.Namespace) -> int:
    kb, opts = _kb(args), {"k": args.k, "llm": args.llm, **_filter_args(args)}
    if args.json:
        _json(kb.ask(args.question, **opts).to_dict())
    else:
        _print_stream(kb.ask_stream(args.question, **opts))
    return 0


def _search(args: argparse.Namespace) -> int:
    hits = _kb(args).search(args.query, k=args.k, **_filter_args(args))
    if args.json:
        _json([h.to_dict() for h in hits])
    else:
        _print_hits(hits)
    return 0


def _list(args: argparse.Namespace) -> int:
    arts = _kb(args).articles()
    if args.json:
        _json([a.to_dict() for a in arts])
        return 0
    for a in arts:
        meta = " · ".join(x for x in (a.source, a.published_at) if x)
        print(f"{a.id}  {a.title}" + (f"  ({meta})" if meta else "") + f"  [{a.chunks}]")
    print(f"{len(arts)} articles", file=sys.stderr)
    return 0


def _delete(args: argparse.Namespace) -> int:
    kb, code = _kb(args), 0
    for aid in args.ids:
        if kb.delete(aid):
            print(f"deleted {aid}")
        else:
            print(f"qa: error: no article with id '{aid}' (see `qa list`)", file=sys.stderr)
            code = 1
    return code


def _check(args: argparse.Namespace) -> int:
    rep = _kb(args).verify(repair=args.repair)
    print(json.dumps(rep.to_dict(), indent=2) if args.json else rep.summary())
    return 0 if rep.ok else 1


def _sync(args: argparse.Namespace) -> int:
    rep = _kb(args).sync(progress=not args.json)
    print(json.dumps(rep.to_dict(), indent=2) if args.json else rep.summary())
    return 0


def _export(args: argparse.Namespace) -> int:
    n = _kb(args).export(args.output or sys.stdout)
    where = f" to {args.output}" if args.output else ""
    print(f"exported {n} articles{where}", file=sys.stderr)
    return 0


def _chat(args: argparse.Namespace) -> int:
    conv = _kb(args).chat(**_filter_args(args))
    print("Ask about the articles. Empty line or Ctrl-D to quit.", file=sys.stderr)
    while True:
        try:
            q = input("\n> ").strip()
        except EOFError:
            return 0
        if not q:
            return 0
        try:
            _print_stream(conv.ask_stream(q, llm=args.llm) if args.llm else conv.ask_stream(q))
        except ValueError as e:
            print(f"qa: error: {e}", file=sys.stderr)


# One handler per subcommand (`eval` never gets here: `main` hands it to the harness).
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "ingest": _ingest,
    "ask": _ask,
    "search": _search,
    "chat": _chat,
    "list": _list,
    "delete": _delete,
    "check": _check,
    "sync": _sync,
    "export": _export,
    "ui": _ui,
    "serve": _ui,
}


def _run(args: argparse.Namespace) -> int:
    return COMMANDS[args.command](args)


def _print_stream(events: Iterable[Event]) -> Answer:
    streamed: list[str] = []
    answer: Answer | None = None
    for ev in events:
        if isinstance(ev, Status):
            if sys.stderr.isatty():
                print(f"… {ev.message}", file=sys.stderr)
        elif isinstance(ev, TextDelta):
            streamed.append(ev.text)
            sys.stdout.write(ev.text)
            sys.stdout.flush()
        elif isinstance(ev, CitationEvent):
            pass  # printed with the final answer, once validated
        elif isinstance(ev, Final):
            answer = ev.answer
    assert answer is not None
    print()
    if "".join(streamed).strip() != answer.text.strip():
        print("\nChecked answer (citations validated):\n" + answer.text)
    _print_answer_footer(answer)
    return answer


def _print_answer_footer(answer: Answer) -> None:
    if answer.unverified:
        print(
            textwrap.fill(
                f"Unverified (the model's answer; the articles do not state it): "
                f"{answer.unverified}",
                width=96,
                initial_indent="  ? ",
                subsequent_indent="    ",
            )
        )
    for s in answer.unsupported:
        print(f"  ! not supported by its cited article: {s}")
    for n in answer.notices:
        print(f"  note: {n}")
    if answer.citations:
        print("\nSources:")
    for c in answer.citations:
        meta = " · ".join(x for x in (c.source, c.published_at, c.url) if x)
        print(f"[{c.n}] {c.title}  ({c.article_id})")
        if meta:
            print(f"    {meta}")
        if c.also_published_by:
            others = ", ".join(m["source"] or m["article_id"] for m in c.also_published_by)
            print(f"    also published by: {others}")
        print(
            textwrap.fill(
                f"“{c.quote}”", width=96, initial_indent="    ", subsequent_indent="     "
            )
        )
    who = answer.mode + (f" · {answer.model}" if answer.model else "")
    # The fixed stage names (qa.types.STAGES); "answer" is the answerer's time in both modes.
    t = answer.timings_ms
    retrieval, answering = t.get("retrieve", 0.0), t.get("answer", 0.0)
    from qa.when import describe_window

    when = f"{describe_window(answer.window)}; " if answer.window else ""
    print(
        f"\n({who}; {when}retrieval {retrieval:.0f} ms, answer {answering:.0f} ms)",
        file=sys.stderr,
    )


def _print_hits(hits: list[Hit]) -> None:
    if not hits:
        print("no matching chunks")
    for i, h in enumerate(hits, 1):
        parts = [f"fused {h.score:.2f}"]
        if h.dense_score is not None:
            parts.append(f"dense {h.dense_score:.3f}")
        if h.keyword_score is not None:
            parts.append(f"bm25 {h.keyword_score:.2f}")
        print(f"{i}. {h.article_id} #{h.position}  ({', '.join(parts)})  {h.title}")
        snippet = " ".join(h.text.split())
        print(textwrap.fill(snippet[:400], width=96, initial_indent="   ", subsequent_indent="   "))


if __name__ == "__main__":
    sys.exit(main())
