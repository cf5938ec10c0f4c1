"""Load the TOML rule files that ship next to the code."""

from __future__ import annotations

import hashlib
import tomllib
from functools import cache
from pathlib import Path

import regex

PACKAGE_DIR = Path(__file__).parent


class RuleFileError(ValueError):
    """A rule file is malformed; the message names the file and the reason."""


@cache
def load_toml(name: str) -> dict:
    """A TOML file of this package, parsed once per process."""
    path = PACKAGE_DIR / name
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(f"{path}: {exc}") from exc


def compile_pattern(pattern: str, where: str) -> regex.Pattern:
    """Compile one pattern, naming the rule file and rule on failure."""
    try:
        return regex.compile(pattern)
    except regex.error as exc:
        raise RuleFileError(f"{where}: bad pattern {pattern!r}: {exc}") from exc


def rule_files() -> list[Path]:
    """Every built-in rule and lexicon file, in a stable order."""
    roots = [PACKAGE_DIR, PACKAGE_DIR.parent / "extractors"]
    files = []
    for root in roots:
        files += [p for p in root.rglob("*") if p.suffix in {".toml", ".txt", ".tsv"}]
    return sorted(files)


def rule_set_hash() -> str:
    """A short hash of all active rule files, so two outputs can be told apart."""
    digest = hashlib.sha256()
    for path in rule_files():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
