"""HTML input: recognising and decoding it, the whole-page text, trafilatura's content mapped onto it,
the html-extractor step, metadata, explain, site learning and bad HTML."""

from __future__ import annotations

import inspect
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, PROSE

import cleaner as api
from cleaner import InputError, clean_text
from cleaner.detectors.html_extractor import HtmlExtractorDetector
from cleaner.inputs.decoding import MAX_ATTRIBUTES, MAX_HTML_WORDS, MAX_LINE_CHARS, MAX_TAG_ATTRIBUTES, MAX_TAGS
from cleaner.inputs.html import covered_lines, headline_matching_title, read_html
from cleaner.inputs.html_dom import check_markup, html_language, page_text, parse_html
from cleaner.inputs.html_source import DecodedHtml, declared_charset, decode_html, looks_like_html, site_url
from cleaner.outputs.report import rebuild_from_record
from cleaner.text.labels import Labels, Located, Removal, Rule
from cleaner.text.page import Page

ARTICLE = FIXTURES / "html" / "harbour_article.html"
PARAGRAPH = ("Crews on the island ferry service have voted by a large majority to walk out next month, after talks "
             "over new shift patterns broke down on Friday evening without an agreement.")


def whole_text(data: bytes | str) -> str:
    source = data if isinstance(data, str) else decode_html(data).text
    return page_text(parse_html(source))


def removed_lines(result) -> dict[str, tuple[str, str]]:
    """Stripped text of each removed non-blank line -> (detector, rule)."""
    return {line.strip(): (span.detector, span.rule) for span in result.removed
            for line in span.text.splitlines() if line.strip()}


@pytest.fixture(scope="module")
def article():
    return api.clean_html(ARTICLE.read_bytes(), str(ARTICLE), engine="trafilatura")  # the html-extractor step


# --- recognising HTML ------------------------------------------------------------------------


@pytest.mark.parametrize("data", [
    b"<!DOCTYPE html><html><body><p>Hi</p></body></html>",
    b"\n\n  <html lang='en'><head><title>x</title></head></html>",
    "\ufeff<!doctype HTML>\n<title>x</title>".encode(),
    "<html><body>Grüße</body></html>".encode("utf-16"),
    b"<?xml version='1.0' encoding='utf-8'?>\n<html xmlns='http://www.w3.org/1999/xhtml'><body/></html>",
    b"<div class='post'><h2>Title</h2><p>One.</p><p>Two <a href='/x'>link</a>.</p></div>",
    b"<!-- saved page -->\n<body><p>text</p></body>",
])
def test_html_is_recognised_by_content(data):
    assert looks_like_html(data)
    assert looks_like_html(data.decode("utf-16") if data.startswith(b"\xff\xfe") else data.decode("utf-8", "ignore"))


@pytest.mark.parametrize("data", [
    PROSE.encode(),
    b"Use the <p> element for paragraphs and <br> for a line break, the tutorial says.\n",
    b"* Home\n* News\n\nHeadline about <html> and <body> tags\n",
    b"\x00\x01\x02<html>" * 50,
    b"",
    b"   \n",
])
def test_text_dumps_and_binary_are_not_html(data):
    assert not looks_like_html(data)


# --- decoding ----------------------------------------------------------------------------------


def test_the_declared_charset_decodes_the_page():
    data = '<html><head><meta charset="windows-1251"></head><body><p>Привет, мир</p></body></html>'.encode("cp1251")
    decoded = decode_html(data)
    assert decoded.encoding == "cp1251" and "Привет, мир" in decoded.text and decoded.notes == ()


def test_http_equiv_and_latin1_labels_are_read_as_browsers_do():
    data = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"></head>'
            '<body><p>Caf\xe9 \u2013 open</p></body></html>').encode("cp1252")
    assert declared_charset(data) == "cp1252"  # Latin-1 pages are windows-1252 in every browser
    assert "Café – open" in decode_html(data).text


def test_a_wrong_charset_declaration_falls_back_and_is_noted():
    data = '<html><head><meta charset="utf-8"></head><body><p>Café crème brûlée à la carte</p></body></html>'
    decoded = decode_html(data.encode("cp1252"))
    assert "Café crème brûlée" in decoded.text
    assert decoded.notes and "declared charset utf-8 does not fit the bytes" in decoded.notes[0]


def test_unknown_declared_charset_is_ignored_and_forced_encoding_wins():
    data = '<html><head><meta charset="klingon-8"></head><body><p>Grüße</p></body></html>'.encode()
    assert declared_charset(data) is None and "Grüße" in decode_html(data).text
    assert decode_html(data, "latin-1").text.count("Ã¼") == 1


UTF8_PAGES = [
    ARTICLE.read_bytes(),
    (FIXTURES / "html-extractor" / "allotment_blog.html").read_bytes(),
    "<html><body><p>Grüße – “quoted” … no declaration</p><p>naïve café</p></body></html>".encode(),
    '<?xml version="1.0" encoding="utf-8"?><html><head><meta charset="utf-8"></head><body><p>é</p></body></html>'
    .encode(),
    "\ufeff<html><body><p>BOM first, Grüße</p></body></html>".encode(),
]


@pytest.mark.parametrize("data", UTF8_PAGES)
def test_plain_utf8_pages_parse_from_their_bytes_to_the_same_tree(data):
    from lxml import etree
    from lxml.html import HtmlElement

    decoded = decode_html(data)
    assert decoded.encoding.startswith("utf-8") and decoded.utf8 is not None
    from_bytes, from_text = parse_html(decoded), parse_html(decoded.text)
    assert etree.tostring(from_bytes, encoding="unicode") == etree.tostring(from_text, encoding="unicode")
    assert all(isinstance(element, HtmlElement) for element in from_bytes.iter())  # what trafilatura expects
    assert read_html(decoded) == read_html(decoded.text)


@pytest.mark.parametrize("odd", ["\x01", "\x0b", "\x1f", "\x7f", "\x85", "\ufffe", "\uffff"])
def test_characters_the_parser_drops_keep_the_string_path(odd):
    data = f"<html><head><meta charset='utf-8'></head><body><p>one{odd}two</p></body></html>".encode()
    decoded = decode_html(data)
    assert decoded.utf8 is None and odd in decoded.text
    text = page_text(parse_html(decoded))
    assert ("onetwo" in text) == (odd in "\x01\x0b\x1f\ufffe\uffff")  # XML refuses those, DEL and C1 stay


def test_binary_and_blank_bytes_are_refused_as_before():
    with pytest.raises(InputError, match="^binary file"):
        decode_html(b"<html><head><meta charset='utf-8'></head><body>" + b"\x01\x02\x03" * 400 + b"</body></html>")
    with pytest.raises(InputError, match="^empty file"):
        decode_html("\u00a0 \u3000\n".encode())
    assert decode_html(b"<p>x</p>").utf8 == b"<p>x</p>"
    assert DecodedHtml("<p>x</p>", "str").utf8 is None  # a string given by a caller parses as a string


def test_a_bom_wins_over_the_declaration():
    data = '<html><head><meta charset="cp1252"></head><body><p>Grüße</p></body></html>'.encode("utf-16")
    assert "Grüße" in decode_html(data).text


# --- the whole-page text ---------------------------------------------------------------------------


def test_page_text_puts_each_visible_block_on_its_own_line():
    text = whole_text(
        "<html><head><title> Page  title </title><style>p {color: red}</style><script>var x = 1;</script></head>"
        "<body><div>Menu <a href='/'>Home</a></div><h1>Head<em>line</em></h1>"
        "<p>First <b>bold</b> words<br>after the break</p>"
        "<ul><li>one</li><li>two <i>items</i></li></ul>"
        "<table><tr><th>Team</th><th>Points</th></tr><tr><td>Ajax</td><td>12</td></tr></table>"
        "<div hidden>secret</div><div style='display: none'>also secret</div><noscript>enable js</noscript>"
        "<template><p>template</p></template><pre>line one\n  line two</pre></body></html>"
    )
    assert text.splitlines() == [
        "Page title", "", "Menu Home", "", "Headline", "", "First bold words", "after the break", "",
        "* one", "* two items", "", "Team  Points", "Ajax  12", "", "line one", "line two",
    ]


def test_page_text_of_a_page_without_visible_text_is_empty():
    assert whole_text("<html><head><title></title></head><body><script>x()</script></body></html>") == ""


def test_tail_text_after_a_hidden_element_stays():
    assert "visible tail" in whole_text("<html><body><p><span hidden>no</span> visible tail</p></body></html>")


@pytest.mark.parametrize("hiding", [
    "hidden", "hidden=''", "aria-hidden='true'", "style='visibility: HIDDEN'", "type='hidden'",
    "style='color: red; display:none'",
])
def test_every_way_of_hiding_an_element_hides_its_text(hiding):
    text = whole_text(f"<html><body><p>shown</p><div {hiding}>secret <b>words</b></div> tail</body></html>")
    assert "secret" not in text and "shown" in text and "tail" in text


@pytest.mark.parametrize("shown", ["<span aria-hidden='true'>icon</span>", "<div aria-hidden='false'>icon</div>",
                                   "<div style='color: red'>icon</div>", "<div type='text'>icon</div>"])
def test_attributes_that_do_not_hide_leave_the_text(shown):
    assert "icon" in whole_text(f"<html><body><p>x</p>{shown}</body></html>")


def test_characters_of_the_page_are_never_read_as_layout():
    # Private-use characters (icon fonts), control characters given as references, a surrogate reference.
    text = whole_text("<html><body><p>a\ue000b&#1;c&#x2;d&#3;e&#4;f&#xD800;g</p><ul><li></li></ul><p>after</p>"
                      "</body></html>")
    assert text.splitlines() == ["a\ue000b\x01c\x02d\x03e\x04f\ufffdg", "", "* after"]


def test_the_title_line_comes_from_the_head():
    text = whole_text("<html><head><title>The  title</title></head><body><svg><title>icon</title></svg>"
                      "<p>Body</p></body></html>")
    assert text.splitlines() == ["The title", "", "Body"]
    assert whole_text("<html><body><p>No title</p></body></html>").splitlines() == ["No title"]


# --- aligning trafilatura's text with the lines ----------------------------------------------------


def test_covered_lines_follow_the_extracted_text_whatever_its_spacing_and_joins():
    lines = ["Home", "", "Big  headline", "", "First paragraph, here.", "", "*", "Second one", "continues here",
             "", "Footer links"]
    extracted = "big headline\nFirst paragraph here. Second one continues here"
    assert covered_lines(lines, extracted) == {3, 5, 7, 8, 9}


def test_covered_lines_need_half_of_a_line():
    lines = ["alpha beta gamma delta", "epsilon zeta"]
    assert covered_lines(lines, "alpha beta") == {1}
    assert covered_lines(lines, "alpha") == frozenset()


ARTICLE_LINES = [
    "Crews on the island ferry service voted to walk out next month after talks broke down on Friday.",
    "Managers want the new shift patterns in place before the summer timetable starts in May.",
    "The union said the vote showed how strongly its members felt about the changes.",
]


def test_the_heavier_run_of_lines_wins_when_trafilatura_moves_some_to_the_end():
    lines = ["Press S to search", "", "Press Esc to close", "", "Ferry strike", "", *ARTICLE_LINES]
    extracted = "\n".join([*ARTICLE_LINES, "Press S to search", "Press Esc to close"])
    assert covered_lines(lines, extracted) == {7, 8, 9}


def test_a_line_joining_many_paragraphs_is_aligned_token_by_token():
    # trafilatura writes some table layouts as one line holding the whole article, then repeats a
    # caption and a pull quote that are page lines of their own.
    caption, quote = "Ferry at the quay", "It is a strong vote"
    lines = ["Menu", "", caption, "", *ARTICLE_LINES, "", quote, "", "Footer"]
    extracted = "\n".join([f"| {caption} {' '.join(ARTICLE_LINES)} {quote}", f"| {caption}", f"| {quote}"])
    assert covered_lines(lines, extracted) == {3, 5, 6, 7, 9}


def test_a_line_trafilatura_reproduces_is_matched_whole_not_by_a_stray_word():
    # A token-by-token alignment ran on from the paragraph into the logo's alt text "Nintendo".
    before = " ".join(ARTICLE_LINES)
    lines = [before, "", "Nintendo", "", "Nintendo Switch Lite for $200", "", "See it now"]
    assert covered_lines(lines, f"{before}\nNintendo Switch Lite for $200\nSee it now") == {1, 5, 7}


def test_the_title_line_is_not_aligned_and_the_headline_is_found_below_it():
    lines = ["Storm closes bridge | Courier", "", "Menu", "Storm closes bridge", "", "The bridge was shut."]
    kept = covered_lines(lines, "Storm closes bridge\nThe bridge was shut.", first=2)
    assert kept == {4, 6}
    assert headline_matching_title(lines, frozenset({6}), "Storm closes bridge", has_title=True) == 4
    assert headline_matching_title(lines, kept, "Storm closes bridge", has_title=True) == 4
    assert headline_matching_title(lines, frozenset({6}), "Another title", has_title=True) is None


def test_html_language_reads_the_lang_attribute():
    assert html_language(parse_html("<html lang='pt-BR'><body><p>x</p></body></html>")) == "pt"
    assert html_language(parse_html("<html><head><meta http-equiv='content-language' content='de'></head></html>")
                         ) == "de"
    assert html_language(parse_html("<html lang='x'><body><p>x</p></body></html>")) is None


# --- the page's address, without parsing ----------------------------------------------------------------


@pytest.mark.parametrize(("markup", "url"), [
    ('<link rel="canonical" href="https://news.example/a/1">', "https://news.example/a/1"),
    ('<link href="https://news.example/a?x=1&amp;y=2" rel="canonical" />', "https://news.example/a?x=1&y=2"),
    ("<LINK REL=Canonical HREF=http://news.example/b>", "http://news.example/b"),
    ('<link\n  rel="alternate canonical"\n  href="https://news.example/c">', "https://news.example/c"),
    ('<meta property="og:url" content="https://news.example/d">', "https://news.example/d"),
    ('<link rel="canonical" href="/relative"><meta property="og:url" content="https://news.example/e">',
     "https://news.example/e"),
    ('<p>canonical</p><meta name="description" content="og:url is a tag">', None),
    ('<link rel="stylesheet" href="https://news.example/canonical.css">', None),
    ("", None),
])
def test_site_url_reads_the_declared_address_from_the_raw_html(markup, url):
    page = f"<html><head>{markup}</head><body><p>text</p></body></html>"
    assert site_url(page.encode()) == url and site_url(page) == url


def test_site_url_finds_a_canonical_link_in_the_body_after_a_long_head():
    head = "<script>var canonical = 'not a tag';</script>" + "<style>p { margin: 0 }</style>" * 5000
    page = f"<html><head>{head}</head><body><p>text</p><link rel=canonical href='https://port.example/x'></body></html>"
    assert site_url(page.encode()) == "https://port.example/x"
    assert site_url(ARTICLE.read_bytes()) == "https://www.harbourcourier.example/news/ferry-crews-strike"


# --- cleaning an HTML page --------------------------------------------------------------------------


def test_clean_html_keeps_the_article_and_reports_every_cut(article):
    whole = whole_text(ARTICLE.read_bytes())
    assert article.rebuild() == whole
    assert PARAGRAPH in article.text
    assert article.text.startswith("Ferry crews vote to strike over rota changes\n")  # the headline stays by default
    removed = removed_lines(article)
    for chrome in ("* Home", "Skip to main content", "* Privacy policy",
                   "© 2024 The Harbour Courier. All rights reserved.",
                   "* Lifeboat crew rescue two walkers from tidal island"):
        assert removed[chrome] == ("html-extractor", "HTML1"), chrome
    assert "Page title" not in article.text and "window.dataLayer" not in whole


def test_our_detectors_cut_what_trafilatura_keeps(article):
    # trafilatura keeps the promoted headline inside the article; the teasers detector names it
    assert removed_lines(article)["Related: Island schools to share one head teacher from September"][0] == "teasers"
    assert "Related:" not in article.text


def test_html_metadata_comes_from_the_markup(article):
    meta = article.metadata
    assert (meta.title, meta.author, meta.date, meta.language) == (
        "Ferry crews vote to strike over rota changes", "Mara Lindqvist", "2024-05-14", "en")
    assert meta.site_name == "The Harbour Courier"
    assert meta.url == "https://www.harbourcourier.example/news/ferry-crews-strike"
    assert set(meta.to_dict()) == {"title", "author", "date", "language", "site_name", "url"}


def test_no_title_removes_the_headline_with_its_own_rule():
    result = api.clean_html(ARTICLE.read_bytes(), keep_title=False, engine="trafilatura")
    assert removed_lines(result)["Ferry crews vote to strike over rota changes"] == ("html-extractor", "HTML2")
    assert result.metadata.title == "Ferry crews vote to strike over rota changes"
    assert result.text.startswith("Crews on the island")


def test_skipping_the_extractor_cleans_the_whole_page_text_as_a_dump():
    result = api.clean_html(ARTICLE.read_bytes(), skip=["html-extractor"])
    assert "html-extractor" not in {span.detector for span in result.removed}
    assert PARAGRAPH in result.text and "* Home" not in result.text
    assert result.rebuild() == whole_text(ARTICLE.read_bytes())


def test_the_html_pipeline_leaves_out_what_trafilatura_already_did():
    from cleaner.options import Options
    from cleaner.runs.page import html_pipeline_for

    names = [detector.name for detector in html_pipeline_for(Options(engine="trafilatura"))]
    assert names[0] == "html-extractor" and "main-body" not in names and "teasers" in names
    assert [d.name for d in html_pipeline_for(Options(engine="trafilatura", only=("main-body",)))] == ["main-body"]
    model = html_pipeline_for(Options(engine="model"))  # the model in the locator's place, no extractor step
    assert "html-extractor" not in [d.name for d in model] and type(model[[d.name for d in model].index(
        "main-body")]).__name__ == "ContentModelDetector"


@pytest.mark.parametrize("outcome", ["nothing", "failure"])
def test_a_page_trafilatura_finds_nothing_in_is_cleaned_as_a_dump_with_a_note(monkeypatch, outcome):
    import trafilatura

    def extraction(*args, **kwargs):
        if outcome == "failure":
            raise RuntimeError("boom")

    monkeypatch.setattr(trafilatura, "bare_extraction", extraction)
    result = api.clean_html(ARTICLE.read_bytes(), engine="trafilatura")
    assert any("trafilatura found no main content" in note for note in result.notes)
    assert ("trafilatura failed (RuntimeError)" in result.notes) == (outcome == "failure")
    assert "html-extractor" not in {span.detector for span in result.removed}
    assert PARAGRAPH in result.text and "* Home" not in result.text  # the text detectors cleaned it


# --- the html-extractor detector ----------------------------------------------------------------


def test_html_extractor_is_documented_like_every_detector():
    doc = inspect.getdoc(HtmlExtractorDetector) or ""
    for part in ("**What**", "**Why**", "**Known false positives**"):
        assert part in doc
    declared = {value for value in vars(HtmlExtractorDetector).values() if isinstance(value, Rule)}
    assert set(HtmlExtractorDetector.rules) == declared and HtmlExtractorDetector.name == "html-extractor"
    assert "html-extractor" in [info.name for info in api.list_detectors()]


def test_html_extractor_without_content_removes_nothing():
    assert list(HtmlExtractorDetector().detect(Page("a\nb\n"), Labels(size=2))) == []


def test_html_extractor_labels_runs_outside_the_content_and_locates_the_body_and_scope():
    page = Page("Menu\n\nHeadline\n\nBody one.\n\nAd\nBody two.\n\nFooter\n")
    labels = Labels(size=len(page))
    step = HtmlExtractorDetector(frozenset({5, 8}), headline=3)
    found = list(step.detect(page, labels))
    removals = [item for item in found if isinstance(item, Removal)]
    assert [(r.rule, r.first_line, r.last_line) for r in removals] == [("HTML1", 1, 2), ("HTML1", 7, 7),
                                                                        ("HTML1", 10, 10)]
    assert step.content(page) == [3, 4, 5, 6, 8, 9]
    assert [item for item in found if isinstance(item, Located)] == [Located((3, 9), 3, (3, 4, 5, 6, 8, 9))]
    assert labels == Labels(size=len(page))  # the driver records what it found, not the step
    no_title = HtmlExtractorDetector(frozenset({5, 8}), headline=3, keep_title=False)
    assert ("HTML2", 3, 3) in [(r.rule, r.first_line, r.last_line) for r in no_title.cut(page, no_title.content(page))]


def marked(path: Path) -> tuple[str, list[str]]:
    """A marked expectation file (``- `` removed by html-extractor, ``+ `` kept, ``. `` either) -> text, marks."""
    lines, marks = [], []
    for raw in path.read_text(encoding="utf-8").splitlines():
        marks.append(raw[:1])
        lines.append(raw[2:])
    return "\n".join(lines) + "\n", marks


@pytest.mark.parametrize("page", sorted((FIXTURES / "html-extractor").glob("*.html")), ids=lambda p: p.name)
def test_html_extractor_fixture(page):
    expected, marks = marked(page.with_suffix(".expected"))
    result = api.clean_html(page.read_bytes(), str(page), engine="trafilatura")
    assert result.rebuild() == expected
    owner = {n: span.detector for span in result.removed for n in range(span.first_line, span.last_line + 1)}
    problems = []
    for number, (line, mark) in enumerate(zip(expected.splitlines(), marks, strict=True), start=1):
        if mark == "-" and line.strip() and owner.get(number) != "html-extractor":
            problems.append(f"{number} {line!r}: removal by html-extractor expected, got {owner.get(number)}")
        if mark == "+" and number in owner:
            problems.append(f"{number} {line!r}: kept expected, removed by {owner[number]}")
    assert not problems, "\n".join(problems)


# --- the library and CLI paths ---------------------------------------------------------------------


def test_clean_input_recognises_html_by_content_not_name(tmp_path):
    disguised = tmp_path / "page.txt"
    disguised.write_bytes(ARTICLE.read_bytes())
    outcome = api.clean_input(disguised)
    assert outcome.input_format == "html" and PARAGRAPH in outcome.result.text
    assert outcome.record()["input_format"] == "html"
    text_named_html = tmp_path / "notes.html"
    text_named_html.write_text(PROSE + "\n", encoding="utf-8")
    outcome = api.clean_input(text_named_html)
    assert outcome.input_format == "text" and any("no HTML markup" in note for note in outcome.notes)


def test_mixed_folder_of_html_and_text(tmp_path, pages):
    (pages / "story.html").write_bytes(ARTICLE.read_bytes())
    (pages / "story.txt").write_text(whole_text(ARTICLE.read_bytes()), encoding="utf-8")
    summary = api.clean_paths([pages], tmp_path / "out")
    assert summary.ok and summary.files_cleaned == 5
    formats = {Path(o.path).name: o.input_format for o in summary.outcomes}
    assert formats["story.html"] == "html" and formats["story.txt"] == "text"
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "story.txt" in written and "story~2.txt" in written  # one name each, nothing overwritten
    for outcome in summary.outcomes:
        rec = outcome.record()
        assert rebuild_from_record(outcome.output.read_text(encoding="utf-8"), rec) == outcome.result.rebuild()


def test_explain_an_html_line(tmp_path):
    whole = whole_text(ARTICLE.read_bytes()).splitlines()
    menu, paragraph = whole.index("* Home") + 1, whole.index(PARAGRAPH) + 1
    teaser = whole.index("Related: Island schools to share one head teacher from September") + 1
    found = api.explain_file(ARTICLE, [menu, paragraph, teaser], engine="trafilatura")
    assert [(e.number, e.kept) for e in found] == [(menu, False), (paragraph, True), (teaser, False)]
    assert (found[0].decided_by.detector, found[0].decided_by.rule) == ("html-extractor", "HTML1")
    assert found[2].decided_by.detector == "teasers" and found[2].decided_by.first_line == teaser
    assert found[1].text == PARAGRAPH


TOPICS = {
    "ferry": "The ferry timetable changes next month, when the winter sailings end and the summer boats return to the "
             "outer islands with two extra crossings every weekday.",
    "school": "The island school will share its head teacher with the mainland school from September, after the "
              "council failed to fill the post for a second year running.",
    "quay": "Repairs to the old quay begin on Monday and will close the car park beside it for most of the summer, "
            "the harbour master said in a notice to boat owners.",
    "market": "The new fish market opened on Saturday with eleven stalls, and traders said they had sold out of "
              "mackerel and crab before lunchtime on the first day.",
}


PROMO = "Tide tables and shipping forecasts on page twelve"


def site_page(topic: str, body: str) -> str:
    paragraphs = "".join(f"<p>{sentence}</p>" for sentence in [body, body.replace("the", "this"), PROSE])
    menu = "".join(f"<li><a href='/{item}'>{item}</a></li>" for item in ("Home", "News", "Sport", "Weather"))
    return (f"<html><head><title>{topic.title()} news | Courier</title></head><body><nav><ul>{menu}</ul></nav>"
            f"<article><h1>{topic.title()} news</h1>{paragraphs}<p>{PROMO}</p>"
            f"<p>{body.upper()}</p></article><footer><p>Courier Media</p><p>Privacy</p><p>Terms</p></footer>"
            "</body></html>")


def test_site_repetition_learns_html_pages_from_their_whole_page_text(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    for topic, body in TOPICS.items():
        (site / f"{topic}.html").write_text(site_page(topic, body), encoding="utf-8")
    summary = api.clean_paths([site], tmp_path / "out")
    assert summary.sites  # learned from the HTML pages
    for outcome in summary.outcomes:
        assert outcome.input_format == "html" and TOPICS[Path(outcome.path).stem] in outcome.result.text
        assert removed_lines(outcome.result)[PROMO] == ("site-repetition", "SITE1")


def test_html_pages_of_one_folder_are_learned_by_the_site_they_declare(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    for host in ("courier.example", "gazette.example"):
        for topic, body in TOPICS.items():
            page = site_page(topic, body).replace(
                "<head>", f"<head><link rel='canonical' href='https://{host}/{topic}'>")
            if host == "gazette.example":
                page = page.replace(PROMO, "Crossword and letters inside").replace("Courier", "Gazette")
            (folder / f"{host}-{topic}.html").write_text(page, encoding="utf-8")
    (folder / "lonely.html").write_text(site_page("harbour", PROSE), encoding="utf-8")
    summary = api.clean_paths([folder], tmp_path / "out", jobs=1)
    assert summary.sites == {"courier.example": len(TOPICS), "gazette.example": len(TOPICS)}
    for outcome in summary.outcomes:
        removed = removed_lines(outcome.result)
        if Path(outcome.path).name.startswith("courier"):
            assert removed[PROMO] == ("site-repetition", "SITE1")
        assert all(rule[0] != "site-repetition" for rule in removed.values()) or "lonely" not in outcome.path
    assert summary.sites == api.clean_paths([folder], tmp_path / "out2", jobs=2).sites


# --- bad HTML ----------------------------------------------------------------------------------------


def test_truncated_html_gives_a_best_effort_result():
    data = ARTICLE.read_bytes()
    cut = data[: data.index(b"Managers want") + 40]
    result = api.clean_html(cut)
    assert PARAGRAPH in result.text and result.rebuild() == whole_text(cut)


def nested(depth: int) -> str:
    return "<html><body>" + "<div>" * depth + f"<p>{PROSE}</p>" * 3 + "</div>" * depth + "</body></html>"


def test_deeply_nested_html_does_not_crash_or_hang():
    started = time.perf_counter()
    result = api.clean_html(nested(1500))
    assert time.perf_counter() - started < 10
    assert PROSE in result.text and result.rebuild() == whole_text(nested(1500))


def test_html_nested_beyond_the_parser_is_a_clear_error():
    with pytest.raises(InputError, match=r"^no visible text in the HTML page \(nested deeper than the parser reads\)$"):
        api.clean_html(nested(5000))


def test_html_without_visible_text_is_a_clear_error(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_text("<!DOCTYPE html><html><head><title></title></head><body>  </body></html>", encoding="utf-8")
    assert api.clean_input(empty).error == "no visible text in the HTML page"
    with pytest.raises(InputError, match="no visible text"):
        api.clean_html("<html><body><script>only()</script></body></html>")


def test_binary_disguised_as_html_is_not_html_or_text(tmp_path):
    fake = tmp_path / "photo.html"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    error = api.clean_input(fake).error
    assert error.startswith("not HTML or text: binary file") and "\n" not in error


def test_enormous_html_is_refused_by_the_size_limit(tmp_path):
    big = tmp_path / "big.html"
    big.write_bytes(b"<html><body>" + b"<p>" + b"word " * 300_000 + b"</p></body></html>")
    assert api.clean_input(big, max_bytes=1_000_000).error.startswith("too large (")


def test_html_over_the_tag_limit_is_refused_in_one_line_and_the_run_goes_on(tmp_path):
    # <html>, <body> and MAX_TAGS - 1 <b>: one start tag over the limit (2 MB of 20 allowed).
    (tmp_path / "tags.html").write_text("<html><body>" + "<b>a</b>" * (MAX_TAGS - 1) + "</body></html>")
    (tmp_path / "fine.txt").write_text(PROSE + "\n", encoding="utf-8")
    outcomes = {Path(o.path).name: o for o in api.iter_outcomes([tmp_path], site_repetition=False)}
    expected = f"too many HTML tags ({MAX_TAGS + 1:,}, over the {MAX_TAGS:,} limit a page may hold)"
    assert outcomes["tags.html"].error == expected
    assert outcomes["fine.txt"].ok


def test_the_tag_limit_counts_start_tags_only():
    check_markup("<p>" + "<i>a</i>" * (MAX_TAGS - 1))  # at the limit: accepted (end tags do not count)
    check_markup("<p>" + "a < b <3 <!-- c --> <?pi?> " * MAX_TAGS)  # no element in these
    with pytest.raises(InputError, match=f"^too many HTML tags \\({MAX_TAGS + 1:,}, "):
        check_markup("<p>" + "<I>a</I>" * MAX_TAGS)


def test_html_over_an_attribute_limit_is_refused_in_one_line(tmp_path):
    one_tag = "<html><body><p" + ' a="v"' * (MAX_TAG_ATTRIBUTES + 1) + ">text</p></body></html>"
    (tmp_path / "tag.html").write_text(one_tag)
    reason = f"an HTML tag with too many attributes ({MAX_TAG_ATTRIBUTES + 1:,}, over the {MAX_TAG_ATTRIBUTES:,} limit"
    assert api.clean_input(tmp_path / "tag.html").error == reason + " a tag may hold)"
    per_tag = MAX_TAG_ATTRIBUTES // 2
    tags = "<p" + ' a="v"' * per_tag + ">text</p>"
    with pytest.raises(InputError, match=f"^too many HTML attributes \\({MAX_ATTRIBUTES + per_tag:,}, over the "):
        check_markup("<html><body>" + tags * (MAX_ATTRIBUTES // per_tag + 1))
    check_markup("<html><body>" + tags * (MAX_ATTRIBUTES // per_tag) + "<p>a=b, c=d</p>")  # at the limits; text


def test_an_html_page_whose_text_has_a_line_over_the_limit_is_refused(tmp_path):
    page = tmp_path / "long.html"
    page.write_text("<html><head><title>T</title></head><body><p>" + "x" * (MAX_LINE_CHARS + 1) + "</p></body></html>")
    assert api.clean_input(page).error.startswith(f"line 3 too long ({MAX_LINE_CHARS + 1:,} characters, ")


def test_an_html_page_whose_text_has_too_many_words_is_refused(tmp_path):
    lines = ("a " * 100_000 + "<br>") * (MAX_HTML_WORDS // 100_000)  # 2 MB: lines under the line limit
    page = tmp_path / "words.html"
    page.write_text("<html><head><title>T</title></head><body><p>" + lines + "b</p></body></html>")
    expected = f"too many words in the HTML page's text ({MAX_HTML_WORDS + 2:,}, over the {MAX_HTML_WORDS:,} limit)"
    assert api.clean_input(page).error == expected  # the title's word too


def test_a_page_over_the_time_limit_fails_alone(tmp_path, monkeypatch):
    import cleaner.inputs.html as html_module

    slow_page = tmp_path / "slow.html"
    slow_page.write_bytes(ARTICLE.read_bytes())
    (tmp_path / "fine.txt").write_text(PROSE + "\n", encoding="utf-8")
    real = html_module.read_html

    def slow(source, favor="balanced", engine="model"):
        time.sleep(5)
        return real(source, favor, engine)

    monkeypatch.setattr(html_module, "read_html", slow)
    started = time.perf_counter()
    outcomes = {Path(o.path).name: o for o in api.iter_outcomes([tmp_path], timeout=0.2, site_repetition=False)}
    assert time.perf_counter() - started < 3
    assert outcomes["slow.html"].error == "took longer than 0.2 s (see --timeout)"
    assert outcomes["fine.txt"].ok


def test_text_cleaning_is_unchanged_by_the_html_path():
    assert clean_text(PROSE + "\n").text == PROSE + "\n"
