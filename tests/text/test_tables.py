"""Tables and definition lists recognised by their rows' shape."""

import pytest

from cleaner.text.page import Page
from cleaner.text.tables import is_key_value_row, is_numeric_row, table_end


@pytest.mark.parametrize("row", ["3 St Anne's 22 13 5 4 +15 44", "Oslo 12° 4° 3 mm", "2019 1,204 €3.5m 12%"])
def test_rows_with_numeric_cells_are_table_rows(row):
    assert is_numeric_row(row)


@pytest.mark.parametrize("row", [
    "The ban passed with 61 per cent of the vote on 12 June.",  # a sentence that mentions numbers
    "Home News Sport",  # no numbers
    "12 June 2023",  # a date: too few cells
])
def test_sentences_and_menus_are_not_table_rows(row):
    assert not is_numeric_row(row)


@pytest.mark.parametrize("row", ["Capacity: 1.7 litres", "Date of birth: 4 May 1961", "Gewicht: 1,1 kg"])
def test_short_key_and_value_is_a_definition_row(row):
    assert is_key_value_row(row)


@pytest.mark.parametrize("row", [
    "The minister said on Monday: we will not raise taxes this year, whatever the budget office says next.",
    "Read more: https://example.org/story",
    "No colon here",
])
def test_clauses_and_links_are_not_definition_rows(row):
    assert not is_key_value_row(row)


def test_a_table_under_its_header_ends_at_its_last_row():
    page = Page("Intro.\n\nPos Club P Pts\n1 Harbour 22 49\n2 Millbrook 21 49\n3 Eastfield 22 39\n\nAfter.")
    assert table_end(page, 3) == 6


def test_a_specification_list_under_its_heading():
    page = Page("Specifications\nCapacity: 1.7 litres\nPower: 2200 W\nWeight: 1.1 kg\nAdd to basket")
    assert table_end(page, 1) == 4


def test_two_rows_or_rows_apart_are_not_a_table():
    assert table_end(Page("Pos Club P Pts\n1 Harbour 22 49\n2 Millbrook 21 49\n\nText."), 1) is None
    assert table_end(Page("1 Harbour 22 49\n\n2 Millbrook 21 49\n\n3 Eastfield 22 39"), 1) is None
