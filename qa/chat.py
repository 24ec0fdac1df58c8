"""Multi-turn chat: rewrite each follow-up into a standalone question, then ask it afresh.

Retrieval cannot use "and what did he say next?": the words that find the right articles
are in the earlier turns. So before retrieval the follow-up is rewritten into a standalone
question, by the LLM when one is configured, else by a documented heuristic (see
`carry_context`). Each turn is then an ordinary `ask` with its own citations numbered from
[1]; the earlier answers' numbers never leak into the new one (a known pitfall of chat
engines that keep citations in the chat history). The rewritten question is reported in a
Status event so the user can see what was searched for.

LlamaIndex's chat engines cannot be combined with CitationQueryEngine (run-llama/
llama_index#13552), so the history is kept in a llama-index `ChatMemoryBuffer` (token-limited
window of `ChatMessage`s) and the rest is ours.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qa.evidence import is_refusal
from qa.llm import LLMBackend, LLMUnavailable, complete
from qa.text import STOPWORDS, bare, names, strip_markers, words
from qa.types import Answer, Event, Final, Status

if TYPE_CHECKING:
    from qa.api import KnowledgeBase

_PRONOUNS = frozenset(
    {
        *("he", "him", "his", "she", "her", "hers", "they", "them", "their", "theirs"),
        *("it", "its", "this", "that", "these", "those", "there", "then"),
        *("he's", "she's", "they're", "it's"),
    }
)
_CONTINUATIONS = re.compile(
    r"^\s*(?:and|but|also|so|what about|how about|and what|then|what else|why|anything)\b",
    re.IGNORECASE,
)
_QUESTION_START = re.compile(
    r"^(?:who|whom|whose|what|when|where|which|why|how|is|are|was|were|do|does|did|can|"
    r"could|will|would|should|has|have|had)\b",
    re.IGNORECASE,
)
_SHORT = 5  # follow-ups of this many words or fewer usually lean on the previous turn

REWRITE_SYSTEM = """\
You rewrite a follow-up question from a conversation about news into one standalone \
question that can be understood without the conversation. Replace pronouns such as he, \
she, it, they and that with the names or things they refer to. Keep the question short. \
Output only the rewritten question, nothing else.
Example: after "What did Macron say about the budget?", the follow-up "And what did he \
promise?" becomes "What did Macron promise about the budget?"."""


@dataclass
class Turn:
    """One exchange: what was asked, what was searched for, and the answer."""

    question: str
    standalone: str
    answer: Answer
    rewrite_method: str  # "none" | "llm" | "llm+heuristic" | "heuristic"


def needs_context(question: str) -> bool:
    """Heuristic: does this question lean on earlier turns (pronouns, "and ...", very short)?"""
    ws = [bare(w) for w in words(question)]
    if not ws:
        return False
    if _PRONOUNS.intersection(ws) or _CONTINUATIONS.match(question):
        return True
    # Short and naming nothing ("How many troops?"); "Who is Emmanuel Macron?" stands alone.
    return len(ws) <= _SHORT and not names(question)


def key_terms_of(text: str, limit: int = 4) -> list[str]:
    """Names from `text`, else its longest content words: what a follow-up most likely
    refers back to."""
    found = names(text)
    if found:
        return found[:limit]
    content = [w.strip("'’.-") for w in words(text) if len(w) > 3 and bare(w) not in STOPWORDS]
    content = list(dict.fromkeys(content))
    return sorted(content, key=len, reverse=True)[:limit]


def carry_context(question: str, previous: str) -> str:
    """The extractive-mode rewrite: when the follow-up leans on the previous turn, append
    the previous standalone question's names (or key words) that it does not already have.

    "and what did the Kremlin say?" after "What did von der Leyen tell the FT about
    Ukraine?" becomes "and what did the Kremlin say? (about: von der Leyen, FT, Ukraine)":
    enough for keyword and dense retrieval to find the same story.
    """
    if not previous or not needs_context(question):
        return question
    have = question.lower()
    terms = [t for t in key_terms_of(previous) if t.lower() not in have]
    if not terms:
        return question
    return f"{question.rstrip()} (about: {', '.join(terms)})"


def _clean_rewrite(text: str, question: str) -> str | None:
    """The first line of the model's output, minus labels and quotes; None if unusable."""
    for line in text.strip().splitlines():
        line = line.strip()
        if not line:
            continue
        line = re.sub(
            r"^(?:standalone|rewritten|new)?\s*(?:question)?\s*:\s*", "", line, flags=re.I
        )
        line = line.strip().strip("\"“”'` ").strip()
        line = strip_markers(line)
        if not line or len(line) > max(300, 3 * len(question)):
            return None
        if len(words(line)) < 2:
            return None
        if not (line.endswith("?") or _QUESTION_START.match(line)):
            return None  # the model answered or chatted instead of rewriting
        return line
    return None


class Conversation:
    """A chat over a KnowledgeBase: `ask` / `ask_stream` per turn, history kept here.

    Filters given here (since=, until=, source=) apply to every turn; filters given to
    `ask` override them for that turn.
    """

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        llm: str | None = None,
        backend: LLMBackend | None = None,
        history_tokens: int = 600,
        **filters: Any,
    ) -> None:
        from llama_index.core.base.llms.types import ChatMessage  # noqa: F401 - fail early
        from llama_index.core.memory import ChatMemoryBuffer

        self.kb = kb
        self.llm = llm
        self.filters = filters
        self._backend = backend
        self._backend_resolved = backend is not None
        # Whitespace "tokens": ChatMemoryBuffer's default tokenizer is tiktoken, whose
        # encodings are downloaded on first use; we stay offline.
        self.memory = ChatMemoryBuffer.from_defaults(
            token_limit=history_tokens, tokenizer_fn=str.split
        )
        self.turns: list[Turn] = []

    # -- the model used to rewrite follow-ups --------------------------------------------

    @property
    def backend(self) -> LLMBackend | None:
        """The model used to rewrite follow-ups (None in extractive mode)."""
        if not self._backend_resolved:
            self._backend = self._backend_for(self.llm)
            self._backend_resolved = True
        return self._backend

    def _backend_for(self, mode: str | None) -> LLMBackend | None:
        """The kb's model for `mode` (shared with its answerer); None when there is none."""
        try:
            return self.kb.llm_backend(mode)
        except Exception:  # noqa: BLE001 - no model: the heuristic rewrite still works
            return None

    def rewrite(self, question: str, llm: str | None = None) -> tuple[str, str, str | None]:
        """(standalone question, method, notice); see `Turn.rewrite_method`.

        `llm` overrides the conversation's mode for this turn (as `qa chat --llm` does).
        """
        if not self.turns:
            return question, "none", None
        previous = self.turns[-1].standalone
        if not needs_context(question):
            return question, "none", None  # names its own subject: no rewrite, no model call
        backend = self.backend if llm is None else self._backend_for(llm)
        if backend is None:
            return carry_context(question, previous), "heuristic", None
        convo = []
        for m in self.memory.get():
            who = "User" if m.role.value == "user" else "Assistant"
            convo.append(f"{who}: {m.content}")
        messages = [
            {"role": "system", "content": REWRITE_SYSTEM},
            {
                "role": "user",
                "content": "Conversation:\n"
                + "\n".join(convo)
                + f"\n\nFollow-up question: {question}\n\nStandalone question:",
            },
        ]
        try:
            out = complete(backend, messages, max_tokens=60, temperature=0.0)
        except LLMUnavailable as e:
            return (
                carry_context(question, previous),
                "heuristic",
                f"{e} The follow-up was completed from the previous question instead.",
            )
        cleaned = _clean_rewrite(out, question)
        if cleaned is None:
            return carry_context(question, previous), "heuristic", None
        if needs_context(cleaned) and cleaned != question:
            # The model rewrote but left a pronoun in ("What did she say?"): add the names.
            carried = carry_context(cleaned, previous)
            return carried, ("llm+heuristic" if carried != cleaned else "llm"), None
        if needs_context(cleaned):
            return carry_context(question, previous), "heuristic", None
        return cleaned, "llm", None

    # -- turns -----------------------------------------------------------------------------

    def ask_stream(self, question: str, **filters: Any) -> Iterator[Event]:
        """Status (with the rewritten question), text deltas, citations, Final(answer)."""
        standalone, method, notice = self.rewrite(question, filters.get("llm"))
        if method != "none":
            how = {
                "llm": "by the model",
                "llm+heuristic": "by the model, names from the previous question",
            }.get(method, "from the previous question")
            yield Status(f"Searching for: {standalone} (follow-up rewritten {how})")
        opts = {**self.filters, **filters}
        if self.llm and "llm" not in opts:
            opts["llm"] = self.llm
        answer: Answer | None = None
        for ev in self.kb.ask_stream(standalone, **opts):
            if isinstance(ev, Final):
                answer = ev.answer
                answer.question = question
                if notice:
                    answer.notices.insert(0, notice)
                if method != "none":
                    answer.notices.append(f'Follow-up searched as: "{standalone}"')
            yield ev
        if answer is None:
            return
        self._record(Turn(question, standalone, answer, method))

    def remember(self, question: str, reply: str) -> None:
        """Record an earlier exchange of a transcript without asking it again: an HTTP client
        sends the whole conversation with every request (qa.httpapi). The question is
        completed from the one before it by the heuristic rewrite (`carry_context`), never by
        a model call, so replaying a long transcript costs nothing."""
        previous = self.turns[-1].standalone if self.turns else ""
        standalone = carry_context(question, previous)
        method = "heuristic" if standalone != question else "none"
        answer = Answer(question=question, text=reply, refused=is_refusal(reply))
        self._record(Turn(question, standalone, answer, method))

    def _record(self, turn: Turn) -> None:
        """Keep a finished turn: in `turns`, and in the memory the model rewrites from."""
        from llama_index.core.base.llms.types import ChatMessage, MessageRole

        self.turns.append(turn)
        self.memory.put(ChatMessage(role=MessageRole.USER, content=turn.standalone))
        reply = strip_markers(turn.answer.text)
        if len(reply) > 400:
            reply = reply[:400].rsplit(" ", 1)[0] + " ..."
        self.memory.put(ChatMessage(role=MessageRole.ASSISTANT, content=reply))

    def ask(self, question: str, **filters: Any) -> Answer:
        """One turn; returns the Answer (its `question` is what the user typed)."""
        answer: Answer | None = None
        for ev in self.ask_stream(question, **filters):
            if isinstance(ev, Final):
                answer = ev.answer
        if answer is None:
            raise RuntimeError("the answer stream ended without a final answer")
        return answer

    @property
    def history(self) -> list[Turn]:
        return list(self.turns)

    def reset(self) -> None:
        """Forget the conversation (the next question is taken as standalone)."""
        self.turns.clear()
        self.memory.reset()
