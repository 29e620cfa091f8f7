import pytest

from cleaner import clean_text
from cleaner.detectors.base import Detector
from cleaner.detectors.main_body import MainBodyDetector
from cleaner.pipeline import MIN_ARTICLE_WORDS, default_detectors
from cleaner.text.labels import Rule

PROSE = (
    "Residents of the harbour town voted on Sunday to ban cruise ships longer than 200 metres from its port, "
    "ending a decade of growing traffic that locals say has crowded the old town and its narrow streets."
)


class GreedyBodyDetector(MainBodyDetector):
    """A broken locator that keeps only the first line: the guard must undo it."""

    def locate(self, page, labels):
        return (1, 1)


def test_pipeline_is_an_ordered_list_with_the_locator_in_it():
    names = [d.name for d in default_detectors()]
    assert "main-body" in names
    assert len(names) == len(set(names))


def test_over_removal_guard_falls_back_and_says_so():
    text = "Menu\n\n" + "\n\n".join([PROSE] * 6) + "\n"
    result = clean_text(text, detectors=[GreedyBodyDetector()])
    assert any("fallback" in note for note in result.notes)
    assert result.text.count("Residents of the harbour town") == 6
    assert len(result.text.split()) > MIN_ARTICLE_WORDS


def test_page_without_prose_is_kept_with_a_note():
    result = clean_text("Home\nNews\nSport\n", detectors=[MainBodyDetector()])
    assert result.text == "Home\nNews\nSport\n"
    assert result.notes and "no main body" in result.notes[0]


def test_specific_label_beats_generic_main_body_label():
    class Everything(Detector):
        """Labels line 1."""

        name = "everything"
        ONE = Rule("EVR1", "line one")
        rules = (ONE,)

        def detect(self, page, labels):
            return [self.removal(self.ONE, 1)]

    text = "Home\n\n" + PROSE + "\n\n" + PROSE + "\n"
    result = clean_text(text, detectors=[MainBodyDetector(), Everything()])
    assert result.removed[0].detector == "everything"


PAGE = "\n".join(
    [
        "Harbour town bans big cruise ships - Coast Times",
        "",
        "Home",
        "News",
        "",
        "Harbour town bans big cruise ships",
        "",
        PROSE,
        "",
        "Opponents said the ban would cost the town's shops and cafes, which depend on day visitors in the summer.",
        "",
        "Port charges",
        "",
        "The ban takes effect next spring, and the council will review it after two seasons.",
        "",
        "Ferry times",
        "Parking",
        "",
        "Smaller ships, of up to 200 metres, may still call at the port on weekdays.",
        "",
        "Most read",
        "Ferry fares to rise",
        "",
    ]
)


def test_title_kept_by_default_and_reported_as_metadata_with_no_title():
    kept = clean_text(PAGE)
    assert kept.text.splitlines()[0] == "Harbour town bans big cruise ships"
    without = clean_text(PAGE, keep_title=False)
    assert "Harbour town bans big cruise ships" not in without.text
    assert without.metadata.title == "Harbour town bans big cruise ships"
    title_span = [span for span in without.removed if span.rule == MainBodyDetector.TITLE.code]
    assert [span.first_line for span in title_span] == [6]
    assert without.rebuild() == PAGE


def test_favor_modes_shift_how_much_is_kept():
    # Two short lines before a last short paragraph: bridged in balanced and recall modes, not in precision.
    kept = {favor: len(clean_text(PAGE, favor=favor).text.split()) for favor in ("precision", "balanced", "recall")}
    assert kept["precision"] <= kept["balanced"] <= kept["recall"]
    assert kept["precision"] < kept["recall"]


def test_unknown_favor_is_refused():
    with pytest.raises(ValueError, match="favor"):
        default_detectors("speed")


def test_released_line_caches_are_recomputed_identical():
    from cleaner.pipeline import clean_page
    from cleaner.text.layout import LAYOUT, UNIT_LINES
    from cleaner.text.page import Page
    from cleaner.text.signals import SIGNALS, page_signals

    text = "Menu\n\nHome\n\n" + "\n\n".join([PROSE] * 4) + "\n\nShare on Facebook\n"
    before = list(page_signals(Page(text)))
    page = Page(text)
    clean_page(page)
    assert SIGNALS not in page.facts and UNIT_LINES not in page.facts  # released before rendering (peak memory)
    assert LAYOUT in page.facts  # (rendering reads the layout: kept)
    assert page_signals(page) == before
