"""The on-disk cache of built knowledge: rebuilt when a source file changes or the cache is
damaged, skipped with TIES_NO_CACHE."""
import pytest

from ties.diskcache import cached


@pytest.fixture
def source(tmp_path, monkeypatch):
    """A knowledge-like file, with the cache in a folder of its own and switched on."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("TIES_NO_CACHE", raising=False)
    path = tmp_path / "words.yaml"
    path.write_text("words: [會談]\n", encoding="utf-8")
    return path


def _builder(log: list):
    def build():
        log.append("built")
        return {"words": ["會談", "簽署"], "count": len(log)}
    return build


def test_a_second_process_reads_what_the_first_built(source):
    log: list = []
    first = cached("words", [source], _builder(log))
    assert cached("words", [source], _builder(log)) == first and log == ["built"]


def test_a_changed_source_or_a_damaged_cache_is_built_again(source, tmp_path):
    log: list = []
    cached("words", [source], _builder(log))
    source.write_text("words: [會談, 簽署]\n", encoding="utf-8")
    assert cached("words", [source], _builder(log))["count"] == 2
    for kept in (tmp_path / "cache" / "ties").glob("words-*.pickle"):
        kept.write_bytes(b"not a pickle")
    assert cached("words", [source], _builder(log))["count"] == 3
    assert not list((tmp_path / "cache" / "ties").glob("*.tmp"))


def test_no_cache_when_asked(source, tmp_path, monkeypatch):
    monkeypatch.setenv("TIES_NO_CACHE", "1")
    log: list = []
    cached("words", [source], _builder(log))
    cached("words", [source], _builder(log))
    assert log == ["built", "built"] and not (tmp_path / "cache").exists()
