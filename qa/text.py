"""The text rules every part of the engine shares: words, stopwords, stems, names, sentence
spans and `[n]` citation markers.

One toolkit, so that the answerer, the keyword index, chat, citation checks and the UI agree
on what a word, a name, a sentence and a marker are. Where two parts need different rules on
purpose, each rule is a named function here (e.g. `index_terms` is Unicode and builds the
keyword index; `words` is the answerer's ASCII tokenizer), never a private copy elsewhere.

The eval judges (evals/judges.py, evals/metrics.py) keep their own independent copies on
purpose: a judge must not share the code it judges.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

# --------------------------------------------------------------------------- words

# Question words and function words carry no evidence: dropping them keeps a keyword
# OR-query from matching every chunk that says "the", and keeps them out of key terms.
STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours yourself
    also said says say tell told according did does many much
    """.split()  # noqa: SIM905 - a word list reads better as text
)
QUESTION_WORDS = frozenset(["who", "whom", "whose", "what", "when", "where", "which", "why", "how"])
# Lower-case words that belong inside a name: "Ursula von der Leyen", "Abu al-Hassan".
NAME_PARTICLES = frozenset({"von", "der", "de", "van", "al", "bin", "la", "du", "di"})

# Unicode words, for the keyword index (names in any script must be findable).
_INDEX_WORD = re.compile(r"[\w][\w'’-]*", re.UNICODE)
# ASCII words with inner apostrophes, dots and hyphens ("U.S.", "Zelensky's", "co-op"): the
# answerer's and chat's tokenizer, which must keep "U.S." and "Mr." in one piece.
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.-]*")


def index_terms(text: str) -> list[str]:
    """Distinct lower-cased content words, in order: what the keyword index matches on."""
    seen: dict[str, None] = {}
    for w in _INDEX_WORD.findall(text.lower()):
        w = w.strip("'’-")
        if len(w) > 1 and w not in STOPWORDS:
            seen.setdefault(w, None)
    return list(seen)


def words(text: str) -> list[str]:
    """The words of `text` as written (case kept), for the answerer and chat."""
    return _WORD.findall(text)


def bare(word: str) -> str:
    """A word lower-cased, without the quote, dot and hyphen edges `words` keeps."""
    return word.lower().strip("'’.-")


def is_stopword(word: str) -> bool:
    return bare(word) in STOPWORDS


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A deliberately crude stemmer: enough to match plans/plan, deployed/deploy, Zelenskyy/-iy."""
    w = bare(word)
    for suf in ("'s", "’s", "ing", "ed", "es", "s", "y"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            w = w[: -len(suf)]
            break
    return w[:6]


def stems(text: str) -> set[str]:
    """The stems of every word of `text`, plus the acronyms of its capitalised runs."""
    return {stem(w) for w in words(text)} | initials(text)


def initials(text: str) -> set[str]:
    """Acronyms of capitalised runs ("Financial Times" -> "ft"), so "FT" finds its sentence."""
    out: set[str] = set()
    for run in re.findall(r"(?:\b[A-Z][a-z]+(?:\s+|$)){2,4}", text):
        out.add("".join(w[0] for w in run.split()).lower())
    return out


# --------------------------------------------------------------------------- names


def names(text: str, *, particles: bool = True) -> list[str]:
    """Names in `text`: runs of capitalised words past the first word, distinct, in order.

    With `particles`, lower-case particles before a capitalised word join the run ("von der
    Leyen"). The first word is skipped because every sentence starts with a capital.
    """
    ws = words(text)
    found: list[str] = []
    run: list[str] = []
    for i, w in enumerate(ws):
        clean = w.strip("'’.-")
        cap = i > 0 and len(clean) > 1 and clean[0].isupper() and not is_stopword(clean)
        particle = particles and clean.lower() in NAME_PARTICLES and _name_follows(ws, i + 1)
        if cap or particle:
            run.append(clean)
            continue
        if run:
            found.append(" ".join(run))
        run = []
    if run:
        found.append(" ".join(run))
    # A run must end on a capitalised word ("von der" alone is not a name).
    return [n for n in dict.fromkeys(found) if n.split()[-1][:1].isupper()]


def _name_follows(ws: list[str], i: int) -> bool:
    while i < len(ws) and ws[i].lower() in NAME_PARTICLES:
        i += 1
    return i < len(ws) and ws[i][:1].isupper()


def name_words(name: str) -> list[str]:
    """The words of a name that identify it (particles dropped): "von der Leyen" -> Leyen."""
    return [w for w in name.split() if w.lower() not in NAME_PARTICLES]


# --------------------------------------------------------------------------- sentences


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# nltk's punkt (what llama-index ships) splits after "Mr.", "Aug." and "U.S.", which cuts
# quotes in half; this small regex splitter knows the abbreviations news text uses.
_NEVER_ENDS = _words(
    "Mr Mrs Ms Dr Prof Sen Rep Gov Gen Lt Col Sgt Capt Adm Supt Rev Hon St No vs Vs Jan "
    "Feb Mar Apr Jun Jul Aug Sept Sep Oct Nov Dec"
)
# Abbreviations that can also end a sentence: split after them only when the next word
# is a typical sentence opener ("... in the U.S. The president ...").
_MAY_END = _words("Jr Sr Inc Co Corp Ltd etc Bros")
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")  # U.S, D.C, a.m, e.g, Ph.D
_OPENERS = _words(
    "The A An He She It They We I You But And In On At This That These Those There Then "
    "His Her Its Their Our My However Meanwhile Still Yet So If When While As After "
    "Before For Officials Some Many Most Now Later Earlier"
)
_BOUNDARY = re.compile(
    r"([.!?\u2026]+)([\"'\u201d\u2019)\]]*)(\s+)(?=[\"'\u201c\u2018(\[]*[A-Z0-9])"
)
_FIRST_WORD = re.compile(r"[\"'\u201c\u2018(\[]*([A-Za-z']+)")
_LINE = re.compile(r"[^\n]+")


def _is_boundary(line: str, m: re.Match[str]) -> bool:
    if m.group(1) != ".":
        return True  # "!", "?", "..." always end a sentence when a capital follows
    token = line[line.rfind(" ", 0, m.start()) + 1 : m.start()].lstrip("\"'\u201c\u2018([")
    if token in _NEVER_ENDS:
        return False
    if token in _MAY_END or _DOTTED.fullmatch(token) or (len(token) == 1 and token.isupper()):
        nxt = _FIRST_WORD.match(line, m.end())
        return bool(nxt and nxt.group(1) in _OPENERS)
    return True


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences in `text`; newlines are hard boundaries and spans
    carry no surrounding whitespace, so `text[s:e]` is the exact quotable sentence."""
    spans: list[tuple[int, int]] = []
    for line_m in _LINE.finditer(text):
        line, base = line_m.group(), line_m.start()
        start = len(line) - len(line.lstrip())
        for m in _BOUNDARY.finditer(line):
            if m.start() < start or not _is_boundary(line, m):
                continue
            spans.append((base + start, base + m.end(2)))
            start = m.end(3)
        end = len(line.rstrip())
        if end > start:
            spans.append((base + start, base + end))
    return _join_open_quotes(text, spans)


def _quote_open(s: str) -> bool:
    return s.count('"') % 2 == 1 or s.count("\u201c") > s.count("\u201d")


def _join_open_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Keep a quotation that spans sentences in one piece, so a quote is never cut mid-way
    ('"It is urgent. It is taking shape," she said.' is one quotable sentence)."""
    out: list[tuple[int, int]] = []
    merged = 0
    for s, e in spans:
        if out and merged < 3 and "\n" not in text[out[-1][1] : s]:
            ps, pe = out[-1]
            if _quote_open(text[ps:pe]):
                out[-1] = (ps, e)
                merged += 1
                continue
        out.append((s, e))
        merged = 0
    return out


# --------------------------------------------------------------------------- [n] markers

# Models write `[1]`, `[1, 3]`, `[1][2]`, `[1-2]` and sometimes `[Article 2]`; all are read.
# What we write is always `[n]` or `[n, m]` (`render_marker`).
# One bracket group: numbers separated by commas/semicolons/"and", or ranges with - or en dash.
_ONE = r"\d{1,3}(?:\s*[-\u2013]\s*\d{1,3})?"
_NUM_LIST = _ONE + r"(?:\s*(?:,|;|\band\b)\s*" + _ONE + r")*"
MARKER_RE = re.compile(
    r"\[\s*(?:(?:article|source|doc(?:ument)?)s?\s*#?\s*)?(" + _NUM_LIST + r")\s*\]",
    re.IGNORECASE,
)
_MAX_RANGE = 20  # "[1-300]" is not a citation anyone meant


@dataclass(frozen=True)
class Marker:
    """One bracket group as written: its span in the text and the numbers it names."""

    start: int
    end: int
    numbers: tuple[int, ...]


def _expand(group: str) -> tuple[int, ...]:
    nums: list[int] = []
    for part in re.split(r"\s*(?:,|;|\band\b)\s*", group.strip(), flags=re.IGNORECASE):
        if not part:
            continue
        m = re.fullmatch(r"(\d+)\s*[-\u2013]\s*(\d+)", part)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a <= b and b - a <= _MAX_RANGE:
                nums.extend(range(a, b + 1))
            else:
                nums.extend([a, b])
        elif part.isdigit():
            nums.append(int(part))
    out: list[int] = []
    for n in nums:
        if n not in out:
            out.append(n)
    return tuple(out)


def parse_markers(text: str) -> list[Marker]:
    """Every citation marker in `text`, in order; `[1][2]` is two markers."""
    return [Marker(m.start(), m.end(), _expand(m.group(1))) for m in MARKER_RE.finditer(text)]


def cited_numbers(text: str) -> list[int]:
    """Distinct numbers cited in `text`, in order of first use."""
    seen: list[int] = []
    for mk in parse_markers(text):
        for n in mk.numbers:
            if n not in seen:
                seen.append(n)
    return seen


def strip_markers(text: str) -> str:
    """`text` without any markers (and without the space a marker leaves behind)."""
    out = MARKER_RE.sub("", text)
    out = re.sub(r"[ \t]+([.,;:!?])", r"\1", out)
    return re.sub(r"[ \t]{2,}", " ", out).strip()


def render_marker(numbers: Iterable[int]) -> str:
    """`[1]` or `[1, 3]` (sorted, distinct); empty for no numbers."""
    nums = sorted(set(numbers))
    return "[" + ", ".join(str(n) for n in nums) + "]" if nums else ""


# --------------------------------------------------------------------------- numbers


def word_list(spaced: str) -> list[str]:
    """A word list written as text (reads better than a list literal of 60 strings)."""
    return spaced.split()


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
        if any(s < m.end() and m.start() < e for s, e in taken):
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


def same_number(a: float, b: float) -> bool:
    """Equal up to rounding as news rounds: 1.2 million == 1,200,000; 13 != 14."""
    if a == b:
        return True
    big = max(abs(a), abs(b))
    return big >= 1000 and abs(a - b) / big < 0.005


# --------------------------------------------------------------------------- name matching


def name_in(name: str, text: str) -> bool:
    """Does `text` mention `name`? The full name, or its surname alone ("Okafor" for "Tom
    Okafor"), or its acronym ("FT" for "Financial Times"), as whole words, case-sensitive."""
    if not name.strip():
        return False
    if re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
        return True
    parts = name_words(name)
    if len(parts) > 1 and re.search(r"(?<!\w)" + re.escape(parts[-1]) + r"(?!\w)", text):
        return True
    acronym = "".join(w[0] for w in parts if w[:1].isupper())
    return len(acronym) > 1 and re.search(r"(?<!\w)" + acronym + r"(?!\w)", text) is not None


def full_name(short: str, text: str) -> str:
    """The longest name in `text` that ends with `short` ("Okafor" -> "Tom Okafor"), else
    `short`: a quote that only says the surname still lets the answer name the person."""
    best = short
    pattern = re.compile(
        r"((?:[A-Z][\w'’-]+[ \t]+|(?:"
        + "|".join(NAME_PARTICLES)
        + r")[ \t]+){1,3})"
        + re.escape(short)
        + r"(?!\w)"
    )
    for m in pattern.finditer(text):
        parts = (m.group(1) + short).split()
        # "Substitute Jamie Pruitt", "Health Minister Sofie Berg": drop through the last title.
        cut = max((i + 1 for i, w in enumerate(parts[:-1]) if w in _TITLE_WORDS), default=0)
        parts = parts[cut:]
        while len(parts) > 1 and bare(parts[0]) in STOPWORDS:
            parts = parts[1:]
        cand = " ".join(parts)
        if len(cand) > len(best) and cand[:1].isupper():
            best = cand
    return best


# Words that precede a name but are not part of it.
_TITLE_WORDS = frozenset(
    word_list(
        "Mr Mrs Ms Dr Prof President Minister Chancellor Governor Senator Judge Sir Dame Lord "
        "Lady Captain Coach Manager Striker Midfielder Defender Goalkeeper Substitute Referee "
        "Chief Director Spokesman Spokeswoman Spokesperson Officer Inspector Detective Mayor "
        "Premier Prime Secretary General Colonel Lieutenant Sergeant Pope Bishop Rev King Queen "
        "Prince Princess Founder Author Novelist Director Skipper Captain When After Before "
        "Then But And As While Meanwhile"
    )
)


# --------------------------------------------------------------------------- facts

# What qa.facts needs to decide whether a sentence states a statement's names and numbers.
# Matching lives here, beside `name_in` and `same_number`, so there is one notion of "the
# same name" and "the same number" in the engine.

_FOLD = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ł": "l", "Ł": "L", "ı": "i", "ß": "ss",
     "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "œ": "oe", "Œ": "OE", "’": "'", "‘": "'",
     "“": '"', "”": '"', "–": "-", "—": "-"}
)  # fmt: skip


def fold(text: str) -> str:
    """`text` in plain ASCII letters ("Bjørg" -> "Bjorg", "Lousã" -> "Lousa", curly quotes
    straightened), so the ASCII word rules (`words`, `names`) read accented names whole."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return _COMBINING.sub("", decomposed)


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


# Spellings of one place or body that share no words: a statement may use either.
_SAME_NAMES = [
    frozenset(form.replace("_", " ") for form in group.split("|"))
    for group in (
        "UK|U.K.|Britain|British|United_Kingdom",
        "US|U.S.|USA|United_States|American|America",
        "EU|European_Union",
        "UN|United_Nations",
        "Netherlands|Dutch|Holland",
        "Poland|Polish",
        "Norway|Norwegian",
        "Portugal|Portuguese",
        "Switzerland|Swiss",
        "France|French",
        "Denmark|Danish|Dane",
        "Sweden|Swedish|Swede",
        "Finland|Finnish|Finn",
        "Spain|Spanish",
        "Ireland|Irish",
        "Wales|Welsh",
        "Scotland|Scottish|Scots",
        "Greece|Greek",
        "Czechia|Czech",
        "Turkey|Turkish|Turkiye",
        "Philippines|Filipino|Philippine",
        "Belgium|Belgian",
    )
]


def _same_name_forms(name: str) -> list[str]:
    for group in _SAME_NAMES:
        if name in group:
            return [g for g in group if g != name]
    return []


def _demonym_matches(name: str, text: str) -> bool:
    """ "Kenyan" / "Kenya", "Brazilian" / "Brazil", "Japanese" / "Japan": one capitalised word
    of `text` is the country the other names (its stem is the country without its ending)."""
    if " " in name or not name[:1].isupper():
        return False
    for word in set(re.findall(r"\b[A-Z][a-z]{3,}\b", text)):
        if word == name:
            continue
        # name is a demonym of `word`, or `word` a demonym of name.
        for demonym, country in ((name, word), (word, name)):
            d = re.fullmatch(r"([A-Z][a-z]+?)(?:ish|ese|ian|ean|an|n|i)", demonym)
            if d is None:
                continue
            bases = {country, re.sub(r"(?:ia|a|y|e|ey)$", "", country)}
            if demonym in bases or d.group(1) in bases:
                return True
    return False


# First words of a body's name that do not identify it ("New York Times", "National Trust").
_GENERIC_FIRST = frozenset(
    word_list(
        "New National United General Royal Great North South East West Northern Southern "
        "Eastern Western European International First Central Federal State Social Christian "
        "Democratic Liberal People's Public Free Green Red Black White Golden Silver"
    )
)


def name_stated(name: str, text: str) -> bool:
    """Does `text` state `name`? `name_in`'s rules (full name, surname, acronym), plus a
    possessive ("Germany's"), an acronym written out ("FT" for "Financial Times"), another
    spelling of the same country ("UK" / "Britain"), or its demonym ("Kenyan" / "Kenya").
    Both sides should be `fold`ed when they may hold accents."""
    parts = [re.sub(r"['’]s$", "", w) for w in name.split()]
    # "Von der Leyen" at the start of a statement is "von der Leyen" in the article.
    name = " ".join(
        w.lower() if w.lower() in NAME_PARTICLES and w is not parts[-1] else w for w in parts
    )
    if not name.strip():
        return False
    from qa.lexicon import ORG_CUES, PLACE_CUES  # here: qa.lexicon imports this module

    kept = name_words(name)
    if kept and (kept[-1] in ORG_CUES or kept[-1] in PLACE_CUES):
        # "Stenhouse Rovers" is not "Wexley Rovers": a body or place is named whole, by its
        # acronym, or by its distinctive first word ("Corvane" for "Corvane Logistics").
        distinctive = len(kept) == 2 and kept[0] not in ORG_CUES and kept[0] not in _GENERIC_FIRST
        shorter = [name, kept[0]] if distinctive else [name]
        if any(re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", text) for n in shorter):
            return True
        acronym = "".join(w[0] for w in kept if w[:1].isupper())
        if len(acronym) > 1 and re.search(r"(?<!\w)" + acronym + r"(?!\w)", text):
            return True
    elif name_in(name, text):
        return True
    if re.fullmatch(r"[A-Z]{2,6}", name) and name.lower() in initials(text):
        return True
    if any(name_in(other, text) for other in _same_name_forms(name)):
        return True
    return _demonym_matches(name, text)


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
