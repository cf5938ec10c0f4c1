"""Boilerplate rules (boilerplate.toml) and the line tests the stripper uses."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .rulefiles import RuleFileError, bounded_memo, compile_pattern, load_toml, rule_cache

ZONES = ("header", "body", "tail")
CLOSERS = "\"'”’」』)]>›»"
SENTENCE_END = regex.compile(r"[.!?…。]$")
# Emoji and symbols after a sentence (`…밝혔다. 😀`) do not end it.
TRAILING_SYMBOLS = regex.compile(r"(?:\s*[\p{So}\p{Sk}\uFE0F\u200D])+$")
STATEMENT_END = regex.compile(r"[다요죠]\.$")  # `…기사입니다.`, not `…있다고?`
WORD_SPLIT = regex.compile(r"[\s|/·•,*]+")
HEADING_MARK = regex.compile(r"^[◇◆■□▶●○◎◈▣【\[<〈《]")
# How a text rendering marks list items (inscriptis: `*`, nested `+`; others `-`, `•`).
BULLET = regex.compile(r"^[*+\-•·](?:\s+|$)")


@dataclass(frozen=True)
class Rule:
    """One named kind of page furniture."""

    name: str
    patterns: tuple[regex.Pattern, ...]
    zones: tuple[str, ...] = ZONES
    max_len: int = 10_000
    fragment: bool = False
    ends_article: bool = False
    starts_list: bool = False
    words: frozenset[str] = frozenset()
    in_signature: bool = False
    keep: bool = False

    def matches(self, text: str, zone: str) -> bool:
        if zone not in self.zones or len(text) > self.max_len:
            return False
        if self.fragment and is_sentence_like(text):
            return False
        if self.words and all_words_in(text, self.words):
            return True
        return any(p.search(text) for p in self.patterns)


def all_words_in(text: str, words: frozenset[str]) -> bool:
    """Every word of ``text`` is in ``words`` (numbers and separators aside)."""
    tokens = [t for t in WORD_SPLIT.split(text) if t and not t.isdigit()]
    return bool(tokens) and all(t in words for t in tokens)


def is_sentence_like(text: str) -> bool:
    """A full sentence or paragraph, as opposed to a headline, label or widget."""
    text = text.strip()
    core = TRAILING_SYMBOLS.sub("", text).rstrip(CLOSERS + " ")
    if len(text) < 12 or text.count(" ") < 2 or not core:
        return False
    if SENTENCE_END.search(core):
        return len(text) >= 25 or core.endswith(("다.", "요.", "죠."))
    return len(text) >= 60 and core[-1] in "다요죠"


def is_statement(text: str) -> bool:
    """A full declarative sentence, which a headline or a deck line is not."""
    return is_sentence_like(text) and bool(STATEMENT_END.search(text.strip().rstrip(CLOSERS)))


def ends_sentence(text: str) -> bool:
    """Ends in sentence punctuation, closing marks aside (``기사 함께 보시죠.``)."""
    return bool(SENTENCE_END.search(TRAILING_SYMBOLS.sub("", text.strip()).rstrip(CLOSERS + " ")))


def is_heading(text: str) -> bool:
    return bool(HEADING_MARK.match(text.strip()))


def is_bullet(text: str) -> bool:
    """A rendered list item (``* 정치``, ``+ 제보하기``, ``- 항목``)."""
    return bool(BULLET.match(text.strip()))


def without_bullet(text: str) -> str:
    return BULLET.sub("", text.strip(), count=1).strip()


def parse_rules(data: dict, source: str) -> list[Rule]:
    """Rules from a parsed boilerplate TOML file; malformed entries raise."""
    rules = []
    for index, entry in enumerate(data.get("rule", []), start=1):
        where = f"{source}: rule #{index} ({entry.get('name', '?')})"
        if "name" not in entry or not (entry.get("patterns") or entry.get("words")):
            raise RuleFileError(f"{where}: a rule needs a name and patterns or words")
        zones = tuple(entry.get("zones", ZONES))
        if set(zones) - set(ZONES):
            raise RuleFileError(f"{where}: unknown zone in {zones}")
        rules.append(
            Rule(
                name=entry["name"],
                patterns=tuple(compile_pattern(p, where) for p in entry.get("patterns", [])),
                words=frozenset(entry.get("words", [])),
                in_signature=entry.get("in_signature", False),
                zones=zones,
                max_len=entry.get("max_len", 10_000),
                fragment=entry.get("fragment", False),
                ends_article=entry.get("ends_article", False),
                starts_list=entry.get("starts_list", False),
                keep=entry.get("keep", False),
            )
        )
    return rules


class BoilerplateRules:
    """The ordered rule list; the first rule that matches a line wins."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        self._first_rule = bounded_memo(self._first_rule_of)

    def match(self, text: str, zone: str) -> Rule | None:
        """The first rule that removes ``text`` in ``zone`` (remembered: pages repeat)."""
        return self._first_rule(text, zone)

    def _first_rule_of(self, text: str, zone: str) -> Rule | None:
        """A list item is matched as it stands and without its bullet."""
        forms = {text.strip(), without_bullet(text)}
        return next((r for r in self.rules if any(r.matches(f, zone) for f in forms)), None)


@rule_cache
def boilerplate_rules() -> BoilerplateRules:
    """The built-in rules, compiled once per process."""
    data = load_toml("boilerplate.toml")
    return BoilerplateRules(parse_rules(data, "boilerplate.toml"))
