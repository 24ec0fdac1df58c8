"""How a statement links its facts, which the window must link the same way: a cause
("given the post because of her army career" needs a window that gives a reason, not one
that only names her career), a comparison's reference figure ("58%, against 61% a year
earlier" is not "61%, against 58% a year earlier", though both numbers are there), a deed
done that the window only foresees ("has issued new guidance" is not stated by "said it
would issue new guidance") or the article only denies ("have arrested two men" against "no
arrests have been made"), a quotation's speaker, a comparison's direction ("fewer than" is
not "more than"), a whole the window gives a part of ("all 14" is not "11 of the 14"), where
a move goes ("from Wardsend" is not "to Wardsend"), and a month's or season's year ("spring
2029" is not stated by "start in spring 2026 ... run by the end of 2029")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from qa.facts.article import _surnames
from qa.facts.vocab import _MONTH_NAME, _canon, _content, _stated, _term_in, _tokens
from qa.text import fold, numbers_in

if TYPE_CHECKING:
    from qa.facts.article import Article, _Sentence

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


# What is only foreseen, offered or possible: the verb after one of these ("would issue",
# "will be installed", "had offered to return", "is due to report") is no deed done. Case
# kept: "May" the month is no modal.
_FORESEEN = re.compile(
    r"\b(?:would|could|might|will|shall|should|may)\s+(?:not\s+)?(?:have\s+)?(?:be\s+|been\s+)?"
    r"(?:[a-z]+ly\s+)?([a-z][a-z'-]+)"
    r"|\b(?:(?:offer|plan|aim|intend|hope|want|expect|promise|pledge|threaten)(?:s|ed|ing)?|"
    r"due|set|likely|poised)\s+to\s+(?:be\s+)?([a-z][a-z'-]+)"
)
# What someone is asked or expected to do, an object between: "expected the first of the
# closed wards to reopen", "would ask Madrid to declare the area a disaster zone" (read apart
# from _FORESEEN, whose "would ask" takes the words this needs).
_ASKED = re.compile(
    r"\b(?:expect|want|ask|urge|call\s+on|press|persuade)(?:s|ed|ing)?\s+"
    r"(?:[\w'-]+\s+){1,6}?to\s+(?:be\s+)?([a-z][a-z'-]+)"
)


def _ahead(text: str) -> list[str]:
    """The verbs `text` foresees, asks or expects."""
    return [g for rx in (_FORESEEN, _ASKED) for m in rx.finditer(text) for g in m.groups() if g]


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
    foreseen: set[str] = set()
    plain: set[str] = set()
    for s in window:
        ahead_here, plain_here = _foreseen_split(s.folded)
        foreseen |= ahead_here
        plain |= plain_here
    for d in sorted(done):
        if _same_verb(d, foreseen) and not _same_verb(d, plain):
            return d
    return None


@lru_cache(maxsize=4096)
def _foreseen_split(folded: str) -> tuple[frozenset[str], frozenset[str]]:
    """A sentence's foreseen verbs and its other words (stems), read once per sentence:
    every statement checked against its window asks again."""
    rest = _FORESEEN.sub(" ", _ASKED.sub(" ", folded))
    return frozenset(_stems_of(_ahead(folded))), frozenset(_stems_of(_tokens(rest)))


def _same_verb(stem: str, stems: set[str]) -> bool:
    """A verb's stem among `stems`, the stemmer's leftovers aside ("issu" / "issue")."""
    return _term_in(stem, frozenset(stems)) or any(
        len(stem) >= 4
        and len(s) >= 4
        and (s.startswith(stem) or stem.startswith(s))
        and abs(len(s) - len(stem)) <= 1
        for s in stems
    )


# Words quoted in a statement: what someone said, in their words ("... said, 'the
# restrictions are the only protection we have'").
_QUOTED = re.compile(r"[\"“”]([^\"“”]{12,})[\"“”]")
_QUOTE_KEY = 5  # words of a quotation that find it in the article
# Who said it: a person before one of these (within a few words: "Mayor Sheila Gauthier said",
# "Stefan Hortnagl, Tyrol's governor, said") or right after it ("said Mayor Gauthier").
_SAYS = r"(?:said|says|told|added|wrote|asked|stated|explained|according to)\b"


def _surname(name: str) -> str:
    return re.sub(r"'s$", "", name.split()[-1]).lower()


def _bare_words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _speakers(claim_text: str, names: Sequence[str], article: Article) -> list[str]:
    """The people a statement names outside what it quotes (who it says said it)."""
    outside = re.sub(r"[\"“”][^\"“”]*[\"“”]", " ", claim_text)
    said = [n for n in names if _stated(n, outside)]
    people = _surnames(said)  # two- or three-word names of no place or body
    return [n for n in said if re.sub(r"'s$", "", n.split()[-1]) in people | article.people]


def misquoted(claim_text: str, names: Sequence[str], article: Article) -> str | None:
    """A quotation the statement gives to someone (the people among `names` it names outside
    the quotation) that the article gives to others: the paragraph that holds it names a
    speaker (a person next to "said", "told", "according to" ...), none of them one of the
    statement's. Returns who the article gives it to, or None (nothing quoted, the quotation
    not found, or its paragraph names no speaker)."""
    quotes = list(_QUOTED.finditer(claim_text))
    speakers = _speakers(claim_text, names, article) if quotes else []
    if not speakers:
        return None
    for m in quotes:
        key = _bare_words(m.group(1))[:_QUOTE_KEY]
        if len(key) < 3:
            continue
        for para in article.text.split("\n\n"):
            if " ".join(key) not in " ".join(_bare_words(para)):
                continue
            outside = fold(_QUOTED.sub(" ", para))
            named = [
                p
                for s in article.sentences
                for p in s.people
                if re.search(
                    rf"{re.escape(p)}(?:\W+\w+){{0,8}}?\W+{_SAYS}|{_SAYS}\W+{re.escape(p)}", outside
                )
            ]
            said = {_surname(sp) for sp in speakers}
            if named and not said & {_surname(n) for n in named}:
                return named[0]
    return None


# A comparison's direction: "fewer than all the Alpine crossings" is not "more than" them.
_DIRECTION = {
    "up": re.compile(
        r"\b(?:more|greater|higher|larger|bigger)\s+(?:[a-z]+\s+)?than\b", re.IGNORECASE
    ),
    "down": re.compile(r"\b(?:fewer|less|lower|smaller)\s+(?:[a-z]+\s+)?than\b", re.IGNORECASE),
}


def turned_comparison(claim_text: str, window: list[_Sentence]) -> str | None:
    """The window's "more than" where the statement says "fewer than" (or the reverse) and
    no window sentence compares the statement's way: returns the window's direction."""
    said = {d for d, rx in _DIRECTION.items() if rx.search(claim_text)}
    if len(said) != 1:
        return None
    have = {d for d, rx in _DIRECTION.items() for s in window if rx.search(s.folded)}
    if have and not have & said:
        return "more than" if "up" in have else "fewer than"
    return None


# A month or a season with its year: "December 2031", "spring of 2026", "Nov. 4, 2025".
_DATED = re.compile(
    rf"\b({_MONTH_NAME}|spring|summer|autumn|fall|winter)\s+(?:of\s+)?(?:\d{{1,2}},?\s+)?"
    r"((?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def _month_key(word: str) -> str:
    return word.lower().rstrip(".")[:3]  # "Dec." / "December", "Sept" / "September"


def split_date(claim_text: str, window: list[_Sentence]) -> str | None:
    """The window's own date for the statement's month or season, when the window dates that
    month or season only with another year: "the first trains could run in December 2031" is
    not stated by "first trains running in December 2030" beside a 2031 that dates something
    else, though the window holds both the month and the year."""
    for m in _DATED.finditer(claim_text):
        key, year = _month_key(m.group(1)), m.group(2)
        years = {
            d.group(2)
            for s in window
            for d in _DATED.finditer(s.folded)
            if _month_key(d.group(1)) == key
        }
        if years and year not in years:
            return f"{m.group(1)} {min(years)}"
    return None


# A whole: "all 14 municipalities", "all of the 14", "every one of the 14".
_WHOLE = re.compile(r"\b(?:all|every\s+one)\s+(?:of\s+)?(?:the\s+|its\s+|their\s+)?$", re.I)
# A part of a whole: "11 of the 14", "11 out of 14".
_PART = re.compile(r"^\s+(?:out\s+)?of\s+(?:the\s+|its\s+|their\s+)?$", re.I)


def part_for_whole(claim_text: str, window: list[_Sentence]) -> str | None:
    """The window's part ("11 of the 14") where the statement says the whole ("all 14"), and
    no window sentence says the whole: returns the part."""
    wholes = {
        n.value
        for n in numbers_in(claim_text)
        if _WHOLE.search(claim_text[max(0, n.start - 24) : n.start])
    }
    if not wholes:
        return None
    part = None
    for s in window:
        text = s.folded
        found = numbers_in(text)
        for a, b in zip(found, found[1:], strict=False):
            if b.value in wholes and a.value < b.value and _PART.match(text[a.end : b.start]):
                part = part or f"{a.text} of the {b.text}"
        if any(
            n.value in wholes and _WHOLE.search(text[max(0, n.start - 24) : n.start]) for n in found
        ):
            return None
    return part


# A participle after has/have/was ("had outstanding orders" is no deed).
_PARTICIPLE = re.compile(
    r"(?:ed|en|wn)$|^(?:made|paid|held|sold|bought|won|lost|told|left|found|kept|built|sent|"
    r"brought|caught|met|set|cut|hit|put|run|begun|shut|struck|led|read|spent)$"
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


def turned_move(claim_text: str, names: Sequence[str], window: list[_Sentence]) -> str | None:
    """A name the statement moves something from (or to) that the window only moves things
    to (or from): "pupils from Wardsend Primary would move to Hollin Bank" is not stated by
    "pupils would move to Wardsend Primary". Returns the window's phrase."""
    texts = [s.folded for s in window]
    for n in names:
        at = {w: re.compile(rf"\b{w}\s+(?:the\s+)?{re.escape(n)}\b", re.I) for w in ("from", "to")}
        for said, other in (("from", "to"), ("to", "from")):
            if not at[said].search(claim_text) or at[other].search(claim_text):
                continue
            if any(at[other].search(t) for t in texts) and not any(
                at[said].search(t) for t in texts
            ):
                return f"{other} {n}"
    return None
