from cleaner import clean_text
from cleaner.detectors.base import Detector
from cleaner.detectors.main_body import MainBodyDetector
from cleaner.pipeline import MIN_ARTICLE_WORDS, default_detectors
from cleaner.removal import Rule

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
