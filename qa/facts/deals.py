"""Who buys and who sells in a deal, which a statement must give as the window does:
"Kingsmere bought the site from Carrick Homes" is not stated by "Carrick Homes, which bought
the site from Kingsmere", nor "Corran Group bought the business of Pendle Group" by "the sale
of its business, Corran Services, to Pendle Group". A deal told from the other side
("Pomorska agreed to sell a stake to Kestrel" for "Kestrel is buying a stake from Pomorska")
is the same deal. A word-level reading: the buyer is the name before a verb of buying or after
"to" past a verb of selling, the seller the name before a verb of selling or after "from" (or
"of") past one of buying."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from qa.facts.vocab import _stated
from qa.lexicon import PERSON_TITLES, is_demonym

if TYPE_CHECKING:
    from qa.facts.article import _Sentence
    from qa.facts.claim import Claim

_BUY = re.compile(r"\b(?:buy|buys|bought|buying|acquir(?:e|es|ed|ing)|purchas(?:e|es|ed|ing))\b")
_SELL = re.compile(r"\b(?:sell|sells|sold|selling|sale)\b")
# A clause ends at these (a comma too, but "X, which bought" reaches back past it).
_END = re.compile(r"[;:.!?]|,\s(?!which\b|who\b)|\s(?:while|but|and)\s")
# ... and, looking ahead for a party, past an apposition's commas, within `_REACH` characters.
_FAR_END = re.compile(r"[;:.!?]|\s(?:while|but|and)\s")
_REACH = 90


def _key(name: str) -> str:
    """The word a name is written by when shortened ("Kingsmere" for "Kingsmere Rovers")."""
    return name.split()[0]


def _before(text: str, names: Sequence[str], at: int) -> str | None:
    """The name last written before `at` in its clause (past "X, which"), not after a
    preposition ("from", "to", "of", "by", "for"): the verb's doer."""
    lo = max((m.end() for m in _END.finditer(text, 0, at)), default=0)
    best: tuple[int, str] | None = None
    for n in names:
        for m in re.finditer(rf"\b{re.escape(_key(n))}\b", text[lo:at]):
            if re.search(r"\b(?:from|to|of|by|for)\s+(?:the\s+)?$", text[lo : lo + m.start()]):
                continue
            if best is None or m.start() > best[0]:
                best = (m.start(), n)
    return best[1] if best else None


def _after(text: str, names: Sequence[str], at: int, prep: str) -> str | None:
    """The name after `prep` ("from", "to", "of") past `at`, within six words, past a
    nationality, a title and describing words ("to Irish investment fund Kestrel"; "the sale
    of its business, Corran Services, to Pendle Group")."""
    m = _FAR_END.search(text, at)
    hi = min(m.start() if m else len(text), at + _REACH)
    p = re.search(rf"\b{prep}\s+", text[at:hi])
    if p is None:
        return None
    rest = text[at + p.end() : hi]
    words = rest.split()[:6]
    for k in range(len(words)):
        tail = " ".join(words[k:])
        for n in names:
            if re.match(rf"{re.escape(_key(n))}\b", tail):
                return n
        w = words[k]
        skip = w.lower() in ("the", "a", "an", "its") or is_demonym(w) or w in PERSON_TITLES
        if not skip and w[:1].isupper():
            return None  # another name there
    return None


def _deals(text: str, names: Sequence[str]) -> list[tuple[str | None, str | None]]:
    """Each deal of a text as (buyer, seller) among `names` (None where it names neither)."""
    out = []
    for m in _BUY.finditer(text):
        # (the seller after "from", or as the owner: "bought the business of Pendle Group")
        seller = _after(text, names, m.end(), "from") or _after(text, names, m.end(), "of")
        out.append((_before(text, names, m.start()), seller))
    for m in _SELL.finditer(text):
        seller = _before(text, names, m.start()) if m.group() != "sale" else None
        out.append((_after(text, names, m.end(), "to"), seller))
    return [d for d in out if d != (None, None)]


def swapped_deal(claim_text: str, names: Sequence[str], window: list[_Sentence]) -> str | None:
    """A deal the window gives between the statement's two parties the other way round (the
    statement's seller buying from its buyer), and nowhere as the statement gives it.
    Returns the party the statement gives the wrong side, or None."""
    if not (_BUY.search(claim_text) or _SELL.search(claim_text)):
        return None
    said = [(b, s) for b, s in _deals(claim_text, names) if b and s]
    if not said:
        return None
    found = []
    for sent in window:
        here = [n for n in names if _stated(n, sent.folded)]
        found += [(b, s, here) for b, s in _deals(sent.folded, here)]
    for buyer, seller in said:
        if any(b == buyer and s in (seller, None) for b, s, _ in found):
            continue  # the window has it so
        for b, s, here in found:
            if b == seller and (s == buyer or (s is None and buyer in here)):
                return seller
            if s == buyer and (b == seller or (b is None and seller in here)):
                return buyer
    return None


# A deal told from the other side: "A is buying a stake from B" is "B agreed to sell a stake
# to A" (the verb's converse, and the statement's subject after its preposition).
_CONVERSE = (
    (_BUY, r"\b(?:sell|sold|sale)\b.*?\bto\s+"),
    (
        re.compile(r"\b(?:sell|sold|selling|sells)\b"),
        r"\b(?:buy|bought|acqui\w*|purchas\w*)\b.*?\bfrom\s+",
    ),
)


def converse_deal(claim: Claim, window: list[_Sentence]) -> bool:
    """Does the window tell the statement's deal from the other side, with the statement's
    subject after the converse verb's preposition ("sell ... to Kestrel" for "Kestrel is
    buying ... from")? Then "sell" is no opposite of its "buy"."""
    if not claim.leads:
        return False
    subject = claim.names[0]
    for verb, other in _CONVERSE:
        if verb.search(claim.text) and any(
            re.search(other + r"(?:the\s+)?(?:[\w-]+\s+){0,3}" + re.escape(subject), s.folded)
            for s in window
        ):
            return True
    return False
