"""Bad input never crashes the batch: one error line (or an empty document with a warning)."""
import io
import zipfile

from conftest import run_extract, write

GOOD = "外交部今天接見斯洛伐克國會訪團，雙方就經貿與科研合作交換意見，並同意推動更多交流。\n"


def test_mixed_bad_inputs_do_not_stop_the_batch(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "hello")
    paths = [
        write(tmp_path, "empty.txt", b""),
        write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
        write(tmp_path, "archive.html", buf.getvalue()),
        write(tmp_path, "truncated.html", "<html><head><title>斷掉的頁面</title></head><body><p>" + GOOD[:30]),
        write(tmp_path, "good.txt", GOOD),
        write(tmp_path, "garbage.md", bytes(range(1, 256)) * 50),
    ]
    code, records, err = run_extract(*map(str, paths))
    assert code == 0
    by_name = {r["path"].rsplit("/", 1)[-1]: r for r in records}
    assert by_name["empty.txt"]["error"] == "empty file"
    assert "PNG" in by_name["image.txt"]["error"]
    assert "ZIP" in by_name["archive.html"]["error"]
    assert "error" not in by_name["truncated.html"]
    assert "error" in by_name["garbage.md"]
    assert "雙方就經貿與科研合作交換意見" in by_name["good.txt"]["text"]
    assert len(err.strip().splitlines()) >= 4 and "Traceback" not in err


def test_large_file_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.seek(50_000_000)
        f.write(b"x")
    code, [rec], err = run_extract(str(big))
    assert code == 1
    assert "50.0 MB" in rec["error"] and "--max-mb" in rec["error"]
    assert err.count("\n") == 1


def test_undecodable_bytes_in_html_suffix(tmp_path):
    code, [rec], _ = run_extract(str(write(tmp_path, "x.html", b"\xff\xfe\x00" * 3)))
    assert code == 1 and "error" in rec
