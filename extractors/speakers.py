"""Who says or does something: sentence subjects and what pronouns point to.

Quotes and pledges share this: the subject of a sentence (``윤 대통령은``,
``대통령실은``, ``이들은``) is resolved to a person's canonical name, an
organisation, or a group as written; pronouns point to the last person or
group the article named before them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import regex

from pipeline.article import Article, per_article
from pipeline.rulefiles import rule_cache

from .lexicon import lexicon
from .organizations import find_organizations
from .people import find_people
from .rules import rules
from .text import Segment, Word, segments

SUBJECT_PARTICLES = {"JX": ("은", "는", "도"), "JKS": ("이", "가", "께서")}
COORDINATION = ("과", "와", "및")
DAY_OR_MONTH = regex.compile(r"\d+일|\d+월")
BRACKETED = regex.compile(r"\s*[(（][^)）]*[)）]?$")  # a bracket closing the subject
COUNT = regex.compile(r"^\d+(?:개|곳|명|개국|개사|인)$")


@dataclass
class Speaker:
    """A resolved speaker or actor, with the words that point to it."""

    name: str | None
    text: str | None
    start: int | None = None
    end: int | None = None
    plural: bool = False
    agent: bool = True  # names someone who can speak or commit, not a thing


def is_subject(word: Word) -> bool:
    """Marked as topic or subject: ``대통령은``, ``기업들이``, ``삼성도`` (not ``행정에도``)."""
    return _subject_particle(word) is not None


def _subject_particle(word: Word) -> str | None:
    """The tag of the word's final 은/는/도/이/가, unless another particle precedes it."""
    if not word.particle:
        return None  # nothing follows the core
    morphs = [m for m in word.morphs if not m.tag.startswith(("SF", "SP", "SE"))]
    if len(morphs) < 2 or morphs[-1].start < word.core_end:
        return None
    last, before = morphs[-1], morphs[-2]
    if last.form not in SUBJECT_PARTICLES.get(last.tag, ()) or before.tag.startswith("J"):
        return None
    return last.tag


@per_article
def referents_of(article: Article) -> Referents:
    """The article's referents, built once and shared by quotes and pledges."""
    return Referents(article)


class Referents:
    """People, organisations, roles and groups of one article, by position."""

    def __init__(self, article: Article) -> None:
        # The article's text and segments, not the article: `article.found` holds this
        # object, and a reference back would make a cycle only the collector frees.
        self.raw_text, self.segments = article.raw_text, segments(article)
        self.lex = lexicon()
        data = rules("quotes")
        self.singular = set(data["singular_pronouns"])
        self.plural = set(data["plural_pronouns"])
        self.agent_nouns = tuple(data["agent_nouns"])
        self.group_endings = (*self.lex.group_nouns, "들")
        self.people = find_people(article)
        self.orgs = find_organizations(article)
        self.person_at = [(m.start, m.end, p.name) for p in self.people for m in p.mentions]
        self.org_at = [(m.start, m.end, o.name) for o in self.orgs for m in o.mentions]

    @cached_property
    def events(self) -> list[tuple[int, Speaker]]:
        """People, roles and groups in text order: what a pronoun may point back to."""
        events = [(start, Speaker(name, None, start, end)) for start, end, name in self.person_at]
        for seg in self.segments:
            for word in seg.words:
                if self._is_role(word):
                    events.append((word.core_start, Speaker(word.core, word.core)))
                group = self.group_phrase(seg, word)
                if group:
                    events.append((group.start, group))
        return sorted(events, key=lambda e: e[0])

    def _is_role(self, word: Word) -> bool:
        """A title used alone as a person (``서울시장의 발표``)."""
        core = word.core
        if not core or self.lex.is_title(core) is None or len(core) < 3:
            return False
        if any(s <= word.core_start < e for s, e, _ in self.person_at):
            return False
        return self.lex.is_title(core) != core and core not in self.lex.orgs

    def group_phrase(self, seg: Segment, word: Word) -> Speaker | None:
        """``16개 글로벌 빅테크``: a counted or plural group noun phrase ending at ``word``."""
        core = word.core
        if not core.endswith(self.group_endings):
            return None
        idx = seg.words.index(word)
        words = [word]
        for prev in reversed(seg.words[max(0, idx - 3) : idx]):
            if prev.particle or not prev.core or prev.core_start > prev.start:
                break
            words.insert(0, prev)
        counted = next((i for i, w in enumerate(words) if COUNT.match(w.core)), None)
        if counted is None:
            return None
        words = words[counted:]
        start, end = words[0].core_start, words[-1].core_end
        text = self.raw_text[start:end]
        return Speaker(text, text, start, end, plural=True)

    # -- resolution --------------------------------------------------------------
    def main_subject(self, seg: Segment, masked: list[tuple[int, int]] = ()) -> Speaker | None:
        """The agent topic nearest the predicate (``그는 …답했다``; not ``…할 때는``)."""
        words = outside(seg.words, list(masked))
        for i in reversed(range(len(words))):
            if not (words[i].core and is_topic(words[i])):
                continue
            speaker = self.resolve(chunk_ending_at(words, i), seg)
            if speaker.agent and speaker.name:
                return speaker
        return None

    def last_before(self, position: int, plural: bool) -> Speaker | None:
        found = None
        for start, speaker in self.events:
            if start >= position:
                break
            if speaker.plural == plural or (plural and speaker.name and "과 " in speaker.name):
                found = speaker
        return found

    def resolve(self, words: list[Word], seg: Segment) -> Speaker:
        """The speaker a subject chunk names."""
        start, end = words[0].core_start, words[-1].core_end
        text_with_particle = self.raw_text[start : words[-1].end].rstrip(",.")
        core_text = self.raw_text[start:end]
        if core_text in self.singular or words[-1].core in self.singular:
            previous = self.last_before(start, plural=False)
            return Speaker(previous.name if previous else None, text_with_particle, start, end)
        if core_text in self.plural or words[-1].core in self.plural:
            previous = self.last_before(start, plural=True)
            return Speaker(
                previous.name if previous else None, text_with_particle, start, end, plural=True
            )
        people = {name for s, e, name in self.person_at if start <= s < end}
        coordinated = any(w.particle in COORDINATION for w in words[:-1])
        if len(people) == 1 and not coordinated:
            return Speaker(people.pop(), text_with_particle, start, end)
        # `남만중(임혁 분)은`: the actor in brackets is not part of the speaker's name.
        core_text = BRACKETED.sub("", core_text).strip() or core_text
        if not people and (person := self.person_named(core_text)):
            return Speaker(person, text_with_particle, start, end)
        agent = bool(people) or self._is_agent(words[-1], start, end)
        return Speaker(core_text, text_with_particle, start, end, coordinated, agent)

    def person_named(self, text: str) -> str | None:
        """The article's person that ``text`` names: a full name, an alias, or a foreign
        name's last word (``레스터`` for ``앤드루 레스터``)."""
        for person in self.people:
            if text in (person.name, *person.aliases) or (
                " " in person.name and text == person.name.split()[-1]
            ):
                return person.name
        return None

    def _is_agent(self, head: Word, start: int, end: int) -> bool:
        """A person, organisation, group or role, as opposed to a thing (``수수료율은``)."""
        core = head.core
        lex = self.lex
        if any(s >= start and e <= end for s, e, _ in self.org_at):
            return True
        if lex.is_title(core) or core in lex.orgs or lex.org_suffix(core):
            return True
        nouns = tuple(lex.group_nouns) + tuple(self.agent_nouns)
        return core.endswith(nouns) or core.rstrip("들").endswith(nouns)


def outside(words: list[Word], masked: list[tuple[int, int]]) -> list[Word]:
    """The words not inside any masked span (quoted speech)."""
    return [w for w in words if not any(s <= w.start < e for s, e in masked)]


def subject_before(
    seg: Segment, position: int, masked: list[tuple[int, int]] = ()
) -> list[Word] | None:
    """The subject chunk of the clause before ``position``: its last word carries 은/는/이/가."""
    words = outside([w for w in seg.words if w.end <= position], list(masked))
    topics = [i for i, w in enumerate(words) if is_subject(w) and is_topic(w) and w.core]
    if topics:
        return chunk_ending_at(words, topics[-1])
    # A plain subject (이/가) governs the quote only when it stands right before it;
    # further back it belongs to an embedded clause (`시민들이 … 할 수 있도록`).
    near = [i for i, w in enumerate(words) if is_subject(w) and w.core and i >= len(words) - 3]
    return chunk_ending_at(words, near[-1]) if near else None


def is_topic(word: Word) -> bool:
    """Marked with 은/는/도: the main clause's subject in news prose."""
    return _subject_particle(word) == "JX"


def subject_after(
    seg: Segment, position: int, masked: list[tuple[int, int]] = ()
) -> list[Word] | None:
    """``“…”라고 김 장관은 말했다``: the subject after a quote."""
    words = outside([w for w in seg.words if w.start >= position], list(masked))
    for i, word in enumerate(words):
        if is_subject(word) and word.core:
            return chunk_ending_at(words, i)
        if word.has_tag("VV", "XSV") and i > 0:
            return None
    return None


@rule_cache
def subject_stops() -> frozenset[str]:
    """Words that open a sentence but are not part of its subject (quotes.toml)."""
    return frozenset(rules("quotes")["subject_stops"])


def chunk_ending_at(words: list[Word], i: int) -> list[Word]:
    """The noun phrase ending at ``words[i]``: back over particle-less or coordinated words."""
    chunk = [words[i]]
    for j in range(i - 1, max(-1, i - 8), -1):
        word = words[j]
        adverb = all(m.tag.startswith(("MAG", "MAJ")) for m in word.morphs)
        if not word.core or adverb or word.has_tag("VV", "VA", "XSV", "EC", "EF", "ETM"):
            break
        if word.core in subject_stops():
            break
        if (
            word.particle
            and word.particle not in COORDINATION
            and not word.particle.startswith("(")
        ):
            break
        if DAY_OR_MONTH.search(word.core):
            break
        chunk.insert(0, word)
        if word.core_start > word.start:
            break
    return chunk
