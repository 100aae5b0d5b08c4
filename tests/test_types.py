"""Value types: partial dates and names."""
import pytest

from ties.types import date, name


@pytest.mark.parametrize("a, b, tolerance, same", [
    ("2024-02-07", "2024-02-07", 0, True),
    ("2024-02-07", "2024-02-08", 0, False),
    ("2024-02-07", "2024-02-08", 1, True),   # 今日 and 昨日 in reports published a day apart
    ("2024-02-07", "2024-02-09", 1, False),
    ("2024-02", "2024-02-07", 0, True),
    ("2024", "2024-12-31", 0, True),
    ("2025", "2024-12-31", 1, False),         # never across years written in full
    ("--02-07", "2024-02-07", 0, True),
    ("--02-07", "2024-02", 0, False),
    ("2024-03", "2024-02-07", 0, False),
    (None, "2024-02-07", 0, False),
])
def test_compatible(a, b, tolerance, same):
    assert date.compatible(a, b, tolerance) is same
    assert date.compatible(b, a, tolerance) is same


def test_precision_and_keys():
    assert [date.precision(v) for v in ("2024-02-07", "2024-02", "2024", "--02-07")] == \
        ["day", "month", "year", "month-day"]
    assert date.sort_key("2024-02") == "2024-02-01" and date.sort_key("--02-07") is None
    assert date.year("2024-02-07") == 2024 and date.year("--02-07") is None
    assert date.month("2024-02-07") == "2024-02" and date.month("2024") is None
    assert date.coarser("2024-02-07") == ["2024-02", "2024", "--02-07"]
    assert date.coarser("2024-02") == ["2024"] and date.coarser("2024") == []


def test_name_keys_fold_script_spacing_and_dots():
    assert name.key("唐凤") == name.key("唐鳳")
    assert name.key("湯姆·普萊斯") == name.key("湯姆．普萊斯") == name.key("汤姆普莱斯")
    assert name.key("Keith  Krach") == name.key("keith krach".replace(" ", ""))
    assert name.fold("臺灣") == name.fold("台灣")
    assert name.is_latin("Roberto Viola") and not name.is_latin("柯拉克 Keith")


def test_a_day_alone_compares_only_its_day():
    from ties.types import date as partial_date
    assert partial_date.precision("---05") == "day-alone"
    assert partial_date.year("---05") is None and partial_date.sort_key("---05") is None
    assert partial_date.compatible("---05", "2024-03-05") and partial_date.compatible("---05", "--03-05")
    assert not partial_date.compatible("---05", "2024-03-06")
    assert partial_date.compatible("---05", "2024-03-06", day_tolerance=1)
    assert partial_date.compatible("---05", "2024-03")  # the month gives no day to contradict it
