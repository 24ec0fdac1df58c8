"""Who fills which slot: a name the statement attaches to a noun or verb must be the one the
window attaches to it ("the call centre in Bergen" is not stated by "the call centre in
Trondheim ... Bergen"), and the subject the statement gives a verb must be the window's
("the Heimatliste finished second", not the Social Democratic Union)."""

from __future__ import annotations

import re
from functools import lru_cache

from qa.facts.article import _Sentence
from qa.facts.claim import Claim
from qa.facts.vocab import (
    _CLAUSE,
    _DATE_NAME,
    _REPORTING_STEMS,
    _canon,
    _content,
    _names,
    _stated,
    _stem,
    _term_in,
)
from qa.lexicon import COUNTRIES, PERSON_TITLES, is_demonym
from qa.text import NAME_PARTICLES, POST_NOMINALS, STOPWORDS, fold

_SLOT_PREPS = frozenset("in at from near to including".split())  # noqa: SIM905
_SLOT_REACH = 7  # tokens after the noun in which its place is named
_DETERMINERS = frozenset("the a an its his her their our".split())  # noqa: SIM905


def _keys(name: str) -> set[str]:
    """The words a window may write a name with as one token: its capitalised words, and
    their parts around hyphens ("SagarNetra-1" is tokenised "SagarNetra", "1")."""
    whole = {re.sub(r"'s$", "", w) for w in name.split() if w[:1].isupper()}
    return whole | {p for w in whole for p in w.split("-") if p[:1].isupper()}


def _name_competes(claim: Claim, name: str, window: list[_Sentence], tokens: list[str]) -> bool:
    """Is the noun the statement attaches `name` to attached to another name in the window
    ("close its call centre in Bergen" when the centre is "in Trondheim")? True when the
    noun is followed by "in/at/from/including ... <another name>" in some window sentence
    and never by "in/at/... <name>"."""
    context = claim.slots.get(name, ())
    if not context:
        return False
    keys = _keys(name)
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
                obj, run = _object_after(after)
                if keys & set(run):
                    return False
                if obj[:1].isupper() and not _DATE_NAME.fullmatch(obj):
                    # Someone the statement does not name, or the one it makes the subject of
                    # this verb ("Putin set Trump a deadline" against "he set Putin ...").
                    subject = any(
                        _stated(obj, n) and claim.verbs.get(n) == context[0] for n in claim.names
                    )
                    rival = rival or not _stated(obj, claim.text) or subject
                continue
            preps = [j for j, w in enumerate(after) if w.lower() in _SLOT_PREPS]
            if not preps:
                continue
            rest = after[preps[0] + 1 :]
            if any(w in keys for w in rest) or _stated(name, " ".join(rest)):
                return False  # the statement's own attachment is there ("EU": "European Union")
            for j in preps:
                nxt = _name_after(after[j + 1 : j + 5])
                if nxt[:1].isupper() and not _DATE_NAME.fullmatch(nxt):
                    rival = rival or not _stated(nxt, claim.text)
    return rival


def _object_after(after: list[str]) -> tuple[str, list[str]]:
    """The word a verb takes as its object (past determiners and titles) and the whole name
    starting there ("gave FC Aldervale" names Aldervale)."""
    k0 = next(
        (
            j
            for j, w in enumerate(after[:3])
            if w.lower() not in _DETERMINERS and w not in PERSON_TITLES
        ),
        None,
    )
    if k0 is None:
        return "", []
    run = []
    for w in after[k0 : k0 + 4]:
        if not w[:1].isupper():
            break
        run.append(w)
    return after[k0], run


def _name_after(words: list[str]) -> str:
    """The first word past an article, a nationality and a title ("to Irish investment fund
    Kestrel" names no other body, "at the invitation of French President Emmanuel Macron"
    Macron), or ""."""
    return next(
        (
            w
            for w in words
            if w.lower() not in ("the", "a", "an") and not is_demonym(w) and w not in PERSON_TITLES
        ),
        "",
    )


def _subject_competes(
    claim: Claim,
    name: str,
    window: list[_Sentence],
    anchor: _Sentence | None = None,
    by_figure: bool = False,
) -> bool:
    """Does the verb the statement gives `name` have someone else as its subject in the
    window ("the Heimatliste finished second", not the Social Democratic Union), and never
    `name`? The subject is the last name before the verb in its clause; for "said"/"told"
    it must be a person. `by_figure` (for a name the question gives, which the window need
    not name): the sentences that state the statement's figure count too ("Bernhof made a
    net profit of 310 million" for "Lysen made 310 million"), their first word as a name."""
    verb = claim.verbs.get(name)
    if verb is None:
        return False
    verb = _canon(verb)  # "won" is "win": the window may use either form
    keys = {re.sub(r"'s$", "", w) for w in name.split() if w[:1].isupper()}
    reporting = verb in _REPORTING_STEMS
    rival = False
    figures = _distinct_figures(claim) if by_figure else set()
    for k, s in enumerate(window):
        if not _term_in(verb, s.stems) and not _term_in(_stem(verb), s.stems):
            continue  # the verb is not here (the whole article may be read: see `check`)
        # (the quoted sentence is the statement's own: "Brightwater will keep a 51% stake"
        # does not say Nordisk will)
        about = (
            s is anchor
            or any(_stated(n, s.folded) for n in claim.names)
            or any(sq.number.value in figures for _, sq in s.quantities)
        )
        if not about and not any(w in s.folded for w in keys) and not (k and _IT.search(s.folded)):
            continue  # about others, not naming `name`, no "it" that may refer back: no verdict
        people = {re.sub(r"'s$", "", p.split()[-1]) for p in s.people}
        name_words = {re.sub(r"'s$", "", w) for n in s.names for w in n.split()}
        if by_figure:  # (its first word too, where the article writes it as a name)
            name_words |= {w for w in s.folded.split()[:1] if w in s.article.proper}
        for m in re.finditer(r"\b[a-z][a-z'-]*", s.folded):
            if not _term_in(verb, frozenset((_canon(_stem(m.group())),))):
                continue
            subject = _subject_of(s.folded, m)
            if subject in keys:
                return False  # the statement's subject does it here
            if subject in ("", "It", "They") and k and _it_refers(s.folded, m, window[k - 1], name):
                return False  # "Brightwater employs ... It said it had no plans ..."
            if not about:
                continue  # a sentence about others: its verbs say nothing of this statement
            # Someone else, or another name of the statement in the other role ("Brenner
            # accused Stadlmayr" when Stadlmayr accused Brenner).
            named = subject in name_words and not _DATE_NAME.fullmatch(subject)
            if named and not is_demonym(subject) and not _stated(subject, name):
                # For "said"/"told" only a person, or another name of the statement ("Fox
                # News told Trump" when Trump told Fox News), is a rival speaker.
                other = any(_stated(subject, n) for n in claim.names)
                rival = rival or not reporting or subject in people or other
    return rival


def _distinct_figures(claim: Claim) -> set[float]:
    """The statement's figures a sentence may be known by ("310 million", not "three")."""
    return {
        q.number.value
        for q in claim.quantities
        if q.number.text[:1].isdigit() and q.number.value >= 10
    }


_IT = re.compile(r"\b(?:it|they)\b", re.IGNORECASE)


def _it_refers(folded: str, verb: re.Match[str], before: _Sentence, name: str) -> bool:
    """Is the verb's subject "it" or "they" in a sentence after one that names `name` and no
    other body or person (the pronoun refers back to it)?"""
    if not _IT_BEFORE.search(folded, 0, verb.start()):
        return False
    others = [n for n in before.names if n not in before.places and not _stated(n, name)]
    return _stated(name, before.folded) and not others


# "led by Karin Lechner", "was won by Rotich": the agent of a passive verb is its subject.
_AGENT = re.compile(r"\s+by\s+(?:the\s+)?([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,3})")


def _subject_of(folded: str, verb: re.Match[str]) -> str:
    """Who does `verb` in a sentence: the agent after "by" for a passive, else the last
    capitalised word before it in its clause, else the sentence's first ("Priya Mistry, who
    chairs the alliance, said")."""
    agent = _AGENT.match(folded, verb.end())
    if agent:  # "by Finance Minister Marta Kessler": the name, past the titles
        return re.sub(r"'s$", "", agent.group(1).split()[-1])
    pronoun = _PRONOUN_BEFORE.search(folded, 0, verb.start())
    if pronoun and not _REPORTED_BEFORE.search(folded, 0, pronoun.start()):
        # "since he took over": a pronoun, no name of the clause, is the subject (but "Hollin
        # & Pryce confirmed it had agreed": the speaker, read below)
        return ""
    lo = max((c.end() for c in _CLAUSE.finditer(folded, 0, verb.start())), default=0)
    # "Bogh said the company had absorbed": the speaker is not who absorbed ("Brenner said
    # he had broken off" is Brenner's deed).
    reported = [
        m.end()
        for m in _SAID_THAT.finditer(folded, lo, verb.start())
        if not re.match(r"(?:he|she)\b", folded[m.end() :])
    ]
    lo = max(reported, default=lo)
    caps = [
        m.group()
        for m in _CAP.finditer(folded, lo, verb.start())
        # "Lukas Brenner on Monday invited": not a date, nor a name after a preposition
        if not _DATE_NAME.fullmatch(m.group())
        and not _PREP_BEFORE.search(folded, 0, m.start())
        and not re.search(r"-[a-z]+$", m.group())  # "the Rotterdam-based company employs"
        and m.group() not in POST_NOMINALS  # "Nadia Farooq KC told": Farooq
    ]
    if not caps and not reported:
        # "Lysen's founder and chief scientific officer, Hanne De Wilde, will join": the name
        # set off by commas right before the verb; else the sentence's first ("Priya Mistry,
        # who chairs the alliance, said")
        apposed = _APPOSED_NAME.match(folded[:lo])
        if apposed:
            caps = [w for w in apposed.group(1).split() if w not in _BODY_SUFFIXES][-1:]
        else:
            caps = _CAP.findall(folded, 0, verb.start())[:1]
    return re.sub(r"'s$", "", caps[-1]) if caps else ""


_CAP = re.compile(r"\b[A-Z][\w'-]*")
_APPOSED_NAME = re.compile(
    r"^[^,]*,\s+((?:[A-Z][\w'-]*\s+(?:(?:"
    + "|".join(sorted(NAME_PARTICLES))
    + r")\s+)?)*[A-Z][\w'-]*),\s*$"
)
# What follows a company's name: "Northbrook Residential Ltd" is Northbrook Residential.
_BODY_SUFFIXES = frozenset("Ltd Limited Inc plc PLC LLC AG SA GmbH Corp".split())  # noqa: SIM905
# Verbs that report a speaker's words: after one, "he"/"it" is the speaker ("Hollin & Pryce
# confirmed it had agreed"), and what follows is not the speaker's own deed ("Bogh said the
# company had absorbed").
_SAYING = r"said|says|told \w+|added|warned|argued|insisted"
_REPORTED_BEFORE = re.compile(
    rf"\b(?:{_SAYING}|confirmed|announced|admitted|denied|stated)(?:\s+that)?\s+$"
)
# The words between a pronoun and its verb: "he had", "it would not".
_AUXILIARIES = r"\s+(?:(?:had|has|have|would|will|was|were|not|also|then|later)\s+)*$"
_PRONOUN_BEFORE = re.compile(r"\b(?:he|she|they|it|we|I)" + _AUXILIARIES)
_IT_BEFORE = re.compile(r"\b(?:it|they)" + _AUXILIARIES, re.IGNORECASE)
_SAID_THAT = re.compile(rf"\b(?:{_SAYING})(?:\s+that)?\s")
_PREP_BEFORE = re.compile(r"\b(?:on|in|at|from|to|for|of|with|after|before|since|near)\s+$")


# Offices one person holds at a time in a story: "the chancellor" is the one person the
# article gives that title ("Chancellor Anton Brenner", "Brenner, the chancellor").
_OFFICES = (
    "chancellor|president|premier|governor|mayor|ceo|chief executive|chairman|chairwoman|"
    "coach|manager|captain"
)
_THE_OFFICE = re.compile(rf"\bthe\s+(?:[a-z]+\s+)?({_OFFICES})\b", re.I)


def _office_of(name: str, text: str, article_folded: str) -> bool:
    """Does `text` refer to `name` by an office the article gives only that person ("accused
    the chancellor of never being serious", in an article that names Chancellor Brenner)?"""
    last = re.escape(name.split()[-1])
    for office in {m.group(1).lower() for m in _THE_OFFICE.finditer(text)}:
        holders = _holders(office, article_folded)
        if holders and all(re.fullmatch(last, h) for h in holders):
            return True
    return False


@lru_cache(maxsize=256)
def _holders(office: str, article_folded: str) -> frozenset[str]:
    """The names the article gives `office` ("Chancellor Lukas Brenner's" -> Brenner), read
    once per article and office: the check asks for every window."""
    o = office.replace(" ", r"\s+")
    after = rf"(?i:\b{o})\s+((?:[A-Z][\w'-]*\s+){{0,2}}[A-Z][\w'-]*)"
    before = rf"([A-Z][\w'-]+),\s+(?:the\s+)?(?:[a-z]+\s+)?(?i:{o})\b"
    holders = {re.sub(r"'s$", "", r.split()[-1]) for r in re.findall(after, article_folded)}
    return frozenset(holders | set(re.findall(before, article_folded)))


# Where one clause of a sentence ends and another, about someone else, begins: "the Silver
# Lion went to Yoon Da-hye for Nine Rooms, and the Volpi Cup went to Matthias Oberholzer".
_CLAUSES = re.compile(r",\s+(?:and|but|while|whereas)\s+|;\s+|\s+while\s+|\s+whereas\s+")


def _apart(claim: Claim, window: list[_Sentence]) -> tuple[str, str] | None:
    """Two names the statement puts in one clause that a window sentence names in two
    different clauses, never in one, each clause with a name of its own the statement does
    not give: two parallel facts about different people, which the statement has crossed.
    (A clause naming no one else goes on about the same subject: "... lifted off, and the
    satellite separated ... above the Earth".) Returns the pair, or None."""
    every = (*claim.names, *claim.given_names)
    for part in _CLAUSES.split(claim.text):
        mine = [n for n in every if _stated(n, part)]
        for k, a in enumerate(mine):
            for b in mine[k + 1 :]:
                if _stated(a, b) or _stated(b, a):
                    continue  # one name written two ways
                for s in window:
                    parts = _CLAUSES.split(s.folded)
                    if len(parts) < 2 or not (_stated(a, s.folded) and _stated(b, s.folded)):
                        continue
                    if any(_stated(a, p) and _stated(b, p) for p in parts):
                        continue
                    if all(_others(claim, p) for p in parts if _stated(a, p) or _stated(b, p)):
                        return a, b
    return None


def _others(claim: Claim, clause: str) -> bool:
    """Does `clause` name someone or something the statement does not?"""
    return any(
        not _stated(n, claim.text) and not _DATE_NAME.fullmatch(n.split()[0]) and not is_demonym(n)
        for n in _names(clause)
    )


# An office with what it is of, before a person: "Agriculture Minister Gabriel Ferraz",
# "finance minister Ferraz", "Deputy Mayor Ana Ruiz".
_TITLED = re.compile(
    r"\b([A-Za-z]+)\s+((?i:minister|secretary|commissioner|mayor|governor|director|president))"
    r"\s+((?:[A-Z][\w'-]+\s+){0,2}[A-Z][\w'-]+)"
)


# The same after the person: "Denise Hollins, the charity's former finance director".
_APPOSED = re.compile(
    r"\b((?:[A-Z][\w'-]+\s+){0,2}[A-Z][\w'-]+),\s+(?:the\s+|its\s+|[A-Z]?[\w-]+'s\s+){0,2}"
    r"(?:former\s+|acting\s+|interim\s+|deputy\s+)?(?!whose\b|who\b|which\b)([a-z]+)\s+"
    r"(minister|secretary|commissioner|mayor|governor|director|president)\b"
)


def unstated_title(claim: Claim, article_sentences: list[_Sentence]) -> str | None:
    """The office a statement gives a person ("Agriculture Minister Gabriel Ferraz") when no
    sentence of the article that names the person says what the office is of (Ferraz is
    the environment minister). Returns "agriculture minister", or None."""
    found = [(m.group(1), m.group(2), m.group(3)) for m in _TITLED.finditer(claim.text)]
    found += [(m.group(2), m.group(3), m.group(1)) for m in _APPOSED.finditer(claim.text)]
    for of, office, person in found:
        if of.lower() in STOPWORDS or is_demonym(of) or of[:1].isupper() and of in COUNTRIES:
            continue  # "the minister", "Brazilian minister", "Brazil minister"
        if not person[:1].isupper() or person.split()[0].lower() in STOPWORDS:
            continue
        surname = re.sub(r"'s$", "", person.split()[-1])
        naming = [s for s in article_sentences if _stated(surname, s.folded)]
        # (the 80 characters before the name too: "mission director Dr. Raghavan" may be
        # split into two sentences at "Dr.")
        near = [s.folded for s in naming] + [
            fold(s.article.text[max(0, s.start - 80) : s.start]) for s in naming
        ]
        if naming and not any(re.search(rf"\b{re.escape(of)}\b", t, re.I) for t in near):
            return f"{of.lower()} {office.lower()}"
    return None


_OWNER = re.compile(r"\b([A-Z][\w-]*)'s\s+")
_OF_OWNER = re.compile(r"\b([A-Za-z]+)\s+(?:in|of)\s+(?:the\s+)?([A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)")


def other_owner(claim: Claim, window: list[_Sentence]) -> str | None:
    """A thing the statement gives one owner ("Canada's agencies") that the window gives
    only another ("Japan's state-backed financing agencies"). Returns that owner, or None."""
    for m in _OWNER.finditer(claim.text):
        noun = next((c for t in claim.text[m.end() :].split()[:1] if (c := _content(t))), None)
        if noun is None:
            continue
        owners: set[str] = set()
        for s in window:
            for w in _OWNER.finditer(s.folded):
                after = [_content(t) for t in s.folded[w.end() :].split()[:4]]
                if any(a is not None and _term_in(noun, frozenset((a,))) for a in after):
                    owners.add(w.group(1))
            # ("Shares in Pomorska Energia" are Pomorska Energia's shares)
            for w in re.finditer(_OF_OWNER, s.folded):
                if _term_in(noun, frozenset((_content(w.group(1)) or "",))):
                    owners.add(w.group(2))
        if owners and not any(_stated(m.group(1), o) or _stated(o, m.group(1)) for o in owners):
            return sorted(owners)[0]
    return None


# "Hiroshi Tanabe is Japan's minister for trade": a person given an owner's role.
_IS_ROLE = re.compile(r"\b((?:[A-Z][\w'-]+\s+){0,2}[A-Z][\w'-]+)\s+(?:is|was)\s+([A-Z][\w-]*)'s\s+")


def role_holder(claim: Claim, window: list[_Sentence]) -> str | None:
    """The person the window names in apposition to the role the statement gives someone
    else ("Japan's minister for trade, Hiroshi Tanabe" against "Leclerc is Japan's minister
    for trade"), when it never names the statement's person so. Returns that person."""
    m = _IS_ROLE.search(claim.text)
    if m is None:
        return None
    person, owner = m.group(1), m.group(2)
    role = next((c for t in claim.text[m.end() :].split()[:4] if (c := _content(t))), None)
    if role is None:
        return None
    holders: set[str] = set()
    for s in window:
        for w in _OWNER.finditer(s.folded):
            if not _stated(owner, w.group(1)):
                continue
            tail = s.folded[w.end() : w.end() + 80]
            words = tail.split(",")[0].split()
            if not any(_term_in(role, frozenset((c,))) for t in words if (c := _content(t))):
                continue
            after = re.match(r"[^,]*,\s+((?:[A-Z][\w'-]+\s*){1,3})", tail)
            if after:
                holders.add(after.group(1).strip())
    if holders and not any(_stated(person, h) or _stated(h, person) for h in holders):
        return sorted(holders)[0]
    return None
