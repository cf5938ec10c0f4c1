"""Every example in the built-in rule files holds."""

from __future__ import annotations

import pytest

from pipeline.boilerplate import boilerplate_rules
from pipeline.byline import header_rules
from pipeline.rulefiles import load_toml

RULES = boilerplate_rules()
HEADER = header_rules()
HEADER_DATA = load_toml("header.toml")
RULE_EXAMPLES = [
    (entry["name"], text, should)
    for entry in load_toml("boilerplate.toml")["rule"]
    for should, key in ((True, "match"), (False, "no_match"))
    for text in entry.get(key, [])
]


def test_every_rule_has_an_example():
    for entry in load_toml("boilerplate.toml")["rule"]:
        assert entry.get("match"), f"rule {entry['name']} has no example"


@pytest.mark.parametrize(("name", "text", "should"), RULE_EXAMPLES)
def test_boilerplate_rule_example(name, text, should):
    fires = any(
        rule.matches(text.strip(), zone)
        for rule in RULES.rules
        if rule.name == name
        for zone in rule.zones
    )
    assert fires == should, f"rule {name} {'must' if should else 'must not'} remove {text!r}"


@pytest.mark.parametrize(("text", "value"), HEADER_DATA["date_examples"])
def test_header_date_example(text, value):
    assert HEADER.dates(text)[0][1] == value


@pytest.mark.parametrize(("text", "outlet", "names"), HEADER_DATA["dateline_examples"])
def test_dateline_example(text, outlet, names):
    facts = HEADER.dateline(text)
    assert facts is not None and facts.outlet == outlet
    assert facts.authors == names.split("·")


@pytest.mark.parametrize(("text", "outlet"), HEADER_DATA["copyright_examples"])
def test_copyright_outlet_example(text, outlet):
    assert HEADER.copyright_outlet(text) == outlet


@pytest.mark.parametrize(("text", "outlet", "name"), HEADER_DATA["closing_examples"])
def test_closing_line_example(text, outlet, name):
    facts = HEADER.closing_line(text)
    if not outlet:
        assert facts is None
    else:
        assert facts.outlet == outlet and facts.authors == [name]


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
