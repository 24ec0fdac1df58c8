"""The verdict on a statement: against all the articles it cites (`check_cited`: which keep
their citations), and whether a supported statement answers the question asked."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

from qa.asked import asked_noun, asked_unit, is_verb, noun_kind, question_parts
from qa.entities import answer_kind, profile
from qa.facts.article import Article
from qa.facts.claim import Claim
from qa.facts.vocab import (
    _DATE_NAME,
    _MONTH_NAME,
    _REPORTING,
    _canon,
    _content,
    _names,
    _stated,
    _stem,
    _term_in,
    _tokens,
    _with_canon,
)
from qa.facts.window import Verdict, _covered, _windows, check
from qa.facts.wordnumbers import ordinals_and_fractions
from qa.lexicon import COUNTRIES, EITHER_KIND, ORG_CUES, PLACE_CUES, Span, is_demonym
from qa.relations import anchor_relations, asked_relations, relation_positions
from qa.text import (
    QUESTION_WORDS,
    STOPWORDS,
    bare,
    fold,
    name_stated,
    numbers_in,
    sentences,
    states_number,
    stems,
    word_list,
    words,
)
from qa.units import could_count, fits_unit, noun_after


@dataclass
class Cited:
    """The check of a statement against all the articles it cites."""

    supported: bool
    verdicts: list[Verdict]  # per article: the window used (its quote)
    keep: list[bool]  # per article: does it keep its citation?


# Windows per article tried in combination when no single article states a statement.
_UNION_WINDOWS = 5


def _specific(v: Verdict) -> int:
    """How many names and numbers a window states."""
    return sum(1 for k in v.stated if k.startswith(("name:", "number:")))


def check_cited(claim: Claim, articles: Sequence[Article]) -> Cited:
    """A statement citing several articles. Supported when one of them states it (then the
    articles that state it alone keep their citations), or when windows of two or more
    together state every name and number and enough of the content words with no
    contradiction (then the articles whose window adds something the others do not state
    keep theirs). An article that states none of it, or only what another already states,
    loses its citation."""
    alone = [check(claim, a) for a in articles]
    if any(v.supported for v in alone) or len(articles) < 2:
        return Cited(any(v.supported for v in alone), alone, [v.supported for v in alone])
    pools = []
    for a in articles:
        if any(not _stated(n, a.folded) for n in claim.given_names):
            pools.append([])
            continue
        ws = [v for v in _windows(claim, a) if v.clash is None and v.stated]
        ws.sort(key=lambda v: (_specific(v), len(v.stated), v.coverage), reverse=True)
        pools.append(ws[:_UNION_WINDOWS] or [Verdict(False)])
    best: tuple[float, tuple[Verdict, ...]] | None = None
    for combo in product(*pools):
        union = frozenset().union(*(v.stated for v in combo))
        coverage, enough = _covered(claim, {t for t in claim.terms if f"term:{t}" in union})
        names_ok = all(f"name:{n}" in union for n in claim.names)
        numbers_ok = all(f"number:{q.number.text}" in union for q in claim.quantities)
        if names_ok and numbers_ok and enough and (best is None or coverage > best[0]):
            best = (coverage, combo)
    if best is None:
        return Cited(False, alone, [False] * len(articles))
    chosen = list(best[1])
    keep = []
    for k, v in enumerate(chosen):
        others = frozenset().union(*(w.stated for j, w in enumerate(chosen) if j != k))
        keep.append(bool(v.stated - others))
    return Cited(True, chosen, keep)


# --------------------------------------------------------------------------- answers

_RELATIVE_DATE = re.compile(
    r"\b(?:yesterday|today|tomorrow|tonight|(?:last|next|this)\s+(?:week|month|year|weekend))\b",
    re.IGNORECASE,
)


# Share of the question's words (names counting double) the cited passage must hold for a
# supported statement to count as answering it.
MIN_RELEVANCE = 0.5


def answers_question(
    question: str, statement: str, passage: str | None = None, title: str = ""
) -> bool:
    """Does `statement` answer `question`? It says something the question does not already
    say (not a restatement: "The licence change allows younger people into trucking" for
    "How would the licence change let younger people into trucking?"), and gives the kind of
    fact asked for (qa.entities.answer_kind: a name the question does not already give for
    "who" / "which company" / "where", a number for "how many", a date for "when"; any
    statement for the rest). A single question asking for a measure ("how much", "how
    long", "what share") wants a number of that measure (qa.units: money, not a count of
    jobs; years, not a percentage). When `passage` (the article text it is cited to) is
    given, that passage is about what the question asks: with the article's `title`, it
    holds `MIN_RELEVANCE` of the question's words; and the passage's sentence that states
    the statement's number or date states the relation asked ("how much was it fined" is
    not answered by what a clean-up will cost, in the sentence after the fine). A true
    sentence about something else (a model pasting the article) does not answer; a
    feature's paragraph that does not repeat what its headline says ("Reid, 44, grew up in
    Paisley" under "Callum Reid: the Aldervale manager ...") does. Nor does a statement about
    another member of a series the question names (the Series B for the Series A)."""
    if not question.strip():
        return True
    q, s = fold(question), fold(statement)
    if passage is not None and _relevance(q, fold(f"{title}\n{passage}")) < MIN_RELEVANCE:
        return False
    # (A yes/no question may be answered in its own words: "Yes, the Senate approved it.")
    wh = any(bare(w) in QUESTION_WORDS for w in words(q))
    if (wh and not _adds(q, s)) or _other_member(q, s) or _about_article(s, q):
        return False
    kind = answer_kind(question)
    # A two-part question is answered by a statement answering either part.
    single = len(question_parts(question)) == 1
    if single and kind != "number" and _other_value(question, statement):
        return False
    if single and kind == "number" and not _measure_fits(question, statement):
        return False
    if not single and not _fits_a_part(question_parts(question), statement):
        return False
    if single and kind in ("number", "date") and passage and not _value_related(q, s, passage):
        return False
    if kind in ("person", "org", "place", "work"):
        return _gives_new_name(question, statement, passage, kind)
    if kind in ("number", "date"):
        asked = [n.value for n in numbers_in(q)]
        if any(n.value not in asked for n in numbers_in(s) + ordinals_and_fractions(s)):
            return True
        if kind == "date":
            dates = [n for n in _names(s) if _DATE_NAME.fullmatch(n.split()[0])]
            return any(not name_stated(d, q) for d in dates) or bool(_RELATIVE_DATE.search(s))
        return False
    return True


def _gives_new_name(question: str, statement: str, passage: str | None, kind: str) -> bool:
    """For a question asking for a name of `kind`: does the statement give one the question
    does not already give (a person, not a place or a company, for "who is the finance
    chief")?"""
    q, s = fold(question), fold(statement)
    found = _names(s)
    first = words(s)[:1]
    prof = profile(f"{statement}\n{passage or ''}")
    if first and first[0][:1].isupper() and bare(first[0]) not in STOPWORDS:
        word = re.sub(r"'s$", "", first[0].strip("'.-"))
        # (a name where the passage writes it as one: "Investigators believe ..." names no one)
        if passage is None or word in prof.proper or word in COUNTRIES or is_demonym(word):
            found.append(word)
    # "Portuguese" is not who signed or coached anyone.
    found = [n for n in found if kind == "place" or not is_demonym(n)]
    new = [n for n in found if not name_stated(n, q) and not _DATE_NAME.fullmatch(n)]
    if kind == "person" and new:
        # A place is not who did something: "the lakeside town of Varenna"; nor is a
        # company the person a role names ("who is the finance chief" -> "Halden Energy").
        role = asked_noun(question)
        person = (
            role is not None
            and role not in EITHER_KIND  # an investor, a buyer may be a company
            and noun_kind(role, guess=False) == "person"
        )
        not_who = ("place", "org") if person else ("place",)
        new = [n for n in new if prof.kind_of(n) not in not_who and not _attributive(n, s)]
        if person:
            new = [n for n in new if not _body_named(n, s)]
    return bool(new)


def _body_named(name: str, statement: str) -> bool:
    """Is `name` a body's or a place's, by the word it ends with ("Ferry Workers Union"),
    or the first half of one ("Seafarers' and Ferry Workers' Union")?"""
    cues = ORG_CUES | PLACE_CUES
    if name.split()[-1] in cues:
        return True
    at = statement.find(name)
    if at < 0:
        return False
    after = re.match(
        r"['’]?\s+and\s+((?:[A-Z][\w'’-]*\s+)*[A-Z][\w'’-]*)", statement[at + len(name) :]
    )
    return after is not None and after.group(1).split()[-1].strip("'’") in cues


def _attributive(name: str, statement: str) -> bool:
    """Is `name` used only before a noun it describes ("the Marchetti portrait was not in
    the garage" names a painter's work, not who owned it)?"""
    uses = list(re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", statement))
    return bool(uses) and all(
        re.search(r"\bthe\s+$", statement[: m.start()], re.IGNORECASE)
        and (nxt := re.match(r"\s+([a-z][\w-]*)", statement[m.end() :])) is not None
        and not is_verb(nxt.group(1))
        for m in uses
    )


def reports_anchor(question: str, texts: Sequence[str]) -> bool:
    """Does one of the cited articles report the event the question dates itself by ("still
    missing after the body was found": a report written before the body was found answers an
    earlier question, whatever it says)?"""
    rels = anchor_relations(question)
    return not rels or any(relation_positions(rels, fold(t)) is not None for t in texts)


def _relevance(question: str, passage: str) -> float:
    """The weighted share of the question's content words (names double) in the passage. A
    name counts when the passage states it as a name ("Turkish" by "Turkey"); months, days
    and years do not count (a passage seldom repeats the date its article is about)."""
    have = frozenset(_with_canon(stems(passage)))
    weights: dict[str, float] = {}
    named: set[str] = set()
    for i, w in enumerate(words(question)):
        low = bare(w)
        if len(low) < 3 or low in STOPWORDS or low in QUESTION_WORDS or low in _REPORTING:
            continue
        if _DATE_NAME.fullmatch(w) or re.fullmatch(r"(?:19|20)\d\d", low):
            continue
        if low in _WHEN_NOUNS and re.search(rf"\b(?:what|which)\s+{low}\b", question, re.I):
            continue  # "on what date": the kind of answer asked for, as "when" is
        key = _canon(_stem(low))
        weights[key] = 2.0 if w[:1].isupper() and i > 0 else 1.0
        if w[:1].isupper() and i > 0 and _stated(re.sub(r"'s$", "", w), passage):
            named.add(key)
    if not weights:
        return 1.0
    got = sum(wt for t, wt in weights.items() if t in named or _term_in(t, have))
    return got / sum(weights.values())


# Nouns that ask "when" after "what" or "which".
_WHEN_NOUNS = frozenset("date day year month time".split())  # noqa: SIM905


# A statement about the article, not about the news: "The article on Benelux Tech Wire about
# Zentel's outage", "The article on the accord is titled ..." (no "that ...", "says ...").
_ABOUT_ARTICLE = re.compile(
    r"^\W*(?:the|this|an?)\s+(?:articles?|reports?|story|stories|piece)\b", re.I
)
_REPORTS = frozenset(
    word_list(
        """that say says said state states stated report reports reported mention mentions
        mentioned note notes noted show shows explain explains explained add adds added quote
        quotes quoted"""
    )
)
# What a statement about the article does: it is, is titled, discusses ...; any other verb
# states something ("The article on Monday about the tornado rated it an EF-3" is a claim).
_ARTICLE_VERBS = frozenset(
    word_list(
        """is was are were be been titled entitled called headlined discusses discussed covers
        covered describes described concerns concerned focuses focused"""
    )
)
_MODALS = frozenset(word_list("will would can could may might must shall should has have had"))


def _about_article(statement: str, question: str = "") -> bool:
    """Is the statement about the article, not the news? (Verbs it repeats from the question
    claim nothing: "The article on the airline that plans to base aircraft at Shannon is
    Aerlinn Regional".)"""
    if not _ABOUT_ARTICLE.match(statement):
        return False
    asked = {bare(w) for w in words(question)} - _MODALS
    rest = [w for w in (bare(x) for x in words(statement)[2:]) if w not in asked]
    return not any(
        w in _REPORTS or (w not in _ARTICLE_VERBS and (w in _MODALS or is_verb(w))) for w in rest
    )


# What a number can measure, as opposed to what it counts: counts are paraphrased ("480,000
# driver positions" for vacancies, "two of the seven members" for a tally), measures are not.
_MEASURES = frozenset(word_list("money percent duration age distance rainfall speed"))


# A member of a named series: "Series A", "Terminal 2", "Phase III".
_DESIGNATION = re.compile(r"\b([A-Z][a-z]+)\s+([A-Z]|\d{1,3}|[IVX]{1,4})(?![\w'’-])")


def _other_member(question: str, statement: str) -> bool:
    """Does the statement give another member of a series the question names ("raised $38
    million in a Series B round" for "How much did it raise in its Series A?")? It is true
    of something else."""
    asked = {(m.group(1).lower(), m.group(2)) for m in _DESIGNATION.finditer(question)}
    given = {(m.group(1).lower(), m.group(2)) for m in _DESIGNATION.finditer(statement)}
    return any(
        any(w == aw and i != ai for w, i in given) and (aw, ai) not in given for aw, ai in asked
    )


def _other_value(question: str, statement: str) -> bool:
    """Does the statement give another value of a quantity the question states ("sentenced
    to three years" for "which prosecutor had asked for a four-year sentence")? It is about
    another fact. (Not for questions asking a number: their answer differs by nature.)"""

    def counted(text: str) -> dict[str, set[float]]:
        out: dict[str, set[float]] = {}
        for n in numbers_in(text):
            noun = noun_after(text[n.end :].rstrip(".!?") + " ")  # "three years."
            if noun is not None:
                out.setdefault(_stem(noun), set()).add(n.value)
        return out

    asked, given = counted(question), counted(statement)
    stated = {n.value for n in numbers_in(statement)}  # "about 140 remained" states 140
    return any(u in given and not (vals & stated) for u, vals in asked.items())


def _adds(question: str, statement: str) -> bool:
    """Does the statement say something the question does not: a content word (the same
    word, inflection or synonym of a question word does not count) or a number?"""
    have = frozenset(_with_canon({c for t in _tokens(question) if (c := _content(t))}))
    if any(not _term_in(_canon(c), have) for t in _tokens(statement) if (c := _content(t))):
        return True
    asked = [n.value for n in numbers_in(question)]
    return any(n.value not in asked for n in numbers_in(statement))


def _measure_fits(question: str, statement: str) -> bool:
    """A question asking for a measure or a count: does the statement give a number of it?
    A count ("how many people") is not given by a sum of money, a share, a clock time, a
    year or a day of a month (qa.units.could_count)."""
    unit = asked_unit(question)
    if unit in _MEASURES:
        return any(
            fits_unit(question, statement, Span(n.text, "number", n.start, n.end))
            for n in numbers_in(statement)
        )
    if unit is None or unit == "tally":
        return True
    # ... and counts what is asked: "18 sailings" does not say how many ships (a bare number,
    # or one before people for a question about people, may: qa.units.fits_unit).
    return any(
        could_count(statement, span := Span(n.text, "number", n.start, n.end))
        and fits_unit(question, statement, span)
        and not _DAY_OF_MONTH.search(statement[max(0, n.start - 12) : n.end + 12])
        for n in numbers_in(statement)
    )


# A day of a month on either side: "June 10", "10 June".
_DAY_OF_MONTH = re.compile(rf"\b{_MONTH_NAME}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTH_NAME}(?!\w)")


def _fits_a_part(parts: list[str], statement: str) -> bool:
    """Of a question in parts that each ask for a number ("How many were injured on the day,
    and how many by the day after?"), does the statement give the number one part asks for?
    A part that names no unit counts what the part before it counts. A part asking for
    something else may be what the statement answers: yes."""
    resolved: list[str] = []
    for part in parts:
        if answer_kind(part) != "number":
            return True
        before = asked_unit(resolved[-1]) if resolved else None
        if asked_unit(part) is None and before and before not in _MEASURES:
            part = re.sub(r"(?i)\bhow many\b", f"how many {before}", part, count=1)
        resolved.append(part)
    return any(_measure_fits(part, statement) for part in resolved)


def _value_related(question: str, statement: str, passage: str) -> bool:
    """For a question asking about a relation (qa.relations: fined, died, acquired ...): the
    passage's sentences that state the statement's new numbers state that relation too (a
    number no sentence states is the support check's business, not this one's)."""
    rels = asked_relations(question)
    if not rels:
        return True
    asked = [n.value for n in numbers_in(question)]
    found = [passage[a:b] for a, b in sentences(passage)]
    for n in numbers_in(statement):
        if n.value in asked:
            continue
        holders = [x for x in found if any(states_number(n, m.value) for m in numbers_in(x))]
        if holders and all(relation_positions(rels, x) is None for x in holders):
            return False
    return True
