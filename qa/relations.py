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

from qa.lexicon import RELATIONS, SPEECH_VERBS, Span
from qa.text import bare, fold, name_in, word_starts, words


def asked_relations(question: str) -> list[str]:
    """The relations the question asks about, by the RELATIONS lexicon: "How much profit did
    Lysen make?" -> ["profit"]. Words of its names do not count ("Sales Director Kim")."""
    ws = [bare(w) for w in words(question) if not _is_name_word(w, question)]
    return [name for name, forms in RELATIONS.items() if any(w in forms for w in ws)]


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
