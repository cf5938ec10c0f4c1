"""An extractor's TOML rule file (patterns, word lists, examples), with users' additions."""

from __future__ import annotations

import regex

from pipeline.rulefiles import compile_pattern, load_toml


def rules(name: str) -> dict:
    """``extractors/<name>.toml`` merged with users' ``<name>.toml`` files."""
    return load_toml(f"{name}.toml")


def patterns(name: str, key: str) -> list[regex.Pattern]:
    """The compiled patterns listed under ``key`` in ``<name>.toml``."""
    return [compile_pattern(p, f"{name}.toml: {key}") for p in rules(name).get(key, [])]


def word_set(name: str, key: str) -> frozenset[str]:
    return frozenset(rules(name).get(key, []))
