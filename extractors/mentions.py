"""Mentions: every person, organisation and date mention with its span and entity."""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.article import Article
from pipeline.tables import SPAN

from .base import Row, register
from .dates import find_dates
from .entity_ids import KINDS, entity_id
from .organizations import find_organizations
from .people import find_people
from .text import span_row


@register
class MentionsExtractor:
    """Rows of the ``mentions`` table, in text order."""

    name = "mentions"
    columns = {
        "sentence_id": "int",
        "kind": "str",
        "text": "str",
        "entity": "str",
        "entity_id": "str",
        **SPAN,
    }

    def extract(self, article: Article) -> Iterable[Row]:
        rows = []
        for person in find_people(article):
            for m in person.mentions:
                rows.append(("person", m.start, m.end, person.name, m.segment))
        for org in find_organizations(article):
            for m in org.mentions:
                rows.append(("organization", m.start, m.end, org.name, m.segment))
        for d in find_dates(article):
            rows.append(("date", d.start, d.end, d.value, d.segment))
        for kind, start, end, entity, seg in sorted(rows, key=lambda r: (r[1], r[2])):
            yield {
                "kind": kind,
                "text": article.raw_text[start:end],
                "entity": entity,
                "entity_id": entity_id(kind, entity) if kind in KINDS else None,
                **span_row(article, seg, start, end),
            }
