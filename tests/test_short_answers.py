"""Extractive answers that lead with the short answer, and refuse when the asked-for kind of
fact is not in the articles. The corpus is written here, in the style of real wire copy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_answers import check_citations

ARTICLES = [
    {
        "id": "match",
        "title": "Aldervale edge Harrowby with late strike",
        "published_at": "2025-02-22",
        "source": "Sports Desk",
        "text": (
            "FC Aldervale came from behind to beat Harrowby Town 2-1 at Millbrook Park on "
            "Saturday, with striker Tom Okafor settling the match in the closing minutes.\n\n"
            "Harrowby had led through Dean Castell's header in the 34th minute.\n\n"
            "Okafor then fired a low shot into the far corner in the 89th minute, his 15th "
            "league goal of the season.\n\n"
            "A crowd of 17,842 watched the match, the biggest of the season.\n\n"
            "Read more: Aldervale manager Callum Reid signs new contract\n\n"
            "So where does that leave the promotion race?\n\n"
            "Aldervale are now third in the table, two points off the automatic places."
        ),
    },
    {
        "id": "budget",
        "title": "German budget vote postponed",
        "published_at": "2025-06-04",
        "source": "Berlin Wire",
        "text": (
            "Germany's finance minister Marta Kessler postponed Thursday's Bundestag vote on "
            "the 2026 budget after her coalition partners objected to cuts in housing "
            "subsidies.\n\n"
            "Kessler said the vote would now take place on June 26, and that the government "
            "remained confident of a majority.\n\n"
            "The ferry operator NorthLink Isles, which faces a 72-hour strike in Scotland, was "
            "cited by opposition MPs as an example of underinvestment."
        ),
    },
]


def feed_kb(root: Path, articles: list[dict]):  # type: ignore[no-untyped-def]
    """A KnowledgeBase over `articles`, ingested from one JSONL feed under `root`."""
    from qa import KnowledgeBase

    feed = root / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(a) for a in articles) + "\n")
    kb = KnowledgeBase(Path(root) / "index")
    kb.ingest([feed])
    return kb


@pytest.fixture(scope="module")
def news_kb(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    kb = feed_kb(tmp_path_factory.mktemp("short"), ARTICLES)
    yield kb
    kb.close()


def test_the_short_answer_leads_with_the_full_name_from_the_cited_article(news_kb) -> None:
    ans = news_kb.ask("Which Aldervale player got the decisive late goal against Harrowby?")
    assert not ans.refused, ans.text
    # The quote may name him by surname only; the lead gives the name the article gives.
    assert ans.text.startswith("Tom Okafor [1].")
    check_citations(news_kb, ans)
    assert ans.citations[0].article_id == "match"
    assert "Tom Okafor" in news_kb.article_text("match")


@pytest.mark.parametrize(
    ("question", "short"),
    [
        ("How many spectators attended the Harrowby match?", "17,842"),
        ("When is the rescheduled budget vote due to take place?", "June 26"),
        ("Who scored Harrowby's goal?", "Dean Castell"),
    ],
)
def test_answers_lead_with_a_fact_of_the_asked_kind(news_kb, question: str, short: str) -> None:
    ans = news_kb.ask(question)
    assert ans.text.startswith(f"{short} [1]."), ans.text
    check_citations(news_kb, ans)


@pytest.mark.parametrize(
    ("kb", "question"),
    [
        # The entity is in the articles; the fact asked about is not.
        ("news_kb", "How old is Marta Kessler?"),
        ("news_kb", "How many ships does NorthLink Isles operate?"),
        # The coalition is in the articles; who holds the asked role is not.
        ("more_kb", "Who will be foreign minister in Brenner's coalition?"),
        # The round is; a sum of prize money is not, and a duration or a count is no sum.
        ("more_kb", "How much prize money did Mwanga Power's founders collect?"),
    ],
)
def test_a_fact_the_articles_never_state_is_refused(
    request: pytest.FixtureRequest, kb: str, question: str
) -> None:
    ans = request.getfixturevalue(kb).ask(question)
    assert ans.refused, ans.text
    assert ans.citations == []


def test_headlines_pointers_and_the_articles_own_questions_are_never_quoted(news_kb) -> None:
    for question in (
        "Where does the win leave Aldervale in the promotion race?",
        "Has Callum Reid signed a new contract?",
    ):
        ans = news_kb.ask(question)
        assert "Read more" not in ans.text
        assert "So where does that leave" not in ans.text
        for c in ans.citations:
            assert not c.quote.endswith("?")


# Stories with the shapes the newsroom suite found hard: an answer named by its kind ("the
# Choapa River"), a vote tally in words, a fund as an investor, a party nobody introduces as
# one, a region's adjective in the question, and roles or sums the articles never give.
MORE_ARTICLES = [
    {
        "id": "tailings",
        "title": "Tailings dam gives way at Chilean copper mine",
        "published_at": "2025-07-09",
        "source": "CPA",
        "text": (
            "SANTIAGO, July 9 (CPA) - A tailings dam at a copper mine owned by Norcastle "
            "Resources gave way late on Tuesday, sending a torrent of grey mining waste into "
            "the Choapa River.\n\n"
            "About 1.8 million cubic metres of tailings escaped from the dam at the Quebrada "
            "Honda mine, roughly 30 kilometres east of the town of Salamanca, officials said."
        ),
    },
    {
        "id": "rates",
        "title": "Dutch central bank cuts rates in split vote",
        "published_at": "2025-03-06",
        "source": "Amsterdam Wire",
        "text": (
            "AMSTERDAM — The Dutch central bank lowered its main policy rate to 2.75% on "
            "Thursday.\n\n"
            "The board voted five to two in favour of the reduction, Governor Rosalind "
            "Achterberg told a news conference at the bank's headquarters."
        ),
    },
    {
        "id": "solar",
        "title": "Kenyan solar firm raises $38 million",
        "published_at": "2025-06-10",
        "source": "AfriBiz",
        "text": (
            "NAIROBI, June 10 (AfriBiz) - Mwanga Power, a Kenyan company that sells solar "
            "home systems on instalment plans, has raised $38 million in a Series B funding "
            "round led by Halden Ventures, the venture capital arm of a Norwegian utility."
        ),
    },
    {
        "id": "austria",
        "title": "Austrian chancellor opens coalition talks",
        "published_at": "2025-10-06",
        "source": "Vienna Desk",
        "text": (
            "VIENNA — Austrian Chancellor Lukas Brenner on Monday invited the nationalist "
            "Heimatliste to formal coalition negotiations, after his conservative Citizens' "
            "Forum came first in the election.\n\n"
            "Brenner said he wanted a government in place before Christmas."
        ),
    },
    {
        "id": "cycling",
        "title": "Breznik wins Tour of Slovenia",
        "published_at": "2025-06-15",
        "source": "Sports Wire",
        "text": (
            "KRVAVEC, Slovenia, June 13 (Sports Wire) - Denmark's Mads Korsholm won the fourth "
            "stage of the Tour of Slovenia on Friday, attacking on the final climb.\n\n"
            "Luka Breznik won the Tour of Slovenia on Sunday, finishing safely in the bunch on "
            "the final stage into Novo Mesto."
        ),
    },
    {
        "id": "heist",
        "title": "Police find one of three paintings stolen in Turin",
        "published_at": "2025-05-02",
        "source": "Turin Desk",
        "text": (
            "TURIN — Thieves took three paintings from the Galleria Ferrante on Sunday night. "
            "The stolen works are La Sera sul Po, a river view by Carlo Bressan; Ritratto di "
            "Donna, a portrait by Anna Viale; and Il Mercato Vecchio, a market scene.\n\n"
            "On Friday officers found two of the stolen paintings, Giulia Neri's Il Mercato "
            "Vecchio and Carlo Bressan's La Sera sul Po, in a van outside Asti, police said."
        ),
    },
    {
        "id": "dockers",
        "title": "Harwick dock strike ends",
        "published_at": "2025-04-14",
        "source": "Port Wire",
        "text": (
            "HARWICK — The union said in March that it would ballot Harwick dock workers over "
            "the port's pay offer for 2025.\n\n"
            "The strike ended on Monday. Under the deal, the dock workers will receive a rise "
            "of 4.2%, backdated to April 1."
        ),
    },
    {
        "id": "floods",
        "title": "Portugal flood toll rises",
        "published_at": "2025-10-22",
        "source": "Lisbon Wire",
        "text": (
            "The number of people killed by flash floods in central Portugal rose to nine on "
            "Wednesday.\n\n"
            "Brazil's environment minister, Gabriel Ferraz, who was in Lisbon for talks on "
            "forest protection, said the floods were another warning about the climate "
            "emergency."
        ),
    },
    {
        # British and Irish copy: "€1.2bn", "5.4pc", names in Irish and Welsh spelling.
        "id": "tidewell",
        "title": "Tidewell cuts Môr Gwynt price",
        "published_at": "2025-06-30",
        "source": "Celtic Energy Report",
        "text": (
            "Tidewell Energy will pay €1.05bn for Môr Gwynt, €150m less than it agreed in May, "
            "the companies said on Monday. The deal will be funded by a €700m bond.\n\n"
            "Tidewell supplied 5.4pc of Ireland's electricity last year. Môr Gwynt's founder, "
            "Rhodri ap Dafydd, will stay on. Jean-Luc Ferrand, chief executive of the rival "
            "bidder Vents d'Iroise, said Tidewell had overpaid."
        ),
    },
    {
        # American copy: a state in AP style, a toll that rose after more people died.
        "id": "tornado",
        "title": "Tornado toll rises",
        "published_at": "2025-09-15",
        "source": "Piedmont Ledger",
        "text": (
            "WINSTON-SALEM, N.C. (AW) — The death toll from Friday's tornado rose to five on "
            "Monday after two people critically injured in the storm died in hospital.\n\n"
            "County officials put the damage at about $120 million."
        ),
    },
]


@pytest.fixture(scope="module")
def more_kb(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    kb = feed_kb(tmp_path_factory.mktemp("short-more"), MORE_ARTICLES)
    yield kb
    kb.close()


@pytest.mark.parametrize(
    ("question", "short", "article"),
    [
        # The river is the place the sentence calls a river, not the mine or the town.
        ("Which river did the escaped tailings pollute?", "Choapa River", "tailings"),
        ("What was the tally of the board's vote on the rate cut?", "five to two", "rates"),
        # An investor may be a fund; a party may be named with no word saying it is one.
        ("Which investor led Mwanga Power's Series B round?", "Halden Ventures", "solar"),
        ("Which party did Brenner invite to coalition negotiations?", "Heimatliste", "austria"),
        # A country is no town ("Denmark's Mads Korsholm" is where he is from).
        ("In which town did the Tour of Slovenia finish?", "Novo Mesto", "cycling"),
        # What was recovered, not what was stolen: the asked relation's word ("found") binds
        # the answer; one owner's title ends where the next owner's begins.
        ("Which of the stolen paintings have been recovered?", "Il Mercato Vecchio", "heist"),
        # A rise is a number, not the sentence that shares most words with the question.
        ("What pay rise are the Harwick dock workers getting?", "4.2%", "dockers"),
        # The verb's object, not the figure nearest the name; what a bond is *for* ("to fund
        # the purchase") asks no relation of the sentence; "pc" is per cent; Welsh "ap".
        ("How much is Tidewell Energy paying for Môr Gwynt?", "€1.05bn", "tidewell"),
        ("How large a bond is Tidewell issuing to fund the purchase?", "€700m", "tidewell"),
        ("What share of Ireland's electricity did Tidewell supply?", "5.4pc", "tidewell"),
        ("Who founded Môr Gwynt?", "Rhodri ap Dafydd", "tidewell"),
        ("Which rival bidder's boss said Tidewell overpaid?", "Jean-Luc Ferrand", "tidewell"),
        # A count as it stands now is the level it rose to; what an estimate is of is its unit.
        ("How many people have now died in the North Carolina tornado?", "five", "tornado"),
        ("What damage estimate did county officials give?", "$120 million", "tornado"),
        # "South American" is an adjective of a region, not a name the article must repeat.
        (
            "Which visiting South American minister called the floods a warning?",
            "Gabriel Ferraz",
            "floods",
        ),
    ],
)
def test_answers_of_the_asked_kind_on_harder_copy(
    more_kb, question: str, short: str, article: str
) -> None:
    ans = more_kb.ask(question)
    assert ans.text.startswith(f"{short} [1]."), ans.text
    assert ans.citations[0].article_id == article
    check_citations(more_kb, ans)
