"""What a quote's speaker or a pledge's actor is: a person or an organisation of the
article (with its entity id, ``entity_ids``), a group (``업계 관계자``, ``이들``), or
unnamed."""

from __future__ import annotations

from pipeline.article import Article, per_article

from .entity_ids import entity_id
from .lexicon import lexicon
from .organizations import find_organizations
from .people import find_people
from .quotes import COUNTED_GROUP


@per_article
def entity_index(article: Article) -> dict[str, tuple[str, str]]:
    """Every form (name, alias) of the article's people and organisations -> (kind, id)."""
    index: dict[str, tuple[str, str]] = {}
    for org in find_organizations(article):
        for form in (org.name, *org.aliases):
            index.setdefault(form, ("organization", entity_id("organization", org.name)))
    for person in find_people(article):  # a person's name wins over an organisation's
        for form in (person.name, *person.aliases):
            index[form] = ("person", entity_id("person", person.name))
    return index


def speaker_of(article: Article, speaker: str | None) -> tuple[str | None, str]:
    """(entity id or None, kind) of a speaker or actor as the tables name it."""
    if not speaker:
        return None, "unnamed"
    if found := entity_index(article).get(speaker):
        kind, eid = found
        return eid, kind
    lex = lexicon()
    if speaker.endswith((*lex.group_nouns, "들")) or COUNTED_GROUP.search(speaker):
        return None, "group"
    if lex.org_suffix(speaker.split()[-1]):
        return entity_id("organization", speaker), "organization"
    return None, "unnamed"
