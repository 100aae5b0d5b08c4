"""Fuzzing every reader (hypothesis): random bytes, truncation at every offset of a sample,
invalid bytes, deep nesting, huge lines, broken front matter. The property: a record or a
one-line failure, never an exception, within the time budget. All text is invented here."""
import json
import time

import pytest
from hypothesis import given, settings, strategies as st

from ties.model import Document, ReadFailure
from ties.pipeline import read_and_extract, to_record
from ties.sources import Source

BUDGET = 20.0  # seconds per document (--doc-timeout); each case here takes far less
FUZZ = settings(max_examples=40, deadline=None)
ARTICLE = "外交部長今天在臺北接見來訪的帛琉參議員，雙方同意擴大觀光與漁業合作。\n部長表示，臺帛友誼堅定。\n"
SAMPLES = {
    "a.txt": "臺帛擴大合作\n2024年3月5日\n" + ARTICLE,
    "a.md": "# 臺帛擴大合作\n\n發布日期：2024-03-05\n\n" + ARTICLE.replace("\n", "\n\n"),
    "a.html": ("<!DOCTYPE html><html><head><title>臺帛擴大合作</title><meta name='pubdate' content='2024-03-05'>"
               "</head><body><article><h1>臺帛擴大合作</h1>"
               + "".join(f"<p>{line}</p>" for line in ARTICLE.splitlines()) + "</article></body></html>"),
    "b.md": "---\ntitle: 臺帛擴大合作\ndate: 2024-03-05\ntags: [外交, 觀光]\n---\n\n" + ARTICLE,
}
SUFFIXES = [".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".odt", ""]
MAGIC = [b"", b"%PDF-1.7\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"<html>", b"---\n"]


def check(name: str, data: bytes) -> None:
    """The property every input must have."""
    start = time.monotonic()
    result, found = read_and_extract(Source(name, data=data), fast=True, timeout=BUDGET)
    assert time.monotonic() - start < BUDGET + 5
    if isinstance(result, ReadFailure):
        assert result.error and "\n" not in result.error and result.path == name
    else:
        assert isinstance(result, Document)
        json.dumps(to_record(result, found), ensure_ascii=False)


@FUZZ
@given(suffix=st.sampled_from(SUFFIXES), magic=st.sampled_from(MAGIC), data=st.binary(max_size=3000))
def test_random_bytes(suffix, magic, data):
    check("x" + suffix, magic + data)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_truncation_at_every_offset(name):
    data = SAMPLES[name].encode()
    for cut in range(0, len(data), 5 if len(data) > 400 else 1):
        check(name, data[:cut])


@FUZZ
@given(name=st.sampled_from(sorted(SAMPLES)), junk=st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=4)),
                                                              min_size=1, max_size=6))
def test_invalid_bytes(name, junk):
    data = SAMPLES[name].encode()
    for where, raw in junk:
        at = int(where * len(data))
        data = data[:at] + raw + data[at:]
    check(name, data)


def test_an_article_with_one_invalid_byte_is_kept_with_a_warning():
    data = SAMPLES["a.txt"].encode()
    result, _ = read_and_extract(Source("a.txt", data=data[:30] + b"\xff" + data[30:]), fast=True)
    assert isinstance(result, Document) and "帛琉" in result.text
    assert any("1 invalid byte" in w for w in result.warnings)


@settings(max_examples=12, deadline=None)
@given(depth=st.integers(1, 20_000), opening=st.sampled_from(["<div>", "<b>", "<table><tr><td>", "<ul><li>", "<a href=x>",
                                                             "<span class=c>", "> ", "- ", "[", "{a: "]))
def test_deep_nesting(depth, opening):
    suffix = ".md" if opening in ("> ", "- ", "[", "{a: ") else ".html"
    head = "---\nx: " if opening in ("[", "{a: ") else "<html><body>" if suffix == ".html" else ""
    check("n" + suffix, (head + opening * depth + ARTICLE).encode())


@settings(max_examples=4, deadline=None)
@given(length=st.integers(10_000, 30_000), suffix=st.sampled_from([".txt", ".md", ".html"]),
       unit=st.sampled_from(["合作", "臺灣與帛琉，", "a", "<p>", " ", "部長王"]))
def test_huge_lines(length, suffix, unit):
    check("h" + suffix, (unit * (length // len(unit)) + "\n" + ARTICLE).encode())


@FUZZ
@given(meta=st.text(max_size=200), closed=st.booleans(),
       value=st.sampled_from(["2024-13-45", "!foo bar", "!!python/object:os.system ls", "&a [*a, *a]", "{", "'",
                              "2024-02-30T25:61:00", "[[[[", "99999-01-01", "\t\x00"]))
def test_broken_front_matter(meta, closed, value):
    text = f"---\ntitle: 標題\ndate: {value}\n{meta}\n" + ("---\n" if closed else "") + ARTICLE
    check("f.md", text.encode("utf-8", "surrogatepass"))


def test_bad_front_matter_date_is_dropped_and_the_document_kept():
    result, _ = read_and_extract(Source("f.md", data=("---\ntitle: 標題\ndate: 2024-13-45\n---\n" + ARTICLE).encode()),
                                 fast=True)
    assert isinstance(result, Document) and result.published is None and "帛琉" in result.text
    assert any("2024-13-45" in w for w in result.warnings)


def test_unknown_yaml_tags_are_read_as_strings():
    text = "---\ntitle: !headline 臺帛擴大合作\nauthor: !!python/object:os.system 記者\n---\n" + ARTICLE
    result, _ = read_and_extract(Source("t.md", data=text.encode()), fast=True)
    assert result.title == "臺帛擴大合作" and result.author == "記者" and result.format == "frontmatter"
