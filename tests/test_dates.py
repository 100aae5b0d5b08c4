"""The publication-date grammar: Gregorian, ROC, CNA edit codes, timestamps to Taipei dates."""
import datetime as dt

import pytest

from ties.dates import cna_edit_code, find_full_dates, to_taipei_date


@pytest.mark.parametrize("text,iso", [
    ("2024/5/16 18:56", "2024-05-16"),
    ("2026-02-04", "2026-02-04"),
    ("2019.11.03", "2019-11-03"),
    ("113年2月7日", "2024-02-07"),
    ("民國 105 年 3 月 1 日", "2016-03-01"),
    ("中華民國112年10月5日", "2023-10-05"),
    ("2023年12月31日", "2023-12-31"),
    ("發布日期：113-05-16", "2024-05-16"),
    ("１１２／１０／０５", "2023-10-05"),
])
def test_full_dates(text, iso):
    assert [d.iso for d in find_full_dates(text)] == [iso]


@pytest.mark.parametrize("text", ["12 月 8 日", "3/22 16:00-18:00", "今(4)日", "105 年", "2024年13月2日", "2023/2/30"])
def test_incomplete_or_invalid_dates_are_not_full_dates(text):
    assert find_full_dates(text) == []


def test_cna_edit_code():
    assert cna_edit_code("雙方將持續合作。（編輯：王小明）1120915") == "2023-09-15"
    assert cna_edit_code("雙方將持續合作。（編輯：王小明）1120915 1830") == "2023-09-15"
    assert cna_edit_code("預計投資1200000元") is None
    assert cna_edit_code("會議在2019年舉行") is None


@pytest.mark.parametrize("value,iso", [
    ("2023-11-09T17:30:00.000Z", "2023-11-10"),  # 01:30 next day in Taipei
    ("2023-11-09T03:30:00Z", "2023-11-09"),
    ("2024-05-16T18:56:00+08:00", "2024-05-16"),
    ("2024-05-16 23:10", "2024-05-16"),
    ("2024-05-15 20:00:00 -0500", "2024-05-16"),  # Jekyll style: 09:00 the next day in Taipei
    ("2024-05-16 10:00:00 +0800", "2024-05-16"),
    (dt.datetime(2024, 2, 7, 20, 0, tzinfo=dt.timezone.utc), "2024-02-08"),
    (dt.date(2022, 3, 22), "2022-03-22"),
    ("113年2月7日", "2024-02-07"),
    ("not a date", None),
    ("", None),
    (None, None),
])
def test_to_taipei_date(value, iso):
    assert to_taipei_date(value) == iso


@pytest.mark.parametrize("url,iso", [
    ("https://news.example.tw/news/20240516/123456.htm", "2024-05-16"),
    ("https://example.com/2019/03/08/some-story/", "2019-03-08"),
    ("https://example.hk/news/2021-11-30/98765", "2021-11-30"),
    ("https://example.com/realtime/20220102003456-260407", "2022-01-02"),
    ("https://example.com/news/story/6656/8752992", None),
    ("https://example.com/2024/05/blog-post_16.html", None),
    ("https://20240516.example.com/", None),  # the host is not the path
    ("https://news.example.tw/news/11303150004201W", "2024-03-15"),  # an id opening with ROC 113-03-15
    ("https://news.example.tw/story/1050812", None),  # too short for a date and a serial
    ("https://news.example.tw/story/1071234567", None),  # 107-12-34 is no date
    ("https://news.example.tw/story/1191231000123", None),  # a date after today is an id
])
def test_url_date(url, iso):
    from ties.dates import url_date
    assert url_date(url) == iso


@pytest.mark.parametrize("text,month,iso", [
    ("（中央社記者某某台北2024年5月16日電）外交部今天表示", None, "2024-05-16"),
    ("【某某時報2022年11月20日訊】（記者某某報導）國科會證實", None, "2022-11-20"),
    ("(中央社記者某某台北16日電)越南駐台代表表示", "2024-05", "2024-05-16"),
    ("(中央社記者某某台北16日電)越南駐台代表表示", None, None),  # the day alone is never guessed
    ("外交部今(16)日表示", "2024-05", "2024-05-16"),  # today in the lead is the publication day
    ("外交部今（16日）表示", "2024-05", "2024-05-16"),
    ("外交部今(16)日表示", None, None),
    ("某國援台物資抵達\n中央社／ 台北16日電\n外交部今天表示", "2024-05", "2024-05-16"),
    ("外交部表示，雙方於16日電話會談。", "2024-05", None),
])
def test_dateline_date(text, month, iso):
    from ties.dates import dateline_date
    assert dateline_date(text, month) == iso


def test_us_style_posting_date():
    assert to_taipei_date("4/16/2025") == "2025-04-16"
    assert to_taipei_date("16/4/2025") == "2025-04-16"


def test_normalize_digits_is_a_translation_of_every_full_width_key():
    from ties.dates import _DIGITS, normalize_digits
    sample = "民國１１３年５月１６日：１１３／５／１６－２０２４．０５．１６ and 12:30 臺北"
    assert normalize_digits(sample) == sample.translate(_DIGITS)
    every = "".join(chr(c) for c in range(0xff00, 0xff30))
    assert normalize_digits(every) == every.translate(_DIGITS)
