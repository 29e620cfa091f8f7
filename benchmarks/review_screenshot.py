#!/usr/bin/env python3
"""Make the README's screenshots of the review page from a real run.

usage: python benchmarks/review_screenshot.py [--out docs]

Copies the seeds and a few fixture pages (markers stripped) into a temporary ``pages/``
folder, runs the installed ``clean pages/ -o pages.clean --review review.html`` there, opens
the page in headless Chromium (Debian's /usr/bin/chromium via playwright) and saves
``OUT/review-index.png`` (the index) and ``OUT/review.png`` (one input opened).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# Marked fixture pages (see tests/fixtures/README.md) shown beside the seeds, and their names in the run.
PAGES = {
    "formats/lynx.dump": "library_lynx.txt",
    "languages/pages/de_strassenbahn.txt": "strassenbahn_de.txt",
    "comments/blog_thread.txt": "blog_thread.txt",
    "captions/photo_story.txt": "photo_story.txt",
    "job-ads/jobs_with_descriptions.txt": "jobs_with_descriptions.txt",
}
OPEN = "003_82738a320e21dc04.txt"  # the seed with a job board, a sponsored block and teasers
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def unmarked(path: Path) -> str:
    return "".join(line[2:] + "\n" for line in path.read_text(encoding="utf-8").splitlines())


def make_run(work: Path) -> Path:
    pages = work / "pages"
    pages.mkdir()
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        shutil.copy(seed, pages / seed.name)
    for fixture, name in PAGES.items():
        (pages / name).write_text(unmarked(FIXTURES / fixture), encoding="utf-8")
    clean = Path(sys.executable).with_name("clean")
    command = [str(clean if clean.exists() else "clean"), "pages", "-o", "pages.clean", "--review", "review.html"]
    subprocess.run(command, cwd=work, check=True)
    return work / "review.html"


def screenshots(review: Path, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 760})
        page.goto(review.as_uri())
        page.wait_for_selector("body[data-ready='1']")
        page.click("#table th[data-key='removed']")
        page.screenshot(path=str(out / "review-index.png"))
        page.click(f"#rows tr:has(td.path:text-is('pages/{OPEN}'))")
        page.wait_for_selector("#page .l")
        page.set_viewport_size({"width": 1200, "height": 1000})  # metadata, legend and the page's first spans
        page.screenshot(path=str(out / "review.png"))
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        screenshots(make_run(Path(folder)), args.out)
    for name in ("review-index.png", "review.png"):
        print(f"{args.out / name}: {(args.out / name).stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
