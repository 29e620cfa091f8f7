"""Record lists: a stretch that repeats a labelled field is widened over the entries around it."""

from __future__ import annotations

from cleaner.text.page import Page
from cleaner.text.records import record_span


def _entry(name: str, prose: bool) -> list[str]:
    about = (f"The {name} course winds through old woods and along a slow river, with wide fairways "
             "that forgive a beginner and greens that do not.") if prose else f"{name} news"
    return [f"{name} Golf Club", f"Address: 1 {name} Road", about, "Season: May 1 to October 31", ""]


def _page(prose: bool) -> Page:
    lines = ["Home", "Search", ""]
    for name in ("Alder", "Birch", "Cedar", "Dune", "Elm"):
        lines += _entry(name, prose)
    return Page("\n".join([*lines, "Copyright | Privacy"]) + "\n")


def _numbers(page: Page, start: str, end: str) -> tuple[int, int]:
    first = next(line.number for line in page.lines if line.content.startswith(start))
    last = next(line.number for line in page.lines if line.content.startswith(end))
    return first, last


def test_a_stretch_of_two_entries_takes_in_the_whole_list():
    page = _page(prose=True)
    middle = _numbers(page, "Address: 1 Birch", "The Cedar")  # Birch's and Cedar's fields and descriptions
    first = _numbers(page, "Alder Golf Club", "Alder Golf Club")[0]
    last = max(line.number for line in page.lines if line.content.startswith("Season"))
    assert record_span(page, *middle, removed=lambda n: False) == (first, last)


def test_a_labelled_line_stops_the_widening():
    page = _page(prose=True)
    middle = _numbers(page, "Address: 1 Birch", "The Cedar")
    stop = _numbers(page, "Dune Golf Club", "Dune Golf Club")[0]
    # Back to Alder's name; forward, no entry past the labelled line: the stretch keeps its end.
    assert record_span(page, *middle, removed=lambda n: n == stop) == (4, middle[1])


def test_entries_without_running_text_are_not_taken_in():
    # A teaser list repeats its fields too ("Posted on: ..."), with nothing to read between them.
    page = _page(prose=False)
    middle = _numbers(page, "Address: 1 Birch", "Birch news")
    assert record_span(page, *middle, removed=lambda n: False) == middle


def test_a_stretch_without_a_repeated_field_is_unchanged():
    page = _page(prose=True)
    one = _numbers(page, "Address: 1 Birch", "The Birch")
    assert record_span(page, *one, removed=lambda n: False) == one
