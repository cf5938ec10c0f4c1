"""Read bylines, datelines, header dates and outlet names (rules in header.toml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import regex

from .boilerplate import without_bullet
from .rulefiles import bounded_memo, compile_pattern, load_toml, rule_cache

NAME_SPLIT = regex.compile(r"\s*[·,]\s*|\s+")
SEPARATORS = regex.compile(r"[\s/|·:：,=()\[\]<>~\-–—]+")
NUMBER = regex.compile(r"^[\d,.]+(?:면)?$")  # counters, and a print page (`14면`)
SIGNATURE_WORDS = 3  # words an e-mail signature may carry (`◎공감언론 뉴시스 a@b.kr`)
NAME_STOPWORDS = {
    "사진",
    "영상",
    "취재",
    "편집",
    "공동",
    "그래픽",
    "디지털",
    "온라인",
    "뉴스",
    "전문",
}


@dataclass
class HeaderFacts:
    """What one header, byline or signature line says."""

    authors: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    outlet: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.authors or self.emails or self.published or self.modified or self.outlet)


def iso_datetime(m: regex.Match) -> str:
    """ISO 8601 text of a ``date_pattern`` match."""
    value = f"{int(m['y']):04d}-{int(m['m']):02d}-{int(m['d']):02d}"
    if m["H"] is None:
        return value
    hour = int(m["H"])
    if (m["ampm"] or "").lower() in {"오후", "pm"} and hour < 12:
        hour += 12
    value += f"T{hour:02d}:{m['M']}"
    if m["S"]:
        value += f":{m['S']}"
    return value


def is_real_date(m: regex.Match) -> bool:
    """A ``date_pattern`` match that names a day and time that exist."""
    try:
        datetime.fromisoformat(iso_datetime(m))
    except ValueError:
        return False
    return True


def split_names(names: str) -> list[str]:
    found = [n for n in NAME_SPLIT.split(names.strip()) if n]
    return [n for n in found if n not in NAME_STOPWORDS]


class HeaderRules:
    """Compiled header.toml: parses header lines into ``HeaderFacts``."""

    def __init__(self, data: dict) -> None:
        where = "header.toml"
        words = "|".join(sorted(map(regex.escape, data["reporter_words"]), key=len, reverse=True))
        prefixes = "|".join(map(regex.escape, data["reporter_prefixes"]))
        names = r"(?P<names>[가-힣]{2,4}(?:\s*[·,]\s*[가-힣]{2,4})*)"
        self.reporter = regex.compile(rf"{names}\s*(?:{words})(?![가-힣])")
        self.prefixed = regex.compile(rf"(?:{prefixes})\s+(?P<names>[가-힣]{{2,4}})(?![가-힣])")
        self.date = compile_pattern(data["date_pattern"], where)
        self.email = compile_pattern(data["email_pattern"], where)
        self.published_labels = tuple(data["published_labels"])
        self.modified_labels = tuple(data["modified_labels"])
        labels = sorted(self.published_labels + self.modified_labels, key=len, reverse=True)
        self.label = regex.compile("|".join(map(regex.escape, labels)))
        self.datelines = [compile_pattern(p, where) for p in data["datelines"]]
        self.outlet_lines = [compile_pattern(p, where) for p in data["outlet_lines"]]
        self.copyright_outlets = [compile_pattern(p, where) for p in data["copyright_outlets"]]
        self.page_titles = [compile_pattern(p, where) for p in data["page_title_patterns"]]
        self.closing = [compile_pattern(p, where) for p in data["closing_lines"]]
        self.programme = [compile_pattern(p, where) for p in data["programme_facts"]]
        self.byline_patterns = [compile_pattern(p, where) for p in data["byline_patterns"]]
        self.photo_credits = [compile_pattern(p, where) for p in data["photo_credits"]]
        self.noise = frozenset(data["byline_noise"])
        self.email_outlets: dict[str, str] = data["email_outlets"]
        self.known_outlets = set(data["known_outlets"]) | set(self.email_outlets.values())
        self.data = data
        self._parsed = bounded_memo(self._parse_line)

    # -- dates ---------------------------------------------------------------
    def dates(self, text: str) -> list[tuple[str, str, int, int]]:
        """(field, iso value, start, end) of every header date in ``text``."""
        found = []
        for m in self.date.finditer(text):
            if not is_real_date(m):
                continue  # `2024.02.30`: a counter or a typo, not a date
            before = text[max(0, m.start() - 12) : m.start()]
            field_name = "date"
            labels = list(self.label.finditer(before))
            if labels:
                word = labels[-1].group()
                field_name = "modified" if word in self.modified_labels else "published"
            found.append((field_name, iso_datetime(m), m.start(), m.end()))
        return found

    # -- whole lines ---------------------------------------------------------
    def parse_line(self, text: str) -> HeaderFacts | None:
        """Facts of a line made only of byline/date/e-mail furniture, else None (remembered)."""
        return self._parsed(text)

    def _parse_line(self, text: str) -> HeaderFacts | None:
        text = without_bullet(text)
        if not text or len(text) > 160 or any(p.match(text) for p in self.photo_credits):
            return None
        for pattern in self.byline_patterns:
            if m := pattern.match(text):
                outlet = m.groupdict().get("outlet")
                return HeaderFacts(authors=split_names(m["names"]), outlet=outlet)
        facts = HeaderFacts()
        rest = text
        for field_name, value, start, end in self.dates(text):
            if field_name == "modified":
                facts.modified = facts.modified or value
            else:
                facts.published = facts.published or value
            rest = rest.replace(text[start:end], " ")
        for m in self.email.finditer(text):
            facts.emails.append(m.group())
            rest = rest.replace(m.group(), " ")
        for pattern in (self.prefixed, self.reporter):
            for m in pattern.finditer(rest):
                facts.authors += [n for n in split_names(m["names"]) if n not in facts.authors]
            rest = pattern.sub(" ", rest)
        rest = self.label.sub(" ", rest)
        leftover = [
            w for w in SEPARATORS.split(rest) if w and w not in self.noise and not NUMBER.match(w)
        ]
        if facts.empty:
            return None
        if not leftover:
            return facts
        if len(leftover) == 1 and len(leftover[0]) <= 20 and (facts.authors or facts.emails):
            facts.outlet = leftover[0]
            return facts
        if facts.emails and not facts.authors and len(leftover) <= SIGNATURE_WORDS:
            return facts  # an e-mail signed with a slogan or a desk
        return None

    def dateline(self, text: str) -> HeaderFacts | None:
        """Outlet and reporters of a dateline opening a paragraph."""
        for pattern in self.datelines:
            m = pattern.match(text.strip())
            if m:
                names = split_names(m["names"])
                outlet = m.groupdict().get("outlet")
                return HeaderFacts(authors=names, outlet=outlet.strip() if outlet else None)
        return None

    def dateline_end(self, text: str) -> int:
        """Length of the dateline opening ``text`` (0 when there is none)."""
        for pattern in self.datelines:
            m = pattern.match(text)
            if m:
                return m.end()
        return 0

    def closing_line(self, text: str) -> HeaderFacts | None:
        """A broadcast sign-off such as ``KBS 뉴스 홍길동입니다.``"""
        for pattern in self.closing:
            m = pattern.match(text.strip())
            if m:
                emails = [e.group() for e in self.email.finditer(text)]
                names = split_names(m["names"])
                return HeaderFacts(authors=names, emails=emails, outlet=m["outlet"])
        return None

    def outlet_line(self, text: str) -> str | None:
        for pattern in self.outlet_lines:
            m = pattern.match(text.strip())
            if m:
                return m["outlet"]
        return None

    def copyright_outlet(self, text: str) -> str | None:
        for pattern in self.copyright_outlets:
            m = pattern.search(text.strip())
            if m and m["outlet"].strip():
                return m["outlet"].strip()
        return None

    def page_title(self, text: str) -> tuple[str, str] | None:
        """(outlet, title) of a browser page title such as ``CWN - 제목``."""
        for pattern in self.page_titles:
            m = pattern.match(text.strip())
            if m:
                return m["outlet"], m["title"]
        return None

    def is_programme_fact(self, text: str) -> bool:
        return any(p.match(text.strip()) for p in self.programme)

    def outlet_of_email(self, email: str) -> str | None:
        domain = email.rsplit("@", 1)[-1].lower()
        for known, outlet in self.email_outlets.items():
            if domain == known or domain.endswith("." + known):
                return outlet
        return None


@rule_cache
def header_rules() -> HeaderRules:
    """The built-in header rules, compiled once per process."""
    return HeaderRules(load_toml("header.toml"))
