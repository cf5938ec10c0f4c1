"""People: named persons with their titles, affiliation, aliases and role."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import regex

from pipeline.article import Article, per_article
from pipeline.rulefiles import bounded_memo, rule_cache
from pipeline.tables import SPAN

from .base import Row, register
from .entity_ids import entity_id
from .lexicon import Lexicon, lexicon
from .rules import patterns, rules, word_set
from .text import Segment, Word, dateline_spans, segments

HANGUL = regex.compile(r"^[가-힣]+$")
HANGUL_RUN = regex.compile(r"[가-힣]+")
DIGIT = regex.compile(r"\d")
BRACKETED = regex.compile(r"\([^)]*\)")
ADMIN_SUFFIXES = "시군구도"
MAX_FOREIGN_WORDS = 3
# Particles after a name in a person's place: subject, object, genitive, with, to.
PERSON_PARTICLES = ("JKS", "JX", "JKO", "JKG", "JC")
PERSON_ADVERBIAL = ("와", "과", "에게", "에게서", "한테", "께")  # not 에서, 에, 로: places do
QUOTE_MARKS = "'\"‘’“”「」『』"


@dataclass
class Mention:
    text: str
    start: int
    end: int
    segment: Segment | None


@dataclass
class Person:
    """One person of an article; ``name`` is the fullest written form."""

    name: str
    titles: list[str] = field(default_factory=list)
    affiliation: str | None = None
    aliases: list[str] = field(default_factory=list)
    role: str = "subject"
    mentions: list[Mention] = field(default_factory=list)
    rule: str = ""

    @property
    def surname(self) -> str:
        return self.name.split()[-1] if " " in self.name else self.name[0]

    def add_title(self, title: str) -> None:
        if title and title not in self.titles:
            self.titles.append(title)

    def forms(self) -> list[str]:
        return [self.name, *self.aliases]


@dataclass
class Candidate:
    """A name found next to a title, before merging."""

    name: str
    title: str
    affiliation: str | None
    start: int
    end: int
    segment: Segment | None
    rule: str = ""


class PeopleFinder:
    """Finds persons in segments using the title, surname and place lexicons."""

    def __init__(self, lex: Lexicon | None = None) -> None:
        self.lex = lex or lexicon()
        self.not_names = word_set("people", "not_names")
        self.prefix_titles = word_set("people", "prefix_titles")
        self.labels = patterns("people", "label_patterns")
        self.honorifics = patterns("people", "honorific_patterns")
        self.actors = patterns("people", "actor_patterns")
        self.lists = patterns("people", "name_lists")
        self.ages = patterns("people", "age_patterns")
        self.brackets = patterns("people", "bracket_patterns")
        self.spellings = patterns("people", "original_spellings")
        self.turns = patterns("people", "turn_patterns")
        self.place_endings = tuple(rules("people")["place_endings"])
        self.modifiers = word_set("people", "name_modifiers")
        self.workplace_endings = tuple(rules("people")["workplace_endings"])
        self.noun_endings = tuple(rules("people")["noun_endings"])
        self.ambiguous_titles = word_set("people", "ambiguous_titles")
        self.landmark_endings = tuple(rules("people")["landmark_endings"])
        self.member_cues = word_set("organizations", "member_cues")  # `빅플로의 멤버`: a group
        self.foreign_syllables = frozenset(rules("people")["foreign_syllables"])
        self.given_syllables = frozenset(rules("people")["given_name_syllables"])
        self._titles = bounded_memo(self._core_title)  # word core -> title

    # -- word classes ------------------------------------------------------------
    def is_affiliation(self, word: Word) -> bool:
        core = word.core.split("(")[0]
        lex = self.lex
        if not core:
            return False
        if core in lex.countries or core in lex.places or core in lex.orgs:
            return True
        if not HANGUL.match(core) or DIGIT.search(core):
            return True  # Latin acronyms (KT, AI), mixed forms (LG, 3D)
        if core[-1] in ADMIN_SUFFIXES and core[:-1] in lex.places:
            return True  # 충주시, 경기도, 노원구
        suffix = lex.org_suffix(core)
        return bool(suffix and len(core) > len(suffix) + (1 if len(suffix) == 1 else 0))

    def is_korean_name(self, word: Word) -> bool:
        core = word.core
        if not HANGUL.match(core) or core in self.not_names:
            return False
        if self.lex.is_title(core) == core or core in self.lex.group_nouns:
            return False
        surname_first = core[0] in self.lex.surnames or core[:2] in self.lex.surnames
        if not surname_first or not word.morphs:
            return False
        morphs = word.core_morphs
        # One common noun to Kiwi, made of a country or a noun and a suffix (`미국인`,
        # `변호인`); Kiwi reads some names so too (`왕윤종`).
        one_noun = len(core) == 3 and len(morphs) == 1 and morphs[0].tag == "NNG"
        if one_noun and (core[:2] in self.lex.countries or core.endswith(self.noun_endings)):
            return False
        if len(core) == 3 or (len(core) == 4 and core[:2] in self.lex.surnames):
            return not core.endswith(self.workplace_endings)  # `음식점`, `여행사`, `정신과`
        return len(core) == 2 and word.has_tag("NNP")

    def is_foreign_part(self, word: Word) -> bool:
        core = word.core
        title = self.lex.is_title(core)
        return (
            bool(HANGUL.match(core))
            and core not in self.not_names
            and core not in self.modifiers
            and not (title and (title == core or len(title) >= 2))
            and not self.is_affiliation(word)
        )

    def is_proper_name(self, word: Word) -> bool:
        """A Korean name, surname first, that Kiwi reads as one proper noun (``사재혁은``), or
        as a proper noun and pieces (``박/NNP 남/NNG 규/NNG``) where the pieces are syllables
        of given names (``given_name_syllables``)."""
        core = word.core
        if not self.is_korean_name(word) or len(core) < 3 or self.names_a_thing(core):
            return False
        if word.core_start > word.start:
            return False  # `'로기완' 촬영`: a title or a role in quotes
        morphs = word.core_morphs
        first = morphs[0]
        if first.tag != "NNP" or first.start != word.core_start:
            return False
        if first.form == core:
            return True
        if " " in first.form:
            return False  # a part of a longer proper noun (`'진격의 거인'`)
        pieces = all(m.tag in ("NNG", "NNB", "NNP", "MM", "NR") for m in morphs[1:])
        return pieces and self.given_name_shaped(core)

    def given_name_shaped(self, text: str) -> bool:
        """A surname and two syllables of given names (``given_name_syllables``)."""
        return (
            len(text) == 3
            and text[0] in self.lex.surnames
            and all(ch in self.given_syllables for ch in text[1:])
        )

    def name_shaped(self, text: str) -> bool:
        """Three syllables, a surname first, and nothing else the word could be."""
        return len(text) == 3 and text[0] in self.lex.surnames and not self.names_a_thing(text)

    def names_a_thing(self, text: str) -> bool:
        """A place or thing shaped like a name: a place ending (``경주시``, ``경복궁``), a
        loanword syllable (``이케아``, ``로버트``), or a word the lexicons know otherwise."""
        lex = self.lex
        return (
            text.endswith(self.place_endings)
            or any(ch in self.foreign_syllables for ch in text[1:])
            or text in self.not_names
            or text in lex.orgs
            or text in lex.places
            or text in lex.countries
            or bool(lex.is_title(text))
        )

    # -- finding -----------------------------------------------------------------
    def candidates(self, seg: Segment) -> Iterable[Candidate]:
        words = seg.words
        for i, word in enumerate(words):
            title = self._title_of(word)
            if title and i + 1 < len(words) and not word.particle and self._title_of(words[i + 1]):
                continue  # `LG AI연구원 최고AI과학자`: the last title word is the title
            if title and i > 0 and word.core not in self.member_cues:
                found = self._name_before(seg, i, title)
                if found:
                    yield found
            if word.core in self.prefix_titles and i + 1 < len(words):
                nxt = words[i + 1]
                if self.is_korean_name(nxt):
                    yield Candidate(
                        nxt.core,
                        word.core,
                        None,
                        nxt.core_start,
                        nxt.core_end,
                        seg,
                        f"people.toml:prefix_titles:{word.core}",
                    )
        yield from self._foreign_names(seg)
        yield from self._honorific(seg)
        yield from self._speaking_name(seg)
        yield from self._title_then_name(seg)
        yield from self._actors(seg)
        yield from self._listed_names(seg)
        for pattern in self.ages:
            for m in pattern.finditer(seg.text):
                name, start = m["name"], seg.start + m.start("name")
                anonymised = name.endswith("모")  # `김모(45)씨`
                if not anonymised and self.name_shaped(name):  # not `서울(120)`, `금메달(13)`
                    yield Candidate(
                        name, "", None, start, start + len(name), seg, "people.toml:age_patterns"
                    )
        yield from self._bracketed(seg)
        for i, word in enumerate(words):
            if self.is_proper_name(word):
                title = "" if word.particle else self._title_ahead(words, i)
                if not title and word.core.endswith(self.landmark_endings):
                    continue  # `남이섬`, `전라도`, `남대문`: a place, found by its shape alone
                yield self._bare(seg, word, "people.py:proper_name", title)
        for pattern in self.turns:
            if (m := pattern.match(seg.text)) and m["name"] not in self.not_names:
                name, start = m["name"], seg.start + m.start("name")
                if not self.lex.is_title(name):
                    yield Candidate(
                        name, "", None, start, start + len(name), seg, "people.toml:turn_patterns"
                    )
        for pattern in self.labels:
            m = pattern.search(seg.text)
            if m:
                title = m["title"].strip()
                start = seg.start + m.start("name")
                yield Candidate(
                    m["name"],
                    title,
                    None,
                    start,
                    start + len(m["name"]),
                    seg,
                    "people.toml:label_patterns",
                )

    def _bracketed(self, seg: Segment) -> Iterable[Candidate]:
        """``형사합의21부(김민수 부장판사)``, ``(감독 김민수)``: a name and a title in brackets."""
        for pattern in self.brackets:
            for m in pattern.finditer(seg.text):
                name, title = m["name"], m["title"]
                if self.lex.is_title(title) != title or not self.name_shaped(name):
                    continue
                start = seg.start + m.start("name")
                rule = "people.toml:bracket_patterns"
                yield Candidate(name, title, None, start, start + len(name), seg, rule)

    def original_spelling(self, text: str) -> tuple[int, int] | None:
        """Where a name's original spelling in brackets stands at the start of ``text``."""
        for pattern in self.spellings:
            if m := pattern.match(text):
                return m.start("form"), m.end("form")
        return None

    def _title_ahead(self, words: list[Word], index: int) -> str:
        """``배순민 KT 책임감 있는 AI 센터장,``: the title closing the name's phrase."""
        for word in words[index + 1 : index + 7]:
            particle = any(m.tag.startswith("J") for m in word.morphs)
            if particle or word.text.endswith(","):
                return self._title_of(word) or ""
        return ""

    def _foreign_names(self, seg: Segment) -> Iterable[Candidate]:
        """``톰 행크스가``, ``아유브 엘 카자니(25)는``: two to four words that are each one proper
        noun, none a place, country, organisation, title or modifier, where the first is a
        given name (given_names.txt) or the run stands where a person does (``_person_slot``);
        or one proper noun Kiwi knows with a space in it (``존 메이어``)."""
        words = seg.words
        foreign = [self._foreign_word(w) for w in words]  # each word judged once
        i = 0
        while i < len(words):
            run: list[Word] = []
            for j in range(i, min(i + MAX_FOREIGN_WORDS + 1, len(words))):
                word = words[j]
                given = not run and word.core in self.lex.given_names  # `케이티` is not KT here
                if not (given or foreign[j]) or (run and run[-1].particle):
                    break
                run.append(word)
            spaced = run[0].core_morphs[0].form.split() if run else []
            after = words[i + len(run)] if i + len(run) < len(words) else None
            head = (after is not None and self._org_word(after)) or (
                len(run) > 1 and run[-1].core in self.lex.org_suffixes  # `브래번 캐피털`
            )
            # One proper noun over several words: a name Kiwi knows (not `톰슨 로이터 재단`).
            known = 1 < len(spaced) <= len(run) and not head and not self._quoted(run)
            given = (
                len(run) >= 2
                and run[0].core in self.lex.given_names
                and not any(self.is_korean_name(w) for w in run[1:])  # `팀 손흥민`
            )
            placed = len(run) >= 2 and not head and self._person_slot(run, after)
            if known or given or placed:
                run = run[: len(spaced)] if known else run
                name = " ".join(w.core for w in run)
                rule = (
                    "people.py:known_name"
                    if known
                    else "given_names.txt"
                    if given
                    else "people.py:foreign_name"
                )
                yield Candidate(name, "", None, run[0].core_start, run[-1].core_end, seg, rule)
                i += len(run)
            else:
                i += 1

    def _person_slot(self, run: list[Word], after: Word | None) -> bool:
        """Proper nouns stand where a person does: a transliterated word among them, and an
        age or country in brackets, a title, or a subject, object or genitive particle after
        them (``아유브 엘 카자니(25)는``, ``딕 코스톨로 CEO``, ``옌스 헤겔러와``)."""
        foreign = [any(ch in self.foreign_syllables for ch in w.core) for w in run]
        if not any(foreign):
            return False
        if any(self.is_korean_name(w) and not f for w, f in zip(run, foreign, strict=True)):
            return False  # `스포츠 손흥민`: a word and a Korean name
        last = run[-1]
        if self._quoted(run):
            return False
        if not foreign[0] and run[0].core.endswith(self.place_endings):
            return False  # `논현동 플래툰`
        if last.particle.startswith("("):
            return True
        if after is not None and not last.particle and self._title_of(after):
            return True
        after_core = [m for m in last.morphs if m.start >= last.core_end]
        if not after_core:
            return False
        first = after_core[0]
        return first.tag in PERSON_PARTICLES or first.form in PERSON_ADVERBIAL

    def _org_word(self, word: Word) -> bool:
        return bool(self.lex.org_suffix(word.core) or word.core in self.lex.orgs)

    def _quoted(self, run: list[Word]) -> bool:
        """A title in quotes (`'클라우드 아틀라스'에`), not a name."""
        return run[0].core_start > run[0].start or any(q in run[-1].particle for q in QUOTE_MARKS)

    def _foreign_word(self, word: Word) -> bool:
        """One proper noun (and its particles), no place, organisation or title."""
        core, lex = word.core, self.lex
        nouns = [m for m in word.core_morphs if not m.tag.startswith(("J", "S"))]
        if len(nouns) != 1 or nouns[0].tag != "NNP" or core not in nouns[0].form.split():
            return False
        if core in lex.places or core in lex.countries or core in lex.orgs:
            return False
        if lex.org_suffix(core) or core in lex.org_suffixes:  # `알리 익스프레스`
            return False
        return self.is_foreign_part(word)

    def _bare(self, seg: Segment, word: Word, rule: str, title: str = "") -> Candidate:
        return Candidate(word.core, title, None, word.core_start, word.core_end, seg, rule)

    def _title_then_name(self, seg: Segment) -> Iterable[Candidate]:
        """``배우 송중기``, ``래퍼 비비``, ``의원 장제원``: a title word, then a proper noun."""
        words = seg.words
        for i, word in enumerate(words[:-1]):
            nxt = words[i + 1]
            if word.particle or word.core_start > word.start or nxt.core_start > nxt.start:
                continue  # `‘장관 세션’`: a quoted phrase, not a title and a name
            if self.lex.is_title(word.core) != word.core:
                continue
            first = nxt.morphs[0] if nxt.morphs else None
            if first is None or first.tag != "NNP":
                continue
            # A Korean name, or one proper noun of its own (a stage name: `래퍼 비비`).
            whole = first.start == nxt.core_start and first.end == nxt.core_end
            stage = whole and len(nxt.core) >= 2 and self._foreign_word(nxt)
            if self.is_korean_name(nxt) or stage:
                yield self._bare(seg, nxt, f"titles.txt:{word.core} before the name", word.core)

    def characters(self, seg: Segment) -> Iterable[str]:
        """Roles played by an actor (``정겨울(신고은 분)``): no real people."""
        for m in self._actor_matches(seg):
            before = HANGUL_RUN.findall(seg.text[max(0, m.start() - 16) : m.start()])
            if before and self.lex.is_title(before[-1]) == before[-1] and len(before) > 1:
                before.pop()  # `한도윤 검사(박지훈)`: the role's name comes before its title
            if before:
                yield before[-1]

    def _actors(self, seg: Segment) -> Iterable[Candidate]:
        """``정겨울(신고은 분)``, ``유시진 대위(송중기)``: the actor named in brackets."""
        for m in self._actor_matches(seg):
            name, start = m["name"], seg.start + m.start("name")
            rule = "people.toml:actor_patterns"
            yield Candidate(name, "", None, start, start + len(name), seg, rule)

    def _actor_matches(self, seg: Segment) -> Iterable[regex.Match]:
        for pattern in self.actors:
            for m in pattern.finditer(seg.text):
                name = m["name"]
                if name in self.not_names or self.lex.is_title(name) == name:
                    continue
                bare = "분" not in m.group()
                shaped = self.name_shaped(name) and self.given_name_shaped(name)
                if bare and not (shaped and self._tagged(seg, m.start("name"), name)):
                    continue  # `부장(인사팀)`: a department, not an actor
                yield m

    def _tagged(self, seg: Segment, offset: int, text: str, tag: str = "NNP") -> bool:
        """Kiwi reads ``text`` at ``offset`` of the segment as one morpheme of ``tag``."""
        start = seg.start + offset
        return any(
            m.start == start and m.form == text and m.tag == tag
            for w in seg.words
            if w.start <= start < w.end
            for m in w.morphs
        )

    def _listed_names(self, seg: Segment) -> Iterable[Candidate]:
        """``한석규-안효섭-이성경``, ``유승민, 주호영, 윤상현``: a list whose items are mostly
        shaped like Korean names is a list of names."""
        for pattern in self.lists:
            for m in pattern.finditer(seg.text):
                items = [
                    (seg.start + m.start() + x.start(), x.group())
                    for x in HANGUL_RUN.finditer(m.group())
                ]
                tags = {x.start: x.tag for w in seg.words for x in w.morphs}
                shaped = sum(
                    self.name_shaped(text) and tags.get(start) == "NNP" for start, text in items
                )
                if shaped < 2 or 2 * shaped < len(items):
                    continue
                # A title word right before the list is every item's (`극본 강은경, 임혜민`).
                before = HANGUL_RUN.findall(seg.text[max(0, m.start() - 8) : m.start()])
                title = before[-1] if before and self.lex.is_title(before[-1]) == before[-1] else ""
                for start, text in items:
                    if text in self.not_names or self.lex.is_title(text) or text in self.lex.places:
                        continue
                    yield Candidate(
                        text, title, None, start, start + len(text), seg, "people.toml:name_lists"
                    )

    def _speaking_name(self, seg: Segment) -> Iterable[Candidate]:
        """``정하람은 “…”라고 말했다``: a bare Korean name as the subject of a quote."""
        opening = next((i for i, ch in enumerate(seg.text) if ch in '“"'), None)
        if opening is None:
            return
        for word in seg.words:
            if word.end > seg.start + opening:
                break
            tagged = word.morphs and word.morphs[0].tag == "NNP"
            subject = word.particle in ("은", "는", "이", "가", "도")
            if tagged and subject and self.is_korean_name(word) and len(word.core) == 3:
                yield Candidate(
                    word.core,
                    "",
                    None,
                    word.core_start,
                    word.core_end,
                    seg,
                    "people.py:speaking_name",
                )

    def _honorific(self, seg: Segment) -> Iterable[Candidate]:
        """``주민 이정자(68)씨``: the word before the name, if a plain noun, is the role."""
        for pattern in self.honorifics:
            for m in pattern.finditer(seg.text):
                name = m["name"]
                if name.endswith("모") or name in self.not_names or name in self.lex.titles:
                    continue
                start = seg.start + m.start("name")
                before = [w for w in seg.words if w.end <= start]
                role = before[-1].core if before and not before[-1].particle else ""
                if role and not HANGUL.match(role):
                    role = ""
                yield Candidate(
                    name,
                    role,
                    None,
                    start,
                    start + len(name),
                    seg,
                    "people.toml:honorific_patterns",
                )

    def _title_of(self, word: Word) -> str | None:
        """The word as a title (``3차장``, ``정보통신정책실장``), unless it is an organisation
        or one common noun that only ends like a title (``주차장``, ``전통시장``)."""
        title = self._titles(word.core)
        ending = self.lex.is_title(title) if title else None
        if title and ending != title:
            morphs, head = word.core_morphs, title[: -len(ending or "")]
            place = head in self.lex.places or head[:-1] in self.lex.places  # `서울시장`
            if len(morphs) == 1 and morphs[0].tag == "NNG" and not place:
                return None
        return title

    def _core_title(self, core: str) -> str | None:
        title = self.lex.is_title(core) if core else None
        if not title or len(core) > 14:
            return None
        if core != title and (core in self.lex.orgs or self.lex.org_suffix(core)):
            return None
        return core

    def _chunk_before(self, seg: Segment, index: int) -> list[Word]:
        """Words before ``index`` back to a particle, a verb, a number or punctuation."""
        chunk: list[Word] = []
        for word in reversed(seg.words[:index]):
            particle = word.particle
            if particle and not BRACKETED.fullmatch(particle):
                break
            if not word.core:
                break
            adverb = all(m.tag.startswith(("MAG", "MAJ")) for m in word.morphs)
            if word.has_tag("V", "E") or adverb or DIGIT.search(word.core):
                break
            chunk.insert(0, word)
            if word.core_start > word.start:
                break  # the word opens with a quote mark or bracket
            if len(chunk) == 6:
                break
        return chunk

    def _name_before(self, seg: Segment, index: int, title: str) -> Candidate | None:
        chunk = self._chunk_before(seg, index)
        if not chunk:
            return None
        lead = 0
        while lead < len(chunk) and self.is_affiliation(chunk[lead]):
            lead += 1
        rest = chunk[lead:]
        while rest and not rest[0].has_tag("NNP") and not self.is_korean_name(rest[0]):
            rest = rest[1:]  # time words and common nouns before the name (`저녁`)
        if not rest:
            return None
        rest = self._nearest_name(rest)
        korean = self.is_korean_name(rest[0])
        listed = len(rest) > 1 and self.is_korean_name(rest[1])  # `정운찬 고건 이수성 총리`
        if korean and (len(rest) == 1 or listed or not self.is_foreign_part(rest[1])):
            name_words = rest[:1]
        else:
            name_words = []
            for word in rest:
                if not self.is_foreign_part(word) or len(name_words) == MAX_FOREIGN_WORDS:
                    break
                name_words.append(word)
            if not name_words or not name_words[0].has_tag("NNP"):
                return None
            if len(name_words) == 1 and len(name_words[0].core) < 2:
                return None
        ambiguous = title in self.ambiguous_titles  # `위스키 시장`, `송전탑 공사`
        if ambiguous and not (len(name_words) > 1 or self.is_proper_name(name_words[0])):
            return None
        affil_words = chunk[:lead] + rest[len(name_words) :]
        affiliation = " ".join(w.core for w in affil_words) or self._genitive_before(seg, chunk)
        first, last = name_words[0], name_words[-1]
        name = " ".join(w.core for w in name_words)
        rule = f"titles.txt:{self.lex.is_title(title)}"
        return Candidate(name, title, affiliation, first.core_start, last.core_end, seg, rule)

    def _nearest_name(self, rest: list[Word]) -> list[Word]:
        """Skip words before the name that only look like one: ``광주 북구갑 정준호 후보``
        (no name first), ``중도 사퇴한 손경식 전 회장`` (a weak shape, then a proper noun)."""
        names = [
            j for j, w in enumerate(rest) if self.is_korean_name(w) and not self.is_affiliation(w)
        ]
        if not names:
            return rest
        first = rest[0]
        if names[0] > 0 and not any(self._foreign_word(w) for w in rest[: names[0]]):
            return rest[names[0] :]
        weak = first.core_morphs[0].tag != "NNP"
        if names[0] == 0 and weak and len(names) > 1 and self.is_proper_name(rest[names[1]]):
            return rest[names[1] :]
        return rest

    def _genitive_before(self, seg: Segment, chunk: list[Word]) -> str | None:
        """``스탠퍼드대의 제리 카플란 교수``: an organisation in the genitive before the name."""
        idx = seg.words.index(chunk[0])
        if idx and seg.words[idx - 1].particle == "의" and self.is_affiliation(seg.words[idx - 1]):
            return seg.words[idx - 1].core
        return None


def variant_of(a: str, b: str) -> bool:
    """Two spellings of one foreign name (``리시 수낵`` / ``리시 수낙``)."""
    pa, pb = a.split(), b.split()
    if len(pa) < 2 or len(pa) != len(pb) or pa[0] != pb[0]:
        return False
    diffs = [(x, y) for x, y in zip(pa, pb, strict=True) if x != y]
    if len(diffs) != 1:
        return False
    x, y = diffs[0]
    return len(x) == len(y) and sum(c != d for c, d in zip(x, y, strict=True)) == 1


@rule_cache
def people_finder() -> PeopleFinder:
    """The finder of the active rules, built once per process."""
    return PeopleFinder()


@per_article
def find_people(article: Article) -> list[Person]:
    """All persons of an article, authors first."""
    finder = people_finder()
    people: list[Person] = []
    by_name: dict[str, Person] = {}
    for name in article.metadata.authors:
        person = Person(
            name, role="author", affiliation=article.metadata.outlet, rule="header.toml:byline"
        )
        person.add_title(_author_title(article, name))
        people.append(person)
        by_name[name] = person
    segs = segments(article)
    datelines = dateline_spans(article)
    taken: dict[tuple[int, int], Person] = {}  # mention span -> its person
    for seg in segs:
        for cand in finder.candidates(seg):
            if any(s <= cand.start < e for s, e in datelines):
                continue  # `[CWN 소미연 기자]` opens the body but is the byline
            holder = next(
                (p for (s, e), p in taken.items() if s < cand.end and cand.start < e), None
            )
            if holder is not None:  # a span found by two rules: one mention
                if cand.name in holder.forms():
                    holder.add_title(cand.title)
                continue
            person = by_name.get(cand.name) or _variant(people, cand.name)
            if person is None:
                person = Person(cand.name, affiliation=cand.affiliation, rule=cand.rule)
                people.append(person)
                by_name[cand.name] = person
            elif cand.name != person.name and cand.name not in person.aliases:
                person.aliases.append(cand.name)
            person.add_title(cand.title)
            person.affiliation = person.affiliation or cand.affiliation
            person.mentions.append(Mention(cand.name, cand.start, cand.end, seg))
            taken[(cand.start, cand.end)] = person
    _original_spellings(article, people, finder)
    characters = {c for seg in segs for c in finder.characters(seg)}
    people = [p for p in _merge_surnames(people) if p.name not in characters]
    _short_forms(segs, people, finder)
    _bare_mentions(segs, people)
    return people


def _original_spellings(article: Article, people: list[Person], finder: PeopleFinder) -> None:
    """``아베 신조(安倍晋三)``: the bracketed original spelling is a form of the person."""
    raw = article.raw_text
    for person in people:
        for mention in list(person.mentions):
            found = finder.original_spelling(raw[mention.end : mention.end + 40])
            if found is None:
                continue
            start, end = mention.end + found[0], mention.end + found[1]
            form = raw[start:end]
            person.mentions.append(Mention(form, start, end, mention.segment))
            if form not in person.aliases:
                person.aliases.append(form)


def _merge_surnames(people: list[Person]) -> list[Person]:
    """``트럼프 대통령`` after ``도널드 트럼프 미국 대통령``: one person, with an alias."""
    kept = []
    for person in people:
        full = next(
            (p for p in people if " " in p.name and p.name.split()[-1] == person.name), None
        )
        if full is None or " " in person.name or person.role != "subject":
            kept.append(person)
            continue
        for mention in person.mentions:
            title = next((t for t in person.titles), "")
            form = f"{person.name} {title}".strip()
            if form not in full.aliases:
                full.aliases.append(form)
            full.mentions.append(mention)
        for title in person.titles:
            full.add_title(title)
    return kept


def _author_title(article: Article, name: str) -> str:
    line = article.metadata.author_lines.get(name)
    text = article.line(line).text if line else ""
    for prefix in rules("people")["prefix_titles"]:
        if f"{prefix} {name}" in text:
            return prefix
    return "특파원" if "특파원" in text else "기자"


def _variant(people: list[Person], name: str) -> Person | None:
    return next((p for p in people if variant_of(p.name, name)), None)


def _short_forms(segs: list[Segment], people: list[Person], finder: PeopleFinder) -> None:
    """``윤 대통령``, ``수낵 총리``: a surname and a title refer to a person named before."""
    taken = [(m.start, m.end) for p in people for m in p.mentions]
    for seg in segs:
        for word, nxt in zip(seg.words, seg.words[1:], strict=False):
            title = finder._title_of(nxt)
            if not title or word.particle or not HANGUL.match(word.core):
                continue
            if any(s <= word.core_start < e for s, e in taken):
                continue
            person = _resolve_short(people, word.core, title, seg.start)
            if person is None:
                continue
            form = f"{word.core} {nxt.core}"
            if form != person.name and form not in person.aliases:
                person.aliases.append(form)
            # The mention is the name part; the title is the person's, not the name's.
            person.mentions.append(Mention(word.core, word.core_start, word.core_end, seg))


def _resolve_short(people: list[Person], surname: str, title: str, before: int) -> Person | None:
    def has_surname(p: Person) -> bool:
        if " " in p.name:
            return p.name.split()[-1] == surname
        return len(surname) <= 2 and p.name.startswith(surname) and len(p.name) > len(surname)

    same = [p for p in people if has_surname(p) and p.role == "subject"]
    titled = [p for p in same if any(t.endswith(title) or title.endswith(t) for t in p.titles)]
    pool = titled or (same if len(same) == 1 else [])
    return pool[0] if pool else None


def _bare_mentions(segs: list[Segment], people: list[Person]) -> None:
    """Later mentions of a full name without a title, and of a foreign name's last word
    as a word of its own (``레스터는`` after ``앤드루 레스터``), which becomes an alias."""
    seen: dict[int, list[tuple[int, int]]] = {}  # segment start -> its mention spans
    for person in people:
        for m in person.mentions:
            if m.segment is not None:
                seen.setdefault(m.segment.start, []).append((m.start, m.end))

    def add(person: Person, form: str, start: int, end: int, seg: Segment) -> None:
        spans = seen.setdefault(seg.start, [])
        if not any(s < end and start < e for s, e in spans):
            person.mentions.append(Mention(form, start, end, seg))
            spans.append((start, end))
            if form != person.name and form not in person.aliases:
                person.aliases.append(form)

    for person in people:
        pattern = regex.compile(rf"(?<![가-힣]){regex.escape(person.name)}(?![가-힣]{{3}})")
        last = person.name.split()[-1] if " " in person.name else None
        for seg in segs:
            if person.name in seg.text:
                for m in pattern.finditer(seg.text):
                    add(person, person.name, seg.start + m.start(), seg.start + m.end(), seg)
            if last and person.role == "subject" and last in seg.text:
                for word in seg.words:
                    if word.core == last:
                        add(person, last, word.core_start, word.core_end, seg)


@register
class PeopleExtractor:
    """Rows of the ``people`` table: one per person per article."""

    name = "people"
    columns = {
        "entity_id": "str",
        "name": "str",
        "titles": "list",
        "affiliation": "str",
        "aliases": "list",
        "role": "str",
        "n_mentions": "int",
        "rule": "str",
        **SPAN,
    }

    def extract(self, article: Article) -> Iterable[Row]:
        for person in find_people(article):
            first = min(person.mentions, key=lambda m: m.start, default=None)
            line = (
                (article.raw_text.count("\n", 0, first.start) + 1)
                if first
                else (article.metadata.author_lines.get(person.name))
            )
            yield {
                "entity_id": entity_id("person", person.name),
                "name": person.name,
                "titles": person.titles,
                "affiliation": person.affiliation,
                "aliases": person.aliases,
                "role": person.role,
                "n_mentions": max(len(person.mentions), 1),
                "rule": person.rule,
                "raw_line": line,
                "raw_start": first.start if first else None,
                "raw_end": first.end if first else None,
            }
