"""Answer types on sentences: which sentences may be quoted at all, and, for a question that
asks for a kind of fact (a person, a place, a date, a number ...), the span of that kind each
sentence offers that the question does not already state, tied to what the question asks.

The extractive answerer (qa.extractive) quotes only sentences that hold such a span when the
question wants one, and leads its answer with the span.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from qa.entities import (
    DATE_WORD,
    Kind,
    Profile,
    Span,
    answer_kind,
    asked_role,
    asked_unit,
    fits_unit,
    owner_names,
    profile,
    spans,
)
from qa.evidence import ROLE_WORDS, Candidate, coverage, key_terms
from qa.lexicon import (
    COUNTRIES,
    EITHER_KIND,
    HEAD_NOUNS,
    PLACE_FAMILIES,
    WITHIN_COUNTRY,
    is_demonym,
    place_named,
)
from qa.relations import (
    OWNED_RELATIONS,
    asked_object,
    asked_relations,
    asks_speaker,
    in_speaker_position,
    object_span,
    owner_is_asked,
    relation_positions,
    source_spans,
    states_verb,
)
from qa.text import (
    STOPWORDS,
    UPPER,
    bare,
    fold,
    name_in,
    name_words,
    names,
    numbers_in,
    same_number,
    stem,
    stems,
    word_list,
    words,
)

# Kinds of answer a sentence can hold as a short span; "reason" answers are whole clauses.
SPAN_KINDS = ("person", "org", "place", "date", "number", "work")
_SENTENCE_END = re.compile(r"[.!]['\"”’)\]]*$|[.!?,]['\"”’]$")
_POINTER = re.compile(
    r"^(?:read more|related|more from|sign up|subscribe|click|follow us|watch|listen)\b", re.I
)


def quotable(text: str) -> bool:
    """May an answer quote this sentence? A statement that ends like one: not a headline,
    crosshead, "Read more" pointer or caption, and not the article's own question ("So where
    will the talks take place?")."""
    t = text.strip()
    ws = t.split()
    if len(ws) < 4 or not _SENTENCE_END.search(t) or _POINTER.match(t):
        return False
    capitalised = sum(1 for w in ws if w[:1].isupper())
    # Wire copy states facts in four words ("Two people remain missing."); a line that short
    # must read as a sentence, mostly lower case, not a credit or a sign-off.
    return capitalised / len(ws) < (0.75 if len(ws) >= 6 else 0.5)


@lru_cache(maxsize=512)
def _profile(text: str) -> Profile:
    return profile(text)


def type_candidates(
    question: str, cands: list[Candidate], article_text: Callable[[str], str | None]
) -> Kind | None:
    """Read the question's answer kind and mark what each sentence offers for it.

    Sentences that may not be quoted drop out (score -1). For a kind with short answers, each
    sentence's `answer` is the span of that kind it holds that the question does not already
    name, bound to what the question asks (None if it holds none); those that hold one rank a
    little higher. For answers that are clauses ("why", "how"), a sentence must be about the
    question's names and share one of its other words. A "why" question prefers sentences
    that give a reason.
    """
    kind = answer_kind(question)
    ask = _Asked(question)
    for c in cands:
        if not quotable(c.text):
            c.score = -1.0
            continue
        text = article_text(c.article_id) or ""
        if kind in SPAN_KINDS:
            c.answer = _bound_span(ask, kind, c, text)
            if c.answer is not None:
                # Nearer the question's words is likelier the fact asked about: "talks at the
                # conciliation service Acas in Glasgow" over "ferries linking Scotland"; and
                # an answer the sentence introduces with the asked-for noun ("Health Minister
                # Sofie Berg", "Bingöl province") is likelier still.
                near = coverage(ask.terms, _around(c.text, c.answer))
                named = _introduced_as(c.text, c.answer, ask.qualifier, ask.noun)
                c.score = round(c.score + 0.05 + LOCAL_WEIGHT * near + ROLE_WEIGHT * named, 4)
        elif (len(ask.plain) > 1 and coverage(ask.plain, c.text) == 0) or not _about(
            c, text, ask.names, every=False
        ):
            # A sentence that shares only names with the question says nothing of what is
            # asked about them ("How did Wrona vote?" against a quote of his on another
            # matter), and one about none of its names answers nothing about them. (One plain
            # word may be paraphrased: "Lavrov's position" is "Foreign Minister Sergei Lavrov";
            # one name may be a false premise: "according to CBS" for an interview in the FT.)
            c.score = -1.0
        elif kind == "reason" and spans(c.text, "reason"):
            c.score = round(c.score + 0.03, 4)
    return kind


class _Asked:
    """What the answer must be bound to: the question's key terms, the plain (not name)
    ones among them, the asked-for role and its qualifier, and the names it asks about."""

    def __init__(self, question: str) -> None:
        self.question = question
        self.terms = key_terms(question)
        self.plain = {t: w for t, w in self.terms.items() if w <= 1.0}
        self.qualifier, self.noun = asked_role(question)
        # What is asked about the names: the plain words but the asked-for noun ("date").
        self.relation = {t: w for t, w in self.plain.items() if t != stem(self.noun or "")}
        # Not role words ("MP"), dates ("August") or adjectives of place ("Danish minister"
        # is answered by "Health Minister Sofie Berg").
        # A possessive is the name's ("Callum Reid's first job" is about Callum Reid).
        found = [re.sub(r"['’]s$", "", n) for n in names(fold(question))]
        self.names = [
            n
            for n in found
            if n.lower() not in ROLE_WORDS and not DATE_WORD.fullmatch(n) and not is_demonym(n)
        ]
        # "Who is Norway's energy minister?": the role is all that is asked, so the answer
        # must be introduced by it.
        self.identity = self.noun is not None and bool(_IDENTITY.match(question))
        # The relation asked about (born, profit, acquired ...), who spoke ("Who told the FT
        # ..."), and whether the answer is an attribute of the asked name (its age, its
        # profit), not of a neighbour in the sentence (qa/relations.py).
        self.rel_groups = asked_relations(question)
        self.speaker = asks_speaker(question)
        self.owned = asked_unit(question) == "age" or any(
            r in OWNED_RELATIONS for r in self.rel_groups
        )
        # "Whom did Peskov accuse ...?": the verb's object, where Peskov is its subject.
        self.obj = asked_object(question)


def _bound_span(ask: _Asked, kind: Kind, c: Candidate, article: str) -> Span | None:
    """The sentence's span of the asked-for kind, if it is bound to the question: the sentence
    is about the question's names; the span is not introduced as another role ("Germany's
    finance minister" for "Norway's energy minister"); an identity question's role holds it;
    and something the question says is near it (for a date, something besides the names: "When
    did Reid take charge?" is not answered by "Reid's side won on Saturday"; "How many ships
    are in the fleet?" is not answered by a sentence about a strike that has a number)."""
    prof = _profile(article)
    at = relation_positions(ask.rel_groups, c.text)
    if at is None:
        return None  # the sentence does not state what is asked: revenue for "profit"
    if ask.obj is not None and kind in _OBJECT_KINDS and states_verb(c.text, ask.obj):
        # The sentence uses the asked verb: its object is the answer when the question's
        # subject does it, whatever its kind ("the 'European party of war'" is no person),
        # and nothing here answers when another subject does.
        return object_span(c.text, ask.obj, kind)
    speaker = kind == "person" and ask.speaker
    # "Which investor led the round?" is answered by a fund as well as by a person.
    sp = answer_span(ask.question, kind, c.text, prof, anchors=at, speaker=speaker)
    if sp is None and kind == "person" and ask.noun in EITHER_KIND:
        sp = answer_span(ask.question, "org", c.text, prof, anchors=at, speaker=speaker)
    if sp is None or not _about(c, article, ask.names):
        return None
    if _designated_otherwise(c.text, sp, ask.noun):
        return None
    if ask.owned and kind in ("number", "date") and not _owned(c.text, sp, prof, ask.names):
        return None
    if _role_conflict(ask.question, c.text, sp, ask.qualifier, ask.noun):
        return None
    named = _introduced_as(c.text, sp, ask.qualifier, ask.noun)
    # An identity question's role may follow the name at a distance ("Kadri Lepp becomes
    # Estonia's first woman defence minister").
    if (
        ask.identity
        and kind in ("person", "org")
        and not (named or _introduced_as(c.text, sp, ask.qualifier, ask.noun, _WINDOW))
    ):
        return None
    # The asked relation's own word binds the span too: "found" for "recovered".
    related = _near(at, sp, c.text)
    if not named and not related and coverage(ask.terms, _around(c.text, sp)) == 0:
        return None
    if kind == "date" and not related and coverage(ask.relation, _around(c.text, sp)) == 0:
        return None  # news is full of dates: one near only the names may be another event's
    return sp


def _designated_otherwise(sentence: str, sp: Span, noun: str | None) -> bool:
    """Is the place named as another kind of place than the one asked for? "the Quebrada
    Honda mine" answers no "which river"; "the Choapa River" does. (Not organisations: an
    "Alliance" is an "organisation", a "Forum" a "party".)"""
    if noun is None or sp.kind != "place" or noun in _GENERIC_ROLES:
        return False
    if noun in WITHIN_COUNTRY and sp.text in COUNTRIES:
        return True  # "which town" is not answered by "Denmark('s Mads Korsholm)"
    # The noun the sentence gives it: "the town of Logan Lake", "the Quebrada Honda mine" (a
    # name's own last word says less: Logan Lake is a town).
    before = re.search(r"\b([a-z]+)\s+of\s+(?:the\s+)?$", sentence[: sp.start])
    after = re.match(r"\s+([a-z]+)\b", sentence[sp.end :])
    designation = next(
        (m.group(1) for m in (before, after) if m and m.group(1) in HEAD_NOUNS["place"]), None
    )
    if designation is None or noun not in HEAD_NOUNS["place"]:
        return False
    same = stem(designation) == stem(noun) or any(
        designation in f and noun in f for f in PLACE_FAMILIES
    )
    return not same


# Kinds a verb's object answers as it stands; a number or a date must be one.
_OBJECT_KINDS = ("person", "org", "work")

# Nouns that ask for any person, organisation or place: "which player" is answered by a
# sentence that calls him the striker.
_GENERIC_ROLES = frozenset(
    word_list("person people player official member figure company firm group place area")
)


def _introduced_as(
    sentence: str, sp: Span, qualifier: str | None, noun: str | None, window: int = 40
) -> bool:
    """Does the sentence introduce the answer with the asked-for noun ("Health Minister Sofie
    Berg" for "which minister"), with the question's qualifier if it has one?"""
    if noun is None:
        return False
    near = _around(sentence, sp, window)
    have = stems(near) | stems(sp.text)  # "the Choapa River" for "which river"
    if stem(noun) in have:
        if qualifier is None:
            return True
        m = re.search(r"([A-Za-z-]+)\s+" + re.escape(noun[:5]), near, re.IGNORECASE)
        if stem(qualifier) in have:
            return True
        # Another qualifier ("finance minister" for "defence minister") earns no credit.
        # (Refusing such sentences outright lost right answers on the tuning half.)
        return not (m and bare(m.group(1)) not in STOPWORDS)
    if noun in _GENERIC_ROLES and sp.kind in ("person", "org", "place"):
        return any(w.lower() in HEAD_NOUNS[sp.kind] for w in words(near))
    return False


def _about(c: Candidate, article: str, asked_names: list[str], every: bool = True) -> bool:
    """Is this sentence about whom the question names? Every name the question asks about
    must be in the sentence, the one before it, or the article's opening (its headline and
    lead): a sentence on train fares in England does not answer a question about bus fares
    in Wales. With `every` false, one of them is enough.

    (Requiring also one of the question's other words, its predicate, refused too many
    paraphrased questions on the newsroom suite's tuning half: "got the decisive late goal"
    against "89th-minute strike".)
    """
    before = c.context if _ANAPHOR.search(c.text) else ""
    scope = fold(f"{c.text} {before} {article[:400]}")  # the names are folded too: "Malmo"
    found = [name_in(n, scope) or place_named(n, scope) for n in asked_names]
    return all(found) if every else (any(found) or not found)


# A sentence that refers back ("he", "its", "the committee") continues the one before it;
# one that does not is about what it names itself.
_ANAPHOR = re.compile(
    r"\b(?:he|she|it|they|him|her|his|hers|its|them|their|theirs)\b|^\W*(?:The|This|That|These|"
    r"Those)\s+[a-z]",
)


# "Who is (the) X's <role>?": the role is all the question asks, so the answer must hold it.
# So is "Who will be foreign minister in the new coalition?": who is to hold the role.
_IDENTITY = re.compile(
    r"^\W*(?:(?:who|what)\s+(?:is|was|are|were)\s+(?:\S+\s+){0,3}\S+\W*$"
    r"|who\s+(?:will be|would be|has been|had been|became|becomes)\s)",
    re.I,
)


def _role_conflict(
    question: str, sentence: str, sp: Span, qualifier: str | None, noun: str | None
) -> bool:
    """Does the sentence introduce the span as another role than the one asked for? "Germany's
    finance minister, Marta Kessler" does not answer "Who is Norway's energy minister?", nor
    "chief executive Ingrid Solberg" "Who is the finance chief?": the role's owner differs, or
    its other words leave out the asked qualifier."""
    if noun is None:
        return False
    owner, role = _role_before(sentence[max(0, sp.start - 60) : sp.start])
    if not any(w[:5] == noun[:5] for w in role):
        return False  # not introduced by the asked-for noun: nothing to compare
    owned = rf"([{UPPER}][\w-]+)['’]s\s+(?:[a-z-]+\s+)?" + re.escape(noun[:5])
    q_owner = re.search(owned, question)
    if q_owner and owner and q_owner.group(1)[:5] != owner[:5]:
        return True
    others = [w for w in role if w[:5] != noun[:5]]
    return qualifier is not None and bool(others) and all(w[:5] != qualifier[:5] for w in others)


def _role_before(before: str) -> tuple[str | None, list[str]]:
    """The role words right before a name, lower-cased, and the possessive owner before them:
    "Germany's finance minister, " -> ("Germany", ["finance", "minister"])."""
    toks = re.findall(r"[\w'’-]+|[^\w\s]", before)
    if toks and toks[-1] == ",":
        toks.pop()
    if toks and toks[-1].lower() == "the":
        toks.pop()
    role: list[str] = []
    while toks and len(role) < 3:
        t = toks.pop()
        if t.endswith(("'s", "’s")):
            return t[:-2], role
        if not re.fullmatch(r"[A-Za-z-]+", t) or bare(t) in STOPWORDS:
            break
        role.insert(0, t.lower())
    return None, role


def answer_span(
    question: str,
    kind: Kind,
    sentence: str,
    prof: Profile,
    *,
    anchors: list[int] | None = None,
    speaker: bool = False,
) -> Span | None:
    """The span of `sentence` most likely to answer `question`: of the asked-for kind, not
    already in the question, fitting the question's unit ("how many satellites" wants a
    number of satellites, not "4,870 square kilometres"), nearest the words stating the asked
    relation (`anchors`), else the question's key terms. With `speaker`, only who speaks in
    the sentence, named or not ("citing three diplomats"), answers."""
    qwords = {bare(w) for w in words(question)}
    qnums = [n.value for n in numbers_in(question)]
    found = [
        sp
        for sp in spans(sentence, kind, prof)
        if not _given(sp, question, qwords, qnums)
        and (kind != "number" or fits_unit(question, sentence, sp))
    ]
    if speaker:
        found = [sp for sp in found + source_spans(sentence) if in_speaker_position(sentence, sp)]
    if not found:
        return None
    # A count as it stands now: "the toll rose to five after two people died" gives five.
    if kind == "number" and _STANDING.search(question):
        found = [sp for sp in found if _LEVEL.search(sentence[: sp.start])] or found
    terms = key_terms(question)
    anchors = anchors or [
        m.start()
        for m in re.finditer(r"[A-Za-z0-9][\w'’.-]*", sentence)
        if stem(m.group(0)) in terms
    ]
    if not anchors:
        return found[0]

    def apart(sp: Span) -> tuple[bool, int]:
        # A span past "and" or a comma from the word it is nearest belongs to the next item
        # of a list: in "203 people had been confirmed dead and 1,460 injured", 1,460 is
        # nearer "dead" but is the injured.
        a = min(anchors, key=lambda a: abs(sp.start - a))
        between = sentence[min(a, sp.end) : max(a, sp.start)]
        return kind == "number" and bool(_CONJOINED.search(between)), abs(sp.start - a)

    return min(found, key=apart)


def _near(positions: list[int], sp: Span, sentence: str) -> bool:
    """Is one of the positions (the asked relation's words) within the window of the span?
    An apposition after the span does not count against it: in "One person, a 19-year-old
    student from Miranda do Corvo, is still missing" the predicate is the span's own."""
    m = _APPOSITION.match(sentence, sp.end)
    end = m.end() if m else sp.end
    return any(sp.start - _WINDOW <= p <= end + _WINDOW for p in positions)


_LEVEL = re.compile(
    r"\b(?:r[io]se[ns]?|climb(?:ed|s)|jump(?:ed|s)|increase[ds]|gr[eo]wn?|grows|reach(?:ed|es)|"
    r"st(?:ood|ands)|f[ae]ll(?:en|s)?|drop(?:ped|s)|decline[ds])\s+(?:to|at)\s+"
    r"(?:about\s+|around\s+|nearly\s+|at\s+least\s+)?$"
)
_CONJOINED = re.compile(r"\band\b|[,;]")
_STANDING = re.compile(r"\b(?:now|so far|in total|total|toll|latest|current|currently)\b", re.I)
_APPOSITION = re.compile(r"(?:\s+[a-z]+)?,\s[^,]{1,60},")


def _owned(sentence: str, sp: Span, prof: Profile, asked: list[str]) -> bool:
    """Is the number or date the asked name's (its age, its profit), by the name nearest it
    (places and adjectives of place own no age or profit)?"""
    owners = owner_names(sentence, prof)
    # The asked names themselves, wherever the sentence says them (a sentence-initial
    # "Ostra made a net profit" is no capitalised run of its own).
    for name in asked:
        for w in name_words(name):
            owners += [
                (m.start(), m.end(), w) for m in re.finditer(rf"\b{re.escape(w)}\b", fold(sentence))
            ]
    return owner_is_asked(sp, owners, asked)


LOCAL_WEIGHT = 0.5
ROLE_WEIGHT = 0.1
_WINDOW = 60  # characters each side of a short answer that count as "near" it


def _around(sentence: str, sp: Span, window: int = _WINDOW) -> str:
    return sentence[max(0, sp.start - window) : sp.start] + " " + sentence[sp.end : sp.end + window]


def _given(sp: Span, question: str, qwords: set[str], qnums: list[float]) -> bool:
    """Is this span something the question already states?"""
    if sp.kind == "number":
        return any(same_number(n.value, q) for n in numbers_in(sp.text) for q in qnums)
    if sp.kind in ("person", "org", "place", "work"):
        if sp.kind == "place" and any(w[:5] == bare(sp.text)[:5] for w in qwords if len(w) > 4):
            return True  # "Turkey" answers nothing in "which Turkish province"
        return name_in(sp.text, question) or all(bare(w) in qwords for w in name_words(sp.text))
    return sp.text.lower() in question.lower()
