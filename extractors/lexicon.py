"""Word lists and gazetteers under ``extractors/lexicons/``, loaded once per process.

Plain lists (``*.txt``) hold one entry per line; ``#`` starts a comment. Tables
(``*.tsv``) have a header line and tab-separated columns. Users add entries in
their own rule folders with the same file names (see ``add_folder``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.rulefiles import LEXICON_DIR, bounded_memo, rule_cache, user_folders


def read_list(path: Path) -> list[str]:
    """Entries of a one-per-line word list."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            entries.append(line)
    return entries


def read_table(path: Path) -> list[dict[str, str]]:
    """Rows of a tab-separated table with a header line."""
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    reader = csv.DictReader([ln for ln in lines if ln.strip()], delimiter="\t")
    return [{k: (v or "").strip() for k, v in row.items()} for row in reader]


@dataclass(frozen=True)
class OrgEntry:
    """A gazetteer organisation: canonical name, type and known short forms."""

    name: str
    type: str
    aliases: tuple[str, ...] = ()


@dataclass
class Lexicon:
    """Every word list the extractors use."""

    titles: set[str] = field(default_factory=set)
    surnames: set[str] = field(default_factory=set)
    given_names: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    group_nouns: set[str] = field(default_factory=set)
    speech_verbs: set[str] = field(default_factory=set)
    org_suffixes: dict[str, str] = field(default_factory=dict)
    orgs: dict[str, OrgEntry] = field(default_factory=dict)  # any form -> entry

    def __post_init__(self) -> None:
        self._title_of = bounded_memo(self._ending_title)
        self._suffix_of = bounded_memo(self._ending_suffix)

    def add_folder(self, folder: Path) -> None:
        """Add the entries of every lexicon file found in ``folder``."""
        self._title_of.cache_clear()
        self._suffix_of.cache_clear()
        lists = ("titles", "surnames", "given_names", "countries", "places", "group_nouns")
        for name in (*lists, "speech_verbs"):
            path = folder / f"{name}.txt"
            if path.exists():
                getattr(self, name).update(read_list(path))
        if (path := folder / "org_suffixes.tsv").exists():
            self.org_suffixes.update({r["suffix"]: r["type"] for r in read_table(path)})
        if (path := folder / "organizations.tsv").exists():
            for row in read_table(path):
                aliases = tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip())
                entry = OrgEntry(row["name"], row["type"], aliases)
                for form in (entry.name, *aliases):
                    self.orgs.setdefault(form, entry)

    def is_title(self, word: str) -> str | None:
        """The lexicon title that ``word`` ends with (``정보통신정책실장`` -> ``실장``)."""
        return self._title_of(word)

    def org_suffix(self, word: str) -> str | None:
        """The organisation suffix ``word`` ends with, longest first."""
        return self._suffix_of(word)

    def _ending_title(self, word: str) -> str | None:
        ends = (word[-n:] for n in range(min(len(word), 8), 0, -1))
        return next((end for end in ends if end in self.titles), None)

    def _ending_suffix(self, word: str) -> str | None:
        ends = (word[-n:] for n in range(min(len(word) - 1, 6), 0, -1))
        return next((end for end in ends if end in self.org_suffixes), None)


@rule_cache
def lexicon() -> Lexicon:
    """The built-in lexicons, with the entries of users' rule folders added."""
    lex = Lexicon()
    for folder in (LEXICON_DIR, *user_folders()):
        lex.add_folder(folder)
    return lex
