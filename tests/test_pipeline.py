import pytest

from cleaner import clean_text
from cleaner.detectors.base import Detector
from cleaner.detectors.main_body import MainBodyDetector
from cleaner.detectors.registry import default_detectors
from cleaner.pipeline import MIN_ARTICLE_WORDS, Step, clean_page, run
from cleaner.text.labels import Labels, Located, Removal, Rule
from cleaner.text.page import Page

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
    from cleaner.text.layout import LAYOUT, UNIT_LINES
    from cleaner.text.signals import SIGNALS, page_signals

    text = "Menu\n\nHome\n\n" + "\n\n".join([PROSE] * 4) + "\n\nShare on Facebook\n"
    before = list(page_signals(Page(text)))
    page = Page(text)
    clean_page(page)
    assert SIGNALS not in page.facts and UNIT_LINES not in page.facts  # released before rendering (peak memory)
    assert LAYOUT in page.facts  # (rendering reads the layout: kept)
    assert page_signals(page) == before


# --- the driver: one run, a scope, an observer ----------------------------------------------


class Narrow(Detector):
    """Removes the lines outside ``keep`` and leaves the detectors after it only those (a toy html-extractor)."""

    name = "narrow"
    OUT = Rule("NAR1", "outside")
    rules = (OUT,)
    provides = frozenset({"body", "scope"})

    def __init__(self, keep: tuple[int, ...]) -> None:
        self.keep = keep

    def detect(self, page, labels):
        out = [self.removal(self.OUT, n) for n in range(1, len(page) + 1) if n not in self.keep]
        return [*out, Located((self.keep[0], self.keep[-1]), scope=self.keep)]


class Spy(Detector):
    """Records the page it saw and removes its lines ``cut`` (view numbers)."""

    name = "spy"
    CUT = Rule("SPY1", "cut")
    rules = (CUT,)

    def __init__(self, cut: tuple[int, int] | None = None) -> None:
        self.cut = cut
        self.seen: list[tuple[str, tuple[int, int] | None]] = []

    def detect(self, page, labels):
        self.seen.append((page.text, labels.body))
        return [] if self.cut is None else [self.removal(self.CUT, *self.cut)]


LETTERS = "a\nb\nc\nd\ne\nf\n"


def test_a_scope_shows_the_detectors_after_it_a_page_of_the_lines_it_kept():
    spy = Spy()
    done = run(Page(LETTERS), [Narrow((2, 3, 5)), spy])
    assert spy.seen == [("b\nc\ne\n", (1, 3))]  # its own page; the located body in its numbers
    assert done.view.text == "b\nc\ne\n" and done.scope is not None and done.scope.numbers == (2, 3, 5)


def test_a_view_removal_comes_back_in_whole_page_numbers_split_where_the_scope_skips_lines():
    result = clean_page(Page(LETTERS), [Narrow((2, 3, 5)), Spy(cut=(2, 3))])
    spans = [(span.detector, span.first_line, span.last_line) for span in result.removed]
    assert spans == [("narrow", 1, 1), ("spy", 3, 3), ("narrow", 4, 4), ("spy", 5, 5), ("narrow", 6, 6)]
    assert result.text == "b\n" and result.rebuild() == LETTERS and result.lines_total == 6


def test_the_observer_sees_every_step_in_whole_page_numbers():
    steps: list[Step] = []
    run(Page(LETTERS), [Narrow((2, 3, 5)), Spy(cut=(2, 3))], steps.append)
    assert [step.detector.name for step in steps] == ["narrow", "spy"]
    assert steps[0].narrows is not None and steps[0].scope is None and steps[1].scope is steps[0].narrows
    assert [(r.first_line, r.last_line) for r in steps[1].removals] == [(3, 3), (5, 5)]
    assert steps[1].view.text == "b\nc\ne\n"


def test_detectors_return_where_the_article_is_and_the_driver_records_it():
    page = Page(PAGE)
    labels = Labels(size=len(page))
    found = list(MainBodyDetector().detect(page, labels))
    assert labels == Labels(size=len(page))  # the detector wrote nothing
    located = [item for item in found if isinstance(item, Located)]
    assert located and located[0].body is not None and located[0].headline == 6
    done = run(page, [MainBodyDetector()]).labels
    assert (done.body, done.headline) == (located[0].body, 6)


def test_a_scope_narrows_the_whole_page_once():
    with pytest.raises(ValueError, match="once"):
        run(Page(LETTERS), [Narrow((2, 3, 5)), Narrow((1, 2))])


def test_generic_labels_give_way_and_specific_ones_stay():
    labels = Labels(size=3, generic={"main-body"})
    generic, specific = Removal("main-body", "BODY1", 1, 1), Removal("footer", "FOOT1", 1, 1)
    assert labels.takes_over(None) and labels.takes_over(generic) and not labels.takes_over(specific)
    labels.add(generic)
    labels.add(specific)
    labels.add(Removal("social", "SOC1", 1, 1))
    assert labels.by_line[1] == specific
