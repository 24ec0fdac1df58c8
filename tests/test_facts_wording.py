"""The fact check reads the same fact however the statement words it.

Each test gives a short article, a statement that words one of its facts another way ("turned
down" for "rejected", "by seven votes to two" for "7-2", "abstaining" for "abstentions"), and a
near miss that changes the fact itself.
"""

from __future__ import annotations

from qa.facts import Article, check, read_claim


def supported(statement: str, art: Article, question: str = "") -> bool:
    return check(read_claim(statement, art, question), art).supported


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


def test_a_region_is_no_person_the_quoted_sentence_names() -> None:
    # The lede names no one; the next sentence names the director. "West Yorkshire" is a
    # region, not a second person who could be the one jailed.
    art = Article.read(
        "Finance chief jailed\n\nThe former finance director of a West Yorkshire haulage "
        "company was jailed for six years on Monday for siphoning 3.2 million pounds from the "
        "firm. Graham Pellow, 58, of Harrogate, was convicted at Leeds Crown Court in "
        "January. Judge Martin Ashdown said Pellow had betrayed the trust of a family business.",
        "Finance chief jailed",
    )
    assert supported("Graham Pellow was jailed for six years for a 3.2 million pound fraud.", art)
    assert not supported(
        "Martin Ashdown was jailed for six years for a 3.2 million pound fraud.", art
    )


def test_a_compound_states_its_words() -> None:
    art = Article.read(
        "Brightwater Foods reported an 18% rise in first-half pre-tax profit on Thursday, to "
        "46.2 million pounds.",
        "Brightwater profit rises",
    )
    assert supported("Brightwater Foods' first-half pre-tax profit rose by 18%.", art)
    assert not supported("Brightwater Foods' first-half pre-tax profit rose by 28%.", art)


def test_a_body_before_its_officer_is_no_subject() -> None:
    art = Article.read(
        "Kestrel buys wind stake\n\nKestrel Infrastructure Partners is buying a 49% stake in the "
        'wind farm from Pomorska Energia. "Poland is '
        'where the North Sea was fifteen years ago," chief executive Richard Ashcombe said in '
        "a statement. Pomorska Energia chief executive Anna Wrobel said the money would "
        "pay for a second farm.",
        "Kestrel buys wind stake",
    )
    said = (
        "Kestrel Infrastructure Partners chief executive {} said Poland is where the North Sea "
        "was fifteen years ago."
    )
    assert supported(said.format("Richard Ashcombe"), art)
    assert not supported(said.format("Jan Nowak"), art)


def test_a_plural_possessive_ends_a_name() -> None:
    art = Article.read(
        "Two men have been charged after thieves broke into Glenmure Rovers' Tayview Park "
        "stadium in Perth and took five trophies.",
        "Trophies stolen",
    )
    assert supported(
        "Thieves broke into Glenmure Rovers' Tayview Park and took five trophies.", art
    )
    assert not supported(
        "Thieves broke into Glenmure Rovers' Dens Park and took five trophies.", art
    )


def test_a_body_is_called_by_its_last_word() -> None:
    art = Article.read(
        "The Scottish Seabird Trust had asked for the wind farm to be refused. The "
        "developers said the turbines would be smaller. Their own study put the toll at fewer "
        "than 40 birds a year. Dr Helen Marr, "
        "the trust's director, said the cut to 120 turbines was \"a step in the right "
        'direction but not a solution".',
        "Wind farm approved",
    )
    said = "Dr Helen Marr, the {}'s director, called the cut to 120 turbines a step forward."
    assert supported(said.format("Scottish Seabird Trust"), art)
    assert not supported(said.format("Scottish Wildlife Trust"), art)


def test_every_word_of_a_compound_is_stated() -> None:
    art = Article.read(
        "Figures show that 78% of five-year-olds in the Gipton and Harehills wards have had "
        "both MMR doses, compared with 89% across Leeds as a whole.",
        "Measles warning",
    )
    said = "{} per cent of five-year-olds in Gipton and Harehills have had both MMR doses."
    assert supported(said.format("Seventy-eight"), art)
    assert not supported(said.format("Eighty-nine"), art)


def test_a_denial_ends_at_its_object() -> None:
    art = Article.read(
        "The turning point came in the 64th minute, when centre-back Ross Keddie was shown a "
        "second yellow card for a late tackle on Cairns. Rovers manager Stuart Imrie did not "
        "hide his frustration with the sending-off.",
        "Rovers beaten",
    )
    assert supported(
        "Ross Keddie was sent off in the 64th minute, getting a second yellow card for a late "
        "tackle on Cairns.",
        art,
    )
    assert not supported("Stuart Imrie hid his frustration with the sending-off.", art)


def test_unless_is_if_not() -> None:
    art = Article.read(
        "Drivers voted 94% in favour of industrial action. A further 48-hour stoppage will "
        "follow on 29 October if no improved offer is made, the union said.",
        "Bus strike",
    )
    assert supported(
        "A 48-hour stoppage will follow on 29 October unless an improved offer is made.", art
    )
    assert not supported(
        "A 48-hour stoppage will follow on 29 October if an improved offer is made.", art
    )


def test_a_sale_told_by_the_buyer() -> None:
    art = Article.read(
        "Kestrel buys wind stake\n\nPolish utility Pomorska Energia has agreed to sell a 49% stake "
        "in its planned Slupsk Bank offshore wind farm to Irish investment fund Kestrel "
        "Infrastructure Partners for 4.7 billion zlotys.",
        "Kestrel buys wind stake",
    )
    said = "{} is buying a 49% stake in the Slupsk Bank wind farm from {} for 4.7 billion zlotys."
    assert supported(said.format("Kestrel Infrastructure Partners", "Pomorska Energia"), art)
    assert not supported(said.format("Pomorska Energia", "Kestrel Infrastructure Partners"), art)


def test_a_share_as_a_fraction_and_a_rise_by_about() -> None:
    art = Article.read(
        "Jean Whitlock, who runs a bakery on the high street, said her takings had fallen by "
        "about a fifth since the works started.",
        "Tram works hit traders",
    )
    said = "Jean Whitlock said her takings had dropped by around {} per cent since the works began."
    assert supported(said.format(20), art)
    assert not supported(said.format(30), art)


def test_shares_in_a_company_are_its_shares() -> None:
    art = Article.read(
        "Shares in Pomorska Energia rose 4.2 per cent in Warsaw on Tuesday, while Nordvind's "
        "shares fell 1.3 per cent in Copenhagen.",
        "Wind stake sold",
    )
    assert supported("Pomorska Energia's shares rose 4.2 per cent in Warsaw.", art)
    assert not supported("Nordvind's shares rose 4.2 per cent in Warsaw.", art)


def test_a_noun_after_a_name_is_no_verb() -> None:
    art = Article.read(
        "TOLEDO, Ohio - The board of the Maumee Valley Unified School District voted 5-2 on "
        "Tuesday night to close four elementary schools at the end of the school year. The "
        "Lakeside school board voted last month to keep its schools open.",
        "School board votes to close four schools",
    )
    said = "The Maumee Valley school board voted {} to close four elementary schools."
    assert supported(said.format("5-2"), art)
    assert not supported(said.format("6-1"), art)


def test_a_name_after_a_verb_and_the_is_its_object() -> None:
    art = Article.read(
        "Ashby Priory reached the final of the Northern Counties Cup for the first time on "
        "Saturday, beating Meanwood Rovers 3-2 at Stonegate Park. Rovers, who won the cup in "
        "2019 and 2022, took the lead after eight minutes.",
        "Priory reach cup final",
    )
    said = "Ashby Priory beat Meanwood Rovers {} to reach the Northern Counties Cup final."
    assert supported(said.format("3-2"), art)
    assert not supported(said.format("3-1"), art)


def test_should_is_a_call_as_called_for_is() -> None:
    art = Article.read(
        "Ministers in London and Edinburgh could not agree on who should pay for the extra "
        "sailings. Labour's shadow transport secretary Jonah Whitcombe called for ministers in "
        "London and Edinburgh to agree a joint plan for resilient island transport.",
        "Ferry strike",
    )
    assert supported(
        "Jonah Whitcombe argued that London and Edinburgh should agree a joint plan for "
        "island transport.",
        art,
    )
    # (the call is no agreement: the article says they could not agree)
    assert not supported("London and Edinburgh agree a joint plan for island transport.", art)


def test_told_to_expect_is_should_expect() -> None:
    art = Article.read(
        "Judge Caroline Pettifer adjourned sentencing until 11 April. She told him he should "
        "expect a substantial prison sentence.",
        "Hospice finance chief guilty",
    )
    assert supported(
        "Judge Caroline Pettifer told him to expect a substantial prison sentence.", art
    )
    assert not supported("Pettifer said he could expect a suspended sentence.", art)


def test_due_to_be_is_a_schedule_not_a_cause() -> None:
    art = Article.read(
        "The winner, to be named on November 4, will receive 40,000 pounds.",
        "Calloway Prize shortlist announced",
    )
    assert supported("The winner was due to be named on November 4.", art)
    assert not supported("The winner was named on November 4 due to a strike.", art)


def test_a_country_after_a_place_is_the_country_of_the_story() -> None:
    art = Article.read(
        "BRASILIA - Deforestation in Brazil's Amazon fell by 22% in the year to July. "
        "Luisa Carvalho, a forest ecologist at the Instituto Floresta Viva in Manaus, said "
        "fire damage had risen.",
        "Amazon forest loss drops",
    )
    assert supported("Luisa Carvalho is a forest ecologist in Manaus, Brazil.", art)
    assert not supported("Luisa Carvalho is a forest ecologist in Manaus, Peru.", art)


def test_a_statement_that_restates_the_question_adds_its_answer() -> None:
    """A statement in the question's words plus the answer needs the answer beside what the
    question names, and some of the question's words in the quoted sentence."""
    art = Article.read(
        "Callum Reid took charge of FC Aldervale in October 2023. He went into youth "
        "development before taking his first managerial job at Stenhouse Rovers. Its "
        "director Ana Souza said the Instituto Floresta Viva was a research group. Luisa "
        "Carvalho, a forest ecologist at the Instituto Floresta Viva in Manaus, said fire "
        "damage had risen.",
        "Callum Reid: the Aldervale manager",
    )
    where = "In which city is the forest research group Instituto Floresta Viva located?"
    said = "The forest research group Instituto Floresta Viva is located in Manaus."
    assert supported(said, art, where)
    assert not supported(said, art)  # no question: words to state
    first = "Which club was Callum Reid's first managerial job?"
    wrong = "FC Aldervale was Callum Reid's first managerial job."
    assert not supported(wrong, art, first)


def test_a_prize_by_its_full_title_is_the_prize_the_question_names() -> None:
    """'The Calloway Prize for Fiction' is the question's 'Calloway Prize' where the article
    writes the full title, somewhere; a title the article never gives is a new name."""
    art = Article.read(
        "Six books are shortlisted for this year's Calloway Prize for Fiction. The judges read "
        "164 submissions. Two of the six are debuts. Three of the authors are Irish. The "
        "winner, to be named on November 4, will receive £40,000.",
        "Calloway Prize shortlist",
    )
    question = "How much money does the winner of the Calloway Prize receive?"
    assert supported(
        "The winner of the Calloway Prize for Fiction receives £40,000.", art, question
    )
    assert not supported(
        "The winner of the Calloway Prize for Poetry receives £40,000.", art, question
    )
    assert not supported(
        "The winner of the Calloway Prize for Fiction receives £14,000.", art, question
    )


def test_a_name_that_begins_like_a_month_is_a_name() -> None:
    """'Marta Fenwick' is a person ('Mar' is no March): 'she' two sentences later is her."""
    art = Article.read(
        "Brightwater Foods reported a rise in profit on Thursday. Chief executive Marta Fenwick "
        "said trading had been strong. The company opened a new kitchen in Leeds last year. "
        "She said it would hire 200 more people in Leeds.",
        "Brightwater profit",
    )
    assert supported("Marta Fenwick said the company would hire 200 more people in Leeds.", art)
    assert not supported("Marta Fenwick said the company would hire 300 more people in Leeds.", art)


def test_voted_against_with_a_date_between_is_still_against() -> None:
    art = Article.read(
        "Opposition councillor Marek Zielinski said the overruns should be examined by the "
        "regional audit chamber. The council voted in July against his motion to commission an "
        "independent review.",
        "Tram line opens",
    )
    assert supported(
        "The council voted in July against a motion by Marek Zielinski to commission an "
        "independent review.",
        art,
    )
    assert not supported(
        "The council voted in July to commission an independent review, as Marek Zielinski "
        "had proposed.",
        art,
    )


def test_it_said_after_the_company_is_named_is_the_company_speaking() -> None:
    """Another speaker elsewhere in the article does not take the company's words."""
    art = Article.read(
        "Brightwater employs about 5,200 people at seven sites in England and Wales. It said it "
        "had no plans to close any site. Chief executive Marta Fenwick said Glenmorrow's pies "
        "would be on sale in Brightwater's biggest customers within a year.",
        "Brightwater profit",
    )
    assert supported("Brightwater said it had no plans to close any of its seven sites.", art)
    assert not supported("Brightwater said it had plans to close two of its seven sites.", art)


def test_the_month_a_question_gives_is_the_month_a_report_was_published() -> None:
    """'The February 2025 earthquake' is the one a report from February 2025 is about; a
    report from May that recalls February's quake is about another one."""
    quake = (
        "BINGOL, Turkey (CPA) - A magnitude 6.8 earthquake struck eastern Turkey before dawn "
        "on Thursday. Its epicentre was near the town of Karliova in Bingol province."
    )
    question = "In which Turkish province was the February 2025 earthquake centred?"
    said = "The February 2025 earthquake was centred in Bingol province."
    assert supported(said, Article.read(quake, "Quake kills 41", 2025, 2), question)
    assert not supported(said, Article.read(quake, "Quake kills 41", 2025, 5), question)


def test_a_cause_the_question_gives_is_not_the_statement_s_claim() -> None:
    art = Article.read(
        "The hospitals' systems are back. In all, 2,140 planned operations had been postponed "
        "during the outage, the chief executive said.",
        "Hospital systems restored after attack",
    )
    question = "How many planned operations were postponed because of the hospital cyberattack?"
    said = "2,140 planned operations were postponed because of the hospital cyberattack."
    assert supported(said, art, question)
    assert not supported(said, art)  # asked nothing: the statement gives a cause of its own
    assert not supported(said.replace("2,140", "2,410"), art, question)


def test_a_restatement_may_repeat_the_question_s_year() -> None:
    art = Article.read(
        "SRIHARIKOTA, India, Feb 3 (SPS) - India launched its SagarNetra-1 ocean observation "
        "satellite on Monday, placing it into a polar orbit.",
        "India puts SagarNetra-1 into orbit",
        2025,
    )
    question = "What is the name of the ocean-monitoring satellite India launched in early 2025?"
    said = "The name of the ocean-monitoring satellite India launched in early 2025 is {}."
    assert supported(said.format("SagarNetra-1"), art, question)
    assert not supported(said.format("SagarNetra-2"), art, question)


def test_specifically_claims_nothing_and_a_dateline_names_its_place() -> None:
    art = Article.read(
        "SRIHARIKOTA, India, Feb 3 (SPS) - India launched its SagarNetra-1 satellite on Monday "
        "from the Satish Dhawan Space Centre, placing it into a polar orbit.",
        "India puts SagarNetra-1 into orbit",
    )
    assert supported(
        "The satellite was launched from the Satish Dhawan Space Centre at Sriharikota.", art
    )
    assert not supported(
        "The satellite was launched from the Satish Dhawan Space Centre at Chennai.", art
    )
    film = Article.read(
        "The drama follows three generations of salt workers in the marshes of the Camargue in "
        "southern France.",
        "The Salt Orchard premieres",
    )
    said = "It is set in southern France, specifically in the Camargue."
    assert supported(said, film)
    assert not supported(said.replace("the Camargue", "Picardy"), film)


def test_a_name_set_off_by_commas_before_the_verb_is_its_subject() -> None:
    art = Article.read(
        "Bernhof Pharma has agreed to buy Lysen Therapeutics. Lysen's founder and chief "
        "scientific officer, Hanne De Wilde, will join Bernhof's research leadership and remain "
        "in Ghent.",
        "Bernhof buys Lysen",
    )
    assert supported("Hanne De Wilde will join Bernhof's research leadership.", art)
    assert not supported("Matthias Gerber will join Bernhof's research leadership.", art)


def test_a_byline_does_not_part_a_headline_from_its_lead() -> None:
    art = Article.read(
        "India puts SagarNetra-1 ocean satellite into orbit after three-week delay\n"
        "Arjun Menon | SPS\n"
        "SRIHARIKOTA, India, Feb 3 (SPS) - India launched its SagarNetra-1 ocean observation "
        "satellite on Monday, February 3, placing it into a polar orbit.\n"
        "The rocket lifted off from the second launch pad at 10:17 a.m.",
    )
    said = "The satellite got into orbit on February 3, after three weeks of delay."
    assert supported(said, art)
    assert not supported(said.replace("three weeks", "five weeks"), art)


def test_higher_rail_fares_are_train_fares_that_rise() -> None:
    art = Article.read(
        "Train fares in England will rise by 4.6 per cent on 1 March 2026, the Department for "
        "Transport has confirmed.",
        "Rail fares to rise",
    )
    question = "From what date will the higher rail fares apply?"
    assert supported("The higher rail fares will apply on 1 March 2026.", art, question)
    assert not supported("The higher rail fares will apply on 1 April 2026.", art, question)
    assert not supported("Rail fares in England will be lower from 1 March 2026.", art)


def test_the_question_s_name_must_do_what_the_statement_says() -> None:
    """The question names Lysen; the article's profit is its buyer's."""
    art = Article.read(
        "Bernhof Pharma is in talks to buy Lysen Therapeutics. Bernhof made a net profit of 310 "
        "million Swiss francs last year on sales of 2.9 billion francs. Lysen has no products "
        "on sale yet, a Bernhof spokesman said.",
        "Bernhof in talks to buy Lysen",
    )
    question = "How much profit did Lysen Therapeutics make last year?"
    assert not supported(
        "Lysen Therapeutics made a net profit of 310 million francs.", art, question
    )
    question = "How much profit did Bernhof make last year?"
    assert supported("Bernhof made a net profit of 310 million francs.", art, question)


def test_an_age_is_the_age_of_the_person_it_is_given_to() -> None:
    art = Article.read(
        "The 23-year-old Korsholm, riding for the Danish team Vireo Racing, went clear with "
        "four kilometres to go and crossed the line 14 seconds ahead of Luka Breznik.",
        "Korsholm wins stage four",
    )
    assert supported("Korsholm, 23, crossed the line ahead of Luka Breznik.", art)
    assert not supported("Luka Breznik is 23 years old.", art)
