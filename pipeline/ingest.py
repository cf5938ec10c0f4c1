"""Find raw article files and decode them into NFC text with LF line ends."""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import regex

# Korean sites serve UTF-8 today, CP949 (a superset of EUC-KR) on older pages.
FALLBACK_ENCODINGS = ("utf-8", "cp949")
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class DecodeError(ValueError):
    """The bytes are not text in any encoding a Korean site uses."""


@dataclass(frozen=True)
class RawArticle:
    """One input file: its id, path and decoded text, or why it has none."""

    article_id: str
    source_path: str
    text: str = ""
    encoding: str = ""
    status: str = "ok"  # ok / empty / error
    error: str = ""
    # How to read it: `clean=False` for text that is already clean (all body),
    # `anchor` the publication date to use when the text names none.
    clean: bool = True
    anchor: str | None = None


def discover(folder: Path) -> list[Path]:
    """Every ``*.txt`` below ``folder``, in a stable (path) order."""
    if folder.is_file():
        return [folder]
    return sorted(folder.rglob("*.txt"), key=lambda p: p.relative_to(folder).as_posix())


def article_id_for(path: Path, root: Path) -> str:
    """The path relative to the input folder, without extension, '/'-separated."""
    base = root if root.is_dir() else root.parent
    return path.relative_to(base).with_suffix("").as_posix()


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes to normalised text; returns (text, encoding)."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return normalise(data.decode(encoding)), encoding
    if b"\x00" in data:
        raise DecodeError("binary file (NUL bytes) with no UTF-16 byte-order mark")
    for encoding in FALLBACK_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise DecodeError("binary file (control characters)")
        return normalise(text), encoding
    raise DecodeError("not decodable as UTF-8, UTF-16 or CP949/EUC-KR")


def normalise(text: str) -> str:
    """NFC (so decomposed Hangul becomes syllables) with LF line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


CONTROLS = regex.compile(r"[^\P{Cc}\n\r\t\f\v]")


def _looks_binary(text: str) -> bool:
    """More than 1% control characters (other than line breaks and tabs)."""
    return len(CONTROLS.findall(text)) > max(2, len(text) // 100)


def read_article(path: Path, root: Path) -> RawArticle:
    """Read and decode one file; failures become a status, never an exception."""
    article_id = article_id_for(path, root)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return RawArticle(article_id, str(path), status="error", error=f"cannot read: {exc}")
    return article_from_bytes(data, article_id, str(path))


def article_from_bytes(data: bytes, article_id: str, source_path: str) -> RawArticle:
    """Decode a file's bytes (read here or shipped to another machine)."""
    try:
        text, encoding = decode(data)
    except DecodeError as exc:
        return RawArticle(article_id, source_path, status="error", error=str(exc))
    if not text.strip():
        return RawArticle(article_id, source_path, text, encoding, "empty", "file has no text")
    return RawArticle(article_id, source_path, text, encoding)


def read_folder(folder: Path) -> Iterator[RawArticle]:
    """Stream the articles of a folder one at a time."""
    for path in discover(folder):
        yield read_article(path, folder)
