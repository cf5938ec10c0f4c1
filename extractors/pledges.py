"""Pledges: named pledges and declarations, and commitments by an actor."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import regex

from pipeline.article import Article, per_article
from pipeline.rulefiles import rule_cache
from pipeline.tables import SPAN

from .base import Row, register
from .quotes import Quote, find_quotes, quote_rules
from .rules import rules
from .speakers import Referents, Speaker, referents_of, subject_before
from .text import Segment, segments, span_row

# Every Hangul syllable whose final consonant is ㄹ (할, 갈, 킬, ...).
RIEUL_FINAL = "[" + "".join(chr(0xAC00 + 28 * i + 8) for i in range(399)) + "]"
BULLETS = "▴△▲•"
BULLET = regex.compile(rf"[{BULLETS}]")
TERMS_OF = regex.compile(r"^(?:는|라는|이라는)\s*내용")
OBJECT = regex.compile(r"[가-힣A-Za-z0-9)](?:을|를)\s")


@dataclass
class Pledge:
    actor: str | None
    name: str | None
    content: str | None
    cue: str
    start: int
    end: int
    segment: Segment
    rule: str = ""


class PledgeRules:
    """Compiled ``pledges.toml``."""

    def __init__(self, data: dict) -> None:
        def compile_pairs(key: str) -> list[tuple[regex.Pattern, str]]:
            return [(regex.compile(p.replace("{L}", RIEUL_FINAL)), cue) for p, cue in data[key]]

        self.named_cues = tuple(sorted(data["named_cues"], key=len, reverse=True))
        self.endings = compile_pairs("commitment_endings")
        self.reported = compile_pairs("reported_cues")
        self.not_verbs = tuple(data["not_commitment_verbs"])
        self.commitment_verbs = tuple(data["commitment_verbs"])
        self.not_after = tuple(data["not_after_quote"])
        self.pledge_verbs = tuple(data["pledge_verbs"])

    def named_cue(self, name: str) -> str | None:
        squeezed = name.replace(" ", "")
        return next((c for c in self.named_cues if squeezed.endswith(c)), None)

    def commits(self, clause: str) -> bool:
        """``…를 강화해 나갈 것``, ``…에 나설 것``: an action, not a forecast (``…이 될 것``)."""
        last = clause.split(",")[-1]
        words = last.split()
        verb = words[-2] if len(words) > 1 else ""
        if any(v in verb for v in self.not_verbs):
            return False
        if any(v in verb for v in self.commitment_verbs):
            return True
        return bool(OBJECT.search(last)) and not verb.startswith(("될", "됄"))

    def commitment_cue(self, text: str) -> str | None:
        """The cue of a text that ends in a commitment, else None."""
        core = text.rstrip(" .!?…\"'”’")
        for pattern, cue in self.endings:
            m = pattern.search(core)
            if m:
                if cue == "것" and not self.commits(core[: m.end()]):
                    return None
                return cue
        return None


@rule_cache
def pledge_rules() -> PledgeRules:
    return PledgeRules(rules("pledges"))


@per_article
def find_pledges(article: Article) -> list[Pledge]:
    """Named pledges and commitments of the body, one per commitment."""
    pr = pledge_rules()
    referents = referents_of(article)
    quotes = find_quotes(article)
    pledges: list[Pledge] = []
    named_seen: set[str] = set()
    previous: Segment | None = None
    for seg in segments(article):
        if seg.kind != "body":
            continue
        same_paragraph = previous if previous and previous.line == seg.line else None
        previous = seg
        seg_quotes = [q for q in quotes if q.segment is seg]
        named = list(_named(seg, pr, referents, named_seen, same_paragraph))
        pledges += named
        quoted = [p for q in seg_quotes if (p := _quoted_commitment(q, seg, pr))]
        for pledge in quoted:
            if not any(n.content and pledge.content and pledge.content in n.content for n in named):
                pledges.append(pledge)
        if not quoted:
            reported = list(_reported(seg, pr, referents, seg_quotes, same_paragraph))
            if named:  # `…을 체결하고 …에 동참하기로`: the terms of the named pledge
                for pledge in named:
                    pledge.content = pledge.content or next((r.content for r in reported), None)
            else:
                pledges += reported
    return pledges


def _named(
    seg: Segment, pr: PledgeRules, referents: Referents, seen: set[str], previous: Segment | None
) -> Iterator[Pledge]:
    """Quoted names ending in 서약/선언/의향서 … that are signed, adopted or announced."""
    qr = quote_rules()
    spans = qr.spans(seg.text)
    context = seg.text + (previous.text if previous else "")
    for m in spans:
        name = seg.text[m.start : m.end].strip()
        cue = pr.named_cue(name)
        if not cue or len(name) > 80 or name.replace(" ", "") in seen:
            continue
        bulleted = BULLET.search(seg.text[m.close :])
        if not bulleted and not any(v in context for v in pr.pledge_verbs):
            continue
        seen.add(name.replace(" ", ""))
        start = seg.start + m.start
        actor = _named_actor(seg, m.start - 1, referents, spans)
        content = _named_content(seg, m, spans)
        yield Pledge(
            actor,
            name,
            content,
            cue,
            start,
            start + len(name),
            seg,
            f"pledges.toml:named_cues:{cue}",
        )


def _named_actor(seg: Segment, opening: int, referents: Referents, spans) -> str | None:
    masked = [(seg.start + x.start - 1, seg.start + x.close) for x in spans]
    chunk = subject_before(seg, seg.start + opening, masked)
    if chunk is not None:
        return referents.resolve(chunk, seg).name
    before = [w for w in seg.words if w.end <= seg.start + opening]
    if before and not before[-1].particle:
        lex = referents.lex
        core = before[-1].core
        if core in lex.countries or core in lex.orgs:
            return core  # `영국 ‘블레츨리 선언’`
    return None


def _named_content(seg: Segment, m, spans) -> str | None:
    """The stated terms: a bulleted list after the name, or the quote before it."""
    after = seg.text[m.close :]
    bullets = regex.search(
        rf"[{BULLETS}].*[{BULLETS}][^{BULLETS}]*?(?=\s*(?:등|를|을|이|가)\s)", after
    )
    if bullets:
        return bullets.group().strip()
    before = [x for x in spans if x.close <= m.start - 1]
    if before and TERMS_OF.match(seg.text[before[-1].close :]):
        return seg.text[before[-1].start : before[-1].end]
    return None


def volitional(seg: Segment, end: int) -> bool:
    """``-겠-`` after a verb is a will (``하겠다``); after an adjective a guess (``좋겠다``)."""
    morphs = [m for w in seg.words for m in w.morphs if m.end <= end]
    for i in range(len(morphs) - 1, 0, -1):
        if morphs[i].form == "겠" and morphs[i].tag == "EP":
            return not morphs[i - 1].tag.startswith(("VA", "VCP", "VCN", "XSA"))
    return True


def _quoted_commitment(quote: Quote, seg: Segment, pr: PledgeRules) -> Pledge | None:
    after = seg.text[quote.end + 1 - seg.start :]
    if after.startswith(pr.not_after):
        return None
    cue = pr.commitment_cue(quote.text)
    if cue is None or cue == "겠다" and not volitional(seg, quote.end):
        return None
    return Pledge(
        quote.speaker.name,
        None,
        quote.text,
        cue,
        quote.start,
        quote.end,
        seg,
        f"pledges.toml:commitment_endings:{cue}",
    )


def _reported(
    seg: Segment,
    pr: PledgeRules,
    referents: Referents,
    seg_quotes: list[Quote],
    previous: Segment | None,
) -> Iterator[Pledge]:
    """``최 대표는 …에 노력하겠다고 밝혔다``: a commitment in reported speech."""
    text = seg.text
    for pattern, cue in pr.reported:
        for m in pattern.finditer(text):
            if any(q.start - seg.start <= m.start() < q.end - seg.start for q in seg_quotes):
                continue
            if cue == "겠다" and not volitional(seg, seg.start + m.end()):
                continue
            begin = _clause_start(seg, m.start())
            content = text[begin : m.end()].strip()
            if not content or cue == "것" and not pr.commits(content):
                continue
            start = seg.start + text.index(content, begin)
            actor = _actor(seg, referents, seg_quotes, previous)
            yield Pledge(
                actor,
                None,
                content,
                cue,
                start,
                start + len(content),
                seg,
                f"pledges.toml:reported_cues:{cue}",
            )
            return


def _clause_start(seg: Segment, cue_at: int) -> int:
    """Start of the committed clause: a bullet list, after the topic, or after 며/면서."""
    text = seg.text[:cue_at]
    bullet = BULLET.search(text)
    if bullet:
        return bullet.end()
    start = 0
    for word in seg.words:
        if word.end - seg.start > cue_at:
            break
        trailing = [m for m in word.morphs if m.start >= word.core_end]
        if trailing and trailing[0].tag == "JX" and trailing[0].form in ("은", "는"):
            return word.end - seg.start
        if any(m.tag == "EC" and m.form in ("며", "면서", "으며") for m in word.morphs):
            start = word.end - seg.start
    return start


def _actor(
    seg: Segment, referents: Referents, seg_quotes: list[Quote], previous: Segment | None
) -> str | None:
    """The sentence's topic if it names an agent, else the topic of the sentence before."""
    masked = [(q.start - 1, q.end + 1) for q in seg_quotes]
    for candidate in (seg, previous):
        if candidate is None:
            continue
        speaker = referents.main_subject(candidate, masked if candidate is seg else [])
        if speaker is not None:
            return speaker.name
    last = referents.last_before(seg.start, plural=False)
    return last.name if isinstance(last, Speaker) else None


@register
class PledgesExtractor:
    """Rows of the ``pledges`` table: one per commitment."""

    name = "pledges"
    columns = {
        "pledge_id": "int",
        "sentence_id": "int",
        "actor": "str",
        "actor_id": "str",
        "actor_kind": "str",
        "name": "str",
        "content": "str",
        "cue": "str",
        "rule": "str",
        **SPAN,
    }

    def extract(self, article: Article) -> Iterable[Row]:
        from .entities import speaker_of

        for pledge_id, p in enumerate(find_pledges(article)):
            actor_id, actor_kind = speaker_of(article, p.actor)
            yield {
                "pledge_id": pledge_id,
                "actor": p.actor,
                "actor_id": actor_id,
                "actor_kind": actor_kind,
                "name": p.name,
                "content": p.content,
                "cue": p.cue,
                "rule": p.rule,
                **span_row(article, p.segment, p.start, p.end),
            }
