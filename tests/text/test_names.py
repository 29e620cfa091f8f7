"""Names and bylines: find_author across layouts and languages, and what is not a byline."""

from __future__ import annotations

import pytest

from cleaner.text.names import BYLINE, find_author


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["By Jonathan Pike"], "Jonathan Pike"),
        (["Laura Sharman 03 March 2015"], "Laura Sharman"),
        (["By", "Sarah E. Whitcombe"], "Sarah E. Whitcombe"),
        (["By JANE DOE and JOHN ROE"], "Jane Doe; John Roe"),
        (["By Jane Doe, John Roe and Max Mustermann"], "Jane Doe; John Roe; Max Mustermann"),
        (["Jane Doe | Reuters"], "Jane Doe"),
        (["Written by Jane Doe"], "Jane Doe"),
        (["Author: Jane Doe"], "Jane Doe"),
        (["Posted by Jane Doe"], "Jane Doe"),
        (["Posted on March 30, 2015 by Sam Carter"], "Sam Carter"),
        (["Analysis by Chris Walker, Senior Editor"], "Chris Walker"),
        (["By Jane Doe • 5 min read"], "Jane Doe"),
        (["By Ruth Okafor Staff Writer"], "Ruth Okafor"),
        (["Jane Doe, Staff Writer"], "Jane Doe"),
        (["Alan K. Brooks Senior Contributor"], "Alan K. Brooks"),
        (["Nora Quinn", "News reporter @noraq"], "Nora Quinn"),
        (["Ivo Marsh", "Published 18 November 2019"], "Ivo Marsh"),
        (["By Jane Doe NEWSdesk"], "Jane Doe"),
        (["Von Anna Schmidt"], "Anna Schmidt"),
        (["Par Marie Dupont"], "Marie Dupont"),
        (["Por Juan Pérez"], "Juan Pérez"),
        (["Door Jan de Vries"], "Jan de Vries"),
        (["Di Mario Rossi"], "Mario Rossi"),
        (["文／王小明"], "王小明"),
        (["記者 王小明"], "王小明"),
        (["【記者王小明／台北報導】"], "王小明"),
        (["홍길동 기자 hong@example.com"], "홍길동"),
    ],
)
def test_find_author_bylines(lines: list[str], expected: str):
    assert find_author(lines) == expected


@pytest.mark.parametrize(
    "lines",
    [
        ["The council said on Monday it would act."],
        ["The plan was approved by Mayor John Smith on Tuesday."],
        ["By the end of the year, the council had voted."],
        ["By Tuesday, Governor Jane Doe had signed the bill."],
        ["By Jane Doe's account, the vote was rigged"],
        ["By Jane Doe, who covered the trial, the verdict was a surprise"],
        ["Jane Doe is a reporter at the Times"],
        ["Photo by Omar Haddad/Picture Desk"],
        ["Lena Fischer, PRESS AGENCY"],
        ["Newswire November 18, 2019 11:03 PM"],
        ["Ships banned from harbour | The Coast Times"],
        ["Port Elston, City Bureau | Updated : 19 November 2019"],
        ["Jane Doe"],  # a name alone, nothing marks it as a byline
        ["記者會上，市長表示"],  # "記者會" (press conference) in prose
        [],
        [""],
    ],
)
def test_find_author_rejects_non_bylines(lines: list[str]):
    assert find_author(lines) is None


def test_byline_pattern_needs_a_capitalised_name():
    assert BYLINE.match("By Jane Doe")
    assert BYLINE.match("Von Anna Schmidt")
    assert not BYLINE.match("By the end of the year")
