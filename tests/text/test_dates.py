"""Dates: the formats and languages find_date reads, the page's slash convention, the month names."""

from __future__ import annotations

import pytest

from cleaner.text.dates import VOCABULARY, find_date, find_dates, month_names, slash_convention


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Laura Sharman 03 March 2015", "2015-03-03"),
        ("Nov. 19, 2019 8:03 am ET", "2019-11-19"),
        ("Published 2021-07-04T10:00", "2021-07-04"),
        ("March 3rd, 2015", "2015-03-03"),
        ("Published: Tue 3 Mar 2015 10.32 GMT", "2015-03-03"),
        ("3. März 2015, 10:32 Uhr", "2015-03-03"),
        ("Publié le 1er mars 2015", "2015-03-01"),
        ("3 de marzo de 2015", "2015-03-03"),
        ("3 de março de 2015", "2015-03-03"),
        ("3 maart 2015", "2015-03-03"),
        ("02 ago 2017", "2017-08-02"),
        ("3 марта 2015 г.", "2015-03-03"),
        ("2015年3月3日 10:32", "2015-03-03"),
        ("입력 2015.03.03 10:32", "2015-03-03"),
        ("2015년 3월 3일", "2015-03-03"),
        ("13/04/2015", "2015-04-13"),  # only one reading
        ("04/13/2015", "2015-04-13"),
        ("03.04.2015", "2015-04-03"),  # dotted: day first
    ],
)
def test_find_date_formats(text: str, expected: str):
    assert find_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["September 31, 2019", "no date here", "Updated 5 hours ago", "March 2015", "", "Room 12/14, floor 3"],
)
def test_find_date_none(text: str):
    assert find_date(text) is None


def test_ambiguous_numeric_date_follows_the_given_order():
    assert find_date("03/04/2015") == "2015-04-03"
    assert find_date("03/04/2015", month_first=True) == "2015-03-04"


def test_find_dates_in_reading_order():
    hits = find_dates("Updated 2015-03-05, first published 3 March 2015")
    assert [hit.iso for hit in hits] == ["2015-03-05", "2015-03-03"]
    assert hits[0].start < hits[1].start


def test_slash_convention_from_unambiguous_dates():
    assert slash_convention(["Posted 21/02/2015", "03/04/2015"]) is False
    assert slash_convention(["Posted 02/21/2015"]) is True
    assert slash_convention(["03/04/2015", "no dates"]) is None


def test_month_names_agree_across_languages():
    seen: dict[str, int] = {}
    for entry in VOCABULARY.section("metadata", "months"):
        number, *names = entry.split()
        for name in names:
            assert seen.setdefault(name, int(number)) == int(number), f"{name} names two months"
    assert month_names()["märz"] == 3 and month_names()["décembre"] == 12
