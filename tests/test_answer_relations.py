"""Answers bound to what the question asks about its names: the relation (born, profit,
acquired), the speaker of "who told ...", whose age or profit a figure is, a money unit for
"how much profit", and people typed by evidence rather than by a capital letter.

One test per rule, each on a small corpus written here in wire style (not the newsroom
suite's), through the real engine: Chroma, the packaged embedder, the extractive answerer.
"""

from __future__ import annotations

import pytest

from qa.entities import asked_unit, profile, spans
from qa.relations import asked_object
from tests.test_answers import check_citations
from tests.test_short_answers import feed_kb

ARTICLES = [
    {
        "id": "auction",
        "title": "Record price for painter Hedda Lind at Stockholm sale",
        "published_at": "2025-05-14",
        "source": "Arts Wire",
        "text": (
            "A lake scene by the Swedish painter Hedda Lind sold for 2.1 million kronor at "
            "the Nordhall auction house in Stockholm on Tuesday, a record for the artist.\n\n"
            "Lind, who died in 1941, painted the view from her summer house in Dalarna in "
            "1912.\n\n"
            "The painting was bought by a private museum in Gothenburg, the auction house said."
        ),
    },
    {
        "id": "deal",
        "title": "Ostra Foods in talks to buy Danish bakery chain Brodhus",
        "published_at": "2025-03-03",
        "source": "Markets Wire",
        "text": (
            "Ostra Foods is in advanced talks to buy the Danish bakery chain Brodhus for about "
            "900 million kroner, the Financial Times reported on Monday, citing two people "
            "familiar with the matter.\n\n"
            "Ostra made a net profit of 120 million euros last year on sales of 1.4 billion "
            "euros, chief executive Lena Holm said in February.\n\n"
            "Brodhus, which runs 140 bakeries, reported revenue of 61 million euros for "
            "2024.\n\n"
            "Holm told reporters in Aarhus that the company wanted to grow in Scandinavia."
        ),
    },
    {
        "id": "race",
        "title": "Vesterby wins stage at Tour of Norway",
        "published_at": "2025-05-30",
        "source": "Sports Wire",
        "text": (
            "The 22-year-old Vesterby, riding for the Danish team Fjordline Cycling, crossed "
            "the line 9 seconds ahead of Arne Solheim in Lillehammer on Friday, while Solheim "
            "kept the overall lead.\n\n"
            "Mikkel Vesterby said he had targeted the stage since the winter.\n\n"
            "The Interior said the road through the town would reopen on Saturday."
        ),
    },
    {
        "id": "grid",
        "title": "Baltic grid link stalls as ministers trade blame",
        "published_at": "2025-06-11",
        "source": "Energy Wire",
        "text": (
            "Speaking to reporters in Vilnius on Tuesday, Lithuanian energy minister Rasa "
            'Kalnis accused the "northern cartel" of blocking the grid link with Poland.\n\n'
            "The link was due to open in 2027, the ministry said."
        ),
    },
]


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    kb = feed_kb(tmp_path_factory.mktemp("relations"), ARTICLES)
    yield kb
    kb.close()


def test_the_answer_sentence_must_state_the_asked_relation(kb) -> None:  # type: ignore[no-untyped-def]
    # The article gives her death year, not her birth year: a date is no answer to "born".
    assert kb.ask("When was Hedda Lind born?").refused
    ans = kb.ask("When did Hedda Lind die?")
    assert not ans.refused and ans.text.startswith("1941 [1]."), ans.text
    check_citations(kb, ans)


def test_revenue_is_no_answer_to_a_question_about_profit(kb) -> None:  # type: ignore[no-untyped-def]
    # Brodhus's revenue is given, its profit is not; Ostra's profit is Ostra's.
    assert kb.ask("How much profit did Brodhus make in 2024?").refused
    ans = kb.ask("How much profit did Ostra Foods make last year?")
    assert not ans.refused and ans.text.startswith("120 million euros [1]."), ans.text


def test_how_much_profit_wants_an_amount_of_money() -> None:
    assert asked_unit("How much profit did the airline make?") == "money"
    assert asked_unit("How much did the painting fetch at auction?") == "money"
    assert asked_unit("How much rain fell overnight?") == "rainfall"  # a depth, not money
    # What the estimate is of says the unit; a speed is a number of miles or kilometres an hour.
    assert asked_unit("What damage estimate did officials give?") == "money"
    assert asked_unit("How fast were the tornado's winds?") == "speed"
    # An amount of money counts no people, whatever follows it.
    from qa.entities import Span
    from qa.units import fits_unit

    q, s = "How many people does Môr Gwynt employ?", "Tidewell will pay €1.05bn for Môr Gwynt."
    assert not fits_unit(q, s, Span("1.05bn", "number", s.index("1.05"), s.index("bn") + 2))
    wind = "How fast were the winds?"
    s3 = "It killed five people; winds reached 140 mph."
    assert not fits_unit(wind, s3, Span("five", "number", s3.index("five"), s3.index("five") + 4))
    assert fits_unit(wind, s3, Span("140", "number", s3.index("140"), s3.index("140") + 3))
    s2 = "Môr Gwynt employs 120 people in Cardiff."
    assert fits_unit(q, s2, Span("120", "number", s2.index("120"), s2.index("120") + 3))


def test_the_relation_asked_is_the_main_clause_s_and_never_a_denied_one() -> None:
    from qa.relations import asked_relations

    # "after the body was found" says when; what is asked is who is missing.
    assert asked_relations("How many were still missing after the body was found?") == ["missing"]
    # Without a relation of its own, the main clause keeps the other clause's as context.
    assert asked_relations("Who owned the painting before the museum acquired it?") == ["traded"]
    # A relation the question denies is not asked of the answer's sentence.
    assert asked_relations("Which painting has not been recovered?") == []
    assert asked_relations("Which painting hasn't been found?") == []
    assert asked_relations("Which paintings were recovered?") == ["recovered"]
    # What something is for says why, not what is asked; "pay" is a price only as a verb.
    assert asked_relations("How large a bond is Tidewell issuing to fund the purchase?") == []
    assert asked_relations("How much is Tidewell paying for Môr Gwynt?") == ["cost"]
    assert asked_relations("How much did Tidewell pay for it?") == ["cost"]
    assert asked_relations("What pay rise are the crews getting?") == []


def test_short_statements_are_quotable_and_credits_are_not() -> None:
    from qa.answer_types import quotable

    assert quotable("Two people remain missing.")
    assert quotable("The cabinet has 14 ministers.")
    assert not quotable("All rights reserved.")
    assert not quotable("Reporting by Anna Berg.")
    assert not quotable("Read more: the full story.")


def test_an_age_is_the_age_of_the_name_nearest_it(kb) -> None:  # type: ignore[no-untyped-def]
    # "The 22-year-old Vesterby ... ahead of Arne Solheim": Vesterby's age, not Solheim's.
    assert kb.ask("How old is Arne Solheim?").refused
    ans = kb.ask("How old is Mikkel Vesterby?")
    assert not ans.refused and ans.text.startswith("22"), ans.text


def test_who_told_a_newspaper_is_the_speaker_or_the_cited_source(kb) -> None:  # type: ignore[no-untyped-def]
    ans = kb.ask("Who told the Financial Times about the talks to buy Brodhus?")
    assert not ans.refused, ans.text
    assert ans.text.startswith("two people familiar with the matter [1]."), ans.text
    ans = kb.ask("Who told reporters in Aarhus that the company wanted to grow?")
    assert ans.text.startswith("Lena Holm [1]."), ans.text


def test_a_capitalised_word_alone_is_not_a_person() -> None:
    article = " ".join(a["text"] for a in ARTICLES if a["id"] == "race")
    prof = profile(article)
    found = [s.text for s in spans("The Interior said the road would reopen.", "person", prof)]
    assert "Interior" not in found
    # A surname alone is still a person when the article gives the full name.
    found = [s.text for s in spans("Vesterby attacked on the last climb.", "person", prof)]
    assert found == ["Vesterby"]


def test_whom_did_x_accuse_is_answered_by_the_object_of_the_verb(kb) -> None:  # type: ignore[no-untyped-def]
    # The answer is what Kalnis accused, though it is no person: the words of the question
    # after the verb ("of blocking") mark where the object ends, and a quotation stays whole.
    ans = kb.ask("Whom did Kalnis accuse of blocking the grid link with Poland?")
    assert not ans.refused, ans.text
    assert ans.text.startswith('the "northern cartel" [1].'), ans.text
    check_citations(kb, ans)
    # Without words after the verb the object ends at the first function word.
    ans = kb.ask("Who did Rasa Kalnis accuse?")
    assert ans.text.startswith('the "northern cartel" [1].'), ans.text


def test_an_object_answers_only_when_the_question_s_subject_does_the_verb(kb) -> None:  # type: ignore[no-untyped-def]
    # Poland is in the sentence, but Kalnis does the accusing: nothing says whom Poland
    # accused, so the answer is a refusal, not the cartel and not Kalnis.
    ans = kb.ask("Whom did Poland accuse of blocking the grid link?")
    assert ans.refused, ans.text


def test_the_object_question_shape() -> None:
    # The subject is the name; role words before it are not ("spokesman" is no verb).
    obj = asked_object("Whom did Kremlin spokesman Peskov accuse of hindering the talks?")
    assert obj is not None and (obj.subject, obj.verb) == ("Peskov", "accuse")
    assert obj.after[:2] == ("of", "hindering")
    assert asked_object("Who accused the party of war?") is None  # asks for the subject
