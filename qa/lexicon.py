"""Word lists the entity rules use: nouns that name a kind of answer, cue words inside
organisation and place names, countries and regions (and the demonyms made from them),
titles before people's names.

Kept apart from the rules (qa/asked.py, qa/entities.py, qa/units.py) so that a list can grow
without touching logic; the two types those modules share (Kind, Span) live here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from qa.text import name_in, same_name_forms, word_list

Kind = Literal["person", "org", "place", "date", "number", "work", "reason"]


@dataclass(frozen=True)
class Span:
    """A candidate answer inside a sentence: its text, kind and offsets in the sentence."""

    text: str
    kind: Kind
    start: int
    end: int


HEAD_NOUNS: dict[Kind, frozenset[str]] = {
    "person": frozenset(
        word_list(
            """person people man woman player striker forward midfielder defender goalkeeper
            keeper scorer substitute manager coach captain minister official chief leader
            president chancellor governor mayor spokesman spokeswoman spokesperson author writer
            novelist director actor actress singer artist winner runner founder executive ceo
            chairman chairwoman chair head boss judge lawyer prosecutor suspect victim candidate
            economist epidemiologist scientist researcher doctor nurse commissioner negotiator
            mep mp lawmaker politician governor referee rider runner athlete champion envoy
            coordinator investor analyst engineer pilot officer inspector curator resident
            survivor worker member deputy secretary ambassador chef critic poet composer
            commander performer frontbencher ecologist organiser organizer campaigner
            activist representative steward"""
        )
    ),
    "org": frozenset(
        word_list(
            """company firm group organisation organization agency team club party bank union
            outlet newspaper broadcaster publisher insurer airline carrier operator utility
            supplier investor fund ministry department authority council court committee body
            institute university school hospital charity regulator government gang network
            coalition alliance partner startup start-up lender retailer manufacturer brand
            consortium association federation league side opponent opponents rival label
            studio operator insurer contractor developer miner chain chains group publication
            magazine channel"""
        )
    ),
    "place": frozenset(
        word_list(
            """country city town village region province state county district island islands
            port river lake sea mountain valley area municipality capital venue stadium ground
            site location neighbourhood neighborhood suburb street border coast airport station
            hospital prison camp base field mine dam route destination constituency seat"""
        )
    ),
    "date": frozenset(word_list("date day month year week weekday deadline")),
    "reason": frozenset(word_list("reason cause motive grounds explanation purpose")),
    "number": frozenset(
        word_list(
            """number amount sum figure total toll count percentage percent share rate price
            cost value size fine ransom score margin majority attendance crowd age salary budget
            distance height length speed temperature capacity tally level magnitude time
            percentage turnout estimate area population volume rise increase raise cut
            reduction"""
        )
    ),
    "work": frozenset(
        word_list(
            """book novel film movie album song painting paintings work works title play opera
            series documentary report mission programme program artwork exhibition poem
            collection"""
        )
    ),
}


ORG_CUES = frozenset(
    word_list(
        """Energy Logistics Bank Group Ministry Council Agency Institute University College
        FC United Town City Rovers Athletic Party Union Commission Parliament Committee Court
        Police Service Services Airlines Airways Corp Corporation Inc Ltd Limited plc PLC LLC
        Association Federation Foundation Museum Trust Authority Board Company Co Holdings
        Partners Capital Ventures Fund Systems Technologies Labs Solutions Mining Motors
        Pharma Health Hospital Hospitals Network Times News Post Herald Tribune Journal Press
        Reuters AFP Broadcasting Television Radio Organisation Organization Office Department
        Assembly Senate Congress Bundestag Diet Cabinet Government Coalition Alliance Front
        Movement League Club Society Centre Center Studios Records Publishing Books Press
        Railways Rail Ferries Isles Shipping Lines Port Authority Agency Bureau Directorate
        Secretariat Forces Army Navy Guard Brigade Police Prize Awards Democrats Republicans
        Musée Museo Museu Socialists Greens Conservatives Liberals Unit Ventures Resources
        Wire Newswire Forum Bloc Platform Initiative Partnership Industries"""
    )
)


PLACE_CUES = frozenset(
    word_list(
        """Province Region County District Island Islands River Lake Sea Ocean Valley Mountains
        Mountain Bay Coast Peninsula Desert Forest Basin Gulf Strait Street Road Square Avenue
        Park Bridge Harbour Harbor Airport Station Stadium Arena Hills Heights Falls Delta
        Canal Reserve Park"""
    )
)


COUNTRIES = frozenset(
    word_list(
        """Afghanistan Albania Algeria Andorra Angola Argentina Armenia Australia Austria
        Azerbaijan Bahamas Bahrain Bangladesh Barbados Belarus Belgium Belize Benin Bhutan
        Bolivia Bosnia Botswana Brazil Brunei Bulgaria Burundi Cambodia Cameroon Canada Chad
        Chile China Colombia Comoros Congo Croatia Cuba Cyprus Czechia Denmark Djibouti
        Dominica Ecuador Egypt Eritrea Estonia Eswatini Ethiopia Fiji Finland France Gabon
        Gambia Georgia Germany Ghana Greece Grenada Guatemala Guinea Guyana Haiti Honduras
        Hungary Iceland India Indonesia Iran Iraq Ireland Israel Italy Jamaica Japan Jordan
        Kazakhstan Kenya Kiribati Kosovo Kuwait Kyrgyzstan Laos Latvia Lebanon Lesotho Liberia
        Libya Liechtenstein Lithuania Luxembourg Madagascar Malawi Malaysia Maldives Mali Malta
        Mauritania Mauritius Mexico Moldova Monaco Mongolia Montenegro Morocco Mozambique
        Myanmar Namibia Nauru Nepal Netherlands Nicaragua Niger Nigeria Norway Oman Pakistan
        Palau Palestine Panama Paraguay Peru Philippines Poland Portugal Qatar Romania Russia
        Rwanda Samoa Senegal Serbia Seychelles Singapore Slovakia Slovenia Somalia Spain
        Sudan Suriname Sweden Switzerland Syria Taiwan Tajikistan Tanzania Thailand Togo Tonga
        Tunisia Turkey Turkmenistan Tuvalu Uganda Ukraine Uruguay Uzbekistan Vanuatu Venezuela
        Vietnam Yemen Zambia Zimbabwe Scotland England Wales Britain Europe Africa Asia
        America Antarctica Arctic Balkans Caribbean Scandinavia Siberia Crimea Kashmir
        Patagonia Amazon Sahara Bavaria Catalonia Flanders Wallonia Lapland Anatolia Andalusia
        Tuscany Lombardy Sicily Sardinia Corsica Brittany Normandy Provence Alsace Quebec
        Ontario Alberta Manitoba Saskatchewan Texas California Florida Alaska Hawaii"""
    )
)


# Words that open the names of storms and operations, which read like people's names
# ("Storm Hilde", "Hurricane Maria") but answer no question about a person or a place.
# Nouns for someone who may be a person or an organisation.
EITHER_KIND = frozenset(
    word_list(
        """investor investors buyer buyers owner owners bidder backer backers lender sponsor
        shareholder donor creditor acquirer purchaser partner supplier contractor client
        customer rival competitor"""
    )
)
PLACE_PREPOSITIONS = frozenset(
    word_list("in at near from to into across outside inside toward towards via")
)
# What only an organisation has: "Môr Gwynt's founder" makes Môr Gwynt a company, not a person.
ORG_POSSESSIONS = frozenset(
    word_list("founder founders shareholders headquarters shares ceo chairman chairwoman board")
) | {"chief executive"}
EVENT_CUES = frozenset(word_list("Storm Hurricane Typhoon Cyclone Tropical Operation"))


PERSON_TITLES = frozenset(
    word_list(
        """Mr Mrs Ms Miss Dr Prof Sir Dame Lord Lady President Minister Chancellor Governor
        Senator Judge Mayor Premier Secretary General Colonel Captain Inspector Detective
        Commissioner Pope Bishop Rev King Queen Prince Princess Sheikh"""
    )
)


FACILITIES = frozenset(
    word_list("Centre Center Museum Hospital University College Stadium Airport Port Station")
)


# Relations a question may ask about, each with the words that state it (inflections and a
# few synonyms). An answer sentence must state the question's relation: a sentence naming
# the company's revenue answers nothing about its profit, nor a death date a birth date. Only
# relations whose paraphrases are few are listed; "won" or "scored" are said too many ways.
RELATIONS: dict[str, frozenset[str]] = {
    name: frozenset(word_list(forms))
    for name, forms in {
        "born": "born birth birthday birthplace",
        "died": """die died dies dying dead death deaths killed kill kills killing fatalities fatal
            lives perished drowned victims""",
        "profit": "profit profits profitable earnings income",
        "revenue": "revenue revenues sales turnover",
        "loss": "loss losses lossmaking loss-making",
        "salary": "salary salaries wage wages",
        # A price paid: "How much did Lyon pay for Ferreira?" is answered by "for a fee of".
        "cost": """cost costs costing costly spent spend spending expense expenses pay pays
            paid paying fee fees price prices priced""",
        "resigned": "resign resigned resigns resignation quit quits stepped",
        "elected": "elected elect election re-elected",
        "appointed": "appointed appoint appoints appointment",
        # Buying and selling are one relation seen from two sides ("the club that sold him"
        # answers "from which club did they buy him").
        "traded": """acquire acquired acquires acquiring acquisition bought buy buys buying
            purchase purchased takeover sold sell sells selling sale fetched fetch fetches
            auction auctioned""",
        "founded": "founded founder founders established formed",
        "arrested": "arrested arrest arrests detained detain custody",
        # A penalty: "how much was it fined" is not answered by what the clean-up will cost.
        "fined": "fine fined fines penalty penalties penalised penalized",
        # Stolen or lost things found again: "which paintings have been recovered" is not
        # answered by the sentence listing what was stolen.
        "recovered": "recover recovered recovers recovery retrieved found find finds",
        # "How many are still missing" is not answered by the death toll.
        "missing": "missing unaccounted disappeared",
        # Falling ill: "How many have now fallen ill" is not answered by the death toll in
        # the same sentence ("killed six people and sickened 71"). Verbs and adjectives only:
        # "the illness cluster" names the story, it does not ask about the sick.
        "ill": "ill sick sickened sickens sicken sickening infected",
    }.items()
}

# Verbs of speaking and reporting: "Who told the FT about the plans?" asks for the speaker or
# the source, not for anyone the quote names.
SPEECH_VERBS = frozenset(
    word_list(
        """told tell tells said say says warned warn announced announce revealed reveal
        confirmed confirm leaked leak reported report disclosed disclose"""
    )
)


_DEMONYM = re.compile(r"([A-Z][a-z]+?)(?:ish|ese|ian|ean|ic|i|an|n)(?:-[a-z]+)?")
_COUNTRY_STEMS = frozenset(c[:4] for c in COUNTRIES)


def is_demonym(word: str) -> bool:
    """ "European", "Russian", "Ukrainian", "English": an adjective from a place's name; also
    a region's ("South American", "Middle Eastern", "West African")."""
    if word in _DEMONYMS:
        return True
    head, _, rest = word.partition(" ")
    if rest and head in _COMPASS:
        return is_demonym(rest)
    m = _DEMONYM.fullmatch(word)
    return bool(m) and word not in COUNTRIES and word[:4] in _COUNTRY_STEMS


def demonym_places(word: str) -> tuple[str, ...]:
    """How an article may name the place of a demonym instead: "Danish" -> Denmark (by the
    irregular ones), else the first three letters of its place ("Polish" -> "Pol", Poland)."""
    return _IRREGULAR_PLACES.get(word, (word[:3],))


_IRREGULAR_PLACES = {
    "Danish": ("Denmark", "Danes"),
    "Dutch": ("Netherlands", "Holland"),
    "Swiss": ("Switzerland",),
    "Welsh": ("Wales",),
    "Flemish": ("Flanders",),
    "British": ("Britain", "UK", "England", "Scotland", "Wales"),
    "Icelandic": ("Iceland",),
}


def country_named(country: str, text: str) -> bool:
    """Does `text` name the country, or its adjective ("India" by "the Indian space agency")?"""
    return re.search(rf"\b{re.escape(country[:4])}", text) is not None


def is_regional(word: str) -> bool:
    """ "South American", "European", "Nordic": an adjective of a region, which an article
    names by its countries ("Brazil's minister"), so it need not repeat the word."""
    head, _, rest = word.partition(" ")
    return (bool(rest) and head in _COMPASS and is_demonym(rest)) or word in _REGIONS


_REGIONS = frozenset(
    word_list(
        "European African Asian Nordic Scandinavian Arab Caribbean Baltic Balkan "
        "Mediterranean Alpine Eastern Western Southern Northern"
    )
)
_DEMONYMS = (
    frozenset(
        word_list(
            "English British French Dutch Danish Swedish Finnish Polish Spanish Irish Welsh "
            "Scottish Turkish Greek Swiss Thai Czech Norwegian Icelandic Flemish"
        )
    )
    | _REGIONS
)
_COMPASS = frozenset(
    word_list("North South East West Central Northern Southern Eastern Western Latin Middle")
)


# Places inside a country: a country is none of them.
WITHIN_COUNTRY = frozenset(
    word_list("city town village municipality suburb neighbourhood region province district")
)
# Place nouns that name the same kind of place ("which city" is answered by "the town of").
PLACE_FAMILIES = (
    frozenset(word_list("city town village municipality capital suburb neighbourhood")),
    frozenset(word_list("region province state county district area territory")),
)


def place_named(name: str, scope: str) -> bool:
    """ "Brazilian" is answered by an article about "Brazil's" ministers (first five letters),
    "India" by one about "the Indian space agency", "North Carolina" by a dateline's "N.C."."""
    if any(name_in(f, scope) for f in same_name_forms(name)):
        return True
    if name in COUNTRIES:
        return country_named(name, scope)
    return len(name) > 5 and " " not in name and name[:5] in scope
