"""The detectors: marked fixture pages, the detector contract, false positives, shared helpers."""

from __future__ import annotations

import ast
import copy
import inspect
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import clean_text
from cleaner.detectors.base import Detector, is_headline, teaser_list_end
from cleaner.detectors.bylines import BylineDetector
from cleaner.detectors.html_extractor import HtmlExtractorDetector
from cleaner.detectors.job_ads import JobAdDetector
from cleaner.detectors.navigation import NavigationDetector
from cleaner.detectors.registry import REGISTRY, default_detectors, html_redundant
from cleaner.detectors.site_repetition import SiteRepetitionDetector
from cleaner.detectors.social import SocialShareDetector
from cleaner.pipeline import clean_page
from cleaner.text.labels import Labels, Rule
from cleaner.text.page import Page
from cleaner.text.phrases import BUILT_IN
from cleaner.text.signals import page_signals

MARKERS = {"-": "remove", "+": "keep", ".": "any"}


@dataclass(frozen=True)
class Marked:
    """A fixture page: its text without markers and the expectation for each line."""

    text: str
    expect: list[str]  # "remove" / "keep" / "any", by line (0-based)


def parse_fixture(path: Path) -> Marked:
    lines, expect = [], []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        marker, body = raw[:1], raw[2:]
        assert marker in MARKERS and raw[1:2] in ("", " "), f"{path.name}:{number}: bad marker {raw[:2]!r}"
        lines.append(body)
        expect.append(MARKERS[marker])
    return Marked("\n".join(lines) + "\n", expect)


def fixture_paths() -> list[Path]:
    return sorted(p for p in FIXTURES.glob("*/*.txt"))


def removed_by(result) -> dict[int, str]:
    """Line number -> name of the detector that removed it."""
    owner: dict[int, str] = {}
    for span in result.removed:
        for number in range(span.first_line, span.last_line + 1):
            owner[number] = span.detector
    return owner


@pytest.mark.parametrize("path", fixture_paths(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(path: Path):
    detector = path.parent.name
    generic = {d.name for d in default_detectors() if d.generic}
    marked = parse_fixture(path)
    result = clean_text(marked.text, source=str(path))
    assert result.rebuild() == marked.text
    owner = removed_by(result)
    page = Page(marked.text)
    problems = []
    for line, expect in zip(page.lines, marked.expect, strict=True):
        got = owner.get(line.number)
        where = f"{line.number}: {line.stripped[:70]!r}"
        if expect == "keep" and got is not None:
            problems.append(f"{where} kept expected, removed by {got}")
        elif expect == "remove" and got is None:
            problems.append(f"{where} removal by {detector} expected, kept")
        elif expect == "remove" and not line.is_blank and detector not in generic and got != detector:
            problems.append(f"{where} removal by {detector} expected, removed by {got}")
    assert not problems, "\n".join(problems)


# --- the detector contract -------------------------------------------------------------


def detector_ids(detector: Detector) -> str:
    return detector.name


def documented_detectors() -> list[Detector]:
    """What ``clean --list-detectors`` shows: the default pipeline and the site-repetition detector of folder runs."""
    return [*default_detectors(), SiteRepetitionDetector()]


@pytest.mark.parametrize("detector", documented_detectors(), ids=detector_ids)
def test_detector_docstring_has_what_why_and_false_positives(detector: Detector):
    doc = inspect.getdoc(type(detector)) or ""
    for part in ("**What**", "**Why**", "**Known false positives**"):
        assert part in doc, f"{type(detector).__name__} docstring lacks {part}"


@pytest.mark.parametrize("detector", documented_detectors(), ids=detector_ids)
def test_detector_rules_are_declared_constants(detector: Detector):
    assert detector.name and detector.rules
    # Inherited constants count (the locator with the model keeps the locator's BODY rules).
    declared = {value for cls in type(detector).__mro__ for value in vars(cls).values() if isinstance(value, Rule)}
    assert set(detector.rules) == declared, "every rule is a class constant listed in `rules`"
    assert all(rule.code and rule.summary for rule in detector.rules)


@pytest.mark.parametrize("detector", documented_detectors(), ids=detector_ids)
def test_detector_has_a_fixture_with_a_removal(detector: Detector):
    folder = FIXTURES / detector.name
    pages = sorted(folder.rglob("*.txt"))  # site-repetition: one subfolder per invented site
    assert pages, f"no fixture folder tests/fixtures/{detector.name}/"
    assert any("remove" in parse_fixture(p).expect for p in pages)


CONTRIBUTING = FIXTURES.parent.parent / "CONTRIBUTING.md"


def _repo_path(path: Path) -> str:
    return path.resolve().relative_to(CONTRIBUTING.parent).as_posix()


@pytest.mark.parametrize("detector", documented_detectors(), ids=detector_ids)
def test_contributing_checklist_names_the_real_paths(detector: Detector):
    """CONTRIBUTING.md's "Add a detector" steps point where this detector's parts really are."""
    guide = CONTRIBUTING.read_text(encoding="utf-8")
    module = Path(inspect.getsourcefile(type(detector)) or "")
    steps = {
        "detector module folder": module.parent,
        "base class module": Path(inspect.getsourcefile(Detector) or ""),
        "registry module": Path(inspect.getsourcefile(default_detectors) or ""),
        "fixture folder": FIXTURES,
        "phrase files folder": module.parent / "phrases",
    }
    for step, path in steps.items():
        assert path.exists(), f"{step}: {path} is gone"
        assert f"`{_repo_path(path)}" in guide, f"CONTRIBUTING.md does not name the {step}, {_repo_path(path)}"
    assert "tests/fixtures/<name>/" in guide and "phrases/<name>.<lang>.txt" in guide


def test_every_path_contributing_names_exists():
    guide = CONTRIBUTING.read_text(encoding="utf-8")
    root = CONTRIBUTING.parent
    named = [token for token in re.findall(r"`([^`\s]+)`", guide) if "/" in token and not token.startswith("../")]
    named += [token for token in re.findall(r"`([\w.-]+\.(?:py|md|toml))`", guide)]
    assert named
    # A placeholder (`<name>`) stands for any detector: its folder must exist.
    missing = [token for token in named if not (root / token.split("<")[0]).exists()]
    assert missing == []


@pytest.mark.parametrize("detector", documented_detectors(), ids=detector_ids)
def test_detector_overrides_detect_only(detector: Detector):
    own = {name for name, value in vars(type(detector)).items() if inspect.isfunction(value)}
    assert "detect" in own


def test_rule_codes_are_unique_across_detectors():
    codes = [rule.code for detector in documented_detectors() for rule in detector.rules]
    assert len(codes) == len(set(codes))


def test_detector_names_are_unique():
    names = [detector.name for detector in documented_detectors()]
    assert len(names) == len(set(names))


def test_position_free_detectors_run_before_the_locator_the_others_after():
    names = [detector.name for detector in default_detectors()]
    body = names.index("main-body")
    for name in ("cookies", "social", "job-ads", "footer", "sponsored"):
        assert names.index(name) < body, name
    for name in ("navigation", "signup", "teasers"):
        assert names.index(name) > body, name



# What each ordering the runs use must satisfy: every need provided by an earlier detector.
def _orders() -> dict[str, list[Detector]]:
    defaults = default_detectors()
    html = [HtmlExtractorDetector(), *(d for d in defaults if d.name not in html_redundant())]
    return {"text": defaults, "html": html, "folder": [*defaults, SiteRepetitionDetector()]}


@pytest.mark.parametrize("order", ["text", "html", "folder"])
def test_every_need_is_provided_by_an_earlier_detector(order: str):
    provided: set[str] = set()
    unmet = []
    for detector in _orders()[order]:
        unmet += [f"{detector.name} needs {need}" for need in sorted(detector.needs - provided)]
        provided |= detector.provides
    assert unmet == []


def test_needs_and_provides_name_known_facts():
    facts = {"body", "headline", "scope"}
    for entry in REGISTRY:
        assert entry.detector.needs <= facts and entry.detector.provides <= facts, entry.name
    assert BylineDetector.needs == {"body"}  # the one detector that reads where the article is


def test_a_need_left_unmet_by_a_skipped_provider_finds_nothing():
    # --skip main-body: bylines' "body" is optional in that sense: no article, no byline found.
    text = "By Jane Doe\n\n" + "\n\n".join(ARTICLE) + "\n"
    assert not [s for s in clean_text(text, skip=["main-body"]).removed if s.detector == "bylines"]


_MUTATORS = {"add", "locate", "append", "extend", "update", "pop", "clear", "remove", "discard", "insert",
             "setdefault", "popitem"}


def _writes_to_labels(tree: ast.AST) -> list[int]:
    """Lines of functions taking ``labels`` that assign to ``labels.<x>`` (or into it) or call a mutator on it."""
    def rooted(node: ast.AST) -> bool:
        while isinstance(node, ast.Attribute | ast.Subscript):
            node = node.value
        return isinstance(node, ast.Name) and node.id == "labels"

    functions = [
        node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.Lambda)
        and any(arg.arg == "labels" for arg in node.args.args)  # a detector's labels (not a local dict of that name)
    ]
    lines = []
    for node in (inner for function in functions for inner in ast.walk(function)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AugAssign | ast.AnnAssign) else []
        lines += [node.lineno for target in targets if isinstance(target, ast.Attribute | ast.Subscript)
                  and rooted(target)]
        call = node.func if isinstance(node, ast.Call) else None
        if isinstance(call, ast.Attribute) and call.attr in _MUTATORS and rooted(call.value):
            lines.append(node.lineno)
    return lines


def test_no_detector_module_writes_the_labels():
    folder = Path(inspect.getsourcefile(Detector) or "").parent
    found = {path.name: lines for path in sorted(folder.glob("*.py"))
             if (lines := _writes_to_labels(ast.parse(path.read_text(encoding="utf-8"))))}
    assert found == {}, "detectors return their findings; the driver (cleaner/pipeline.py) records them"


def test_the_label_write_check_sees_a_write():
    body = "labels.body = (1, 2)\n labels.by_line[3] = x\n labels.add(r)\n labels.edits.append(e)\n n = labels.body\n"
    assert _writes_to_labels(ast.parse("def detect(self, page, labels):\n " + body)) == [2, 3, 4, 5]


class _Checked(Detector):
    """Runs ``inner`` and fails when its :meth:`detect` changed the labels it was given."""

    def __init__(self, inner: Detector) -> None:
        self.inner, self.name, self.generic, self.rules = inner, inner.name, inner.generic, inner.rules  # type: ignore[misc]

    def detect(self, page, labels):
        before = copy.deepcopy(labels)
        found = list(self.inner.detect(page, labels))
        assert labels == before, f"{self.name} wrote the labels"
        return found


@pytest.mark.parametrize("folder", sorted({p.parent for p in fixture_paths()}), ids=lambda p: p.name)
def test_detectors_leave_the_labels_to_the_driver(folder: Path):
    page = Page(parse_fixture(sorted(folder.glob("*.txt"))[0]).text)
    result = clean_page(page, [_Checked(detector) for detector in default_detectors()])
    assert result.rebuild() == page.text


# --- false positives inside the article ---------------------------------------------------

ARTICLE = [
    "The city council approved the new budget on Tuesday after a debate that lasted well past midnight, "
    "with the final vote split along party lines.",
    "Officials said the plan would add two hundred teachers over three years and raise the pay of nurses at "
    "the public hospital, which has struggled to fill open posts.",
    "Opposition members argued that the spending could not be sustained without a rise in property taxes, "
    "a claim the mayor's office rejected in a statement.",
    "The budget now goes to the regional authority, which has thirty days to raise objections before it "
    "takes effect in January.",
]


def clean_with(inserted: list[str], at: int = 2) -> str:
    paragraphs = ARTICLE[:at] + inserted + ARTICLE[at:]
    return clean_text("Budget passes after long night\n\n" + "\n\n".join(paragraphs) + "\n").text


@pytest.mark.parametrize(
    "sentence",
    [
        "The council said it uses cookies from a local bakery at every meeting, and that we use cookies "
        "sparingly, the mayor joked.",
        "The newsletter the union sends to its members each month called the vote a betrayal of the "
        "teachers who had waited years for the raise.",
        "Nurses will earn between £28,000 and £34,000 per annum under the new scale, up from £26,500 "
        "last year, the finance officer said.",
        "Residents who want to follow the debate can sign up for public hearings at the town hall, "
        "which open at six in the evening.",
        "Critics shared the report on social media, where a copyright dispute over its photos had "
        "already drawn attention.",
        "Related spending on school buses, the report notes, was not part of the vote and will be "
        "decided in the spring.",
    ],
)
def test_article_prose_mentioning_boilerplate_words_stays(sentence: str):
    assert sentence in clean_with([sentence])


def test_salary_lines_in_prose_are_not_job_ads():
    salaries = [
        "Teachers will earn £31,000 per annum on average, the council said.",
        "Nurses will be paid £29,500 per annum in their first year.",
        "Senior doctors can expect £88,000 per annum once the deal is signed.",
    ]
    text = clean_with(salaries)
    for sentence in salaries:
        assert sentence in text


def test_an_article_paragraph_between_pay_lines_splits_the_listing_stretch():
    pay = "£39,951 - £42,840"
    paragraph = (
        "Residents of the harbour town voted on Sunday to ban cruise ships longer than 200 metres from its port, "
        "ending a decade of growing traffic that locals say has crowded the old town and its narrow streets, and "
        "the council said the new rules would take effect next spring after a long consultation."
    )
    result = clean_text("\n\n".join([pay, paragraph, pay, pay]) + "\n", only=["job-ads"])
    assert paragraph in result.text


def test_job_listing_structure_is_matched_not_the_label_word():
    block = "\n".join(
        [
            "Data Analyst",
            "Northshire County Council",
            "£30,120 - £33,450 per annum",
            "Empolyer: Northshire County Council",
            "",
            "Highways Engineer",
            "Eastport City Council",
            "£41,000 - £45,600",
            "Empolyer: Eastport City Council",
        ]
    )
    page = Page(block + "\n")
    found = list(JobAdDetector().detect(page, Labels(len(page))))
    assert found and found[0].rule == "JOB1"
    assert (found[0].first_line, found[0].last_line) == (1, 9)


def test_single_money_line_is_not_a_job_ad():
    page = Page("Offer of the week\nHeadphones for $99\nSee it now: Shop\n")
    assert not list(JobAdDetector().detect(page, Labels(len(page))))


# --- shared helpers -------------------------------------------------------------------------


def test_teaser_list_stops_before_article_prose():
    text = "\n".join(
        [
            "Most Popular",
            "",
            "Storm closes the coast road for a second day",
            "Council names new head of the harbour board",
            "Bakery wins regional prize for rye bread",
            "",
            ARTICLE[0],
            "",
            ARTICLE[1],
        ]
    )
    page = Page(text + "\n")
    labels = Labels(len(page))
    last, items = teaser_list_end(page, page_signals(page), labels, 1)
    assert (last, items) == (5, 3)


def test_headline_shape():
    page = Page("Storm closes the coast road\n" + ARTICLE[0] + "\n")
    signals = page_signals(page)
    assert is_headline(page.line(1), signals[0])
    assert not is_headline(page.line(2), signals[1])


def test_network_only_lines_are_social_widgets():
    detector = SocialShareDetector()
    assert detector.is_widget("Facebook Twitter LinkedIn", BUILT_IN)
    assert detector.is_widget("Linkedin Banner", BUILT_IN)
    assert not detector.is_widget("Facebook agrees to pay a fine", BUILT_IN)


def test_breadcrumbs():
    detector = NavigationDetector()
    assert detector.is_breadcrumb(Page("Home > News > World\n").line(1), BUILT_IN)
    assert detector.is_breadcrumb(Page("Home / Tech\n").line(1), BUILT_IN)
    assert not detector.is_breadcrumb(Page("Prices rose 3/4 of a point > expected\n").line(1), BUILT_IN)
    assert not detector.is_breadcrumb(Page("Sales grew 5% in 2019/2020\n").line(1), BUILT_IN)


def test_gallery_positions_and_pager_links_are_navigation():
    text = "Image 1 of 8\nPrevious article\n" + ARTICLE[0] + "\n\n" + ARTICLE[1] + "\n\n1 / 8\nNext post\n"
    result = clean_text(text)
    removed = {span.first_line: span.rule for span in result.removed if span.detector == "navigation"}
    assert removed.get(1) == "NAV4"
    assert ARTICLE[0] in result.text and ARTICLE[1] in result.text
    assert "1 / 8" not in result.text and "Next post" not in result.text


# --- the detectors' speed shortcuts answer exactly what their plain patterns answer ----------------

CAPTION_PIECES = st.lists(st.sampled_from(
    ["Reuters", "AP", "getty images", ". ", "! ", "?", "(", ")", "Photo", ":", "…", "...", " ", "  ", "\t", "/",
     "AFP", "’", "”", "x", "Credit", "by", "Image", "»", "pa wire", "PA  Wire", "'", "(c)", "©", "Copyright 2019"]
), max_size=9).map("".join)


@given(CAPTION_PIECES)
def test_caption_and_copyright_shortcuts_equal_their_patterns(text: str):
    from cleaner.detectors.captions import caption_patterns, ends_with_credit
    from cleaner.detectors.footer import _COPYRIGHT, _copyright
    from cleaner.text.phrases import BUILT_IN

    patterns = caption_patterns(BUILT_IN)
    assert ends_with_credit(text, patterns) == bool(patterns.trailing.search(text))
    assert _copyright(text) == bool(_COPYRIGHT.search(text))


GLUED_WORDS = ["The", "the", "Top", "of", "Cheese", "3", "shops", "Wondering", "a", "’s"]


@given(st.lists(st.sampled_from(GLUED_WORDS), max_size=14).map(" ".join))
def test_glued_teaser_reads_only_the_words_it_needs(text: str):
    from cleaner.detectors.teasers import _TITLE_SMALL, _TOKEN, RelatedTeaserDetector

    def plain(text: str) -> bool:  # the definition, reading every token
        tokens = _TOKEN.findall(text)
        capitals = 0
        for index, token in enumerate(tokens):
            if not token[0].isalpha() or token.lower() in _TITLE_SMALL:
                continue
            if not token[0].isupper():
                return capitals >= 5 and len(tokens) - index >= 6
            capitals += 1
        return False

    assert RelatedTeaserDetector().glued(text) == plain(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.booleans()), max_size=30))
def test_glued_runs_find_every_run_a_full_scan_finds(lines: list[tuple[bool, bool]]):
    from cleaner.detectors.teasers import RelatedTeaserDetector

    page = Page("".join(f"line {i}\n" for i in range(len(lines))))
    glued = {line.content for line, (is_glued, _) in zip(page.lines, lines, strict=True) if is_glued}
    taken = {line.number for line, (_, is_taken) in zip(page.lines, lines, strict=True) if is_taken}

    class Probe(RelatedTeaserDetector):
        def glued(self, text: str) -> bool:
            return text in glued

    detector = Probe()
    run: list[int] = []
    expected = []
    for line in [*page.lines, None]:  # the definition: every line tested in turn
        if line is not None and line.number not in taken and line.content in glued:
            run.append(line.number)
            continue
        if len(run) >= detector.min_glued_run:
            expected.append((run[0], run[-1]))
        run = []
    found = detector.glued_runs(page.lines, taken, Labels(size=len(page)))
    assert [(r.first_line, r.last_line) for r in found] == expected


def test_neighbour_helpers_skip_blank_lines_at_both_ends():
    from cleaner.detectors.base import next_nonblank, nonblank_after, prev_nonblank

    page = Page("a\n\n \nb\nc\n\n")
    assert prev_nonblank(page, 4).number == 1 and prev_nonblank(page, 1) is None
    assert next_nonblank(page, 1).number == 4 and next_nonblank(page, 5) is None
    assert [line.number for line in nonblank_after(page, 0, limit=5)] == [1, 4, 5]


@given(st.lists(st.sampled_from(["Related stories", "Headline here", "A summary line that ends.", "", "Read more"]),
                max_size=14))
def test_teaser_list_end_stays_within_the_page(lines):
    page = Page("\n".join(["Related", *lines]) + "\n")
    last, items = teaser_list_end(page, page_signals(page), Labels(size=len(page)), 1)
    assert 1 <= last <= len(page) and 0 <= items <= len(page)
    assert items == 0 or not page.line(last).is_blank
