"""A deterministic, news-like scale corpus with questions whose answers are known.

Why generate rather than download: the benchmarks need N up to 20,000 articles, offline, with
questions that have a gold article, and the same bytes on every run so figures compare across
runs. Article `i` depends only on `(seed, i)` (and on earlier articles for the near-duplicates),
so the N=100 corpus is the first 100 articles of the N=1,000 one.

Each article has a headline, a byline, a date, a source, 4-7 paragraphs with named people,
places, organisations, amounts, counts and dates, and page furniture the cleaner must remove:
photo captions with credits, "Advertisement" slots, "Read more at ..." pointers and copyright /
newsletter footers. Every 25th article is a near-duplicate (a syndicated copy with a reworded
opening, another outlet and id) and every 200th an exact copy of an earlier article's text
under a new id. Questions name facts stated in one sentence of their gold article; a question
about an article that has near-duplicates counts those as gold too.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = [
    "BOILERPLATE_MARKERS",
    "BenchArticle",
    "BenchQuestion",
    "Corpus",
    "changed_copy",
    "generate",
    "write_jsonl",
    "write_questions",
    "write_txt",
]

MAX_N = 24_000  # unique lead names are guaranteed up to here (FIRST x LAST pairs)
NEAR_DUP_EVERY = 25  # article i with i % 25 == 24 re-publishes article i - 7
EXACT_DUP_EVERY = 200  # article i with i % 200 == 199 copies article i - 50 verbatim

# Strings that only ever occur in page furniture: none may survive cleaning.
BOILERPLATE_MARKERS = (
    "All rights reserved",
    "AP Photo/",
    "via Getty Images",
    "Advertisement",
    "Sign up for",
    "Read more at",
    "newsletter",
)

FIRST = """Elena Marcus Priya Tomasz Aisha Jonas Mariana Kwame Ingrid Rafael Sofia Daniel Yuki
Omar Helena Mateo Chloe Viktor Amara Lucas Nadia Samuel Freya Diego Leila Henrik Zara Pablo
Greta Ibrahim Maya Stefan Noor Felix Anika Luca Imani Oskar Rosa Tariq Clara Emil Fatima
Hugo Lena Kofi Astrid Marco Selin Julian Mei Andrei Ayesha Bruno Carmen Dmitri Eva Farid
Gabriela Hassan Iris Jakob Keiko Leon Malia Nikolai Olga Pedro Quinn Ruth Sven Tamara Umar
Vera Wilhelm Ximena Yusuf Zofia Adrian Bianca Cyrus Delia Esteban Fiona Gustav Hana Ivan
Jasmine Karl Lucia Magnus Nina Otto Paula Rami Signe Theo Ursula Valentin Wanda Xavier Yara
Zeno Alma Boris Celine Dario Elif Frida Gideon Hedda Isak Jana Kenji""".split()  # noqa: SIM905
LAST = """Varga Okafor Lindqvist Moreau Castellanos Nakamura Petrov Adeyemi Hoffmann Rossi
Kowalski Haddad Fernandes Johansson Mensah Novak Duarte Schneider Tanaka Oyelaran Brennan
Costa Dubois Ekström Farouk Gallagher Horvat Ivanova Jansen Kaplan Laurent Mbeki Nilsen
Ortega Pacheco Quintero Richter Sato Takahashi Ueda Vasquez Weber Xu Yilmaz Zielinski Abbott
Bauer Carvalho Delgado Eriksen Fischer Garcia Hansen Iqbal Jovanovic Keller Lopez Mendes
Nguyen Olsen Pereira Quist Ramos Silva Torres Urban Valdez Wagner Young Zamora Albrecht
Bianchi Cruz Dahl Engel Fonseca Grant Hale Ilic Juarez Kiss Lund Marsh Nash Ortiz Price
Reyes Stone Thorne Ulrich Voss Walsh Yates Zeller Amato Banerjee Chandra Diallo Edwards
Fuentes Greco Holm Ito Jung Kumar Lambert Moretti Nolan Osei Park Quinn Rahman Sandoval
Tran Underwood Vidal Whitaker Yoon Zhou Arslan Barros Cole Dietrich Esposito Falk Gunn
Hayes Ishikawa Jensen Klein Lucero Maddox Neumann Oakes Pruitt Roth Salazar Tate Umber
Vance Wolfe Yamada Zubiri Aguilar Brandt Conti Dorsey Ellis Frost Gomez Hurst Ingram Jonsson
Kato Lindgren Molina Novotny Owens Pryor Rinaldi Sorensen Tucker Uribe Vogel Ward Yeats Ziegler
Acosta Berg Caruso Dunn Eklund Ferraro Gray Holt Ibarra Joyce Kerr Lowe Munro Norris""".split()  # noqa: SIM905


def _cities() -> list[str]:
    raw = (
        "Brookhaven, Millbrook, Riverton, Ashford, Fairview, Lakeshore, Oakridge, Kingsport, "
        "Westfield, Harborview, Cedar Falls, Granite Bay, Pinecrest, Stonebridge, Maplewood, "
        "Eastport, Silver Springs, Northgate, Clearwater, Redmond, Hollis, Brightwater, "
        "Elmstead, Fox Hollow, Greystone, Highmoor, Ironwood, Juniper, Keswick, Lowell, "
        "Marlow, Newhaven, Orchard Park, Portside, Quarry Hill, Rosedale, Sandhurst, "
        "Thornbury, Upton, Valemont, Whitby, Yarrow, Zephyr Bay, Alder Creek, Bellmont, Corbin, "
        "Dunmore, Everly, Fenwick, Glenwood, Hartwell, Inverness, Jasper, Kirkland, Linton"
    )
    return [c.strip() for c in raw.split(",")]


CITIES = _cities()
# Outlet names all contain a word the cleaner's byline parser knows as an outlet word.
SOURCES = [
    ("Harbor Daily News", "harbordailynews.example"),
    ("Valley Times", "valleytimes.example"),
    ("Metro Post", "metropost.example"),
    ("Coastal Herald", "coastalherald.example"),
    ("Northern Tribune", "northerntribune.example"),
    ("Capital Journal", "capitaljournal.example"),
    ("Lakeside Gazette", "lakesidegazette.example"),
    ("River City Press", "rivercitypress.example"),
    ("Summit Daily", "summitdaily.example"),
    ("Plains Report", "plainsreport.example"),
]
PROJECTS = [
    "a new water treatment plant",
    "the riverside flood wall",
    "a downtown bus terminal",
    "the public library expansion",
    "a youth sports complex",
    "road repairs on the east side",
    "a solar farm on the old landfill",
    "affordable housing near the rail yard",
    "a new fire station",
    "lead pipe replacement",
    "the harbor dredging programme",
    "a community health clinic",
]
COMPANIES = [
    "Norhaven Logistics",
    "Brightline Foods",
    "Corvale Energy",
    "Dunmark Robotics",
    "Elstree Pharma",
    "Fairhold Bank",
    "Glenmoor Steel",
    "Halcyon Software",
    "Irongate Mining",
    "Juniper Telecom",
    "Kestrel Airlines",
    "Lumen Retail",
]
PRODUCTS = ["frozen meals", "heat pumps", "cloud storage", "electric vans", "vaccines",
            "smartphones", "running shoes", "solar panels", "pet food",
            "home insurance"]  # fmt: skip
TEAMS = ["Rovers", "Mariners", "Comets", "Falcons", "Wolves", "Pioneers", "Harriers",
         "Titans", "Otters", "Stags", "Ravens", "Beacons"]  # fmt: skip
UNIVERSITIES = ["Northgate University", "the University of Keswick",
                "Linton Institute of Technology", "Valemont College",
                "the Riverton Medical School", "Ashford University"]  # fmt: skip
SUBJECTS = ["sleep and memory", "microplastics in tap water", "urban heat islands",
            "childhood asthma", "coral bleaching", "screen time and attention",
            "air pollution near schools", "bee population decline"]  # fmt: skip
COMPANY_CASES = ["a data breach", "unpaid overtime", "a pipeline spill", "misleading adverts",
                 "a contract dispute", "price fixing"]  # fmt: skip
STORMS = ["Alma", "Bruno", "Celia", "Dorian", "Edda", "Fergus", "Greta", "Hector", "Inez",
          "Joaquin", "Kira", "Lorenzo"]  # fmt: skip
LINES = ["Green Line", "Harbor Line", "Crosstown Line", "Airport Link", "Blue Line",
         "North Loop", "Valley Line", "Red Line"]  # fmt: skip
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip


@dataclass(frozen=True)
class BenchArticle:
    """One generated article as written to disk (the `text` still carries its boilerplate)."""

    id: str
    title: str
    text: str
    source: str
    url: str
    published_at: str  # YYYY-MM-DD
    author: str
    topic: str
    dup_of: str | None = None  # the article this one re-publishes (near or exact copy)
    exact_dup: bool = False

    def record(self) -> dict[str, str]:
        """The .jsonl record the engine ingests (fields from docs/design.md)."""
        return {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "url": self.url,
            "published_at": self.published_at,
            "source": self.source,
            "author": self.author,
        }


@dataclass(frozen=True)
class BenchQuestion:
    """An eval-suite style question: the answer string occurs verbatim in every gold article."""

    id: str
    question: str
    answer: str
    articles: list[str]
    # "named": names the article's lead person; "described": the story's own words, no person;
    # "paraphrased": other words than the article's (what dense retrieval is for), no person.
    style: str

    def suite_line(self) -> dict[str, object]:
        d = asdict(self)
        d["accept"] = [self.answer]
        return d


@dataclass
class Corpus:
    seed: int
    articles: list[BenchArticle]
    questions: list[BenchQuestion] = field(default_factory=list)

    @property
    def by_id(self) -> dict[str, BenchArticle]:
        return {a.id: a for a in self.articles}


# --------------------------------------------------------------------------- facts


def _lead_name(i: int) -> tuple[str, str]:
    """A lead person unique to article i (a bijection of i onto FIRST x LAST for i < MAX_N)."""
    k = (i * 7919) % (len(FIRST) * len(LAST))
    return FIRST[k % len(FIRST)], LAST[k // len(FIRST)]


def _date(rng: random.Random, year: int | None = None) -> dt.date:
    start = dt.date(year or 2024, 1, 1)
    span = 365 if year else 700
    return start + dt.timedelta(days=rng.randrange(span))


def _long(d: dt.date) -> str:
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def _money(rng: random.Random) -> str:
    return f"${rng.randrange(12, 980) / 10:.1f} million"


def _count(rng: random.Random, lo: int, hi: int) -> str:
    return f"{rng.randrange(lo, hi):,}"


def _pct(rng: random.Random) -> str:
    return f"{rng.randrange(15, 420) / 10:.1f}%"


def _other(rng: random.Random) -> str:
    """A secondary person; the middle initial keeps lead names ("First Last") unique."""
    return f"{rng.choice(FIRST)} {chr(65 + rng.randrange(26))}. {rng.choice(LAST)}"


@dataclass
class _Draft:
    topic: str
    title: str
    paragraphs: list[str]  # body paragraphs, the first is the lead
    questions: list[tuple[str, str, str]]  # (question, answer, style)


def _budget(rng: random.Random, s: dict[str, str]) -> _Draft:
    s.update(project=rng.choice(PROJECTS), amount=_money(rng), votes=f"{rng.randrange(5, 9)}-"
             f"{rng.randrange(0, 4)}", years=str(rng.randrange(2, 9)))  # fmt: skip
    return _Draft(
        "budget",
        f"{s['city']} council backs {s['amount']} plan for {s['project']}",
        [
            f"The {s['city']} city council voted {s['votes']} on {s['weekday']} to spend "
            f"{s['amount']} on {s['project']}, Mayor {s['person']} said.",
            f'"This is money we should have spent a decade ago," {s["last"]} told reporters '
            f"outside City Hall. The work is expected to take {s['years']} years.",
            f"Council member {s['other']} voted against the plan, arguing that the city's "
            f"reserves were already stretched after the spending of {s['prev_year']}.",
        ],
        [
            (
                f"How much did Mayor {s['person']} say {s['city']} would spend on {s['project']}?",
                s["amount"],
                "named",
            ),
            (
                f"What was the council vote in {s['city']} on the money for {s['project']}?",
                s["votes"],
                "described",
            ),
            (
                f"What sum did local lawmakers in {s['city']} agree to put toward {s['project']}?",
                s["amount"],
                "paraphrased",
            ),  # fmt: skip
        ],
    )


def _earnings(rng: random.Random, s: dict[str, str]) -> _Draft:
    s.update(company=rng.choice(COMPANIES), product=rng.choice(PRODUCTS), pct=_pct(rng),
             revenue=_money(rng).replace("million", "billion"),
             q=f"Q{rng.randrange(1, 5)}")  # fmt: skip
    return _Draft(
        "earnings",
        f"{s['company']} profit climbs {s['pct']} on strong {s['product']} sales",
        [
            f"{s['company']} reported on {s['weekday']} that quarterly profit rose {s['pct']}, "
            f"helped by demand for its {s['product']}, chief executive {s['person']} said.",
            f"Revenue for the {s['q']} period reached {s['revenue']}. Analysts at "
            f"{s['city']} Capital had expected a smaller gain.",
            f'"Customers came back faster than we planned for," {s["last"]} said on a call '
            f"with investors, adding that the company would hire in {s['city']}.",
        ],
        [
            (
                f"By what percentage did quarterly profit rise at the company led by "
                f"{s['person']}?",
                s["pct"],
                "named",
            ),
            (
                f"Who is the chief executive of {s['company']} who spoke about {s['product']} "
                f"demand in {s['q']}?",
                s["person"],
                "described",
            ),
            (
                f"How much did {s['q']} earnings grow at {s['company']} thanks to buyers of its "
                f"{s['product']}?",
                s["pct"],
                "paraphrased",
            ),  # fmt: skip
        ],
    )


def _sports(rng: random.Random, s: dict[str, str]) -> _Draft:
    t1, t2 = rng.sample(TEAMS, 2)
    a, b = rng.randrange(2, 6), rng.randrange(0, 2)
    s.update(team=f"{s['city']} {t1}", rival=f"{rng.choice(CITIES)} {t2}", score=f"{a}-{b}",
             crowd=_count(rng, 4000, 60000))  # fmt: skip
    return _Draft(
        "sports",
        f"{s['team']} beat {s['rival']} {s['score']}",
        [
            f"The {s['team']} beat the {s['rival']} {s['score']} on {s['weekday']} in front of "
            f"a crowd of {s['crowd']}, with {s['person']} scoring twice.",
            f'"We finally played the way we train," coach {s["other"]} said after the match. '
            f"{s['last']} has now scored in four straight games.",
        ],
        [
            (
                f"What was the final score of the match in which {s['person']} scored twice?",
                s["score"],
                "named",
            ),
            (
                f"How large was the crowd when the {s['team']} played the {s['rival']}?",
                s["crowd"],
                "described",
            ),
            (
                f"By what score did the {s['team']} get the better of the {s['rival']}?",
                s["score"],
                "paraphrased",
            ),  # fmt: skip
        ],
    )


def _science(rng: random.Random, s: dict[str, str]) -> _Draft:
    s.update(uni=rng.choice(UNIVERSITIES), subject=rng.choice(SUBJECTS),
             n=_count(rng, 120, 9000), pct=_pct(rng), journal=rng.choice(
                 ["The Lancet", "Nature", "Science Advances", "PLOS One"]))  # fmt: skip
    uni_title = s["uni"][0].upper() + s["uni"][1:]
    return _Draft(
        "science",
        f"{uni_title} study links {s['subject']} to new risks",
        [
            f"A study of {s['n']} participants led by {s['person']} at {s['uni']} found a "
            f"{s['pct']} difference in outcomes linked to {s['subject']}.",
            f"The findings were published on {s['event_date']} in {s['journal']}. "
            f'"We did not expect an effect this large," {s["last"]} said.',
            f"Independent researcher {s['other']} said the results should be repeated in a "
            f"larger group before anyone changes their habits.",
        ],
        [
            (
                f"How many participants were in the study led by {s['person']}?",
                s["n"],
                "named",
            ),
            (
                f"In which journal was the {s['uni']} study on {s['subject']} with {s['n']} "
                f"participants published?",
                s["journal"],
                "described",
            ),
            (
                f"How big was the group of volunteers in the {s['uni']} research into "
                f"{s['subject']} that came out in {s['event_date'].split()[0]} "
                f"{s['event_date'].split()[-1]}?",
                s["n"],
                "paraphrased",
            ),  # fmt: skip
        ],
    )


def _court(rng: random.Random, s: dict[str, str]) -> _Draft:
    s.update(company=rng.choice(COMPANIES), case=rng.choice(COMPANY_CASES),
             days=str(rng.randrange(10, 90)), fine=_money(rng))  # fmt: skip
    return _Draft(
        "court",
        f"Judge orders {s['company']} to answer claims over {s['case']}",
        [
            f"Judge {s['person']} on {s['weekday']} gave {s['company']} {s['days']} days to "
            f"respond to claims over {s['case']} in {s['city']} district court.",
            f"The plaintiffs are seeking damages of {s['fine']}. A lawyer for the company, "
            f"{s['other']}, said it would contest every claim.",
        ],
        [
            (
                f"How many days did Judge {s['person']} give {s['company']} to respond?",
                f"{s['days']} days",
                "named",
            ),
            (
                f"What damages are the plaintiffs seeking from {s['company']} over {s['case']} "
                f"in the {s['city']} court?",
                s["fine"],
                "described",
            ),
            (
                f"How long has {s['company']} got to answer the lawsuit about {s['case']} in "
                f"{s['city']}?",
                f"{s['days']} days",
                "paraphrased",
            ),  # fmt: skip
        ],
    )


def _storm(rng: random.Random, s: dict[str, str]) -> _Draft:
    s.update(storm=rng.choice(STORMS), homes=_count(rng, 1500, 250000),
             wind=str(rng.randrange(70, 190)))  # fmt: skip
    return _Draft(
        "storm",
        f"Storm {s['storm']} cuts power to thousands in {s['city']}",
        [
            f"Storm {s['storm']} left {s['homes']} homes without power in {s['city']} on "
            f"{s['weekday']}, with gusts reaching {s['wind']} kilometres per hour.",
            f"Emergency manager {s['person']} said crews would work through the night. "
            f'"Stay off the roads unless you have to travel," {s["last"]} said.',
        ],
        [
            (
                f"How many homes lost power according to emergency manager {s['person']}?",
                s["homes"],
                "named",
            ),
            (
                f"How strong were the gusts when Storm {s['storm']} hit {s['city']}?",
                f"{s['wind']} kilometres per hour",
                "described",
            ),
            (
                f"How many households were left in the dark in {s['city']} by Storm {s['storm']}?",
                s["homes"],
                "paraphrased",
            ),  # fmt: skip
        ],
    )


def _transit(rng: random.Random, s: dict[str, str]) -> _Draft:
    opening = _date(rng, 2026)
    s.update(line=rng.choice(LINES), km=str(rng.randrange(4, 40)), cost=_money(rng),
             opening=_long(opening), stations=str(rng.randrange(5, 30)))  # fmt: skip
    return _Draft(
        "transit",
        f"{s['city']} {s['line']} to open next year",
        [
            f"The {s['km']}-kilometre {s['line']} in {s['city']} will open on "
            f"{s['opening']}, transport director {s['person']} announced on {s['weekday']}.",
            f"The line has {s['stations']} stations and cost {s['cost']}. Commuter groups led "
            f"by {s['other']} welcomed the date but asked for later evening service.",
        ],
        [
            (
                f"When will the line announced by transport director {s['person']} open?",
                s["opening"],
                "named",
            ),
            (
                f"How many stations does the {s['line']} in {s['city']} have?",
                s["stations"],
                "described",
            ),
            (
                f"On what date will {s['city']}'s {s['line']} start carrying passengers?",
                s["opening"],
                "paraphrased",
            ),  # fmt: skip
        ],
    )


def _election(rng: random.Random, s: dict[str, str]) -> _Draft:
    s.update(pct=f"{rng.randrange(505, 720) / 10:.1f}%", turnout=f"{rng.randrange(30, 75)}%")
    return _Draft(
        "election",
        f"{s['person']} wins {s['city']} mayoral race",
        [
            f"{s['person']} won the {s['city']} mayoral election on {s['weekday']} with "
            f"{s['pct']} of the vote, defeating {s['other']}.",
            f"Turnout was {s['turnout']}, election officials said. {s['last']} promised to "
            f"publish the city's spending online within a hundred days.",
        ],
        [
            (
                f"What share of the vote did {s['person']} win?",
                s["pct"],
                "named",
            ),
            (
                f"Whom did the winner defeat in the {s['city']} mayoral election with "
                f"{s['pct']} of the vote?",
                s["other"],
                "described",
            ),
            (
                f"What percentage of ballots did the winner of the {s['city']} race for mayor "
                f"against {s['other']} receive?",
                s["pct"],
                "paraphrased",
            ),  # fmt: skip
        ],
    )


TOPICS: list[Callable[[random.Random, dict[str, str]], _Draft]] = [
    _budget, _earnings, _sports, _science, _court, _storm, _transit, _election
]  # fmt: skip

FILLER = [
    "Residents interviewed on {weekday} said they had followed the debate for months.",
    "Officials in {city2} are watching the outcome closely, according to {other2}.",
    "The decision follows a difficult year for the region, which lost {n2} jobs in {prev_year}.",
    "Critics say the plan does too little, too late, while supporters call it overdue.",
    "A spokesperson for the regional government declined to comment on {weekday}.",
    "Local business owners said the announcement could bring more visitors downtown.",
    "{other2}, who has lived in {city} for {n3} years, said the change was long awaited.",
    "Similar measures were tried in {city2} in {prev_year}, with mixed results.",
    "A public hearing is scheduled for {hearing}, when residents can submit questions.",
    "Opposition figures argued that the timing was driven by politics rather than need.",
    "Budget documents released in {prev_year} showed the same proposal had been delayed twice.",
    "{other2} said the community had been asking for a clear answer since {prev_year}.",
    "Neighbouring {city2} announced a review of its own plans on the same day.",
    "Some residents said they only learned of the plan from social media posts.",
    "An independent audit is due before the end of the year, officials said.",
    "The issue has divided the council since the last election, when turnout was low.",
    "Regional planners estimate that {n2} households could be affected over the next decade.",
    "Union representatives said they had not been consulted before the announcement.",
    "A petition opposing the plan gathered {n2} signatures in less than a month.",
    "Experts cautioned that the full cost will not be known for several years.",
]


def _boilerplate_caption(rng: random.Random, s: dict[str, str]) -> str:
    credit = rng.choice([f"(AP Photo/{_other(rng)})", f"({_other(rng)}/AFP via Getty Images)"])
    return f"People gather near the center of {s['city']} on {s['event_date']}. {credit}"


def _draft(seed: int, i: int) -> tuple[_Draft, dict[str, str], random.Random]:
    rng = random.Random(f"news-qa-bench:{seed}:{i}")
    first, last = _lead_name(i)
    event = _date(rng)
    s = {
        "person": f"{first} {last}",
        "last": last,
        "city": rng.choice(CITIES),
        "city2": rng.choice(CITIES),
        "other": _other(rng),
        "other2": _other(rng),
        "weekday": WEEKDAYS[event.weekday()],
        "event_date": _long(event),
        "published": (event + dt.timedelta(days=rng.randrange(0, 3))).isoformat(),
        "prev_year": str(event.year - rng.randrange(1, 6)),
        "n2": _count(rng, 200, 9000),
        "n3": str(rng.randrange(3, 60)),
        "hearing": _long(event + dt.timedelta(days=rng.randrange(10, 60))),
    }
    draft = rng.choice(TOPICS)(rng, s)
    return draft, s, rng


def _compose(i: int, seed: int) -> BenchArticle:
    draft, s, rng = _draft(seed, i)
    paragraphs = list(draft.paragraphs)
    # About one article in four is long (two or three chunks), the rest fit one chunk.
    many = rng.randrange(12, 19) if rng.random() < 0.25 else rng.randrange(3, 7)
    fillers = rng.sample(FILLER, many)
    # Fillers go in pairs as extra paragraphs, after the lead paragraph.
    for j in range(0, len(fillers), 2):
        para = " ".join(f.format(**s) for f in fillers[j : j + 2])
        paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), para)
    source, domain = rng.choice(SOURCES)
    author = _other(rng)
    lines: list[str] = []
    pub = dt.date.fromisoformat(s["published"])
    lines.append(f"By {author} | {source} | {_long(pub)}")
    for k, para in enumerate(paragraphs):
        lines.append(para)
        if k == 0 and rng.random() < 0.7:
            lines.append(_boilerplate_caption(rng, s))
        if k == 1 and rng.random() < 0.5:
            lines.append("Advertisement")
    if rng.random() < 0.5:
        lines.append(f"Read more at {domain}")
    lines.append(f"\u00a9 {pub.year} {source}. All rights reserved.")
    if rng.random() < 0.5:
        lines.append(f"Sign up for the {source} morning newsletter.")
    aid = f"bench-{i:05d}"
    slug = "-".join(draft.title.lower().replace("$", "").replace(".", "").split()[:8])
    return BenchArticle(
        id=aid,
        title=draft.title,
        text="\n\n".join(lines),
        source=source,
        url=f"https://{domain}/{pub.year}/{slug}-{i}",
        published_at=s["published"],
        author=author,
        topic=draft.topic,
    )


def _near_duplicate(i: int, orig: BenchArticle, seed: int) -> BenchArticle:
    """A syndicated copy: another outlet's byline and footer, a reworded first line."""
    rng = random.Random(f"news-qa-bench-dup:{seed}:{i}")
    source, domain = rng.choice([s for s in SOURCES if s[0] != orig.source])
    body = [p for p in orig.text.split("\n\n")[1:-1] if orig.source not in p]
    pub = dt.date.fromisoformat(orig.published_at)
    text = "\n\n".join(
        [
            f"By {orig.author} | {source} | {_long(pub)}",
            "This story was first reported by our partners and is republished in full.",
            *body,
            f"\u00a9 {pub.year} {source}. All rights reserved.",
        ]
    )
    return BenchArticle(
        id=f"bench-{i:05d}",
        title=orig.title,
        text=text,
        source=source,
        url=f"https://{domain}/{pub.year}/syndicated-{i}",
        published_at=orig.published_at,
        author=orig.author,
        topic=orig.topic,
        dup_of=orig.id,
    )


def _article(i: int, seed: int, made: Sequence[BenchArticle]) -> BenchArticle:
    if i % EXACT_DUP_EVERY == EXACT_DUP_EVERY - 1:
        orig = made[i - 50]
        root = orig.dup_of or orig.id
        return BenchArticle(
            id=f"bench-{i:05d}",
            title=orig.title,
            text=orig.text,
            source=orig.source,
            url=orig.url + "?copy",
            published_at=orig.published_at,
            author=orig.author,
            topic=orig.topic,
            dup_of=root,
            exact_dup=True,
        )
    if i % NEAR_DUP_EVERY == NEAR_DUP_EVERY - 1:
        orig = made[i - 7]
        if orig.dup_of is None:
            return _near_duplicate(i, orig, seed)
    return _compose(i, seed)


def generate(n: int, seed: int = 0, max_questions: int | None = None) -> Corpus:
    """N articles and their questions; the same (n, seed) always gives the same corpus.

    One question per original article (named, described, paraphrased in turn), spread evenly
    over the corpus when `max_questions` caps them.
    """
    if not 0 < n <= MAX_N:
        raise ValueError(f"n must be between 1 and {MAX_N}, got {n}")
    made: list[BenchArticle] = []
    for i in range(n):
        made.append(_article(i, seed, made))
    copies: dict[str, list[str]] = {}
    for a in made:
        if a.dup_of:  # exact copies too: stock stores them (ours stores the text once)
            copies.setdefault(a.dup_of, []).append(a.id)
    originals = [a for a in made if a.dup_of is None]
    if max_questions is not None and len(originals) > max_questions:
        step = len(originals) / max_questions
        originals = [originals[int(k * step)] for k in range(max_questions)]
    questions = []
    for a in originals:
        i = int(a.id.split("-")[1])
        draft, _, _ = _draft(seed, i)
        q, ans, style = draft.questions[i % 3]
        questions.append(BenchQuestion(f"q-{a.id}", q, ans, [a.id, *copies.get(a.id, [])], style))
    return Corpus(seed=seed, articles=made, questions=questions)


def changed_copy(corpus: Corpus, fraction: float = 0.01) -> tuple[list[BenchArticle], list[str]]:
    """The corpus with `fraction` of its articles edited (a correction line appended to the
    body, before the footer), and the ids changed; the answers stay where they were."""
    every = max(1, round(1 / fraction))
    picked = {k for k in range(len(corpus.articles)) if k % every == every // 2}
    picked = {k for k in picked or {len(corpus.articles) // 2} if not corpus.articles[k].exact_dup}
    out, changed = [], []
    for k, a in enumerate(corpus.articles):
        if k in picked:
            parts = a.text.split("\n\n")
            note = f"Correction: an earlier version of this story misspelled a name ({k})."
            parts.insert(len(parts) - 1, note)
            a = BenchArticle(**{**asdict(a), "text": "\n\n".join(parts)})
            changed.append(a.id)
        out.append(a)
    return out, changed


# --------------------------------------------------------------------------- files


def write_jsonl(articles: Sequence[BenchArticle], path: str | Path) -> Path:
    """All articles as one .jsonl file (the format that streams best at scale)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for a in articles:
            fh.write(json.dumps(a.record(), ensure_ascii=False) + "\n")
    return path


def write_txt(articles: Sequence[BenchArticle], folder: str | Path) -> Path:
    """One .txt file per article, headline on the first line, as a scraped page would be."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for a in articles:
        (folder / f"{a.id}.txt").write_text(f"{a.title}\n\n{a.text}\n", encoding="utf-8")
    return folder


def write_questions(questions: Sequence[BenchQuestion], path: str | Path) -> Path:
    """Questions as eval-suite lines (id, question, answer, accept, articles)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for q in questions:
            fh.write(json.dumps(q.suite_line(), ensure_ascii=False) + "\n")
    return path
