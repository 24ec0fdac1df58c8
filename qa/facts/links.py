"""How a statement links its facts, which the window must link the same way: a cause
("given the post because of her army career" needs a window that gives a reason, not one
that only names her career), a comparison's reference figure ("58%, against 61% a year
earlier" is not "61%, against 58% a year earlier", though both numbers are there), a
quotation's speaker, a comparison's direction ("fewer than" is not "more than", tied to its
figure where the window compares two ways), a score or a vote's tally ("11-9" is not
"11-6"; "seven votes to two" is "7-2"), a change's two figures ("by 14% to £2.84 billion" is
not "6% to £2.84 billion"), a whole the window gives a part of ("all 14" is not "11 of the
14"), where a move goes ("from Wardsend" is not "to Wardsend"), and a month's or season's year
("spring 2029" is not stated by "start in spring 2026 ... run by the end of 2029")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from qa.facts.article import _surnames
from qa.facts.vocab import (
    _MONTH_NAME,
    _canon,
    _content,
    _stated,
    _term_in,
    _tokens,
    pair_union,
)
from qa.text import fold, numbers_in

if TYPE_CHECKING:
    from qa.facts.article import Article, _Sentence

# A statement that gives a cause: the words after one of these are the cause.
# ("due to be announced", "due to open in May": a schedule, not a cause)
_CAUSE = re.compile(
    r"\b(?:because(?:\s+of)?|due\s+to(?!\s+(?:be|have|start|begin|open|close|end|finish|"
    r"resume|reopen|run|take|meet|arrive|return|launch|hold|sign|vote|appear|retire|leave|"
    r"complete|deliver|publish|announce|decide|rule|report)\b)|owing\s+to|"
    r"as\s+a\s+result\s+of|caused\s+by|thanks\s+to|in\s+response\s+to)\s+",
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
    w_refs, w_others = pair_union(_references(s.folded) for s in window)
    for v in c_refs:
        if v in w_others and v not in w_refs and c_others & w_refs:
            return v
    return None


# A passive's agent: "sparked by lightning", "was won by Rotich", "led by the union".
_AGENT = re.compile(r"\b[a-z]+(?:ed|en|wn|ght)\s+by\s+(?:(?:a|an|the)\s+)?([a-z][a-z'-]+)")


def unstated_agent(claim_text: str, have: frozenset[str]) -> str | None:
    """Who or what did it, in a passive statement ("sparked by a campfire"): a fact like a
    name, which the window must state. Names are checked as names; this is the common noun."""
    for m in _AGENT.finditer(claim_text):
        agent = _content(m.group(1))
        if agent is not None and not _term_in(_canon(agent), have) and not _term_in(agent, have):
            return agent
    return None


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


_PRONOUN_SAYS = re.compile(rf"\b(?:he|she)\s+{_SAYS}|{_SAYS}\s+(?:he|she)\b")


def _last_person(before: list[str], article: Article) -> list[str]:
    """The person last named in the paragraph before (whom "she told reporters" means)."""
    text = fold(before[-1]) if before else ""
    found = [
        (m.start(), p)
        for s in article.sentences
        for p in s.people
        for m in re.finditer(rf"\b{re.escape(p.split()[-1])}\b", text)
    ]
    return [max(found)[1]] if found else []


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
        for k, para in enumerate(paras := article.text.split("\n\n")):
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
            if not named and _PRONOUN_SAYS.search(outside):
                named = _last_person(paras[:k], article)  # "... ," she told reporters.
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
    tied = _tied_direction(claim_text, window)
    if tied is not None:
        return tied
    have = {d for d, rx in _DIRECTION.items() for s in window if rx.search(s.folded)}
    if have and not have & said:
        return "more than" if "up" in have else "fewer than"
    return None


def _direction_after(text: str, value: float) -> set[str]:
    """The directions a figure of `value` is compared in, right after it, in `text`: "€4,000
    more than", "300 fewer jobs than"."""
    return {
        d
        for n in numbers_in(text)
        if n.value == value
        for d, rx in _DIRECTION.items()
        if rx.match(text, n.end + (text[n.end : n.end + 1] == " "))
    }


def _tied_direction(claim_text: str, window: list[_Sentence]) -> str | None:
    """ "€4,000 more than a new driver" where the window's €4,000 is "less than" one, though
    "more than" is elsewhere in the window."""
    for n in numbers_in(claim_text):
        said = _direction_after(claim_text, n.value)
        if len(said) != 1:
            continue
        have = set().union(*(_direction_after(s.folded, n.value) for s in window))
        if have and not have & said:
            return "more than" if "up" in have else "fewer than"
    return None


# A score or a vote's tally: "11-6", "2–1", "39 votes to 27".
_TALLY = re.compile(r"\b(\d{1,3})\s*(?:[-–]|(?:\s[a-z]+)?\sto\s)\s*(\d{1,3})\b(?![-–.,]\d)")


def _tallies(text: str) -> set[tuple[str, str]]:
    return {(m.group(1), m.group(2)) for m in _TALLY.finditer(text)}


def other_tally(claim_text: str, window: list[_Sentence]) -> str | None:
    """A score or vote the window gives otherwise: "voted 11-9" where councillors "voted 11-6"
    (both numbers may still be in the window, the 9 counting something else)."""
    said = {m for m in _TALLY.finditer(claim_text) if re.fullmatch(r"\d+[-–]\d+", m.group())}
    if not said:
        return None
    have = set().union(*(_tallies(s.folded) for s in window))
    for m in said:
        a, b = m.group(1), m.group(2)
        if have and (a, b) not in have and (b, a) not in have:
            return "{}-{}".format(*sorted(have)[0])
    return None


# Between a tally's two numbers: "7-2", "27 to 9", "seven votes to two".
_TALLY_GAP = re.compile(r"\s*[-–]\s*|(?:\s+[a-z]+)?\s+to\s+")


@lru_cache(maxsize=8192)
def _number_pairs(text: str, gap: re.Pattern[str]) -> tuple[tuple[float, float, int, int], ...]:
    """Each two numbers in a row with `gap` between them, figures or words alike: (first,
    second, start, end). Read once per text: every statement checked against a window asks."""
    nums = numbers_in(text)
    return tuple(
        (a.value, b.value, a.start, b.end)
        for a, b in zip(nums, nums[1:], strict=False)
        if gap.fullmatch(text[a.end : b.start])
    )


def _tally_pairs(text: str) -> tuple[tuple[float, float, int, int], ...]:
    return _number_pairs(text, _TALLY_GAP)


def tally_stated(claim_text: str, start: int, window: list[_Sentence]) -> bool:
    """Is the statement's number at `start` one of a tally the window gives, however each
    writes it: "by seven votes to two" is "voted 7-2", "27 votes to 9" is "voted 27 to 9"?
    (A tally's numbers count votes or goals the window need not name.)"""
    said = [(a, b) for a, b, lo, hi in _tally_pairs(claim_text) if lo <= start < hi]
    if not said:
        return False
    have = {(a, b) for s in window for a, b, _, _ in _tally_pairs(s.folded)}
    return any(pair in have for pair in said)


# A change's two figures: "rose 6% to £2.84 billion", "by 14 per cent to 1.12 billion euros".
_CHANGE_GAP = re.compile(r"\s*(?:%|per\s+cent)\s+to\s+(?:about\s+|around\s+)?[£$€]?\s*")


def _changes(text: str) -> set[tuple[float, float]]:
    return {(a, b) for a, b, _, _ in _number_pairs(text, _CHANGE_GAP)}


def other_change(claim_text: str, window: list[_Sentence]) -> str | None:
    """A change the statement gives with the window's figures paired otherwise: "revenue
    grew by 14% to £2.84 billion" against "revenue rose 6% to £2.84 billion, ... which grew
    sales by 14% to £1.12 billion". Returns the window's figure for the statement's end."""
    have = set().union(*(_changes(s.folded) for s in window))
    for a, b in _changes(claim_text):
        if (a, b) in have:
            continue
        ends = [x for x, y in have if y == b]
        if ends and any(x == a for x, _ in have):
            return f"{ends[0]:g}%"
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
_PART = re.compile(
    r"^\s+(?:out\s+)?of\s+(?:the\s+|its\s+|their\s+)?(?:(?:[A-Z][\w-]*\s+){0,3}[\w-]+'s\s+)?$"
)


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
