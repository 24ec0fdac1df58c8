"""Where a window names a statement's names: the quoted sentence, a neighbour when the
quoted sentence names no one else, or a back-reference ("the company", "he", the article's
subject in its headline). Part of qa.facts (see its docstring); `window` asks it per name."""

from __future__ import annotations

import re

from qa.facts.article import Article, _Sentence, placed
from qa.facts.claim import Claim
from qa.facts.roles import _office_of
from qa.facts.vocab import _BODY_REF, _BODY_SUBJECT, _HE, _REFERS, _stated
from qa.lexicon import COUNTRIES, is_demonym
from qa.text import fold


def _name_here(claim: Claim, n: str, article: Article, window: list[_Sentence], i: int) -> bool:
    """Does the window name `n`? The quoted sentence itself, or a neighbour when the quoted
    sentence names no other person: "Grubauer will become vice-chancellor" does not make
    Karin Lechner vice-chancellor because the next sentence names her ("He said ..." after
    "Euan Mackay ..." does name Mackay). Likewise a place: "talks at Acas in
    Aberdeen" is not stated by "talks ... in Glasgow" because the sentence before mentions
    Aberdeen."""
    anchor = article.sentences[i]
    if _stated(n, anchor.folded) or datelined(n, anchor.folded):
        return True
    if n in COUNTRIES and _country_of(claim.text, n, window, article):
        return True  # "in Manaus, Brazil": a place the window names, in a Brazil story
    if any(not _stated(p, claim.text) for p in anchor.people):
        return False
    if _other_body_here(claim, n, article, anchor):
        return False
    # (or a place's possessive: "Bergen's city council", where the article puts things in
    # Bergen)
    place = placed(n, claim.text, moving=True) or (
        f"{n}'s" in claim.text and placed(n, article.folded)
    )
    if place and any(not _stated(p, claim.text) for p in anchor.places):
        return False
    return _named_or_referred(claim, n, article, window, i)


def _other_body_here(claim: Claim, n: str, article: Article, anchor: _Sentence) -> bool:
    """Does the quoted sentence name a body the statement does not, where `n` is a body? Then
    a neighbour naming `n` does not make it stated: "funded by Tembo Seeds" is not stated by
    "funded ... from the Halvorsen Foundation" because the next sentence names Tembo Seeds.
    The name the statement leads with may be one the quoted sentence calls "the group", but
    only where that sentence refers back to a body: "FC Aldervale was Reid's first managerial
    job" is not stated by "taking his first managerial job at Stenhouse Rovers" beside a
    sentence on Aldervale."""
    kinds = article.kinds
    return (
        kinds.kind_of(n) == "org"
        and any(kinds.kind_of(a) == "org" and not _stated(a, claim.text) for a in anchor.names)
        and not (
            claim.leads
            and n is claim.names[0]
            and (_BODY_REF.search(anchor.folded) or _BODY_SUBJECT.match(anchor.folded))
        )
    )


def _named_or_referred(
    claim: Claim, n: str, article: Article, window: list[_Sentence], i: int
) -> bool:
    """Does the window name `n`, or refer back to it (the headline's subject, "he", "the
    trust", the office only it holds)?"""
    anchor = article.sentences[i]
    return (
        any(_stated(n, s.folded) for s in window)
        # "The government has pledged ..." in an article headlined about Brazil: the
        # statement's subject only ("Brazil's government ...", not "... enter Kenya").
        or (
            bool(_REFERS.search(anchor.folded))
            and n is claim.names[0]
            and claim.leads
            and _stated(n, fold(article.title))
        )
        or _subject_referred(claim, n, article, anchor)
        # "The trust says the school is expected to run a deficit" of Pennine Crest Academy
        # Trust and Hollin Bank Primary School, the article's only trust and school.
        or (
            (d := article.described_as(n)) is not None
            and any(re.search(rf"\bthe {d}\b", s.folded, re.IGNORECASE) for s in window)
        )
        # "The new Austrian cabinet" under a headline about an Austrian coalition.
        or ((is_demonym(n) or n in COUNTRIES) and _stated(n, fold(article.title)))
        # "... since he took over" in an interview with Reid: the person last named.
        or (bool(_HE.search(anchor.folded)) and _stated(n, _antecedent(article, i)))
        # "accused the chancellor of ..." where the article's only chancellor is Brenner.
        or _office_of(n, anchor.folded, article.folded)
    )


def _country_of(text: str, country: str, window: list[_Sentence], article: Article) -> bool:
    m = re.search(rf"\b([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*),\s+{re.escape(country)}\b", text)
    return bool(m and any(_stated(m.group(1), s.folded) for s in window)) and _stated(
        country, article.folded
    )


def _subject_referred(claim: Claim, n: str, article: Article, anchor: _Sentence) -> bool:
    """The article's subject is what "the company" or a spokesman's "us" means in a sentence
    that names no other body: "Bogh said the company had absorbed ..." in a story about
    Hogsted Audio. The subject is named at the top (the first sentences past the headline and
    byline) and by the headline or again and again."""
    if not _BODY_REF.search(anchor.folded):
        return False
    if not any(_stated(n, s.folded) for s in article.top):
        return False
    if not _stated(n, fold(article.title)):
        mentions = sum(_stated(n, s.folded) for s in article.sentences)
        if mentions < _SUBJECT_MENTIONS:
            return False
    others = [
        a
        for a in anchor.names
        if a not in anchor.people and a not in anchor.places and not _stated(a, claim.text)
    ]
    return not others


# How often an article names its subject when the headline does not.
_SUBJECT_MENTIONS = 3


# Sentences back from a "he" / "she" in which to look for the person it refers to.
_ANTECEDENT_REACH = 6


def _antecedent(article: Article, i: int) -> str:
    """The person "he" or "she" in sentence `i` refers to: the last person named in the
    sentences before it (within reach), else the article's main person. "'The bottleneck is
    not money,' she says" after a paragraph on Solberg is Solberg's, whoever the article
    mentions most."""
    for s in reversed(article.sentences[max(0, i - _ANTECEDENT_REACH) : i]):
        if s.people:
            return s.people[-1]
    return article.main


# A dateline's place in capitals at the start of a paragraph: "SRIHARIKOTA, India, Feb 3",
# "LYON, France -", "GHENT —".
_DATELINE = re.compile(r"([A-Z][A-Z'.-]{2,}(?:\s+[A-Z][A-Z'.-]+)*)(?=,\s+[A-Z]|\s+[-—–]\s)")


def datelined(name: str, sentence: str) -> bool:
    """Does `sentence` open with `name` as its dateline, in capitals ("SRIHARIKOTA, India,
    Feb 3 (SPS) - India launched ...")? The statement writes it as a name."""
    m = _DATELINE.match(sentence)
    return m is not None and m.group(1).title() == name
