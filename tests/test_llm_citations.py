"""Citation markers: parsing, statements, dropping invented numbers, renumbering."""

from __future__ import annotations

import pytest

from qa.citations import renumber, split_statements
from qa.text import cited_numbers, parse_markers, strip_markers


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("A [1].", [(1,)]),
        ("A [1, 3].", [(1, 3)]),
        ("A [1][2].", [(1,), (2,)]),
        ("A [1-3].", [(1, 2, 3)]),
        ("A [2–3].", [(2, 3)]),  # en dash
        ("A [1,2-4; 6].", [(1, 2, 3, 4, 6)]),
        ("A [Article 2].", [(2,)]),
        ("A [source 1, 2].", [(1, 2)]),
        ("No markers [a] or [] or [see above].", []),
        ("Range too wide [1-400].", [(1, 400)]),
    ],
)
def test_parse_markers(text: str, numbers: list[tuple[int, ...]]) -> None:
    assert [m.numbers for m in parse_markers(text)] == numbers


def test_statements_carry_their_markers() -> None:
    text = (
        'Dr. Smith said the U.S. would help [2][7]. Europe plans a deployment.[1] "We are '
        'ready," he said. [3]\n- Talks stalled [2-3]\nPrices rose 3.5 percent'
    )
    st = split_statements(text)
    assert [s.text for s in st] == [
        "Dr. Smith said the U.S. would help.",
        "Europe plans a deployment.",
        '"We are ready," he said.',
        "Talks stalled",
        "Prices rose 3.5 percent",
    ]
    assert [s.numbers for s in st] == [[2, 7], [1], [3], [2, 3], []]
    for s in st:  # spans point into the original text
        assert s.text[:5] in text[s.start : s.end]


def test_renumber_drops_unknown_and_renumbers_by_first_use() -> None:
    text = "Foo [3]. Bar [7]. Baz [1][3]. Qux [9, 1]."
    r = renumber(text, valid={1, 3})
    assert r.text == "Foo [1]. Bar. Baz [1, 2]. Qux [2]."
    assert r.mapping == {3: 1, 1: 2}
    assert r.dropped == 2  # [7] and the 9 in [9, 1]
    assert sorted(cited_numbers(r.text)) == [1, 2]


def test_renumber_keep_and_add() -> None:
    text = "Supported claim [1][2]. Uncited claim. Another [2]."
    st = split_statements(text)
    keep = {st[0].start: [2], st[1].start: [], st[2].start: []}
    add = {st[1].start: [1]}
    r = renumber(text, {1, 2}, keep=keep, add=add)
    # [1] was refused for statement 1, [2] removed from statement 3, [1] added to statement 2.
    assert r.text == "Supported claim [1]. Uncited claim [2]. Another."
    assert r.mapping == {2: 1, 1: 2}


def test_invented_numbers_only_leave_clean_text() -> None:
    r = renumber("Europe has a plan [7]. It is big [2-3].", valid={1, 2})
    assert r.text == "Europe has a plan. It is big [1]."
    assert r.dropped == 2 and r.mapping == {2: 1}


def test_marker_after_closing_quote_is_added_outside_it() -> None:
    text = 'He said "we will go."'
    st = split_statements(text)
    r = renumber(text, {1}, add={st[0].start: [1]})
    assert r.text == 'He said "we will go." [1]'


def test_a_full_stop_after_the_markers_of_an_abbreviation_ends_the_same_statement() -> None:
    text = "They broke in at about 3.40 a.m. [1]. Police came [2]."
    st = split_statements(text)
    assert [s.numbers for s in st] == [[1], [2]]
    r = renumber(text, {1, 2})
    assert r.text == text
    # ... and "p.m." before a lower-case word does not end the sentence.
    text = "The rocket took off at 5:52 p.m. local time [1]. It reached orbit [2]."
    assert [s.numbers for s in split_statements(text)] == [[1], [2]]


def test_strip_markers() -> None:
    assert strip_markers("A plan [1], a deal [2-3] .") == "A plan, a deal."


def test_sub_markers_replaces_each_marker_and_keeps_the_rest() -> None:
    from qa.text import sub_markers

    text = "A [1, 3]. B [Article 2][4-5]. C [x]."
    assert sub_markers(text, lambda _m, written: written) == text
    out = sub_markers(text, lambda m, _w: "<" + "+".join(map(str, m.numbers)) + ">")
    assert out == "A <1+3>. B <2><4+5>. C [x]."
