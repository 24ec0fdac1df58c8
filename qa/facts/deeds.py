"""Deeds a statement says were done, against a window that only foresees, offers, asks for
or allows them ("has issued new guidance" is not stated by "said it would issue new
guidance"; "has gone back to the previous pattern" not by "had offered to return to the
previous pattern"), or an article that only denies them ("have arrested two men" against "no
arrests have been made"). (A deed the window only holds possible, reported or alleged:
qa.facts.clauses.surer_than_source.)"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from qa.facts.vocab import _CLAUSE, _canon, _content, _term_in, _tokens, pair_union
from qa.text import numbers_in

if TYPE_CHECKING:
    from qa.facts.article import Article, _Sentence


# What is only foreseen, offered or possible: the verb after one of these ("would issue",
# "will be installed", "had offered to return", "is due to report") is no deed done. Case
# kept: "May" the month is no modal.
_FORESEEN = re.compile(
    r"\b(?:would|could|might|will|shall|should|may)\s+(?:not\s+)?(?:have\s+)?(?:be\s+|been\s+)?"
    r"(?:[a-z]+ly\s+)?([a-z][a-z'-]+)"
    r"|\b(?:(?:offer|plan|aim|intend|hope|want|expect|promise|pledge|threaten)(?:s|ed|ing)?|"
    r"due|set|likely|poised|talks|seeking|trying|ready|prepared|willing)\s+to\s+(?:be\s+)?"
    r"([a-z][a-z'-]+)"
)
# What someone is asked or expected to do, an object between: "expected the first of the
# closed wards to reopen", "would ask Madrid to declare the area a disaster zone" (read apart
# from _FORESEEN, whose "would ask" takes the words this needs).
_ASKED = re.compile(
    r"\b(?:expect|want|ask|urge|call\s+on|press|persuade)(?:s|ed|ing)?\s+"
    r"(?:[\w'-]+\s+){1,6}?to\s+(?:be\s+)?([a-z][a-z'-]+)"
)


def _ahead(text: str) -> list[str]:
    """The verbs `text` foresees, asks or expects, with a purpose further on in the plan's
    clause ("plan to return in spring 2026 to drill a second core": drill too)."""
    out = []
    for rx in (_FORESEEN, _ASKED):
        for m in rx.finditer(text):
            out += [g for g in m.groups() if g]
            end = next((c.start() for c in _CLAUSE.finditer(text, m.end())), len(text))
            out += [p.group(1) for p in _PURPOSE.finditer(text, m.end(), end)]
    return out


# A purpose: "to drill", "to be built".
_PURPOSE = re.compile(r"\bto\s+(?:be\s+)?([a-z][a-z'-]+)")


# A deed a statement says was done: the verb after has/have/had or was/were, or a past in -ed.
_DONE = re.compile(
    r"\b(?:has|have|had|was|were)\s+(?:(?:[a-z]+ly|already|now|been)\s+)*([a-z][a-z'-]+)"
    r"|\b([a-z]{3,}ed)\b"
)


def _stems_of(words: list[str]) -> set[str]:
    return {_canon(c) for w in words if (c := _content(w))}


def _deeds(claim_text: str, with_auxiliary: bool = False) -> set[str]:
    """The stems of the deeds a statement says were done and does not itself foresee; with
    `with_auxiliary`, only participles after has/have/was ("have arrested")."""
    matches = list(_DONE.finditer(claim_text))
    if with_auxiliary:
        found = [w for m in matches if (w := m.group(1)) and _PARTICIPLE.search(w)]
    else:
        found = [m.group(1) or m.group(2) for m in matches]
    return _stems_of(found) - _stems_of(_ahead(claim_text))


def foreseen_deed(claim_text: str, window: list[_Sentence]) -> str | None:
    """A verb the statement says was done ("the first robots were installed") that the
    window only foresees, offers or allows ("would be installed in the spring"), never
    states plainly. Returns that verb's stem, or None. A statement that itself foresees it
    ("will be installed") is not checked here."""
    done = _deeds(claim_text)
    if not done:
        return None
    foreseen, plain = pair_union(_foreseen_split(s.folded) for s in window)
    for d in sorted(done):
        if _same_verb(d, foreseen) and not _same_verb(d, plain):
            return d
    return None


# A deed a statement says is done by now: "has already begun selling", "had caught",
# "have introduced".
_PERFECT = re.compile(
    r"\b(?:has|have|had)\s+(?:already\s+|now\s+)?(?:been\s+)?([a-z][a-z'-]+)"
    r"|\balready\s+([a-z][a-z'-]+)"
)


def done_not_foreseen(claim_text: str, window: list[_Sentence]) -> str | None:
    """A deed the statement says is done by now ("has gone back to the previous pattern")
    in words the window never states plainly, where the window speaks of plans ("had offered
    to return to the previous pattern"): the window's plan, reworded as a deed."""
    # ("already owns" is a state, not a deed done: a participle only)
    found = [m.group(1) or m.group(2) for m in _PERFECT.finditer(claim_text)]
    done = _stems_of([w for w in found if _PARTICIPLE.search(w)])
    done -= _stems_of(_ahead(claim_text))
    if not done:
        return None
    # (its figures too: "1,400 apartments" is the matter of "will have 1,400 apartments")
    said = (_stems_of(_tokens(claim_text)) - done) | _figures(claim_text)
    # a plan of the window's on the statement's matter
    if not any(len(said & plan) >= 2 for s in window for plan in _plans(s.folded)):
        return None
    plain = set().union(*(_foreseen_split(s.folded)[1] for s in window))
    for d in sorted(done):
        if not _same_verb(d, plain):
            return d
    return None


@lru_cache(maxsize=4096)
def _plans(folded: str) -> tuple[frozenset[str], ...]:
    """The words of each plan, offer or request in a sentence (from its verb to the end of its
    clause: "had offered to return to the previous pattern"), read once per sentence."""
    out = []
    for rx in (_FORESEEN, _ASKED):
        for m in rx.finditer(folded):
            end = next((c.start() for c in _CLAUSE.finditer(folded, m.end())), None)
            clause = folded[m.start() : end]
            out.append(frozenset(_stems_of(_tokens(clause)) | _figures(clause)))
    return tuple(out)


def _figures(text: str) -> set[str]:
    return {f"#{n.value:g}" for n in numbers_in(text)}


@lru_cache(maxsize=4096)
def _foreseen_split(folded: str) -> tuple[frozenset[str], frozenset[str]]:
    """A sentence's foreseen verbs and its other words (stems), read once per sentence:
    every statement checked against its window asks again."""
    ahead = _stems_of(_ahead(folded))
    rest = _FORESEEN.sub(" ", _ASKED.sub(" ", folded))
    # (a purpose of a plan is foreseen too: "to drill" after "plan to return")
    purposes = {_canon(c) for p in _PURPOSE.finditer(rest) if (c := _content(p.group(1)))}
    plain = _stems_of(_tokens(rest)) - (purposes & ahead)
    return frozenset(ahead), frozenset(plain)


def _same_verb(stem: str, stems: set[str]) -> bool:
    """A verb's stem among `stems`, the stemmer's leftovers aside ("issu" / "issue")."""
    return _term_in(stem, frozenset(stems)) or any(
        len(stem) >= 4
        and len(s) >= 4
        and (s.startswith(stem) or stem.startswith(s))
        and abs(len(s) - len(stem)) <= 1
        for s in stems
    )


# A participle after has/have/was ("had outstanding orders" is no deed).
_PARTICIPLE = re.compile(
    r"(?:ed|en|wn)$|^(?:made|paid|held|sold|bought|won|lost|told|left|found|kept|built|sent|"
    r"brought|caught|met|set|cut|hit|put|run|begun|shut|struck|led|read|spent|gone|done|become)$"
)


def denied_deed(claim_text: str, article: Article) -> str | None:
    """A deed the statement says was done ("Police have arrested two men") that the article
    only ever denies ("No arrests have been made"), in whichever sentence: no window can
    state it. Returns the deed's stem. (A statement that itself denies is not checked here.)"""
    # Only a deed with its auxiliary ("have arrested", "was charged"): a bare past in -ed may
    # be a clause's ("any measure that increased traffic").
    for d in sorted(_deeds(claim_text, with_auxiliary=True)):
        denied = any(_same_verb(d, set(s.negated)) for s in article.sentences)
        if denied and not any(_same_verb(d, set(s.asserted)) for s in article.sentences):
            return d
    return None
