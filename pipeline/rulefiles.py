"""The rule files: built-in ones next to the code, plus users' rule folders on top.

A rule folder holds files named like the built-in ones (``titles.txt``,
``organizations.tsv``, ``people.toml``, ``boilerplate.toml`` ...). Its entries
are added to the built-in ones: word lists and table rows are appended, TOML
lists extended (boilerplate rules go first, so a user's rule wins) and TOML
tables updated. ``use_rule_folders`` checks every file before any article is
processed and raises ``RuleFileError`` naming the file, line and reason.
"""

from __future__ import annotations

import copy
import hashlib
import json
import tomllib
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import regex

from pipeline.rule_schema import did_you_mean, problems

PIPELINE_DIR = Path(__file__).parent
EXTRACTORS_DIR = PIPELINE_DIR.parent / "extractors"
LEXICON_DIR = EXTRACTORS_DIR / "lexicons"
RULE_SUFFIXES = {".toml", ".txt", ".tsv", ".jsonl"}
# Keys whose strings (or lists of strings) are regular expressions.
PATTERN_KEYS = {
    "patterns", "date_pattern", "email_pattern", "datelines", "outlet_lines",
    "copyright_outlets", "page_title_patterns", "closing_lines", "programme_facts",
    "label_patterns", "honorific_patterns", "bracket_alias", "commitment_endings",
    "reported_cues", "byline_patterns", "photo_credits", "actor_patterns", "name_lists",
    "age_patterns", "unit_patterns",
}  # fmt: skip

_user_folders: list[Path] = []
_caches: list[Any] = []


class RuleFileError(ValueError):
    """A rule file is malformed; the message names the file, line and reason."""


MEMO_SIZE = 100_000  # results a per-text memo keeps


def bounded_memo(fn: Callable) -> Callable:
    """``fn`` remembering its last ``MEMO_SIZE`` results: page furniture and words repeat,
    but a crawl's lines and vocabulary are unbounded, so the memo must be too."""
    return lru_cache(maxsize=MEMO_SIZE)(fn)


def rule_cache(fn: Callable) -> Callable:
    """``functools.cache`` that is emptied when the active rule folders change."""
    cached = cache(fn)
    _caches.append(cached)
    return cached


def builtin_files() -> dict[str, Path]:
    """File name -> built-in path, for every rule and lexicon file that ships."""
    files: dict[str, Path] = {}
    for folder in (PIPELINE_DIR, EXTRACTORS_DIR, LEXICON_DIR):
        for path in sorted(folder.iterdir()):
            if path.suffix in RULE_SUFFIXES and path.is_file():
                files[path.name] = path
    return files


def user_folders() -> list[Path]:
    return list(_user_folders)


def use_rule_folders(folders: Iterable[Path]) -> None:
    """Activate users' rule folders (after checking them) on top of the built-in rules."""
    folders = [Path(f) for f in folders]
    for folder in folders:
        validate_folder(folder)
    _user_folders[:] = folders
    for cached in _caches:
        cached.cache_clear()


def files_named(name: str) -> list[Path]:
    """The built-in file of that name (if any) and the users' files of that name."""
    paths = [p] if (p := builtin_files().get(name)) else []
    return paths + [f / name for f in _user_folders if (f / name).is_file()]


def read_text(path: Path) -> str:
    """A rule file's text; one that is not UTF-8 is a ``RuleFileError`` naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        message = f"{path}:{line}: not UTF-8 (byte {exc.start}); save it as UTF-8"
        raise RuleFileError(message) from exc


TOML_AT = regex.compile(r"\(at line (\d+), column \d+\)")


def parse_toml(path: Path) -> dict:
    text = read_text(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = TOML_AT.search(message)
        line = int(at.group(1)) if at else text.rstrip("\n").count("\n") + 1  # at the end
        reason = TOML_AT.sub("", message).replace("(at end of document)", "").strip()
        raise RuleFileError(f"{path}:{line}: {reason}") from exc


@rule_cache
def load_toml(name: str) -> dict:
    """A TOML rule file: the built-in one merged with the users' files of that name."""
    paths = files_named(name)
    merged = copy.deepcopy(parse_toml(paths[0])) if paths else {}
    for path in paths[1:]:
        merge(merged, parse_toml(path))
    return merged


def merge(base: dict, extra: dict) -> None:
    """Add a user's TOML entries to the built-in ones."""
    for key, value in extra.items():
        current = base.get(key)
        if isinstance(current, list) and isinstance(value, list):
            if key == "rule":  # a user's boilerplate rule is tried first
                base[key] = value + current
            else:
                base[key] = current + [v for v in value if v not in current]
        elif isinstance(current, dict) and isinstance(value, dict):
            merge(current, value)
        else:
            base[key] = value


def compile_pattern(pattern: str, where: str) -> regex.Pattern:
    """Compile one pattern, naming the rule file and rule on failure."""
    try:
        return regex.compile(pattern)
    except regex.error as exc:
        raise RuleFileError(f"{where}: bad pattern {pattern!r}: {exc}") from exc


# -- checking users' files ------------------------------------------------------
def validate_folder(folder: Path) -> None:
    """Check every file of a user's rule folder; raise on the first problem."""
    if not folder.is_dir():
        raise RuleFileError(f"{folder}: not a folder")
    known = builtin_files()
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.name not in known:
            names = ", ".join(sorted(known))
            raise RuleFileError(f"{path}: unknown rule file (known names: {names})")
        validate_file(path, known[path.name])


def validate_file(path: Path, builtin: Path) -> None:
    text = read_text(path)
    if path.suffix == ".toml":
        data = parse_toml(path)
        for key, message in problems(data, builtin)[:1]:
            _fail(path, text, key, message)
        for pattern in patterns_in(data):
            found = pattern[:30] if pattern.strip() else ("''" if "''" in text else '""')
            where = f"{path}:{line_of(text, found)}"
            if not pattern.strip():
                raise RuleFileError(f"{where}: an empty pattern matches every line")
            compile_pattern(pattern, where)
    elif path.suffix == ".tsv":
        _validate_table(path, text, builtin)
    elif path.suffix == ".jsonl":
        for number, entry in enumerate(read_jsonl(path), start=1):
            _validate_token_pattern(path, number, entry)
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(("# example:", "# counter-example:")) and "=>" not in line:
            raise RuleFileError(f"{path}:{number}: an example needs `TEXT => table: value`")


def _fail(path: Path, text: str, key: str, message: str) -> None:
    raise RuleFileError(f"{path}:{line_of(text, key)}: {message}")


def read_jsonl(path: Path) -> list[dict]:
    """Entries of a JSONL rule file (one JSON object a line; blank lines skipped)."""
    entries = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RuleFileError(f"{path}:{number}: not JSON: {exc}") from exc
        if not isinstance(entry, dict) or not {"label", "id", "pattern"} <= set(entry):
            raise RuleFileError(f"{path}:{number}: a token pattern needs label, id and pattern")
        entries.append(entry)
    return entries


def load_jsonl(name: str) -> list[dict]:
    """A JSONL rule file: the built-in entries, then the users'."""
    return [entry for path in files_named(name) for entry in read_jsonl(path)]


def _validate_token_pattern(path: Path, number: int, entry: dict) -> None:
    from spacy.matcher import Matcher
    from spacy.vocab import Vocab

    try:
        Matcher(Vocab(), validate=True).add(entry["id"], [entry["pattern"]])
    except (ValueError, TypeError) as exc:
        raise RuleFileError(f"{path}:{number}: bad token pattern {entry['id']!r}: {exc}") from exc


def patterns_in(data: Any, key: str = "") -> Iterable[str]:
    """Every pattern string of a parsed rule file (the values under ``PATTERN_KEYS``)."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from patterns_in(v, k)
    elif isinstance(data, list):
        for item in data:
            yield from patterns_in(item, key)
    elif isinstance(data, str) and key in PATTERN_KEYS:
        yield data


def _validate_table(path: Path, text: str, builtin: Path) -> None:
    header = next(
        ln
        for ln in builtin.read_text(encoding="utf-8").splitlines()
        if ln and not ln.startswith("#")
    )
    width = header.count("\t") + 1
    columns = header.split("\t")
    # A `type` column takes the types the built-in table uses (`compnay` is a typo).
    types = {r["type"] for r in _rows(builtin)} if "type" in columns else set()
    seen_header = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if not seen_header:
            if line != header:
                raise RuleFileError(f"{path}:{number}: the header must be {header!r}")
            seen_header = True
            continue
        if line.count("\t") + 1 != width:
            raise RuleFileError(
                f"{path}:{number}: expected {width} tab-separated columns, "
                f"found {line.count(chr(9)) + 1}"
            )
        if types and (kind := line.split("\t")[columns.index("type")].strip()) not in types:
            raise RuleFileError(
                f"{path}:{number}: unknown type {kind!r}{did_you_mean(kind, types)}"
            )


def _rows(path: Path) -> list[dict[str, str]]:
    lines = [ln for ln in read_text(path).splitlines() if ln.strip() and not ln.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, ln.split("\t"), strict=False)) for ln in lines[1:]]


def line_of(text: str, needle: str) -> int:
    """The 1-based line where ``needle`` first appears (1 when it does not)."""
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else 1


# -- identity of a rule set -----------------------------------------------------------
def rule_files() -> list[Path]:
    """Every active rule and lexicon file, built-in first."""
    files = list(builtin_files().values())
    for folder in _user_folders:
        files += sorted(p for p in folder.iterdir() if p.suffix in RULE_SUFFIXES)
    return files


def rule_set_hash() -> str:
    """A short hash of all active rule files, so two outputs can be told apart."""
    digest = hashlib.sha256()
    for path in rule_files():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
