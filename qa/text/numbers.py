"""Numbers as news writes them ("thirty", "1.2 million", "€2bn", "tens of thousands") and
when two of them are the same: one notion of "the same number" in the engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.text.tokens import word_list

# Number words as news writes them: "thirty", "twenty-five", "a dozen", "1.2 million".
_UNITS = {
    w: i
    for i, w in enumerate(
        word_list(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen"
        )
    )
}
_TENS = {
    w: 10 * i
    for i, w in enumerate(word_list("_ _ twenty thirty forty fifty sixty seventy eighty ninety"))
    if w != "_"
}
_SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_ABBREVIATED_SCALES = frozenset({"m", "mn", "b", "bn", "tn"})
_NUMBER = re.compile(
    r"(?<![\w.])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:(?P<sp>\s*)(?P<scale>hundred|thousand|million|billion|trillion|bn|mn|m|b|tn)\b)?",
    re.IGNORECASE,
)
_WORD_NUMBER = re.compile(
    r"\b(?P<words>(?:(?:"
    + "|".join([*_UNITS, *_TENS])
    + r")(?:[- ](?:"
    + "|".join(_UNITS)
    + r"))?)|dozen|a dozen)(?:\s+(?P<scale>hundred|thousand|million|billion|trillion)\b)?\b",
    re.IGNORECASE,
)


# "tens of thousands", "hundreds": a quantity news gives without a figure.
_VAGUE_NUMBER = re.compile(
    r"\b(?:(?:tens|hundreds) of (?:thousands|millions|billions)|dozens|scores|hundreds|"
    r"thousands|millions|billions)\b",
    re.IGNORECASE,
)


def _vague_value(text: str) -> float:
    t = text.lower()
    base = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2e3, "millions": 2e6}
    if " of " in t:
        head, _, tail = t.partition(" of ")
        return (20 if head == "tens" else 200) * base.get(tail, 1e9) / 2
    return float(base.get(t, 2e9))


@dataclass(frozen=True)
class Number:
    """A number as written in a text, with its value ("thirty" -> 30, "1.2 million" -> 1.2e6)."""

    value: float
    start: int
    end: int
    text: str


def _word_value(words: str) -> float:
    w = words.lower().replace("a dozen", "dozen")
    if w == "dozen":
        return 12.0
    total = 0
    for part in re.split(r"[- ]", w):
        total += _UNITS.get(part, 0) + _TENS.get(part, 0)
    return float(total)


def numbers_in(text: str) -> list[Number]:
    """Every number in `text`, digits or words, in order of appearance.

    Years and times count as numbers too; callers that care about kinds look at the text
    around them (`qa.entities`).
    """
    found: list[Number] = []
    taken: list[tuple[int, int]] = []
    for m in _NUMBER.finditer(text):
        value = float(m.group("num").replace(",", ""))
        scale = (m.group("scale") or "").lower()
        end = m.end()
        if scale in _ABBREVIATED_SCALES and m.group("sp"):
            end = m.end("num")  # "14 m" is fourteen metres; only "14m" / "€2bn" scale
        elif scale:
            value *= _SCALES[scale]
        found.append(Number(value, m.start(), end, text[m.start() : end]))
        taken.append((m.start(), end))
    for m in _WORD_NUMBER.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken) or _one_of(text, m):
            continue
        value = _word_value(m.group("words"))
        if m.group("scale"):
            value *= _SCALES[m.group("scale").lower()]
        found.append(Number(value, m.start(), m.end(), m.group(0)))
        taken.append((m.start(), m.end()))
    for m in _VAGUE_NUMBER.finditer(text):
        if not any(s < m.end() and m.start() < e for s, e in taken):
            found.append(Number(_vague_value(m.group(0)), m.start(), m.end(), m.group(0)))
    return sorted(found, key=lambda n: n.start)


def _one_of(text: str, m: re.Match[str]) -> bool:
    """ "one of Norway's largest utilities" picks one out of many: it counts nothing."""
    return m.group(0).lower() == "one" and text[m.end() :].lstrip().lower().startswith("of ")


def same_number(a: float, b: float) -> bool:
    """Equal up to rounding as news rounds: 1.2 million == 1,200,000; 13 != 14."""
    if a == b:
        return True
    big = max(abs(a), abs(b))
    return big >= 1000 and abs(a - b) / big < 0.005


def states_number(claimed: Number, stated: float) -> bool:
    """Does a stated value say the claimed number? Equal, or the stated value rounded to
    the claim's precision within 5% ("about 1.2 million" for 1,234,000, "40%" for 39.6%), never
    a different count or year ("241" for 214, "2027" for 2026, "2" for 2.4). Stricter than
    `same_number`, whose tolerance would let a year stand for the next one."""
    if claimed.value == stated:
        return True
    digits = re.search(r"\d[\d,]*(?:\.(\d+))?", claimed.text)
    if digits is None or not claimed.value:
        return False  # a number in words is exact
    decimals = len(digits.group(1) or "")
    base = float(digits.group(0).replace(",", ""))
    scale = claimed.value / base if base else 1.0
    step = scale * 10.0**-decimals
    close = abs(claimed.value - stated) / max(abs(claimed.value), abs(stated)) <= 0.05
    return close and abs(round(stated / step) * step - claimed.value) < step / 2
