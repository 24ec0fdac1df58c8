"""What a question asks about its names, beyond the kind of answer: the relation (born, died,
profit, acquired ...), who is speaking ("Who told the FT ..."), and whose attribute a number or
date is ("How old is Breznik?").

A sentence can hold a span of the asked-for kind and name the question's entity and still not
answer: "Aagaard, who died in 1932" holds a date but no birth; "Bernhof made a net profit of
310 million francs" holds an amount of money, but Bernhof's, not Lysen's; "at the invitation of
President Emmanuel Macron, the FT reported, citing three diplomats" names a person, but the
FT's sources are the diplomats. qa.answer_types asks these questions of each span.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from qa.lexicon import HEAD_NOUNS, RELATIONS, SPEECH_VERBS, Kind, Span
from qa.text import (
    NAME_PARTICLES,
    STOPWORDS,
    bare,
    denies,
    fold,
    name_in,
    same_verb,
    word_list,
    word_starts,
    words,
)


def asked_relations(question: str) -> list[str]:
    """The relations the question asks about, by the RELATIONS lexicon: "How much profit did
    Lysen make?" -> ["profit"]. Words of its names do not count ("Sales Director Kim")."""
    # What it is for ("a bond ... to fund the purchase") is not what is asked.
    main, *rest = _SUBORDINATE.split(_PURPOSE.sub("", question), maxsplit=1)
    asked = _relations_in(main)
    # What follows "after", "when" ... says when, not what is asked: "How many were still
    # missing after the body was found?" asks about the missing. Without a relation of its
    # own, the main clause leaves the clause's as context ("Who owned it before the
    # foundation acquired it?" is about a sale).
    return asked or (_relations_in(rest[0]) if rest else [])


# A clause that dates what is asked by an earlier event: "still missing after the body was
# found", "since the merger was approved".
_ANCHOR = re.compile(r"(?<=\S)\s+(?:after|since|following)\s+(?:the|a|an|his|her|its|their)\s")


def anchor_relations(question: str) -> list[str]:
    """The relations of the event a question dates itself by ("How many were still missing
    after the body was found?" -> ["recovered"]): an article that does not report that
    event was written before it, so its figures answer an earlier question."""
    _, *rest = _ANCHOR.split(question, maxsplit=1)
    return _relations_in(rest[0]) if rest else []


def _relations_in(clause: str) -> list[str]:
    ws = words(clause)
    # A relation the question denies is not asked: "which painting had still not been found".
    kept = [
        bare(w)
        for i, w in enumerate(ws)
        if not _is_name_word(w, clause)
        and not any(denies(x) or bare(x) == "yet" for x in ws[max(0, i - 3) : i])
        # "a pay rise", "the pay deal" (a noun's modifier), "pay off" (succeed): no price.
        and not (bare(w) == "pay" and i + 1 < len(ws) and bare(ws[i + 1]) not in _AFTER_PAY)
    ]
    return [name for name, forms in RELATIONS.items() if any(w in forms for w in kept)]


_AFTER_PAY = frozenset(word_list("for to the a an its their his her them him it out back"))
_PURPOSE = re.compile(
    r"\s+(?:in order\s+)?to\s+(?!be\b|the\b|a\b|an\b)[a-z]+\s+(?:the|a|an|its|their|his|her)\b.*$"
)
_SUBORDINATE = re.compile(
    r"(?<=\S)\s+(?:after|before|when|since|while|following|until|once|because)\s", re.I
)


def _is_name_word(word: str, question: str) -> bool:
    return word[:1].isupper() and not question.lstrip().startswith(word)


def relation_positions(relations: Iterable[str], sentence: str) -> list[int] | None:
    """Where the sentence states each asked relation (offsets of its words), or None when it
    leaves one out: the sentence does not answer what was asked."""
    found: list[int] = []
    for rel in relations:
        forms = RELATIONS[rel]
        at = [i for i, w in word_starts(sentence) if bare(w) in forms]
        if not at:
            return None
        found += at
    return found


# "Who told the FT about the plans?", "Who said the vote would be held?": who spoke.
_SPEECH_QUESTION = re.compile(
    r"^\W*who\s+(?:(?:first|publicly|later|then|also)\s+)?(" + "|".join(SPEECH_VERBS) + r")\b",
    re.IGNORECASE,
)


def asks_speaker(question: str) -> bool:
    """Does the question ask who said or told something (the speaker or the source)?"""
    return bool(_SPEECH_QUESTION.match(question))


_SPEECH = "|".join(sorted(SPEECH_VERBS | {"added", "argued", "insisted", "wrote", "citing"}))
# The speaker after the verb: "said Sigrid Hauge", "told reporters operations leader X".
_SPEAKER_BEFORE = re.compile(
    r"(?:\b(?:" + _SPEECH + r")|\baccording to|\bciting)\s+(?:[a-z-]+\s+){0,4}$", re.IGNORECASE
)
# The speaker before the verb: "X told", "X, chief executive of Y, said", "X (the MEP) said".
_SPEAKER_AFTER = re.compile(
    r"^(?:['’]s\s+[a-z]+\s+)?(?:,[^,.;]{1,80},|\s*\([^)]{1,60}\)|,)?\s+(?:had\s+|has\s+|also\s+)?"
    r"(?:" + _SPEECH + r")\b",
    re.IGNORECASE,
)


def in_speaker_position(sentence: str, sp: Span) -> bool:
    """Is the span who speaks in the sentence: the subject of a speech verb or the source
    after "said", "according to" or "citing"? (Not merely someone the quote mentions.)"""
    before, after = sentence[: sp.start], sentence[sp.end :]
    return bool(_SPEAKER_BEFORE.search(before) or _SPEAKER_AFTER.match(after))


_SOURCE_NOUNS = "|".join(
    sorted(
        {
            "people",
            "sources",
            "source",
            "officials",
            "official",
            "diplomats",
            "diplomat",
            "executives",
            "insiders",
            "lawmakers",
            "aides",
            "analysts",
            "bankers",
            "investors",
            "negotiators",
            "persons",
        }
    )
)
_SOURCE = re.compile(
    r"\b(?:citing|according to)\s+((?:(?:two|three|four|five|six|several|some|many|a|an|"
    r"\d+|unnamed|anonymous|senior|government|company|people|western|european|eu|us|u\.s\.)\s+)*"
    r"(?:" + _SOURCE_NOUNS + r")\b(?:\s+(?:familiar with|briefed on|close to|with knowledge of|"
    r"involved in|aware of)(?:\s+(?:the|its|their|his|her)?\s*[a-z-]+){1,2})?)",
    re.IGNORECASE,
)


def source_spans(sentence: str) -> list[Span]:
    """Unnamed sources a report cites ("citing three diplomats briefed on the plans"): they
    are who told the newspaper, though no name is given."""
    return [Span(m.group(1), "person", m.start(1), m.end(1)) for m in _SOURCE.finditer(sentence)]


# Attributes a number or a date states of one owner: the asked entity's, not its neighbour's.
OWNED_RELATIONS = frozenset({"born", "died", "profit", "revenue", "loss", "salary"})


def owner_is_asked(sp: Span, owners: list[tuple[int, int, str]], asked: list[str]) -> bool:
    """Is the name nearest the span one the question asks about? "The 23-year-old Korsholm
    ... ahead of Breznik" gives Korsholm's age, not Breznik's; "Bernhof made a net profit of
    310 million francs" is Bernhof's, not Lysen's. `owners` are the sentence's names that can
    own the attribute (start, end, text); with none, the sentence may still refer back to the
    asked one ("The 24-year-old pulled up ...")."""
    others = [o for o in owners if not (o[0] >= sp.start and o[1] <= sp.end)]
    if not others or not asked:
        return True
    nearest = min(others, key=lambda o: max(0, o[0] - sp.end, sp.start - o[1]))
    owner = fold(nearest[2])
    return any(name_in(a, owner) or name_in(owner, a) for a in asked)


@dataclass(frozen=True)
class AskedObject:
    """ "Whom did Peskov accuse of hindering the talks?": the answer is what the verb acts
    on, in a sentence whose subject is the question's: subject "Peskov", verb "accuse", and
    the words after the verb ("of hindering ..."), which mark where the object ends."""

    subject: str
    verb: str
    after: tuple[str, ...]


_OBJECT_WH = frozenset({"who", "whom", "what"})
_DID = frozenset({"did", "does", "do"})
_NAME_LINKS = NAME_PARTICLES | {"of"}  # "Bank of England", "Ursula von der Leyen"
_ROLES = HEAD_NOUNS["person"] | HEAD_NOUNS["org"]  # "Kremlin spokesman Peskov"


def asked_object(question: str) -> AskedObject | None:
    """The subject and verb of a "whom/who/what did <Name> <verb> ...?" question, or None
    when it has another shape (the subject must be a name: a capitalised run, after any
    role words: "Kremlin spokesman Peskov" -> "Peskov")."""
    ws = words(question)
    if len(ws) < 4 or bare(ws[0]) not in _OBJECT_WH or bare(ws[1]) not in _DID:
        return None
    # The subject runs to the verb; a lower-case role before the name is not part of it.
    i = first = 3 if bare(ws[2]) == "the" else 2
    while i < len(ws) and (ws[i][:1].isupper() or bare(ws[i]) in _NAME_LINKS | _ROLES):
        first = i + 1 if ws[i].islower() and ws[i] in _ROLES else first
        i += 1
    if first >= i or i >= len(ws) or bare(ws[i]) in STOPWORDS:
        return None
    subject = " ".join(ws[first:i]).removesuffix("'s")
    return AskedObject(subject, bare(ws[i]), tuple(bare(w) for w in ws[i + 1 :]))


_QUOTES = '"“”'


def states_verb(sentence: str, obj: AskedObject) -> list[tuple[int, int]]:
    """Where the sentence uses the asked verb (start, end of each form of it)."""
    return [(i, i + len(w)) for i, w in word_starts(sentence) if same_verb(obj.verb, w)]


def object_span(sentence: str, obj: AskedObject, kind: Kind) -> Span | None:
    """The object of the asked verb where the sentence's subject of it is the question's:
    "Kremlin spokesman Dmitry Peskov accused the "European party of war" of hindering ..."
    -> 'the "European party of war"'. None when another subject does it ("Zakharova accused
    the EU ...") or the object is only what the question already says."""
    for start, end in states_verb(sentence, obj):
        if not _subject_is(sentence[:start], obj.subject):
            continue
        # A particle both share belongs to the verb ("called on European nations to be").
        k, after = 0, obj.after
        for i, w in word_starts(sentence[end:]):
            if k >= len(after) or bare(w) != after[k] or after[k] not in STOPWORDS:
                break
            k, end = k + 1, end + i + len(w)
        # Where the question's words after the verb resume, else (paraphrased) a boundary.
        want = after[k : k + 2]
        stop = _object_end(sentence, end, want) or _object_end(sentence, end, ())
        text = sentence[end:stop].strip(" ,")
        content = [w for w in words(text) if bare(w) not in STOPWORDS]
        if not content or len(words(text)) > 12 or all(bare(w) in after for w in content):
            continue
        at = sentence.index(text, end)
        return Span(text, kind, at, at + len(text))
    return None


def _subject_is(before: str, subject: str) -> bool:
    """Does the question's subject name end the text before the verb (within its last four
    words, past an aside in commas: "Peskov, who spoke in Moscow, accused")?"""
    head, sep, aside = before.rstrip().removesuffix(",").rpartition(",")
    if before.rstrip().endswith(",") and sep and len(words(aside)) <= 12:
        before = head
    window = " ".join(words(before)[-4:])
    return bool(window) and name_in(fold(subject), fold(window))


def _object_end(sentence: str, start: int, want: tuple[str, ...]) -> int | None:
    """Where the object ends: where the question's own words after the verb resume in the
    sentence ("... of hindering"; None if they do not); without them, at the first function
    word or comma after its first content word ("the EU of ...", "Brussels, ...") or the
    sentence's end; never inside a quotation."""
    toks = [(i, w) for i, w in word_starts(sentence) if i >= start]
    content = False
    for j, (i, w) in enumerate(toks):
        if sum(sentence[start:i].count(q) for q in _QUOTES) % 2:
            content = True
            continue  # inside a quotation: the object's own words
        if want and tuple(bare(t) for _, t in toks[j : j + len(want)]) == want:
            return i
        gap = sentence[toks[j - 1][0] + len(toks[j - 1][1]) : i] if j else ""
        if not want and content and (bare(w) in STOPWORDS or any(ch in ",;:" for ch in gap)):
            return i - len(gap) if any(ch in ",;:" for ch in gap) else i
        content = content or bare(w) not in STOPWORDS
    if want:
        return None
    end = len(sentence.rstrip())
    while end > start and sentence[end - 1] in ".!?":
        end -= 1
    return end
