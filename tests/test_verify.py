"""The model's second opinion (qa.verify): how its reply is read, and when it is asked.

The reply is one word; anything else is no opinion, which keeps the citation. Unset,
`llm_verify` asks every model but those known to be under a billion parameters, which
measured unable to judge (docs/evals.md, "Model verification")."""

from __future__ import annotations

import pytest

from qa.config import Settings
from qa.llm import LLMBackend
from qa.verify import SYSTEM, messages, model_params, parse, wanted


@pytest.mark.parametrize(
    ("reply", "verdict"),
    [
        ("yes", True),
        ("Yes.", True),
        (" no", False),
        ("No, the passage gives 14 million.", False),
        ('{"verdict": "no"}', False),  # some servers answer in JSON anyway
        ('{"verdict": "yes"}', True),
        ("Yesterday the council met.", None),  # a word that starts like "yes" is not one
        ("The statement is supported.", None),
        ('{"verdict": "maybe"}', None),
        ("{not json", None),
        ("", None),
        (None, None),
    ],
)
def test_the_reply_is_read_by_its_first_word(reply: str | None, verdict: bool | None) -> None:
    assert parse(reply) is verdict


def test_the_request_names_the_near_misses_and_asks_for_one_word() -> None:
    system, user = messages("Fourteen children are in hospital.", "Nine children are in hospital.")
    assert system["content"] == SYSTEM and "swapped" in SYSTEM and "one word" in SYSTEM
    assert "Nine children are in hospital." in user["content"]
    assert user["content"].index("Passage:") < user["content"].index("Statement: Fourteen")


def backend(model: str) -> LLMBackend:
    return LLMBackend(client=None, model=model, mode="local")


@pytest.mark.parametrize(
    ("setting", "model", "asked"),
    [
        (None, "SmolLM2-135M-Instruct.Q4_1", False),  # the test model: chance level
        (None, "qwen2.5-0.5b-instruct-q4_k_m", False),  # said no to nearly everything
        (None, "qwen2.5-1.5b-instruct-q4_k_m", True),
        (None, "llama3.1:8b", True),
        (None, "gpt-4o-mini", True),  # a hosted model that gives no size: asked
        (True, "SmolLM2-135M-Instruct.Q4_1", True),  # asked for: asked
        (False, "qwen2.5-1.5b-instruct-q4_k_m", False),
    ],
)
def test_verification_is_on_unless_the_model_is_too_small_to_judge(
    setting: bool | None, model: str, asked: bool
) -> None:
    assert wanted(setting, backend(model)) is asked


def test_a_size_in_the_name_is_read_as_parameters() -> None:
    assert model_params(backend("SmolLM2-135M-Instruct.Q4_1")) == 135e6
    assert model_params(backend("qwen2.5-1.5b-instruct")) == 1.5e9  # not the "2.5" of qwen2.5
    assert model_params(backend("mistral-7B-v0.3")) == 7e9
    assert model_params(backend("gpt-4o-mini")) is None


def test_the_setting_is_unset_by_default_and_reads_true_and_false(tmp_path) -> None:
    assert Settings(index=tmp_path).llm_verify is None
    assert Settings(index=tmp_path, llm_verify="false").llm_verify is False
    assert Settings(index=tmp_path, llm_verify="true").llm_verify is True
