"""Scope: the lines a step left in play as a page of their own, and the way back to the whole page's numbers."""

from __future__ import annotations

from cleaner.text.labels import InlineEdit, Labels, Removal
from cleaner.text.language import LANGUAGE
from cleaner.text.page import Page
from cleaner.text.scope import Scope


def test_the_view_is_the_kept_lines_with_their_endings():
    page = Page("a\r\nb\nc\nd")
    scope = Scope.of(page, (2, 4))
    assert scope.view.text == "b\nd" and len(scope.view) == 2
    assert [scope.whole(n) for n in (1, 2)] == [2, 4]
    assert [scope.local(n) for n in (1, 2, 3, 4)] == [None, 1, None, 2]


def test_a_removal_maps_to_one_removal_per_run_of_whole_page_lines():
    scope = Scope.of(Page("a\nb\nc\nd\ne\nf\n"), (1, 2, 4, 5, 6))
    pieces = scope.removals(Removal("x", "X1", 2, 5, "why"))
    assert [(r.first_line, r.last_line, r.reason) for r in pieces] == [(2, 2, "why"), (4, 6, "why")]
    assert scope.edit(InlineEdit("x", "X2", 3, 0, 1)).line == 4
    assert scope.verdicts({1: pieces[0], 3: pieces[1]}) == {1: pieces[0], 4: pieces[1]}


def test_the_view_keeps_a_declared_language():
    page = Page("Hallo\nWelt\n")
    page.facts.put(LANGUAGE, "de")
    assert Scope.of(page, (2,)).view.facts.get(LANGUAGE) == "de"
    assert LANGUAGE not in Scope.of(Page("a\nb\n"), (1,)).view.facts


def test_the_views_first_labels_are_the_whole_pages_on_its_lines():
    scope = Scope.of(Page("a\nb\nc\nd\ne\n"), (2, 3, 5))
    labels = Labels(size=5, generic={"main-body"}, body=(1, 3), headline=4)
    labels.add(Removal("x", "X1", 3, 4))
    labels.add(InlineEdit("y", "Y1", 5, 0, 1))
    view = scope.into_view(labels)
    assert view.size == 3 and view.generic == {"main-body"}
    assert view.by_line == {2: Removal("x", "X1", 3, 4)} and [edit.line for edit in view.edits] == [3]
    assert view.body == (1, 2) and view.headline is None  # clipped to the scope; the headline is outside it
    assert scope.into_view(Labels(size=5, body=(4, 4))).body is None
