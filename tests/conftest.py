"""Shared fixtures: the seed pages, the bench dumps, a CLI runner and small input folders."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

# Property tests draw the same examples on every run, so a CI run cannot fail on luck;
# HYPOTHESIS_PROFILE=explore searches new ones (run it before a release, fix what it finds).
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TESTS = Path(__file__).resolve().parent  # tests/ mirrors the package: tests/text/, tests/runs/...
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
BENCH = SHARED / "bench-data"
PROSE = (
    "Residents of the harbour town voted on Sunday to ban cruise ships longer than 200 metres from its port, "
    "ending a decade of growing traffic that locals say has crowded the old town and its narrow streets."
)


def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


def bench_files() -> list[Path]:
    return sorted((BENCH / "dump_ht").glob("*.txt")) + sorted((BENCH / "dump_in").glob("*.txt"))


# Generated pages, for the tests of the content model's features and claims. Their lines exercise
# every feature: separators at both ends and inside, digits of several scripts, upper case inside
# and outside [A-ZÀ-Þ], letters above the BMP, empty contents, link markers, bullets, CJK, repeats.
_PIECES = (
    "Home", "News", "About us", "Contact", "Home | News | Sport | Weather", "| Menu", "Menu |", "a / b / c",
    "» Next page", "Prev ›", "• Item one", "Tags: x · y · z", "Read more…", "Filed under:", "lower case start here",
    "Price: 12,99 € (incl. VAT) – 3 left", "Ünïcödé Straße ÀÉÎ × ÷ ÞØ", "日本語のテキストです。とても長い文章。",
    "Emoji 😀 and 𝐀𝐁𝐂 Math letters 𝟙𝟚", "𝐚𝐛 starts with a math letter", "x² ½ Ⅻ ٣٤ ५६ digits", "* ",
    "1. First item", "[12]Link text",
    "[3] [4]Two links here", "Posted by ADMIN on 12/03/2021", "\u200b", "\ttabbed\tline\t", "Share on Facebook",
    "https://example.com/path/to/page", "COPYRIGHT © 2024 ALL RIGHTS RESERVED", "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ",
)
_WORDS = ("the", "harbour", "council", "voted", "and", "of", "a", "to", "ships", "town", "in", "said", "residents")


def generated_page(seed: int) -> str:
    """Menus, prose, odd lines, blank lines; hard-wrapped (every third), link markers (every fourth)."""
    rng = random.Random(seed)
    lines: list[str] = []
    for _ in range(rng.randint(1, 60)):
        kind = rng.random()
        if kind < 0.45:
            lines.append(rng.choice(_PIECES))
        elif kind < 0.75:
            sentence = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(3, 60)))
            lines.append(sentence.capitalize() + rng.choice((".", "", "!", ", and", "...")))
        else:
            lines.append("")
    if seed % 3 == 0:  # paragraphs (the prose lines among them) wrapped at 72 characters, as lynx does
        lines = [part for line in lines for part in (textwrap.wrap(line, 72) or [line])]
    if seed % 4 == 0:  # links numbered in page order, and the list of their URLs at the end
        marked = [n for n, line in enumerate(lines) if line and n % 2]
        for number, n in enumerate(marked, 1):
            lines[n] = f"[{number}]{lines[n]}"
        lines += ["", "References", "", *(f"   {number}. https://example.com/{number}" for number in range(1, 20))]
    return "\n".join(lines) + rng.choice(("\n", "", "\n\n"))


def tree_hashes(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under ``folder`` (hidden ones included)."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def leftovers(folder: Path) -> list[str]:
    """Temporary files an interrupted or failed write could have left behind."""
    return sorted(str(path) for path in folder.rglob("*.tmp")) if folder.exists() else []


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    """A folder ``in/`` with both seeds at the top and one copy in a subfolder."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    for seed in seed_files():
        shutil.copy(seed, folder / seed.name)
    shutil.copy(seed_files()[0], folder / "sub" / "copy.txt")
    return folder


@pytest.fixture
def article(tmp_path: Path) -> Path:
    """One small page: a menu, an article and a footer, with CRLF line endings."""
    path = tmp_path / "article.txt"
    body = "\r\n\r\n".join([PROSE] * 4)
    path.write_bytes(f"Home\r\nNews\r\nSport\r\n\r\n{body}\r\n\r\nCopyright 2024 Example News\r\n".encode())
    return path


def slow_html_text(prose: str = "A sentence.") -> str:
    """The slowest page for lxml's parser (C code, deaf to SIGALRM) that the markup limits still
    accept: as many tags of MAX_TAG_ATTRIBUTES attributes as MAX_ATTRIBUTES allows. Its duplicate
    check is quadratic per tag: about 2.5 s on the development machine, past a 1 s --timeout."""
    from cleaner.inputs.decoding import MAX_ATTRIBUTES, MAX_TAG_ATTRIBUTES

    attributes = " ".join(f'a{n}="v{n}"' for n in range(MAX_TAG_ATTRIBUTES))
    tags = "".join(f"<p {attributes}>{prose}</p>" for _ in range(MAX_ATTRIBUTES // MAX_TAG_ATTRIBUTES - 1))
    return f"<html><head><title>Slow</title></head><body>{tags}</body></html>"


@pytest.fixture
def interrupt_second_page(monkeypatch):
    """Arms a Ctrl-C while the second page is cleaned; returns the real ``clean_text`` (to disarm).

    The patch is seen in this process only: the run must have no workers (one job, no timeout).
    """
    import cleaner.runs.page as api  # where a text page is cleaned, for every run

    real, calls = api.clean_text, []

    def interrupted(text, source="-", detectors=None, **options):
        calls.append(source)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(text, source, detectors, **options)

    def arm():
        monkeypatch.setattr(api, "clean_text", interrupted)
        return real

    return arm


def stand_in_forest_content(version: str = "stand-in-1") -> dict:
    """A one-tree content model file's content: P(content) 0.95 on prose lines, 0.05 elsewhere."""
    from cleaner.detectors.forest import COLUMNS

    prose = COLUMNS.index("prose")
    tree = {"feature": [prose, -1, -1], "threshold": [0.5, 0.0, 0.0], "left": [1, -1, -1], "right": [2, -1, -1],
            "value": [0.0, -3.0, 3.0], "default_left": [True] * 3, "missing": [0] * 3}
    return {"format": "cleaner-forest", "format_version": 1, "model_version": version, "features": list(COLUMNS),
            "decision_type": "<=", "base_score": 0.0, "sigmoid": 1.0, "training": {}, "trees": [tree]}


# A page for the model: the article (lines 3-5, a short non-prose line inside it), a menu after
# it, then a second prose paragraph (line 20) the locator leaves out and a sure model keeps.
MODEL_PAGE = (
    "Home\n\n" + PROSE + "\nHarbour notes\n" + PROSE.replace("harbour", "port") + "\n\n"
    + "\n".join(f"Menu item {n}" for n in range(12)) + "\n\n" + PROSE.replace("harbour", "valley") + "\n"
)


@pytest.fixture
def stand_in_model(tmp_path: Path, monkeypatch):
    """The shipped model replaced by :func:`stand_in_forest_content` for one test (the cache emptied around it)."""
    import json

    from cleaner.detectors import content_model

    path = tmp_path / "content.json"
    path.write_text(json.dumps(stand_in_forest_content()), encoding="utf-8")
    monkeypatch.setattr(content_model, "MODEL_FILE", path)
    content_model.shipped_model.cache_clear()
    yield path
    content_model.shipped_model.cache_clear()

# A small HTML page (a menu, one paragraph, a footer) for the HTML training tools' tests.
HARBOUR_PROSE = ("The harbour board met on Tuesday evening and agreed, after a long debate about the cost of repairs, "
                 "that the old pier would be rebuilt in stone before the summer season begins next year.")
HARBOUR_HTML = (f"<html><head><title>Harbour news</title></head><body><nav><a href='/'>Home</a> "
                f"<a href='/n'>News</a></nav><p>{HARBOUR_PROSE}</p><footer>Copyright the owners</footer></body></html>"
                ).encode()
