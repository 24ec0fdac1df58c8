"""Answer kinds and typed spans: what a question asks for, and which words of a sentence could
be that answer. Examples are written like the newsroom suite's articles, not taken from it."""

from __future__ import annotations

import pytest

from qa.entities import Span, answer_kind, full_span, profile, spans
from qa.text import full_name, name_in, numbers_in, same_number


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Which striker scored the late winner against Harrowby?", "person"),
        ("Who chairs the transport committee?", "person"),
        ("Which union official spoke for the ferry crews?", "person"),
        ("Which University of Nairobi economist criticised the plans?", "person"),
        ("In which city were the talks held?", "place"),
        ("From which river was the victim recovered?", "place"),
        ("Where did the dam give way?", "place"),
        ("When will the higher fares apply?", "date"),
        ("To which date was the vote moved?", "date"),
        ("How many people were evacuated?", "number"),
        ("What was the final vote tally?", "number"),
        # A participle before the head noun modifies it; after the noun it is the verb.
        ("What is the most recent confirmed number of deaths from the quake?", "number"),
        ("Which shortlisted book did bookmakers make the favourite?", "work"),
        ("Which investor led the Series B round?", "person"),
        ("What were the stolen paintings estimated to be worth?", "number"),
        ("Which ransomware gang claimed the attack?", "org"),
        ("Which novel won the prize?", "work"),
        ("Why did the minister refuse to pay?", "reason"),
        ("What made the children ill?", "reason"),
        ("What did the minister say about the budget?", None),
        ("What pay rise are the crew members getting?", "number"),
        # The phrase's noun ends at its preposition: no place is asked for here.
        ("What is the latest development in the dam case?", None),
        ("Which of the paintings have been recovered?", "work"),
        # "By what route" asks the way in, which need not be a place ("through a skylight").
        ("By what route did the intruders enter the museum?", None),
        ("On which route were sailings cancelled?", "place"),
    ],
)
def test_answer_kind_reads_the_question_word_and_its_noun(question: str, kind: str) -> None:
    assert answer_kind(question) == kind


ARTICLE = (
    "The ransomware gang Grey Lynx said it had taken patient files. Grey Lynx published data "
    "on its leak site on Monday. Health Minister Sofie Berg said Denmark would not pay. "
    "Tom Okafor scored in the 89th minute. Okafor then fired in a second goal from 18 yards. "
    "The novel A Map of Lesser Rivers was the favourite. Rescuers pulled a woman from the "
    "River Ceira in Coimbra."
)


def kinds_in(sentence: str, kind: str) -> list[str]:
    return [s.text for s in spans(sentence, kind, profile(ARTICLE))]  # type: ignore[arg-type]


def test_names_are_typed_by_cues_in_the_sentence_or_elsewhere_in_the_article() -> None:
    assert kinds_in("Grey Lynx published data on its leak site on Monday.", "org") == ["Grey Lynx"]
    assert kinds_in("Health Minister Sofie Berg said Denmark would not pay.", "person") == [
        "Sofie Berg"
    ]
    # A sentence that opens with a surname still yields it (the article uses it as a name).
    assert "Okafor" in kinds_in("Okafor then fired in a second goal from 18 yards.", "person")
    assert "River Ceira" in kinds_in("Rescuers pulled a woman from the River Ceira.", "place")
    assert kinds_in("The novel A Map of Lesser Rivers was the favourite.", "work") == [
        "A Map of Lesser Rivers"
    ]


def test_names_in_any_latin_alphabet_are_read_whole() -> None:
    """An ASCII-only word rule read "Plzeň" as "Plze" and "Dr. Radek Šimánek" as "Radek"."""
    from qa.text import words

    assert words("Radek Šimánek in Plzeň, Bingöl's U.S. co-op") == [
        "Radek", "Šimánek", "in", "Plzeň", "Bingöl's", "U.S.", "co-op"
    ]  # fmt: skip
    said = "The head of the office, Dr. Radek Šimánek, said tests were due."
    assert any(k.endswith("Radek Šimánek") for k in kinds_in(said, "person"))
    assert kinds_in("Schools in Plzeň were closed on Monday.", "place") == ["Plzeň"]
    assert kinds_in("Rescuers pulled a woman from the River Łaba.", "place") == ["River Łaba"]


def test_a_score_is_no_part_of_a_name_but_a_number_may_end_one() -> None:
    """ "Wexley Rovers 3-0" was read as the club "Wexley Rovers 3", the short answer too."""
    won = "FC Aldervale swept past Wexley Rovers 3-0 at Millbrook Park on Saturday."
    assert kinds_in(won, "org") == ["FC Aldervale", "Wexley Rovers"]
    said = "Executives at the broadcaster Channel 4 said on Tuesday that it would cut jobs."
    assert kinds_in(said, "org") == ["Channel 4"]


def test_numbers_and_dates_are_not_confused() -> None:
    sentence = "On 4 June 2025 at least thirty-five people died, up from 12."
    assert kinds_in(sentence, "number") == ["thirty-five", "12"]
    assert kinds_in(sentence, "date") == ["On 4 June 2025"] or kinds_in(sentence, "date") == [
        "4 June 2025"
    ]


def test_one_of_picks_one_out_of_many_and_counts_nothing() -> None:
    sentence = "Statkraft, one of Norway's largest utilities, hired one engineer."
    assert [n.text for n in numbers_in(sentence)] == ["one"]  # the engineer, not "one of"
    assert kinds_in("Two of the ships sank.", "number") == ["Two"]  # "two of" still counts


def test_an_area_reads_with_both_words_of_its_unit() -> None:
    sentence = "Clearing in the Legal Amazon reached 5,310 square kilometres for the year."
    at = sentence.index("5,310")
    span = Span("5,310", "number", at, at + len("5,310"))
    assert full_span(span, sentence) == "5,310 square kilometres"
    assert full_span(Span("12", "number", 0, 2), "12 cubic metres of gas") == "12 cubic metres"


def test_number_values_and_name_matching() -> None:
    assert [n.value for n in numbers_in("€14m, 1.2 million and a dozen")] == [14e6, 1.2e6, 12]
    assert same_number(1.2e6, 1_200_000) and not same_number(13, 14)
    assert name_in("Tom Okafor", "Okafor then fired in") and not name_in("Tom Okafor", "Okafors")
    assert name_in("Financial Times", "she told the FT")
    assert full_name("Okafor", ARTICLE) == "Tom Okafor"
    assert full_name("Berg", ARTICLE) == "Sofie Berg"


def test_plurals_in_ies_stem_like_their_singular_and_adjectives_of_place_are_mentions() -> None:
    from qa.evidence import missing_names
    from qa.text import stem

    assert stem("ferries") == stem("ferry") and stem("companies") == stem("company")
    # Four-letter plurals too ("job cuts" are "cut ... jobs"), but not words that only end in s.
    assert stem("jobs") == stem("job") and stem("cuts") == stem("cut")
    assert stem("news") != stem("new") and stem("this") == "this" and stem("plus") == "plus"
    # A possessive is the name's: "UK's" is "uk" (not a four-letter plural, "uk'").
    assert (
        stem("UK's") == stem("UK")
        and stem("EU’s") == "eu"
        and stem("Tidewell's") == stem("Tidewell")
    )
    # A country is mentioned by its adjective, a demonym by its country, a region by nothing.
    assert missing_names("Why was India's launch called off?", {"a": "the Indian agency"}) == []
    assert missing_names("Who hacked the Danish hospitals?", {"a": "hospitals in Denmark"}) == []
    assert missing_names("Who hacked the Danish hospitals?", {"a": "in Sweden"}) == ["Danish"]
    assert missing_names("Which South American minister spoke?", {"a": "Brazil's minister"}) == []
    # A possessive joins two names, and each must be mentioned: Turkey does not mention Rize.
    quake = {"a": "A quake in western Turkey killed 23 people in Denizli."}
    assert missing_names("How many died in the floods in Turkey's Rize province?", quake) == [
        "Rize"
    ]
    # A word naming a kind of place or body is not the name: Ondo State is not Kebbi State.
    # A US state by the abbreviation an AP dateline gives it.
    dateline = {"a": "WINSTON-SALEM, N.C. (AW) — A tornado tore through the city."}
    assert missing_names("How many died in the North Carolina tornado?", dateline) == []
    assert missing_names("How many died in the South Carolina tornado?", dateline) == [
        "South Carolina"
    ]
    lassa = {"a": "Lassa fever has killed 31 people in Ondo State, the NCDC said."}
    assert missing_names("How many cases has Kebbi State recorded?", lassa) == ["Kebbi State"]
    assert missing_names("How many cases has Ondo State recorded?", lassa) == []
    assert missing_names("What did the Bank of England do?", {"a": "the Bank of Japan"}) == [
        "England"
    ]
