"""PDF, DOCX and ODT: recognised by content, from files and URLs alike."""
import json

import pytest
from click.testing import CliRunner

from conftest import ROOT, run_extract, write
from ties.cli import main
from ties.readers.office import office_kind
from ties.readers.pdf_layout import Line, drop_running_lines, join_wrapped
from webfixtures import Site, docx, odt, pdf

TITLE = "臺日半導體合作會談"
PAGE_1 = ["外交部新聞稿", TITLE,
          "外交部次長陳建宏今天在臺北接見日本眾議院議員山田太郎率領的訪問團，雙方就半",
          "導體供應鏈、能源轉型及區域安全等議題深入交換意見。",
          "陳建宏表示，臺灣與日本是共享民主價值的重要夥伴。", "第 1 頁"]
PAGE_2 = ["外交部新聞稿", "山田太郎感謝臺灣政府的熱情接待，並期盼雙方未來持續在各領域深化合作關係，共同",
          "維護印太地區的和平與穩定。", "第 2 頁"]
TABLE = [["城市", "代表"], ["東京", "佐藤花子"]]
PARAGRAPHS = [TITLE, "外交部次長陳建宏今天在臺北接見日本眾議院議員山田太郎率領的訪問團，雙方就半導體供應鏈合作交換意見。"]


def test_a_pdf_keeps_page_order_joins_wrapped_lines_and_drops_running_headers(tmp_path):
    code, [record], _ = run_extract("--fast", str(write(tmp_path, "release.bin", pdf([PAGE_1, PAGE_2]))))
    assert record["format"] == "pdf" and record["title"] == TITLE
    assert record["text"].split("\n") == [
        "外交部次長陳建宏今天在臺北接見日本眾議院議員山田太郎率領的訪問團，雙方就半導體供應鏈、能源轉型及區域安全等議題深入交換意見。",
        "陳建宏表示，臺灣與日本是共享民主價值的重要夥伴。",
        "山田太郎感謝臺灣政府的熱情接待，並期盼雙方未來持續在各領域深化合作關係，共同維護印太地區的和平與穩定。"]
    assert {"陳建宏", "山田太郎"} <= {p["name"] for p in record["persons"]}


def test_a_pdf_served_over_http_is_extracted_with_its_persons():
    with Site() as site:
        site.add("/release.pdf", pdf([PAGE_1, PAGE_2]), "application/pdf")
        code, [record], _ = run_extract("--fast", "--delay", "0", site.url("/release.pdf"))
    assert record["format"] == "pdf" and record["url"] == site.url("/release.pdf")
    assert {"陳建宏", "山田太郎"} <= {p["name"] for p in record["persons"]}


def test_a_pdf_without_a_text_layer_is_a_one_line_error(tmp_path):
    path = write(tmp_path, "scan.pdf", pdf([[], []]))
    code, [record], stderr = run_extract(str(path))
    assert code == 1 and record["error"] == "no text layer; OCR is not supported"
    assert stderr.strip() == f"ties: {path}: no text layer; OCR is not supported"


def test_a_broken_pdf_is_a_one_line_error(tmp_path):
    code, [record], _ = run_extract(str(write(tmp_path, "x.pdf", b"%PDF-1.7\n" + bytes(range(256)))))
    assert "PDF" in record["error"] and "\n" not in record["error"]


@pytest.mark.parametrize("make,kind", [(docx, "docx"), (odt, "odt")])
def test_word_processor_documents_give_paragraphs_and_table_cells(tmp_path, make, kind):
    code, [record], _ = run_extract("--fast", str(write(tmp_path, "release", make(PARAGRAPHS, TABLE))))
    assert record["format"] == kind and record["title"] == TITLE
    assert record["text"].split("\n") == [PARAGRAPHS[1], "城市", "代表", "東京", "佐藤花子"]
    assert "陳建宏" in {p["name"] for p in record["persons"]}


def test_office_documents_in_a_folder_are_read(tmp_path):
    write(tmp_path, "a.docx", docx(PARAGRAPHS))
    write(tmp_path, "b.odt", odt(PARAGRAPHS))
    write(tmp_path, "c.pdf", pdf([PAGE_1]))
    code, got, _ = run_extract("--fast", str(tmp_path))
    assert [r["format"] for r in got] == ["docx", "odt", "pdf"]


def test_other_zip_archives_are_still_refused(tmp_path):
    import io
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert office_kind(buffer.getvalue()) is None
    code, [record], _ = run_extract(str(write(tmp_path, "a.zip", buffer.getvalue())))
    assert "ZIP" in record["error"]


def texts(pages):
    return [[line.text for line in page] for page in pages]


def test_running_lines_and_page_numbers_are_dropped():
    pages = [["機關名稱", "正文一", "- 1 -"], ["機關名稱", "正文二", "Page 2 of 3"], ["機關名稱", "正文三", "3/3"]]
    assert texts(drop_running_lines([[Line(t) for t in page] for page in pages])) == [["正文一"], ["正文二"], ["正文三"]]


def test_wrapped_latin_lines_are_joined_with_a_space_and_hyphens_mended():
    lines = [Line("The delegation discussed supply chains and the energy transi-"),
             Line("tion with officials from the ministry in Taipei today, and"),
             Line("signed a memorandum."), Line("A second paragraph starts here.", new_paragraph=True)]
    assert join_wrapped(lines) == [
        "The delegation discussed supply chains and the energy transition with officials from the ministry "
        "in Taipei today, and signed a memorandum.", "A second paragraph starts here."]


@pytest.mark.parametrize("line", ["3", "- 3 -", "第 3 頁", "第3頁，共5頁", "共 5 頁 第 3 頁", "3/5", "Page 3 of 5"])
def test_page_numbers_are_recognised(line):
    assert texts(drop_running_lines([[Line("正文"), Line(line)]])) == [["正文"]]


@pytest.mark.parametrize("line", ["2024/05/16", "113年5月16日", "第3條", "附件1"])
def test_dates_and_other_numbered_lines_are_not_page_numbers(line):
    assert texts(drop_running_lines([[Line("正文"), Line(line)]])) == [["正文", line]]


PRINTED = ROOT / "tests" / "fixtures" / "printed-release.pdf"  # printed-release.html (invented) printed by
# Chromium: `chromium --headless --print-to-pdf=printed-release.pdf printed-release.html`


def test_a_release_printed_by_a_browser_reads_as_its_paragraphs():
    """Browser header and footer (date, page title, URL, page x/y) dropped; paragraphs found by
    their indent and spacing, one cut by the page break rejoined."""
    with Site() as site:
        site.add("/release.pdf", PRINTED.read_bytes(), "application/pdf")
        code, [record], _ = run_extract("--delay", "0", site.url("/release.pdf"))
    assert record["title"] == "陳次長接見日本青年議員訪問團，深化臺日多元合作"
    assert record["published"] == "2025-03-04" and record["url"] == site.url("/release.pdf")
    paragraphs = record["text"].split("\n")
    assert len(paragraphs) == 8 and all(p.endswith("。") for p in paragraphs)
    assert "還將拜會經濟部、數位發展部" in record["text"]  # across the page break
    assert "file://" not in record["text"] and "AM" not in record["text"]
    assert {"陳建宏", "山田太郎", "佐藤花子"} <= {p["name"] for p in record["persons"]}
    assert any(e["type"] == "CONSULT" and "JP" in e["partner_countries"] for e in record["events"])
