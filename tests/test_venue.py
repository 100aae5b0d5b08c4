"""The place of an engagement, filled by the store from the places of the trigger's clause that the
text writes as a venue; `ties extract` output keeps its empty location. Invented sentences."""
import pytest
from click.testing import CliRunner

from ties.cli import main
from ties.model import Event, Place, Span
from ties.store.db import connect
from ties.store import queries
from ties.store.venue import venue


def _event(text: str, trigger: str, *places: str) -> tuple[Event, list[Place]]:
    found = [Place(name, [Span(text.index(name), text.index(name) + len(name))]) for name in places]
    return Event("CONSULT", "meeting", None, evidence=[Span(0, len(text))], trigger=trigger), found


@pytest.mark.parametrize("text, trigger, places, expected", [
    ("經濟部次長李小華昨日率團赴日本大阪考察半導體產業。", "考察", ["大阪"], "大阪"),
    ("外交部長王大明今晚在臺北賓館款宴來訪的議長一行。", "款宴", ["臺北賓館"], "臺北賓館"),
    ("第三屆台歐論壇今年由布魯塞爾舉辦，雙方簽署備忘錄。", "論壇", ["布魯塞爾"], "布魯塞爾"),
    ("市長與位於紐約的大學簽署合作備忘錄。", "簽署", ["紐約"], None),  # where a body is, not the event
    ("為感謝當年曾赴大阪救災，市長今天率團來訪。", "來訪", ["大阪"], None),  # another clause
    ("市長返回高雄後接見訪團。", "接見", ["高雄"], None),
])
def test_venue_is_a_place_of_the_triggers_clause_written_as_one(text, trigger, places, expected):
    event, found = _event(text, trigger, *places)
    assert venue(event, found, text) == expected


def test_no_trigger_no_venue():
    event, found = _event("在東京會面。", "", "東京")
    assert venue(event, found, "在東京會面。") is None


def test_the_stored_event_shows_its_place_and_extract_output_does_not(tmp_path):
    article = tmp_path / "visit.txt"
    article.write_text("外交部長王大明訪問日本\n2031-05-06\n外交部長王大明6日在東京會見日本外務大臣山田太郎，"
                       "雙方就經貿合作交換意見。\n", encoding="utf-8")
    db = tmp_path / "t.db"
    assert CliRunner().invoke(main, ["ingest", "--fast", "--db", str(db), str(article)]).exit_code == 0
    with connect(str(db), create=False).connect() as conn:
        records = queries.list_records(conn)
    assert records and records[0]["place"] == "東京" and " in 東京" in records[0]["summary"]
    extracted = CliRunner().invoke(main, ["extract", "--fast", str(article)]).output
    assert "東京" in extracted and '"location"' not in extracted
