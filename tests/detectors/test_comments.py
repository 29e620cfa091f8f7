"""The comments detector alone: a thread under its heading, not an article under a tab bar."""

from __future__ import annotations

import textwrap

from conftest import FIXTURES

from cleaner.detectors.comments import CommentsDetector
from cleaner.text.labels import Labels
from cleaner.text.page import Page


def _unmarked(name: str) -> str:
    lines = (FIXTURES / "comments" / name).read_text(encoding="utf-8").splitlines()
    return "\n".join(line[2:] for line in lines) + "\n"


def _removals(text: str) -> list:
    page = Page(text)
    return list(CommentsDetector().detect(page, Labels(page)))


def test_a_thread_under_its_heading_is_removed():
    removals = _removals(_unmarked("blog_thread.txt"))
    assert len(removals) == 1 and removals[0].rule == "COM1"


def test_an_article_under_a_tab_bar_comments_label_is_not_a_thread():
    # "Article | Video | Comments" above a byline and the article's paragraphs, with repeated
    # "Enlarge Image / Close" lines in it: the label is not the thread's heading.
    assert _removals(_unmarked("tab_bar_article.txt")) == []


def test_long_text_without_a_byline_is_an_article_unless_a_timestamp_opens_it():
    paragraph = ("The committee met again on {} and agreed that the harbour fees would stay as they are for "
                 "another year, after the fishing fleet's owners showed that their costs had risen since the {} "
                 "storms and that two of the boats had been laid up for most of the season. ")
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    # About 250 words of distinct paragraphs before any template line.
    article = "\n\n".join(paragraph.format(day, day.lower()) * 2 for day in days[1:])
    tail = "\n\nReply\n\nReply\n\nReply\n"
    head = "Intro\n\n" + paragraph.format("Sunday", "winter") + "\n\nComments\n\n"
    assert _removals(head + article + tail) == []
    stamped = head + "Ana on May 3, 2024 at 9:14 am said:\n\n" + article + tail
    assert [r.rule for r in _removals(stamped)] == ["COM1"]


def test_a_wrapped_comment_counts_its_words_once():
    # A text browser's dump: each comment is a paragraph hard-wrapped over several lines, which
    # all carry the paragraph's signals; counted per line, a 60-word comment read as 300.
    def wrapped(text: str) -> str:
        return "\n".join("   " + row for row in textwrap.wrap(text, 69))

    article = ("The harbour board agreed on Monday to rebuild the north quay before the summer, after "
               "engineers found that the old stones had shifted in the winter storms. ") * 3
    comment = ("I walked along the quay last week and the cracks are plain to see from the road, so I am glad "
               "the board has finally decided to act before someone is hurt there. ") * 2
    people = ["Walters", "Travis Pahl", "Ragnar Dahl"]
    thread = "\n\n".join(f"{wrapped(comment)}\n   Posted by: {name} on December 29, 2007 01:15 PM" for name in people)
    text = f"{wrapped(article)}\n\n{wrapped(article)}\n\n   Comments\n\n{thread}\n"
    assert [r.rule for r in _removals(text)] == ["COM1"]


def test_a_comment_forms_short_notices_are_no_article():
    # No comment yet, only the form: its notices add up to article length, in one-line sentences.
    notices = [
        "You can follow this conversation by subscribing to the comment feed for this post.",
        "This is only a preview. Your comment has not yet been posted.",
        "Your comment could not be posted. Please check the fields below and try again.",
        "Your comment has been saved. Comments are moderated and will appear once approved.",
        "The letters and numbers you entered did not match the image. Please try again.",
        "As a final step before posting your comment, enter the letters you see in the image.",
        "Comments are moderated, and will not appear until the author has approved them.",
        "Name and email address are required. Email address will not be displayed with the comment.",
        "You are currently signed in as a guest. Sign in with your account to comment faster.",
        "Having trouble reading this image? Ask for another one and type the new letters here.",
        "You may use simple tags in your comment to style the text, and web addresses become links.",
        "We keep your comment and your name for as long as the post stays on the site, and no longer.",
    ]
    intro = ("The harbour board agreed on Monday to rebuild the north quay before the summer, after engineers "
             "found that the old stones had shifted in the winter storms.")
    form = "\n\n".join(notices)
    fields = "Name:\nEmail:\nPosted by: |\nPosted by: |\n"
    text = f"{intro}\n\n{intro.replace('Monday', 'Friday')}\n\nComments\n\n{form}\n\n{fields}"
    assert [r.rule for r in _removals(text)] == ["COM1"]


def test_a_byline_further_down_under_a_tab_bar_label_marks_an_article():
    # The "Comments" tab-bar label stands over a reprint notice, then the article's section, date
    # and headline (repeated on the page, so of a repeated shape), then its byline and paragraphs.
    top = ("BUSINESS\nMarch 3, 2024, 9:04 a.m. ET\nShipyard wins order for three electric ferries\n"
           "By MARTA OKONKWO\n")
    paragraphs = (
        "The town's shipyard has won an order for three battery-electric ferries from the regional transport "
        "authority, its largest contract in more than a decade and enough work to keep its slipways busy.\n\n"
        "The ferries will replace diesel vessels on the two busiest crossings, where the authority says fuel now "
        "costs more than the crews who sail them, and will charge at the quayside while they load cars.\n"
    )
    intro = ("Reprints: This copy is for your personal, non-commercial use only. To order copies of this article "
             "for your colleagues, clients or customers, use the reprints tool at the bottom of any article or "
             "write to the reprints desk, which answers within two working days.\n\n")
    page = ("Harbour Gazette\n\n" + intro + top + "\nArticle\nVideo\nComments\n\nMore in Business | Find related "
            "stories\n\n" + intro + top + "\n" + paragraphs + "\nShare\nPrint\n")
    assert _removals(page) == []
    # A thread whose comments open with their author and date line is still one.
    thread = page.replace(paragraphs, "Ana on May 3, 2024 at 9:14 am said:\nGreat news for the town.\n\n"
                          "Ben on May 3, 2024 at 9:20 am said:\nAbout time too.\n")
    assert [r.rule for r in _removals(thread)] == ["COM1"]
