"""The markup's metadata without trafilatura (cleaner.inputs.html_metadata)."""

from __future__ import annotations

from datetime import date, timedelta

from cleaner.inputs.html_dom import parse_html
from cleaner.inputs.html_metadata import html_metadata, iso_day

NEWS = """<html lang="en"><head>
<title>Harbour town bans cruise ships | The Coast Herald</title>
<meta property="og:title" content="Harbour town bans cruise ships">
<meta property="og:site_name" content="The Coast Herald">
<meta property="og:url" content="https://www.coastherald.example/news/2021/harbour-ban">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2021-06-14T08:30:00+02:00">
<link rel="canonical" href="https://www.coastherald.example/news/harbour-ban">
</head><body><h1>Harbour town bans cruise ships</h1><p>Residents voted on Sunday.</p></body></html>"""

GRAPH = """<html><head><title>Ignored title</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "name": "Valley Times", "url": "https://valleytimes.example/"},
  {"@type": ["NewsArticle"], "headline": "Bridge reopens after two years",
   "datePublished": "2019-03-03", "author": [{"@type": "Person", "name": "Ana Silva"},
   {"@type": "Person", "name": "Tom Hill"}], "publisher": {"@type": "Organization", "name": "Valley Times"}}
]}</script></head><body><p>Text.</p></body></html>"""


def _metadata(html: str, language: str | None = "en"):
    return html_metadata(parse_html(html), language)


def test_meta_tags_give_every_field():
    found = _metadata(NEWS)
    assert found.title == "Harbour town bans cruise ships"
    assert found.author == "Jane Doe"
    assert found.date == "2021-06-14"
    assert found.site_name == "The Coast Herald"
    assert found.url == "https://www.coastherald.example/news/harbour-ban"  # the canonical link beats og:url
    assert found.language == "en"


def test_json_ld_graph_gives_headline_authors_date_and_publisher():
    found = _metadata(GRAPH)
    assert found.title == "Bridge reopens after two years"
    assert found.author == "Ana Silva; Tom Hill"
    assert found.date == "2019-03-03"
    assert found.site_name == "Valley Times"


def test_the_title_loses_its_site_suffix():
    html = """<html><head><title>Storm closes the coast road - Valley Times</title>
    <meta property="og:site_name" content="Valley Times"></head>
    <body><h2>x</h2><h1>One</h1><h1>Two</h1></body></html>"""
    assert _metadata(html).title == "Storm closes the coast road"


def test_a_single_h1_is_the_title_before_the_title_element():
    html = "<html><head><title>Home | Site</title></head><body><h1>The council votes on the budget</h1></body></html>"
    assert _metadata(html).title == "The council votes on the budget"


def test_malformed_json_ld_does_not_raise_and_is_read_by_pattern():
    html = """<html><head><script type="application/ld+json">{"@type": "NewsArticle",
    "headline": "Flood warnings lifted", "datePublished": "2020-01-05T10:00:00Z",
    "author": {"@type": "Person", "name": "Ben Okafor"},, broken</script></head><body></body></html>"""
    found = _metadata(html)
    assert found.title == "Flood warnings lifted"
    assert found.date == "2020-01-05"
    assert found.author == "Ben Okafor"


def test_a_future_or_ancient_date_is_dropped_for_the_next_source():
    future = (date.today() + timedelta(days=400)).isoformat()
    html = f"""<html><head><meta property="article:published_time" content="{future}">
    <meta name="date" content="1970-01-01"></head>
    <body><time datetime="2018-09-28T12:00">28 September</time></body></html>"""
    assert _metadata(html).date == "2018-09-28"
    assert iso_day(future) is None
    assert iso_day("1970-01-01") is None


def test_iso_day_reads_common_shapes():
    assert iso_day("2015-03-03T10:00:00Z") == "2015-03-03"
    assert iso_day("20150303") == "2015-03-03"
    assert iso_day("March 3, 2015", month_first=True) == "2015-03-03"
    assert iso_day("2015-02-30") is None
    assert iso_day("no date here") is None


def test_body_bylines_and_dates_when_the_head_says_nothing():
    html = """<html><head><title>A post</title></head><body>
    <div class="post-meta"><span class="byline">By Maria Rossi</span> <span class="date">July 19, 2012</span></div>
    <p>Text of the post.</p>
    <div class="comments"><span class="author">Some Commenter</span></div></body></html>"""
    found = _metadata(html)
    assert found.author == "Maria Rossi"
    assert found.date == "2012-07-19"


def test_a_commenters_name_is_not_the_author():
    html = """<html><body><p>Text.</p><ol class="comment-list"><li><span class="author">Colin Rust</span>
    </li></ol></body></html>"""
    assert _metadata(html).author is None


def test_author_fields_are_cleaned():
    html = """<html><head><meta name="author" content="admin"></head><body>
    <a rel="author" href="/u/1">by Sam Lee and Ria Patel</a></body></html>"""
    assert _metadata(html).author == "Sam Lee; Ria Patel"  # one word alone is a handle, not a name


def test_a_page_without_metadata_gives_nones():
    found = _metadata("<html><body><p>Just text.</p></body></html>", None)
    assert (found.title, found.author, found.date, found.site_name, found.url) == (None,) * 5


def test_the_site_name_falls_back_to_the_addresss_host():
    html = """<html><head><link rel="canonical" href="https://www.example-news.example/a/b"></head><body></body></html>"""
    assert _metadata(html).site_name == "example-news.example"


def test_an_og_title_ending_in_the_site_name_loses_it_and_a_handle_loses_its_at():
    html = """<html><head><meta property="og:title" content="The Impeachment Clock | National Review">
    <meta name="twitter:site" content="@National Review"></head><body></body></html>"""
    found = _metadata(html)
    assert found.site_name == "National Review"
    assert found.title == "The Impeachment Clock"


def test_a_footers_date_is_not_the_pages():
    html = """<html><body><p>Text.</p><div class="footer">Registered 2012-11-06</div></body></html>"""
    assert _metadata(html).date is None


def test_link_words_are_not_a_name():
    html = """<html><body><a rel="author" href="https://plus.example/1">Google profile</a></body></html>"""
    assert _metadata(html).author is None


def test_odd_json_ld_shapes_never_raise():
    for payload in ('"just a string"', "42", "[1, null, {}]", '{"@graph": "x"}', '{"@type": {"a": 1}}',
                    '{"@type": "NewsArticle", "headline": ["A", 3], "author": [null, 5, {"name": ["X Y"]}],'
                    ' "datePublished": {"v": 1}, "publisher": "Acme"}', "[" * 5000, ""):
        html = f'<html><head><script type="application/ld+json">{payload}</script></head><body></body></html>'
        found = _metadata(html)
        assert found.date is None
