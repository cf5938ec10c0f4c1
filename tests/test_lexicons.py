"""The lexicon files parse and hold what the extractors rely on."""

from __future__ import annotations

from extractors.lexicon import LEXICON_DIR, read_list, read_table

TYPES = {"government", "company", "international", "research", "university", "media", "other"}


def test_word_lists_have_no_duplicates():
    for path in LEXICON_DIR.glob("*.txt"):
        entries = read_list(path)
        assert entries, path
        assert len(entries) == len(set(entries)), f"{path.name} repeats entries"


def test_organization_table_is_well_formed():
    rows = read_table(LEXICON_DIR / "organizations.tsv")
    assert len(rows) > 400
    forms = [f for r in rows for f in [r["name"], *filter(None, r["aliases"].split("|"))]]
    assert len(forms) == len(set(forms)), "a name or alias points to two organisations"
    assert {r["type"] for r in rows} <= TYPES
    assert {r["type"] for r in read_table(LEXICON_DIR / "org_suffixes.tsv")} <= TYPES


def test_countries_and_places_are_not_organizations():
    orgs = {r["name"] for r in read_table(LEXICON_DIR / "organizations.tsv")}
    countries = set(read_list(LEXICON_DIR / "countries.txt"))
    assert not orgs & countries
