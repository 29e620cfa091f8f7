from cleaner.language import guess_language
from cleaner.page import Line, Page
from cleaner.signals import line_shape, line_signals, page_signals


def signals(text: str, language: str = "en"):
    return line_signals(Line(1, text, "\n"), language)


def test_article_sentence_is_prose():
    sig = signals("The council voted on Sunday to close the road, and residents say they were not consulted.")
    assert sig.is_prose and sig.sentence_end and sig.stopword_ratio > 0.3


def test_menu_items_and_headlines_are_not_prose():
    assert not signals("Home").is_prose
    assert not signals("* World News").is_prose
    assert signals("* World News").bulleted
    assert signals("Harbour Town Votes To Ban Cruise Ships Over Two Hundred Metres").title_case


def test_truncated_teaser_summary_is_not_prose():
    assert not signals("The home-improvement retailer said sales in the third quarter were lower than...").is_prose


def test_prose_in_other_languages_uses_their_stopwords():
    german = (
        "Der Stadtrat hat am Sonntag beschlossen, die Straße für den Verkehr zu sperren, "
        "und die Anwohner sind nicht zufrieden."
    )
    assert signals(german, "de").is_prose
    assert not signals(german, "en").is_prose  # English stopwords do not cover German text


def test_cjk_prose_by_sentence_punctuation():
    assert signals("市议会周日投票决定关闭这条道路，居民们表示他们事先并没有被征求意见。", "zh").is_prose
    assert not signals("首页", "zh").is_prose


def test_guess_language_from_stopwords_and_script():
    def page(text: str) -> Page:
        return Page("\n".join([text] * 3))

    assert guess_language(page("The council said that it would not change the plan for the road this year.")) == "en"
    german = "Der Rat sagte, dass er den Plan für die Straße in diesem Jahr nicht ändern werde."
    assert guess_language(page(german)) == "de"
    assert guess_language(page("Le conseil a dit qu'il ne changerait pas le plan de la route cette année.")) == "fr"
    assert guess_language(page("市议会周日投票决定关闭这条道路，居民们表示他们事先并没有被征求意见。")) == "zh"


def test_line_shape_abstracts_numbers():
    assert line_shape("Rating: 36 Votes") == line_shape("Rating: 9 Votes")
    assert line_shape("2 days ago at 07:52 am") == line_shape("3 days ago at 11:02 pm".replace("pm", "am"))


def test_repeated_shapes_are_counted_per_page():
    page = Page("Reply\nA comment that says something.\nReply\nAnother one.\nReply\n")
    sig = page_signals(page)
    assert [s.repeats for s in sig] == [3, 1, 3, 1, 3]
