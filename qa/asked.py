"""What a question asks for: the kind of answer (person, place, number ...), the noun naming
it and its qualifier ("Germany's defence minister" -> defence, minister), and what a number
answering it counts ("how many satellites" -> satellites).

Read from the question's words alone; qa.entities finds the spans of a sentence that could
answer, qa.units checks a number against the asked-for unit.
"""

from __future__ import annotations

import re

from qa.lexicon import HEAD_NOUNS, Kind
from qa.text import STOPWORDS, word_list

_WH_WORDS = frozenset(word_list("who whom whose what which where when why how"))

# Where a question of several parts divides: before a wh-word (or a preposition and one:
# "..., and by what vote did ...") after "?", ";" or "and" / "or".
_PARTS = re.compile(
    r"(?:\?\s+|,?\s+(?:and|or)\s+|;\s*)"
    r"(?=(?:(?:by|in|at|on|to|for|from)\s+)?(?:what|who|whom|when|where|why|how|which)\b)",
    re.IGNORECASE,
)


def question_parts(question: str) -> list[str]:
    """'What did X say, and what did Y do?' -> two questions, each answered (and checked) on
    its own; a single question comes back as it is. The one reader of this for the
    extractive answerer, the latest-report answer and the fact check's "does it answer"."""
    parts = [p.strip(" ,;?") for p in _PARTS.split(question)]
    parts = [p for p in parts if len(p.split()) >= 3]
    return parts if len(parts) > 1 else [question]


_AUX = frozenset(
    word_list("is was are were did does do has have had will would could can should might")
)
_SKIP = frozenset(word_list("the a an its their his her this that these those"))
_PREPS = frozenset(word_list("in from to at on by until since for of into with during"))
_REASON_VERBS = frozenset(
    word_list("made makes caused prompted led triggered forced drove explains explained")
)
_HOW_NUMBER = frozenset(
    word_list("many much long far old big large high tall fast often deep wide heavy")
)
# Agent nouns that name people ("ecologist", "historian", "frontbencher").
_PERSONISH = re.compile(r"(?:ist|ian|bencher|holder|maker|person|woman|man)$")


def answer_kind(question: str) -> Kind | None:
    """The kind of fact the question asks for; None when it asks for no single kind ("What
    did the minister say about the budget?")."""
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", question)
    toks = [w.lower() for w in words]
    i = next((j for j, t in enumerate(toks[:14]) if t in _WH_WORDS), None)
    if i is None:
        return None
    wh, prep = toks[i], (toks[i - 1] if i > 0 else "")
    rest = toks[i + 1 :]
    # Proper names in the phrase say nothing about the kind ("which University of Nairobi
    # economist"): drop capitalised words and the "of" / "the" inside them.
    cased = words[i + 1 :]
    phrase = [
        t
        for j, (t, w) in enumerate(zip(rest, cased, strict=True))
        if (not w[:1].isupper() or noun_kind(t) is not None)
        and not (t in ("of", "the", "and") and j + 1 < len(cased) and cased[j + 1][:1].isupper())
    ]
    if wh in ("who", "whom", "whose"):
        return "person"
    if wh == "where":
        # "Where do the talks stand?" asks how things are, not for a place.
        return None if re.search(r"\bstands?\W*$", question) else "place"
    if wh == "when":
        return "date"
    if wh == "why":
        return "reason"
    if wh == "how":
        if rest and rest[0] in _HOW_NUMBER:
            return "number"
        return "reason" if rest and rest[0] in _AUX else None
    # what / which: the head noun of the phrase after it decides.
    if rest and rest[0] in _REASON_VERBS:
        return "reason"
    if re.search(r"\b(?:worth|cost|costs|cost them|earn|earned)\s*\??\s*$", question, re.I):
        return "number"  # "what were the paintings estimated to be worth?"
    kind = _head_kind(phrase)
    if kind == "place" and prep in ("by", "through", "via"):
        return None  # "By what route did the intruders enter?": the way, not a place
    if kind is None and prep in ("in", "at", "from", "to", "into") and wh == "which":
        return "place"
    return kind


def _head_kind(rest: list[str]) -> Kind | None:
    return _head(rest)[0]


def _head(rest: list[str]) -> tuple[Kind | None, str | None]:
    """The kind and the noun of the last noun of the phrase after "what"/"which" ("which
    union official" -> person, official; "what was the final vote tally" -> number, tally)."""
    if len(rest) >= 2 and rest[0] in ("is", "was", "are", "were") and rest[1] in _SKIP:
        rest = rest[2:]  # "what was the ..."
    elif rest and rest[0] in _AUX:
        return None, None  # "what did the minister say": the noun is the subject
    kind: Kind | None = None
    noun: str | None = None
    read = False  # a word of the phrase was read: a preposition now ends it
    for j, w in enumerate(rest[:5]):
        after = rest[j + 1] if j + 1 < len(rest) else ""
        if kind is None and w.endswith("ed") and noun_kind(after) is not None:
            continue  # a participle before the head noun modifies it ("the confirmed number")
        if w in _AUX or (w in _PREPS and read) or is_verb(w):
            # The noun phrase ends at its verb ("which publication interviewed ...") or at a
            # preposition after it ("the latest development in the dam case" asks for no
            # place; "which of the paintings" reads on).
            break
        if w in _SKIP or w.endswith(("'s", "’s")):
            continue
        read = read or w not in _PREPS
        found = noun_kind(w)
        if found is not None:
            kind, noun = found, w
        elif kind is not None:
            break  # the noun phrase ended ("which party did ...", "which club bought")
    return kind, noun


_VERBS = frozenset(
    word_list(
        """said told won led made took gave got became ran sent hit set put went came saw left
        began found held paid sold bought built lost fell rose spoke wrote says tells wins
        leads makes takes gives gets becomes runs sends hits sets puts goes comes sees leaves
        begins finds holds pays sells buys builds loses falls rises speaks writes flew fled
        died drove fought met kept felt brought caught struck chose rode grew drew threw knew
        sank shot stood sat wore ate fly flies die dies drive drives sit sits"""
    )
)


def is_verb(w: str) -> bool:
    return w in _VERBS or (len(w) > 4 and w.endswith("ed") and noun_kind(w, guess=False) is None)


def asked_noun(question: str) -> str | None:
    """The noun naming what a question asks for ("which Danish minister" -> minister, "who
    is Germany's defence minister" -> minister): the answer is often introduced by it
    ("Health Minister Sofie Berg")."""
    return asked_role(question)[1]


def asked_role(question: str) -> tuple[str | None, str | None]:
    """The asked-for noun and the word qualifying it, if any: "Germany's defence minister" ->
    (defence, minister), "which striker" -> (None, striker). A finance minister does not
    answer a question about the defence minister."""
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", question)
    toks = [w.lower() for w in words]
    i = next((j for j, t in enumerate(toks[:14]) if t in ("which", "what", "who")), None)
    if i is None:
        return None, None
    rest = toks[i + 1 :]
    if toks[i] == "who":  # "who is (the) Germany's defence minister"
        if rest[:2] in (["will", "be"], ["would", "be"], ["has", "been"], ["had", "been"]):
            rest = ["is", *rest[2:]]  # "who will be foreign minister"
        elif rest[:1] in (["becomes"], ["became"]):
            rest = ["is", *rest[1:]]
        if not rest or rest[0] not in ("is", "was", "are", "were"):
            return None, None
        rest = ["is", "the", *[t for t in rest[1:] if not t.endswith(("'s", "’s"))]]
    noun = _head(rest)[1]
    if noun is None:
        return None, None
    j = rest.index(noun)
    before = rest[j - 1] if j > 0 else None
    skip = {*_SKIP, *_AUX, *_WH_WORDS, "of", "in", "at"}
    if before is None or before in skip or before.endswith(("'s", "’s")):
        return None, noun
    cased = {w.lower(): w for w in words}
    if cased.get(before, before)[:1].isupper():
        return None, noun  # "Danish minister", "Aldervale player": whose, not which kind
    return before, noun


def noun_kind(w: str, guess: bool = True) -> Kind | None:
    """The kind a common noun names; with `guess`, agent nouns ("ecologist") are people."""
    for kind, nouns in HEAD_NOUNS.items():
        if w in nouns or (w.endswith("s") and w[:-1] in nouns):
            return kind
    if guess and len(w) > 5 and _PERSONISH.search(w):
        return "person"
    return None


# --------------------------------------------------------------------------- units

MODIFIERS = frozenset(word_list("more new other additional extra further fresh confirmed"))

_MONEY_NOUNS = frozenset(
    word_list(
        "money cost price fine ransom salary wage value worth funding investment fee payment "
        "compensation bill spending revenue profit loss sum budget damage damages losses"
    )
)
_FIGURES = frozenset(word_list("estimate estimates figure figures total amount"))
_MONEY_VERBS = re.compile(
    r"\b(?:cost|costs|pay|paid|spend|spent|raise|raised|earn|earned|demand|demanded|charge|"
    r"charged|invest|invested|fined|worth|lend|lent|borrow|borrowed|fetch|fetched|sell|sold|"
    r"make|made|lose|lost|receive|received)\b"
)
_PERCENT_NOUNS = frozenset(word_list("percentage percent rate share proportion inflation"))
_TALLY_NOUNS = frozenset(word_list("tally result vote votes margin majority score scoreline"))


def asked_unit(question: str) -> str | None:
    """What a number answering `question` counts: "percent", "money", "age", "duration",
    "distance", "rainfall", "tally" (a vote or a match result), a noun ("satellites", or
    "truck-driver"), or None when the question does not say. Read from what the question asks
    for ("how many X", its head noun), not from any word in it: a question about a budget vote
    asks for a tally, not an amount of money."""
    q = question.lower()
    noun = asked_noun(question)
    if re.search(r"\bhow old\b|\bwhat age\b", q):
        return "age"
    if re.search(r"\bhow (?:far|high|deep|tall|wide)\b", q):
        return "distance"
    if re.search(r"\bhow long\b", q):
        return "duration"
    if re.search(r"\bhow much (?:rain|rainfall|snow|snowfall)\b", q):
        return "rainfall"  # a depth: "142 millimetres"
    if re.search(r"\bhow fast\b|\bwhat speed\b", q):
        return "speed"
    if noun in _TALLY_NOUNS:
        return "tally"
    if noun in _PERCENT_NOUNS or re.search(r"\bper ?cent\b|\bby how much\b", q):
        return "percent"
    # Names are no unit: "how many NorthLink Isles staff" counts staff.
    common = " ".join(w for i, w in enumerate(question.split()) if not i or not w[:1].isupper())
    m = re.search(r"\bhow many\s+((?:[a-z-]+\s+)?)([a-z-]+)", common.lower())
    if m:
        first, last = m.group(1).strip(), m.group(2)
        if first in _PREPS:
            return None  # "..., and how many by the day after": a part that says not
        if first in ("", *MODIFIERS) or last in STOPWORDS or is_verb(last):
            return last if first in ("", *MODIFIERS) else first
        return f"{first} {last}"
    much = re.search(r"\bhow much\s+([a-z-]+)", q)
    # "What damage estimate": the noun's money modifier says what is estimated.
    before = re.search(rf"\b([a-z]+)\s+{re.escape(noun)}\b", q) if noun in _FIGURES else None
    if before and before.group(1) in _MONEY_NOUNS:
        return "money"
    if noun in _MONEY_NOUNS or (much and (much.group(1) in _MONEY_NOUNS or _MONEY_VERBS.search(q))):
        return "money"  # "how much profit", "how much did it cost"
    if re.search(r"\bhow much (?:[a-z-]+\s+)?(?:money|cash)\b", q):  # "prize money"
        return "money"
    m = re.search(r"\b(?:number|count|total) of ([a-z-]+)", q)
    if m:
        return m.group(1)
    if re.search(r"\btoll\b", q):
        return "people"
    return None
