"""Every example in the built-in rule files holds."""

from __future__ import annotations

import pytest

from extractors.examples import collect
from pipeline.byline import header_rules
from pipeline.rulefiles import builtin_files, load_toml

HEADER = header_rules()
EXAMPLES = collect()


def test_every_rule_has_an_example():
    for entry in load_toml("boilerplate.toml")["rule"]:
        assert entry.get("match"), f"rule {entry['name']} has no example"


def test_every_rule_file_carries_examples():
    files = {example.file.name for example in EXAMPLES}
    assert files == set(builtin_files()), set(builtin_files()) - files


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"{e.file.name}:{e.line}")
def test_rule_file_example(example):
    got = example.check()
    assert got is None, f"{example.where}: {example.text!r} wants {example.expected}, got {got}"


@pytest.mark.parametrize(
    ("line", "authors", "emails", "published"),
    [
        ("시민기자 김경희", ["김경희"], [], None),
        ("소미연 기자 / 기사승인 : 2024-05-22 14:00:30", ["소미연"], [], "2024-05-22T14:00:30"),
        ("박지성 기자 jisung@etnews.com", ["박지성"], ["jisung@etnews.com"], None),
        ("머니S 한승우 기자 | 2024-09-10 10:15", ["한승우"], [], "2024-09-10T10:15"),
        ("워싱턴=정민혁 특파원", ["정민혁"], [], None),
        ("김철수·이영희 기자", ["김철수", "이영희"], [], None),
    ],
)
def test_byline_lines(line, authors, emails, published):
    facts = HEADER.parse_line(line)
    assert facts is not None
    assert (facts.authors, facts.emails, facts.published) == (authors, emails, published)


@pytest.mark.parametrize(
    "line", ["기자들이 현장에 몰렸다.", "김철수 기자의 현장 취재기 연재를 시작합니다"]
)
def test_sentences_mentioning_reporters_are_not_bylines(line):
    assert HEADER.parse_line(line) is None
