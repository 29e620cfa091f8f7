"""The registry: one ordered list of the detectors, with their colours and where each runs."""

from __future__ import annotations

from cleaner.detectors.registry import (
    DEFAULT,
    HTML_FIRST,
    LAST,
    REGISTRY,
    default_detectors,
    detector_names,
    entry,
    html_redundant,
)
from cleaner.outputs import review, terminal
from cleaner.runs import page as runs_page


def test_every_detector_has_one_entry_and_the_runs_read_it():
    names = [item.name for item in REGISTRY]
    assert len(names) == len(set(names))
    assert [d.name for d in default_detectors()] == [item.name for item in REGISTRY if item.runs == DEFAULT]
    assert sorted(detector_names()) == sorted(names)
    # --list-detectors: registry order, then layout
    assert [info.name for info in runs_page.list_detectors()][:-1] == names


def test_the_html_step_comes_first_and_site_repetition_last():
    assert REGISTRY[0].runs == HTML_FIRST and REGISTRY[-1].runs == LAST
    assert {item.runs for item in REGISTRY[1:-1]} == {DEFAULT}
    assert runs_page.HTML_REDUNDANT == html_redundant() == ("link-list", "main-body")


def test_the_views_take_their_colours_from_the_registry():
    for item in REGISTRY:
        if item.color:
            assert terminal.detector_color(item.name) == item.color
        if item.hue is not None:
            assert review.hue(item.name) == item.hue
    assert entry("html-extractor") is not None and entry("nope") is None
