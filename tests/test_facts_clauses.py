"""The fact check reads which clause a fact belongs to and how sure the article is of it.

Each test gives a short article, a statement it supports, and a near miss that changes one
fact while every word of it stays in the article: a figure moved to another clause's verb, a
deed the article only reports as alleged, a rate, a tally, a comparison's direction.
"""

from __future__ import annotations

from qa.facts import Article, check, read_claim


def supported(statement: str, art: Article) -> bool:
    return check(read_claim(statement, art), art).supported


def test_a_figure_belongs_to_its_own_clause() -> None:
    art = Article.read(
        "The plant employs 640 people. SME said 410 of them would be offered retraining and "
        "jobs at the new units, while the remaining 230 would leave through early retirement. "
        "The wind farm is expected to create about 1,100 jobs during construction and 150 "
        "permanent jobs once it is running.",
        "Coal plant to close",
    )
    assert supported("SME said 410 of the workers would be offered retraining.", art)
    assert not supported("SME said 230 of the workers would be offered retraining.", art)
    assert supported("About 150 permanent jobs will remain once the farm is running.", art)
    assert not supported("The farm will provide about 1,100 permanent jobs once running.", art)


def test_a_deed_the_article_only_reports_or_alleges_is_not_done() -> None:
    art = Article.read(
        "Velmora Foods said profit fell 14%. Harriet Lindqvist declined to comment on press "
        "reports that Orlane Brands had made an informal approach to Velmora's shareholders. "
        "On Monday the union accused Brennock of bringing in agency workers from Cork.",
        "Velmora profit falls",
    )
    assert not supported(
        "Lindqvist confirmed that Orlane Brands had made an approach to Velmora's shareholders.",
        art,
    )
    assert not supported("Brennock admitted bringing in agency workers from Cork.", art)
    assert supported("The union accused Brennock of bringing in agency workers.", art)


def test_a_plan_reworded_as_a_deed_done_is_not_stated() -> None:
    art = Article.read(
        "Alison Rennie said the company had offered to return to the previous two-week-on, "
        "two-week-off pattern from October.",
        "Ferry talks",
    )
    assert supported(
        "The company offered to return to the previous two-week-on, two-week-off pattern.", art
    )
    assert not supported(
        "The company has gone back to the previous two-week-on, two-week-off pattern.", art
    )


def test_declined_to_comment_is_no_fall() -> None:
    art = Article.read(
        "Shares in Harlow & Pike Homes rose 3.4% on Monday. The company declined to comment "
        "on whether it had held talks with the government.",
        "New towns named",
    )
    assert supported("Shares in Harlow & Pike Homes rose 3.4% on Monday.", art)
    assert not supported("Shares in Harlow & Pike Homes fell 3.4% on Monday.", art)


def test_a_rate_a_tally_and_a_comparison_belong_to_their_figure() -> None:
    art = Article.read(
        "Strike pay of €250 a week will be paid from the second week. Councillors voted 11-6 "
        "to close the school; 9 parents spoke. A new driver earns €38,500 a year, roughly "
        '€4,000 less than a light rail driver. "We are not asking to be paid more than '
        'anyone else," he said.',
        "Strike pay",
    )
    assert supported("Strike pay of €250 a week will be paid.", art)
    assert not supported("Strike pay of €250 a month will be paid.", art)
    assert supported("Councillors voted 11-6 to close the school.", art)
    assert not supported("Councillors voted 11-9 to close the school.", art)
    said = "A new driver earns €38,500 a year, roughly €4,000 {} than a light rail driver."
    assert supported(said.format("less"), art)
    assert not supported(said.format("more"), art)


def test_cut_by_half_is_a_figure() -> None:
    art = Article.read(
        "Tierney said the Government would publish a plan to cut waiting times for grid "
        "connections by the summer, but did not say by how much.",
        "Grid plan",
    )
    assert supported("Tierney said the Government would publish a plan to cut waiting times.", art)
    assert not supported("Tierney said the plan would cut waiting times by half.", art)


def test_the_quoted_sentence_names_who_does_it() -> None:
    art = Article.read(
        "Scottish ministers granted Brightwater consent for 17 turbines.\n\nBrightwater said it "
        "had agreed to sell a 49% stake in Buchan Deep to Nordisk Pensionskasse, a pension fund, "
        "for £610 million. Brightwater will keep a 51% stake and will build and operate the "
        "wind farm.",
        "Pension fund buys stake in wind farm",
    )
    assert supported("Brightwater will keep a 51% stake and will operate the wind farm.", art)
    assert not supported(
        "Nordisk Pensionskasse will keep a 51% stake in Buchan Deep and will build the wind farm.",
        art,
    )


def test_the_company_is_the_story_s_company() -> None:
    art = Article.read(
        "COPENHAGEN - Hogsted Audio raised its profit forecast on Tuesday. Chief financial "
        "officer Anders Bogh said the company had absorbed about 60 million crowns of US import "
        'tariffs. "The US is carrying us this year," chief executive Mette Kjaergaard said.',
        "Hogsted Audio lifts forecast",
    )
    assert supported("Anders Bogh said Hogsted absorbed about 60 million crowns of tariffs.", art)
    assert supported("Mette Kjaergaard said the US was carrying Hogsted this year.", art)
    # The speaker is not who did it: Bogh absorbed nothing himself.
    art2 = Article.read(
        "Lukas Brenner said he had broken off the talks because the Heimatliste insisted on "
        "the interior ministry.",
        "Talks collapse",
    )
    assert supported("Brenner broke off the talks.", art2)
    assert not supported("The Heimatliste broke off the talks.", art2)


def test_a_quotation_after_she_said_is_the_last_named_speaker_s() -> None:
    art = Article.read(
        "The Minister for Enterprise, Niamh Corcoran, urged both sides to return to talks.\n\n"
        '"I would urge the union and the company to use it," she told reporters. "A long '
        'strike serves nobody, least of all the workers."\n\n'
        "Opposition spokesman Rory Galvin said the response was not good enough.",
        "Minister urges talks",
    )
    quote = '"a long strike serves nobody, least of all the workers"'
    v = check(read_claim(f"Rory Galvin said {quote}.", art), art)
    assert not v.supported and v.clash is not None and "Corcoran" in v.clash


def test_a_count_referred_back_to_need_not_be_counted_again() -> None:
    art = Article.read(
        "Two of the smallest primary schools in the Highlands will close in August. The "
        "council's education committee said the closures would save about £310,000 a year.",
        "Schools to close",
    )
    assert supported("The committee said closing the two schools would save £310,000 a year.", art)
    assert not supported("The committee said closing the three schools would save £310,000.", art)


def test_a_place_before_based_is_the_name() -> None:
    art = Article.read(
        "Velmora said it had agreed to buy Glenbrae Bakery, an oatcake maker based in Perth, "
        "for £47 million.",
        "Velmora buys bakery",
    )
    assert supported("Velmora agreed to buy Perth-based Glenbrae Bakery for £47 million.", art)
    assert not supported("Velmora agreed to buy Dundee-based Glenbrae Bakery for £47 million.", art)


def test_the_story_s_subject_need_not_be_in_the_headline() -> None:
    art = Article.read(
        "BILLINGHAM - About 640 workers at Corrigan Chemicals voted to strike on Monday. "
        "Corrigan Chemicals makes solvents for the paint industry. Corrigan Chemicals said the "
        "offer was fair. Regional manager Sam Blakely said the company would use managers and "
        "contractors to keep the plant running.",
        "Teesside chemical workers vote to strike",
    )
    assert supported("Blakely said Corrigan would use managers and contractors.", art)
    # Another body named in the sentence is not "the company".
    art2 = Article.read(
        "BILLINGHAM - About 640 workers at Corrigan Chemicals voted to strike on Monday. "
        "Corrigan Chemicals makes solvents. Corrigan Chemicals said the offer was fair. Sam "
        "Blakely of Tees Contracting said the company would supply managers to keep the plant "
        "running.",
        "Teesside chemical workers vote to strike",
    )
    assert not supported("Blakely said Corrigan would supply managers.", art2)


def test_an_acronym_is_its_name_written_out() -> None:
    art = Article.read(
        "The study covered 40 farms. The research was funded by a €2.1 million grant from the "
        "European Union's Horizon programme.",
        "Citrus study",
    )
    assert supported("The research was funded by a €2.1 million grant from the EU.", art)
    assert not supported("The research was funded by a €2.1 million grant from Spain.", art)


def test_a_quarter_is_its_months() -> None:
    art = Article.read(
        "Operating profit for the three months to September fell to €212 million from €259 "
        "million a year earlier. Sales for July to September rose 4%.",
        "Veltrane profit falls",
    )
    assert supported("Operating profit for the third quarter fell to €212 million.", art)
    assert supported("Sales rose 4% in the third quarter.", art)
    assert not supported("Operating profit for the second quarter fell to €212 million.", art)


def test_two_joined_facts_keep_their_own_names() -> None:
    art = Article.read(
        "Belgium's science minister, Els Vandamme, said the deal showed the strength of Flemish "
        "research, but unions asked for written guarantees on jobs.",
        "Bernhof buys Ghent lab",
    )
    assert supported(
        "Vandamme said the deal showed the strength of Flemish research, while unions asked "
        "for written guarantees on jobs.",
        art,
    )
    v = check(
        read_claim(
            "Unions said the deal showed the strength of Flemish research, while science "
            "minister Els Vandamme asked for written guarantees on jobs.",
            art,
        ),
        art,
    )
    assert not v.supported and v.clash is not None


def test_a_denial_the_article_denies_is_no_denial() -> None:
    art = Article.read(
        "The government granted consent for the wind farm on Thursday. Alasdair Sutherland, "
        "of the fishermen's association, said the association had not ruled out seeking a "
        "judicial review of the decision.",
        "Wind farm approved",
    )
    said = "Sutherland said the association had {} seeking a judicial review of the decision."
    assert supported(said.format("not ruled out"), art)
    assert not supported(said.format("ruled out"), art)


def test_a_purpose_of_a_plan_is_foreseen() -> None:
    art = Article.read(
        "The team took a first core on the Austre glacier last spring. They plan to return "
        "in spring 2026 to drill a second core about 30 kilometres to the north.",
        "Glacier cores",
    )
    assert supported("The team plans to drill a second core in spring 2026.", art)
    assert not supported("The team drilled a second core in spring 2026.", art)


def test_talks_to_sell_are_no_sale() -> None:
    art = Article.read(
        "Vantorp said it was in talks to sell its Danish sausage business, Gron Slagter, to a "
        "buyer it did not name.",
        "Vantorp results",
    )
    assert supported("Vantorp is in talks to sell its Danish sausage business.", art)
    assert not supported("Vantorp has sold its Danish sausage business to a buyer.", art)


def test_a_place_listed_with_another_is_a_place() -> None:
    art = Article.read(
        "Storm Eowyn is expected to reach Galway on Friday. The electricity network operator "
        "said crews had been placed on standby in Castlebar and Ennis.",
        "Storm warning",
    )
    assert supported("The operator put crews on standby in Castlebar and Ennis.", art)
    assert not supported("The operator put crews on standby in Castlebar and Galway.", art)


def test_a_rate_past_what_it_counts() -> None:
    art = Article.read(
        "The developers have committed to a community benefit fund of 5,000 pounds per "
        "megawatt of installed capacity per year.",
        "Wind farm fund",
    )
    said = "The fund will pay 5,000 pounds per megawatt of installed capacity {}."
    assert supported(said.format("every year"), art)
    assert not supported(said.format("each month"), art)


def test_part_of_a_named_whole() -> None:
    art = Article.read(
        "Pupils will be offered places at Rodley Park Primary, which has agreed to take on up "
        "to 12 of Hollin Lane's 19 staff.",
        "School to close",
    )
    assert supported("Rodley Park Primary has agreed to take on up to 12 of the 19 staff.", art)
    assert not supported(
        "Rodley Park Primary has agreed to take on all 19 of Hollin Lane's staff.", art
    )


def test_what_the_article_says_is_not_confirmed_is_not() -> None:
    art = Article.read(
        "The metropolitan authority says the French state is expected to contribute 60 million "
        "euros towards the project, although the transport ministry has not yet confirmed the "
        "figure.",
        "Tram extension approved",
    )
    assert supported("The French state is expected to contribute 60 million euros.", art)
    assert not supported(
        "The French state has confirmed that it will contribute 60 million euros.", art
    )


def test_a_plan_with_its_figure_is_no_deed() -> None:
    art = Article.read(
        "The development, called Orchard Fields, will eventually have 1,400 apartments. The "
        "first 320 homes were finished in June.",
        "Homes for rent",
    )
    assert supported("The first 320 homes at Orchard Fields were finished in June.", art)
    assert not supported("All 1,400 apartments at Orchard Fields have now been completed.", art)


def test_he_is_the_subject_of_his_verb() -> None:
    art = Article.read(
        "Callum Reid has managed Aldervale since 2019. His wage bill, he says, is in the bottom "
        "half of the league. The average gate at Millbrook Park has risen from around 13,000 "
        "to more than 16,000 since he took over.",
        "Callum Reid: the Aldervale manager",
    )
    assert supported(
        "The average attendance at Millbrook Park has risen to more than 16,000 since Reid "
        "took over.",
        art,
    )
    assert not supported(
        "The average attendance at Millbrook Park has risen to more than 18,000 since Reid "
        "took over.",
        art,
    )


def test_the_buyer_is_not_the_seller() -> None:
    art = Article.read(
        "The committee voted six to four in favour of the scheme by developer Carrick Homes, "
        "which bought the site from Kingsmere Rovers in 2021 for 14.5 million pounds, shortly "
        "after the club moved to its new stadium.",
        "Homes approved on old ground",
    )
    said = "{} bought the site from {} for 14.5 million pounds in 2021."
    assert supported(said.format("Carrick Homes", "Kingsmere Rovers"), art)
    assert not supported(said.format("Kingsmere Rovers", "Carrick Homes"), art)


def test_two_figures_the_other_way_round() -> None:
    art = Article.read(
        "The union said 87 per cent of those voting had backed strike action in a ballot that "
        "closed on October 20, on a turnout of 76 per cent.",
        "Dock workers to strike",
    )
    said = (
        "In the ballot, {} per cent of those voting backed a strike, on a turnout of {} per cent."
    )
    assert supported(said.format(87, 76), art)
    assert not supported(said.format(76, 87), art)


def test_a_place_by_its_possessive() -> None:
    art = Article.read(
        "The theatre in Bergen lost a fifth of its grant. In Stavanger, about 160 kilometres to "
        "the south, the city council voted in December to increase the grant of its main "
        "theatre, Rogaland Scene, by 6 per cent.",
        "Bergen theatre loses grant",
    )
    said = "{}'s city council voted in December to increase the grant of Rogaland Scene by 6%."
    assert supported(said.format("Stavanger"), art)
    assert not supported(said.format("Bergen"), art)


def test_guilty_is_not_acquitted_nor_all_a_part() -> None:
    art = Article.read(
        "His co-defendant, Lorraine Beckwith, 44, was acquitted of conspiracy to commit fraud. "
        "The shipyard won a contract to build 40 of the project's 80 steel foundations.",
        "Fraud trial ends",
    )
    assert supported("Lorraine Beckwith was acquitted of conspiracy to commit fraud.", art)
    assert not supported("Lorraine Beckwith was found guilty of conspiracy to commit fraud.", art)
    assert supported("The shipyard will build 40 of the project's 80 steel foundations.", art)
    assert not supported("The shipyard will build all 80 of the project's steel foundations.", art)


def test_a_sale_past_an_apposition_and_a_seller_as_owner() -> None:
    art = Article.read(
        "Corran also completed the sale of its facilities-management business, Corran "
        "Services, to Pendle Group for 96 million pounds.",
        "Corran results",
    )
    assert supported("Corran sold its facilities-management business to Pendle Group.", art)
    assert not supported(
        "Corran Group bought the facilities-management business of Pendle Group.", art
    )


def test_a_name_asserts_no_noun() -> None:
    art = Article.read(
        "The expedition was paid for by a grant from the government's Marine Frontiers Fund, "
        "and the team hopes to return to the trench in 2026. "
        "A second expedition, to the Tonga Trench further north, has been proposed but has "
        "not yet been funded.",
        "New snailfish named",
    )
    assert supported("A second expedition, to the Tonga Trench, has been proposed.", art)
    assert not supported(
        "The team has secured funding for a second expedition, to the Tonga Trench.", art
    )


def test_a_change_keeps_its_figures_together() -> None:
    art = Article.read(
        "Revenue rose 6% to 2.84 billion pounds, helped by the group's infrastructure "
        "division, which grew sales by 14% to 1.12 billion pounds.",
        "Corran results",
    )
    assert supported("Revenue rose by 6% to 2.84 billion pounds.", art)
    assert not supported("Revenue grew by 14% to 2.84 billion pounds.", art)
