"""The main-body locator alone: every cut says where the article is."""

from __future__ import annotations

from conftest import PROSE, seed_files

from cleaner import clean_text


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
