"""Repetition across the pages of a site: learning (cleaner.text.sites), the detector, the two-pass runs."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from conftest import FIXTURES
from test_detectors import Marked, parse_fixture, removed_by

from cleaner import clean_file, clean_input, clean_paths, clean_text, iter_outcomes
from cleaner.cli import app
from cleaner.detectors.main_body import MainBodyDetector
from cleaner.detectors.site_repetition import SiteRepetitionDetector, SiteThresholds
from cleaner.text.labels import Labels
from cleaner.text.page import Page
from cleaner.text.sites import MIN_PAGES, SiteLearner, SiteProfile, learn_profiles, site_key, url_host

SITES = FIXTURES / "site-repetition"
NAME = "site-repetition"
WORDS = ["amber", "birch", "cedar", "dune", "elm", "fjord", "grove", "heath", "inlet", "juniper"]
MENU = ["Home", "Local news", "Business", "Courts", "Weather", "Opinion"]


def prose(index: int, topic: str = "bridge") -> str:
    """A prose line unique to ``index`` (in words: digits would all look alike to the line shapes)."""
    a, b = WORDS[index % 10], WORDS[index // 10 % 10]
    return (
        f"The {a} {b} committee met on a wet evening and agreed, after a long debate, to repair "
        f"the old {topic} before the storms of the coming winter reach the {b} valley."
    )


def site_page(index: int, *extra: str, menu: list[str] = MENU) -> str:
    """A page of an invented site: its menu, an article of three unique paragraphs, ``extra`` lines, a footer."""
    article = [prose(index), prose(index, "harbour wall"), prose(index, "school roof")]
    return "\n".join([*menu, "", *article, "", *extra, "", "Contact the newsroom", "Corrections"]) + "\n"


def profile_of(texts: list[str]) -> SiteProfile:
    learner = SiteLearner()
    for text in texts:
        learner.add(text)
    found = learner.profile()
    assert found is not None
    return found


def detect(text: str, profile: SiteProfile | None, thresholds: SiteThresholds | None = None) -> dict[int, str]:
    """Line number -> rule code of the site-repetition detector alone."""
    page = Page(text)
    found = SiteRepetitionDetector(profile, thresholds).detect(page, Labels(len(page)))
    return {n: r.rule for r in found for n in range(r.first_line, r.last_line + 1)}


def removed_lines(text: str, profile: SiteProfile | None) -> set[str]:
    page = Page(text)
    return {page.line(n).stripped for n in detect(text, profile) if not page.line(n).is_blank}


# --- learning ---------------------------------------------------------------------------------


def test_learning_counts_pages_not_occurrences_and_keeps_only_recurring_hashes():
    texts = [site_page(i, "Subscribe", "Subscribe") for i in range(4)]
    profile = profile_of(texts)
    assert profile.pages == 4
    assert sorted(set(profile.lines.values())) == [4]  # menu, "Subscribe" (twice a page, counted once), footer
    assert len(profile.lines) == len(MENU) + 3
    assert all(isinstance(key, int) for key in [*profile.lines, *profile.blocks])  # hashes, no page text


def test_a_group_smaller_than_three_pages_learns_nothing():
    learner = SiteLearner()
    for index in range(MIN_PAGES - 1):
        learner.add(site_page(index))
    assert learner.profile() is None


@pytest.mark.parametrize("order", list(itertools.permutations(range(4))))
def test_learning_does_not_depend_on_page_order(order):
    texts = [site_page(i, *(["Jobs", "Deckhand", "Night porter"] if i % 2 else [])) for i in range(4)]
    reference = profile_of(texts)
    shuffled = profile_of([texts[i] for i in order])
    assert dict(shuffled.lines) == dict(reference.lines) and dict(shuffled.blocks) == dict(reference.blocks)


def test_unrelated_pages_in_one_folder_share_no_template():
    menus = [["News", "Video", "Sport"], ["Sport", "News", "Weather"], ["Video", "Opinion", "News"],
             ["Travel", "News", "Sport", "Video"]]
    texts = [site_page(i, menu=menu) for i, menu in enumerate(menus)]
    profile = profile_of([text.replace("Contact the newsroom\nCorrections", f"About {WORDS[i]}")
                          for i, text in enumerate(texts)])
    assert profile.line_pages(next(iter(profile.lines))) >= 3  # "News" is on every page...
    assert not profile.has_template  # ...but no run of lines recurs: no site template
    assert detect(texts[0], profile) == {}


# --- grouping ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_line", "host"),
    [
        ("https://www.Example.com/news/2024/story.html", "example.com"),
        ("URL: http://news.example.org:8080/a?b=c", "news.example.org"),
        ("  https://example.net/  ", "example.net"),
        ("Storm hits https://example.com today", None),
        ("http://[broken/", None),
        ("Headline", None),
    ],
)
def test_url_host_of_the_first_line(first_line, host):
    assert url_host(f"\n{first_line}\n\nBody text.\n") == host


def test_site_key_is_the_url_host_else_the_real_folder(tmp_path):
    (tmp_path / "a").mkdir()
    assert site_key(str(tmp_path / "a" / "x.txt")) == site_key(str(tmp_path / "a" / ".." / "a" / "y.txt"))
    assert site_key(str(tmp_path / "a" / "x.txt")) != site_key(str(tmp_path / "b" / "x.txt"))
    url = "https://www.example.com/a\n\nText\n"
    assert site_key(str(tmp_path / "a" / "x.txt"), url) == site_key(str(tmp_path / "b" / "y.txt"), url)
    sites, profiles = learn_profiles([(f"{folder}/{i}.txt", site_page(i)) for folder in "ab" for i in range(3)])
    assert len(set(sites.values())) == 2 and len(profiles) == 2


# --- the detector: thresholds -----------------------------------------------------------------


@pytest.mark.parametrize(("pages", "on", "removed"), [(10, 3, True), (10, 2, False), (20, 4, True), (20, 3, False)])
def test_a_single_line_needs_a_share_of_the_pages_and_never_fewer_than_three(pages, on, removed):
    texts = [site_page(i, *(["Weekend offer"] if i < on else [])) for i in range(pages)]
    profile = profile_of(texts)
    assert ("Weekend offer" in removed_lines(texts[0], profile)) is removed
    assert "Home" in removed_lines(texts[-1], profile)  # the menu, on every page


def test_a_block_recurring_together_needs_fewer_pages_than_its_lines_alone():
    board = ["Harbour jobs", "Deckhand, Port of Westmere", "Night porter, Quayside Hotel"]
    texts = [site_page(i, *(board if i < 3 else [])) for i in range(40)]  # 3 of 40: below the line share
    rules = detect(texts[0], profile_of(texts))
    page = Page(texts[0])
    assert {rules.get(n) for n in range(1, len(page) + 1) if page.line(n).stripped in board} == {"SITE2"}
    no_blocks = SiteThresholds(block_share=1.0)
    assert not any(page.line(n).stripped in board for n in detect(texts[0], profile_of(texts), no_blocks))


def test_prose_recurring_on_some_pages_stays_unless_it_is_on_nearly_all():
    stock = "The council did not respond to a request for comment before this story was published today."
    texts = [site_page(i, stock) for i in range(3)] + [site_page(i) for i in range(3, 5)]
    assert stock not in removed_lines(texts[0], profile_of(texts))  # 3 of 5 < 80 %
    texts = [site_page(i, stock) for i in range(4)] + [site_page(4)]
    assert stock in removed_lines(texts[0], profile_of(texts))  # 4 of 5


def test_the_pages_own_headline_listed_as_a_teaser_elsewhere_stays():
    headline = "Storm closes the coast road for a second day"
    own = f"{headline} | The Courier\n\n{headline}\n\n" + site_page(0)
    others = [f"Other story {WORDS[i]} | The Courier\n\n" + site_page(i, "Most read", headline) for i in range(1, 5)]
    profile = profile_of([own, *others])
    assert headline not in removed_lines(own, profile)
    assert headline in removed_lines(others[0], profile)


def test_a_copy_of_another_page_keeps_its_prose():
    texts = [site_page(0)] * 3 + [site_page(i) for i in range(1, 4)]
    removed = removed_lines(texts[0], profile_of(texts))
    assert "Home" in removed and not any(line.startswith("The ") for line in removed)


def test_no_profile_no_template_nothing_removed():
    assert detect(site_page(0), None) == {}
    assert detect(site_page(0), SiteProfile(pages=5)) == {}


def test_lines_without_letters_are_not_site_evidence():
    def page(index: int) -> str:  # separators between unique paragraphs: never part of a recurring block
        return site_page(index).replace(".\nThe ", ".\n* * *\nThe ", 1).replace(".\nThe ", ".\n12\nThe ", 1)

    texts = [page(i) for i in range(5)]
    assert all("\n* * *\n" in text and "\n12\n" in text for text in texts)
    removed = removed_lines(texts[0], profile_of(texts))
    assert "Home" in removed and "* * *" not in removed and "12" not in removed


def test_a_line_next_to_the_footer_is_not_a_block_with_it():
    texts = [site_page(i, "Weekend offer") for i in range(3)] + [site_page(i) for i in range(3, 20)]
    profile = profile_of(texts)
    assert "Weekend offer" not in removed_lines(texts[0], profile)  # 3 of 20: below the line share
    assert "Weekend offer" in removed_lines(texts[0], profile_of(texts[:3] + texts[-3:]))  # 3 of 6


# --- the fixture sites ------------------------------------------------------------------------


def site_folders() -> list[Path]:
    return sorted(path for path in SITES.iterdir() if path.is_dir())


def unmark(site: Path, dest: Path, rename=lambda name: name) -> dict[str, Marked]:
    """Write the site's pages without markers into ``dest``; input path -> marked page."""
    dest.mkdir(parents=True, exist_ok=True)
    marked = {}
    for page in sorted(site.glob("*.txt")):
        fixture = parse_fixture(page)
        target = dest / rename(page.name)
        target.write_text(fixture.text, encoding="utf-8")
        marked[str(target)] = fixture
    return marked


def mismatches(result, fixture: Marked) -> list[str]:
    owner = removed_by(result)
    page = Page(fixture.text)
    problems = []
    for line, expect in zip(page.lines, fixture.expect, strict=True):
        got = owner.get(line.number)
        if expect == "keep" and got is not None:
            problems.append(f"{line.number}: {line.stripped[:60]!r} removed by {got}")
        elif expect == "remove" and (got is None or (not line.is_blank and got != NAME)):
            problems.append(f"{line.number}: {line.stripped[:60]!r} expected removed by {NAME}, got {got}")
    return problems


@pytest.mark.parametrize("site", site_folders(), ids=lambda p: p.name)
def test_fixture_site_chrome_is_removed_and_articles_kept(site, tmp_path):
    marked = unmark(site, tmp_path / site.name)
    summary = clean_paths([tmp_path / site.name], tmp_path / "out")
    assert summary.ok and summary.sites == {str(tmp_path / site.name): len(marked)}
    problems = [f"{Path(o.path).name}:{p}" for o in summary.outcomes for p in mismatches(o.result, marked[o.path])]
    assert not problems, "\n".join(problems)
    for outcome in summary.outcomes:
        assert outcome.result.rebuild() == marked[outcome.path].text


@pytest.mark.parametrize("site", site_folders(), ids=lambda p: p.name)
def test_fixture_site_chrome_is_what_the_per_page_detectors_miss(site, tmp_path):
    marked = unmark(site, tmp_path / site.name)
    added = 0
    for outcome in iter_outcomes([tmp_path / site.name], site_repetition=False):
        page = Page(marked[outcome.path].text)
        owner = removed_by(outcome.result)
        wanted = [line for line, e in zip(page.lines, marked[outcome.path].expect, strict=True)
                  if e == "remove" and not line.is_blank]
        assert wanted and not any(line.number in owner for line in wanted)
        added += len(wanted)
    assert added >= 3 * len(marked)


def test_a_sentence_in_two_articles_only_stays(tmp_path):
    marked = unmark(SITES / "harbour-courier", tmp_path / "site")
    shared = "The council did not respond to a request for comment before publication."
    holders = [path for path, fixture in marked.items() if shared in fixture.text]
    assert len(holders) == 2
    for outcome in iter_outcomes(holders + [p for p in marked if p not in holders]):
        assert (shared in outcome.result.text) is (outcome.path in holders)


def test_the_same_outputs_whatever_the_file_order(tmp_path):
    site = SITES / "harbour-courier"
    names = sorted(p.name for p in site.glob("*.txt"))
    texts: dict[str, list[str]] = {}
    for run, order in enumerate([names, names[::-1], names[2:] + names[:2]]):
        rank = {name: index for index, name in enumerate(order)}
        unmark(site, tmp_path / str(run), rename=lambda name, rank=rank: f"{rank[name]}_{name}")
        outcomes = list(iter_outcomes([tmp_path / str(run)]))
        assert [Path(o.path).name.split("_", 1)[1] for o in outcomes] == order  # the order really changed
        for outcome in outcomes:
            texts.setdefault(Path(outcome.path).name.split("_", 1)[1], []).append(outcome.result.text)
    assert all(len(set(found)) == 1 for found in texts.values())


# --- where it is off --------------------------------------------------------------------------


def site_rules(outcomes) -> list[str]:
    return [s.rule for o in outcomes if o.result is not None for s in o.result.removed if s.detector == NAME]


def test_off_for_a_single_page_stdin_two_pages_and_on_request(tmp_path):
    marked = unmark(SITES / "harbour-courier", tmp_path / "site")
    paths = sorted(marked)
    assert site_rules([clean_input(paths[0])]) == []
    assert not any(s.detector == NAME for s in clean_file(paths[0]).removed)
    assert site_rules(iter_outcomes(paths[:2])) == []
    assert site_rules(iter_outcomes(paths)) != []
    assert site_rules(iter_outcomes(paths, site_repetition=False)) == []
    piped = io.BytesIO(Path(paths[0]).read_bytes())
    assert site_rules(iter_outcomes(["-"], stdin=piped)) == []


def test_stdin_is_read_once_and_belongs_to_no_site(tmp_path):
    unmark(SITES / "harbour-courier", tmp_path / "site")
    piped = io.BytesIO((SITES / "harbour-courier" / "ferry.txt").read_bytes())
    outcomes = {o.path: o for o in iter_outcomes(["-", tmp_path / "site"], stdin=piped)}
    assert outcomes["-"].ok and not any(s.detector == NAME for s in outcomes["-"].result.removed)
    assert site_rules(o for path, o in outcomes.items() if path != "-") != []


def test_an_explicit_detector_list_runs_as_given(tmp_path):
    marked = unmark(SITES / "harbour-courier", tmp_path / "site")
    assert site_rules(iter_outcomes(sorted(marked), detectors=[MainBodyDetector()])) == []
    texts = [site_page(i) for i in range(4)]
    explicit = clean_text(texts[0], detectors=[MainBodyDetector()], site_profile=profile_of(texts))
    assert any(span.detector == NAME for span in explicit.removed)  # an explicit profile joins the given list


def test_sites_are_grouped_by_folder(tmp_path):
    unmark(SITES / "harbour-courier", tmp_path / "run" / "courier")
    unmark(SITES / "rheinbote", tmp_path / "run" / "bote")
    lone = tmp_path / "run" / "lone"
    shutil.copytree(tmp_path / "run" / "courier", lone)
    for extra in sorted(lone.glob("*.txt"))[1:]:
        extra.unlink()
    summary = clean_paths([tmp_path / "run"], tmp_path / "out")
    assert sorted(Path(label).name for label in summary.sites) == ["bote", "courier"]
    by_folder = {}
    for outcome in summary.outcomes:
        by_folder.setdefault(Path(outcome.path).parent.name, []).append(outcome)
    assert site_rules(by_folder["lone"]) == []
    assert site_rules(by_folder["bote"]) and site_rules(by_folder["courier"])


def test_sites_are_grouped_by_url_host_across_folders(tmp_path):
    texts = [site_page(i) for i in range(3)]
    for index, text in enumerate(texts):  # one page per folder: only the URL brings them together
        folder = tmp_path / "in" / WORDS[index]
        folder.mkdir(parents=True)
        (folder / "page.txt").write_text(f"https://www.courier.example/{WORDS[index]}\n\n{text}", encoding="utf-8")
    summary = clean_paths([tmp_path / "in"], tmp_path / "out")
    assert summary.sites == {"courier.example": 3}
    assert all("Home" not in o.result.text for o in summary.outcomes)


def test_bad_inputs_are_reported_once_and_the_site_still_learned(tmp_path):
    marked = unmark(SITES / "harbour-courier", tmp_path / "site")
    (tmp_path / "site" / "empty.txt").write_bytes(b"")
    (tmp_path / "site" / "binary.txt").write_bytes(b"\x7fELF\x00\x00\x01")
    seen = []
    summary = clean_paths([tmp_path / "site"], tmp_path / "out", on_outcome=seen.append)
    errors = [o.path for o in seen if not o.ok]
    assert sorted(Path(p).name for p in errors) == ["binary.txt", "empty.txt"]
    assert summary.files_cleaned == len(marked) and summary.sites == {str(tmp_path / "site"): len(marked)}
    assert site_rules(summary.outcomes) != []


# --- the CLI ----------------------------------------------------------------------------------


def test_cli_folder_run_uses_and_reports_site_repetition(runner, tmp_path):
    unmark(SITES / "rheinbote", tmp_path / "site")
    result = runner.invoke(app, [str(tmp_path / "site"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert f"site repetition learned from {tmp_path / 'site'} (3 pages)" in result.stderr
    assert NAME in result.stderr and "SITE2" in result.stderr
    records = [json.loads(line) for line in (tmp_path / "out" / "report.jsonl").read_text().splitlines()]
    assert all(any(r["detector"] == NAME for r in record["removed"]) for record in records)

    result = runner.invoke(app, [str(tmp_path / "site"), "-o", str(tmp_path / "off"), "--no-site-repetition"])
    assert result.exit_code == 0 and NAME not in result.stderr and "site repetition" not in result.stderr


def test_cli_diff_of_a_folder_names_the_rule(runner, tmp_path):
    unmark(SITES / "rheinbote", tmp_path / "site")
    shown = runner.invoke(app, ["--diff", str(tmp_path / "site"), "--color", "never"])
    assert shown.exit_code == 0 and f"- {NAME} SITE2" in shown.stdout
    alone = runner.invoke(app, ["--diff", str(tmp_path / "site"), "--no-site-repetition", "--color", "never"])
    assert alone.exit_code == 0 and NAME not in alone.stdout


def test_cli_single_file_has_no_site(runner, tmp_path):
    marked = unmark(SITES / "rheinbote", tmp_path / "site")
    result = runner.invoke(app, [sorted(marked)[0]])
    assert result.exit_code == 0 and result.stdout_bytes == clean_file(sorted(marked)[0]).text.encode()


def test_pipes_are_read_once_and_belong_to_no_site(tmp_path):
    marked = unmark(SITES / "rheinbote", tmp_path / "site")
    fifos = []
    for index, path in enumerate(sorted(marked)):
        fifo = tmp_path / "site" / f"pipe{index}.fifo"
        os.mkfifo(fifo)
        fifos.append((fifo, Path(path).read_bytes()))

    def feed(fifo: Path, data: bytes) -> None:
        with open(fifo, "wb") as writer:  # blocks until the reader opens it: a reader that never comes hangs
            writer.write(data)

    done = threading.Event()

    def unblock() -> None:  # a pipe read twice would leave its second reader waiting forever: give it EOF
        if done.wait(10):
            return
        while not done.wait(0.2):
            for fifo, _ in fifos:
                with contextlib.suppress(OSError):
                    os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    threads = [threading.Thread(target=feed, args=item, daemon=True) for item in fifos]
    for thread in [*threads, threading.Thread(target=unblock, daemon=True)]:
        thread.start()
    try:
        outcomes = list(iter_outcomes([str(fifo) for fifo, _ in fifos]))
    finally:
        done.set()
    assert [o.ok for o in outcomes] == [True] * len(fifos)  # each pipe read once, by pass 2
    assert site_rules(outcomes) == []
    for thread in threads:
        thread.join(timeout=5)
        assert not thread.is_alive()
