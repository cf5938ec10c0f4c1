"""Decoding: the encodings Korean sites use, line ends, NFC, bad files."""

from __future__ import annotations

import unicodedata

from pipeline.ingest import discover, read_article

TEXT = "윤석열 대통령은 21일 “AI 안전에 힘쓰겠다”고 말했다.\n둘째 문단이다.\n"


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_cp949_file_is_decoded(tmp_path):
    raw = read_article(write(tmp_path, "a.txt", TEXT.encode("cp949")), tmp_path)
    assert raw.status == "ok" and raw.encoding == "cp949"
    assert raw.text == TEXT


def test_euc_kr_file_is_decoded(tmp_path):
    raw = read_article(write(tmp_path, "a.txt", "정부는 밝혔다.".encode("euc-kr")), tmp_path)
    assert raw.text == "정부는 밝혔다."


def test_utf16_with_bom_is_decoded(tmp_path):
    for codec in ("utf-16", "utf-16-be"):
        data = TEXT.encode(codec)
        if codec == "utf-16-be":
            data = b"\xfe\xff" + data
        raw = read_article(write(tmp_path, f"{codec}.txt", data), tmp_path)
        assert raw.status == "ok", raw.error
        assert raw.text == TEXT


def test_utf8_bom_is_dropped(tmp_path):
    raw = read_article(write(tmp_path, "a.txt", b"\xef\xbb\xbf" + TEXT.encode()), tmp_path)
    assert raw.text == TEXT


def test_nfd_hangul_becomes_syllables(tmp_path):
    decomposed = unicodedata.normalize("NFD", TEXT)
    assert decomposed != TEXT
    raw = read_article(write(tmp_path, "mac.txt", decomposed.encode()), tmp_path)
    assert raw.text == TEXT


def test_crlf_and_cr_become_lf(tmp_path):
    crlf = read_article(write(tmp_path, "w.txt", TEXT.replace("\n", "\r\n").encode()), tmp_path)
    cr = read_article(write(tmp_path, "m.txt", TEXT.replace("\n", "\r").encode()), tmp_path)
    assert crlf.text == TEXT and cr.text == TEXT


def test_empty_and_blank_files_are_empty(tmp_path):
    assert read_article(write(tmp_path, "e.txt", b""), tmp_path).status == "empty"
    assert read_article(write(tmp_path, "b.txt", b" \n\r\n\t"), tmp_path).status == "empty"


def test_binary_file_is_an_error(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    raw = read_article(write(tmp_path, "img.txt", png), tmp_path)
    assert raw.status == "error" and "binary" in raw.error


def test_discover_is_recursive_and_stable(tmp_path):
    for name in ("b.txt", "a/z.txt", "a/b/c.txt", "page.html", "crawl.jsonl", "skip.json", "x.md"):
        write(tmp_path, name, b"x")
    found = [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path)]
    assert found == ["a/b/c.txt", "a/z.txt", "b.txt", "crawl.jsonl", "page.html"]
    assert read_article(tmp_path / "a/b/c.txt", tmp_path).article_id == "a/b/c"
