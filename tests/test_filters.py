"""Filters as people type them: partners by name, topic ids in any case, partial dates; a value
that matches nothing is a one-line error with suggestions."""
import pytest
from click.testing import CliRunner

from ties import filters
from ties.cli import main


@pytest.mark.parametrize("typed, code", [("JP", "JP"), ("jp", "JP"), ("日本", "JP"), ("Japan", "JP"), ("臺日", "JP"),
                                         ("台美", "US"), ("歐盟", "EU"), ("捷克", "CZ"), ("Czechia", "CZ")])
def test_partner_as_typed(typed, code):
    assert filters.partner_code(typed) == code


def test_unknown_partner_suggests():
    with pytest.raises(filters.FilterError, match="unknown partner 'Japn'; did you mean japan"):
        filters.partner_code("Japn")


@pytest.mark.parametrize("typed, end, day", [("2024", False, "2024-01-01"), ("2024", True, "2024-12-31"),
                                             ("2024-02", True, "2024-02-29"), ("2024-2-7", False, "2024-02-07")])
def test_dates_of_any_precision(typed, end, day):
    assert filters.date_bound(typed, end=end) == day


@pytest.mark.parametrize("typed", ["yesterday", "2024-13", "2023-02-29", "24-01-01"])
def test_bad_dates(typed):
    with pytest.raises(filters.FilterError, match=f"date '{typed}'"):
        filters.date_bound(typed)


def test_topics():
    assert filters.topic_id("AI") == "ai"
    with pytest.raises(filters.FilterError, match="did you mean health"):
        filters.topic_id("healthcare")


@pytest.mark.parametrize("args, message", [
    (["--partner", "日夲"], "unknown partner '日夲'; did you mean 日本"),
    (["--topic", "semiconductor"], "did you mean semiconductors"),
    (["--since", "yesterday"], "expected YYYY, YYYY-MM or YYYY-MM-DD"),
])
def test_cli_bad_filter_is_one_line_error(tmp_path, args, message):
    result = CliRunner().invoke(main, ["events", "--db", str(tmp_path / "none.db"), *args])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], result.output


def test_filters_typed_are_exact_and_carried_as_params():
    wanted = filters.Filters.typed(partner="臺日", topic="AI", type="agree", since="2024", until="2024-02",
                                   person=" 唐鳳 ", q="", site=None)
    assert wanted == filters.Filters(partner="JP", person="唐鳳", topic="ai", type="AGREE", since="2024-01-01",
                                     until="2024-02-29")
    assert wanted.params("partner", "type") == {"partner": "JP", "type": "AGREE"}
    searching = filters.Filters.typed(q="半導體", site="cna.com.tw", since="2024")
    assert searching.events() == filters.Filters(since="2024-01-01")
    assert searching.within() == {"since": "2024-01-01", "until": None, "site": "cna.com.tw"}


def test_a_filter_error_names_its_field():
    with pytest.raises(filters.FilterError, match="unknown type 'MEET'") as caught:
        filters.Filters.typed(type="meet")
    assert caught.value.field == "type"


def test_help_lists_topic_ids():
    result = CliRunner().invoke(main, ["events", "--help"])
    assert "digital-government" in result.output and "energy-" in result.output


def test_brief_command_prints_a_dated_markdown_brief(tmp_path):
    from conftest import SAMPLES
    db = tmp_path / "t.db"
    assert CliRunner().invoke(main, ["ingest", "--fast", "--db", str(db), str(SAMPLES)]).exit_code == 0
    result = CliRunner().invoke(main, ["brief", "--db", str(db), "--partner", "日本"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# 臺灣—") and "[^1]:" in result.output
    result = CliRunner().invoke(main, ["brief", "--db", str(db), "--partner", "Japn"])
    assert result.exit_code == 1 and "did you mean japan" in result.output
    typed = CliRunner().invoke(main, ["events", "--db", str(db), "--partner", "日本", "--type", "agree",
                                      "--since", "2020", "--format", "json"])
    exact = CliRunner().invoke(main, ["events", "--db", str(db), "--partner", "JP", "--type", "AGREE",
                                      "--since", "2020-01-01", "--format", "json"])
    assert typed.exit_code == 0 and typed.output == exact.output and '"AGREE"' in typed.output
