"""Every rule's example, from tests/data/rule_examples.yaml: the examples quoted in the rules'
comments, written as our own sentences, under one parametrised test per kind."""
import datetime as dt
from pathlib import Path

import pytest
import yaml

from ties.dates import cna_edit_code, find_full_dates, url_date
from ties.eventdates import find_event_dates
from ties.extraction.run import extract
from ties.model import Document

EXAMPLES = yaml.safe_load((Path(__file__).parent / "data" / "rule_examples.yaml").read_text(encoding="utf-8"))


def _day(value) -> str | None:
    return None if value is None else str(value)


def _cases(kind: str):
    return [pytest.param(case, id=case["rule"]) for case in EXAMPLES[kind]]


@pytest.mark.parametrize("case", _cases("event_dates"))
def test_event_date(case):
    anchor = case["published"]
    found = find_event_dates(case["text"], anchor if isinstance(anchor, dt.date) else None)
    assert found, "no date found"
    assert found[0].value == _day(case["date"])
    if "until" in case:
        assert found[0].until == _day(case["until"])


@pytest.mark.parametrize("case", _cases("full_dates"))
def test_full_date(case):
    assert [m.iso for m in find_full_dates(case["text"])][:1] == [_day(case["date"])]


@pytest.mark.parametrize("case", _cases("cna_edit_codes"))
def test_cna_edit_code(case):
    assert cna_edit_code(case["text"]) == _day(case["date"])


@pytest.mark.parametrize("case", _cases("url_dates"))
def test_url_date(case):
    assert url_date(case["url"]) == _day(case["date"])


@pytest.mark.parametrize("case", _cases("extract"))
def test_extraction(case):
    found = extract(Document(path="example.txt", text=case["text"], format="text",
                             published=_day(case.get("published"))))
    persons = [p.name for p in found.persons]
    orgs = [o.name for o in found.organizations]
    for name in case.get("persons", []):
        assert name in persons, (name, persons)
    for name in case.get("not_persons", []):
        assert name not in persons, (name, persons)
    for name in case.get("organizations", []):
        assert name in orgs, (name, orgs)
    for name in case.get("not_organizations", []):
        assert name not in orgs, (name, orgs)
    for code in case.get("not_countries", []):
        assert code not in found.countries
    if "countries" in case:
        assert found.countries == case["countries"]
    if "events" in case:
        got = sorted((e.type, e.date) for e in found.events)
        assert got == sorted((t, _day(d)) for t, d in case["events"]), got
