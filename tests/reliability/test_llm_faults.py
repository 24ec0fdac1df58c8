"""Faults a real server cannot produce on cue: retries, Retry-After, cut streams, fallback.

The openai client is real; only the server misbehaves (tests/faults.py). Sleeps are
recorded instead of slept, so the tests check *which* waits were chosen, not how long
anything took.
"""

from __future__ import annotations

import pytest

from qa.llm import (
    LLMBackend,
    LLMUnavailable,
    Restart,
    Retrying,
    RetryPolicy,
    StreamResult,
    complete,
    make_client,
    stream_chat,
)
from qa.types import Final, Status, TextDelta
from tests.faults import FaultServer, Step, dead_url

KEY = "sk-test-SECRET-0123456789abcdef"
MESSAGES = [{"role": "user", "content": "hi"}]


def backend_for(url: str, retries: int = 2, timeout: float = 5.0) -> tuple[LLMBackend, list]:
    waits: list[float] = []
    from pydantic import SecretStr

    secret = SecretStr(KEY)
    b = LLMBackend(
        client=make_client(url, secret, timeout),
        model="fault-model",
        mode="openai",
        base_url=url,
        policy=RetryPolicy(retries=retries, sleep=waits.append),
        secret=secret,
    )
    return b, waits


def run(b: LLMBackend) -> tuple[str, list]:
    text, events = "", []
    for item in stream_chat(b, MESSAGES):
        events.append(item)
        if isinstance(item, Restart):
            text = ""
        elif isinstance(item, str):
            text += item
    return text, events


def test_429_honours_retry_after_then_succeeds() -> None:
    with FaultServer([Step("429", retry_after="7"), Step("ok", text="Fine now [1].")]) as srv:
        b, waits = backend_for(srv.base_url)
        text, events = run(b)
    assert text == "Fine now [1]."
    assert waits == [7.0]  # the server's Retry-After, not our backoff
    retries = [e for e in events if isinstance(e, Retrying)]
    assert len(retries) == 1 and "429" in retries[0].reason
    assert srv.calls == 2
    # The key went to the server as a bearer token (the client is really configured) ...
    assert srv.requests[0]["headers"]["Authorization"] == f"Bearer {KEY}"


def test_retry_after_too_long_gives_up_at_once() -> None:
    with FaultServer([Step("429", retry_after="3600")]) as srv:
        b, waits = backend_for(srv.base_url)
        with pytest.raises(LLMUnavailable, match="rate limited"):
            run(b)
    assert srv.calls == 1 and waits == []


def test_5xx_is_retried_a_bounded_number_of_times() -> None:
    with FaultServer([Step("500")]) as srv:
        b, waits = backend_for(srv.base_url, retries=3)
        with pytest.raises(LLMUnavailable) as ei:
            run(b)
    assert srv.calls == 4  # 1 + 3 retries
    assert len(waits) == 3
    assert waits[0] < waits[2]  # exponential backoff (jitter is +-25%, growth is 4x)
    msg = str(ei.value)
    assert "HTTP 500" in msg and "4 attempts" in msg
    assert KEY not in msg and "sk-" not in msg


def test_stream_cut_mid_answer_is_retried_without_repeating_text() -> None:
    full = "Europe is drawing up plans [1]. Troops may deploy [2]."
    with FaultServer([Step("cut", text=full, cut_after=3), Step("ok", text=full)]) as srv:
        b, _ = backend_for(srv.base_url)
        res = StreamResult()
        pieces = list(stream_chat(b, MESSAGES, result=res))
    texts = [p for p in pieces if isinstance(p, str)]
    assert "".join(texts) == full  # the replayed prefix was swallowed, not shown twice
    assert not any(isinstance(p, Restart) for p in pieces)
    assert any(isinstance(p, Retrying) and "mid-answer" in p.reason for p in pieces)
    assert res.finish_reason == "stop" and srv.calls == 2


def test_stream_ending_without_finish_reason_counts_as_cut() -> None:
    with FaultServer([Step("cut_clean", cut_after=2), Step("ok", text="Whole answer.")]) as srv:
        b, _ = backend_for(srv.base_url)
        text, events = run(b)
    assert text == "Whole answer."
    assert any(isinstance(e, Restart) for e in events)  # the replay differed from the draft
    assert srv.calls == 2


def test_connection_refused_then_clear_message() -> None:
    url = dead_url()
    b, waits = backend_for(url, retries=1)
    with pytest.raises(LLMUnavailable, match="could not connect") as ei:
        complete(b, MESSAGES)
    assert len(waits) == 1
    assert "127.0.0.1" in str(ei.value) and KEY not in str(ei.value)


def test_timeout_is_retried() -> None:
    with FaultServer([Step("hang", hang_s=3.0), Step("ok", text="Late but fine.")]) as srv:
        b, waits = backend_for(srv.base_url, timeout=0.5)
        assert complete(b, MESSAGES) == "Late but fine."
    assert len(waits) == 1 and srv.calls == 2


def test_server_without_stream_options_still_works() -> None:
    with FaultServer([Step("strict", text="Plain answer.")]) as srv:
        b, waits = backend_for(srv.base_url)
        assert complete(b, MESSAGES) == "Plain answer."
        assert complete(b, MESSAGES) == "Plain answer."  # remembered: no second 400
    assert waits == [] and srv.calls == 3
    assert "stream_options" in srv.requests[0]["body"]
    assert "stream_options" not in srv.requests[1]["body"]


def test_bad_request_is_not_retried() -> None:
    with FaultServer([Step("400")]) as srv:
        b, waits = backend_for(srv.base_url)
        with pytest.raises(LLMUnavailable, match="HTTP 400"):
            run(b)
    assert srv.calls == 2 and waits == []  # the one retry without stream_options, then stop


def test_auth_error_is_not_retried_and_key_is_redacted() -> None:
    with FaultServer([Step("401", echo=KEY)]) as srv:
        b, waits = backend_for(srv.base_url)
        with pytest.raises(LLMUnavailable, match="authentication failed") as ei:
            run(b)
    assert srv.calls == 1 and waits == []
    assert KEY not in str(ei.value)
    assert ei.value.__cause__ is None and ei.value.__suppress_context__


def test_faults_fall_back_to_extractive_with_notice(
    seed_index, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Through the public API: a failing endpoint costs retries, then the extractive answer."""
    from qa import KnowledgeBase

    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("QA_LLM_RETRIES", "2")
    caplog.set_level("DEBUG")
    with FaultServer([Step("500"), Step("429", retry_after="0"), Step("cut")]) as srv:
        kb = KnowledgeBase(seed_index, llm="openai", llm_base_url=srv.base_url, llm_retries=2)
        try:
            events = list(kb.ask_stream("What is Europe drawing up plans for in Ukraine?"))
        finally:
            kb.close()
        calls = srv.calls
    assert calls == 3  # first try + 2 retries, each fault once
    statuses = [e.message for e in events if isinstance(e, Status)]
    assert sum("retry" in s for s in statuses) == 2
    final = events[-1]
    assert isinstance(final, Final)
    ans = final.answer
    assert ans.mode == "extractive" and ans.model is None
    assert not ans.refused and ans.citations  # the extractive answer is still a real answer
    assert any("unavailable" in n and "extractive" in n for n in ans.notices)
    assert any(isinstance(e, TextDelta) for e in events)
    everything = " ".join([*statuses, *ans.notices, ans.text, caplog.text])
    assert KEY not in everything
