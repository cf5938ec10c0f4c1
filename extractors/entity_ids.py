"""Entity ids: a digest of an entity's kind and canonical name, the same in every
article and run (``P-1f3a9c0e27b4`` for a person, ``O-…`` for an organisation)."""

from __future__ import annotations

import hashlib

KINDS = {"person": "P", "organization": "O"}


def entity_id(kind: str, name: str) -> str:
    """The id of the entity of this kind and canonical name (spacing ignored)."""
    digest = hashlib.blake2b(f"{kind}\x1f{''.join(name.split())}".encode(), digest_size=6)
    return f"{KINDS[kind]}-{digest.hexdigest()}"
