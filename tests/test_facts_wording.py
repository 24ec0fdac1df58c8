"""The fact check reads the same fact however the statement words it.

Each test gives a short article, a statement that words one of its facts another way ("turned
down" for "rejected", "by seven votes to two" for "7-2", "abstaining" for "abstentions"), and a
near miss that changes the fact itself.
"""

from __future__ import annotations

from qa.facts import Article, check, read_claim


def supported(statement: str, art: Article) -> bool:
    return check(read_claim(statement, art), art).supported


def test_turned_down_is_rejected() -> None:
    art = Article.read(
        "Train drivers at Pennine Crosslink will strike on three days this month after "
        "rejecting a pay offer worth 4.2% over two years, their union said on Wednesday.",
        "Drivers to strike",
    )
    assert supported("The drivers will strike after turning down a pay offer worth 4.2%.", art)
    assert not supported("The drivers will strike after accepting a pay offer worth 4.2%.", art)


def test_a_want_is_a_demand_not_a_deed() -> None:
    art = Article.read(
        "The SNTA union is demanding a 6% pay rise for 2025. Aerogestion has offered 2.5%, "
        "plus a one-off payment of 400 euros.",
        "Baggage handlers strike",
    )
    assert supported("The SNTA wants a 6% pay rise for 2025.", art)
    assert not supported("The SNTA won a 6% pay rise for 2025.", art)


def test_rather_than_does_not_assert_what_follows() -> None:
    art = Article.read(
        "The council will have to find the remaining 17 million pounds, which Chauhan said "
        "would come from borrowing rather than from cuts to bus subsidies.",
        "Tram costs rise",
    )
    assert supported("Chauhan said the 17 million pounds would come from borrowing.", art)
    assert not supported(
        "Chauhan said the 17 million pounds would come from cuts to bus subsidies.", art
    )


def test_what_is_not_said_is_what_follows_whether() -> None:
    art = Article.read(
        "Ransome would not say whether further money would be made available if costs rose "
        "again. The station is due to open in 2027.",
        "Station funding",
    )
    assert supported("Ransome would not say whether more money would be made available.", art)
    assert not supported("Ransome would not say whether the station would open in 2027.", art)


def test_a_tally_in_words_is_the_tally_in_figures() -> None:
    art = Article.read(
        "Cardiff cabinet votes to merge two Splott primaries\n\n"
        "Cardiff council's cabinet voted 7-2 on Thursday to merge two primary schools in the "
        "Splott area, despite a petition signed by more than 3,400 people. Under the plan, "
        "Rover Way Primary will close in July 2026 and its 180 pupils will move to St Cynan's "
        "Primary, about 0.8 miles away.",
        "Cardiff cabinet votes to merge two Splott primaries",
    )
    said = "The cabinet approved the merger of Rover Way Primary and St Cynan's Primary by {}."
    assert supported(said.format("seven votes to two"), art)
    assert not supported(said.format("seven votes to three"), art)


def test_abstaining_councillors_are_abstentions() -> None:
    art = Article.read(
        "Councillors backed the workplace parking levy by 39 votes to 27, with four "
        "abstentions, at a meeting at City Hall on Tuesday.",
        "Parking levy approved",
    )
    assert supported("The levy was approved with four councillors abstaining.", art)
    assert not supported("The levy was approved with five councillors abstaining.", art)
