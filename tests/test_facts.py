"""The fact-level support check (qa.facts) and the toolkit rules it stands on, against real
newsroom articles read as ingest stores them.

The statements are written the way a model phrases them; each near miss changes one fact of
a true statement, the failure the similarity check let through (a wrong answer on the right
topic keeping its citation).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.corpus.formats import load
from qa.facts import Article, answers_question, check, check_cited, read_claim
from qa.text import fold, name_stated, numbers_in, states_number
from qa.types import IngestFailure

ARTICLES = Path(__file__).resolve().parent.parent / "evals" / "suites" / "newsroom" / "articles"
STRIKE = "s01-northlink-isles-strike"
SETTLED = "s01-northlink-sailings-resume"
HOSPITAL = "s17-hospital-systems-restored"


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    wanted = {STRIKE, SETTLED, HOSPITAL}
    files = [ARTICLES / f"{STRIKE}.txt", ARTICLES / f"{SETTLED}.txt", ARTICLES / "s17-feed.jsonl"]
    out = {}
    for a in load([str(p) for p in files]):
        assert not isinstance(a, IngestFailure), a
        if a.id in wanted:
            out[a.id] = Article.read(a.text, a.title)
    assert set(out) == wanted
    return out


def verdict(statement: str, art: Article, question: str = ""):
    return check(read_claim(statement, art, question), art)


# --------------------------------------------------------------------------- toolkit


def test_fold_reads_accented_names_whole() -> None:
    assert fold("Bjørg Hovland, Lousã, Łódź, Kjærgaard, Karlıova") == (
        "Bjorg Hovland, Lousa, Lodz, Kjaergaard, Karliova"
    )
    assert fold("plain ASCII") == "plain ASCII"


@pytest.mark.parametrize(
    ("name", "text", "stated"),
    [
        ("Euan Mackay", "said Mackay.", True),  # surname for a full name
        ("FT", "told the Financial Times", True),  # acronym written out
        ("UK", "Britain left the single market", True),  # another spelling
        ("Kenyan", "households in Kenya and Uganda", True),  # demonym / country
        ("Austrian", "Australia's government", False),
        ("Stenhouse Rovers", "signed from Wexley Rovers", False),  # a club: named whole
        ("Corvane Logistics", "Corvane said", True),  # ... or by its distinctive word
        ("New York Times", "told the Daily Caller in New Delhi", False),
        ("Von der Leyen", "said von der Leyen", True),
        ("Germany's", "Germany will", True),
        ("Gilchrist", "said Euan Mackay", False),
    ],
)
def test_name_stated(name: str, text: str, stated: bool) -> None:
    assert name_stated(name, text) is stated


@pytest.mark.parametrize(
    ("claimed", "stated", "same"),
    [
        ("1.2 million", 1_234_000, True),  # rounded to the claim's precision
        ("40%", 39.6, True),
        ("thirty", 30, True),
        ("241", 214, False),
        ("2027", 2026, False),  # a year is exact
        ("2%", 2.4, False),  # rounding, but 17% off
        ("1,234,000", 1_200_000, False),  # more precise than the article
    ],
)
def test_states_number(claimed: str, stated: float, same: bool) -> None:
    assert states_number(numbers_in(claimed)[0], stated) is same


# --------------------------------------------------------------------------- one article


def test_a_true_statement_is_stated_by_a_verbatim_sentence(articles) -> None:
    art = articles[STRIKE]
    v = verdict("The walkout involved 214 deck, engine-room and catering staff.", art)
    assert v.supported and v.missing == () and v.clash is None
    assert v.quote is not None and v.quote in art.text and "214" in v.quote
    assert art.text[v.start : v.start + len(v.quote)] == v.quote


@pytest.mark.parametrize(
    ("statement", "why"),
    [
        ("The walkout involved 241 deck, engine-room and catering staff.", "number 241"),
        ("Crews at NorthLink Isles began a 48-hour strike on Monday.", "number 48"),
        ("The union was seeking a 3.2% pay rise, while the company offered 6.5%.", "number 3.2"),
        ("About 300 staff walked out when the strike began.", "number 300"),  # 300 passengers
        ("Corvane Logistics, a Norwegian freight group, rerouted consignments by air.", "name"),
        (
            "Fiona Gilchrist, the union's organiser, said members would not accept a pay cut.",
            "name",
        ),
        (
            "Morag Tulloch said 60 lorries of salmon worth £2.4 million were stuck in Kirkwall.",
            "name",
        ),
        ("The islands were last hit by a ferry strike in 2023.", "number 2023"),
        ("Shetland's seafood industry said the strike was not costing it money.", "not"),
    ],
)
def test_near_misses_are_rejected(articles, statement: str, why: str) -> None:
    v = verdict(statement, articles[STRIKE])
    assert not v.supported
    assert why in " ".join(v.missing) or why in (v.clash or ""), (v.missing, v.clash)


def test_a_neighbour_may_say_who_spoke_but_not_make_someone_else_speak(articles) -> None:
    art = articles[STRIKE]
    # "They are not prepared ..." follows the sentence naming Mackay.
    v = verdict("Euan Mackay said members were not prepared to accept another pay cut.", art)
    assert v.supported and v.quote is not None and "not prepared" in v.quote


def test_opposites_currencies_and_negations(articles) -> None:
    settled, hospital = articles[SETTLED], articles[HOSPITAL]
    assert verdict("Members voted to accept the offer in an online ballot.", settled).supported
    rejected = verdict("Members voted to reject the offer in an online ballot.", settled)
    assert not rejected.supported and "accept" in (rejected.clash or "")
    assert verdict("Skovgaard put the cost at 85 million Danish crowns.", hospital).supported
    assert not verdict("Skovgaard put the cost at 85 million euros.", hospital).supported
    assert verdict("The network did not pay the ransom.", hospital).supported
    paid = verdict("The network paid the ransom demanded by Grey Lynx.", hospital)
    assert not paid.supported and "not" in (paid.clash or "")


def test_paraphrase_and_number_words_are_allowed(articles) -> None:
    settled = articles[SETTLED]
    assert verdict("The dispute was settled after 11 hours of talks at Acas in Glasgow.", settled)
    v = verdict("In total, 27 sailings were cancelled because of the dispute.", settled)
    assert v.supported  # "27 sailings had been cancelled in total"
    assert not verdict(
        "In total, 18 sailings were cancelled because of the dispute.", settled
    ).supported


# --------------------------------------------------------------------------- several articles


def test_union_of_cited_articles_and_who_keeps_a_citation(articles) -> None:
    strike, settled = articles[STRIKE], articles[SETTLED]
    joint = "The walkout by 214 staff ended when crews accepted a 5.1% rise and a £750 payment."
    c = check_cited(read_claim(joint, strike), [strike, settled])
    assert c.supported and c.keep == [True, True]
    assert not check(read_claim(joint, strike), strike).supported  # neither alone
    # One article states it all; the other adds nothing and loses its citation.
    alone = "Crew members will receive a pay rise of 5.1% plus a one-off payment of £750."
    c = check_cited(read_claim(alone, settled), [strike, settled])
    assert c.supported and c.keep == [False, True]
    wrong = "The walkout by 214 staff ended when crews accepted a 4.1% rise and a £750 payment."
    assert not check_cited(read_claim(wrong, strike), [strike, settled]).supported


def test_answers_question_wants_the_kind_of_fact_asked_for() -> None:
    q = "How many NorthLink Isles staff walked out?"
    assert answers_question(q, "The walkout involved 214 staff.")
    assert not answers_question(q, "NorthLink Isles staff walked out on Monday.")
    who = "Which union official spoke for the striking crews?"
    assert answers_question(who, "Euan Mackay spoke for the crews.")
    assert not answers_question(who, "A union official spoke for the striking crews.")
    assert answers_question("Why did the crews strike?", "They wanted more pay.")
    assert answers_question("", "Anything at all.")


def test_the_readme_example(articles) -> None:
    """README.md and docs/evals.md explain "supported" with this near miss."""
    settled = articles[SETTLED]
    ok = "Agreement was reached after eleven hours of talks at Acas in Glasgow."
    assert verdict(ok, settled).supported
    near = verdict(ok.replace("Glasgow", "Aberdeen"), settled)
    assert not near.supported and near.missing == ("name Aberdeen",)
    assert "left Aberdeen" in settled.text  # the sentence before the quote mentions it


# --------------------------------------------------------------------------- second round

BUDGET = Article(
    "The Social Democrats, the junior coalition partner, have refused to back the cut, saying "
    "it would hurt renters. The finance ministry will be led by Karin Lechner, while the "
    "interior ministry stays with Andreas Feichtinger. Asked whether the coalition had a "
    "majority for the cut, Brenner laughed. Trump gave Putin a two-week deadline to end the "
    "war.",
    "Coalition splits over housing cut",
)


@pytest.mark.parametrize(
    ("statement", "supported"),
    [
        ("The Social Democrats have refused to back the cut.", True),
        ("The Social Democrats agreed to back the cut.", False),  # "refused to" denies "back"
        ("Karin Lechner will lead the finance ministry.", True),  # the passive's agent
        ("Andreas Feichtinger will lead the finance ministry.", False),
        ("The coalition had a majority for the cut.", False),  # asked "whether", not stated
        ("Trump gave Putin a two-week deadline to end the war.", True),
        ("Putin gave Trump a two-week deadline to end the war.", False),  # roles swapped
    ],
)
def test_denials_agents_questions_and_roles(statement: str, supported: bool) -> None:
    assert verdict(statement, BUDGET).supported is supported


def test_every_word_a_statement_denies_is_denied() -> None:
    art = Article("The fire destroyed six structures, mostly outbuildings, but no homes.")
    assert verdict("The fire destroyed six structures but no homes.", art).supported
    assert not verdict("The fire did not destroy six structures and no homes.", art).supported


def test_the_office_names_its_only_holder() -> None:
    """ "accused the chancellor" names Brenner where the article's only chancellor is him;
    not where the article has two, and not someone the office was never given to."""
    talks = (
        "Coalition talks between Austrian Chancellor Lukas Brenner's conservatives and the "
        "Heimatliste collapsed on Tuesday. The talks had lasted four weeks. Both sides had "
        "agreed on tax. Heimatliste leader Reinhard Stadlmayr accused the chancellor of having "
        "never been serious."
    )
    said = "Reinhard Stadlmayr accused Brenner of never having been serious."
    assert verdict(said, Article(talks)).supported
    assert not verdict(said.replace("Brenner", "Grubauer"), Article(talks)).supported
    two = talks.replace("collapsed on Tuesday.", "collapsed, former chancellor Anna Vogt said.")
    assert not verdict(said, Article(two)).supported


def test_a_feature_paragraph_answers_under_its_headline() -> None:
    question = "In which town did the Aldervale manager grow up?"
    statement = "Reid grew up in Paisley."
    passage = "Reid, 44, grew up in Paisley, west of Glasgow, the youngest of four brothers."
    title = "Callum Reid: the Aldervale manager who does not do fear"
    assert not answers_question(question, statement, passage)
    assert answers_question(question, statement, passage, title)
    # A name is found as a name, and the question's date need not be repeated.
    quake = "In which Turkish province was the February 2025 earthquake centred?"
    epicentre = "The quake's epicentre was near Karliova in Bingol province, in eastern Turkey."
    assert answers_question(quake, "It was centred in Bingol province.", epicentre)


def test_what_date_asks_when() -> None:
    """ "On what date" asks for a date: the passage need not say "date"."""
    q = "On what date did the satellite finally get into orbit?"
    passage = "India launched its SagarNetra-1 satellite on Monday, February 3, into a polar orbit."
    title = "India puts SagarNetra-1 ocean satellite into orbit after three-week delay"
    said = "The satellite got into orbit on February 3."
    assert answers_question(q, said, passage, title)
    assert not answers_question(q, "The satellite got into orbit.", passage, title)


def test_a_restatement_of_the_question_does_not_answer_it() -> None:
    q = "How would the new rules let younger drivers into trucking?"
    assert not answers_question(q, "The new rules allow younger drivers into trucking.")
    assert answers_question(q, "Drivers aged 18 could drive if an experienced driver rides along.")
    # A yes/no question may be answered in its own words.
    assert answers_question("Did the Senate approve the accord?", "The Senate approved the accord.")


def test_a_measure_asked_for_wants_a_number_of_that_measure() -> None:
    """'How long' wants a duration and 'how much' money; a count wants a number of what is
    asked ("480,000 driver positions" for vacancies, "540 posts" for jobs), not of something
    else ("18 sailings" does not say how many ships)."""
    long = "How long has Anna Holm served as the bank's deputy governor?"
    assert not answers_question(long, "The bank cut its rate by a quarter point to 2.75%.")
    assert answers_question(long, "Anna Holm has been deputy governor for six years.")
    money = "How much did Mwanga raise in its first round?"
    assert not answers_question(money, "Mwanga cut 140 jobs.")
    assert answers_question(money, "Mwanga raised $9.5 million.")
    vacancies = "How many driver vacancies does the council count?"
    assert answers_question(vacancies, "The council counts 480,000 driver positions unfilled.")
    ships = "How many ships are in the NorthLink Isles fleet?"
    assert not answers_question(ships, "There are 18 sailings cancelled across the three days.")
    assert answers_question(ships, "NorthLink Isles has five ships.")
    assert answers_question(ships, "The fleet numbers five.")
    jobs = "How many jobs will Halden Energy cut?"
    assert answers_question(jobs, "Halden Energy will cut 540 posts.")
    assert answers_question(jobs, "Halden will cut 540 of its 8,200 staff.")
    # A two-part question is answered by a statement answering either part.
    both = "How long did the raid last, and how many people were arrested?"
    assert answers_question(both, "Police have arrested four people.")


def test_the_number_must_come_from_the_sentence_that_states_the_relation() -> None:
    q = "How much was the mining company fined by the regulator?"
    passage = (
        "The regulator fined Norcastle 7.9 billion pesos over the collapse. "
        "It also ordered the company to pay for a clean-up that will cost about $25 million."
    )
    assert answers_question(q, "The company was fined 7.9 billion pesos.", passage)
    assert not answers_question(q, "The clean-up will cost the company $25 million.", passage)


def test_another_member_of_a_named_series_is_something_else() -> None:
    q = "How much did Mwanga Power raise in its Series A?"
    assert not answers_question(q, "Mwanga Power raised $38 million in a Series B round.")
    assert answers_question(q, "Mwanga Power raised $9.5 million in its Series A.")
    assert not answers_question("Which gate does Terminal 2 use?", "Terminal 3 uses gate B.")


def test_a_multiple_is_not_a_count() -> None:
    deal = Article(
        "Mor Gwynt, the Cardiff wind developer, is valued at roughly 14 times its expected "
        "earnings in the deal."
    )
    assert not verdict("The Cardiff wind developer Mor Gwynt has 14 staff.", deal).supported
    assert verdict("Mor Gwynt is valued at 14 times its expected earnings.", deal).supported


def test_a_statement_about_the_article_or_a_nationality_does_not_answer() -> None:
    outage = "Which company supplied the software behind the Belgian mobile outage?"
    meta = "The article on Benelux Tech Wire about Zentel Belgium's nine-hour outage."
    assert not answers_question(outage, meta)
    assert answers_question(outage, "The article says the software came from Kaarna Networks.")
    rating = "What rating did forecasters give the tornado?"
    assert answers_question(rating, "The article on Monday about the tornado rated it an EF-3.")
    coach = "Who coaches Lyon Athena?"
    assert not answers_question(coach, "Lyon Athena, a French club, signed a Portuguese striker.")
    assert answers_question(coach, "Lyon Athena are coached by Sandrine Leroux.")


def test_the_question_s_own_words_do_not_make_a_statement_about_the_article_a_claim() -> None:
    q = "Who runs the Cork airline that plans to base aircraft at Shannon?"
    meta = "The article on the Cork airline that plans to base aircraft at Shannon is Aerlinn."
    assert not answers_question(q, meta)
    assert answers_question(q, "The article says the airline is run by Niamh Carey.")
    # A modal from the question still makes a claim: "will cut" is news, not the article.
    accord = "What tariff will the accord remove?"
    assert answers_question(accord, "The article on the accord will cut the 8.5% canola tariff.")


def test_a_place_is_not_who_did_something() -> None:
    q = "Who told reporters that Giorgio Benassi would appeal?"
    passage = (
        "Giorgio Benassi, the former mayor of the lakeside town of Varenna, was sentenced to "
        "three years. His lawyer, Carla Mezzetti, told reporters he would appeal."
    )
    place = "Benassi, the former mayor of the lakeside town of Varenna, was sentenced."
    assert not answers_question(q, place, passage)
    assert answers_question(q, "His lawyer, Carla Mezzetti, told reporters.", passage)


def test_a_common_noun_or_a_name_describing_a_thing_is_not_who() -> None:
    """ "Investigators believe ..." names no one (the passage writes the word in lower case);
    "the Marchetti portrait" names the painter of the work, not who owned it."""
    q = "Who owned Femme au parapluie vert before the Delorme foundation acquired it?"
    passage = (
        "Femme au parapluie vert, the Marchetti portrait, was not in the garage. "
        "Investigators believe it may have been passed to a third party shortly after the "
        "theft. The painting was owned by the collector Henri Vasseur until the Delorme "
        "foundation acquired it in 1998."
    )
    assert not answers_question(q, "The Marchetti portrait was not in the garage.", passage)
    said = "Investigators believe it may have been passed to a third party."
    assert not answers_question(q, said, passage)
    assert answers_question(q, "It belonged to the collector Henri Vasseur.", passage)
    assert answers_question(q, "Vasseur owned the Marchetti portrait.", passage)


def test_a_body_s_name_with_its_apostrophe_dropped_is_still_the_body() -> None:
    """ "Rail Users Alliance" is the article's "Rail Users' Alliance"; a body is no answer to
    which official spoke, nor is the first half of a body's name."""
    assert name_stated("Rail Users Alliance", "who chairs the Rail Users' Alliance, said")
    assert not name_stated("Rail Users Alliance", "who chairs the Rail Alliance, said")
    q = "Which union official spoke for the striking crews?"
    passage = (
        "The Seafarers' and Ferry Workers' Union called the strike. SFWU regional organiser "
        "Euan Mackay spoke for the striking crews outside the terminal."
    )
    assert not answers_question(q, "The Seafarers' and Ferry Workers' Union", passage)
    assert answers_question(q, "Euan Mackay spoke for the striking crews.", passage)


def test_a_company_is_not_the_person_a_role_names() -> None:
    q = "Who is the finance chief of the Norwegian utility that announced job cuts?"
    passage = (
        "Halden Energy, the Norwegian utility that announced job cuts in July, said its "
        "finance chief, Henrik Aasen, would lead the review."
    )
    assert not answers_question(q, "The finance chief is at the utility, Halden Energy.", passage)
    assert answers_question(q, "The finance chief is Henrik Aasen.", passage)
    # An investor or a buyer may be a company.
    led = "Which investor led the funding round?"
    round_ = "Mwanga Power raised $38 million in a funding round led by Halden Ventures."
    assert answers_question(led, "The round was led by Halden Ventures.", round_)


def test_how_much_rain_wants_a_depth() -> None:
    q = "How much rain had soaked the hillside before the slide?"
    assert not answers_question(q, "The slide buried two cars after three days of rain.")
    assert answers_question(q, "More than 150 millimetres of rain fell in three days.")


def test_a_hyphenated_name_the_question_gives_is_a_name_not_content() -> None:
    """ "Winston-Salem" is checked as a name (somewhere in the article, as the question gives
    it), not as two content words the quoted sentence must hold."""
    storm = Article(
        "A tornado tore through the east side of Winston-Salem on Friday. "
        "Officials said crews were searching collapsed buildings. "
        "Mayor Dwayne McKinney declared a local state of emergency."
    )
    q = "Who is the mayor of Winston-Salem?"
    said = "The mayor of Winston-Salem is Dwayne McKinney."
    assert check(read_claim(said, storm, q), storm).supported
    assert not check(read_claim(said.replace("McKinney", "McKenzie"), storm, q), storm).supported


def test_a_question_of_two_parts_is_read_the_same_by_both_answerers() -> None:
    """qa.asked.question_parts: the extractive answerer answers each part, the fact check
    accepts a statement answering either; a preposition may open the second part."""
    from qa.asked import question_parts

    q = "What tariff will the accord remove, and by what vote did the upper house approve it?"
    assert question_parts(q) == [
        "What tariff will the accord remove",
        "by what vote did the upper house approve it",
    ]
    assert answers_question(q, "The upper house approved it by 168 votes to 71.")
    assert question_parts("Who or what caused the fire?") == ["Who or what caused the fire?"]


def test_a_count_is_not_given_by_a_clock_time_a_date_or_money() -> None:
    """A statement answering "how many" gives a number that could count something: a clock
    time, a day of a month or a sum of money does not, in a question of one part or of two
    (a second part that names no unit counts what the first counts)."""
    from qa.asked import asked_unit

    q = "How many people were injured on the day of the quake, and how many by the day after?"
    assert asked_unit("how many by the day after") is None
    assert not answers_question(q, "The quake struck at 11:08 p.m. local time.")
    assert not answers_question(q, "The quake struck on June 10.")
    assert answers_question(q, "By the next day 1,020 people had been injured.")
    assert answers_question(q, "312 were hurt on the first day.")
    one = "How many homes lost power in the storm?"
    assert not answers_question(one, "The storm cost the utility $4 million.")
    assert answers_question(one, "About 41,000 homes lost power.")


def test_a_question_dated_by_an_event_wants_a_report_of_it() -> None:
    """ "Still missing after the body was found" is not answered by the first report, written
    before the body was found, whatever figure it gives."""
    from qa.facts import reports_anchor

    q = "How many people were still missing after the body was found in the Voss landslide?"
    first = "The Voss landslide buried two cars, leaving three people missing."
    later = "Rescuers found a body on Friday. Two people remain missing after the Voss landslide."
    assert not reports_anchor(q, [first])
    assert reports_anchor(q, [first, later])
    assert reports_anchor("How many people are missing in the Voss landslide?", [first])


def test_another_value_of_a_quantity_the_question_states_is_another_fact() -> None:
    q = "Which prosecutor had asked for a four-year sentence for the former mayor?"
    assert not answers_question(q, "The court sentenced Giorgio Benassi to three years.")
    assert answers_question(q, "Prosecutor Anna Colombo had asked for four years.")
    # The question's figure stated without its noun still ties the statement to it.
    stay = "Why were about 140 people still in temporary accommodation?"
    because = "Of some 620 people, about 140 remained because their houses were unsafe."
    assert answers_question(stay, because)


# --------------------------------------------------------------------------- links, names


AIRLINE = Article.read(
    "Aerlinn flew 61 per cent of its seats full in the first half, a measure known as load "
    "factor, against 58 per cent a year earlier. Shares in its parent rose 4.2 per cent. "
    "Former army officer Kadri Lepp becomes Estonia's first woman defence minister. "
    "Swiss drugmaker Bernhof Pharma has agreed to buy Lysen Therapeutics for 1.2 billion "
    "Swiss francs in cash. Bernhof will pay 41 francs a share, a premium of 38 per cent.",
    "Aerlinn fills more seats",
)


def test_a_comparison_keeps_its_reference_figure() -> None:
    said = "The share of seats Aerlinn filled rose to 61 per cent from 58 per cent a year earlier."
    assert verdict(said, AIRLINE).supported  # "rose" of the next sentence's shares is not 61's
    swapped = verdict(
        "Aerlinn filled 58 per cent of its seats, against 61 per cent a year earlier.", AIRLINE
    )
    assert not swapped.supported and "compares against" in (swapped.clash or "")


def test_a_cause_needs_a_reason_in_the_article() -> None:
    assert verdict(
        "Kadri Lepp, a former army officer, is Estonia's first woman defence minister.", AIRLINE
    ).supported
    v = verdict("Kadri Lepp got the defence post because of her army career.", AIRLINE)
    assert not v.supported and "no reason" in (v.clash or "")


def test_possessives_and_passives_keep_who_does_what() -> None:
    assert verdict(
        "Lysen Therapeutics is being bought by Bernhof Pharma for 1.2 billion Swiss francs.",
        AIRLINE,
    ).supported
    assert verdict(
        "Bernhof's offer of 41 francs per share is a 38 per cent premium.", AIRLINE
    ).supported
    assert not verdict("Lysen Therapeutics has agreed to buy Bernhof Pharma.", AIRLINE).supported
    assert not verdict(
        "Bernhof's offer of 38 francs per share is a 41 per cent premium.", AIRLINE
    ).supported


def test_two_parallel_clauses_are_not_crossed() -> None:
    art = Article.read(
        'The Silver Lion for best director went to Yoon Da-hye for "Nine Rooms", and the Volpi '
        'Cup for best actor went to Matthias Oberholzer for "The Ferryman\'s Ledger". An H3 '
        "rocket carrying the Kaiyo-Midori satellite lifted off from Tanegashima, and the "
        "satellite separated before entering a polar orbit about 700 kilometres above the Earth.",
        "Venice prizes",
    )
    assert verdict(
        "Yoon Da-hye won the Silver Lion for best director for Nine Rooms.", art
    ).supported
    crossed = verdict(
        "Matthias Oberholzer won the Silver Lion for best director for Nine Rooms.", art
    )
    assert not crossed.supported and "does not put" in (crossed.clash or "")
    # A clause that names no one else goes on about the same subject.
    assert verdict(
        "The Kaiyo-Midori satellite entered a polar orbit about 700 kilometres above the Earth.",
        art,
    ).supported


def test_a_change_is_not_stated_by_no_change() -> None:
    art = Article.read(
        "The statutory retirement age will remain at 65, but access to early retirement will "
        "be tightened from 2027.",
        "Austria's pension deal",
    )
    assert verdict("The retirement age will stay at 65.", art).supported
    v = verdict("The statutory retirement age will be raised above 65.", art)
    assert not v.supported and "remain" in (v.clash or "")


def test_a_verb_against_something_does_not_assert_it() -> None:
    art = Article.read(
        "Austria's chancellor, Lukas Brenner, said his government would oppose any measure "
        'that increased heavy traffic through the Alps. "They will not accept more and '
        'heavier lorries," he told reporters in Vienna.',
        "EU lawmakers back heavier electric lorries",
    )
    said = "Lukas Brenner said Austria would resist more heavy lorry traffic through the Alps."
    assert verdict(said, art).supported  # "resist more lorries" is no claim that lorries come
    assert not verdict("Lukas Brenner said Austria would accept more heavy lorries.", art).supported


def test_another_unit_or_season_is_another_fact() -> None:
    art = Article.read(
        "Aerlinn Regional carried 3.1 million passengers in the six months to the end of June "
        "and said it would open five new routes from Shannon next spring. The committee "
        "narrowly rejected, by 25 votes to 23, an amendment that would have allowed so-called "
        "mega-trucks of up to 60 tonnes to cross borders freely.",
        "Aerlinn's first half",
    )
    assert verdict(
        "Aerlinn carried 3.1 million passengers in the six months to June.", art
    ).supported
    assert not verdict(
        "Aerlinn carried 3.1 million passengers in the six weeks to June.", art
    ).supported
    assert verdict("Aerlinn will open five new routes from Shannon next spring.", art).supported
    autumn = verdict("Aerlinn will open five new routes from Shannon next autumn.", art)
    assert not autumn.supported and "date autumn" in autumn.missing
    one_unit = (
        "An amendment to let 60-tonne mega-trucks cross borders was rejected by 25 votes to 23."
    )
    assert verdict(one_unit, art).supported  # "60-tonne" and "60 tonnes": one unit


def test_bounds_superlatives_and_stopping_are_facts() -> None:
    art = Article.read(
        "Satellites detected 4,870 square kilometres of clear-cutting, down from 6,240 square "
        "kilometres. Para was again the state with the most forest loss. Ferraz said banks had "
        "stopped lending to people who destroy the forest.",
        "Amazon clearing falls",
    )
    assert verdict("Satellites detected 4,870 square kilometres of clear-cutting.", art).supported
    for wrong in (
        "Satellites detected fewer than 4,870 square kilometres of clear-cutting.",
        "Satellites detected 4,870 square miles of clear-cutting.",
        "Para was the state with the least forest loss.",
        "Ferraz said banks had started lending to people who destroy the forest.",
    ):
        assert not verdict(wrong, art).supported, wrong


def test_an_office_is_stated_with_what_it_is_of() -> None:
    art = Article.read(
        "Deforestation fell by 22%, the government said, as Environment Minister Gabriel Ferraz "
        'credited enforcement raids. "There is no compromise on safety," mission director Dr. '
        "Meenakshi Raghavan told reporters.",
        "Amazon clearing falls",
    )
    assert verdict("Environment Minister Gabriel Ferraz credited enforcement raids.", art).supported
    v = verdict("Agriculture Minister Gabriel Ferraz credited enforcement raids.", art)
    assert not v.supported and v.missing == ("title agriculture minister",)
    # "Dr." may end a sentence for the splitter: the office is still read before the name.
    assert verdict(
        "Mission director Meenakshi Raghavan said there was no compromise on safety.", art
    ).supported


def test_a_verbs_object_is_its_whole_name() -> None:
    art = Article.read(
        "Tom Okafor's 89th-minute strike gave FC Aldervale a 2-1 comeback victory over "
        "Harrowby Town on Saturday.",
        "FC Aldervale 2-1 Harrowby Town",
    )
    assert verdict(
        "Okafor's 89th-minute strike gave Aldervale a 2-1 win over Harrowby.", art
    ).supported
    assert not verdict(
        "Okafor's 89th-minute strike gave Harrowby a 2-1 win over Aldervale.", art
    ).supported


def test_a_request_is_not_its_outcome() -> None:
    art = Article.read(
        "A court in Lecco on Tuesday sentenced Giorgio Benassi to three years in prison. "
        "Ecolario's former managing director, Paolo Riva, was sentenced to two years. "
        "The company was fined 200,000 euros. Prosecutor Chiara Galli had asked for a "
        "sentence of four years for Benassi. His lawyer said his client would appeal.",
        "Former mayor jailed for three years",
    )
    assert verdict("Benassi was sentenced to three years in prison.", art).supported
    asked = "Prosecutor Chiara Galli had asked for a four-year sentence for Benassi."
    assert verdict(asked, art).supported
    v = verdict("Benassi was sentenced to four years in prison.", art)
    assert not v.supported and v.clash is not None


def test_who_did_it_and_a_dateline_day_are_read_across_the_article() -> None:
    art = Article.read(
        "VIENNA, Nov 4 (CPA) - Coalition talks between Chancellor Lukas Brenner's conservatives "
        "and the nationalist Heimatliste collapsed on Tuesday after four weeks of negotiations. "
        "Brenner said he had broken off the negotiations because the Heimatliste had insisted "
        "on the interior ministry. On Sunday, 17 people protested in Vienna.",
        "Austria coalition talks collapse",
    )
    assert verdict("Brenner broke off the negotiations.", art).supported
    # Another window leaves the deed out, but the article gives it to Brenner.
    assert not verdict("The Heimatliste broke off the negotiations.", art).supported
    assert verdict("The talks collapsed after four weeks of negotiations.", art).supported
    # "Nov 4" counts no months; "On Sunday, 17 people" is a count, not a date.
    assert not verdict("The talks collapsed after four months of negotiations.", art).supported
    assert verdict("Seventeen people protested in Vienna on Sunday.", art).supported


def test_a_clock_time_keeps_its_half_of_the_day() -> None:
    art = Article.read(
        "Crew members began a 72-hour strike at 6 a.m. on Monday. About 1,600 passengers "
        "with bookings were offered refunds.",
        "Ferry crews walk out",
    )
    assert verdict("The strike began at 6 a.m. on Monday.", art).supported
    assert not verdict("The strike began at 6 p.m. on Monday.", art).supported
    assert not verdict("About 1,600 passengers were denied refunds.", art).supported


def test_a_passives_agent_and_a_direction_are_facts() -> None:
    art = Article.read(
        "The Chataway Creek wildfire, which was sparked by lightning on Thursday, crossed "
        "Highway 97D about six kilometres west of the town.",
        "Logan Lake ordered to evacuate",
    )
    assert verdict(
        "The Chataway Creek wildfire was sparked by lightning on Thursday.", art
    ).supported
    v = verdict("The Chataway Creek wildfire was sparked by a campfire on Thursday.", art)
    assert not v.supported and any(m.startswith("agent") for m in v.missing)
    assert not verdict(
        "The fire crossed Highway 97D about six kilometres east of the town.", art
    ).supported


def test_an_owner_is_a_fact() -> None:
    art = Article.read(
        "Japan will cut its tariff on Canadian beef from 21.6% to 12% by 2028. A separate "
        "chapter commits Japan's state-backed financing agencies to provide up to C$4.5 "
        "billion in loans for Canadian lithium projects.",
        "Canada and Japan sign trade accord",
    )
    said = (
        "Japan's agencies will provide up to C$4.5 billion in loans for Canadian lithium projects."
    )
    assert verdict(said, art).supported
    v = verdict(said.replace("Japan's", "Canada's").replace("Canadian", "Japanese"), art)
    assert not v.supported and v.clash == "the article gives it to Japan"
    assert not verdict(
        "Japan will raise its tariff on Canadian beef from 21.6% to 12%.", art
    ).supported


def test_a_role_in_apposition_belongs_to_the_person_beside_it() -> None:
    art = Article.read(
        "The accord was signed in Calgary by Canada's international trade minister, "
        "Marc-André Leclerc, and Japan's minister for trade, Hiroshi Tanabe.",
        "Canada and Japan sign trade accord",
    )
    assert verdict("Hiroshi Tanabe is Japan's minister for trade.", art).supported
    v = verdict("Marc-André Leclerc is Japan's minister for trade.", art)
    assert not v.supported and "Tanabe" in (v.clash or "")


def test_from_the_figure_and_earlier_than_planned() -> None:
    art = Article.read(
        "Germany's parliament approved the budget two weeks later than planned. The planned cut "
        "to housing subsidies was reduced to 1.5 billion euros from the 3.8 billion euros "
        "originally proposed.",
        "Bundestag passes budget",
    )
    assert verdict(
        "The cut was reduced to 1.5 billion euros from 3.8 billion euros.", art
    ).supported
    assert not verdict(
        "The cut was increased to 3.8 billion euros from 1.5 billion euros.", art
    ).supported
    assert not verdict("The budget was approved two weeks earlier than planned.", art).supported


def test_a_deed_done_is_not_stated_by_one_only_foreseen() -> None:
    """ "Has issued" is not stated by "said it would issue"; "will issue" is."""
    art = Article.read(
        "The federal health ministry said it would issue new guidance to health centres on "
        "recognising lead exposure. Corvane said the first robots would be installed in the "
        "spring. The ferry company had offered to return to the old rota from October.",
        "Lead poisoning",
    )
    assert not verdict(
        "The health ministry has issued new guidance to health centres.", art
    ).supported
    assert verdict("The health ministry will issue new guidance to health centres.", art).supported
    assert not verdict("Corvane said the first robots were installed in the spring.", art).supported
    assert verdict("Corvane said the first robots would be installed in the spring.", art).supported


def test_multiples_ranks_periods_and_spans_of_years() -> None:
    """ "Triple" is not "double"; "second-largest" is not "third-largest", while "the first
    nine months" is a period, not a rank; "twenty years" is "two decades"."""
    art = Article.read(
        "Svenska kraftnat plans to double investment in transmission lines over the next "
        "decade. The EU is Japan's third-largest trading partner. Underlying profit for the "
        "nine months to September was 2.6 billion crowns. Rail's share has barely changed in "
        "two decades.",
        "Grid spending",
    )
    assert verdict("Svenska kraftnat plans to double its investment in lines.", art).supported
    assert not verdict("Svenska kraftnat plans to triple its investment in lines.", art).supported
    assert verdict("The EU is Japan's third-largest trading partner.", art).supported
    assert not verdict("The EU is Japan's second-largest trading partner.", art).supported
    assert verdict(
        "Underlying profit for the first nine months was 2.6 billion crowns.", art
    ).supported
    assert verdict("Rail's share has barely changed in twenty years.", art).supported
    assert not verdict("Rail's share has barely changed in thirty years.", art).supported


def test_no_charge_is_no_denial_and_a_ban_lifted_is_not_one_that_remains() -> None:
    """ "At no charge" is "free of charge", no denial; a ban lifted is not one that remains."""
    art = Article.read(
        "NorthLink Isles said eight sailings had been cancelled and that passengers would be "
        "rebooked free of charge. A campfire ban remains in effect.",
        "Storm Hilde",
    )
    said = "NorthLink Isles said passengers would be rebooked at no charge."
    assert verdict(said, art).supported
    assert not verdict("The campfire ban has been lifted.", art).supported


def test_a_count_of_some_of_a_group_is_not_a_measure() -> None:
    """ "About 300 of Corvane's lorries" is not stated by "about 300 kilometres of range"."""
    art = Article.read(
        "Corvane opened a hub whose chargers add about 300 kilometres of range in 45 minutes. "
        "About 130 of the group's 1,400 lorries are now battery-electric.",
        "Corvane charging hub",
    )
    assert verdict("About 130 of Corvane's 1,400 lorries are now battery-electric.", art).supported
    assert not verdict("About 300 of Corvane's 1,400 lorries are battery-electric.", art).supported


def test_a_quotation_belongs_to_whom_the_article_gives_it() -> None:
    """ "Kostiuk said, 'Everybody got out'" is not stated by a paragraph where Mayor Gauthier
    says it, though the next paragraph names Kostiuk."""
    art = Article.read(
        '"We wanted people on the road while it was still daylight," Mayor Sheila Gauthier '
        "said at the reception centre. \"Everybody got out. That's the only number that "
        'matters tonight."\n\nLeah Kostiuk, a wildfire information officer, said 140 '
        "firefighters and 12 helicopters were working the fire.",
        "Fox Creek evacuated",
    )
    quote = '"Everybody got out. That\'s the only number that matters tonight."'
    v = verdict(f"Officer Leah Kostiuk said, {quote}", art)
    assert not v.supported and "Gauthier" in (v.clash or "")
    assert verdict(f"Mayor Sheila Gauthier said, {quote}", art).supported


def test_a_place_the_quoted_sentence_gives_is_not_another_named_nearby() -> None:
    """ "In the Jura, museums pooled money" is not stated by "In Normandy, museums pooled
    money" beside a sentence about the Jura; nor "in Rio do Sul" by "in the municipality of
    Gaspar"."""
    art = Article.read(
        "Museums in the Jura have cut opening hours. In Normandy, a group of small museums "
        "has pooled money to share a monitoring centre. Floods hit Rio do Sul on Monday. "
        "Five people were killed when a hillside gave way onto houses in the municipality of "
        "Gaspar, the civil defence agency said.",
        "Museums and floods",
    )
    assert verdict(
        "In Normandy, small museums have pooled money to share a monitoring centre.", art
    ).supported
    assert not verdict(
        "In the Jura, small museums have pooled money to share a monitoring centre.", art
    ).supported
    assert verdict(
        "Five people were killed when a hillside gave way onto houses in Gaspar.", art
    ).supported
    assert not verdict(
        "Five people were killed when a hillside gave way onto houses in Rio do Sul.", art
    ).supported


def test_a_comparison_keeps_its_direction() -> None:
    """ "Fewer than all the Alpine crossings" is not stated by "more than" them."""
    art = Article.read(
        "About 2.4 million lorries crossed the Brenner Pass last year, more than all the Alpine "
        "crossings in Switzerland and France combined, according to the Tyrolean government.",
        "Tyrol's lorry limits",
    )
    said = (
        "About 2.4 million lorries crossed the Brenner Pass, more than the Swiss and French "
        "crossings combined."
    )
    assert verdict(said, art).supported
    assert not verdict(said.replace("more than", "fewer than"), art).supported


def test_a_month_or_season_keeps_its_year() -> None:
    """ "Spring 2029" is not stated by "start in spring 2026 ... run by the end of 2029"."""
    art = Article.read(
        "Construction of the Ostrava tram extension is expected to start in spring 2026, and "
        "the first trams are due to run by the end of 2029, the transport company said.",
        "Tram extension approved",
    )
    assert verdict("Construction is expected to start in spring 2026.", art).supported
    v = verdict("Construction is expected to start in spring 2029.", art)
    assert not v.supported and "spring 2026" in (v.clash or "")


def test_a_figure_from_the_next_sentence_is_not_the_quoted_sentence_s() -> None:
    """The quoted sentence's own figure of the same kind wins over a neighbour's: the 16
    weeks are a deadline, the consultation lasts 12."""
    art = Article.read(
        "Councils would have to decide applications on brownfield land within 16 weeks. "
        "Under the plans, which will go out to public consultation for 12 weeks, small sites "
        "would get permission in principle.",
        "Brownfield plans",
    )
    assert verdict("The public consultation on the plans will last 12 weeks.", art).supported
    assert not verdict("The public consultation on the plans will last 16 weeks.", art).supported


def test_a_whole_is_not_stated_by_a_part_of_it() -> None:
    art = Article.read(
        "Schools in 11 of the 14 municipalities that closed them are due to reopen on Monday.",
        "Floods",
    )
    assert verdict(
        "Schools in 11 of the 14 municipalities are due to reopen on Monday.", art
    ).supported
    assert not verdict(
        "Schools in all 14 municipalities are due to reopen on Monday.", art
    ).supported


def test_a_deed_the_article_denies_or_only_asks_for_is_not_done() -> None:
    art = Article.read(
        "Two men on a scooter snatched a bag of diamonds from a courier in Antwerp on Monday. "
        "The courier was treated at the scene. Detectives are examining camera footage. "
        "No arrests have been made. The regional government said it would ask Brussels to "
        "declare the district a disaster zone.",
        "Diamond courier robbed",
    )
    assert verdict("Two men on a scooter snatched a bag of diamonds from a courier.", art).supported
    assert not verdict("Police have arrested two men over the robbery.", art).supported
    assert not verdict("Brussels has declared the district a disaster zone.", art).supported


def test_units_bounds_moves_and_sides_of_a_sale() -> None:
    art = Article.read(
        "The centrepiece of the plan is a 70-megawatt heat pump. Sites of up to 5 hectares "
        "would get permission in principle. Under the proposal, pupils would move to Wardsend "
        "Primary, 0.8 miles away. Hogsted said it had agreed to buy Sonique Labs from Capitale "
        "Rhone for 480 million crowns. Amrita Sandhu was cleared of all three counts.",
        "Business and courts",
    )
    assert verdict("The plan is built around a 70-megawatt heat pump.", art).supported
    assert not verdict("The plan is built around a 70-kilowatt heat pump.", art).supported
    assert not verdict("Only sites larger than 5 hectares would get permission.", art).supported
    assert not verdict("Pupils from Wardsend Primary would move to another school.", art).supported
    assert verdict("Hogsted agreed to buy Sonique Labs for 480 million crowns.", art).supported
    assert not verdict("Hogsted agreed to sell Sonique Labs for 480 million crowns.", art).supported
    assert not verdict("Amrita Sandhu was convicted on all three counts.", art).supported


def test_a_body_is_spoken_of_by_its_kind_and_a_particle_name_in_either_case() -> None:
    """ "The trust" is Pennine Crest Academy Trust, the article's only trust; "Van
    Damme-Kessler" is one name whichever case its particle takes."""
    art = Article.read(
        "Pennine Crest Academy Trust said Hollin Bank Primary School would close in July. "
        "Parents have started a petition. More than 900 people have signed it. Local "
        "councillors have backed them. The trust says the school is expected to run a "
        "deficit of about 240,000 pounds this year. The courier works for the trading firm "
        "Van Damme-Kessler.",
        "School closure plan",
    )
    said = "Pennine Crest expects Hollin Bank to run a deficit of about 240,000 pounds."
    assert verdict(said, art).supported
    assert verdict("The courier works for the trading firm Van Damme-Kessler.", art).supported
    assert not verdict("The courier works for the trading firm Van Damme-Meyer.", art).supported


def test_a_change_from_one_figure_to_another_an_age_and_a_journal_s_name() -> None:
    """ "From 7 per cent to 6.5 per cent" is stated by "to 6.5 per cent from 7 per cent";
    "a 29-year-old picker" by "Anja Kruger, 29,"; "the Journal of Dryland Crop Science" names
    no person, so the sentence before it may name the variety it is about."""
    art = Article.read(
        "Veltrane cut its operating margin target to 6.5 per cent from 7 per cent. "
        "Anja Kruger, 29, a picker at the site, said she walked about 18 kilometres a shift. "
        "The variety, known as KSV-17, was grown on 212 farms. Average harvests reached 1.9 "
        "tonnes per hectare, according to the Journal of Dryland Crop Science.",
        "Results",
    )
    said = "Veltrane lowered its operating margin target from 7 per cent to 6.5 per cent."
    assert verdict(said, art).supported
    assert not verdict(said.replace("from 7", "from 8"), art).supported
    assert verdict(
        "Anja Kruger, a 29-year-old picker, walked 18 kilometres a shift.", art
    ).supported
    assert not verdict("Anja Kruger, a 39-year-old picker, walked 18 kilometres.", art).supported
    assert verdict("KSV-17 averaged 1.9 tonnes per hectare.", art).supported


def test_a_body_named_next_door_is_not_the_one_the_sentence_names() -> None:
    """A statement's subject may be a body the quoted sentence only calls "the group" (named
    in the sentence before); not one the quoted sentence replaces with another body."""
    interview = Article.read(
        "Callum Reid took charge of FC Aldervale in October 2023. He went into youth "
        "development at Clydeview before taking his first managerial job at Stenhouse Rovers, "
        "a part-time club.",
        "Callum Reid: the Aldervale manager",
    )
    assert check(
        read_claim("Stenhouse Rovers was Reid's first managerial job.", interview), interview
    ).supported
    assert not check(
        read_claim("FC Aldervale was Reid's first managerial job.", interview), interview
    ).supported
    gang = Article.read(
        "A ransomware gang calling itself Grey Lynx has claimed the attack. The group demanded "
        "4.5 million US dollars from the Limfjord Hospital Network and gave it seven days.",
        "Grey Lynx claims hospital hack",
    )
    claim = "Grey Lynx demanded 4.5 million US dollars and gave the network seven days."
    assert check(read_claim(claim, gang), gang).supported


def test_a_question_s_verb_counts_as_the_question_s_in_any_form() -> None:
    """'took charge' restates 'take charge': it weighs as the question's words do."""
    q = "When did Callum Reid take charge at Aldervale?"
    claim = read_claim("Callum Reid took charge of FC Aldervale in October 2023.", None, q)
    assert claim.terms["take"] == claim.terms["charge"] < 1
    art = Article.read(
        "Callum Reid was appointed in October 2023 after the sacking of his predecessor, "
        "Mick Dunleavy.",
        "Callum Reid: the Aldervale manager",
    )
    said = "Callum Reid took charge in October 2023 after the sacking of his predecessor."
    assert check(read_claim(said, art, q), art).supported
    assert not check(read_claim(said.replace("October", "November"), art, q), art).supported


def test_words_the_question_gives_leave_no_room_for_a_missing_relation() -> None:
    """A word or so may be paraphrased; two of the question's words (weighing half each) are
    not "a word": a statement that names the top scorer but not where he was bought from says
    nothing the question asks."""
    q = "From which club did Aldervale buy their top scorer?"
    art = Article.read(
        "Moussa Ndiaye scored twice as FC Aldervale won to stay in the Championship promotion "
        "race, with top scorer Tom Okafor closing in on a return from injury. The crowd was "
        "11,204. Reid praised his defence. Aldervale bought their top scorer, Okafor, from "
        "Wexley Rovers last summer.",
        "Ndiaye double keeps Aldervale in the race",
    )
    vague = "The club bought a top scorer, Tom Okafor, from the Championship club."
    assert not check(read_claim(vague, art, q), art).supported
    right = "Aldervale bought their top scorer, Tom Okafor, from Wexley Rovers."
    assert check(read_claim(right, art, q), art).supported
