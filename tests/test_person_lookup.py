"""`ties person` finds a person by any alias, a word of a Latin name or a surname with a short
title, and otherwise suggests the closest names (invented persons)."""
import pytest
from click.testing import CliRunner

from ties.cli import main
from ties.store.db import connect
from ties.store.queries import find_person
from ties.resolve.keys import name_key
from ties.store.schema import entities, entity_aliases

PERSONS = [  # name, title, aliases
    ("王大明", "部長", ["David Wang"]),
    ("王小華", "主任委員", []),
    ("林一心", "市長", ["林市長"]),
    ("蔡英文", "總統", []),  # a known office holder: her Latin name comes from offices.yaml
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("persons") / "p.db")
    with connect(path).begin() as conn:
        for i, (name, title, aliases) in enumerate(PERSONS, 1):
            conn.execute(entities.insert().values(id=i, kind="person", name=name, key=name_key(name), title=title))
            for alias in dict.fromkeys([name, *aliases]):
                conn.execute(entity_aliases.insert().values(entity_id=i, alias=alias, alias_key=name_key(alias)))
    return path


def lookup(db, name):
    with connect(db, create=False).connect() as conn:
        found, suggestions = find_person(conn, name)
    return (found["name"] if found else None), suggestions


@pytest.mark.parametrize("typed, person", [
    ("王大明", "王大明"), ("david wang", "王大明"), ("Wang", "王大明"), ("林市長", "林一心"),
    ("王部長", "王大明"),  # two 王: the title decides
    ("王主委", "王小華"),  # 主委 is short for 主任委員 (titles.yaml)
    ("Tsai", "蔡英文"), ("蔡總統", "蔡英文"),
])
def test_found_by_alias_latin_word_or_surname_and_title(db, typed, person):
    assert lookup(db, typed) == (person, [])


def test_several_fitting_are_suggested_not_chosen(db):
    assert lookup(db, "王處長") == (None, ["王大明", "王小華"])


def test_a_misspelling_gets_the_closest_names(db):
    found, suggestions = lookup(db, "王大民")
    assert found is None and suggestions[0] == "王大明"
    assert lookup(db, "Wan")[0] is None  # a word, not a piece of one


def test_cli_error_is_one_line_with_suggestions(db):
    result = CliRunner().invoke(main, ["person", "王大民", "--db", db, "--format", "json"])
    assert result.exit_code != 0
    assert result.output.strip().count("\n") == 0 and "王大明" in result.output
    ok = CliRunner().invoke(main, ["person", "Wang", "--db", db, "--format", "json"])
    assert ok.exit_code == 0 and '"王大明"' in ok.output
