"""Words, stopwords and stems: what a word is, for the keyword index and for the answerer.

Two word rules on purpose: `index_terms` is lower-cased content words for the keyword index;
`words` keeps case and inner dots and apostrophes ("U.S.", "Zelensky's"), the answerer's and
chat's tokenizer. Both read letters of any alphabet ("Plzeň", "Bingöl").
"""

from __future__ import annotations

import re
from functools import lru_cache

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
# Words that deny what follows them ("n't" is matched as a suffix by `denies`).
NEGATORS = frozenset(
    "not no never none nor neither without cannot nobody nothing n't".split()  # noqa: SIM905
)


def denies(word: str) -> bool:
    """Is `word` a negation: "not", "never", "hasn't"?"""
    w = bare(word)
    return w in NEGATORS or w.endswith(("n't", "n’t"))


# Lower-case words that belong inside a name: "Ursula von der Leyen", "Abu al-Hassan".
NAME_PARTICLES = frozenset({"von", "der", "de", "van", "al", "bin", "la", "du", "di", "ap"})

# Unicode words, for the keyword index (names in any script must be findable).
_INDEX_WORD = re.compile(r"[\w][\w'’-]*", re.UNICODE)
# Capital letters of the Latin alphabets ("Š", "Ø", "Ł"), for the name patterns: "[A-Z]"
# alone reads "Radek Šimánek" as "Radek". Use inside a character class: f"[{UPPER}]".
UPPER = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
# Words with inner apostrophes, dots and hyphens ("U.S.", "Zelensky's", "co-op"): the
# answerer's and chat's tokenizer, which must keep "U.S." and "Mr." in one piece, and
# "Plzeň" too (letters of any alphabet; an ASCII-only rule cut it to "Plze").
_WORD = re.compile(r"[^\W_][\w'’.-]*")


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


def word_starts(text: str) -> list[tuple[int, str]]:
    """`words` with where each starts, for rules that point into the text."""
    return [(m.start(), m.group(0)) for m in _WORD.finditer(text)]


def bare(word: str) -> str:
    """A word lower-cased, without the quote, dot and hyphen edges `words` keeps."""
    return word.lower().strip("'’.-")


def is_stopword(word: str) -> bool:
    return bare(word) in STOPWORDS


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A deliberately crude stemmer: enough to match plans/plan, deployed/deploy, Zelenskyy/-iy."""
    w = bare(word)
    if w.endswith(("'s", "’s")):
        w = w[:-2]  # "UK's" is "uk", not a four-letter plural ("uk'")
    if len(w) == 4 and w[-1] == "s" and w[2] not in "aeiosu" and w != "news":
        return w[:-1]  # jobs/job, cuts/cut, days/day; not this, plus, does, less, news
    for suf in ("ing", "ies", "ed", "es", "s", "y"):  # ferries/ferry -> ferr
        if len(w) > len(suf) + 3 and w.endswith(suf):
            w = w[: -len(suf)]
            break
    return w[:6]


def same_verb(base: str, word: str) -> bool:
    """Is `word` a form of the verb `base` as a question writes it after "did": "accuse" ->
    "accused", "accuses", "accusing"; "stop" -> "stopped"; "deny" -> "denied"? (Regular forms
    only; `stem` cuts "accuse" and "accused" to different stems.)"""
    b, w = bare(base), bare(word)
    if len(b) < 2 or not w.startswith(b[:-1]):
        return False
    root = b[:-1] if b.endswith("e") else b
    forms = {b, b + "s", b + "es", root + "ed", root + "ing", b + b[-1] + "ed"}
    if b.endswith("y"):
        forms |= {b[:-1] + "ied", b[:-1] + "ies"}
    return w in forms


def stems(text: str) -> set[str]:
    """The stems of every word of `text`, plus the acronyms of its capitalised runs."""
    return {stem(w) for w in words(text)} | initials(text)


def initials(text: str) -> set[str]:
    """Acronyms of capitalised runs ("Financial Times" -> "ft"), so "FT" finds its sentence."""
    out: set[str] = set()
    for run in re.findall(r"(?:\b[A-Z][a-z]+(?:\s+|$)){2,4}", text):
        out.add("".join(w[0] for w in run.split()).lower())
    return out


def word_list(spaced: str) -> list[str]:
    """A word list written as text (reads better than a list literal of 60 strings)."""
    return spaced.split()
