"""cleaner.text.language: script-aware word counts, the per-page language guess, stopword floors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cleaner.text.language as language
from cleaner.text.language import (
    PROSE_STOPWORD_FLOOR,
    SAMPLE_LINE_CHARS,
    SAMPLE_LINES,
    WORD,
    guess_language,
    language_sample,
    page_language,
    rank_languages,
    stopword_floor,
    stopword_ratio,
    word_count,
)
from cleaner.text.page import Page

# News sentences written for these tests, two per language (the same story in each).
PROSE = {
    "en": "The city council voted on Tuesday to close the old harbour road to traffic, after residents complained "
    "for years about noise and dust. Officials said the work would begin in the spring and could take two years.",
    "de": "Der Gemeinderat hat am Dienstag beschlossen, die alte Hafenstraße für den Verkehr zu sperren, nachdem "
    "sich Anwohner jahrelang über Lärm beschwert hatten. Die Arbeiten sollen im Frühjahr beginnen.",
    "fr": "Le conseil municipal a voté mardi la fermeture de l'ancienne route du port, après des années de plaintes "
    "des riverains contre le bruit. Selon la mairie, les travaux commenceront au printemps.",
    "es": "El ayuntamiento aprobó el martes el cierre al tráfico de la antigua carretera del puerto, tras años de "
    "quejas de los vecinos por el ruido. Según fuentes municipales, las obras comenzarán en primavera.",
    "it": "Il consiglio comunale ha approvato martedì la chiusura al traffico della vecchia strada del porto, dopo "
    "anni di proteste dei residenti per il rumore. Secondo il comune, i lavori inizieranno in primavera.",
    "nl": "De gemeenteraad heeft dinsdag besloten de oude havenweg af te sluiten voor verkeer, nadat bewoners "
    "jarenlang hadden geklaagd over lawaai en stof. Volgens de gemeente beginnen de werkzaamheden in het voorjaar.",
    "pl": "Rada miasta zdecydowała we wtorek o zamknięciu starej drogi portowej dla ruchu, po latach skarg "
    "mieszkańców na hałas i pył. Według urzędników prace rozpoczną się wiosną i mogą potrwać dwa lata.",
    "ru": "Городской совет во вторник проголосовал за закрытие старой портовой дороги для движения, после того как "
    "жители годами жаловались на шум и пыль. По словам чиновников, работы начнутся весной.",
    "tr": "Belediye meclisi salı günü, sakinlerin yıllardır gürültü ve tozdan şikayet etmesinin ardından eski liman "
    "yolunun trafiğe kapatılmasına karar verdi. Yetkililere göre çalışmalar ilkbaharda başlayacak.",
    "ar": "صوّت مجلس المدينة يوم الثلاثاء على إغلاق طريق الميناء القديم أمام حركة المرور، بعد سنوات من شكاوى "
    "السكان من الضجيج والغبار. وقال المسؤولون إن الأعمال ستبدأ في الربيع وقد تستغرق ما يصل إلى عامين.",
    "he": "מועצת העיר הצביעה ביום שלישי על סגירת כביש הנמל הישן לתנועה, לאחר שתושבים התלוננו במשך שנים על רעש "
    "ואבק. לדברי פקידים, העבודות יתחילו באביב ועשויות להימשך עד שנתיים.",
    "hi": "नगर परिषद ने मंगलवार को पुरानी बंदरगाह सड़क को यातायात के लिए बंद करने का फैसला किया, क्योंकि निवासी "
    "वर्षों से शोर और धूल की शिकायत कर रहे थे। अधिकारियों के अनुसार काम वसंत में शुरू होगा।",
    "ko": "시의회는 화요일 주민들이 수년간 소음과 먼지에 대해 불만을 제기한 끝에 옛 항구 도로를 차량 통행에서 "
    "폐쇄하기로 의결했다. 관계자들에 따르면 공사는 봄에 시작되며 최대 2년이 걸릴 수 있다.",
    "zh": "市议会周二投票决定关闭旧港口道路，此前居民多年来一直抱怨噪音和灰尘问题。"
    "官员表示，工程将于春季开工，可能持续两年之久。",
    "ja": "市議会は火曜日、住民が長年騒音やほこりに苦情を訴えてきたことを受け、"
    "旧港湾道路を車両通行止めにすることを決めた。"
    "当局によると、工事は春に始まり、最長で2年かかる可能性がある。",
    "th": "สภาเมืองลงมติเมื่อวันอังคารให้ปิดถนนท่าเรือเก่าไม่ให้รถสัญจร หลังจากชาวบ้านร้องเรียนเรื่องเสียงดังและฝุ่นมาหลายปี "
    "เจ้าหน้าที่ระบุว่างานจะเริ่มในฤดูใบไม้ผลิและอาจใช้เวลานานถึงสองปี",
}


def news_page(text: str) -> Page:
    """A small page: a menu, the text as two paragraphs, a footer line."""
    return Page(f"Home\nNews\nSport\n\n{text}\n\n{text}\n\nContact\n")


# --- word counts ----------------------------------------------------------------------------


def test_space_separated_scripts_count_their_words():
    assert word_count("The council voted on Tuesday.") == 5
    assert word_count("Der Rat hat am Dienstag beschlossen") == 6
    assert word_count("시의회는 화요일 옛 항구 도로를 폐쇄했다") == 6  # Korean puts spaces between words


def test_combining_marks_stay_inside_words():
    # \w alone stops at vowel signs: "मंगलवार" would split into three fragments.
    assert WORD.findall("नगर परिषद ने मंगलवार को") == ["नगर", "परिषद", "ने", "मंगलवार", "को"]
    assert word_count("เมื่อวาน") == 2  # Thai: characters at 4.5 a word, vowel signs included


def test_unspaced_scripts_count_characters_at_a_measured_rate():
    # 16 Han characters: "the council voted on Tuesday to close the old harbour road" (12 words).
    chinese = "市议会周二投票决定关闭旧港口道路"
    assert 9 <= word_count(chinese) <= 12
    assert word_count("首页") == 1
    assert word_count("ホーム") == 2  # kana at 2 a word
    # Mixed lines add both: Latin words and Japanese characters.
    assert word_count("Kindle for PCを再起動する方法") == 3 + word_count("を再起動する方法")


def test_word_counts_make_thresholds_comparable_across_scripts():
    english = "Officials said the work would begin in the spring and could take two years."
    chinese = "官员表示，工程将于春季开工，可能持续两年之久。"
    japanese = "当局によると、工事は春に始まり、最長で2年かかる可能性がある。"
    for text in (chinese, japanese):
        assert 0.6 <= word_count(text) / word_count(english) <= 1.6


# --- the language guess ----------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(PROSE))
def test_guess_language_of_news_text(code: str):
    assert guess_language(news_page(PROSE[code])) == code


def test_page_language_is_cached_on_the_page():
    from cleaner.text.language import LANGUAGE

    page = news_page(PROSE["fr"])
    assert page_language(page) == "fr"
    assert page.facts.get(LANGUAGE) == "fr"
    page.facts.put(LANGUAGE, "it")  # a known fact is not recomputed
    assert page_language(page) == "it"


def test_guess_is_deterministic():
    text = PROSE["es"] + "\n" + PROSE["en"][:60]
    assert len({guess_language(Page(text)) for _ in range(3)}) == 1


@pytest.mark.parametrize("text", ["", "\n\n", "12:45\n2024-03-01\n", "* * *\n"])
def test_pages_without_words_get_the_default(text: str):
    assert guess_language(Page(text)) == "en"
    assert guess_language(Page(text), default="de") == "de"


def test_pages_of_short_labels_are_guessed_from_the_labels():
    assert guess_language(Page("Startseite\nPolitik\nImpressum\n"), default="fr") == "de"


def test_short_cjk_page_is_guessed_by_script():
    assert guess_language(Page("首页\n国内新闻\n关于我们\n")) == "zh"
    assert guess_language(Page("ホーム\nニュース一覧\nお問い合わせ\n")) == "ja"


def test_ranking_uses_iso_639_1_codes():
    ranked = rank_languages(PROSE["ar"])
    assert ranked[0][0] == "ar"
    assert all(len(code) == 2 for code, _ in ranked)
    probabilities = [p for _, p in ranked]
    assert probabilities == sorted(probabilities, reverse=True)
    assert 0.99 <= sum(probabilities) <= 1.0001


@pytest.mark.parametrize(
    "text",
    [
        *PROSE.values(),
        "\n".join(PROSE.values()),
        " ".join(f"{i} {text}" for i in range(40) for text in PROSE.values()),  # over the work arrays' rows
        "",
        " ",
        "x",
        "HARBOUR ROAD CLOSES",  # all capitals: py3langid lower-cases it
        "Cafe\u0301 du port",  # not NFC
        "12 345 / 678",
        "\ud800 lone surrogate",
    ],
)
def test_vectorised_ranking_is_py3langid_rank_bit_for_bit(text: str):
    identifier = language._identifier()
    assert language._ranker() is not identifier.rank  # the vectorised walk is in use
    assert language._ranker()(text) == identifier.rank(text)


@given(st.text(max_size=200))
def test_vectorised_ranking_matches_on_any_text(text: str):
    assert language._ranker()(text) == language._identifier().rank(text)


def test_unsure_classifier_is_cross_checked_by_stopwords(monkeypatch):
    # Two close candidates: the one whose stoplist covers the text wins, whatever the order.
    monkeypatch.setattr(language, "rank_languages", lambda text: [("en", 0.5), ("de", 0.45)])
    assert guess_language(news_page(PROSE["de"])) == "de"
    monkeypatch.setattr(language, "rank_languages", lambda text: [("en", 0.95), ("de", 0.05)])
    assert guess_language(news_page(PROSE["de"])) == "en"  # a confident classifier is trusted


def test_sample_is_bounded_and_takes_the_longest_lines():
    lines = [f"Menu {i}" for i in range(500)] + [f"{i} " + PROSE["en"] * 5 for i in range(200)]
    sample = language_sample(Page("\n".join(lines)))
    assert len(sample) == SAMPLE_LINES
    assert all(len(text) <= SAMPLE_LINE_CHARS for text in sample)
    assert not any(text.startswith("Menu") for text in sample)


def test_urls_are_left_out_of_the_sample():
    page = Page("https://www.example.com/news/2024/03/harbour-road-closes-after-years-of-complaints\n")
    assert language_sample(page) == []


# --- stopword floors ----------------------------------------------------------------------------


def test_stopword_ratio():
    assert stopword_ratio("the road and the port", "en") == pytest.approx(3 / 5)
    assert stopword_ratio("", "en") == 0.0
    assert stopword_ratio("the road", "xx") == 0.0  # no stoplist


@pytest.mark.parametrize("code", ["en", "de", "fr", "es", "it", "nl", "pl", "ru"])
def test_floor_stays_where_the_stoplist_covers_running_text(code: str):
    assert stopword_floor(news_page(PROSE[code])) == PROSE_STOPWORD_FLOOR


@pytest.mark.parametrize("code", ["zh", "ja", "th", "ko", "he", "tr"])
def test_floor_is_off_where_the_stoplist_does_not_describe_the_text(code: str):
    assert stopword_floor(news_page(PROSE[code])) == 0.0


WORDY = st.sampled_from(list("ab Z9_'’-\u0301\u0915\u093e\u0e40\u0e37\u0e48\u4e2d\u00e9 ."))


@given(st.text(alphabet=WORDY, max_size=40))
def test_words_equal_the_word_pattern(text: str):
    # The fast path (no combining mark in the text) must find exactly what WORD finds.
    assert language.words(text) == WORD.findall(text)


def test_texts_with_more_features_than_the_work_arrays_hold(monkeypatch):
    monkeypatch.setattr(language, "_SCRATCH_ROWS", 50)
    for text in PROSE.values():
        assert language._ranker()(text) == language._identifier().rank(text)


def test_float16_rows_widen_bit_for_bit():
    import numpy as np

    patterns = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16)
    exponent = (patterns >> 10) & 0x1F
    for chosen in (patterns[(exponent > 0) & (exponent < 31)], patterns):  # normal numbers only; then all
        rows = chosen[: len(chosen) // 64 * 64].reshape(-1, 64).view(np.float16)
        work = [np.empty(rows.shape, dtype=np.uint32) for _ in range(2)]
        widened = language._widen_half(rows, *work, np)
        assert widened.dtype == np.float32
        assert np.array_equal(widened.view(np.uint32), rows.astype(np.float32).view(np.uint32))
