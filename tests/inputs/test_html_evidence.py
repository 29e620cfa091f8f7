"""The walk with the markup's evidence (cleaner.inputs.html_evidence): same text, and what each line's markup says."""

from __future__ import annotations

from conftest import FIXTURES

from cleaner.inputs.html_dom import parse_html, walk
from cleaner.inputs.html_evidence import vocabulary
from cleaner.text.dom import DOM_EVIDENCE, DOM_NAMES, VOCABULARIES, WALKED_NAMES, dom_features
from cleaner.text.page import Page

PAGE = """<html><head><title>The page</title></head><body>
<nav class="main-menu"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<article><h2>A headline here</h2><p>Some prose with <a href="/x">one link</a> in the middle of it.</p>
<div id="comments" class="post-comments"><p>A reader wrote this reply.</p></div></article>
<footer role="contentinfo"><p>Copyright the owners</p></footer>
<table><tr><td>cell one</td><td>cell two</td></tr></table>
</body></html>"""


def _rows(html: str) -> tuple[list[str], dict[str, dict[str, float]]]:
    walked = walk(parse_html(html), evidence=True)
    lines = walked.text.splitlines()
    assert walked.evidence is not None and walked.evidence.rows.shape == (len(lines), len(WALKED_NAMES))
    return lines, {line: dict(zip(WALKED_NAMES, row.tolist(), strict=True))
                   for line, row in zip(lines, walked.evidence.rows, strict=True) if line}


def test_the_text_is_the_plain_walks_byte_for_byte():
    for html in (PAGE, *(path.read_text(encoding="utf-8") for path in sorted((FIXTURES / "html").glob("*.html")))):
        root = parse_html(html)
        plain, found = walk(root), walk(root, evidence=True)
        assert (found.text, found.title, found.deepest) == (plain.text, plain.title, plain.deepest)
        assert plain.evidence is None


def test_each_line_gets_its_blocks_tag_ancestors_and_words():
    lines, rows = _rows(PAGE)
    assert rows["The page"]["dom_block_title"] == 1
    home = rows["* Home"]
    assert home["dom_block_li"] == home["dom_in_nav"] == home["dom_in_a"] == home["dom_up_menu"] == 1
    assert home["dom_link_density"] == 1.0 and home["dom_list_depth"] == 1
    headline = rows["A headline here"]
    assert headline["dom_block_h"] == headline["dom_in_article"] == 1 and headline["dom_heading_level"] == 2
    prose = rows["Some prose with one link in the middle of it."]
    assert prose["dom_block_p"] == 1 and 0 < prose["dom_link_density"] < 0.3 and prose["dom_in_a"] == 0
    reply = rows["A reader wrote this reply."]
    assert reply["dom_up_comment"] == 1 and reply["dom_own_comment"] == 0
    assert rows["Copyright the owners"]["dom_role_contentinfo"] == rows["Copyright the owners"]["dom_in_footer"] == 1
    assert rows["cell one  cell two"]["dom_block_td"] == rows["cell one  cell two"]["dom_table_depth"] == 1
    assert rows["cell one  cell two"]["dom_position"] > prose["dom_position"] > home["dom_position"]
    blank = lines.index("")
    walked = walk(parse_html(PAGE), evidence=True)
    assert walked.evidence is not None and not walked.evidence.rows[blank].any()


def test_class_words_match_whole_tokens_or_prefixes():
    words = vocabulary()
    bit = {name: 1 << index for index, name in enumerate(VOCABULARIES)}
    assert words.bits("post-comments_list") & bit["comment"]
    assert words.bits("sidebarWidget") & bit["sidebar"]  # a prefix
    assert not words.bits("header reader") & bit["promo"]  # "ad" is a whole token only
    assert words.bits("top ad") & bit["promo"]


def test_the_container_columns_find_the_element_holding_the_prose():
    prose = ("The harbour board met on Tuesday evening and agreed, after a long debate about the cost of repairs, "
             "that the old pier would be rebuilt in stone before the summer season begins next year.")
    html = (f"<html><body><div class='menu'><a href='/'>Home</a></div><div id='story'><p>{prose}</p><p>{prose} "
            "Again.</p></div><div>Footer words here</div></body></html>")
    page = Page(walk(parse_html(html), evidence=True).text)
    page.facts.put(DOM_EVIDENCE, walk(parse_html(html), evidence=True).evidence)
    lines = page.nonblank()
    rows = dict(zip([line.content for line in lines], dom_features(page, lines).tolist(), strict=True))
    main, up1 = DOM_NAMES.index("dom_main_container"), DOM_NAMES.index("dom_prose_up1")
    assert rows[prose][main] == 1 and rows[prose][up1] == 1.0  # the story div holds all the prose
    assert rows["Home"][main] == 0 and rows["Footer words here"][main] == 0 and rows["Home"][up1] == 0
    assert rows["Footer words here"][up1] == 1.0  # the body holds all the prose
