"""The learned content model: the shipped files, the locator corrected by it (the default), or it alone.

Three shipped forests: the text model (:data:`MODEL_FILE`, every page), and for HTML pages the
model that also reads the markup's evidence (:data:`HTML_MODEL_FILE`) and the one that reads
trafilatura's decision too (:data:`ENSEMBLE_MODEL_FILE`). :func:`model_rows` builds the rows of
the columns a forest names, the one place that knows which page facts each column set reads.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from pathlib import Path
from types import MappingProxyType

import numpy as np

from cleaner.detectors.base import Detector
from cleaner.detectors.claims import claim_features
from cleaner.detectors.forest import BIAS, COLUMN_SETS, COLUMNS, ENSEMBLE_COLUMNS, HTML_COLUMNS, Forest
from cleaner.detectors.main_body import BodyThresholds, MainBodyDetector
from cleaner.text.dom import DOM_EVIDENCE, dom_features, title_element_lines
from cleaner.text.extracted import extractor_features
from cleaner.text.features import line_features, word_counts
from cleaner.text.headline import title_headline
from cleaner.text.labels import Labels, Located, Removal, Rule
from cleaner.text.page import Line, Page
from cleaner.text.tables import table_rows

__all__ = [
    "CUT_MAX_SHARE", "DECIDES", "DECIDES_MIN_WORDS", "ENSEMBLE_MODEL_FILE", "FAVOR_PROBABILITIES", "HTML_MODEL_FILE",
    "MODEL_FILE", "ContentModelDetector", "FeatureWords", "LineModel", "LocatorWithModel", "Predictor",
    "describe", "shown", "feature_words", "model_rows", "model_version", "shipped_html_model",
    "shipped_model", "top_features",
]

MODEL_FILE = Path(__file__).parent / "models" / "content.json"  # written by python -m cleaner.training.train
HTML_MODEL_FILE = Path(__file__).parent / "models" / "content_html.json"  # ... train --html
ENSEMBLE_MODEL_FILE = Path(__file__).parent / "models" / "content_html_trafilatura.json"  # ... train --html --ensemble
WORDS_FILE = Path(__file__).parent / "models" / "feature_words.tsv"
_NUMBER, _CONTENT = attrgetter("number"), attrgetter("content")  # (map over lines: cheaper than a generator)
DECIDES = 0.5  # P(content) at which the model counts a line as content when it decides a page (MODEL3)
# MODEL3 needs this many words the model takes for content outside the stretch: a dateline or a
# caption of five words at P 0.8 is no evidence that the page's content lies elsewhere, and on a
# page whose article is one long line the model is unsure of, it threw the article away.
DECIDES_MIN_WORDS = 30
# MODEL2 never cuts more than this share of the stretch's words (those the model read): when it
# would, it contradicts the locator on the whole stretch (a text browser's table row holding the
# article beside the menu), and cutting it leaves the page empty. The stretch is then kept whole.
CUT_MAX_SHARE = 0.5
# --favor as the model's (rescue, cut) probabilities: precision rescues only what it is surer of and
# cuts more inside the article; recall rescues more and cuts less. Balanced: chosen by LOSO.
FAVOR_PROBABILITIES: dict[str, tuple[float, float]] = {
    "precision": (0.92, 0.2), "balanced": (0.85, 0.1), "recall": (0.75, 0.05),
}


@cache
def shipped_model() -> Forest:
    """The package's content model (:data:`MODEL_FILE`), read once per process.

    A cache, not global state: this is a pure function of a read-only package file, and the
    :class:`Forest` it returns is never changed after it is made. So every page of a process (a
    worker's, the datatrove step's) shares one load (2-5 ms) instead of paying it per page.
    A missing or incompatible file raises :class:`~cleaner.detectors.forest.ModelFileError` (one line).
    """
    return Forest.load(MODEL_FILE, COLUMNS)


@cache
def shipped_html_model(ensemble: bool = False) -> Forest:
    """The package's HTML content model, read once per process (cached as :func:`shipped_model`).

    ``ensemble`` False: text + DOM columns (:data:`HTML_MODEL_FILE`); True: those and trafilatura's
    decision (:data:`ENSEMBLE_MODEL_FILE`). Its pages need the DOM's evidence (:func:`model_rows`).
    """
    if ensemble:
        return Forest.load(ENSEMBLE_MODEL_FILE, ENSEMBLE_COLUMNS)
    return Forest.load(HTML_MODEL_FILE, HTML_COLUMNS)


def model_version() -> str:
    """The shipped model's version (from its file)."""
    return shipped_model().model_version


@dataclass(frozen=True)
class FeatureWords:
    """One feature in a reviewer's words: ``low`` for a value at most ``split``, ``high`` above it."""

    split: float
    low: str
    high: str

    def of(self, value: float) -> str:
        return self.low if value <= self.split else self.high


@cache
def feature_words() -> Mapping[str, FeatureWords]:
    """Feature -> its words (:class:`FeatureWords`), from :data:`WORDS_FILE`.

    Cached for the same reason as :func:`shipped_model`: a pure read of a package file, read-only result.
    """
    words = {}
    for line in WORDS_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and not line.startswith("feature\t"):
            name, split, low, high = line.split("\t")
            words[name] = FeatureWords(float(split), low, high)
    return MappingProxyType(words)


def shown(probability: float, bound: float) -> str:
    """``probability`` to two decimals, or more when two would print it equal to ``bound`` ("0.0996 (< 0.10)")."""
    for decimals in range(2, 7):
        text = f"{probability:.{decimals}f}"
        if text != f"{bound:.{decimals}f}":
            return text
    return text


def top_features(parts: Mapping[str, float], n: int = 3, sign: int = 0) -> list[tuple[str, float]]:
    """The ``n`` features that moved the score most (``sign`` -1: down only, +1: up only, 0: either way)."""
    chosen = [(name, part) for name, part in parts.items() if name != BIAS and part * sign >= 0 and part]
    return sorted(chosen, key=lambda item: -abs(item[1]))[:n]


def describe(name: str, part: float, value: float) -> str:
    """One feature's part in words: ``a short line (-1.3)`` (``value``: the line's; the part in log-odds)."""
    words = feature_words().get(name)
    return f"{words.of(value) if words else name} ({part:+.1f})"


# Feature rows (``cleaner.text.features`` then ``cleaner.detectors.claims`` columns) -> P(content) per row.
Predictor = Callable[[np.ndarray], np.ndarray]


class ContentModelDetector(Detector):
    """Removes the lines a learned model gives a low probability of being the page's content.

    **What**: every non-blank line gets features (its shape, its place, its neighbours, what the
    specific detectors before it claimed; on an HTML page with the HTML model, the markup around
    it, and with the ensemble model trafilatura's decision) and a probability of content from the
    model; runs of lines under ``threshold`` are removed (MODEL1, naming the features that pushed
    the run's least likely line down when the model is a :class:`Forest`), and the article's position
    for the detectors after it is the first to the last kept line. Unlike the main-body locator
    it may keep several stretches (a list, a forum thread, a page of short items). When no line
    reaches ``threshold`` it cuts nothing (no body found, as the locator: the specific detectors'
    cuts stand). On an HTML page, the line the ``<title>`` element wrote is cut even when the model
    keeps it (MODEL4): it is the browser tab's text, reported as the metadata's title (out of set,
    macro 0.900 -> 0.901, up on four dev collections of five).
    ``keep_title=False`` removes the line repeating the page's title when the model keeps it (BODY3).

    **Why**: boilerplate and content differ in layout, prose density and position in ways a
    model learned from labelled pages weighs better than hand-set scores, on pages of any genre.

    **Known false positives**: content that looks like chrome (a list of short link-like items)
    when the pages it learned from had little of it; a long prose block in a sidebar.
    """

    name = "main-body"  # the same place and switch (--skip main-body) as the locator it stands in for
    generic = True
    provides = frozenset({"body"})
    OUT = Rule("MODEL1", "not the page's content (learned model)")
    TAB = Rule("MODEL4", "the HTML page's <title> element, which the browser shows in its tab, not in the page")
    TITLE = MainBodyDetector.TITLE  # (the same detector name and meaning as the locator's headline cut)
    rules = (OUT, TAB, TITLE)

    def __init__(self, model: Forest | Predictor, threshold: float = 0.5, keep_title: bool = True) -> None:
        self.model = model  # a Forest also explains (contributions); a bare predict function only scores
        self.predict: Predictor = model.predict if isinstance(model, Forest) else model
        self.columns = model.features if isinstance(model, Forest) else COLUMNS  # a bare predictor reads the text's
        self.threshold = threshold
        self.keep_title = keep_title

    @property
    def model_version(self) -> str:
        return self.model.model_version if isinstance(self.model, Forest) else "unversioned"

    def detect(self, page: Page, labels: Labels) -> Iterable[Removal | Located]:
        lines, rows = model_rows(page, labels, self.columns)
        probability = self.predict(rows) if lines else np.zeros(0)
        tab = title_element_lines(page)  # the <title> element's text: the browser tab's, never the page's content
        kept = [line.number for line, p in zip(lines, probability, strict=True)
                if p >= self.threshold and line.number not in tab]
        if not kept:  # no content found: cut nothing, as the locator finding no body (the guard's note says so)
            return [Located(None)]
        headline = title_headline(page)
        title = headline.number if headline is not None and headline.number in kept else None
        out: list[Removal | Located] = [Located((kept[0], kept[-1]), title)]
        out.extend(self.removal(self.TAB, line.number, line.number, "the page's <title> element (the metadata's "
                                "title; a headline repeating it in the page stays)")
                   for line, p in zip(lines, probability, strict=True) if p >= self.threshold and line.number in tab)
        if title is not None and not self.keep_title:
            out.append(self.removal(self.TITLE, title, title, "the headline (kept as the title)"))
        numbers = np.fromiter(map(_NUMBER, lines), dtype=np.int64, count=len(lines))
        under = set(numbers[probability < self.threshold].tolist())
        # Runs of non-blank lines under the threshold; the blank lines between them go with them.
        fixed, generic = labels.by_line, labels.generic
        open_ = np.array([(label := fixed.get(number)) is None or label.detector in generic for number in numbers],
                         dtype=bool)
        for first, last in _runs(numbers.tolist(), under.__contains__):
            low, high = np.searchsorted(numbers, [first, last + 1])
            out.append(self.removal(self.OUT, first, last, self._reason(numbers, rows, probability, low, high, open_)))
        return out

    def _reason(self, numbers: np.ndarray, rows: np.ndarray, probability: np.ndarray, low: int, high: int,
                open_: np.ndarray) -> str:
        """Why rows ``low:high`` (one run) are cut: their P(content), and what pushed the least likely of them down.

        The features named are those of the run's least likely line that no specific detector labelled
        (``open_``): a labelled line is cut under its own rule, so the reason never names it.
        """
        said, bound = probability[low:high], f"(< {self.threshold:.2f})"
        if high - low == 1:
            reason = f"learned model: content probability {shown(float(said[0]), self.threshold)} {bound}"
        else:
            reason = f"learned model: content probability {said.mean():.2f} on average {bound}"
        if not isinstance(self.model, Forest):
            return reason
        candidates = np.where(open_[low:high], said, np.inf)
        at = low + int(np.argmin(candidates if np.isfinite(candidates).any() else said))
        parts = top_features(self.model.contributions(rows[at]), 3, sign=-1)
        words = ", ".join(describe(name, part, float(rows[at][self.columns.index(name)])) for name, part in parts)
        where = "" if high - low == 1 else f"; line {int(numbers[at])} ({float(probability[at]):.2f})"
        return reason + (f"{where}: {words}" if words else "")

    def line_model(self, page: Page, labels: Labels, number: int, n: int = 3) -> LineModel:
        """What the model says of line ``number`` (``labels``: those it saw): it alone decides the page."""
        lines, rows = model_rows(page, labels, self.columns)
        at = next((i for i, line in enumerate(lines) if line.number == number), None)
        if at is None:
            return LineModel(None, (), self.threshold, self.threshold)
        probability = float(self.predict(rows[at : at + 1])[0])
        said: tuple[str, ...] = ()
        if isinstance(self.model, Forest):
            parts = top_features(self.model.contributions(rows[at]), n)
            said = tuple(describe(name, part, float(rows[at][self.columns.index(name)])) for name, part in parts)
        why = f"the model alone decides this page's content ({self.model_version})"
        return LineModel(probability, said, self.threshold, self.threshold, why, self.threshold)


def model_rows(page: Page, labels: Labels, columns: Sequence[str] = COLUMNS) -> tuple[list[Line], np.ndarray]:
    """The page's non-blank lines and their rows of ``columns`` (one of :data:`COLUMN_SETS`), in float64.

    The text features and the claims so far always; the DOM's columns for an HTML model (the page
    must carry :data:`~cleaner.text.dom.DOM_EVIDENCE`: a ValueError otherwise, never silent zeros,
    which would read every line as outside any markup); trafilatura's for the ensemble model
    (:data:`~cleaner.text.extracted.EXTRACTOR_KEPT`; absent: nothing kept, as in its training).
    """
    columns = tuple(columns)
    if columns not in COLUMN_SETS.values():
        raise ValueError(f"no rows for a model of {len(columns)} features: known sets "
                         + ", ".join(f"{name} ({len(names)})" for name, names in COLUMN_SETS.items()))
    if len(columns) > len(COLUMNS) and DOM_EVIDENCE not in page.facts:
        raise ValueError(f"page {page.source!r}: the HTML content model needs the markup's evidence "
                         "(walk(root, evidence=True), put as the page's DOM_EVIDENCE fact); this page has none")
    lines, features = line_features(page)
    # The rows in float64, the forest's own type: written once, not stacked then converted.
    rows = np.empty((len(lines), len(columns)))
    if not lines:
        return lines, rows
    width = features.shape[1]
    rows[:, :width] = features
    rows[:, width : len(COLUMNS)] = claim_features(page, lines, labels.by_line)
    if len(columns) > len(COLUMNS):
        rows[:, len(COLUMNS) : len(HTML_COLUMNS)] = dom_features(page, lines)
    if len(columns) > len(HTML_COLUMNS):
        rows[:, len(HTML_COLUMNS) :] = extractor_features(page, lines)
    return lines, rows


def _runs(numbers: Iterable[int], removed: Callable[[int], bool]) -> list[tuple[int, int]]:
    """(first, last) of each run of ``numbers`` (in order) that ``removed`` says yes to, up to the next no."""
    runs: list[tuple[int, int]] = []
    first = last = None
    for number in numbers:
        if removed(number):
            first, last = (number if first is None else first), number
        elif first is not None and last is not None:
            runs.append((first, last))
            first = None
    if first is not None and last is not None:
        runs.append((first, last))
    return runs


def _numbers_and_words(lines: list[Line]) -> tuple[np.ndarray, np.ndarray]:
    """The lines' numbers and word counts (``len(line.content.split())``), as arrays."""
    numbers = np.fromiter(map(_NUMBER, lines), dtype=np.int64, count=len(lines))
    return numbers, word_counts(list(map(_CONTENT, lines)))


@dataclass(frozen=True)
class LineModel:
    """What the model said of one line: P(content), the features that moved it, and how that counts."""

    probability: float | None  # None: not consulted (a specific detector labelled the line)
    parts: tuple[str, ...]  # the top features in words, each with its signed contribution (log-odds)
    rescue: float
    cut: float
    decides: str | None = None  # why the model, not the locator, decides the page (MODEL3); None: it does not
    decides_at: float = 0.5  # the probability at which it keeps a line then (DECIDES)


class LocatorWithModel(MainBodyDetector):
    """The main-body locator, corrected by the content model where the model is sure.

    **What**: the locator's cut (BODY1-3), except the lines outside the article that the model
    gives at least ``rescue`` (kept: a second stretch of content, a list after the article), plus
    the lines inside it the model gives under ``cut`` (MODEL2: chrome inside the stretch; never
    the rows of a table the locator took in, a shape the model learned from few pages). When
    the model takes more words outside the stretch for content than inside it, the model
    decides the whole page: it keeps every line at :data:`DECIDES` or more (MODEL3). The
    model is consulted only on the lines whose verdict it can change: not blank, not labelled by
    a specific detector (whose label wins whatever the model says).

    **Why**: the locator finds one article well on news pages; the model sees content in more
    than one place on pages of other genres. Each overrides the other only where it is sure.

    **Known false positives**: as the locator's, fewer on pages with several stretches of content;
    a teaser block the model is sure of is kept after the article; on a page the model decides,
    a long sidebar of prose it takes for content; a thread's short last reply ("Thanks, that
    helps") and a list's headings of one shape ("2023", "2022") it takes for chrome.
    """

    INSIDE = Rule("MODEL2", "inside the article's stretch but not content (learned model)")
    PAGE = Rule("MODEL3", "not content, on a page whose content the learned model finds outside the article's stretch")
    rules = (*MainBodyDetector.rules, INSIDE, PAGE)

    def __init__(
        self, model: Forest | Predictor, rescue: float = 0.85, cut: float = 0.1,
        thresholds: BodyThresholds | None = None, keep_title: bool = True,
    ) -> None:
        super().__init__(thresholds, keep_title)
        self.model = model  # a Forest also explains (contributions); a bare predict function only scores
        self.predict: Predictor = model.predict if isinstance(model, Forest) else model
        self.columns = model.features if isinstance(model, Forest) else COLUMNS  # a bare predictor reads the text's
        self.rescue, self.cut = rescue, cut

    @property
    def model_version(self) -> str:
        return self.model.model_version if isinstance(self.model, Forest) else "unversioned"

    def probabilities(self, page: Page, labels: Labels) -> tuple[list[Line], np.ndarray, np.ndarray]:
        """The lines the model can change the verdict of, their feature rows, and P(content) of each."""
        lines, rows = model_rows(page, labels, self.columns)
        if not lines:
            return [], np.zeros((0, 0)), np.zeros(0)
        fixed, generic = labels.by_line, labels.generic
        if fixed:
            open_ = [i for i, line in enumerate(lines)
                     if (label := fixed.get(line.number)) is None or label.detector in generic]
            lines, rows = [lines[i] for i in open_], rows[open_]
        return lines, rows, (self.predict(rows) if len(rows) else np.zeros(0))

    def detect(self, page: Page, labels: Labels) -> Iterable[Removal | Located]:
        found = list(super().detect(page, labels))
        lines, rows, probability = self.probabilities(page, labels)
        if not lines:
            return found
        numbers, words = _numbers_and_words(lines)
        body = next((item.body for item in found if isinstance(item, Located)), None)
        against = self._contradicted(page, words, numbers, probability, body)
        if against is not None:
            return self._model_decides(numbers, probability, against)
        out: list[Removal | Located] = []
        for item in found:
            out.extend([item] if isinstance(item, Located) else self._unrescued(item, numbers, probability))
        if body is not None:
            out.extend(self.removal(self.INSIDE, int(numbers[i]), int(numbers[i]),
                                    self._cut_reason(float(probability[i]), rows[i]))
                       for i in self._cut_inside(page, body, words, numbers, probability))
        return out

    def _cut_inside(
        self, page: Page, body: tuple[int, int], words: np.ndarray, numbers: np.ndarray, probability: np.ndarray
    ) -> list[int]:
        """The rows (indexes) MODEL2 cuts inside the stretch ``body``: under ``cut``, not a table's rows.

        None when they would hold more than :data:`CUT_MAX_SHARE` of the stretch's words: the model
        then disagrees with the locator on the whole stretch, and emptying it loses the article.
        """
        inside = (numbers >= body[0]) & (numbers <= body[1])
        cut = np.flatnonzero(inside & (probability < self.cut))
        rows_kept = table_rows(page, body) if len(cut) else frozenset()
        cut = [int(i) for i in cut if int(numbers[i]) not in rows_kept]
        if int(words[cut].sum()) > CUT_MAX_SHARE * max(int(words[inside].sum()), 1):
            return []
        return cut

    def _contradicted(
        self, page: Page, words: np.ndarray, numbers: np.ndarray, probability: np.ndarray, body: tuple[int, int] | None
    ) -> str | None:
        """Why the model, not the locator, decides this page; ``None`` when the locator's stretch stands.

        The model overrules the stretch when it holds fewer of the words the model takes for
        content (P >= 0.5) than the rest of the page does: the locator picked one stretch on a
        page whose content lies elsewhere or in several places (a thread, a list of items, an
        article below a long blurb). Leave-one-set-out, this gains on both dumps (README). Only
        when those words outside number :data:`DECIDES_MIN_WORDS` or more.
        Never when the stretch starts right under the line repeating the page's title: the
        page itself says where its article is, and a long blurb after it is not content.
        """
        if body is not None and self.starts_under_title(page, body[0]):
            return None
        sure = probability >= DECIDES
        inside = np.zeros(len(words), dtype=bool) if body is None else (numbers >= body[0]) & (numbers <= body[1])
        held, elsewhere = int(words[sure & inside].sum()), int(words[sure & ~inside].sum())
        if elsewhere <= max(held, 1) or elsewhere < DECIDES_MIN_WORDS:
            return None
        where = "no stretch" if body is None else f"lines {body[0]}-{body[1]}"
        return (f"the model takes {elsewhere} words outside the locator's stretch ({where}) for content "
                f"against {held} inside it, so the model decides the page")

    def _model_decides(self, numbers: np.ndarray, probability: np.ndarray, why: str) -> list[Removal | Located]:
        """The model's own cut (MODEL3): every run of lines it gives under :data:`DECIDES`."""
        kept = numbers[probability >= DECIDES]
        out: list[Removal | Located] = [Located((int(kept[0]), int(kept[-1])) if len(kept) else None)]
        under = set(numbers[probability < DECIDES].tolist())
        for first, last in _runs(numbers.tolist(), under.__contains__):
            said = probability[(numbers >= first) & (numbers <= last)]
            reason = f"learned model: content probability {said.mean():.2f} on average (under {DECIDES:.2f}); {why}"
            out.append(self.removal(self.PAGE, first, last, reason))
        return out

    def _cut_reason(self, probability: float, row: np.ndarray) -> str:
        reason = f"learned model: content probability {shown(probability, self.cut)} (< {self.cut:.2f})"
        if not isinstance(self.model, Forest):
            return reason
        parts = top_features(self.model.contributions(row), 3, sign=-1)
        said = [describe(name, part, float(row[self.model.features.index(name)])) for name, part in parts]
        return reason + (": " + ", ".join(said) if said else "")

    def _unrescued(self, removal: Removal, numbers: np.ndarray, probability: np.ndarray) -> list[Removal]:
        """``removal`` without the lines the model is sure are content (split around them).

        ``numbers`` (ascending) and ``probability``: the lines the model read. Each piece's reason
        adds the model's mean probability over the lines of it that the model read.
        """
        if removal.rule not in (self.BEFORE.code, self.AFTER.code):
            return [removal]  # the headline cut by --no-title stays cut
        low, high = np.searchsorted(numbers, [removal.first_line, removal.last_line + 1])
        read, said = numbers[low:high], probability[low:high]
        kept = read[said >= self.rescue].tolist()  # few or none: the pieces are the runs between them
        bounds = [removal.first_line - 1, *kept, removal.last_line + 1]
        pieces = []
        for before, after in itertools.pairwise(bounds):
            first, last = before + 1, after - 1
            if first > last:
                continue
            inside = said if not kept else said[(read >= first) & (read <= last)]  # (no line kept: one piece, all read)
            reason = removal.reason
            if len(inside):
                reason += (f"; learned model: content probability {inside.mean():.2f} on average over lines "
                           f"{first}-{last} ({len(inside)} read; it keeps a line at {self.rescue:.2f} or more)")
            pieces.append(Removal(removal.detector, removal.rule, first, last, reason))
        return pieces

    def line_model(self, page: Page, labels: Labels, number: int, n: int = 3) -> LineModel:
        """What the model says of line ``number`` (``labels``: those the locator saw, before its own)."""
        lines, rows, probability = self.probabilities(page, labels)
        at = next((i for i, line in enumerate(lines) if line.number == number), None)
        if at is None:
            return LineModel(None, (), self.rescue, self.cut)
        numbers, words = _numbers_and_words(lines)
        decides = self._contradicted(page, words, numbers, probability, self.locate(page, labels))
        said: tuple[str, ...] = ()
        if isinstance(self.model, Forest):
            row, columns = rows[at], self.model.features
            parts = top_features(self.model.contributions(row), n)
            said = tuple(describe(name, part, float(row[columns.index(name)])) for name, part in parts)
        return LineModel(float(probability[at]), said, self.rescue, self.cut, decides, DECIDES)
