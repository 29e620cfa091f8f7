"""Why one line was kept or removed: the verdicts behind it and the signals they read (``clean --explain``).

:func:`explain_lines` watches one real clean of the page (an :data:`cleaner.pipeline.Observer`
of its run): every detector's labels on the lines, in whole-page numbers, with the precedence
:meth:`~cleaner.text.labels.Labels.takes_over` gives them, and reports the final verdict from the
rendered result, so what it says is what the output shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from cleaner.detectors.content_model import ContentModelDetector, LineModel, LocatorWithModel, shown
from cleaner.detectors.main_body import MainBodyDetector
from cleaner.pipeline import Observer, Step
from cleaner.render import CleanResult, Edit, RemovedSpan
from cleaner.text.labels import Removal
from cleaner.text.language import page_language
from cleaner.text.layout import unit_of
from cleaner.text.page import Page
from cleaner.text.scope import Scope
from cleaner.text.signals import LineSignals, page_signals

__all__ = [
    "BodyView", "LineExplanation", "LineOutOfRange", "Verdict", "explain_lines", "format_explanation",
]


class LineOutOfRange(ValueError):
    """The asked line number is not a line of the page; ``str(err)`` is one line."""


@dataclass(frozen=True)
class Verdict:
    """One label on the line: which detector, which rule (and what it means), why, over which lines."""

    detector: str
    rule: str
    rule_summary: str
    reason: str
    first_line: int
    last_line: int


@dataclass(frozen=True)
class BodyView:
    """What the main-body locator saw: the article's range and this line's score in it."""

    body: tuple[int, int] | None
    score: float | None  # the line's unit score (None for a blank line)
    labelled_before: bool  # an earlier detector had labelled the unit (it scores as non-article)
    unit: tuple[int, int] | None  # the unit's lines (a wrapped paragraph spans several)

    @property
    def inside(self) -> bool:
        return self.body is not None and self.unit is not None and self.body[0] <= self.unit[0] <= self.body[1]


@dataclass(frozen=True)
class LineExplanation:
    """Everything that decided line ``number``: the verdict, the labels behind it, and its signals."""

    number: int
    text: str
    kept: bool
    decided_by: Verdict | None  # the removal in the output (None: the line is kept)
    labelled_by: Verdict | None  # the detector label that decided it (None: kept, or only the renderer)
    overridden: tuple[Verdict, ...] = ()  # generic labels a later, specific detector replaced
    also_matched: tuple[Verdict, ...] = ()  # later labels that did not replace the first specific one
    dropped_by_guard: bool = False  # labelled, but the over-removal guard dropped the generic cut
    edits: tuple[Edit, ...] = ()  # in-line cuts in the kept line
    signals: LineSignals | None = None  # None for a blank line
    language: str = ""
    main_body: BodyView | None = None  # None when the main-body locator did not run
    headline: int | None = None  # the article's headline line, as the locator found it
    notes: tuple[str, ...] = field(default_factory=tuple)
    model: LineModel | None = None  # what the learned content model said (None: main-body ran without one)

    @property
    def by_renderer(self) -> bool:
        """Removed by the renderer's clean-up (blank lines beside a removed block), not by a detector label."""
        return not self.kept and self.labelled_by is None


@dataclass
class _Watch:
    """Collects, while the pipeline runs, the labels the watched lines receive and what the locators saw."""

    page: Page
    numbers: frozenset[int]
    rules: Mapping[tuple[str, str], str]
    current: dict[int, Removal] = field(default_factory=dict)
    overridden: dict[int, list[Removal]] = field(default_factory=dict)
    also: dict[int, list[Removal]] = field(default_factory=dict)
    main_body: dict[int, BodyView] = field(default_factory=dict)
    model: dict[int, LineModel] = field(default_factory=dict)
    headline: int | None = None
    scope: Scope | None = None  # the view a step left the detectors after it
    outside_headline: int | None = None  # the headline that step located
    outside_note: str = ""  # what that step says of the lines it left out

    def __call__(self, step: Step) -> None:
        labels = step.labels
        if step.narrows is not None:
            self.scope, self.outside_headline = step.narrows, labels.headline
            self.outside_note = getattr(step.detector, "outside_note", "")
        if isinstance(step.detector, MainBodyDetector):
            self.headline = _whole(step.scope, labels.headline)
            for number in self.numbers:
                self._body_view(step, step.detector, number)
        if isinstance(step.detector, LocatorWithModel | ContentModelDetector):
            for number in self.numbers:
                local = number if step.scope is None else step.scope.local(number)
                if local is not None:
                    self.model[number] = step.detector.line_model(step.view, step.labels, local)
        for removal in step.removals:
            if not isinstance(removal, Removal):
                continue
            for number in self.numbers.intersection(range(removal.first_line, removal.last_line + 1)):
                current = self.current.get(number)
                if not labels.takes_over(current):
                    self.also.setdefault(number, []).append(removal)
                    continue
                if current is not None:
                    self.overridden.setdefault(number, []).append(current)
                self.current[number] = removal

    def _body_view(self, step: Step, detector: MainBodyDetector, number: int) -> None:
        """What the locator saw of whole-page line ``number`` (nothing when it is outside the view)."""
        local = number if step.scope is None else step.scope.local(number)
        if local is None:
            return
        labels, view = step.labels, step.view
        body = None if labels.body is None else (_whole(step.scope, labels.body[0]), _whole(step.scope, labels.body[1]))
        page_unit = unit_of(view)[local - 1]
        if page_unit is None:
            self.main_body[number] = BodyView(body, None, False, None)  # type: ignore[arg-type]
            return
        labelled = labels.is_removed(page_unit.first)
        score = detector.line_score(page_signals(view)[page_unit.first - 1], labelled)
        unit = (_whole(step.scope, page_unit.first), _whole(step.scope, page_unit.last))
        self.main_body[number] = BodyView(body, score, labelled, unit)  # type: ignore[arg-type]

    def verdict(self, removal: Removal | None) -> Verdict | None:
        if removal is None:
            return None
        summary = self.rules.get((removal.detector, removal.rule), "")
        return Verdict(removal.detector, removal.rule, summary, removal.reason, removal.first_line, removal.last_line)

    def explain(self, number: int, result: CleanResult) -> LineExplanation:
        """Line ``number``'s explanation once the run made ``result``."""
        local = number if self.scope is None else self.scope.local(number)
        if local is None:
            return self._outside(number)
        view = self.page if self.scope is None else self.scope.view
        span = _span_of(result, number)
        line = self.page.line(number)
        current = self.current.get(number)
        return LineExplanation(
            number=number,
            text=line.text,
            kept=span is None,
            decided_by=None if span is None else Verdict(
                span.detector, span.rule, self.rules.get((span.detector, span.rule), ""), span.reason,
                span.first_line, span.last_line,
            ),
            labelled_by=None if span is None else self.verdict(current),
            overridden=tuple(filter(None, map(self.verdict, self.overridden.get(number, ())))),
            also_matched=tuple(filter(None, map(self.verdict, self.also.get(number, ())))),
            dropped_by_guard=span is None and current is not None,
            edits=tuple(edit for edit in result.edits if edit.line == number),
            signals=None if line.is_blank else page_signals(view)[local - 1],
            language=page_language(view),
            main_body=self.main_body.get(number),
            headline=self.headline,
            notes=tuple(result.notes),
            model=self.model.get(number),
        )

    def _outside(self, number: int) -> LineExplanation:
        """A line the narrowing step removed: no other detector saw it."""
        line = self.page.line(number)
        verdict = self.verdict(self.current.get(number))
        return LineExplanation(
            number=number, text=line.text, kept=False, decided_by=verdict, labelled_by=verdict,
            signals=None if line.is_blank else page_signals(self.page)[number - 1], language=page_language(self.page),
            headline=self.outside_headline, notes=(self.outside_note,),
        )


def _whole(scope: Scope | None, number: int | None) -> int | None:
    return number if scope is None or number is None else scope.whole(number)


def explain_lines(
    page: Page, numbers: Sequence[int], clean: Callable[[Observer], CleanResult],
    rules: Mapping[tuple[str, str], str],
) -> list[LineExplanation]:
    """Explain lines ``numbers`` of ``page`` by watching one real clean of it: ``clean(observer)``.

    ``clean`` is what cleaning the page does (:func:`~cleaner.pipeline.clean_page`, or the
    HTML path's), run once with the observer. Raises :class:`LineOutOfRange` before any work.
    """
    for number in numbers:
        if not 1 <= number <= len(page):
            raise LineOutOfRange(f"line {number} is out of range: the page has {len(page)} lines")
    watch = _Watch(page, frozenset(numbers), rules)
    result = clean(watch)
    return [watch.explain(number, result) for number in numbers]


def _span_of(result: CleanResult, number: int) -> RemovedSpan | None:
    return next((s for s in result.removed if s.first_line <= number <= s.last_line), None)


def format_explanation(explanation: LineExplanation, source: str = "") -> str:
    """``clean --explain``'s text: one ``label  value`` row per fact, aligned, ending in a newline."""
    rows = [("line", f"{explanation.number}" + (f" of {source}" if source else "")), ("text", _shorten(explanation))]
    rows += _verdict_rows(explanation)
    rows += _signal_rows(explanation.signals)
    rows += _page_rows(explanation)
    rows += [("note", note) for note in explanation.notes]
    width = max(len(label) for label, _ in rows)
    return "".join(f"{label:<{width}}  {value}".rstrip() + "\n" for label, value in rows)


def _shorten(explanation: LineExplanation, limit: int = 160) -> str:
    text = explanation.text.strip()
    if not text:
        return "(blank)"
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _named(verdict: Verdict) -> str:
    summary = f" ({verdict.rule_summary})" if verdict.rule_summary else ""
    reason = f": {verdict.reason}" if verdict.reason else ""
    lines = f" [lines {verdict.first_line}-{verdict.last_line}]" if verdict.first_line != verdict.last_line else ""
    return f"{verdict.detector} {verdict.rule}{summary}{reason}{lines}"


def _verdict_rows(explanation: LineExplanation) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if explanation.kept:
        rows.append(("verdict", "kept"))
    elif explanation.decided_by is not None and explanation.by_renderer:
        rows.append(("verdict", f"removed by the renderer with the block beside it: {_named(explanation.decided_by)}"))
    elif explanation.decided_by is not None:
        rows.append(("verdict", f"removed by {_named(explanation.decided_by)}"))
    labelled, decided = explanation.labelled_by, explanation.decided_by
    if labelled and decided and (labelled.detector, labelled.rule) != (decided.detector, decided.rule):
        rows.append(("labelled", f"{_named(labelled)} (the renderer gave the line to the block beside it)"))
    if explanation.kept and explanation.dropped_by_guard:
        rows.append(("guard", "labelled, but the over-removal guard dropped the generic cut (see note)"))
    rows += [("overrides", f"{_named(v)} (generic: gives way to a specific detector)") for v in explanation.overridden]
    rows += [("also", f"{_named(v)} (came later; the first specific label stays)") for v in explanation.also_matched]
    rows += [("edit", f"{e.detector} {e.rule} cuts {e.text!r} (characters {e.start}-{e.end})")
             for e in explanation.edits]
    return rows


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _signal_rows(sig: LineSignals | None) -> list[tuple[str, str]]:
    if sig is None:
        return []
    return [
        ("prose", _yes(sig.is_prose)),
        ("words", str(sig.words)),
        ("chars", str(sig.chars)),
        ("stopwords", f"{sig.stopword_ratio:.2f} (prose needs {sig.stopword_floor:.2f})"),
        ("sentence end", _yes(sig.sentence_end)),
        ("inner punct", str(sig.inner_punct)),
        ("title case", _yes(sig.title_case)),
        ("bulleted", _yes(sig.bulleted)),
        ("url-like", _yes(sig.urlish)),
        ("truncated", _yes(sig.truncated)),
        ("repeats", f"{sig.repeats} (lines of this shape on the page)"),
        ("link density", f"{sig.link_density:.2f}"),
    ]


def _page_rows(explanation: LineExplanation) -> list[tuple[str, str]]:
    rows = [("language", explanation.language or "?")]
    if explanation.headline is not None:
        here = " (this line)" if explanation.headline == explanation.number else ""
        rows.append(("headline", f"line {explanation.headline}{here}"))
    view = explanation.main_body
    if view is None and explanation.model is not None:  # the HTML model engine: no locator, the model alone
        return [*rows, ("main body", "no locator: the learned model decides line by line"),
                *_model_rows(explanation)]
    if view is None:
        return [*rows, ("main body", "not located (main-body did not run)")]
    if view.body is None:
        rows.append(("main body", "none found (nothing reads as prose)"))
    else:
        where = "inside" if view.inside else ("before" if explanation.number < view.body[0] else "after")
        rows.append(("main body", f"lines {view.body[0]}-{view.body[1]}; this line is {where} it"))
    if view.score is not None:
        wrapped = view.unit is not None and view.unit[0] != view.unit[1]
        unit = f", scored as one unit with lines {view.unit[0]}-{view.unit[1]}" if wrapped and view.unit else ""
        labelled = "; labelled by an earlier detector, so it counts against the article" if view.labelled_before else ""
        rows.append(("body score", f"{view.score:+.2f} (above 0 counts for the article){unit}{labelled}"))
    return rows + _model_rows(explanation)


def _model_rows(explanation: LineExplanation) -> list[tuple[str, str]]:
    """The learned model's probability for the line, what it did with it, and the features behind it."""
    model, view = explanation.model, explanation.main_body
    if model is None:
        return []
    if model.probability is None:
        return [("model", "not consulted: blank, or a specific detector labelled the line (its label wins)")]
    p, inside = model.probability, view is not None and view.inside
    if model.decides is not None:
        verdict = "kept" if explanation.kept else "removed"
        said = f"{verdict} by the learned model, which decides this page (it keeps {model.decides_at:.2f} or more): " \
               f"{model.decides}"
    elif inside and p < model.cut:
        said = f"removed by the learned model inside the article (it cuts under {model.cut:.2f})"
    elif not inside and p >= model.rescue and explanation.kept:
        said = f"kept by the learned model although outside the article (it keeps {model.rescue:.2f} or more)"
    elif inside:
        said = f"it leaves the article's line alone (it cuts only under {model.cut:.2f})"
    else:
        said = f"it leaves the locator's cut alone (it keeps a line outside the article at {model.rescue:.2f} or more)"
    bound = model.cut if inside else (model.decides_at if model.decides is not None else model.rescue)
    rows = [("model", f"content probability {shown(p, bound)}: {said}")]
    rows += [("model says", said) for said in model.parts]
    if model.parts:
        rows.append(("", "(contributions in log-odds: + towards content, - towards boilerplate)"))
    return rows
