"""How a statement links its facts, which the window must link the same way: a cause
("given the post because of her army career" needs a window that gives a reason, not one
that only names her career), and a comparison's reference figure ("58%, against 61% a year
earlier" is not "61%, against 58% a year earlier", though both numbers are there)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from qa.facts.vocab import _canon, _content, _term_in, _tokens
from qa.text import numbers_in

if TYPE_CHECKING:
    from qa.facts.article import _Sentence

# A statement that gives a cause: the words after one of these are the cause.
_CAUSE = re.compile(
    r"\b(?:because(?:\s+of)?|due\s+to|owing\s+to|as\s+a\s+result\s+of|caused\s+by|"
    r"thanks\s+to|in\s+response\s+to)\s+",
    re.IGNORECASE,
)
# A window that gives a reason, in the ways news writes one.
_REASON = re.compile(
    r"\b(?:because|due\s+to|owing\s+to|as\s+a\s+result|result(?:ed|s)?\s+(?:of|from|in)|"
    r"caus(?:e|ed|es|ing)|l(?:ed|ead|eads|eading)\s+to|after|following|for\s+lack\s+of|"
    r"lack\s+of|blam(?:e|ed|es|ing)|attribut(?:e|ed|es|ing)|thanks\s+to|since|so\s+that|"
    r"therefore|reasons?|why|amid|over|prompt(?:ed|ing|s)?|forc(?:ed|ing)|"
    r"trigger(?:ed|ing|s)?|in\s+response\s+to|sparked|meant|given|for)\b",
    re.IGNORECASE,
)
# Words that close the cause a statement gives.
_CAUSE_WORDS = 4


def unstated_cause(claim_text: str, window: list[_Sentence]) -> str | None:
    """The cause a statement gives that no window sentence gives as a reason: the
    sentence that names the cause (one of its first content words) must also hold a
    reason word. None when the statement gives no cause or the window gives it."""
    m = _CAUSE.search(claim_text)
    if m is None:
        return None
    cause = [_canon(c) for t in _tokens(claim_text[m.end() :]) if (c := _content(t))][:_CAUSE_WORDS]
    if not cause:
        return None
    for s in window:
        if _REASON.search(s.folded) and any(_term_in(c, s.stems) for c in cause):
            return None
    return " ".join(cause)


# The figure a comparison is made against: the number right after one of these.
_AGAINST = re.compile(
    r"\b(?:compared\s+(?:with|to)|against|versus|vs\.?|from|than)\s+"
    r"(?:the\s+|about\s+|around\s+|some\s+|nearly\s+|almost\s+|just\s+|a\s+|an\s+)?"
    r"(?:[$£€]\s*)?$",
    re.IGNORECASE,
)


def _references(text: str) -> tuple[set[float], set[float]]:
    """The numbers of `text` a comparison is made against, and the others."""
    refs, others = set(), set()
    for n in numbers_in(text):
        (refs if _AGAINST.search(text[max(0, n.start - 40) : n.start]) else others).add(n.value)
    return refs, others - refs


def swapped_reference(claim_text: str, window: list[_Sentence]) -> float | None:
    """A figure the statement compares against that the window gives as the compared one,
    while the window compares against another figure of the statement: the two swapped.
    Returns that figure, or None."""
    c_refs, c_others = _references(claim_text)
    if not c_refs or not c_others:
        return None
    w_refs: set[float] = set()
    w_others: set[float] = set()
    for s in window:
        r, o = _references(s.folded)
        w_refs |= r
        w_others |= o
    for v in c_refs:
        if v in w_others and v not in w_refs and c_others & w_refs:
            return v
    return None


# A passive's agent: "sparked by lightning", "was won by Rotich", "led by the union".
_AGENT = re.compile(r"\b[a-z]+(?:ed|en|wn|ght)\s+by\s+(?:a|an|the)?\s*([a-z][a-z'-]+)")


def unstated_agent(claim_text: str, have: frozenset[str]) -> str | None:
    """Who or what did it, in a passive statement ("sparked by a campfire"): a fact like a
    name, which the window must state. Names are checked as names; this is the common noun."""
    for m in _AGENT.finditer(claim_text):
        agent = _content(m.group(1))
        if agent is not None and not _term_in(_canon(agent), have) and not _term_in(agent, have):
            return agent
    return None
