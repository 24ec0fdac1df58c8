"""The window check: does one sentence of an article, with its immediate neighbours, state a
statement's names, numbers and enough of its content words, without contradicting it? `check`
finds an article's best window among a lexical shortlist."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from qa.facts.article import Article, _Sentence
from qa.facts.claim import Claim
from qa.facts.clauses import double_denial, surer_than_source, swapped_figures, swapped_parts
from qa.facts.deals import converse_deal, swapped_deal
from qa.facts.deeds import denied_deed, done_not_foreseen, foreseen_deed
from qa.facts.links import (
    misquoted,
    other_change,
    other_tally,
    part_for_whole,
    split_date,
    swapped_reference,
    tally_stated,
    turned_comparison,
    turned_move,
    unstated_agent,
    unstated_cause,
)
from qa.facts.naming import _name_here
from qa.facts.quantities import Quantity, _publication_year, _quantity_stated, rival_in_anchor
from qa.facts.roles import (
    _apart,
    _name_competes,
    _subject_competes,
    other_owner,
    role_holder,
    unstated_title,
)
from qa.facts.vocab import (
    _DATE_NAME,
    _OPPOSITE,
    _canon,
    _stated,
    _stem,
    _term_in,
)
from qa.facts.wordnumbers import quarter_named, states_quarter
from qa.lexicon import COUNTRIES

# Share of a statement's weighted content words its window must state (tuned on the
# labelled pairs' tuning half, evals/data/judge_pairs.jsonl; never on the holdout).
MIN_COVERAGE = 0.65
# Sentences on each side of the quoted one that may state part of the content.
NEIGHBOURS = 1
# A statement's window must hold at least this share of its content words in the quoted
# sentence itself: neighbours complete a statement (who "he" is), they do not make it.
MIN_ANCHOR = 0.4
# A statement that restates the question (`_restates`) needs half of the question's words it
# restates in the window, one of them in the quoted sentence, instead of the two above: the
# article words the question in its own way ("located in Manaus" for "at ... in Manaus").
MIN_RESTATED = 0.5
# Windows examined per article: those sharing the most words, names and numbers with the
# statement (the rest cannot state it; reading them all cost 30+ ms on a long feature).
SHORTLIST = 12


@dataclass
class Verdict:
    """The check of one statement against one article: the window that states the most of
    it, whether that is all of it, and what it lacks."""

    supported: bool
    quote: str | None = None  # the window's middle sentence, verbatim from the article
    start: int = -1
    index: int = -1  # that sentence's index in the article
    coverage: float = 0.0
    stated: frozenset[str] = frozenset()  # the names, numbers and terms the window states
    missing: tuple[str, ...] = ()  # what it lacks ("number 241", "name Gilchrist", "not")
    clash: str | None = None  # a contradiction: a negation or an opposite word


def check(claim: Claim, article: Article, rank: Mapping[int, float] | None = None) -> Verdict:
    """The best window of `article` for `claim`: supported when it states every name and
    number, contradicts nothing, and covers `MIN_COVERAGE` of the content words.

    `rank` (sentence index -> similarity) orders windows that are equally good; it never
    turns a failing window into a passing one.
    """
    if not article.sentences:
        return Verdict(False, missing=("text",))
    # (a month the question gives may be the month the article was published)
    unstated = [
        n
        for n in claim.given_names
        if not _stated(n, article.folded) and not article.gives_month(n)
    ]
    if unstated:
        return Verdict(False, missing=tuple(f"name {n}" for n in unstated))
    if not claim.negative and (deed := denied_deed(claim.text, article)) is not None:
        return Verdict(False, clash=f"the article only denies '{deed}'")
    title = unstated_title(claim, article.sentences)
    if title is not None:
        return Verdict(False, missing=(f"title {title}",))
    if claim.leads and _subject_competes(claim, claim.names[0], article.sentences):
        # The article says someone else did it ("Brenner said he had broken off the
        # negotiations"): no window that leaves the deed out can give it to this subject.
        return Verdict(False, missing=(f"name {claim.names[0]}",))
    best: tuple[tuple[float, ...], Verdict] | None = None
    for v in _windows(claim, article):
        key = (float(v.supported), -float(len(v.missing)), v.coverage, (rank or {}).get(v.index, 0))
        if best is None or key > best[0]:
            best = (key, v)
    assert best is not None
    return best[1]


def _windows(claim: Claim, article: Article) -> list[Verdict]:
    """The verdicts of the article's windows that share most with the statement (a
    lexical shortlist; every shortlisted window gets the full check)."""
    keys = set(claim.terms) | {
        _canon(_stem(w.lower())) for n in claim.names for w in n.split() if len(w) > 2
    }
    values = {q.number.value for q in claim.quantities}
    sents = article.sentences
    overlap = [
        len(keys & s.stems) + sum(1 for _, q in s.quantities if q.number.value in values)
        for s in sents
    ]
    score = [
        sum(overlap[max(0, i - NEIGHBOURS) : i + NEIGHBOURS + 1]) + overlap[i]
        for i in range(len(sents))
    ]
    order = sorted((i for i in range(len(sents)) if overlap[i]), key=lambda i: -score[i])
    return [_window(claim, article, i) for i in order[:SHORTLIST]] or [_window(claim, article, 0)]


def _covered(claim: Claim, found: set[str]) -> tuple[float, bool]:
    """(coverage, enough): the weighted share of the content words stated, and whether the
    rest is within the slack. A word or so may be paraphrased beyond the synonyms ("scored"
    for "strike"): at most (1 - MIN_COVERAGE) of the weight, and never less than one word
    when there are two or more."""
    total = sum(claim.terms.values())
    got = sum(w for t, w in claim.terms.items() if t in found)
    # (one word: a word of the question's weighs half, so two of those are not "one word")
    word = max(claim.terms.values(), default=0.0)
    slack = max(word if total >= 2 else 0.0, (1 - MIN_COVERAGE) * total)
    return (got / total if total else 1.0), total - got <= slack + 1e-9


def _numbers(
    claim: Claim,
    article: Article,
    window: list[_Sentence],
    anchor: _Sentence,
    quarters: list[bool],
    stated: set[str],
    missing: list[str],
) -> list[bool]:
    """Each of the statement's numbers, stated or missing (added to `stated` / `missing`;
    `quarters`: which a window gives as a quarter's months). Returns whether the quoted
    sentence alone states each: read once, as the rival check and the anchor share both ask."""
    in_anchor = [_quantity_stated(q, [anchor], claim.text) for q in claim.quantities]
    for q, own_figure, quarter in zip(claim.quantities, in_anchor, quarters, strict=True):
        if (
            quarter
            or _quantity_stated(q, window, claim.text)
            or _publication_year(q, claim, article)
            or _given_year(q, claim, article)
            or _known_count(q, claim, article)
            or tally_stated(claim.text, q.number.start, window)
        ):
            rival = None if own_figure else rival_in_anchor(q, claim.quantities, anchor)
            if rival is not None:
                missing.append(f"number {q.number.text} (quoted: {rival.number.text})")
            else:
                stated.add(f"number:{q.number.text}")
        else:
            missing.append(f"number {q.number.text}")
    return in_anchor


def _window(claim: Claim, article: Article, i: int) -> Verdict:
    """The check of `claim` against sentence `i` of `article` and its neighbours."""
    sents = article.sentences
    window = article.around(i, NEIGHBOURS)
    anchor = sents[i]
    have = frozenset().union(*(s.stems for s in window))
    stated: set[str] = set()
    missing: list[str] = []
    tokens = [t for s in window for t in s.tokens]
    for n in claim.names:
        if (
            _name_here(claim, n, article, window, i)
            and not _name_competes(claim, n, window, tokens)
            and not _subject_competes(claim, n, window, anchor)
        ):
            stated.add(f"name:{n}")
        else:
            missing.append(f"name {n}")
    for g in claim.given_names:
        if g in claim.verbs and _subject_competes(claim, g, window, anchor, by_figure=True):
            missing.append(f"subject {g}")  # the window's figure is another's
    quarters = [_quarter_in(q, claim.text, window) for q in claim.quantities]
    in_anchor = _numbers(claim, article, window, anchor, quarters, stated, missing)
    total = sum(claim.terms.values())
    found = {t for t in claim.terms if _term_in(t, have)}
    if any(quarters):
        found |= {t for t in claim.terms if t == _QUARTER}  # said as its months
    own = sum(w for t, w in claim.terms.items() if t in found and _term_in(t, anchor.stems))
    stated.update(f"term:{t}" for t in found)
    coverage, enough = _covered(claim, found)
    if (agent := unstated_agent(claim.text, have)) is not None:
        missing.append(f"agent {agent}")
    # A season is a date: stated, or the statement has another time of year.
    missing += [f"date {t}" for t in claim.terms if t in _SEASONS and not _term_in(t, have)]
    clash = _clash(claim, window, have)
    restates = _restates(claim, window) and _adds_here(claim, anchor, in_anchor)
    if not enough and not (restates and coverage >= MIN_RESTATED):
        missing.append(f"content {coverage:.2f}")
    elif (
        total
        and not (restates and own > 0)
        and _anchored(claim, in_anchor, own, total) < MIN_ANCHOR
    ):
        missing.append("content in the quoted sentence")
    supported = not missing and clash is None
    return Verdict(
        supported,
        anchor.text,
        anchor.start,
        i,
        round(coverage, 4),
        frozenset(stated),
        tuple(missing),
        clash,
    )


def _restates(claim: Claim, window: list[_Sentence]) -> bool:
    """Does the statement only restate the question and add names or figures ("Instituto
    Floresta Viva is located in Manaus" for "In which city is Instituto Floresta Viva
    located?")? Then the question's words need not be the window's: the quoted sentence must
    state what it adds (`_adds_here`), beside the names the question gives."""
    return (
        bool(claim.terms)
        and all(w < 1 for w in claim.terms.values())
        and bool(claim.names or claim.quantities)
        and bool(claim.given_names)
        and all(
            any(_stated(g, s.folded) for s in window) or window[0].article.published_in(g)
            for g in claim.given_names
        )
    )


def _adds_here(claim: Claim, anchor: _Sentence, in_anchor: list[bool]) -> bool:
    """Does the quoted sentence itself state what a restatement adds, its names and figures?
    ("Tom Okafor, from the Championship club" is not added by a sentence on Ndiaye's goals.)"""
    # (a year the question gives is no figure the statement adds: "launched in early 2025")
    figures = all(
        here or q.number.value in claim.given_years
        for q, here in zip(claim.quantities, in_anchor, strict=True)
    )
    return figures and all(_stated(n, anchor.folded) or n in COUNTRIES for n in claim.names)


def _anchored(claim: Claim, in_anchor: list[bool], own: float, total: float) -> float:
    """The share of the statement's content the quoted sentence itself states: its words,
    and its numbers, each weighing as one word ("the hackers demanded $4.5 million from
    the Limfjord Hospital Network in northern Denmark" is anchored by the sentence with the
    sum, whichever sentence says "northern Denmark"). Names do not anchor: the people of
    the sentence next door are named in this one too, often enough. (`in_anchor`: whether
    the quoted sentence states each of the statement's numbers.)"""
    asserted = [
        here
        for q, here in zip(claim.quantities, in_anchor, strict=True)
        if q.number.value not in claim.given_years
    ]
    return (own + sum(asserted)) / (total + len(asserted))


def _given_year(q: Quantity, claim: Claim, article: Article) -> bool:
    """A year the question gives, restated as the time frame ("the Golden Lion in 2025"):
    the article's year or one it mentions. A date with a month ("the February 2025
    earthquake") names the event: the window must state it, unless the article was
    published in that month (a report of February's quake from May is about another)."""
    year = q.number.value
    if year not in claim.given_years:
        return False
    month = _MONTH_BEFORE.search(claim.text[: q.number.start])
    if month:
        return year == article.year and article.published_in(month.group())
    return year == article.year or any(
        sq.number.value == year for s in article.sentences for _, sq in s.quantities
    )


_QUARTER = _stem("quarter")


def _quarter_in(q: Quantity, claim_text: str, window: list[_Sentence]) -> bool:
    """ "The third quarter" stated as "July to September" or "the three months to September"."""
    k = quarter_named(claim_text, q.number)
    return k is not None and any(states_quarter(k, s.folded) for s in window)


def _known_count(q: Quantity, claim: Claim, article: Article) -> bool:
    """A count the statement refers back to ("closing the two schools", "the three men"):
    a thing the article counted before, which it need not count again beside the fact."""
    if not re.search(r"\b(?:the|its|their|both)\s+$", claim.text[: q.number.start]):
        return False
    return q.number.value <= 20 and _quantity_stated(q, article.sentences, claim.text)


def _clash(claim: Claim, window: list[_Sentence], have: frozenset[str]) -> str | None:
    """A contradiction between statement and window: an unstated negation, a word the
    window only negates, or an opposite word."""
    if claim.negative and not any(
        s.negative and (not claim.negated or claim.negated & s.negated) for s in window
    ):
        return "the article does not say 'not'"
    for h in claim.denied:  # each thing the statement denies, the window denies too
        if not any(_term_in(h, s.negated) for s in window):
            return f"the article does not say 'not {h}'"
    if not claim.negative:
        negated = frozenset().union(*(s.negated for s in window))
        asserted = frozenset().union(*(s.asserted for s in window))
        # (its reporting verbs too, which are no content words: "has confirmed that" against
        # "has not yet confirmed the figure")
        for t in [*claim.terms, *_reported(claim.text)]:
            # (a word the statement itself only asks about, "whether ...", is no assertion)
            if t in negated and t not in asserted and t not in claim.negated:
                return f"the article says 'not {t}'"
    owner = other_owner(claim, window)
    if owner is not None:
        return f"the article gives it to {owner}"
    holder = role_holder(claim, window)
    if holder is not None:
        return f"the article gives the role to {holder}"
    apart = _apart(claim, window)
    if apart is not None:
        return f"the article does not put {apart[0]} with {apart[1]}"
    for link, say in _LINK_CLASHES:
        if (found := link(claim.text, window)) is not None:
            if link is unstated_cause and all(claim.terms.get(c, 1) < 1 for c in found.split()):
                continue  # the question's own cause ("postponed because of the cyberattack?")
            return say.format(found)
    if swapped := swapped_parts(claim.text, list(claim.names), [s.folded for s in window]):
        return f"the article gives it to {swapped}"
    if (figure := swapped_figures(claim.text, claim.quantities, window)) is not None:
        return f"the article gives {figure} to something else"
    if (denial := double_denial(claim.text, [s.folded for s in window])) is not None:
        return f"the article says '{denial}'"
    if (unsure := surer_than_source(claim.text, [s.folded for s in window])) is not None:
        return f"the article is less sure: '{unsure}'"
    if (dealt := swapped_deal(claim.text, claim.names, window)) is not None:
        return f"the article does not make {dealt} that side of the deal"
    if (moved := turned_move(claim.text, claim.names, window)) is not None:
        return f"the article says '{moved}'"
    if window and (quoted := misquoted(claim.text, claim.names, window[0].article)):
        return f"the article gives the quotation to {quoted}"
    for t in claim.terms:
        if t in have:
            continue
        opposite = _OPPOSITE.get(t, set()) & have
        if opposite and not (opposite & claim.terms.keys()) and not converse_deal(claim, window):
            return f"the article says '{sorted(opposite)[0]}', not '{t}'"
    return None


# Verbs that report what is sure, whose denial in the article a statement cannot drop.
_SURE_REPORTS = frozenset(("confirmed", "confirms", "announced", "announces"))


def _reported(text: str) -> list[str]:
    return [_stem(w.lower()) for w in re.findall(r"[a-z]+", text) if w.lower() in _SURE_REPORTS]


# How a statement links its facts (qa/facts/links.py), in the order they are checked, each
# with what the clash says.
_LINK_CLASHES = (
    (unstated_cause, "the article gives no reason '{}'"),
    (swapped_reference, "the article compares against another figure than {:,.10g}"),
    (foreseen_deed, "the article only foresees '{}'"),
    (done_not_foreseen, "the article only foresees '{}'"),
    (turned_comparison, "the article says '{}'"),
    (split_date, "the article says '{}'"),
    (part_for_whole, "the article says '{}'"),
    (other_tally, "the article gives the tally as {}"),
    (other_change, "the article gives that change as {}"),
)

_SEASONS = frozenset(_stem(w) for w in ("spring", "summer", "autumn", "winter"))

# A month (and day) right before a year: "February 2025", "Nov. 4, 2025".
_MONTH_BEFORE = re.compile(r"\b(?:" + _DATE_NAME.pattern + r")\s+(?:\d{1,2},?\s+)?$")
