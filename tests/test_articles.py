"""Loading and cleaning articles: what a reader of qa/articles.py can rely on.

The seed files carry real page noise (repeated headline, byline, photo captions with
credits, "Read this on ...", an aggregator footer); these tests pin down what is removed,
what must survive word for word, and how every kind of bad input is reported.
"""

from __future__ import annotations

import codecs
import hashlib
import json
from pathlib import Path

import pytest

from qa.corpus import Article, clean_text, derive_title, load, parse_date
from qa.text import sentences
from qa.types import IngestFailure

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_000 = SEEDS / "000_5276686c29e4255e.txt"
SEED_002 = SEEDS / "002_9f82d241876d8fb4.txt"


def load_all(*paths: Path | str) -> list[Article | IngestFailure]:
    return list(load(paths))


def articles(results: list[Article | IngestFailure]) -> list[Article]:
    return [r for r in results if isinstance(r, Article)]


def failures(results: list[Article | IngestFailure]) -> list[IngestFailure]:
    return [r for r in results if isinstance(r, IngestFailure)]


def only_article(path: Path) -> Article:
    results = load_all(path)
    assert len(results) == 1 and isinstance(results[0], Article), results
    return results[0]


def only_failure(path: Path | str) -> IngestFailure:
    results = load_all(path)
    assert len(results) == 1 and isinstance(results[0], IngestFailure), results
    return results[0]


# --------------------------------------------------------------------------- the seeds


@pytest.fixture(scope="module")
def seed_002() -> Article:
    return only_article(SEED_002)


@pytest.fixture(scope="module")
def seed_000() -> Article:
    return only_article(SEED_000)


def test_seed_002_keeps_the_story_and_states_its_metadata(seed_002: Article) -> None:
    assert seed_002.id == "002_9f82d241876d8fb4"
    assert (
        seed_002.title == "European plans for post-war Ukraine have Trump's backing, EU chief says"
    )
    assert seed_002.source == "CBS Politics"
    assert seed_002.published_at == "2025-09-01"
    assert seed_002.origin == str(SEED_002)
    # The headline (printed twice) and the byline are metadata, not body.
    assert seed_002.text.startswith("London \u2014 European countries are drawing up")


@pytest.mark.parametrize(
    "noise",
    ["Getty", "REUTERS/", "Read this on", "Omnixia", "View: 1", "Posted On", "aggregator"],
)
def test_seed_002_loses_page_furniture(seed_002: Article, noise: str) -> None:
    assert noise not in seed_002.text


def test_seed_002_loses_photo_headlines_and_captions(seed_002: Article) -> None:
    assert "Visits Scotland For Golfing Getaway" not in seed_002.text
    assert "shakes hands with President Trump" not in seed_002.text
    assert "Join Ukrainian President Zelensky For White House Meeting" not in seed_002.text
    assert "\nAbout" not in seed_002.text and not seed_002.text.endswith("About")


@pytest.mark.parametrize(
    "sentence",
    [
        "Speaking to reporters Monday in Moscow, Kremlin spokesman Dmitry Peskov accused the "
        '"European party of war" of hindering U.S.-led efforts to negotiate a peace deal.',
        '"We are ready to resolve the problem by political and diplomatic means," Peskov said, '
        "according to the Reuters news agency.",
        '"You have my assurance," Mr. Trump told the network following a meeting with '
        "Ukrainian President Volodymyr Zelenskyy.",
        "President Trump told Fox News on Aug. 19 that he will not deploy American troops",
    ],
)
def test_seed_002_body_sentences_survive_verbatim(seed_002: Article, sentence: str) -> None:
    assert sentence in seed_002.text


def test_seed_002_paragraphs_are_blank_line_separated(seed_002: Article) -> None:
    paragraphs = seed_002.text.split("\n\n")
    assert len(paragraphs) >= 15
    assert all(p.strip() == p and p for p in paragraphs)
    assert "\u00a0" not in seed_002.text and "\n\n\n" not in seed_002.text


def test_seed_000_drops_both_copies_of_the_credited_caption(seed_000: Article) -> None:
    assert "Zelenskiy gestures during a meeting" not in seed_000.text
    assert "REUTERS" not in seed_000.text and "credit:" not in seed_000.text


def test_seed_000_keeps_every_body_paragraph(seed_000: Article) -> None:
    raw_paragraphs = [p.strip() for p in SEED_000.read_text("utf-8").split("\n\n") if p.strip()]
    body = [p for p in raw_paragraphs if "gestures during a meeting" not in p]
    assert len(body) == 7
    for paragraph in body:
        assert " ".join(paragraph.split()) in seed_000.text


def test_seed_000_states_no_metadata_so_title_comes_from_the_first_sentence(
    seed_000: Article,
) -> None:
    assert seed_000.source is None and seed_000.published_at is None
    assert seed_000.title.startswith('Europe is drawing up "pretty precise plans"')
    assert seed_000.title.endswith("\u2026") and len(seed_000.title) <= 91
    assert seed_000.text.startswith(seed_000.title[:-1])  # cut at a word boundary


def test_content_hash_ignores_whitespace_but_not_words() -> None:
    a = Article(id="a", text="One  two\n\nthree.", title="t")
    b = Article(id="b", text="One two three.", title="other")
    c = Article(id="c", text="One two four.", title="t")
    assert a.content_hash == b.content_hash != c.content_hash
    assert a.content_hash == hashlib.sha256(b"One two three.").hexdigest()


# --------------------------------------------------------------------------- cleaning rules


def test_byline_gives_author_and_date_and_is_dropped() -> None:
    cleaned = clean_text(
        "Storm hits the coast\n\nBy Jane Doe | Sept. 1, 2025\n\n"
        "A storm hit the coast on Monday, officials said.\n"
    )
    assert cleaned.title == "Storm hits the coast"
    assert cleaned.author == "Jane Doe"
    assert cleaned.published_at == "2025-09-01"
    assert cleaned.text == "A storm hit the coast on Monday, officials said."


def test_byline_with_outlet_and_dateline_labels() -> None:
    cleaned = clean_text(
        "By Jane Doe, Reuters\nPublished: 2025-08-19\nUpdated 10:42 AM ET\n\n"
        "The body of the text. He told Reuters.\n\n"
        "By the end of the year, prices had risen sharply across the region.\n"
    )
    assert (cleaned.author, cleaned.source, cleaned.published_at) == (
        "Jane Doe",
        "Reuters",
        "2025-08-19",
    )
    assert cleaned.title is None
    # A sentence that merely starts with "By" is body, as is one ending in "Reuters."
    assert cleaned.text == (
        "The body of the text. He told Reuters.\n\n"
        "By the end of the year, prices had risen sharply across the region."
    )


def test_body_lines_that_merely_look_like_metadata_stay() -> None:
    body = (
        "The vote was held on Sunday.\n\n"
        "By Monday, officials said the count was over.\n\n"
        "Published in 1999, the report sold 3 million copies.\n\n"
        "Read more at the library, the minister told reporters on Sunday morning.\n\n"
        "Share prices rose after the news, traders said."
    )
    cleaned = clean_text(body)
    assert cleaned.text == body
    assert (cleaned.author, cleaned.source, cleaned.published_at) == (None, None, None)


def test_captions_with_credits_and_uncredited_copies_are_dropped() -> None:
    caption = "The minister waves to supporters after the vote in the capital on Sunday."
    cleaned = clean_text(
        "The vote passed by a wide margin on Sunday night.\n\n"
        f"{caption}\n"
        f"{caption} AP Photo/Evan Vucci\n\n"
        "Getty Images\n\n"
        "Officials said turnout was the highest in decades. (Photo: Jane Smith)\n\n"
        "Turnout was 71 percent, according to Reuters.\n"
    )
    assert cleaned.text == (
        "The vote passed by a wide margin on Sunday night.\n\n"
        "Turnout was 71 percent, according to Reuters."
    )


def test_photo_headline_directly_above_a_caption_is_dropped_but_subheads_stay() -> None:
    cleaned = clean_text(
        "The summit opened on Monday.\n\n"
        "Leaders Meet In Geneva For Talks\n"
        "The two leaders shake hands before their meeting. Jim Watson/AFP via Getty Images\n\n"
        "What happens next\n\n"
        "Talks continue on Tuesday.\n"
    )
    assert cleaned.text == (
        "The summit opened on Monday.\n\nWhat happens next\n\nTalks continue on Tuesday."
    )


def test_read_on_line_names_the_source_and_footers_go_only_from_the_tail() -> None:
    cleaned = clean_text(
        "Subscribe to our newsletter is what the protesters mocked, he wrote.\n\n"
        "The rally ended peacefully.\n\n"
        "Advertisement\n\n"
        "Police made no arrests.\n\n"
        "Read more at https://www.example.com/news/rally\n"
        "Share\n\n"
        "\u00a9 2025 Example Media. All rights reserved. Privacy policy | Terms of use\n"
    )
    # The copyright holder names the outlet more directly than the domain of a link does.
    assert cleaned.source == "Example Media"
    assert cleaned.text == (
        "Subscribe to our newsletter is what the protesters mocked, he wrote.\n\n"
        "The rally ended peacefully.\n\n"
        "Police made no arrests."
    )
    alone = clean_text("Police made no arrests.\n\nRead more at https://www.example.com/news/rally")
    assert alone.source == "example.com"


def test_repeated_lines_are_kept_once_and_odd_spaces_normalised() -> None:
    pull_quote = '"We will not back down," the mayor said at the meeting.'
    cleaned = clean_text(
        f"The council met on Tuesday.\r\n\r\n{pull_quote}\r\n\r\n\r\n\r\n"
        f"The vote is next week.\u00a0\u00a0 \r\n\r\n{pull_quote}\r\n"
    )
    assert cleaned.text == f"The council met on Tuesday.\n\n{pull_quote}\n\nThe vote is next week."


def test_hard_wrapped_lines_are_rejoined_into_one_paragraph() -> None:
    cleaned = clean_text(
        "The committee published its findings on Thursday after a long\n"
        "review of the evidence, which took more than two years.\n\nNext paragraph.\n"
    )
    assert cleaned.text == (
        "The committee published its findings on Thursday after a long review of the "
        "evidence, which took more than two years.\n\nNext paragraph."
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("September 01, 2025", "2025-09-01"),
        ("Sept. 1, 2025", "2025-09-01"),
        ("Aug. 19, 2025", "2025-08-19"),
        ("2025-09-01", "2025-09-01"),
        ("2025-09-01T23:30:00-05:00", "2025-09-01"),
        ("2025-09-01T10:00:00Z", "2025-09-01"),
        ("1 September 2025", "2025-09-01"),
        ("09/01/2025", "2025-09-01"),
        ("Monday, Sept. 1, 2025 10:42 AM ET", "2025-09-01"),
        ("yesterday", None),
        ("2025-02-30", None),
        ("", None),
    ],
)
def test_parse_date(value: str, expected: str | None) -> None:
    assert parse_date(value) == expected


def test_derive_title_keeps_short_first_sentences_whole() -> None:
    assert derive_title("Mr. Smith won. Then he left.") == "Mr. Smith won."
    long = "word " * 40
    title = derive_title(long.strip() + ".")
    assert title.endswith("word\u2026") and len(title) <= 90


# --------------------------------------------------------------------------- sentences


def test_sentences_keep_abbreviations_inside_one_sentence() -> None:
    text = (
        "Mr. Trump met U.S. President Biden on Aug. 19 at 10 a.m. in Washington, D.C. "
        "The talks went well.\n"
        '"Why?" he asked. Sen. Smith agreed with John F. Kennedy\'s view. It was No. 1!'
    )
    got = [text[s:e] for s, e in sentences(text)]
    assert got == [
        "Mr. Trump met U.S. President Biden on Aug. 19 at 10 a.m. in Washington, D.C.",
        "The talks went well.",
        '"Why?" he asked.',
        "Sen. Smith agreed with John F. Kennedy's view.",
        "It was No. 1!",
    ]


def test_sentence_spans_slice_back_to_exact_text(seed_002: Article) -> None:
    spans = sentences(seed_002.text)
    assert len(spans) > 20
    for start, end in spans:
        piece = seed_002.text[start:end]
        assert piece == piece.strip() and piece
        assert "\n" not in piece
    assert any(
        seed_002.text[s:e]
        == '"You have my assurance," Mr. Trump told the network following a meeting with '
        "Ukrainian President Volodymyr Zelenskyy."
        for s, e in spans
    )


def test_newlines_are_hard_sentence_boundaries() -> None:
    text = "  Heading without a stop\nBody starts here. Ends here  "
    assert [text[s:e] for s, e in sentences(text)] == [
        "Heading without a stop",
        "Body starts here.",
        "Ends here",
    ]


# --------------------------------------------------------------------------- formats and ids


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_markdown_heading_is_the_title_and_markup_is_stripped(tmp_path: Path) -> None:
    md = write(
        tmp_path / "budget-vote.md",
        "# The *Budget* Vote\n\nThe **council** approved the [budget](https://x.org/b) on "
        "Tuesday.\n\n## What it funds\n\nSchools and _roads_, said snake_case_fan.\n",
    )
    article = only_article(md)
    assert article.id == "budget-vote"
    assert article.title == "The Budget Vote"
    assert article.text == (
        "The council approved the budget on Tuesday.\n\nWhat it funds\n\n"
        "Schools and roads, said snake_case_fan."
    )


HTML_PAGE = """<!doctype html><html><head>
<title>Storm hits the northern coast | Example News</title>
<meta property="og:title" content="Storm hits the northern coast">
<meta property="og:site_name" content="Example News">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2025-09-01T10:00:00Z">
<script>var tracker = "TRACKER_SCRIPT_TEXT";</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">NAV_SPORT_LINK</a></nav>
<article><h1>Storm hits the northern coast</h1>
<p>A powerful storm made landfall on the northern coast on Monday, forcing thousands of
residents to leave their homes as winds reached 150 kilometres per hour.</p>
<p>Emergency services said more than 200 people had been moved to shelters overnight, and
officials warned that flooding could continue for several days.</p>
<p>"We are asking everyone to stay indoors," the regional governor told reporters.</p>
</article>
<footer><p>FOOTER_TEXT &copy; 2025 Example News. All rights reserved.</p></footer>
<script>document.write("SECOND_SCRIPT_TEXT")</script>
</body></html>"""


def test_html_page_loads_title_and_body_without_scripts_or_chrome(tmp_path: Path) -> None:
    article = only_article(write(tmp_path / "storm.html", HTML_PAGE))
    assert article.id == "storm"
    assert article.title == "Storm hits the northern coast"
    assert article.author == "Jane Doe"
    assert article.source == "Example News"
    assert article.published_at == "2025-09-01"
    assert article.text.startswith("A powerful storm made landfall on the northern coast")
    assert '"We are asking everyone to stay indoors," the regional governor' in article.text
    for junk in ("TRACKER_SCRIPT_TEXT", "SECOND_SCRIPT_TEXT", "NAV_SPORT_LINK", "FOOTER_TEXT"):
        assert junk not in article.text
    assert "Storm hits the northern coast" not in article.text  # title not repeated


def test_json_object_and_list(tmp_path: Path) -> None:
    one = write(
        tmp_path / "one.json",
        json.dumps(
            {
                "id": 42,
                "title": "Given title",
                "body": "By Someone Else | Jan. 2, 2024\n\nThe body text of record one.",
                "published_at": "Sept. 1, 2025",
                "url": "https://www.cbsnews.com/news/x/",
                "author": "Jane Doe",
            }
        ),
    )
    article = only_article(one)
    # Explicit record fields win over what the text states; the url gives the source.
    assert (article.id, article.title, article.published_at, article.author) == (
        "42",
        "Given title",
        "2025-09-01",
        "Jane Doe",
    )
    assert article.source == "cbsnews.com"
    assert article.text == "The body text of record one."

    many = write(
        tmp_path / "many.json",
        json.dumps([{"id": "a", "text": "First story."}, {"id": "b", "content": "Second."}]),
    )
    loaded = load_all(many)
    assert [(a.id, a.text) for a in articles(loaded)] == [("a", "First story."), ("b", "Second.")]
    assert all(a.origin == str(many) for a in articles(loaded))


def test_record_ids_come_from_id_then_url_then_text(tmp_path: Path) -> None:
    url = "https://www.example.com/world/Storm-Hits_Coast.html?ref=home"
    path = write(
        tmp_path / "ids.jsonl",
        "\n".join(
            json.dumps(r)
            for r in [
                {"id": "  story-1 ", "text": "Has an id."},
                {"url": url, "text": "Has a url."},
                {"text": "Has only   text."},
            ]
        ),
    )
    got = articles(load_all(path))
    assert got[0].id == "story-1"
    assert got[1].id == "storm-hits-coast-" + hashlib.sha1(url.encode()).hexdigest()[:8]
    assert got[2].id == "t-" + hashlib.sha1(b"Has only text.").hexdigest()[:16]
    assert [a.origin for a in got] == [f"{path}:1", f"{path}:2", f"{path}:3"]
    # Stable: loading again gives the same ids.
    assert [a.id for a in articles(load_all(path))] == [a.id for a in got]


def test_jsonl_broken_line_fails_alone_and_good_lines_load(tmp_path: Path) -> None:
    path = write(
        tmp_path / "feed.jsonl",
        '{"id": "a", "text": "First."}\n'
        '{"id": "b", "text": "Second."\n'
        "\n"
        '{"id": "c", "text": "Third."}\n',
    )
    results = load_all(path)
    assert [a.id for a in articles(results)] == ["a", "c"]
    [failure] = failures(results)
    assert failure.path == str(path) and failure.line == 2
    assert "invalid JSON" in failure.reason
    assert str(failure).startswith(f"{path}:2: ")


def test_folders_are_walked_sorted_skipping_hidden_and_unsupported(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "Second file body.")
    write(tmp_path / "a" / "z.md", "Nested file body.")
    write(tmp_path / "c.pdf", b"%PDF-1.4 not supported")
    write(tmp_path / ".hidden.txt", "Hidden file body.")
    write(tmp_path / ".git" / "x.txt", "Inside a hidden folder.")
    results = load_all(tmp_path)
    assert [r.id for r in articles(results)] == ["z", "b"]
    assert failures(results) == []


def test_a_single_path_string_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path / "solo.txt", "Only one.")
    assert [a.id for a in articles(list(load(str(path))))] == ["solo"]


def test_utf16_and_utf8_bom_files_decode(tmp_path: Path) -> None:
    text = "Caf\u00e9 owners in Z\u00fcrich said prices rose."
    utf16 = write(tmp_path / "utf16.txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    utf8 = write(tmp_path / "utf8bom.txt", codecs.BOM_UTF8 + text.encode("utf-8"))
    assert only_article(utf16).text == text
    assert only_article(utf8).text == text
    feed = write(
        tmp_path / "feed16.jsonl",
        '{"id": "x", "text": "Z\u00fcrich."}\n'.encode("utf-16"),
    )
    assert [(a.id, a.text) for a in articles(load_all(feed))] == [("x", "Z\u00fcrich.")]


# --------------------------------------------------------------------------- bad input


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    failure = only_failure(missing)
    assert failure.path == str(missing) and "no such file" in failure.reason


@pytest.mark.parametrize("content", [b"", b"  \n\t\n  "], ids=["zero-bytes", "whitespace"])
@pytest.mark.parametrize("name", ["empty.txt", "empty.json", "empty.jsonl", "empty.html"])
def test_empty_files(tmp_path: Path, name: str, content: bytes) -> None:
    path = write(tmp_path / name, content)
    failure = only_failure(path)
    assert failure.path == str(path) and "empty" in failure.reason


@pytest.mark.parametrize("name", ["photo.txt", "photo.jsonl", "photo.html"])
def test_binary_file(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / name, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    failure = only_failure(path)
    assert failure.path == str(path) and "binary" in failure.reason


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "latin1.txt", "First line.\nSecond line.\nCaf\u00e9.\n".encode("latin-1")
    )
    failure = only_failure(path)
    assert failure.path == str(path) and failure.line == 3
    assert "UTF-8" in failure.reason and "line 3" in failure.reason


def test_invalid_utf8_in_jsonl_fails_only_that_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "mixed.jsonl",
        b'{"id": "a", "text": "Fine."}\n'
        b'{"id": "b", "text": "Caf\xe9."}\n'
        b'{"id": "c", "text": "Ok."}\n',
    )
    results = load_all(path)
    assert [a.id for a in articles(results)] == ["a", "c"]
    [failure] = failures(results)
    assert failure.line == 2 and "UTF-8" in failure.reason


def test_json_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.json", '[\n  {"id": "a", "text": "x"},\n  {"id": "b",,}\n]')
    failure = only_failure(path)
    assert failure.path == str(path) and failure.line == 3
    assert "invalid JSON" in failure.reason and "line 3, column" in failure.reason


def test_record_that_is_not_an_object(tmp_path: Path) -> None:
    path = write(tmp_path / "list.jsonl", '["not", "an", "object"]\n')
    failure = only_failure(path)
    assert failure.line == 1 and "expected a JSON object, got list" in failure.reason
    scalar = write(tmp_path / "scalar.json", '"just a string"')
    assert "expected a JSON object or a list of objects" in only_failure(scalar).reason


def test_record_missing_text(tmp_path: Path) -> None:
    path = write(tmp_path / "notext.jsonl", '{"id": "a", "title": "No body"}\n')
    failure = only_failure(path)
    assert (failure.path, failure.line, failure.field) == (str(path), 1, "text")
    assert str(failure) == (
        f"{path}:1: field 'text': missing (expected one of text, body, content)"
    )


@pytest.mark.parametrize(
    ("record", "field", "reason"),
    [
        ({"id": "a", "text": "x", "title": ["a", "b"]}, "title", "expected a string, got list"),
        ({"id": "a", "text": 5}, "text", "expected a string, got number"),
        ({"id": True, "text": "x"}, "id", "expected a string or integer, got boolean"),
        ({"id": "   ", "text": "x"}, "id", "is empty"),
        ({"id": "a", "text": "x", "date": "next Tuesday"}, "date", "cannot read the date"),
        ({"id": "a", "text": "x", "published_at": "2025-13-45"}, "published_at", "date"),
    ],
)
def test_wrong_typed_or_invalid_fields(
    tmp_path: Path, record: dict[str, object], field: str, reason: str
) -> None:
    path = write(tmp_path / "bad.json", json.dumps([{"id": "ok", "text": "Fine."}, record]))
    results = load_all(path)
    assert [a.id for a in articles(results)] == ["ok"]
    [failure] = failures(results)
    assert failure.path == str(path) and failure.field == field
    assert reason in failure.reason and "(record 2)" in failure.reason


def test_html_without_article_text(tmp_path: Path) -> None:
    path = write(
        tmp_path / "empty-page.html",
        "<html><head><script>var x = 1;</script></head><body><nav>Home</nav></body></html>",
    )
    failure = only_failure(path)
    assert failure.path == str(path) and "no article text" in failure.reason


def test_explicit_unsupported_file_is_a_failure(tmp_path: Path) -> None:
    path = write(tmp_path / "report.pdf", b"%PDF-1.4")
    failure = only_failure(path)
    assert failure.path == str(path)
    assert "unsupported file type '.pdf'" in failure.reason and ".jsonl" in failure.reason


def test_bad_files_do_not_stop_the_good_ones(tmp_path: Path) -> None:
    write(tmp_path / "a-empty.txt", b"")
    write(tmp_path / "b-binary.txt", b"\x00\x01\x02")
    write(tmp_path / "c-good.txt", "A good article body.")
    results = load_all(tmp_path, tmp_path / "missing.txt", SEED_000)
    assert [a.id for a in articles(results)] == ["c-good", "000_5276686c29e4255e"]
    assert [Path(f.path).name for f in failures(results)] == [
        "a-empty.txt",
        "b-binary.txt",
        "missing.txt",
    ]


def test_a_quotation_that_spans_sentences_stays_one_quotable_sentence() -> None:
    text = (
        '"The sense of urgency is very high. It\'s really taking shape," von der Leyen said. '
        '"We are ready," he said.\nA new line starts a new sentence.'
    )
    got = [text[s:e] for s, e in sentences(text)]
    assert got == [
        '"The sense of urgency is very high. It\'s really taking shape," von der Leyen said.',
        '"We are ready," he said.',
        "A new line starts a new sentence.",
    ]


def test_a_line_labelled_as_a_caption_is_dropped() -> None:
    raw = (
        "Lyon sign Ferreira for a record fee\n\n"
        "Lyon Athena have signed the Portuguese striker Ines Ferreira for 450,000 euros.\n\n"
        "She is expected to make her debut against Dijon on 6 September.\n\n"
        "* Caption: Ines Ferreira at her presentation in Lyon on Friday.\n\n"
        "Image: the club's training ground\n"
    )
    text = clean_text(raw).text
    assert "presentation" not in text and "training ground" not in text
    assert "debut against Dijon" in text
