"""Quotes: direct quotations with their speakers and reporting verbs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import regex

from pipeline.article import Article, per_article
from pipeline.rulefiles import rule_cache
from pipeline.tables import SPAN

from .base import Row, register
from .lexicon import lexicon
from .people import find_people, people_finder
from .rules import rules
from .speakers import Referents, Speaker, referents_of, subject_after, subject_before
from .text import Segment, segments, span_row

HEADLINES = ("title", "subtitle", "heading")
LABEL_RULE = "people.toml:label_patterns"
COUNTED_GROUP = regex.compile(r"(?<!\d)\d+\s*(?:곳|개|명|개국|개사)$")


@dataclass
class Quote:
    text: str
    start: int  # inside the marks
    end: int
    segment: Segment
    speaker: Speaker
    verb: str | None
    kind: str = "direct"
    rule: str = ""


@dataclass
class Marked:
    """A quoted span found in a segment (offsets inside the marks)."""

    start: int
    end: int
    close: int  # offset just after the closing mark
    double: bool


class QuoteRules:
    """Compiled ``quotes.toml``."""

    def __init__(self, data: dict) -> None:
        self.data = data
        pairs = [(o, c, True) for o, c in data["double_marks"]]
        pairs += [(o, c, False) for o, c in data["single_marks"]]
        self.loose = frozenset(data["loose_marks"])
        self.marks = [
            (_quoted(o, c), double)
            for o, c, double in pairs
            if not (double and {o, c} <= self.loose)
        ]
        self.loose_marks = [(_quoted(o, c), True) for o, c, _ in pairs if {o, c} <= self.loose]
        self.quotative = tuple(sorted(data["quotative"], key=len, reverse=True))
        self.naming = tuple(data["naming"])

    def spans(self, text: str) -> list[Marked]:
        """Non-overlapping quoted spans, outermost first."""
        found: list[Marked] = []
        loose = [i for i, ch in enumerate(text) if ch in self.loose]
        if len(loose) % 2 == 0:
            pairs = zip(loose[::2], loose[1::2], strict=True)
            found += [Marked(a + 1, b, b + 1, True) for a, b in pairs if b > a + 1]
            marks = self.marks
        else:
            marks = self.loose_marks + self.marks
        for pattern, double in marks:
            for m in pattern.finditer(text):
                if any(f.start - 1 <= m.start() < f.close for f in found):
                    continue
                found.append(Marked(m.start(1), m.end(1), m.end(), double))
        return sorted(found, key=lambda f: f.start)

    def is_speech(self, inner: str, after: str, double: bool) -> bool:
        """Speech, not a quoted name or term."""
        quotative = after.startswith(self.quotative)
        if not double:
            return quotative and not after.startswith(("는", "로", "으로", "란", "라는"))
        words = len(inner.split())
        return quotative or words >= 3 or inner.rstrip().endswith((".", "?", "!", "다"))


def _quoted(opener: str, closer: str) -> regex.Pattern:
    o, c = regex.escape(opener), regex.escape(closer)
    return regex.compile(rf"{o}([^{o}{c}]+){c}")


@rule_cache
def quote_rules() -> QuoteRules:
    return QuoteRules(rules("quotes"))


def _verb_after(seg: Segment, position: int) -> str | None:
    """The reporting verb after the last quote: a listed speech verb, else the first verb."""
    verbs = lexicon().speech_verbs
    after = [w for w in seg.words if w.start >= position]
    surfaces = [w.text.rstrip(".,!?…\"'”’") for w in after]
    listed = next((s for s in surfaces if s in verbs), None)
    if listed:
        return listed
    return next(
        (s for w, s in zip(after, surfaces, strict=True) if w.has_tag("VV", "XSV", "VX")), None
    )


@per_article
def find_quotes(article: Article) -> list[Quote]:
    """Every direct quote of the headline, deck and body."""
    qr = quote_rules()
    referents = referents_of(article)
    labels = people_finder().labels  # compiled once per process, not per article
    people = find_people(article)
    quotes: list[Quote] = []
    previous: Speaker | None = None
    pending_label: Speaker | None = None
    # The previous body sentence (and its quotes), whose topic may speak the next quote.
    last_body: tuple[Segment, list[tuple[int, int]]] | None = None
    for seg in segments(article):
        label = _label_speaker(seg, labels, people)
        marked = _speech_spans(qr, seg)
        if pending_label and not marked and seg.kind == "body":
            start, end = _strip_marks(seg)
            text = article.raw_text[start:end]
            quotes.append(Quote(text, start, end, seg, pending_label, None, rule=LABEL_RULE))
            pending_label = None
            continue
        label = label or pending_label
        pending_label = label if label and not marked else None
        if seg.kind in HEADLINES:
            quotes += _headline_quotes(article, seg, marked, referents)
            continue
        masked = [(seg.start + x.start - 1, seg.start + x.close) for x in marked]
        for m in marked:
            start, end = seg.start + m.start, seg.start + m.end
            if label:
                speaker, how = label, LABEL_RULE
            elif seg.text[m.close :].startswith(qr.naming):
                speaker, how = Speaker(None, None), "quotes.toml:naming"
            else:
                speaker, how = _speaker(seg, m, referents, previous, masked)
                if (
                    speaker.text is None
                    and last_body
                    and _adjacent(last_body[0], seg)
                    and (topic := referents.main_subject(*last_body))
                ):
                    speaker, how = Speaker(topic.name, None), "previous sentence's topic"
            if speaker.name:
                previous = speaker
            last_close = max(x.close for x in marked)
            reported = not label and speaker.name is not None
            verb = _verb_after(seg, seg.start + last_close) if reported else None
            marks = "double_marks" if m.double else "single_marks"
            rule = f"quotes.toml:{marks}; speaker: {how}"
            quotes.append(
                Quote(article.raw_text[start:end], start, end, seg, speaker, verb, rule=rule)
            )
        if seg.kind == "body":
            last_body = (seg, masked)
    return quotes


def _adjacent(before: Segment, seg: Segment) -> bool:
    """The sentence right before, in the same paragraph."""
    return (
        seg.sentence_id is not None
        and before.sentence_id == seg.sentence_id - 1
        and (before.line == seg.line)
    )


def _speech_spans(qr: QuoteRules, seg: Segment) -> list[Marked]:
    """The quoted spans that are speech; a list of quotes (`“…”, “…” 등`) is speech as a
    whole when one of its items is."""
    groups: list[list[Marked]] = []
    for m in qr.spans(seg.text):
        last = groups[-1][-1] if groups else None
        joined = last is not None and last.double == m.double
        if joined and not seg.text[last.close : m.start - 1].strip(", "):
            groups[-1].append(m)
        else:
            groups.append([m])
    return [m for group in groups if any(_speech(qr, seg, x) for x in group) for m in group]


def _speech(qr: QuoteRules, seg: Segment, m: Marked) -> bool:
    inner = seg.text[m.start : m.end]
    after = seg.text[m.close :]
    if seg.kind in HEADLINES:
        return m.double and len(inner.strip()) > 1
    return qr.is_speech(inner, after, m.double) or _ends_sentence(seg, m)


def _ends_sentence(seg: Segment, m: Marked) -> bool:
    """The quoted words end in a sentence ending (``예뻐요``, ``말았어야 한다``): speech."""
    start, end = seg.start + m.start, seg.start + m.end
    morphs = [
        x
        for w in seg.words
        for x in w.morphs
        if start <= x.start and x.end <= end and not x.tag.startswith(("S", "J"))
    ]
    return bool(morphs) and morphs[-1].tag == "EF"


def _speaker(
    seg: Segment,
    m: Marked,
    referents: Referents,
    previous: Speaker | None,
    masked: list[tuple[int, int]],
) -> tuple[Speaker, str]:
    """Subject before the quote, else after it, else the speaker of the words before."""
    opening = seg.start + m.start - 1
    chunk = subject_before(seg, opening, masked)
    if chunk is not None:
        return referents.resolve(chunk, seg), "subject before the quote"
    chunk = subject_after(seg, seg.start + m.close, masked)
    if chunk is not None and (after := referents.resolve(chunk, seg)).agent:
        return after, "subject after the quote"
    if previous is not None:
        return Speaker(previous.name, None, plural=previous.plural), "previous quote's speaker"
    last = referents.last_before(opening, plural=False)
    return Speaker(last.name if last else None, None), "last person named"


def _headline_quotes(
    article: Article, seg: Segment, marked: list[Marked], referents: Referents
) -> list[Quote]:
    """``유상임 과기부 장관, "…"``: the words before the first mark name the speaker."""
    out = []
    first_mark = min(
        (i for i, ch in enumerate(seg.text) if ch in "\"'“”‘’′「"), default=len(seg.text)
    )
    before = seg.text[:first_mark]
    who = before.rstrip(" ,，…·")
    words = seg.words_between(seg.start, seg.start + len(who)) if who else []
    known = _person_by_short_name(who, referents)
    named = bool(words) and (
        known is not None
        or any(seg.start <= s < seg.start + len(who) for s, _, _ in referents.person_at)
        or before.rstrip().endswith((",", "，"))
        and len(words) <= 4
        or COUNTED_GROUP.search(who)
    )
    for m in marked:
        start, end = seg.start + m.start, seg.start + m.end
        if named:
            name = known or referents.resolve(words, seg).name
            speaker = Speaker(name, who, seg.start, seg.start + len(who))
        else:
            speaker = _name_before(seg, m, referents) or Speaker(None, None)
        out.append(
            Quote(
                article.raw_text[start:end],
                start,
                end,
                seg,
                speaker,
                None,
                rule="quotes.toml:double_marks; speaker: headline",
            )
        )
    return out


HEADLINE_WORDS = regex.compile(r"[^\s…·,]+")
NAME_EDGES = "[]()<>“”\"'‘’「」"


def _name_before(seg: Segment, m: Marked, referents: Referents) -> Speaker | None:
    """``…김예령 “감히 거짓말 해?”``, ``아스트로 문빈 사망…"…"``: in a headline, a person's
    name among the last three words before the quote (a known person, or a surname and
    a given name that Kiwi reads as a proper noun) is its speaker."""
    opening = m.start - 1
    before = seg.text[:opening]
    quoted = [(q.start(), q.end()) for q in regex.finditer(r"[‘'\"“\[(].*?[’'\"”\])]", before)]
    words = [
        w for w in HEADLINE_WORDS.finditer(before) if not any(a <= w.start() < b for a, b in quoted)
    ]
    for w in reversed(words[-3:]):
        word = w.group().strip(NAME_EDGES)
        start = seg.start + w.start() + w.group().find(word)
        known = _person_by_short_name(word, referents)
        if known or _looks_like_name(word, seg, start, referents):
            return Speaker(known or word, word, start, start + len(word))
    return None


def _looks_like_name(word: str, seg: Segment, start: int, referents: Referents) -> bool:
    if not (2 <= len(word) <= 4 and all("가" <= ch <= "힣" for ch in word)):
        return False
    if not any(word.startswith(s) and len(word) > len(s) for s in referents.lex.surnames):
        return False
    first = next((x for w in seg.words for x in w.morphs if x.start == start), None)
    return first is not None and first.tag == "NNP"


def _person_by_short_name(who: str, referents: Referents) -> str | None:
    """``마크롱 "…"`` in a headline: a known person's surname or name alone."""
    for person in referents.people:
        if who in (person.name, person.name.split()[-1], *person.aliases):
            return person.name
    return None


def _label_speaker(seg: Segment, labels, people) -> Speaker | None:
    """A broadcast sound-bite label (``▶ 인터뷰 : 박정호 / 급수부장``) names the speaker."""
    for pattern in labels:
        m = pattern.search(seg.text)
        if m:
            name = m["name"]
            known = next((p.name for p in people if p.name == name), name)
            return Speaker(known, None)
    return None


def _strip_marks(seg: Segment) -> tuple[int, int]:
    text = seg.text
    lead = len(text) - len(text.lstrip("\"'“‘「 "))
    trail = len(text) - len(text.rstrip("\"'”’」 "))
    return seg.start + lead, seg.end - trail


@register
class QuotesExtractor:
    """Rows of the ``quotes`` table: one per direct quotation."""

    name = "quotes"
    columns = {
        "quote_id": "int",
        "sentence_id": "int",
        "text": "str",
        "speaker": "str",
        "speaker_id": "str",
        "speaker_kind": "str",
        "speaker_text": "str",
        "verb": "str",
        "kind": "str",
        "rule": "str",
        **SPAN,
    }

    def extract(self, article: Article) -> Iterable[Row]:
        from .entities import speaker_of  # entities reads people, which reads quotes

        for quote_id, q in enumerate(find_quotes(article)):
            speaker_id, speaker_kind = speaker_of(article, q.speaker.name)
            yield {
                "quote_id": quote_id,
                "text": q.text,
                "speaker": q.speaker.name,
                "speaker_id": speaker_id,
                "speaker_kind": speaker_kind,
                "speaker_text": q.speaker.text,
                "verb": q.verb,
                "kind": q.kind,
                "rule": q.rule,
                **span_row(article, q.segment, q.start, q.end),
            }
