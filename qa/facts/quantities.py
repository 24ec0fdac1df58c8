"""Numbers in statements and sentences, read as quantities: the number, the noun it counts,
its currency ("%" counts as one) and the words beside it, and whether a window states a
statement's quantity ("300 staff" is not stated by "214 staff ... 300 passengers")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa.facts.clauses import figure_elsewhere
from qa.facts.vocab import (
    _CLAUSE,
    _CURRENCIES,
    _DATE_NAME,
    _MONTH_NAME,
    _NUMBER_WORDS,
    _SCALE_WORDS,
    _TOKEN,
    _canon,
    _content,
    _stem,
)
from qa.facts.wordnumbers import ordinals_and_fractions
from qa.text import STOPWORDS, Number, bare, numbers_in, states_number, stem
from qa.units import age_holder, is_age

if TYPE_CHECKING:
    from qa.facts.article import Article, _Sentence
    from qa.facts.claim import Claim

# A noun counts as a number's when it is this many words after it, or before it.
_UNIT_AFTER, _UNIT_BEFORE = 7, 5
# Nouns that name a count: the number a statement gives for one is checked against the
# number the article gives for it.
_COUNT_NOUNS = frozenset(
    stem(w)
    for w in "toll tally total number count figure deaths dead injured missing".split()  # noqa: SIM905
)

# Units of one measure: a number is not stated in another unit of the same measure ("six
# weeks" by "six months", "40 miles" by "40 kilometres"), whichever of them the window uses.
# Each unit's spellings ("tonne tonnes") share its first spelling's stem.
_MEASURES: dict[str, tuple[str, str]] = {
    stem(w): (family, stem(unit.split()[0]))
    for family, units in {
        "time": "second seconds|minute minutes|hour hours|day days|week weeks|month months|"
        "year years|decade decades|century centuries",
        "length": "millimetre millimetres mm|centimetre centimetres cm|metre metres|"
        "kilometre kilometres km|mile miles|inch inches|foot feet|yard yards",
        "weight": "gram grams|kilogram kilograms kg|tonne tonnes|ton tons",
        "area": "hectare hectares|acre acres",
        "volume": "litre litres|gallon gallons|barrel barrels",
        "power": "watt watts|kilowatt kilowatts kw|megawatt megawatts mw|gigawatt gigawatts gw",
        "energy": "kwh|mwh|gwh|twh",
    }.items()
    for unit in units.split("|")
    for w in unit.split()
}

_Span = tuple[int, int, str]  # a token's start, end and text

# A bound before a number: "more than 400" (1) is not "fewer than 400" (-1), and neither is
# stated by an exact 400 (0). "Up to" is no bound here: an allowance's maximum is its figure
# ("allowed to carry up to 4 tonnes more" is "an extra four tonnes").
_ABOVE = re.compile(
    r"\b(?:(?:more|larger|bigger|greater|higher|longer)\s+than|over|above|at\s+least|"
    r"upwards\s+of|in\s+excess\s+of)\s+(?:[$£€]\s*)?$",
    re.IGNORECASE,
)
_BELOW = re.compile(
    r"\b(?:(?:fewer|less|smaller|lower|shorter)\s+than|under|below|nearly|almost)\s+"
    r"(?:[$£€]\s*)?$",
    re.IGNORECASE,
)


def _bound(folded: str, start: int) -> int:
    before = folded[max(0, start - 24) : start]
    return 1 if _ABOVE.search(before) else -1 if _BELOW.search(before) else 0


@dataclass(frozen=True)
class Quantity:
    """A number of a statement or sentence, with what it counts and its currency."""

    number: Number
    unit: str | None  # stem of the first content word after it ("214 staff" -> staff)
    currency: str | None
    # Stems of the content words just before and after it ("rises to 91.1 billion euros,
    # from 89.3 billion": "rises" belongs to 91.1).
    context: tuple[str, ...] = ()
    also: str | None = None  # the word after `unit`, which may be the real noun
    bound: int = 0  # "more than" (1), "fewer than" (-1), neither (0)


def _quantities(folded: str) -> list[tuple[int, Quantity]]:
    """The numbers of a text, each with its token index, the noun right after it, its
    currency ("%" counts as one: 12% is not twelve months) and the content word before it."""
    found = numbers_in(folded) + ordinals_and_fractions(folded)
    if not found:
        return []
    spans = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(folded)]
    out: list[tuple[int, Quantity]] = []
    for num in found:
        if num.text.lower() == "one":
            continue  # "one of them", "a one-off payment": rarely a count
        if re.match(r"[A-Za-z]-?$", folded[max(0, num.start - 2) : num.start][-2:].lstrip(" ")) or (
            re.match(r"[A-Z]", folded[num.end : num.end + 1])
        ):
            continue  # part of a name: "SagarNetra-1", "Highway 97D", "A22"
        idx = next((i for i, (s, e, _) in enumerate(spans) if s <= num.start < e), -1)
        before = folded[max(0, num.start - 3) : num.start]
        currency = next(
            (c for sym, c in _CURRENCIES.items() if len(sym) == 1 and sym in before), None
        )
        scaled = any(w.lower() in _SCALE_WORDS for w in num.text.split()[1:])
        unit, also, currency = _unit(_run_after(folded, spans, idx, num), currency, scaled)
        context = _context(folded, spans, idx, num, found) if idx > 0 else ()
        out.append((idx, Quantity(num, unit, currency, context, also, _bound(folded, num.start))))
    return out


def _run_after(folded: str, spans: list[_Span], idx: int, num: Number) -> list[str]:
    """The words that run on from the number, up to punctuation: "214 deck", "60-tonne",
    "4.5 million US dollars", "85 million Danish crowns", "6.5% rise"."""
    run: list[str] = []
    pos = num.end
    for s, e, tok in spans[idx + 1 : idx + 6] if idx >= 0 else ():
        if s < num.end:
            continue
        if folded[pos:s].strip(" -"):
            break
        run.append(tok)
        pos = e
    return run


def _unit(
    run: list[str], currency: str | None, scaled: bool = False
) -> tuple[str | None, str | None, str | None]:
    """(unit, also, currency) from the words after a number: the noun it counts, the word
    after that noun (which may be the real noun), and its currency or "%". A capitalised
    word counts as the noun only after a bare count ("380 Corvane trucks"), not after an
    amount ("3.8 billion Marta Kessler had proposed": `scaled`)."""
    for k, tok in enumerate(run):
        low = bare(tok) or tok
        if low == "per" and bare(run[k + 1] if k + 1 < len(run) else "") != "cent":
            break  # "41 francs per share": a rate's denominator, not what is counted
        if low in ("%", "percent", "per", "cent"):
            currency = "%"
            continue
        if low in _CURRENCIES:
            currency = currency or _CURRENCIES[low]
            continue
        if low in _SCALE_WORDS or (
            k < 2 and tok[:1].isupper() and any(bare(w) in _CURRENCIES for w in run[k + 1 : k + 2])
        ):
            continue  # "million", or "Danish" before "crowns"
        if low in _PREPOSITIONS:
            break  # "89% across Leeds": no noun counted
        bare_count = currency is None and not scaled and not any(w in _SCALE_WORDS for w in run[:k])
        if (tok[:1].islower() or bare_count) and low not in STOPWORDS and low not in _NUMBER_WORDS:
            unit = _stem(low)  # "214 staff", "380 Corvane trucks"
            nxt = bare(run[k + 1]) if k + 1 < len(run) else ""
            if nxt[:1].isalpha() and nxt not in STOPWORDS and tok[:1].islower():
                return unit, _stem(nxt), currency  # "31,000 old batteries"
            return unit, None, currency
        break  # only the word right after the number (and its scale) is its noun
    return None, None, currency


# Prepositions the stop-word list leaves out, which a number's noun never is.
_PREPOSITIONS = frozenset(
    "across among towards toward within without around along behind beyond despite "  # noqa: SIM905
    "throughout onto upon via amid near past since".split()
)


def _context(
    folded: str, spans: list[_Span], idx: int, num: Number, found: list[Number]
) -> tuple[str, ...]:
    """The content word before a number in its clause ("rises to 91.1", not
    "clear-cutting, down from 6,240"), and the count's own noun earlier in the clause
    ("the death toll ... is 58")."""
    clause_start = max((m.end() for m in _CLAUSE.finditer(folded, 0, num.start)), default=0)
    prev = (
        c
        for s, _, tok in reversed(spans[max(0, idx - 3) : idx])
        if s >= clause_start and (c := _content(tok))
    )
    context = tuple(c for c in (next(prev, None),) if c)
    counts: list[str] = []
    for s, _, tok in spans[max(0, idx - 10) : idx]:
        if s < clause_start:
            continue
        if any(n.start <= s < n.end for n in found):
            counts = []  # "the toll rose to nine after searchers found five": nine's
        elif (c := _content(tok)) in _COUNT_NOUNS:
            counts.append(c)
    return context + tuple(c for c in counts[-1:] if c not in context)


def _publication_year(q: Quantity, claim: Claim, article: Article) -> bool:
    """A year a statement adds to a date the article gives without one ("sworn in on
    December 16, 2025" from "on December 16" in an article published in 2025)."""
    year = q.number.value
    return (
        article.year is not None
        and year == article.year
        and re.search(r"[A-Z][a-z]+\.? \d{1,2},? " + str(int(year)) + r"\b", claim.text) is not None
    )


_TIMES = stem("times")


def _quantity_stated(q: Quantity, window: list[_Sentence], claim_text: str = "") -> bool:
    """Is the number in the window, in its currency, by the noun it counts (if used there),
    not another's age, nor a figure tied to another ("sought 3.2%": it sought 6.5%)?"""
    tokens: list[str] = []
    found: list[tuple[int, Quantity, _Sentence]] = []
    spans: dict[int, tuple[int, int]] = {}  # each sentence's tokens, as a range
    for s in window:
        found += [(len(tokens) + idx if idx >= 0 else -1, sq, s) for idx, sq in s.quantities]
        spans[id(s)] = (len(tokens), len(tokens) + len(s.tokens))
        tokens += s.tokens
    units = [u for u in (q.unit, q.also) if u is not None]
    unit_used = [u for u in units if any(u in s.stems for s in window)]
    # Not a rival: a number the statement gives too ("from 7 per cent to 6.5 per cent" shares
    # "target" between them, whichever order the window writes them in).
    given = {n.value for n in numbers_in(claim_text)}
    for pos, sq, sent in found:
        share = _share_as_percent(q, sq)
        if not share and not states_number(q.number, sq.number.value) and not _in_years(q, sq):
            continue
        if q.currency and sq.currency and q.currency != sq.currency:
            continue  # 85 million euros is not 85 million crowns
        if (q.currency == "%") != (sq.currency == "%") and not share:
            continue  # 12% is not twelve months
        if (q.unit == _TIMES) != (sq.unit == _TIMES):
            continue  # "14 times its earnings" is a ratio, not 14 people
        day = sq.number.value <= 31 and _day_of_month(tokens, pos)  # ("March 2026": a year)
        if day and not _in_date(claim_text, q.number):
            continue  # "Nov 4" in a dateline counts no months or weeks
        if claim_text and _meridiem(claim_text, q.number) != _meridiem(sent.folded, sq.number):
            continue  # 6 a.m. is not 6 p.m.
        per = _rate(claim_text, q.number), _rate(sent.folded, sq.number)
        if all(per) and per[0] != per[1]:
            continue  # €250 a week is not €250 a month
        if q.bound and sq.bound != q.bound:
            continue  # "fewer than 4,870" is not stated by "4,870" or "more than 4,870"
        if q.unit is None and sq.unit in _MEASURES and _PART_OF.match(claim_text[q.number.end :]):
            continue  # "300 of its 1,400 lorries" counts lorries, not "300 kilometres"
        if (_other_unit(q.unit, sq.unit) and not _in_years(q, sq)) or _other_unit(q.also, sq.also):
            continue  # "six weeks" is not "six months", nor square miles square kilometres
        ages = is_age(claim_text, q.number) and is_age(sent.folded, sq.number)
        if ages and _someone_elses(claim_text, q.number, sent.folded, sq.number):
            continue
        # (A bare figure after "the" counts what its sentence counts: "most of the patients
        # ..., and 29 of the 37 had not been vaccinated".)
        bare_here = (
            sq.unit is None
            and sq.currency is None
            and re.search(r"\bthe\s+$", sent.folded[: sq.number.start]) is not None
            and any(u in sent.stems for u in units)
        )
        near = any(_near(tokens, pos, u) for u in unit_used)
        if unit_used and not ages and not near and not bare_here:
            continue
        rivals = [f for f in found if f[2] is sent and f[1].number.value not in given]
        if _competes(q, pos, rivals, tokens, spans[id(sent)]):
            continue
        if claim_text and figure_elsewhere(claim_text, q, sent, sq, rivals):
            continue
        return True
    return False


# A count of some of a group: "300 of Corvane's lorries", "49 of them".
_PART_OF = re.compile(r"\s+of\s+(?:the|its|their|his|her|them|those|[A-Z][\w-]*'s)\b")
# Years in a decade or a century: "twenty years" is "two decades".
_YEARS_IN = {"decad": 10, "centur": 100}


def _share_as_percent(q: Quantity, sq: Quantity) -> bool:
    """Is one a percentage and the other the same share as a fraction in words ("about 20
    per cent" / "about a fifth", "75%" / "three-quarters")?"""
    for pct, frac in ((q, sq), (sq, q)):
        words = frac.number.text[:1].isalpha()
        if pct.currency == "%" and frac.currency is None and 0 < frac.number.value < 1 and words:
            return abs(pct.number.value - 100 * frac.number.value) <= 0.5  # (a third: 33%)
    return False


def _in_years(q: Quantity, sq: Quantity) -> bool:
    """Are the two the same span of years in other units ("twenty years", "two decades")?"""
    if q.unit == "year" and sq.unit in _YEARS_IN:
        return q.number.value == sq.number.value * _YEARS_IN[sq.unit]
    if sq.unit == "year" and q.unit in _YEARS_IN:
        return sq.number.value == q.number.value * _YEARS_IN[q.unit]
    return False


def _other_unit(a: str | None, b: str | None) -> bool:
    """Are `a` and `b` two different units of one measure?"""
    ma, mb = _MEASURES.get(a or ""), _MEASURES.get(b or "")
    return ma is not None and mb is not None and ma[0] == mb[0] and ma[1] != mb[1]


def _someone_elses(claim_text: str, n: Number, sentence: str, sn: Number) -> bool:
    """Is the sentence's age (`sn`) another person's than the one the statement gives it to
    ("the 23-year-old Korsholm" gives Breznik no age)?"""
    held = age_holder(sentence, sn)
    return bool(held and age_holder(claim_text, n) and held not in claim_text)


def _competes(
    q: Quantity,
    pos: int,
    found: list[tuple[int, Quantity, _Sentence]],
    tokens: list[str],
    span: tuple[int, int],
) -> bool:
    """Is a word the statement puts next to its number nearer another number of the same
    kind (same currency or same noun) in the number's sentence? (A neighbour's "shares rose
    4.2%" does not take "rose" from "the share of seats filled rose to 61%".)"""
    if pos < 0:
        return False
    stems_at = [_content(t) for t in tokens]
    for c in q.context:
        places = [k for k, s in enumerate(stems_at) if s == c and span[0] <= k < span[1]]
        if not places:
            continue
        mine = min(abs(k - pos) for k in places)
        for other, sq, _ in found:
            if other < 0 or other == pos or states_number(q.number, sq.number.value):
                continue
            if _date_part(tokens, other):
                continue  # "May 14", "in 2025": a date, not a rival count
            same_kind = (
                (q.currency is not None and sq.currency == q.currency)
                or (q.unit is not None and sq.unit == q.unit)
                # "the death toll to five" against "58" for a toll: two plain counts.
                or (c in _COUNT_NOUNS and not (q.currency or sq.currency or q.unit or sq.unit))
            )
            if same_kind and min(abs(k - other) for k in places) < mine:
                return True
    return False


_MONTH = re.compile(_MONTH_NAME)
_MONTH_END = re.compile(r"\b(?:" + _DATE_NAME.pattern + r")\s*$")
_MONTH_START = re.compile(r"^(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + _DATE_NAME.pattern + r")")


def _in_date(text: str, n: Number) -> bool:
    """Is the number a day in a date of `text` ("Nov 4", "4 November", "the 4th of May")?
    True when there is no text to tell (the caller's statement was not given)."""
    if not text:
        return True
    return bool(_MONTH_END.search(text[: n.start]) or _MONTH_START.match(text[n.end :]))


_CLOCK = re.compile(r"(?::\d\d)?\s*([ap])\.?\s?m\b\.?", re.IGNORECASE)


def _meridiem(text: str, n: Number) -> str | None:
    """ "a" or "p" for a clock time ("6 a.m.", "11:08 pm"), else None."""
    m = _CLOCK.match(text, n.end)
    return m.group(1).lower() if m else None


# A rate after a figure: "€250 a week", "13.10 euros an hour", "$40 per night".
_RATE = re.compile(
    r"(?:\s+(?:[a-z]*(?:euro|pound|dollar|crown|franc|yen|rand)s?|million|billion|bn|m))*"
    # (past what the figure counts: "£5,000 per megawatt of installed capacity per year")
    r"(?:\s+[a-z][\w'-]*){0,6}?"
    r"\s+(?:a|an|per|each)\s+(hour|day|week|month|year|shift|night|person|head)\b",
    re.IGNORECASE,
)


def _rate(text: str, n: Number) -> str | None:
    m = _RATE.match(text, n.end)
    return m.group(1).lower() if m else None


def _day_of_month(tokens: list[str], idx: int) -> bool:
    """Is the number at `idx` a day after a month's name ("Nov 4", "May 2"; not "on
    Sunday, 17 people ...")?"""
    prev = tokens[idx - 1].rstrip(".") if idx > 0 else ""
    return bool(_MONTH.fullmatch(prev))


def _date_part(tokens: list[str], idx: int) -> bool:
    """Is the number at `idx` a day of a month or a year?"""
    prev = tokens[idx - 1].strip(".,") if idx > 0 else ""
    return bool(_DATE_NAME.fullmatch(prev)) or bool(re.fullmatch(r"(?:19|20)\d\d", tokens[idx]))


def _near(tokens: list[str], idx: int, unit: str | None) -> bool:
    if idx < 0 or unit is None:
        return True
    around = tokens[max(0, idx - _UNIT_BEFORE) : idx + _UNIT_AFTER + 1]
    return any(_canon(_stem(bare(t))) == _canon(unit) for t in around)


def _kind(q: Quantity) -> tuple[str | None, str | None] | None:
    """What a figure is a figure of, to tell rival figures apart: a year, or its unit and
    currency (None for a bare number, which may count anything)."""
    if re.fullmatch(r"(?:19|20)\d\d", q.number.text) and q.currency is None:
        return ("<a year>", None)
    if q.unit is None and q.currency is None:
        return None
    return (q.unit, q.currency)


def rival_in_anchor(
    q: Quantity, claim_quantities: list[Quantity], anchor: _Sentence
) -> Quantity | None:
    """The quoted sentence's own figure of the kind of `q`, for a `q` stated only by a
    neighbour (the caller knows), when the statement does not give that figure: "the
    consultation will last 16 weeks" quoting "consultation for 12 weeks", the 16 weeks being
    a deadline in the sentence before; "bought its stake in 2011" quoting "bought a 62% stake
    in 2022" after "founded in 2011". The neighbour's figure is of something else."""
    key = _kind(q)
    if key is None:
        return None
    for _, sq in anchor.quantities:
        if _kind(sq) != key or states_number(q.number, sq.number.value):
            continue
        if not any(states_number(cq.number, sq.number.value) for cq in claim_quantities):
            return sq
    return None
