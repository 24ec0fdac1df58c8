"""Who fills which slot: a name the statement attaches to a noun or verb must be the one the
window attaches to it ("the call centre in Bergen" is not stated by "the call centre in
Trondheim ... Bergen"), and the subject the statement gives a verb must be the window's
("the Heimatliste finished second", not the Social Democratic Union)."""

from __future__ import annotations

import re

from qa.entities import is_demonym
from qa.facts.article import _Sentence
from qa.facts.claim import Claim
from qa.facts.vocab import (
    _CLAUSE,
    _DATE_NAME,
    _REPORTING_STEMS,
    _canon,
    _content,
    _stated,
    _stem,
    _term_in,
)
from qa.lexicon import PERSON_TITLES

_SLOT_PREPS = frozenset("in at from near to including".split())  # noqa: SIM905
_SLOT_REACH = 7  # tokens after the noun in which its place is named
_DETERMINERS = frozenset("the a an its his her their our".split())  # noqa: SIM905


def _name_competes(claim: Claim, name: str, window: list[_Sentence], tokens: list[str]) -> bool:
    """Is the noun the statement attaches `name` to attached to another name in the window
    ("close its call centre in Bergen" when the centre is "in Trondheim")? True when the
    noun is followed by "in/at/from/including ... <another name>" in some window sentence
    and never by "in/at/... <name>"."""
    context = claim.slots.get(name, ())
    if not context:
        return False
    keys = {re.sub(r"'s$", "", w) for w in name.split() if w[:1].isupper()}
    rival = False
    for s in window:
        for k, tok in enumerate(s.tokens):
            st = _content(tok)
            if st is None or not _term_in(context[0], frozenset((st,))):
                continue
            after = [
                re.sub(r"'s$", "", w.strip(".'")) for w in s.tokens[k + 1 : k + 1 + _SLOT_REACH]
            ]
            if context[1:] == ("object",):
                # "enter Tanzania" against "enter Kenya": the word right after the verb.
                obj = next(
                    (
                        w
                        for w in after[:3]
                        if w.lower() not in _DETERMINERS and w not in PERSON_TITLES
                    ),
                    "",
                )
                if obj in keys:
                    return False
                if obj[:1].isupper() and not _DATE_NAME.fullmatch(obj):
                    rival = rival or not _stated(obj, claim.text)
                continue
            preps = [j for j, w in enumerate(after) if w.lower() in _SLOT_PREPS]
            if not preps:
                continue
            if any(w in keys for w in after[preps[0] + 1 :]):
                return False  # the statement's own attachment is there
            for j in preps:
                nxt = next(
                    (w for w in after[j + 1 : j + 3] if w.lower() not in ("the", "a", "an")), ""
                )
                if nxt[:1].isupper() and not _DATE_NAME.fullmatch(nxt):
                    rival = rival or not _stated(nxt, claim.text)
    return rival


def _subject_competes(claim: Claim, name: str, window: list[_Sentence]) -> bool:
    """Does the verb the statement gives `name` have someone else as its subject in the
    window ("the Heimatliste finished second", not the Social Democratic Union), and never
    `name`? The subject is the last name before the verb in its clause; for "said"/"told"
    it must be a person."""
    verb = claim.verbs.get(name)
    if verb is None:
        return False
    keys = {re.sub(r"'s$", "", w) for w in name.split() if w[:1].isupper()}
    reporting = verb in _REPORTING_STEMS
    rival = False
    for s in window:
        if not any(_stated(n, s.folded) for n in claim.names):
            continue  # a sentence about others: its verbs say nothing of this statement
        people = {re.sub(r"'s$", "", p.split()[-1]) for p in s.people}
        name_words = {re.sub(r"'s$", "", w) for n in s.names for w in n.split()}
        for m in re.finditer(r"\b[a-z][a-z'-]*", s.folded):
            if not _term_in(verb, frozenset((_canon(_stem(m.group())),))):
                continue
            lo = max((c.end() for c in _CLAUSE.finditer(s.folded, 0, m.start())), default=0)
            caps = re.findall(r"\b[A-Z][\w'-]*", s.folded[lo : m.start()])
            if not caps:
                # "Priya Mistry, who chairs the alliance, said": the subject is the name
                # before the interruption, the sentence's first.
                caps = [w for w in re.findall(r"\b[A-Z][\w'-]*", s.folded[: m.start()])][:1]
            subject = re.sub(r"'s$", "", caps[-1]) if caps else ""
            if subject in keys:
                return False  # the statement's subject does it here
            # Someone else, or another name of the statement in the other role ("Brenner
            # accused Stadlmayr" when Stadlmayr accused Brenner).
            named = subject in name_words and not _DATE_NAME.fullmatch(subject)
            if named and not is_demonym(subject) and not _stated(subject, name):
                rival = rival or not reporting or subject in people
    return rival
