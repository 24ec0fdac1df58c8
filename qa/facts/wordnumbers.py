"""Counts written as words that `numbers_in` leaves to the reader: ordinals ("the fifth
woman"), fractions ("a third of drivers") and multiples ("doubled", "cut by half"). Each gets a
value no plain count has, so an ordinal never matches a count."""

from __future__ import annotations

import re

from qa.text import Number

_ORDINALS = {
    w: i + 1
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split()  # noqa: SIM905
    )
}
_FRACTION = re.compile(
    r"\b(a|one|two|three|four)[- ](half|third|thirds|quarter|quarters|fifth|fifths|tenth|tenths)\b",
    re.IGNORECASE,
)
# An ordinal counts after "the"/"its"/a possessive: "the fifth woman", "Estonia's first
# woman", not "first evacuated".
_ORDINAL = re.compile(
    r"\b(?:the|its|his|her|their|a|[A-Z]\w*'s)\s+(?:only\s+)?(" + "|".join(_ORDINALS) + r")\b",
    re.IGNORECASE,
)
_PARTS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10}
# A period after an ordinal: "the first nine months" ("the third quarter" stays a fact).
_PERIOD = re.compile(r"\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven)\s")
# A rank after an ordinal's hyphen: "the third-largest", "second-biggest", "fifth-most".
_RANK = re.compile(r"-(?:[a-z]+est|most|least)\b")
# A multiple: "plans to double investment", "tripled its profit", "twice as many". Verbs and
# "twice" only: "double-digit", "a triple-A rating" are no multiples.
_MULTIPLE = re.compile(
    r"\b(doubl(?:e|es|ed|ing)|tripl(?:e|es|ed|ing)|quadrupl(?:e|es|ed|ing)|halv(?:e|es|ed|ing)|"
    r"twice|(?:by|in)\s+half)\b(?!-)",
    re.IGNORECASE,
)
_MULTIPLES = {"doubl": 2, "twic": 2, "tripl": 3, "quadrupl": 4, "halv": 0.5, "half": 0.5}


def ordinals_and_fractions(folded: str) -> list[Number]:
    """ "the fifth woman", "a third of drivers": counts `numbers_in` leaves to the reader.
    Ordinals get values from 1001 up and fractions below 1, so neither matches a count."""
    out: list[Number] = []
    taken: list[tuple[int, int]] = []
    for m in _FRACTION.finditer(folded):
        k = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}[m.group(1).lower()]
        part = _PARTS[m.group(2).lower().rstrip("s")]
        out.append(Number(k / part, m.start(), m.end(), m.group(0)))
        taken.append((m.start(), m.end()))
    for m in _MULTIPLE.finditer(folded):
        k = next(v for w, v in _MULTIPLES.items() if w in m.group(1).lower())
        out.append(Number(10_000 + k, m.start(1), m.end(1), m.group(1)))
    for m in _ORDINAL.finditer(folded):
        after = folded[m.end(1) : m.end(1) + 12]
        if after[:1] == "-" and not _RANK.match(after):
            continue  # "its second-quarter profit": a period ("the third-largest" is a rank)
        if _PERIOD.match(after):
            continue  # "the first nine months": a period, not the first of anything
        if not any(s <= m.start() < e for s, e in taken):
            out.append(
                Number(1000 + _ORDINALS[m.group(1).lower()], m.start(1), m.end(1), m.group(1))
            )
    return out


# A year's quarters as news also writes them: "the third quarter" is "July to September",
# "the three months to September", "Q3".
_QUARTERS = {
    1: ("january", "march"),
    2: ("april", "june"),
    3: ("july", "september"),
    4: ("october", "december"),
}


def quarter_named(text: str, n: Number) -> int | None:
    """The quarter an ordinal names ("third quarter": 3), or None."""
    k = int(n.value) - 1000
    if 1 <= k <= 4 and re.match(r"[\s-]+quarter\b", text[n.end :], re.IGNORECASE):
        return k
    return None


def states_quarter(k: int, text: str) -> bool:
    """Does `text` give quarter `k` in months ("July to September", "three months to
    September", "Q3")?"""
    first, last = _QUARTERS[k]
    return bool(
        re.search(rf"\b{first}\s+(?:to|-|–)\s+{last}\b", text, re.IGNORECASE)
        or re.search(
            rf"\bthree\s+months\s+(?:to|ended|ending)\s+(?:the\s+end\s+of\s+)?{last}\b",
            text,
            re.IGNORECASE,
        )
        or re.search(rf"\bQ{k}\b", text)
    )
