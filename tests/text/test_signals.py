import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_language import PROSE

from cleaner.text.language import guess_language, page_language
from cleaner.text.page import Line, Page
from cleaner.text.signals import line_shape, line_signals, page_signals


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


# --- other languages and scripts ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The road will close in the spring.",
        "Il a dit : « Nous verrons. »",
        "¿Quién podrá acceder a estos pisos?",
        "官员表示，工程将于春季开工。",
        "「遊歩道になれば安心だ。」",
        "काम वसंत में शुरू होगा।",
        "هل ستبدأ الأعمال في الربيع؟",
        "کام بہار میں شروع ہوگا۔",
        "Աշխատանքները կսկսվեն գարնանը։",
        "ሥራው በፀደይ ይጀምራል።",
        "အလုပ်သည် နွေဦးတွင် စတင်မည်။",
        "ការងារនឹងចាប់ផ្តើមនៅនិទាឃរដូវ។",
    ],
)
def test_sentence_ends_of_many_scripts(text: str):
    assert signals(text).sentence_end


def test_language_specific_sentence_ends():
    question = "Θα ξεκινήσουν οι εργασίες την άνοιξη;"  # the Greek question mark is ";"
    assert signals(question, "el").sentence_end
    assert not signals("for i in range(3);", "en").sentence_end
    assert signals("Աշխատանքները կսկսվեն գարնանը:", "hy").sentence_end


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("市政府周五公布了方案。工程将于明年开工。", 1),  # a CJK full stop mid-line, no space after it
        ("根据方案，步道沿线将新建四座观景平台、两处公共卫生间。", 2),
        ("Dijo que sí. ¿Y ahora qué pasará?", 2),  # ". " and the ¿ opening the next sentence
        ("وقال المسؤولون، إن الأعمال ستبدأ؛ في الربيع", 2),
        ("สภาเมืองลงมติ หลังจากชาวบ้านร้องเรียน", 1),  # Thai separates clauses with a space
    ],
)
def test_inner_punctuation_of_many_scripts(text: str, count: int):
    assert signals(text).inner_punct == count


def test_word_counts_are_script_aware():
    chinese = signals("市议会周二投票决定关闭旧港口道路，此前居民多年来一直抱怨噪音和灰尘问题。", "zh")
    assert chinese.words >= 15 and not chinese.is_short
    assert signals("国内新闻", "zh").is_short


# A news page per language: a menu, two article paragraphs and a footer link row; the page's
# own stopword floor decides (measured: off for Turkish, Arabic, Hebrew, Korean, CJK, Thai).
@pytest.mark.parametrize("code", ["en", "de", "fr", "es", "pl", "ru", "tr", "ar", "he", "hi", "ko", "zh", "ja", "th"])
def test_prose_on_a_page_in_each_language(code: str):
    page = Page("\n".join(["Home", "News", "Sport", "", PROSE[code], "", PROSE[code], "", "About | Contact"]))
    sig = page_signals(page)
    assert sig[4].is_prose and sig[6].is_prose, sig[4]
    assert not any(sig[n].is_prose for n in (0, 1, 2, 8))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Startseite", "de"),
        ("Hafenstraße wird nach jahrelangen Beschwerden gesperrt", "de"),
        ("Mentions légales · Politique de confidentialité", "fr"),
        ("Cierran la carretera del puerto tras años de quejas", "es"),
        ("旧港口道路将关闭 居民多年投诉终获回应", "zh"),
        ("利用規約 | プライバシーポリシー", "ja"),
        ("إغلاق طريق الميناء القديم بعد سنوات من الشكاوى", "ar"),
    ],
)
def test_menus_and_headlines_are_not_prose_in_any_language(text: str, code: str):
    assert not signals(text, code).is_prose


SIGNAL_TEXT = st.lists(
    st.sampled_from(list("aZ .,;:!?@/wW'’\u3002\uff0c\u00bf\u0e01\u1780 \t\u00a0") + ["www.", ".com", ".CO.UK", "http://"]),
    max_size=20,
).map("".join)


@given(SIGNAL_TEXT)
def test_signal_shortcuts_equal_the_plain_patterns(text: str):
    from cleaner.text.signals import INNER_PUNCT, URLISH, _inner_punct_pattern, _urlish

    assert _urlish(text) == bool(URLISH.search(text))
    assert len(_inner_punct_pattern(text, text.isascii()).findall(text)) == len(INNER_PUNCT.findall(text))


@given(st.lists(st.text(alphabet=st.sampled_from(list("aBÉ9_ⅧⓐДд")), min_size=1, max_size=4), max_size=8))
def test_title_case_counts_capitalised_words(tokens: list[str]):
    from cleaner.text.signals import _title_case

    alpha = [t for t in tokens if t[0].isalpha()]
    expected = len(alpha) >= 3 and sum(1 for t in alpha if t[0].isupper()) / len(alpha) >= 0.75
    assert _title_case(tokens) == expected


def test_lines_with_the_same_text_share_their_signals():
    page = Page("Home\n\nA line of text.\n\nHome\n")
    sig = page_signals(page)
    assert sig[0] is sig[4] and sig[1] is sig[3]
    alone = line_signals(page.line(3), page_language(page), sig[2].stopword_floor)
    assert sig[2] == alone and sig[0].repeats == 2


def test_signals_are_slotted_values_compared_by_their_fields():
    from cleaner.text.signals import _with

    sig = signals("Sign up for our newsletter")
    assert sig == signals("Sign up for our newsletter") and hash(sig) == hash(signals("Sign up for our newsletter"))
    assert not hasattr(sig, "__dict__")
    repeated = _with(sig, repeats=3)
    assert repeated.repeats == 3 and sig.repeats == 1 and repeated != sig
    assert repr(sig).startswith("LineSignals(words=5, chars=26, ")


# --- the fast paths of the line signals give what the plain regular expressions give -----------------

_TAILS = st.text(alphabet=st.sampled_from(list(".!?…。،؟»”’\"')]」）  \u00a0\t\u2003ab1Ⓐ")), max_size=12)


@given(st.text(max_size=30), _TAILS)
def test_sentence_end_searches_only_the_tail(head: str, tail: str):
    from cleaner.text.signals import SENTENCE_END, _sentence_end

    text = (head + tail).strip()
    assert _sentence_end(text) == (SENTENCE_END.search(text) is not None)


@given(st.lists(st.text(alphabet=st.sampled_from(list("aAbZ1_Ⓐéß")), min_size=1, max_size=3), max_size=8))
def test_title_case_counts_capital_letters_among_first_characters(tokens: list[str]):
    from cleaner.text.signals import _title_case

    alpha = [token[0] for token in tokens if token[0].isalpha()]
    expected = len(alpha) >= 3 and sum(head.isupper() for head in alpha) / len(alpha) >= 0.75
    assert _title_case(tokens) == expected


def test_signals_pass_makes_the_same_phrase_masks_as_phrase_masks():
    # page_signals stores the page's phrase gates, made from the words it splits; they must equal
    # what phrase_masks makes on its own (apostrophes, non-ASCII, repeats, list markers, blanks).
    from cleaner.text.phrases import BUILT_IN
    from cleaner.text.signals import PHRASE_MASKS, phrase_masks
    BUILT_IN.patterns("cookies", "notice"), BUILT_IN.patterns("cookies", "control")
    text = "\n".join(
        [
            "We use cookies to improve your experience.",
            "Accept all cookies",
            "* Accept all cookies",
            "Don't sell my personal information",
            "\u200b",
            "Akzeptieren Sie alle Cookies für Ihre Erfahrung",
            "ΣΥΜΦΩΝΩ ΜΕ ΤΑ COOKIES",
            "Accept all cookies",
            "",
            "Read our privacy policy",
        ]
    )
    page = Page(text)
    page_signals(page)
    assert PHRASE_MASKS in page.facts
    made = phrase_masks(page)
    assert made == phrase_masks(Page(text))
    assert any(made)
