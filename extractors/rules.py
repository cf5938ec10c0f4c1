"""Load an extractor's TOML rule file (patterns, word lists, examples)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import regex

from pipeline.rulefiles import RuleFileError, compile_pattern

RULE_DIR = Path(__file__).parent


@cache
def rules(name: str) -> dict:
    """``extractors/<name>.toml``, parsed once per process."""
    path = RULE_DIR / f"{name}.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(f"{path}: {exc}") from exc


def patterns(name: str, key: str) -> list[regex.Pattern]:
    """The compiled patterns listed under ``key`` in ``<name>.toml``."""
    return [compile_pattern(p, f"{name}.toml: {key}") for p in rules(name).get(key, [])]


def word_set(name: str, key: str) -> frozenset[str]:
    return frozenset(rules(name).get(key, []))
