"""The headline module: the line below the page's <title> that repeats it."""

from __future__ import annotations

import textwrap

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


def test_a_banner_sharing_only_the_blog_name_is_not_the_headline():
    # Title "About.com Aaron's Cars Blog": the banner "Aaron's Cars Blog" lacks a third of its words.
    page = Page("About.com Aaron's Cars Blog\n\nHome\n\nAaron's Cars Blog\n\nText of the post.\n")
    assert title_headline(page) is None


def test_a_text_browsers_wrapped_first_paragraph_is_no_title():
    # lynx starts with the page's link list, hard-wrapped, not with the <title>.
    text = (
        "   #[1]Harbour Gazette News Feed [2]Harbour Gazette News Comments Feed\n"
        "   [3]Harbour Gazette News Night ferry returns next month Comments Feed\n"
        "   [4]Lifeboat crew called out twice in one night [5]Fish market opens\n"
        "   on Sundays\n\n"
        "[6]Harbour Gazette News\n\n"
        "   The night ferry to the outer islands will run again from the first of\n"
        "   April, the transport authority said on Tuesday, after a winter in the\n"
        "   yard.\n"
    )
    assert title_headline(Page(text)) is None


def test_a_wrapped_paragraph_repeating_its_own_first_line_is_no_headline():
    # A text browser's dump (hard-wrapped at 72 columns) of a page of spacer images: its
    # second line repeats its first, but both are one wrapped paragraph, not title and headline.
    spacers = " ".join(["[spacer.gif]"] * 11)
    prose = ("The night ferry to the outer islands will run again from the first of April, the transport "
             "authority said on Tuesday, after a winter in the yard where its engines were rebuilt. ") * 3
    paragraphs = [spacers, prose, prose.replace("night", "morning"), prose.replace("ferry", "boat")]
    text = "\n\n".join("\n".join("   " + row for row in textwrap.wrap(p, 69)) for p in paragraphs) + "\n"
    page = Page(text)
    assert page.line(1).content == page.line(2).content
    assert title_headline(page) is None


def test_a_site_name_before_the_headline_is_stripped_from_the_title():
    page = Page("Dude Craft: This is Not a Photograph\n\nHome\n\nThis is Not a Photograph\n\nText.\n")
    found = title_headline(page)
    assert found is not None and found.number == 5


def test_the_search_finds_a_headline_in_another_case_among_lines_sharing_some_title_words():
    # The lines are first picked by the title's longest words found in the lower-cased page
    # (cleaner.text.headline._holding_title_words): one with a few of them is still not taken.
    page = Page(
        "Night ferry returns next month | Harbour Gazette\n\nFerry timetable\n"
        "Returns and refunds for next month\nNIGHT FERRY RETURNS NEXT MONTH\nText.\n"
    )
    found = title_headline(page)
    assert found is not None and found.number == 5


def test_the_found_headline_is_remembered_per_page():
    page = Page("Night ferry returns next month | Harbour Gazette\n\nNight ferry returns next month\nText.\n")
    assert title_headline(page) is title_headline(page) is not None
