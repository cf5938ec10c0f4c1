"""Organisations: gazetteer names, suffix-made names, bracketed short forms, acting cities."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import regex
from spacy.matcher import Matcher

from pipeline.article import Article, per_article
from pipeline.nlp import blank_nlp
from pipeline.rulefiles import load_jsonl, rule_cache
from pipeline.tables import SPAN

from .base import Row, register
from .entity_ids import entity_id
from .lexicon import Lexicon, OrgEntry, lexicon
from .people import find_people, people_finder
from .rules import patterns, rules, word_set
from .text import PUNCT_TAGS, Segment, Word, dateline_spans, segments

MAX_WORDS = 4
TRAILING_PUNCT = ",.:;!?…\"'”’)]"
# Morphemes that may follow a name inside its word: particles, endings, the copula,
# suffixes and punctuation (Kiwi's tags), and the bound noun 측 (`삼성 측은`).
TAIL_TAGS = ("J", "E", "VCP", "XS", *PUNCT_TAGS)
DIGIT = regex.compile(r"\d")


SERIES_TAG = regex.compile(r"^\s*[\[【<〈]\s*[^\]】>〉]{1,20}[\]】>〉]")
LONG_SUFFIX = 3  # `경찰서`, `위원회`, `대학교`: an organisation whatever stands before it


def _tail_only(word: Word, offset: int) -> bool:
    """From raw ``offset`` on, the word holds only particles, endings and punctuation, and
    ``offset`` is where one of Kiwi's morphemes starts (or the word's end)."""
    after = [m for m in word.morphs if m.end > offset]
    if not after:
        return True
    if after[0].start != offset:
        return False
    return all(m.tag.startswith(TAIL_TAGS) or m.form == "측" for m in after)


def _group_name(word: Word, glued: frozenset[str]) -> tuple[int, int]:
    """Raw span of a group's name: through its last morpheme that is no particle or
    ending (``문빈&산하로`` -> ``문빈&산하``), without a particle Kiwi left on an unknown
    proper noun (``아스트로의``, ``아스트로로``)."""
    kept = [m for m in word.morphs if not m.tag.startswith(("J", "E", "SF", "SP", "SS"))]
    if not kept:
        return word.core_start, word.core_end
    end, last = kept[-1].end, kept[-1].form
    if kept[-1].tag == "NNP" and len(last) > 3 and last[-1] in glued:
        end -= 1
    return kept[0].start, end


def squeeze(text: str) -> str:
    """Key form: no white space of any kind (NBSP included)."""
    return "".join(text.split())


def tidy(text: str) -> str:
    """Display form: runs of any white space become one plain space."""
    return " ".join(text.split())


LATIN = regex.compile(r"^[A-Za-z][A-Za-z0-9&.\-]*$")


@dataclass
class OrgMention:
    form: str
    key: str
    type: str
    start: int
    end: int
    segment: Segment
    rule: str = ""


@dataclass
class Organization:
    """One organisation of an article; ``name`` is its fullest written form."""

    key: str
    type: str
    forms: list[str] = field(default_factory=list)
    preferred: str | None = None
    mentions: list[OrgMention] = field(default_factory=list)

    @property
    def name(self) -> str:
        if self.preferred:
            return self.preferred
        hangul = [f for f in self.forms if not LATIN.match(f)]
        return max(hangul or self.forms, key=len)

    @property
    def aliases(self) -> list[str]:
        return [f for f in self.forms if f != self.name]


class OrgFinder:
    """Finds organisation mentions in the segments of an article."""

    def __init__(self, lex: Lexicon | None = None) -> None:
        self.lex = lex or lexicon()
        self.by_key = {squeeze(form): entry for form, entry in self.lex.orgs.items()}
        # Every beginning of a gazetteer name, to stop growing a span that cannot be one.
        self.beginnings = {key[:n] for key in self.by_key for n in range(1, len(key) + 1)}
        self.not_orgs = word_set("organizations", "not_organizations")
        self.standalone = word_set("organizations", "standalone_suffixes")
        self.brackets = patterns("organizations", "bracket_alias")
        data = rules("organizations")
        self.acting_particles = tuple(data["acting_particles"])
        self.acting_suffixes = tuple(sorted(data["acting_suffixes"], key=len, reverse=True))
        self.platforms = frozenset(data["platforms"])
        self.subject_particles = tuple(data["subject_particles"])
        self.acting_followers = frozenset(data["acting_followers"])
        self.units = patterns("organizations", "unit_patterns")
        self.introducers: dict[str, str] = data["introducers"]
        self.member_cues = frozenset(data["member_cues"])
        self.glued = frozenset(data["glued_particles"])
        self.names = people_finder()
        self.acronym_heads = tuple(sorted(data["acronym_heads"], key=len, reverse=True))

    def entry(self, form: str) -> OrgEntry | None:
        return self.by_key.get(squeeze(form))

    def mentions(self, seg: Segment, person_spans: list[tuple[int, int]]) -> list[OrgMention]:
        words = seg.words
        found: list[OrgMention] = []
        i, count = 0, len(words)
        while i < count:
            if not self._may_start(words[i], i + 1 < count):
                i += 1
                continue
            mention, used = self._at(seg, i)
            if mention and not any(s <= mention.start < e for s, e in person_spans):
                mention, used = self._grown(seg, i, mention, used)
                found.append(mention)
                i += used
            else:
                i += 1
        found += self._groups(seg, found, person_spans)
        found += self._bracketed(seg, found)
        return found

    def _groups(
        self, seg: Segment, found: list[OrgMention], person_spans: list[tuple[int, int]]
    ) -> list[OrgMention]:
        """``그룹 아스트로의``, ``일간지 데일리메일``: the name after a noun introducing it."""
        taken = [(m.start, m.end) for m in found] + person_spans
        pairs = list(zip(seg.words, seg.words[1:], strict=False))
        named: list[tuple[Word, str, str]] = []  # (name word, type, rule)
        for word, cue in pairs:  # `빅플로의 멤버`: the name before a member cue
            member = cue.core in self.member_cues and word.particle in ("", "의")
            if member and self._named_group(word):
                named.append((word, "other", f"organizations.toml:member_cues:{cue.core}"))
        for head, word in pairs:
            kind = self.introducers.get(head.core)
            if head.particle or kind is None or not word.morphs:
                continue
            if word.morphs[0].tag in ("NNP", "SL") and not self.lex.is_title(word.core):
                named.append((word, kind, f"organizations.toml:introducers:{head.core}"))
        out = []
        for word, kind, rule in named:
            start, end = _group_name(word, self.glued)
            if end <= start or any(s < end and start < e for s, e in taken):
                continue
            name = seg.text[start - seg.start : end - seg.start]
            out.append(OrgMention(name, squeeze(name), kind, start, end, seg, rule))
        return out

    def _named_group(self, word: Word) -> bool:
        """One proper noun or Latin name that is no place, country or title."""
        morphs = [m for m in word.core_morphs if not m.tag.startswith(("J", *PUNCT_TAGS))]
        if not morphs or morphs[0].tag not in ("NNP", "SL"):
            return False
        core, lex = word.core, self.lex
        place = core in lex.places or core in lex.countries or self._city(core)
        return not (place or lex.is_title(core) or core in self.not_orgs)

    def _grown(
        self, seg: Segment, i: int, mention: OrgMention, used: int
    ) -> tuple[OrgMention, int]:
        """The mention with the unit after it (``수원지법 평택지원``, ``서울중앙지검 조사부``)
        and, for a made name, the place before it (``울산 남부경찰서``)."""
        words = seg.words
        start, end, key = mention.start, mention.end, mention.key
        made = not mention.rule.startswith("organizations.tsv")
        if not words[i + used - 1].particle and i + used < len(words):
            unit = words[i + used]
            if unit.core not in self.not_orgs and any(p.match(unit.core) for p in self.units):
                end, used, key = unit.core_end, used + 1, f"{key} {unit.core}"
        before = words[i - 1] if i else None
        if made and before is not None and not before.particle and before.core in self.lex.places:
            start = before.core_start
        if (start, end) == (mention.start, mention.end):
            return mention, used
        form = tidy(seg.text[start - seg.start : end - seg.start])
        key = squeeze(form) if made else key
        return OrgMention(form, key, mention.type, start, end, seg, mention.rule), used

    def _may_start(self, word: Word, more: bool) -> bool:
        """False when no organisation can start at ``word`` (a quick test before ``_at``):
        a gazetteer name starts with its core (also one Kiwi split: ``국민의힘은``), a made
        name ends with a suffix, and a run of words starts with a proper noun."""
        core = word.core
        if not core:
            return False
        if core in self.beginnings or self.lex.org_suffix(core):
            return True
        return more and not word.particle and word.has_tag("NNP", "SL")

    def _at(self, seg: Segment, i: int) -> tuple[OrgMention | None, int]:
        """The longest organisation starting at word ``i``, and how many words it takes."""
        words = seg.words
        whole = self._whole_word(seg, words[i])
        if whole:
            return whole, 1
        spans = self._spans_from(words, i)
        forms = [span[0].core if len(span) == 1 else self._form(seg, span) for span in spans]
        for span, form in zip(reversed(spans), reversed(forms), strict=True):
            # gazetteer names first, longest first; a one-word form has no space to squeeze
            if entry := self.by_key.get(form) if len(span) == 1 else self.entry(form):
                after = words[i + len(span)] if i + len(span) < len(words) else None
                if not self._acts(form, span[-1], after):
                    return None, 0  # `경기도 수원시에서`, `트위터에 올렸다`: a place, a platform
                start, end = self._edges(span)
                rule = f"organizations.tsv:{entry.name}"
                return OrgMention(form, entry.name, entry.type, start, end, seg, rule), len(span)
        for span, form in zip(reversed(spans), reversed(forms), strict=True):
            if made := self._suffix_org(span):
                (kind, rule), (start, end) = made, self._edges(span)
                return OrgMention(form, squeeze(form), kind, start, end, seg, rule), len(span)
        return None, 0

    def _spans_from(self, words: list[Word], i: int) -> list[list[Word]]:
        """Word runs from ``i`` that may name one organisation (no particle inside)."""
        first = words[i]
        spans = [[first]] if first.core else []
        prefix = ""
        for n in range(2, min(MAX_WORDS, len(words) - i) + 1):
            before, last = words[i + n - 2], words[i + n - 1]
            if before.particle or last.core_start > last.start or not last.core:
                break
            prefix += before.core
            if squeeze(prefix) not in self.beginnings and not all(
                w.has_tag("NNP", "SL") for w in words[i : i + n - 1]
            ):  # a run of proper nouns may name one (`톰슨 로이터 재단`)
                break
            spans.append(words[i : i + n])
        return spans

    @staticmethod
    def _edges(span: list[Word]) -> tuple[int, int]:
        return span[0].core_start, span[-1].core_end

    @staticmethod
    def _form(seg: Segment, span: list[Word]) -> str:
        start, end = span[0].core_start, span[-1].core_end
        return tidy(seg.text[start - seg.start : end - seg.start])

    def _whole_word(self, seg: Segment, word: Word) -> OrgMention | None:
        """A gazetteer name that Kiwi split inside (``국민의힘은`` -> ``국민/의/힘``)."""
        text = word.text[word.core_start - word.start :].rstrip(TRAILING_PUNCT)
        if text == word.core or _tail_only(word, word.core_end):
            return None  # Kiwi kept the name whole: the word-run matching finds it
        for cut in range(len(text), len(word.core), -1):
            form = text[:cut]
            entry = self.entry(form)
            if entry and _tail_only(word, word.core_start + cut):
                return OrgMention(
                    form,
                    entry.name,
                    entry.type,
                    word.core_start,
                    word.core_start + cut,
                    seg,
                    f"organizations.tsv:{entry.name}",
                )
        return None

    def _suffix_org(self, span: list[Word]) -> tuple[str, str] | None:
        """(type, rule) of a proper noun made an organisation by its suffix, else None."""
        lex = self.lex
        last = span[-1]
        core = last.core
        if len(span) > 1:  # `톰슨 로이터 재단`, `LG AI 연구원`
            if core in self.standalone and all(w.has_tag("NNP", "SL") for w in span[:-1]):
                return lex.org_suffixes.get(core, "other"), f"organizations.toml:standalone:{core}"
            suffix = lex.org_suffix(core)
            country = len(span) == 2 and span[0].core in lex.countries
            generic = core in self.not_orgs  # `한국 정부`
            if country and suffix and not generic and lex.org_suffixes[suffix] == "government":
                return "government", f"org_suffixes.tsv:{suffix} after a country"  # `러시아 외무부`
            return None
        suffix = lex.org_suffix(core)
        if not suffix or core in self.not_orgs or lex.is_title(core) == core:
            return None
        stem = core[: -len(suffix)]
        if stem.isdigit() and len(suffix) >= 2:
            return lex.org_suffixes[suffix], f"org_suffixes.tsv:{suffix} after a number"  # `28사단`
        if DIGIT.search(core):
            return None
        if len(suffix) == 1 and len(stem) < 2:
            return None
        if suffix == "부" and self.names.name_shaped(core):
            return None  # `김사부`, `정치부`: a name or a newsroom desk, not a ministry
        # a proper noun opens the word (`필굿뮤직`: one NNP with its head; `슈미트재단`)
        # one of two syllables or more may be inside the proper noun: `해운대` is a place
        cut = last.core_end - len(suffix)
        # `해운대` is a place; `부산외대` and `민주통합당` are one proper noun with a head
        long_head = len(suffix) >= 2 or len(stem) >= 3
        proper = any(
            m.tag == "NNP" and (m.end <= cut or long_head and m.start < cut) for m in last.morphs
        )
        if (
            proper
            or len(suffix) >= LONG_SUFFIX
            or stem in lex.places
            or stem in lex.countries
            or self.entry(stem)
        ):
            return lex.org_suffixes[suffix], f"org_suffixes.tsv:{suffix}"
        return self._acting(last)

    def _acts(self, form: str, last: Word, after: Word | None = None) -> bool:
        """A place or a platform that the gazetteer lists as a body counts as one only
        when it acts: as a subject or topic (``경기도는``, ``트위터는``), or through its
        side or officials (``유튜브 측은``, ``경기도 관계자는``)."""
        lex = self.lex
        place = form in lex.places or form in lex.countries or self._city(form)
        if not place and form not in self.platforms:
            return True
        if not last.particle and after is not None and after.core in self.acting_followers:
            return True
        return last.particle.startswith(self.subject_particles)

    def _city(self, form: str) -> bool:
        """A place and an administrative suffix (``대구시``, ``경기도``, ``성북구``)."""
        return any(
            form.endswith(suffix) and form[: -len(suffix)] in self.lex.places
            for suffix in self.acting_suffixes
        )

    def _acting(self, word: Word) -> tuple[str, str] | None:
        """``부산시는``: a city or province acting as a government."""
        for suffix in self.acting_suffixes:
            stem = word.core[: -len(suffix)]
            acting = word.particle.startswith(self.acting_particles)
            if word.core.endswith(suffix) and stem in self.lex.places and acting:
                return "government", f"organizations.toml:acting_suffixes:{suffix}"
        return None

    def _defined(self, seg: Segment, m: regex.Match) -> OrgMention | None:
        """``기독교복음선교회(이하 JMS)``: one long word ending in a body's head, defined by a
        Latin acronym in brackets, is an organisation."""
        name, alias = m["name"], m["alias"]
        if " " in name or len(name) < 4 or not alias.isupper() or not alias.isascii():
            return None
        head = next((h for h in self.acronym_heads if name.endswith(h)), None)
        if head is None:
            return None
        start = seg.start + m.start("name")
        kind = self.lex.org_suffixes.get(head, "other")
        rule = f"organizations.toml:acronym_heads:{head}"
        return OrgMention(name, squeeze(name), kind, start, start + len(name), seg, rule)

    def _bracketed(self, seg: Segment, found: list[OrgMention]) -> list[OrgMention]:
        """Short forms in brackets: ``경제협력개발기구(OECD)``, ``마이크로소트(MS)``."""
        extra = []
        for pattern in self.brackets:
            for m in pattern.finditer(seg.text):
                alias = m["alias"]
                alias_start = seg.start + m.start("alias")
                before = next((f for f in found if f.end == seg.start + m.end("name")), None)
                known = self.entry(alias)
                if before is None and known is None:
                    before = self._defined(seg, m)
                    if before is not None:
                        extra.append(before)
                if before is None and known is not None:
                    word = next(
                        (w for w in seg.words if w.core_end == seg.start + m.end("name")), None
                    )
                    if word is None or not word.core:
                        continue
                    before = OrgMention(
                        word.core,
                        known.name,
                        known.type,
                        word.core_start,
                        word.core_end,
                        seg,
                        "organizations.toml:bracket_alias",
                    )
                    extra.append(before)
                if before is not None:
                    key = before.key
                    extra.append(
                        OrgMention(
                            alias,
                            key,
                            before.type,
                            alias_start,
                            alias_start + len(alias),
                            seg,
                            "organizations.toml:bracket_alias",
                        )
                    )
        return extra


@rule_cache
def token_matcher() -> tuple[Matcher, dict[str, dict], set[str] | None]:
    """spaCy's Matcher over Kiwi tags, from ``token_patterns.jsonl`` (label ORG), with the
    words one of which must be in a sentence for any pattern to match (None: no such words)."""
    entries = {e["id"]: e for e in load_jsonl("token_patterns.jsonl") if e["label"] == "ORG"}
    matcher = Matcher(blank_nlp().vocab)
    literals: set[str] | None = set()
    for key, entry in entries.items():
        matcher.add(key, [entry["pattern"]])
        needed = _required_words(entry["pattern"])
        literals = None if needed is None or literals is None else literals | needed
    return matcher, entries, literals


def _required_words(pattern: list[dict]) -> set[str] | None:
    """The texts a pattern's first required literal token may have (None if it has none)."""
    for token in pattern:
        if token.get("OP") in ("?", "*"):
            continue
        value = token.get("TEXT", token.get("ORTH"))
        if isinstance(value, str):
            return {value}
        if isinstance(value, dict) and isinstance(value.get("IN"), list):
            return set(value["IN"])
    return None


def pattern_mentions(article: Article) -> list[OrgMention]:
    """Organisations that the token patterns find in the article's doc."""
    if not article.tokens:
        return []
    matcher, entries, literals = token_matcher()
    segs = segments(article)
    found = []
    matches = []
    for seg in segs:  # spaCy's Matcher is slow per token: run it where a pattern can match
        if literals is None or any(word in seg.text for word in literals):
            offset = seg.span.start  # matches count tokens from the span's start
            matches += [(key, offset + s, offset + e) for key, s, e in matcher(seg.span)]
    for match_id, start, end in matches:
        key = article.doc.vocab.strings[match_id]
        first, last = article.doc[start], article.doc[end - 1]
        s, e = first._.raw_start, last._.raw_end
        seg = next((g for g in segs if g.start <= s < g.end), None)
        if seg is None:
            continue
        form = tidy(article.raw_text[s:e])
        rule = f"token_patterns.jsonl:{key}"
        found.append(OrgMention(form, squeeze(form), entries[key]["type"], s, e, seg, rule))
    return _longest(found)


def _longest(mentions: list[OrgMention]) -> list[OrgMention]:
    """Drop matches inside longer ones (``울산 HD FC`` over ``HD FC``)."""
    ordered = sorted(mentions, key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[OrgMention] = []
    for m in ordered:
        if not any(k.start <= m.start and m.end <= k.end for k in kept):
            kept.append(m)
    return kept


@rule_cache
def org_finder() -> OrgFinder:
    """The finder of the active rules, built once per process."""
    return OrgFinder()


@per_article
def find_organizations(article: Article) -> list[Organization]:
    """All organisations of an article, in order of first mention."""
    finder = org_finder()
    person_spans = [(m.start, m.end) for p in find_people(article) for m in p.mentions]
    person_spans += dateline_spans(article)
    by_pattern = pattern_mentions(article)
    blocked = person_spans + [(m.start, m.end) for m in by_pattern]
    orgs: dict[str, Organization] = {}
    # `케이티 루이스 사운더스`: a given name that is also a short form (KT) names the person
    given = {p.name.split()[0] for p in find_people(article) if " " in p.name}
    for seg in segments(article):
        mentions = finder.mentions(seg, blocked) + [m for m in by_pattern if m.segment is seg]
        mentions = [m for m in mentions if not (m.form in given and _short_form(m))]
        tag = SERIES_TAG.match(seg.text) if seg.kind in ("title", "subtitle") else None
        if tag:  # `[자막뉴스] …`: a headline's series tag names no organisation
            mentions = [m for m in mentions if m.start >= seg.start + tag.end()]
        for mention in sorted(mentions, key=lambda m: m.start):
            org = orgs.setdefault(mention.key, Organization(mention.key, mention.type))
            if mention.form not in org.forms:
                org.forms.append(mention.form)
            org.mentions.append(mention)
    for org in orgs.values():
        bracketed = [m for m in org.mentions if LATIN.match(m.form) or len(m.form) < 4]
        if bracketed and len(org.forms) > 1:
            org.preferred = _form_before_bracket(org, article.raw_text)
        head, _, rest = org.name.partition(" ")
        places = finder.lex.countries | finder.lex.places
        if rest and head in places and rest not in org.forms:
            org.forms.append(rest)  # `러시아 외무부` is also `외무부`
    return sorted(orgs.values(), key=lambda o: o.mentions[0].start)


def _short_form(mention: OrgMention) -> bool:
    """A gazetteer alias, not the organisation's own name."""
    return mention.rule.startswith("organizations.tsv") and mention.form != mention.key


def _form_before_bracket(org: Organization, raw: str) -> str | None:
    """The form written right before ``(`` of a short form is the full name."""
    for m in org.mentions:
        if raw[m.end : m.end + 1] == "(" and not LATIN.match(m.form):
            return m.form
    return None


@register
class OrganizationsExtractor:
    """Rows of the ``organizations`` table: one per organisation per article."""

    name = "organizations"
    columns = {
        "entity_id": "str",
        "name": "str",
        "aliases": "list",
        "type": "str",
        "n_mentions": "int",
        "rule": "str",
        **SPAN,
    }

    def extract(self, article: Article) -> Iterable[Row]:
        for org in find_organizations(article):
            first = org.mentions[0]
            yield {
                "entity_id": entity_id("organization", org.name),
                "name": org.name,
                "aliases": org.aliases,
                "type": org.type,
                "n_mentions": len(org.mentions),
                "rule": first.rule,
                "raw_line": first.segment.line,
                "raw_start": first.start,
                "raw_end": first.end,
            }
