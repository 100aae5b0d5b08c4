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
