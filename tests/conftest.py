"""Shared fixtures: the seed pages, the bench dumps, a CLI runner and small input folders."""

from __future__ import annotations

import hashlib
import os
import shutil
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
