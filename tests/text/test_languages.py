"""Whole news pages in German, French, Spanish, Chinese, Japanese and Arabic, cleaned by the default pipeline.

Each page in ``fixtures/languages/pages/`` marks every line: ``+`` kept, ``-`` removed (by
any detector), ``.`` either. The same pages are also cleaned with the English phrase files
hidden, and with no phrase files at all, to show that no gate depends on English words.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from cleaner import clean_text
from cleaner.pipeline import clean_page
from cleaner.text.language import page_language
from cleaner.text.page import Page
from cleaner.text.phrases import PhraseBook

PAGES = FIXTURES / "languages" / "pages"
PHRASES = ROOT / "cleaner" / "detectors" / "phrases"
MARKERS = {"+": "keep", "-": "remove", ".": "any"}


@dataclass(frozen=True)
class MarkedPage:
    text: str
    expect: list[str]  # per line (0-based): "keep", "remove" or "any"
    language: str  # from the file name: de_strassenbahn.txt -> "de"


def read_page(path: Path) -> MarkedPage:
    lines, expect = [], []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        assert raw[:1] in MARKERS and raw[1:2] in ("", " "), f"{path.name}:{number}: bad marker {raw[:2]!r}"
        lines.append(raw[2:])
        expect.append(MARKERS[raw[:1]])
    return MarkedPage("\n".join(lines) + "\n", expect, path.name.split("_", 1)[0])


def page_paths() -> list[Path]:
    return sorted(PAGES.glob("*.txt"))


def removed_lines(text: str, book: PhraseBook | None = None) -> set[int]:
    result = clean_text(text) if book is None else clean_page(Page(text, phrases=book))
    assert result.rebuild() == text
    return {n for span in result.removed for n in range(span.first_line, span.last_line + 1)}


def mismatches(page: MarkedPage, removed: set[int], only: str | None = None) -> list[str]:
    """Marked lines the pipeline got wrong (blank lines carry no text and are not checked)."""
    problems = []
    for line, expect in zip(Page(page.text).lines, page.expect, strict=True):
        if line.is_blank or expect == "any" or (only and expect != only):
            continue
        if (line.number in removed) != (expect == "remove"):
            problems.append(f"{line.number}: {expect} expected: {line.stripped[:60]!r}")
    return problems


@pytest.fixture
def phrase_files(tmp_path):
    """A fresh phrase book of a chosen subset of the detectors' phrase files: ``use(keep=lambda name: ...)``.

    (The metadata vocabulary, months and byline cues, is the built-in book's: it is no detector's.)
    """

    def use(keep) -> PhraseBook:
        for path in PHRASES.glob("*.txt"):
            if keep(path.name):
                shutil.copy(path, tmp_path / path.name)
        return PhraseBook(folder=tmp_path)

    return use


def test_there_are_pages_in_several_languages_and_scripts():
    languages = {read_page(path).language for path in page_paths()}
    assert {"de", "fr", "es"} <= languages
    assert languages & {"zh", "ja"}
    assert languages & {"ar", "he", "fa"}  # a right-to-left script


@pytest.mark.parametrize("path", page_paths(), ids=lambda p: p.stem)
def test_page_is_cleaned(path: Path):
    page = read_page(path)
    problems = mismatches(page, removed_lines(page.text))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", page_paths(), ids=lambda p: p.stem)
def test_page_language_is_guessed(path: Path):
    page = read_page(path)
    assert page_language(Page(page.text)) == page.language


@pytest.mark.parametrize("path", page_paths(), ids=lambda p: p.stem)
def test_page_is_cleaned_without_english_phrase_files(path: Path, phrase_files):
    book = phrase_files(lambda name: not name.endswith(".en.txt"))
    assert not list(Path(str(book.folder)).glob("*.en.txt")) and list(Path(str(book.folder)).glob("*.txt"))
    page = read_page(path)
    problems = mismatches(page, removed_lines(page.text, book))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", page_paths(), ids=lambda p: p.stem)
def test_article_is_found_with_no_phrase_files_at_all(path: Path, phrase_files):
    """Structure alone (prose density, script-aware word counts, punctuation) keeps the whole article.

    Without phrase data the ad markers and inline teasers inside the article may stay, but no
    article line is lost and the chrome before the headline and after the article goes.
    """
    book = phrase_files(lambda name: False)
    page = read_page(path)
    removed = removed_lines(page.text, book)
    assert not mismatches(page, removed, only="keep")
    lines = Page(page.text).lines
    kept = [line.number for line, expect in zip(lines, page.expect, strict=True) if expect == "keep"]
    outside = [
        line for line, expect in zip(lines, page.expect, strict=True)
        if expect == "remove" and not line.is_blank and not kept[0] < line.number < kept[-1]
    ]
    assert outside and all(line.number in removed for line in outside)
