"""Numbers as answers: does a number in a sentence count what the question asks about
("4,870 square kilometres" does not answer "how many satellites"), and how a short answer
reads with its currency, per cent or unit ("€14m", "3.25%", "41 people").
"""

from __future__ import annotations

import re

from qa.asked import MODIFIERS, asked_unit, is_verb
from qa.lexicon import Span, is_demonym
from qa.text import STOPWORDS, Number, numbers_in, word_list

_PEOPLE = frozenset(
    word_list(
        """people persons residents victims dead deaths killed injured wounded evacuees
        children adults patients workers fans spectators passengers casualties migrants
        refugees staff employees jobs members voters survivors students pupils households
        families homes cases infections positions posts roles"""
    )
)
_MONEY_AFTER = re.compile(
    r"^\s*(?:(?:US|Canadian|Australian|Singapore|Hong Kong|New Zealand|Danish|Norwegian|"
    r"Swedish|Swiss|Brazilian|Kenyan)\s+)?(?:euros?|dollars?|pounds?|francs?|yen|kroner|"
    r"krone|kronor|crowns?|reais|rupees?|naira|shillings?|pesos?|rand|lira|zloty|million|"
    r"billion|trillion|bn|mn)\b",
    re.IGNORECASE,
)
_MONEY_BEFORE = re.compile(r"(?:[€$£¥₹]|\b(?:EUR|USD|GBP|NOK|DKK|SEK|CHF|CAD|KSh|Rs|R\$))\s*$")
_PERCENT_AFTER = re.compile(r"^\s*(?:%|per ?cent\b|percent\b|pc\b|percentage points?\b)", re.I)
# An age after its number: "29-year-old", "29 years old" (AGE_AFTER); as an answer, also
# news style's "Kruger, 29, said" (_AGE).
_AGE_WORDS = r"-year-old|\s*years? old\b"
AGE_AFTER = re.compile(rf"^(?:{_AGE_WORDS})")
_AGE = re.compile(rf"^(?:{_AGE_WORDS}|,)")
_DURATION_AFTER = re.compile(
    r"^[\s-]*(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?)\b", re.I
)
_LENGTH_UNITS = (
    r"(?:kilometres?|kilometers?|km|metres?|meters?|m|miles?|feet|ft|centimetres?|"
    r"centimeters?|cm|millimetres?|millimeters?|mm|inch|inches)(?!\w)"
)
_DISTANCE_AFTER = re.compile(r"^[\s-]*" + _LENGTH_UNITS, re.IGNORECASE)
_SPEED_AFTER = re.compile(
    r"^[\s-]*(?:mph|km/h|kph|knots|(?:miles|kilometres|kilometers)\s+(?:an|per)\s+hour)\b", re.I
)

# An area or volume is two words: "5,310 square kilometres", not "5,310 square".
_AREA_AFTER = re.compile(r"^\s*(?:square|sq|cubic)\s+" + _LENGTH_UNITS, re.IGNORECASE)


SCORE = re.compile(r"(?<![\w-])\d{1,2}[-–]\d{1,2}(?![\w-])")


def fits_unit(question: str, sentence: str, span: Span) -> bool:
    """Does the number `span` count what the question asks about? A bare number fits any
    question; "4,870 square kilometres" does not answer "how many satellites"."""
    unit = asked_unit(question)
    if unit is None:
        return True
    before, after = sentence[: span.start], sentence[span.end :]
    if unit == "percent":
        return bool(_PERCENT_AFTER.match(after))
    if unit == "tally":
        return bool(SCORE.fullmatch(span.text) or tally_rest(after))
    if SCORE.fullmatch(span.text):
        return False  # a result ("2-1") answers only a question about a result
    money = bool(_MONEY_BEFORE.search(before) or _MONEY_AFTER.match(after))
    if unit == "money":
        return money
    if unit == "age":
        return bool(_AGE.match(after) or re.search(r"\baged\s*$", before))
    if unit == "duration":
        return bool(_DURATION_AFTER.match(after) or _DISTANCE_AFTER.match(after))
    if unit in ("distance", "rainfall"):
        return bool(_DISTANCE_AFTER.match(after))
    if unit == "speed":
        return bool(_SPEED_AFTER.match(after))
    noun = noun_after(after)
    if noun is None:
        return not money  # "€1.05bn for Môr Gwynt" counts no people
    parts = re.split(r"[\s-]+", unit)  # "truck drivers" counts drivers of trucks
    return any(noun[:5] == p[:5] for p in parts) or (noun in _PEOPLE and parts[-1] in _PEOPLE)


# A clock time around a number: "11:08 p.m.", "at 6 a.m.".
_CLOCK_AFTER = re.compile(r"^(?::\d\d)?\s*(?:[ap]\.\s?m\b|[ap]m\b)|^:\d\d", re.IGNORECASE)


def could_count(sentence: str, span: Span) -> bool:
    """Could the number `span` count things ("312 injured", "1,020")? Not when it is a sum
    of money, a share, a result, a clock time, a year or a measure with its unit: "11:08
    p.m." does not answer "how many people were injured"."""
    before, after = sentence[: span.start], sentence[span.end :]
    if SCORE.fullmatch(span.text) or re.search(r"\d:\s*$", before) or _CLOCK_AFTER.match(after):
        return False
    if _MONEY_BEFORE.search(before) or _MONEY_AFTER.match(after) or _PERCENT_AFTER.match(after):
        return False
    measured = (_DURATION_AFTER, _DISTANCE_AFTER, _SPEED_AFTER, _AREA_AFTER)
    if any(m.match(after) for m in measured) or AGE_AFTER.match(after):
        return False
    return not (re.fullmatch(r"(?:19|20)\d\d", span.text) and not re.match(r"\s+[a-z]", after))


_VOTES_TO = re.compile(r"^\s*(?:votes?\s+)?(?:to|against|-)\s*", re.IGNORECASE)


def tally_rest(after: str) -> int:
    """How much of `after` (the text right after a number) is the rest of a tally: "338 votes
    to 281", "five to two", "7-2"; 0 when none."""
    m = _VOTES_TO.match(after)
    if m is None:
        return 0
    second = numbers_in(after[m.end() :])
    return m.end() + second[0].end if second and second[0].start == 0 else 0


def noun_after(after: str) -> str | None:
    """The word right after a number, past modifiers ("41 more people" -> people, "72-hour"
    -> hour); None when a function word or punctuation follows (the number stands alone)."""
    m = re.match(r"-([A-Za-z]+)", after)
    if m:
        return m.group(1).lower()
    after = re.sub(r"^\s*of\s+(?!the\b)", " ", after)  # "hundreds of travellers"
    for w in re.findall(r"^\s*((?:[A-Za-z-]+\s+){0,2})", after)[0].split():
        lw = w.lower()
        if lw in MODIFIERS:
            continue
        if lw in STOPWORDS or not lw.isalpha() or (lw not in _PEOPLE and is_verb(lw)):
            return None  # "17,842 watched": the number stands alone
        return lw
    return None


_LEADING_PREPOSITION = re.compile(r"^(?:on|in|since|by|until|from|of|at)\s+", re.IGNORECASE)


def full_span(span: Span, sentence: str) -> str:
    """A span as an answer reads it: a date without its preposition ("on 4 June" -> "4
    June"), a number with its currency sign, per cent or unit noun ("€14m", "3.25%", "41
    people")."""
    if span.kind == "date":
        return _LEADING_PREPOSITION.sub("", span.text)
    if span.kind != "number":
        return span.text
    start, end = span.start, span.end
    sign = re.search(r"(?:[€$£¥₹]|\b(?:EUR|USD|GBP|NOK|DKK|SEK|CHF|CAD|KSh))\s*$", sentence[:start])
    if sign:
        start = sign.start()
    after = sentence[end:]
    rest = tally_rest(after)
    if rest:  # both sides of a vote: "five to two", "338 votes to 281"
        return sentence[start : end + rest].strip()
    tail = _PERCENT_AFTER.match(after) or _MONEY_AFTER.match(after) or _AREA_AFTER.match(after)
    if tail is None and noun_after(after) is not None:
        tail = re.match(r"\s*(?:(?:" + "|".join(MODIFIERS) + r")\s+)?[A-Za-z-]+", after)
    if tail:
        end += tail.end()
    return sentence[start:end].strip()


def is_age(text: str, n: Number) -> bool:
    """Is the number someone's age: "a 29-year-old picker", "29 years old", "aged 29", or
    news style's "Anja Kruger, 29, said"?"""
    after, before = text[n.end :], text[: n.start]
    return bool(
        AGE_AFTER.match(after)
        or re.search(r"\baged\s*$", before)
        or (re.search(r"[A-Z][\w'-]+,\s*$", before) and re.match(r"\s*,", after))
    )


def age_holder(text: str, n: Number) -> str | None:
    """Whose age the number is: "the 23-year-old Korsholm", "Kieran Doyle, 19,", "Breznik
    is 23 years old" (the surname), or None when the text does not say."""
    after = re.match(r"[\s-]*years?[\s-]*old\s+(?:[a-z]+\s+){0,2}([A-Z][\w'-]+)", text[n.end :])
    if after and not is_demonym(after.group(1)):
        return after.group(1)
    before = re.search(r"([A-Z][\w'-]+)(?:,\s*|\s+(?:is|was|,)\s+)$", text[: n.start])
    return before.group(1) if before else None
