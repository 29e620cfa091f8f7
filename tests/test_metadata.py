from pathlib import Path

from cleaner import clean_text
from cleaner.metadata import find_author, find_date

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_find_date_formats():
    assert find_date("Laura Sharman 03 March 2015") == "2015-03-03"
    assert find_date("Nov. 19, 2019 8:03 am ET") == "2019-11-19"
    assert find_date("Published 2021-07-04T10:00") == "2021-07-04"
    assert find_date("September 31, 2019") is None  # no such day
    assert find_date("no date here") is None


def test_find_author_bylines():
    assert find_author(["By Jonathan Garber"]) == "Jonathan Garber"
    assert find_author(["Laura Sharman 03 March 2015"]) == "Laura Sharman"
    assert find_author(["By", "Sarah E. Needleman"]) == "Sarah E. Needleman"
    assert find_author(["The council said on Monday it would act."]) is None


def test_seed_metadata_matches_gold():
    result = clean_text((SEEDS / "003_82738a320e21dc04.txt").read_text(encoding="utf-8"))
    assert result.metadata.title == "Social workers 'deeply disturbed' by findings of serious case review"
    assert result.metadata.author == "Laura Sharman"
    assert result.metadata.date == "2015-03-03"


def test_title_is_headline_not_skip_link():
    result = clean_text((SEEDS / "000_e9e38ccef3864a27.txt").read_text(encoding="utf-8"))
    assert result.metadata.title == "BASW: Oxfordshire CSE SCR - Another sad day for the social work profession"


def test_title_prefers_line_matching_the_html_title():
    page = "\n".join(
        [
            "Ships banned from harbour - The Coast Times",
            "Home",
            "Ships banned from harbour",
            "Opinion: why the vote matters",
            "",
            "Residents of the harbour town voted on Sunday to ban cruise ships longer than 200 metres from its port.",
            "The measure passed with 61 per cent of the vote, on a turnout of just over half of the town's voters.",
        ]
    )
    assert clean_text(page).metadata.title == "Ships banned from harbour"
