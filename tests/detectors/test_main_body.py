"""The main-body locator alone: every cut says where the article is."""

from __future__ import annotations

from conftest import FIXTURES, PROSE, seed_files

from cleaner import clean_text
from cleaner.detectors.main_body import MainBodyDetector
from cleaner.text.labels import Labels
from cleaner.text.page import Page


def test_every_main_body_span_names_the_article_it_was_cut_around():
    for seed in seed_files():
        result = clean_text(seed.read_text(encoding="utf-8"))
        spans = [span for span in result.removed if span.detector == "main-body"]
        assert spans, f"{seed.name}: the locator should cut something"
        for span in spans:
            assert "the article is lines" in span.reason, (seed.name, span)


def test_the_reason_says_which_side_of_the_article_a_line_is_on():
    paragraphs = [
        PROSE,
        "The council said the new rule would take effect next spring, after a consultation with the port's "
        "operators, and that smaller ships would still be welcome at the quay.",
        "Shopkeepers in the old town were divided: some feared for their trade, while others said the crowds "
        "had driven away the visitors who stayed longer and spent more.",
    ]
    page = "Home\nNews\nSport\n\n" + "\n\n".join(paragraphs) + "\n\nAbout us\nContact\n"
    reasons = {span.rule: span.reason for span in clean_text(page, only=["main-body"]).removed}
    assert reasons["BODY1"].startswith(("before the article", "above the headline"))
    assert reasons["BODY2"].startswith("after the article")


def _fixture_text(name: str) -> str:
    lines = (FIXTURES / "main-body" / name).read_text(encoding="utf-8").splitlines()
    return "\n".join(line[2:] for line in lines) + "\n"


def test_a_short_article_under_the_title_headline_beats_a_longer_blurb_below():
    page = Page(_fixture_text("short_article_under_title.txt"))
    first, last = MainBodyDetector().locate(page, Labels(page))
    assert page.line(first).content.startswith("The night ferry") and page.line(last).content.startswith("Tickets")


def test_without_a_title_line_the_best_stretch_still_wins():
    # The same page without its <title> first line: nothing says where the article is, and
    # the earliest strong stretch is the site blurb (the known limit the title corrects).
    text = _fixture_text("short_article_under_title.txt").split("\n", 2)[2]
    page = Page(text)
    first, _ = MainBodyDetector().locate(page, Labels(page))
    assert page.line(first).content.startswith("The Harbour Gazette has been published")


def test_the_article_right_under_the_title_headline_stays_the_choice():
    blurb = ("Our readers can reach the newsroom at any hour with news, corrections or complaints, and we "
             "answer every letter that carries a name and an address, as we have done since the paper began. ")
    text = (f"Night ferry returns next month | Harbour Gazette\n\nHome\nNews\n\nNight ferry returns next month\n"
            f"{PROSE}\n\n{PROSE}\n\nMore\n\n{blurb}\n")
    page = Page(text)
    chosen = MainBodyDetector().locate(page, Labels(page))
    assert chosen is not None and page.line(chosen[0]).content == PROSE


def test_the_article_under_the_title_goes_on_past_its_photos():
    # Paragraphs cut apart by photo lines are one article: taken from the title headline to
    # its last paragraph, not only the first stretch under the headline.
    text = _fixture_text("short_article_under_title.txt")
    photo = "\n\nPhoto: the ferry at the quay\nEnlarge\nClose\n1 of 4\nNext photo\n\n"
    text = text.replace("\n\nTickets go on sale", photo + "Tickets go on sale")
    page = Page(text)
    first, last = MainBodyDetector().locate(page, Labels(page))
    assert page.line(first).content.startswith("The night ferry") and page.line(last).content.startswith("Tickets")
