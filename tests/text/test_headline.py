"""The headline module: the line below the page's <title> that repeats it."""

from __future__ import annotations

from cleaner.text.headline import title_headline
from cleaner.text.page import Page


def test_the_first_line_repeating_the_title_without_its_site_is_the_headline():
    page = Page("Night ferry returns next month | Harbour Gazette\n\nHome\nNight ferry returns next month\nText.\n")
    found = title_headline(page)
    assert found is not None and found.number == 4


def test_no_headline_without_a_title_line_or_a_matching_line():
    assert title_headline(Page("Home\n\nNews\n")) is None  # "Home" is no title: too short to match
    assert title_headline(Page("Night ferry returns next month | Harbour Gazette\n\nWeather today\n")) is None


def test_a_title_repeated_only_past_the_reach_is_not_found():
    text = "Night ferry returns next month | Harbour Gazette\n" + "filler\n" * 20 + "Night ferry returns next month\n"
    assert title_headline(Page(text), reach=10) is None
    assert title_headline(Page(text)) is not None
