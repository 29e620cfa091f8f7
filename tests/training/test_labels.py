"""Line labels from gold text (cleaner.training.labels)."""

from __future__ import annotations

from cleaner.training.labels import MIN_GOLD_COVERAGE, align

DUMP = """Skip to main content
Home
News
Council votes to close the old library on Friday
Sport
Council votes to close the old library on Friday
By Jane Smith
The council voted on Tuesday evening to close the old library, ending a century of service.
Residents had collected more than two thousand signatures against the plan, to no avail.

Reactions
Local shopkeepers said the closure would take people away from the high street.
Related: Council votes to close the old library on Friday
Sign up for our newsletter
Copyright 2024 Example Media"""

GOLD = """Council votes to close the old library on Friday
The council voted on Tuesday evening to close the old library, ending a century of service.
Residents had collected more than two thousand signatures against the plan, to no avail.
Reactions
Local shopkeepers said the closure would take people away from the high street."""


def _kept(dump: str, gold: str) -> list[str]:
    lines = dump.splitlines()
    labels = align(lines, gold)
    return [line for line, label in zip(lines, labels.lines, strict=True) if label.content]


def test_article_lines_are_content_and_menus_are_not() -> None:
    kept = _kept(DUMP, GOLD)
    assert "The council voted on Tuesday evening to close the old library, ending a century of service." in kept
    assert "Local shopkeepers said the closure would take people away from the high street." in kept
    for boilerplate in ("Skip to main content", "Home", "Sign up for our newsletter", "Copyright 2024 Example Media"):
        assert boilerplate not in kept


def test_a_repeated_headline_is_content_once() -> None:
    kept = _kept(DUMP, GOLD)
    assert kept.count("Council votes to close the old library on Friday") == 1
    assert "Related: Council votes to close the old library on Friday" not in kept


def test_a_short_heading_is_content_where_the_gold_has_it() -> None:
    labels = align(DUMP.splitlines(), GOLD)
    by_text = dict(zip(DUMP.splitlines(), labels.lines, strict=True))
    assert by_text["Reactions"].content
    assert not by_text["Sport"].content and not by_text["News"].content


def test_blank_lines_carry_no_evidence() -> None:
    labels = align(DUMP.splitlines(), GOLD)
    blank = labels.lines[9]
    assert blank.tokens == 0 and not blank.content and blank.confidence == 0.0


def test_confidence_is_high_for_clear_lines() -> None:
    labels = align(DUMP.splitlines(), GOLD)
    assert labels.lines[7].content and labels.lines[7].confidence == 1.0  # the first article sentence
    assert not labels.lines[13].content and labels.lines[13].confidence == 1.0  # the newsletter prompt


def test_a_gold_not_in_the_dump_is_broken() -> None:
    labels = align(DUMP.splitlines(), "An entirely different text about gardening, tomatoes and the summer rain.")
    assert labels.broken and labels.gold_coverage < MIN_GOLD_COVERAGE
    assert not align(DUMP.splitlines(), GOLD).broken
    assert align(DUMP.splitlines(), "").broken


def test_labels_follow_the_gold_order() -> None:
    # The same sentence twice in the dump, once in the gold: only one copy can be content.
    sentence = "A long sentence about the weather in the north of the country today."
    dump = [sentence, "Menu", sentence, "And a second sentence follows it here."]
    gold = "A long sentence about the weather in the north of the country today. And a second sentence follows it here."
    labels = align(dump, gold)
    assert [label.content for label in labels.lines].count(True) == 2
    assert labels.lines[3].content
