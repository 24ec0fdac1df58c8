"""What kind of answer a question wants, and which spans of a sentence are of that kind.

"Which striker scored the late winner?" wants a person; a sentence can only answer it if it
names a person the question does not already name. The extractive answerer uses that to
prefer the sentence that holds the answer over one that is merely about the same event, to
lead with the short answer, and to refuse when no retrieved sentence holds a fact of the
asked-for kind.

Rules over capitalisation, cue words and number and date patterns, not a statistical model:
spaCy's small English pipeline, the smallest packaged NER we could use offline, took 3.6 s to
import and load and tagged about 3,400 words/s on these 2-core machines (about +60% ingest
time if run at ingest, 50-100 ms per question if run at query time, ~350 MB installed), while
the answerer only needs to know whether a sentence holds a candidate of the asked-for kind.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from qa.lexicon import (
    COUNTRIES,
    FACILITIES,
    HEAD_NOUNS,
    ORG_CUES,
    PERSON_TITLES,
    PLACE_CUES,
    Kind,
)
from qa.text import NAME_PARTICLES, STOPWORDS, bare, name_words, numbers_in, sentences, word_list


@dataclass(frozen=True)
class Span:
    """A candidate answer inside a sentence: its text, kind and offsets in the sentence."""

    text: str
    kind: Kind
    start: int
    end: int


# --------------------------------------------------------------------------- questions

_WH_WORDS = frozenset(word_list("who whom whose what which where when why how"))
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
        if (not w[:1].isupper() or _noun_kind(t) is not None)
        and not (t in ("of", "the", "and") and j + 1 < len(cased) and cased[j + 1][:1].isupper())
    ]
    if wh in ("who", "whom", "whose"):
        return "person"
    if wh == "where":
        return "place"
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
    for w in rest[:5]:
        if w in _AUX or (w in _PREPS and kind is not None) or _is_verb(w):
            break  # the noun phrase ends at its verb ("which publication interviewed ...")
        if w in _SKIP or w.endswith(("'s", "’s")):
            continue
        found = _noun_kind(w)
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
        begins finds holds pays sells buys builds loses falls rises speaks writes"""
    )
)


def _is_verb(w: str) -> bool:
    return w in _VERBS or (len(w) > 4 and w.endswith("ed") and _noun_kind(w, guess=False) is None)


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


def _noun_kind(w: str, guess: bool = True) -> Kind | None:
    """The kind a common noun names; with `guess`, agent nouns ("ecologist") are people."""
    for kind, nouns in HEAD_NOUNS.items():
        if w in nouns or (w.endswith("s") and w[:-1] in nouns):
            return kind
    if guess and len(w) > 5 and _PERSONISH.search(w):
        return "person"
    return None


# --------------------------------------------------------------------------- spans

_PLACE_PREPOSITIONS = frozenset(
    word_list("in at near from to into across outside inside toward towards via")
)
_PERSON_VERBS = re.compile(
    r"^\s*(?:,\s*\d{1,3},\s*)?(?:said|says|told|added|wrote|argued|warned|insisted|explained|"
    r"noted|replied|stated|announced|confirmed|scored|struck|fired|won|lost|resigned|died)\b"
)
_ROLE_BEFORE = re.compile(
    r"\b(?:minister|chancellor|governor|mayor|president|chief|manager|coach|captain|striker|"
    r"goalkeeper|keeper|midfielder|defender|substitute|spokesman|spokeswoman|spokesperson|"
    r"director|founder|author|novelist|officer|secretary|leader|negotiator|ceo|chairman|"
    r"chairwoman|executive|economist|epidemiologist|researcher|scientist|analyst|curator|"
    r"commissioner|coordinator|mep|mp|referee|winner|judge|lawyer|prosecutor|rider|runner|"
    r"champion|reporter|correspondent|writer|colleague|deputy|head|boss),?\s+$",
    re.IGNORECASE,
)
# A capitalised run: capitalised words joined by name particles or "of"/"the"/"and"/"for"
# inside organisation names ("Bank of England", "Lagos Institute of Public Health").
_CAP_RUN = re.compile(
    r"(?<![\w'’-])(?:[A-Z][\w'’.&-]*|[A-Z]{2,})(?:(?:\s+(?:(?:"
    + "|".join(NAME_PARTICLES)
    + r"|of|the|for|and|de|des|du|la|le)\s+)*|\s+)(?:[A-Z][\w'’.&-]*|\d+))*"
)
_QUOTED_TITLE = re.compile(r"[\"“‘']([A-Z][^\"”’'\n]{1,80}?)[\"”’'](?!\w)")
_ITALIC_TITLE = re.compile(r"(?<![\w*_])[*_]([A-Z][^*_\n]{1,80}?)[*_](?![\w*_])")
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_DATE = re.compile(
    rf"\b(?:{_WEEKDAY},?\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+\d{{4}})?|"
    rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|{_MONTH}\s+\d{{4}}|"
    rf"(?:early|mid|late)[- ]{_MONTH}|(?:in|since|by|until|from)\s+{_MONTH}|{_WEEKDAY}|"
    r"(?:19|20)\d\d-\d\d-\d\d|(?:in|since|by|until|from|of)\s+(?:19|20)\d\d|"
    r"(?:last|next|this)\s+(?:week|month|year|weekend|spring|summer|autumn|winter)|"
    r"(?:yesterday|today|tomorrow|tonight))\b"
)
_REASON = re.compile(
    r"\b(?:because|due to|owing to|as a result of|after|amid|following|in order to|so that|"
    r"caused by|blamed|attributed|citing|cited|over concerns?|in protest|to protest|to avoid|"
    r"to prevent|to protect|to reduce|to cut|to save|to meet|to allow|to ensure|so as to|"
    r"reason|led to|triggered|prompted|linked to|traced to|the cause)\b",
    re.IGNORECASE,
)
_WORK_LEAD = re.compile(
    r"(?:novel|book|film|movie|album|song|painting|paintings|play|opera|documentary|series|"
    r"exhibition|collection|poem|memoir|debut|mission|programme|program|titled|entitled|called)"
    r",?\s+$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Profile:
    """What one article tells about its names: words that are proper nouns there (capitalised
    mid-sentence, never lower-case), and names typed by a strong cue somewhere in it ("the
    ransomware gang Grey Lynx"), so a sentence that says just "Grey Lynx published ..." is
    still read right."""

    proper: frozenset[str] = frozenset()
    kinds: tuple[tuple[str, Kind], ...] = ()
    # Names no cue typed: the kind most of their mentions suggest ("in Pará" three times).
    guesses: tuple[tuple[str, str], ...] = ()

    def kind_of(self, name: str) -> Kind | None:
        for known, kind in self.kinds:
            if name == known or (kind == "person" and name == known.split()[-1]):
                return kind
        return None

    def guess_of(self, name: str) -> str | None:
        return next((kind for known, kind in self.guesses if known == name), None)


def profile(text: str) -> Profile:
    """Read an article once for `spans` (cheap: regexes over the text)."""
    cap: set[str] = set()
    low: set[str] = set()
    for w in re.findall(r"(?<=[a-z,;] )[A-Z][\w'’-]+|\b[a-z][\w'’-]+", text):
        (cap if w[0].isupper() else low).add(w.strip("'’"))
    proper = frozenset(w for w in cap if w.lower() not in low)
    kinds: dict[str, Kind] = {}
    votes: dict[str, Counter[str]] = {}
    for s, e in sentences(text):
        sent = text[s:e]
        for start, end, name in _runs(sent, proper):
            kind = _strong_kind(sent, start, end, name)
            if kind is not None:
                kinds.setdefault(name, kind)
            else:
                votes.setdefault(name, Counter())[_weak_kind(sent, start, end, name)] += 1
    guesses = tuple(
        (name, c.most_common(1)[0][0]) for name, c in votes.items() if name not in kinds
    )
    return Profile(proper, tuple(kinds.items()), guesses)


def spans(sentence: str, kind: Kind, prof: Profile | None = None) -> list[Span]:
    """The spans of `sentence` that could answer a question wanting `kind`."""
    prof = prof or Profile()
    if kind == "number":
        found = [
            Span(n.text, "number", n.start, n.end)
            for n in numbers_in(sentence)
            if not _is_year_or_date_part(sentence, n.start, n.end)
        ]
        # A result ("2-1") is two numbers the number reader splits; it counts as one.
        scores = [Span(m.group(0), "number", m.start(), m.end()) for m in _SCORE.finditer(sentence)]
        found = [n for n in found if not any(sc.start <= n.start < sc.end for sc in scores)]
        found += scores
        return found
    if kind == "date":
        return [Span(m.group(0), "date", m.start(), m.end()) for m in _DATE.finditer(sentence)]
    if kind == "reason":
        m = _REASON.search(sentence)
        if m is None:
            return []
        return [Span(sentence[m.start() :].rstrip(" ."), "reason", m.start(), len(sentence))]
    if kind == "work":
        return _works(sentence)
    out: list[Span] = []
    for start, end, text in _runs(sentence, prof.proper):
        found = _strong_kind(sentence, start, end, text) or prof.kind_of(text)
        found = found or prof.guess_of(text) or _weak_kind(sentence, start, end, text)
        if is_demonym(text):
            continue  # "English", "Belgian", "Russian-occupied": an adjective, not a name
        if (
            found == kind
            or (found == "the" and kind == "org")
            or (kind == "place" and found == "org" and _is_facility(text))
        ):
            out.append(Span(text, kind, start, end))
    return out


def _is_year_or_date_part(sentence: str, start: int, end: int) -> bool:
    """A year or a day of the month is a date, not a count ("on 4 June", "in 2025", "its
    pay offer for 2025")."""
    if re.fullmatch(r"(?:19|20)\d\d", sentence[start:end]) and _noun_after(sentence[end:]) is None:
        return True
    return any(m.start() <= start and end <= m.end() for m in _DATE.finditer(sentence))


_DEMONYM = re.compile(r"([A-Z][a-z]+?)(?:ish|ese|ian|ean|ic|i|an|n)(?:-[a-z]+)?")
_COUNTRY_STEMS = frozenset(c[:4] for c in COUNTRIES)


def is_demonym(word: str) -> bool:
    """ "European", "Russian", "Ukrainian", "English": an adjective from a place's name."""
    if word in _DEMONYMS:
        return True
    m = _DEMONYM.fullmatch(word)
    return bool(m) and word not in COUNTRIES and word[:4] in _COUNTRY_STEMS


_DEMONYMS = frozenset(
    word_list(
        "English British French Dutch Danish Swedish Finnish Polish Spanish Irish Welsh "
        "Scottish Turkish Greek Swiss Thai Czech Norwegian Icelandic Flemish"
    )
)
_ARTICLE_START = frozenset(word_list("The A An Le La Les Il El Der Die Das De"))


def _works(sentence: str) -> list[Span]:
    """Titles: quoted or italic, after a work noun ("the novel X"), after a possessive
    ("Moyo's A Map of Lesser Rivers"), or a capitalised run that starts with an article."""
    out = [
        Span(m.group(1).strip(" ,."), "work", m.start(1), m.end(1))
        for m in (*_QUOTED_TITLE.finditer(sentence), *_ITALIC_TITLE.finditer(sentence))
        if len(m.group(1).split()) <= 10
    ]
    for m in _TITLE_RUN.finditer(sentence):
        for start, text in _split_possessive(m.start(), m.group(0)):
            text, before, after = (
                text.rstrip(" ,."),
                sentence[:start],
                sentence[start + len(text) :],
            )
            lead = _WORK_LEAD.search(before) or re.search(r"\w['’]s\s+$", before)
            mid_article = bool(before.strip()) and text.split()[0] in _ARTICLE_START
            appositive = re.match(r",\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,3}?([a-z-]+)\b", after)
            named = appositive and _noun_kind(appositive.group(1), guess=False) == "work"
            if (lead or mid_article or named) and len(text.split()) >= 2:
                out.append(Span(text, "work", start, start + len(text)))
            elif not mid_article and (inner := re.search(r"\s(?:The|A|An)\s", text)):
                cut = inner.start() + 1  # "Sales of The Salt Ledger" -> "The Salt Ledger"
                out.append(Span(text[cut:], "work", start + cut, start + len(text)))
    return out


# A title: capitalised words, with the small words titles keep inside ("A Map of Lesser
# Rivers", "Le Pont de la Guillotière au crépuscule").
_TITLE_SMALL = r"(?:of|the|a|an|and|in|on|at|to|for|de|la|le|les|du|des|au|aux|et|von|der|di|del|y)"
_TITLE_RUN = re.compile(
    r"(?<![\w'’])[A-Z][\w'’-]*(?:(?:\s+" + _TITLE_SMALL + r")+\s+[A-Za-zÀ-ÿ][\w'’-]*"
    r"|\s+[A-Z][\w'’-]*){0,8}"
)


def _runs(sentence: str, proper: frozenset[str]) -> list[tuple[int, int, str]]:
    """Capitalised runs, split at possessives ("Kenya's Felix Rotich" -> Kenya, Felix
    Rotich), without a sentence-initial word that is no name and without leading titles."""
    out: list[tuple[int, int, str]] = []
    skip = _metadata_spans(sentence)
    for m in _CAP_RUN.finditer(sentence):
        if any(a <= m.start() < b for a, b in skip):
            continue
        for start, text in _split_possessive(m.start(), m.group(0)):
            text = text.rstrip(".'’,")
            ws = text.split()
            if not ws or ws[0][0].isdigit():
                continue
            at_start = not sentence[:start].strip(" \"'“‘(")
            if bare(ws[0]) in STOPWORDS or (at_start and ws[0] not in proper and len(ws) == 1):
                if len(ws) < 2:
                    continue
                start, text = _drop_first(start, text)
            start, text = _drop_titles(start, text)
            if text and not DATE_WORD.fullmatch(text.split()[0]):
                out.append((start, start + len(text), text))
    return out


# Weekdays and months are capitalised but name no one ("Friday", "March").
DATE_WORD = re.compile(rf"{_WEEKDAY}|{_MONTH}|Today|Tonight|Yesterday|Tomorrow")
# A wire dateline ("LYON, France, Jan 6 (Reuters) -") is where the story was filed, and
# quoted text ("The Salt Orchard") is a title: neither is a person, organisation or place
# that answers a question about the story.
_DATELINE = re.compile(
    r"^[\s\"“]*[A-Z][A-Z .'’-]{2,}(?:,[^,()\n–—-]{1,30}){0,3}(?:\([^)]*\))?\s*[-–—]"
)
_QUOTED = re.compile(r"[\"“][^\"”]{1,80}[\"”]")


def _metadata_spans(sentence: str) -> list[tuple[int, int]]:
    out = [(m.start(), m.end()) for m in _QUOTED.finditer(sentence) if m.end() - m.start() < 60]
    m = _DATELINE.match(sentence)
    if m:
        out.append((0, m.end()))
    return out


def _split_possessive(start: int, run: str) -> list[tuple[int, str]]:
    pieces: list[tuple[int, str]] = []
    for m in re.finditer(r"[^\s]+(?:\s+|$)", run):
        tok = m.group(0).rstrip()
        if not pieces or pieces[-1][1].endswith(("'s", "’s")):
            pieces.append((start + m.start(), tok))
        else:
            pieces[-1] = (pieces[-1][0], run[pieces[-1][0] - start : m.start() + len(tok)])
    return [(s, t[:-2] if t.endswith(("'s", "’s")) else t) for s, t in pieces if t]


def _drop_first(start: int, text: str) -> tuple[int, str]:
    rest = text.split(None, 1)[1]
    return start + len(text) - len(rest), rest


def _drop_titles(start: int, text: str) -> tuple[int, str]:
    """ "Health Minister Sofie Kjærgaard" -> "Sofie Kjærgaard": drop through the last title."""
    ws = text.split()
    last = max((i for i, w in enumerate(ws[:-1]) if _is_title(w)), default=-1)
    for _ in range(last + 1):
        start, text = _drop_first(start, text)
    while text.split() and text.split()[0] in ("of", "the", "for", "and") and " " in text:
        start, text = _drop_first(start, text)  # "President of the European Commission"
    return start, text


def _is_title(word: str) -> bool:
    return word in PERSON_TITLES or word.lower() in HEAD_NOUNS["person"]


def _is_facility(text: str) -> bool:
    return text.split()[-1] in FACILITIES


_SPEECH_BEFORE = re.compile(r"\b(?:said|says|told|according to|by)\s+$", re.IGNORECASE)


def _noun_before(before: str) -> Kind | None:
    """The kind of a common noun right before the name ("the campaign group Clean Freight
    Europe", "the company, Polarbyte,", "the province of Bingöl", "a gang calling itself
    Grey Lynx"), looking past "the", a comma, "of" and "called"."""
    m = re.search(
        r"([A-Za-z-]+)[\s,]*(?:(?:of|calling itself|calling themselves|called|named|known as)"
        r"\s+)?(?:the\s+)?$",
        before,
    )
    return _noun_kind(m.group(1).lower(), guess=False) if m else None


def _strong_kind(sentence: str, start: int, end: int, text: str) -> Kind | None:
    """A kind the sentence states outright: cue words, titles, appositive nouns."""
    ws = text.split()
    before, after = sentence[:start], sentence[end:]
    prev = re.findall(r"[A-Za-z]+", before[-25:])
    if (prev and prev[-1] in PERSON_TITLES) or _ROLE_BEFORE.search(before):
        return "person"
    if any(w in ORG_CUES for w in ws):
        return "org"
    if ws[0] in COUNTRIES or ws[-1] in PLACE_CUES or ws[0] in PLACE_CUES:
        return "place"
    noun = _noun_before(before)
    if noun in ("person", "org", "place"):
        return noun
    m = re.match(r",\s+(?:the|a|an|one of(?: the)?)\s+(?:[\w'’-]+\s+){0,3}?([a-z-]+)\b", after)
    if m and _noun_kind(m.group(1), guess=False) is not None:
        return _noun_kind(m.group(1), guess=False)  # "Erik Nygaard, the Halden partner"
    m = re.match(r"\s+([a-z]+)\b", after)
    if m and _noun_kind(m.group(1), guess=False) in ("place", "org"):
        return _noun_kind(m.group(1), guess=False)  # "Chile's Coquimbo region"
    m = _COPULA.match(after)
    if m and _noun_kind(m.group(1), guess=False) is not None:
        return _noun_kind(m.group(1), guess=False)  # "Pará was again the state with ..."
    return None


_COPULA = re.compile(
    r"\s+(?:is|was|are|were|remains|remained|became|becomes)\s+(?:again\s+|also\s+|still\s+)?"
    r"(?:the|a|an)\s+(?:[a-z-]+\s+){0,2}?([a-z-]+)\b(?=\s+(?:with|that|which|to|of|in|where|"
    r"behind|for)\b|[,.])"
)


def _weak_kind(sentence: str, start: int, end: int, text: str) -> Kind | Literal["the"]:
    """A guess from the shape and the words around the name."""
    ws = name_words(text)
    before, after = sentence[:start], sentence[end:]
    if len(ws) == 1 and ws[0].isupper() and len(ws[0]) > 1:
        return "org"  # an acronym
    if _PERSON_VERBS.match(after) or _SPEECH_BEFORE.search(before):
        return "person"
    prev = re.findall(r"[A-Za-z]+", before[-25:])
    if prev and prev[-1] == "the":
        return "the"  # "the Heimatliste", "the Golden Lion": an organisation, or a thing
    if prev and prev[-1].lower() in _PLACE_PREPOSITIONS:
        return "place"
    return "person" if len(ws) <= 3 else "org"


# --------------------------------------------------------------------------- units

_PEOPLE = frozenset(
    word_list(
        """people persons residents victims dead deaths killed injured wounded evacuees
        children adults patients workers fans spectators passengers casualties migrants
        refugees staff employees jobs members voters survivors students pupils households
        families homes cases infections"""
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
_PERCENT_AFTER = re.compile(r"^\s*(?:%|per ?cent\b|percent\b|percentage points?\b)", re.I)
_AGE = re.compile(r"^(?:-year-old|\s*years? old\b|,)")
_DURATION_AFTER = re.compile(
    r"^[\s-]*(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?)\b", re.I
)
_MODIFIERS = frozenset(word_list("more new other additional extra further fresh confirmed"))
_DISTANCE_AFTER = re.compile(
    r"^[\s-]*(?:kilometres?|kilometers?|km|metres?|meters?|m|miles?|feet|ft|centimetres?|cm)\b",
    re.IGNORECASE,
)


_SCORE = re.compile(r"(?<![\w-])\d{1,2}[-–]\d{1,2}(?![\w-])")


_MONEY_NOUNS = frozenset(
    word_list(
        "money cost price fine ransom salary wage value worth funding investment fee payment "
        "compensation bill spending revenue profit loss sum budget"
    )
)
_MONEY_VERBS = re.compile(
    r"\b(?:cost|costs|pay|paid|spend|spent|raise|raised|earn|earned|demand|demanded|charge|"
    r"charged|invest|invested|fined|worth|lend|lent|borrow|borrowed)\b"
)
_PERCENT_NOUNS = frozenset(word_list("percentage percent rate share proportion inflation"))
_TALLY_NOUNS = frozenset(word_list("tally result vote votes margin majority score scoreline"))


def asked_unit(question: str) -> str | None:
    """What a number answering `question` counts: "percent", "money", "age", "duration",
    "distance", "tally" (a vote or a match result), a noun ("satellites", or "truck-driver"),
    or None when the question does not say. Read from what the question asks for ("how many
    X", its head noun), not from any word in it: a question about a budget vote asks for a
    tally, not an amount of money."""
    q = question.lower()
    noun = asked_noun(question)
    if re.search(r"\bhow old\b|\bwhat age\b", q):
        return "age"
    if re.search(r"\bhow (?:far|high|deep|tall|wide)\b", q):
        return "distance"
    if re.search(r"\bhow long\b", q):
        return "duration"
    if noun in _TALLY_NOUNS:
        return "tally"
    if noun in _PERCENT_NOUNS or re.search(r"\bper ?cent\b|\bby how much\b", q):
        return "percent"
    m = re.search(r"\bhow many\s+((?:[a-z-]+\s+)?)([a-z-]+)", q)
    if m:
        first, last = m.group(1).strip(), m.group(2)
        if first in ("", *_MODIFIERS) or last in STOPWORDS or _is_verb(last):
            return last if first in ("", *_MODIFIERS) else first
        return f"{first} {last}"
    if noun in _MONEY_NOUNS or (re.search(r"\bhow much\b", q) and _MONEY_VERBS.search(q)):
        return "money"
    if re.search(r"\bhow much (?:money|cash)\b", q):
        return "money"
    m = re.search(r"\b(?:number|count|total) of ([a-z-]+)", q)
    if m:
        return m.group(1)
    if re.search(r"\btoll\b", q):
        return "people"
    return None


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
        return bool(_SCORE.fullmatch(span.text) or _VOTES_AFTER.match(after))
    if _SCORE.fullmatch(span.text):
        return False  # a result ("2-1") answers only a question about a result
    if unit == "money":
        return bool(_MONEY_BEFORE.search(before) or _MONEY_AFTER.match(after))
    if unit == "age":
        return bool(_AGE.match(after) or re.search(r"\baged\s*$", before))
    if unit == "duration":
        return bool(_DURATION_AFTER.match(after) or _DISTANCE_AFTER.match(after))
    if unit == "distance":
        return bool(_DISTANCE_AFTER.match(after))
    noun = _noun_after(after)
    if noun is None:
        return True
    parts = re.split(r"[\s-]+", unit)  # "truck drivers" counts drivers of trucks
    return any(noun[:5] == p[:5] for p in parts) or (noun in _PEOPLE and parts[-1] in _PEOPLE)


_VOTES_AFTER = re.compile(r"^\s*(?:votes?\s+)?(?:to|against|-)\s*\d", re.IGNORECASE)


def _noun_after(after: str) -> str | None:
    """The word right after a number, past modifiers ("41 more people" -> people, "72-hour"
    -> hour); None when a function word or punctuation follows (the number stands alone)."""
    m = re.match(r"-([A-Za-z]+)", after)
    if m:
        return m.group(1).lower()
    for w in re.findall(r"^\s*((?:[A-Za-z-]+\s+){0,2})", after)[0].split():
        lw = w.lower()
        if lw in _MODIFIERS:
            continue
        if lw in STOPWORDS or not lw.isalpha() or (lw not in _PEOPLE and _is_verb(lw)):
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
    tail = _PERCENT_AFTER.match(after) or _MONEY_AFTER.match(after)
    if tail is None and _noun_after(after) is not None:
        tail = re.match(r"\s*(?:(?:" + "|".join(_MODIFIERS) + r")\s+)?[A-Za-z-]+", after)
    if tail:
        end += tail.end()
    return sentence[start:end].strip()
