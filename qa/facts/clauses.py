"""Clauses of a sentence, for which words a number or a name belongs to: in "410 would be
offered retraining, while the remaining 230 would leave", "retraining" is 410's, not 230's.
A word-level reading (no parser: the small parsers tried cost more than they caught,
docs/evals.md)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from qa.facts.vocab import _TOKEN, _content, pair_union
from qa.lexicon import is_demonym
from qa.text import states_number

if TYPE_CHECKING:
    from qa.facts.article import _Sentence
    from qa.facts.quantities import Quantity

# Where a clause ends: punctuation, a dash, "while"/"whereas"/"but", and "and"/"or" before a
# figure ("1,100 jobs during construction and 150 permanent jobs": the second figure's words).
_CLAUSE_BREAK = re.compile(
    r"[,;:()\"]|\s-\s|\s(?:while|whereas|but)\s"
    r"|\s(?:and|or)\s(?=(?:about|around|some|nearly|almost|over)?\s?[$€£]?\d)"
)


def clause_words(folded: str, start: int, end: int, after_only: bool = False) -> set[str]:
    """The content stems of the clause around `folded[start:end]` (with `after_only`, of the
    rest of the clause after it: what a statement says of its figure)."""
    lo = (
        start
        if after_only
        else max((m.end() for m in _CLAUSE_BREAK.finditer(folded, 0, start)), default=0)
    )
    m = _CLAUSE_BREAK.search(folded, end)
    hi = m.start() if m else len(folded)
    return {c for t in _TOKEN.findall(folded[lo:hi]) if (c := _content(t))}


def clauses(folded: str) -> list[str]:
    """A sentence's clauses, as text; a quotation stays in its clause ("warned that the number
    'could be more than double'")."""
    return [c for c in _CLAUSE_BREAK.split(folded.replace('"', " ")) if c and c.strip()]


# What makes a clause's deed only possible, reported or alleged: "could", "is considering",
# "proposed", "reports that", "accused of", "declined to comment". (A plan, "will" or "is
# expected to", is left to the deed checks: a statement's "will" restates it; tried as a
# mismatch too, it cost true pairs, docs/evals.md.)
_POSSIBLE = re.compile(
    r"\b(?:could|may|might|whether|if|unless|consider(?:s|ed|ing)?|propos(?:e|es|ed|ing|al)|"
    r"reports?\s+that|alleg(?:e|es|ed|edly|ing)|accus(?:e|es|ed|ing)|"
    r"(?:declin|refus)(?:e|es|ed|ing)\s+to\s+comment|possibl[ey]|potential(?:ly)?)\b",
    re.IGNORECASE,
)


def _words(text: str) -> set[str]:
    """Content stems of the lower-case words (names are checked as names)."""
    return {c for t in _TOKEN.findall(text) if t[:1].islower() and (c := _content(t))}


def _governing(clause: str, said: set[str]) -> str:
    """The clause up to the last word it shares with the statement: a hedge after that ("...
    for displaced residents and asked people to keep away") is about something else."""
    first: dict[str, int] = {}  # each shared word's first place ("cost ... the likely cost")
    for m in _TOKEN.finditer(clause):
        if m.group()[:1].islower() and (c := _content(m.group())) in said:
            first.setdefault(c, m.end())
    return clause[: max(first.values(), default=0)]


@lru_cache(maxsize=8192)
def _read(folded: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """A sentence's clauses with their words, read once: every statement checked against a
    window asks again."""
    return tuple((cl, frozenset(_words(cl))) for cl in clauses(folded))


def surer_than_source(claim_text: str, window_folded: list[str]) -> str | None:
    """The window clause that says most of what the statement says, when that clause only
    holds it possible, reported or alleged and the statement does not ("Lindqvist confirmed
    the approach" from "declined to comment on press reports that" it was made; "the trust
    has begun selling seats" from "could release seats"): that clause, or None."""
    said = _words(claim_text)
    if _POSSIBLE.search(claim_text) or len(said) < 3:
        return None
    scored = [(len(said & words), cl) for f in window_folded for cl, words in _read(f)]
    top = max((n for n, _ in scored), default=0)
    best = [cl for n, cl in scored if n == top]
    if top >= 2 and all(_POSSIBLE.search(_governing(cl, said)) for cl in best):
        return best[0].strip()
    return None


def figure_elsewhere(
    claim_text: str, q: Quantity, sent: _Sentence, sq: Quantity, rivals: list
) -> bool:
    """Do the words the statement gives its number ("230 ... would be offered retraining")
    belong to another number's clause of the sentence ("410 ... would be offered retraining,
    while the remaining 230 would leave"), more than to the number's own? `rivals` are the
    sentence's other figures. (Rivals from the whole window were tried: they cost true pairs
    and caught none.)"""
    said = clause_words(claim_text, q.number.start, q.number.end, after_only=True)
    if len(said) < 2:
        return False
    own = len(said & clause_words(sent.folded, sq.number.start, sq.number.end))
    for _, rq, where in rivals:
        if rq is sq or states_number(q.number, rq.number.value):
            continue
        # (a bare figure counts what the statement's does: "more than the 18 it had forecast")
        nouns = {sq.unit, sq.also} - {None} or {q.unit, q.also} - {None}
        its = {rq.unit, rq.also} - {None}
        if rq.currency != sq.currency or (nouns or its) and not nouns & its:
            continue  # a figure of another kind ("17 minutes later" for a weight)
        if len(said & clause_words(where.folded, rq.number.start, rq.number.end)) >= own + 2:
            return True
    return False


# Where a statement joins two facts that each give someone a deed: "X said ..., while Y asked
# ...", "approved A but refused B".
_JOINED = re.compile(r",?\s+(?:while|whereas|but)\s+|;\s+")


def swapped_parts(claim_text: str, names: list[str], window_folded: list[str]) -> str | None:
    """Two joined parts of a statement whose names the window gives the other way round:
    "Unions said the deal showed its strength, while minister Vandamme asked for
    guarantees" against "Vandamme said the deal showed its strength, but unions asked for
    guarantees". Each part's words are looked for in the window's parts (sentences split the
    same way); the part that holds them best must not name only the other part's people or
    things. Returns the name found in the wrong part, or None."""
    parts = _JOINED.split(claim_text)
    if len(parts) != 2:
        return None
    who = [_who(p, names) for p in parts]
    what = [_words(p) - {c for n in names for w in n.split() if (c := _content(w))} for p in parts]
    if not all(who) or not all(len(w) >= 2 for w in what) or who[0] & who[1]:
        return None
    window_parts = [part for f in window_folded for part in _joined_parts(f)]
    for k in (0, 1):
        scored = [(len(what[k] & words), p) for p, words in window_parts]
        top = max(n for n, _ in scored)
        best = [p for n, p in scored if n == top]
        if top < 2:
            continue
        if all(_holds(p, who[1 - k]) and not _holds(p, who[k]) for p in best):
            return sorted(who[1 - k])[0]
    return None


@lru_cache(maxsize=8192)
def _joined_parts(folded: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """A sentence's parts joined by "while", "but" or ";", with their words, read once."""
    return tuple((p, frozenset(_words(p))) for p in _JOINED.split(folded))


def _who(part: str, names: list[str]) -> set[str]:
    """Whom or what a part of a statement names ("Els Vandamme"; "the Morlo Array",
    "Anglesey"), or, naming none but a people's adjective, its first noun ("unions")."""
    named = {n for n in names if n in part and not is_demonym(n)}
    if named:
        return named
    first = next((c for t in _TOKEN.findall(part) if (c := _content(t))), None)
    return {first} if first else set()


def _holds(text: str, keys: set[str]) -> bool:
    """Does `text` name one of `keys` (a name as written, or a noun's stem)?"""
    stems = {c for t in _TOKEN.findall(text) if (c := _content(t))}
    return any(k in text or k in stems for k in keys)


# A verb that itself denies ("ruled out", "refused to", "rejected"), and a "not" before it.
_DENYING = re.compile(
    r"\b(?:(?:ruled?|rules|ruling)\s+out|(?:refus|declin|fail)(?:e|ed|es|ing|s)?\s+to|"
    r"(?:decided|voted)\s+against|(?:reject|den(?:y|ied|ies|ying))(?:ed|s|ing)?)\b"
)
_NOT_BEFORE = re.compile(r"\b(?:not|never|n't)\s+(?:yet\s+|been\s+|have\s+|has\s+)*$")


def _denials(folded: str) -> tuple[set[str], set[str]]:
    """(denying verbs said plainly, denying verbs under a "not"), by their first four letters."""
    plain: set[str] = set()
    undone: set[str] = set()
    for m in _DENYING.finditer(folded):
        if _NOT_BEFORE.search(folded, max(0, m.start() - 30), m.start()):
            undone.add(m.group()[:4])
        else:
            plain.add(m.group()[:4])
    return plain, undone


def double_denial(claim_text: str, window_folded: list[str]) -> str | None:
    """A denial the window itself denies, said plainly ("had ruled out seeking a judicial
    review" against "had not ruled out seeking" one), or the reverse: two "not"s that do not
    cancel as the word-level polarity reads them. Returns the window's words, or None."""
    said, said_undone = _denials(claim_text)
    if not said and not said_undone:
        return None
    plain, undone = pair_union(_denials(folded) for folded in window_folded)
    for key in sorted(said - plain):
        if key in undone:
            return f"not {key}"
    for key in sorted(said_undone - undone):
        if key in plain:
            return key
    return None


def swapped_figures(
    claim_text: str, quantities: Sequence[Quantity], window: list[_Sentence]
) -> str | None:
    """Two figures of one kind that a window sentence gives the other way round: "76% backed a
    strike, on a turnout of 87%" against "87% ... had backed strike action ..., on a turnout
    of 76%". Each figure's clause words in the statement are held more by the other's clause
    in the sentence. Returns the figure given the other's words, or None."""
    for k, q1 in enumerate(quantities):
        for q2 in quantities[k + 1 :]:
            if q1.currency != q2.currency or q1.number.value == q2.number.value:
                continue
            said1 = clause_words(claim_text, q1.number.start, q1.number.end)
            said2 = clause_words(claim_text, q2.number.start, q2.number.end)
            for s in window:
                at1 = [sq for _, sq in s.quantities if states_number(q1.number, sq.number.value)]
                at2 = [sq for _, sq in s.quantities if states_number(q2.number, sq.number.value)]
                if len(at1) != 1 or len(at2) != 1:
                    continue
                w1 = clause_words(s.folded, at1[0].number.start, at1[0].number.end)
                w2 = clause_words(s.folded, at2[0].number.start, at2[0].number.end)
                if len(said1 & w2) >= len(said1 & w1) + 2 and len(said2 & w1) > len(said2 & w2):
                    return q1.number.text
                if len(said2 & w1) >= len(said2 & w2) + 2 and len(said1 & w2) > len(said1 & w1):
                    return q2.number.text
    return None
