"""cleaner.text.facts: typed per-page facts, computed once by their owner; per-line ones released before rendering."""

from __future__ import annotations

from cleaner.text.facts import Fact, PageFacts
from cleaner.text.layout import LAYOUT, UNIT_LINES, UNIT_OF, detect_layout, unit_lines
from cleaner.text.page import Page
from cleaner.text.signals import PHRASE_MASKS, SIGNALS, page_signals

TEXT = "Home\n\nThe council met on Monday to agree the budget for the coming year, as it does.\n\nShare on Facebook\n"


def test_a_fact_is_computed_once_and_kept():
    facts, made = PageFacts(), []
    count: Fact[int] = Fact("count")
    assert facts.get(count) is None and count not in facts
    assert facts.memo(count, lambda: made.append(1) or 7) == 7
    assert facts.memo(count, lambda: made.append(1) or 8) == 7
    assert made == [1] and facts.get(count) == 7 and count in facts


def test_a_fact_of_none_is_kept_too():
    facts, made = PageFacts(), []
    nothing: Fact[int | None] = Fact("nothing")
    assert facts.memo(nothing, lambda: made.append(1)) is None
    assert facts.memo(nothing, lambda: made.append(1)) is None
    assert made == [1] and nothing in facts


def test_facts_are_keyed_by_the_declared_fact_not_its_name():
    facts = PageFacts()
    first, second = Fact[int]("same"), Fact[int]("same")
    facts.put(first, 1)
    assert facts.get(second) is None


def test_each_page_has_its_own_facts():
    one, two = Page(TEXT), Page(TEXT)
    detect_layout(one)
    assert LAYOUT in one.facts and LAYOUT not in two.facts


def test_releasing_drops_the_per_line_facts_only():
    page = Page(TEXT)
    signals, lines = page_signals(page), unit_lines(page)
    assert all(fact in page.facts for fact in (SIGNALS, PHRASE_MASKS, UNIT_LINES, LAYOUT))
    page.facts.release_line_facts()
    assert SIGNALS not in page.facts and UNIT_LINES not in page.facts and UNIT_OF not in page.facts
    assert LAYOUT in page.facts and PHRASE_MASKS in page.facts
    assert page_signals(page) == signals and unit_lines(page) == lines  # made again, identical
