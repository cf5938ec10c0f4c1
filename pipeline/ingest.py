"""Find article files (text, HTML) and decode them into NFC text with LF line ends.

An HTML page is rendered to text (``pipeline.html.read_page``) and keeps what
its markup says of the article (``RawArticle.markup``). Tables of articles (JSONL,
CSV, Parquet) are read by ``pipeline.article_tables``.
"""

from __future__ import annotations

import codecs
import datetime as dt
import math
import numbers
import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
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
    # Where it came from: `text`, `html` (rendered, with the markup's facts) or `table`.
    source: str = "text"
    url: str | None = None
    markup: Any = None  # pipeline.html.MarkupFacts of an HTML page
    warnings: tuple[str, ...] = ()  # what reading mended (bad bytes, invisible characters)


TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
TABLE_SUFFIXES = (".jsonl", ".csv", ".parquet")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + TABLE_SUFFIXES


def discover(folder: Path) -> list[Path]:
    """Every readable text, HTML or table file below ``folder``, in a stable (path) order."""
    if folder.is_file():
        return [folder]
    return [path for path, problem in scan(folder) if problem is None]


def scan(folder: Path, follow_links: bool = False) -> list[tuple[Path, str | None]]:
    """Every entry below ``folder`` named like an input file, in path order, with why it
    cannot be read (None when it can). Nothing is opened: a FIFO or a device named
    ``*.txt`` is reported, not read; a symbolic link leaving the folder is followed only
    with ``follow_links``; links to folders are not walked."""
    found: list[tuple[Path, str | None]] = []
    for top, dirs, files in os.walk(folder, onerror=None, followlinks=False):
        dirs.sort()
        for name in [*files, *(d for d in dirs if Path(d).suffix.lower() in SUFFIXES)]:
            path = Path(top) / name
            if path.suffix.lower() in SUFFIXES:
                found.append((path, entry_problem(path, folder, follow_links)))
    return sorted(found, key=lambda item: item[0].relative_to(folder).as_posix())


def entry_problem(path: Path, root: Path, follow_links: bool = False) -> str | None:
    """Why ``path`` is not a readable regular file inside ``root``, in a few words; or None."""
    try:
        mode = path.lstat().st_mode
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if stat.S_ISLNK(mode):
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return "a broken symbolic link (or a loop of links)"
        if not follow_links and not target.is_relative_to(root.resolve()):
            return (
                f"a symbolic link out of the input folder (to {target}); --follow-links follows it"
            )
        mode = target.stat().st_mode
    if stat.S_ISDIR(mode):
        return "a folder, not a file"
    if not stat.S_ISREG(mode):
        kind = (
            "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
        )
        return f"not a regular file ({kind}); not opened"
    if not os.access(path, os.R_OK):
        return "cannot read: permission denied"
    return None


def article_id_for(path: Path, root: Path) -> str:
    """The path relative to the input folder, without extension, '/'-separated."""
    base = root if root.is_dir() else root.parent
    return path.relative_to(base).with_suffix("").as_posix()


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes to normalised text; returns (text, encoding)."""
    text, encoding, _ = decode_noting(data)
    return text, encoding


def decode_noting(data: bytes) -> tuple[str, str, list[str]]:
    """Decode bytes to normalised text; returns (text, encoding, what was mended).

    A text with a few stray NUL bytes or bytes that are not UTF-8 is kept, with them
    removed or replaced (U+FFFD) and counted; a file with many is binary.
    """
    notes: list[str] = []
    for bom, encoding in BOMS:
        if data.startswith(bom):
            text, mended = normalised(data.decode(encoding, errors="replace"))
            return text, encoding, mended
    if nul := data.count(b"\x00"):
        if nul * 1000 > len(data):  # more than a stray one in a page
            raise DecodeError("binary file (NUL bytes) with no UTF-16 byte-order mark")
        data = data.replace(b"\x00", b"")
        notes.append(f"{nul} NUL bytes removed")
    for encoding in FALLBACK_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise DecodeError("binary file (control characters)")
        text, mended = normalised(text)
        return text, encoding, notes + mended
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad * 100 <= len(text) and not _looks_binary(text):
        text, mended = normalised(text)
        return text, "utf-8", [*notes, f"{bad} bytes that are not UTF-8 replaced (U+FFFD)", *mended]
    raise DecodeError("not decodable as UTF-8, UTF-16 or CP949/EUC-KR")


# What copied web text carries and a reader does not see: zero-width characters, bidi
# marks, BOMs inside the text, soft hyphens (removed); no-break, ideographic and other
# wide spaces (read as spaces).
INVISIBLE = regex.compile(
    r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)
ODD_SPACES = regex.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")


def normalise(text: str) -> str:
    """NFC (so decomposed Hangul becomes syllables) with LF line ends, invisible characters
    removed and odd spaces as spaces: the raw text every offset refers to."""
    return normalised(text)[0]


def normalised(text: str) -> tuple[str, list[str]]:
    """``normalise``'s text, and what it changed beyond line ends and NFC."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    notes = []
    text, removed = INVISIBLE.subn("", text)
    if removed:
        notes.append(f"{removed} invisible characters removed (zero-width, bidi marks, BOMs)")
    text, spaces = ODD_SPACES.subn(" ", text)
    if spaces:
        notes.append(f"{spaces} no-break or ideographic spaces read as spaces")
    return unicodedata.normalize("NFC", text), notes


CONTROLS = regex.compile(r"[^\P{Cc}\n\r\t\f\v]")


def _looks_binary(text: str) -> bool:
    """More than 1% control characters (other than line breaks and tabs)."""
    return len(CONTROLS.findall(text)) > max(2, len(text) // 100)


def read_article(path: Path, root: Path, article_id: str | None = None) -> RawArticle:
    """Read and decode one text or HTML file; failures become a status, never an exception."""
    article_id = article_id or article_id_for(path, root)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return RawArticle(article_id, str(path), status="error", error=f"cannot read: {exc}")
    if path.suffix.lower() in HTML_SUFFIXES:
        return article_from_html(data, article_id, str(path))
    return article_from_bytes(data, article_id, str(path))


def article_from_bytes(data: bytes, article_id: str, source_path: str) -> RawArticle:
    """Decode a file's bytes (read here or shipped to another machine)."""
    try:
        text, encoding, notes = decode_noting(data)
    except DecodeError as exc:
        return RawArticle(article_id, source_path, status="error", error=str(exc))
    if not text.strip():
        return RawArticle(article_id, source_path, text, encoding, "empty", "file has no text")
    return RawArticle(article_id, source_path, text, encoding, warnings=tuple(notes))


def article_from_html(
    page: bytes | str, article_id: str, source_path: str, url: str | None = None, **given: Any
) -> RawArticle:
    """An HTML page as an article: its rendered text and its markup's facts."""
    from .html import read_page  # lxml and inscriptis load only for HTML input

    encoding = "str"
    if isinstance(page, bytes):
        try:
            page, encoding = decode_html(page)
        except DecodeError as exc:
            error = str(exc)
            return RawArticle(article_id, source_path, status="error", error=error, source="html")
    try:
        text, markup = read_page(page)
        text, notes = normalised(text)
    except Exception as exc:  # noqa: BLE001 - a page lxml or inscriptis cannot read is one error
        error = f"cannot read the HTML: {type(exc).__name__}: {exc}"
        return RawArticle(article_id, source_path, status="error", error=error, source="html")
    url = url or markup.url
    if not text.strip():
        return RawArticle(
            article_id, source_path, text, encoding, "empty", "page has no text",
            source="html", url=url, markup=markup,
        )  # fmt: skip
    return RawArticle(
        article_id, source_path, text, encoding, source="html", url=url, markup=markup,
        warnings=tuple(notes), **given,
    )  # fmt: skip


CP949_NAMES = {"euc-kr": "cp949", "ks_c_5601-1987": "cp949", "x-windows-949": "cp949"}
META_CHARSET = regex.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", regex.I)


def decode_html(data: bytes) -> tuple[str, str]:
    """A page's text: by its byte-order mark, its `<meta charset>`, else as any text file."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    declared = META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        name = CP949_NAMES.get(name, name)
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    text, encoding = decode(data)
    return text, encoding


def iso(value: Any, row: Any) -> str | None:
    """A publication date as ISO text; a value that is not a date raises ValueError.

    A number is a Unix time in seconds (or milliseconds, what JavaScript stores), and a
    time with a zone is read in Korean time."""
    if value is None or value is pd.NaT or isinstance(value, float) and math.isnan(value):
        return None
    try:
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            unit = "ms" if abs(value) > 1e11 else "s"  # JavaScript crawlers store milliseconds
            value = pd.Timestamp(value, unit=unit, tz="UTC")
        stamp = pd.Timestamp(value)
        if stamp is not pd.NaT and stamp.tzinfo is not None:  # `…Z`: in Korean time
            stamp = stamp.tz_convert("Asia/Seoul").tz_localize(None)
        if stamp is not pd.NaT and not 1800 <= stamp.year <= 2200:
            raise ValueError("out of range")
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValueError(f"row {row!r}: published_at {value!r} is not a date") from exc
    if stamp is pd.NaT:
        return None
    has_time = not isinstance(value, dt.date) or isinstance(value, dt.datetime)
    if has_time and (stamp.hour or stamp.minute or stamp.second):
        return stamp.strftime("%Y-%m-%dT%H:%M" + (":%S" if stamp.second else ""))
    return stamp.strftime("%Y-%m-%d")
