"""Metadata extraction on whole pages: dates, bylines, titles; fixture pages; the seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from cleaner import clean_text
from cleaner.metadata import Metadata, after_crawl, find_title
from cleaner.outputs.report import record
from cleaner.text.headline import find_headline
from cleaner.text.page import Page

SEEDS = ROOT / "seeds"
METADATA = FIXTURES / "metadata"


def unmarked(path: Path) -> str:
    """The page of a marker-format fixture (every line starts with a two-character marker)."""
    return "".join(raw[2:] + "\n" for raw in path.read_text(encoding="utf-8").splitlines())


def fixture_pages() -> list[Path]:
    return sorted(METADATA.glob("*.txt"))


# --- fixture pages ---------------------------------------------------------------------


def test_there_are_fixtures_in_several_languages():
    pages = fixture_pages()
    assert len(pages) >= 10
    languages = {json.loads(p.with_suffix(".json").read_text(encoding="utf-8"))["language"] for p in pages}
    assert {"en", "de", "fr", "es", "zh", "ja"} <= languages


@pytest.mark.parametrize("path", fixture_pages(), ids=lambda p: p.stem)
def test_fixture_metadata(path: Path):
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    got = clean_text(unmarked(path), source=str(path)).metadata.to_dict()
    assert got == expected


# --- dates and authors on a page -------------------------------------------------------


def page_with(*head: str) -> str:
    body = [
        "The council voted on Monday to ban cruise ships longer than 200 metres from the old harbour, after "
        "residents complained for years about crowds, noise and exhaust fumes on the waterfront.",
        "The measure, first proposed on 12 February 2013, passed by seven votes to four after a long session "
        "in which dozens of residents and business owners spoke for and against it.",
        "Supporters said the ships brought thousands of day visitors who spent little money in local shops, "
        "while opponents warned that tour operators would simply move to the neighbouring port instead.",
    ]
    return "\n\n".join(["Home", "News", "Harbour bans large cruise ships", *head, *body]) + "\n"


def test_byline_date_wins_over_dates_in_the_article():
    meta = clean_text(page_with("By Jane Doe", "March 3, 2015")).metadata
    assert (meta.author, meta.date) == ("Jane Doe", "2015-03-03")


def test_date_inside_article_prose_is_not_the_page_date():
    assert clean_text(page_with("By Jane Doe")).metadata.date is None


def test_published_date_wins_over_updated():
    meta = clean_text(page_with("Updated: 5 March 2015", "Published: 3 March 2015")).metadata
    assert meta.date == "2015-03-03"


def test_relative_date_gives_no_date():
    assert clean_text(page_with("Written by Ken Adams", "Updated 5 hours ago")).metadata.date is None


def test_page_convention_decides_an_ambiguous_date():
    teasers = ["Recent posts", "Sowing chillies indoors 21/02/2015"]
    text = page_with("Posted on 03/04/2015 by Sam Carter") + "\n" + "\n".join(teasers) + "\n"
    assert clean_text(text).metadata.date == "2015-04-03"  # the page writes day/month
    assert clean_text(page_with("Posted on 03/04/2015 by Sam Carter")).metadata.date == "2015-03-04"  # en: US order


# --- titles ----------------------------------------------------------------------------


def test_seed_metadata_matches_gold():
    result = clean_text((SEEDS / "003_82738a320e21dc04.txt").read_text(encoding="utf-8"))
    assert result.metadata.title == "Social workers 'deeply disturbed' by findings of serious case review"
    assert result.metadata.author == "Laura Sharman"
    assert result.metadata.date == "2015-03-03"
    assert result.metadata.language == "en"


def test_title_is_headline_not_skip_link():
    result = clean_text((SEEDS / "000_e9e38ccef3864a27.txt").read_text(encoding="utf-8"))
    assert result.metadata.title == "BASW: Oxfordshire CSE SCR - Another sad day for the social work profession"


def test_title_prefers_line_matching_the_html_title():
    page = "\n".join(
        [
            "Ships banned from harbour - The Coast Times",
            "Home",
            "Ships banned from harbour",
            "Opinion: why the vote matters",
            "",
            "Residents of the harbour town voted on Sunday to ban cruise ships longer than 200 metres from its port.",
            "The measure passed with 61 per cent of the vote, on a turnout of just over half of the town's voters.",
        ]
    )
    assert clean_text(page).metadata.title == "Ships banned from harbour"


def test_headline_above_the_byline_beats_captions_nearer_the_article():
    lines = [
        "Menu",
        "Ships banned from harbour after long campaign",
        "The vote ends a decade of complaints from residents.",
        "By Jane Doe",
        "March 3, 2015",
        "Image 1 of 8",
        "A cruise ship in the harbour. (Photo: Harbour Agency)",
        "Share this article",
        "Residents of the harbour town voted on Sunday to ban cruise ships longer than 200 metres from its port.",
    ]
    page = Page("\n".join(lines) + "\n")
    headline = find_headline(page, body_start=9)
    assert headline is not None and headline.content == "Ships banned from harbour after long campaign"


@pytest.mark.parametrize(
    ("first_line", "expected"),
    [
        ("Ships banned from harbour in vote | The Coast Times", "Ships banned from harbour in vote"),
        ("Opinion | Why the harbour vote matters - The Coast Times", "Opinion | Why the harbour vote matters"),
        ("Ships banned from harbour in vote - News - The Coast Times", "Ships banned from harbour in vote"),
        ("Apple releases new phones - here's what changed", "Apple releases new phones - here's what changed"),
        ("城市公園擴建計畫通過｜範例新聞網", "城市公園擴建計畫通過"),
    ],
)
def test_title_line_loses_its_site_name(first_line: str, expected: str):
    page = Page(first_line + "\n\nA short paragraph of text that is here only so that the page has a body.\n")
    assert find_title(page, body_start=3) == expected


# --- the record and bad input ----------------------------------------------------------


def test_language_is_in_the_metadata_and_the_report():
    result = clean_text(unmarked(METADATA / "de_von_two_authors.txt"))
    assert result.metadata.language == "de"
    assert record(result)["metadata"]["language"] == "de"
    assert set(Metadata().to_dict()) == {"title", "author", "date", "language"}


@pytest.mark.parametrize("text", ["", "\n\n\n", "By\n", "2015年\n", "By " + "A" * 5000, "|||\n- - -\n"])
def test_odd_pages_give_metadata_without_errors(text: str):
    meta = clean_text(text).metadata
    assert isinstance(meta, Metadata)


@pytest.mark.parametrize(
    ("date", "crawled", "after"),
    [
        ("2024-05-14", "2024-05-01T00:00:00Z", True),
        ("2024-05-14", "2024-05-14T23:59:59Z", False),  # the same day: published, then fetched
        ("2024-05-14", "2025-01-01", False),
        ("2024-05-14", None, False),  # no crawl date: nothing to compare with
        (None, "2024-05-01T00:00:00Z", False),
        ("May 2024", "2024-05-01T00:00:00Z", False),  # only ISO days compare
        ("2024-05-14", "Wed, 01 May 2024 00:00:00 GMT", False),
    ],
)
def test_a_date_is_after_the_crawl_only_on_a_later_iso_day(date, crawled, after):
    assert after_crawl(date, crawled) is after
