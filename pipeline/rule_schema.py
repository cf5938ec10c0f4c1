"""A pydantic schema for each TOML rule file, read off the built-in file itself.

The built-in ``people.toml`` is the schema of a user's ``people.toml``: every key
it has may be given, with the same type. The file itself, its ``[settings]`` and
each ``[[rule]]``-like table accept known keys only (all optional: a user's file
adds to the built-in one; what a rule needs is checked where it is read). A word
table (``relative_years``, ``holidays.lunar``) takes new entries with the type of
its values. Deriving the models keeps the schema in step with the rules; pydantic
gives typed checks, error locations and a JSON Schema that editors (Taplo, VS
Code) use to check a rule file as it is typed (``knews rules schema people.toml``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, Union

import pydantic
from pydantic import ConfigDict, StrictBool, StrictFloat, StrictInt, StrictStr

CLOSED_TABLES = ("", "settings")  # the file itself and its settings: known keys only
SCALARS: dict[type, Any] = {bool: StrictBool, int: StrictInt, str: StrictStr}
KIND_NAMES = {"string": "text", "int": "a whole number", "float": "a number",
              "bool": "true or false", "list": "a list", "dict": "a table",
              "model": "a table"}  # fmt: skip


def _kind(value: Any) -> type:
    """The TOML type of a value (a date or time counts as text: no rule file uses one)."""
    return next((t for t in (bool, int, float, str, list, dict) if isinstance(value, t)), str)


def _title(key: str) -> str:
    return "".join(part.capitalize() for part in key.replace(".", "_").split("_")) or "File"


def schema_type(value: Any, key: str = "", closed: bool = True) -> Any:
    """The pydantic type a user's value must have where the built-in file has ``value``."""
    kind = _kind(value)
    if kind is float:
        return Union[StrictFloat, StrictInt]  # noqa: UP007 - pydantic reads the typing form
    if kind in SCALARS:
        return SCALARS[kind]
    if kind is list:
        return list[_item_type(value, key)]
    return _table_type(value, key, closed)


def _item_type(items: list, key: str) -> Any:
    if not items:
        return Any
    if all(isinstance(item, dict) for item in items):  # an array of tables, like [[rule]]
        merged: dict = {}
        for item in items:
            for k, v in item.items():
                merged.setdefault(k, v)
        return _model(merged, key)
    by_kind = {}
    for item in items:
        by_kind.setdefault(_kind(item), item)
    types = tuple(schema_type(item, key) for item in by_kind.values())
    return types[0] if len(types) == 1 else Union[types]  # noqa: UP007


def _table_type(table: dict, key: str, closed: bool) -> Any:
    if closed or not table:
        return _model(table, key)
    values = [schema_type(v, k, closed=False) for k, v in table.items()]
    if len({repr(v) for v in values}) == 1:  # a word table: any new word, same type
        return dict[str, values[0]]
    return _model(table, key, extra="allow")


def _model(table: dict, key: str, extra: str = "forbid") -> type:
    """Every key optional (a user's file adds to the built-in one), none unknown."""
    fields: dict[str, Any] = {}
    for k, v in table.items():
        field_type = schema_type(v, k, closed=k in CLOSED_TABLES)
        fields[k] = (field_type, pydantic.Field(None, json_schema_extra=_no_default))
    config = ConfigDict(extra=extra, strict=True)  # type: ignore[typeddict-item]
    return pydantic.create_model(_title(key), __config__=config, **fields)


def _no_default(schema: dict) -> None:
    """TOML has no null: a key left out is simply absent, so the schema shows no default."""
    schema.pop("default", None)


@cache
def file_model(builtin: Path) -> type[pydantic.BaseModel]:
    """The model a user's file named like ``builtin`` must fit."""
    from pipeline.rulefiles import parse_toml

    return _model(parse_toml(builtin), "")


def json_schema(builtin: Path) -> dict:
    """The JSON Schema of a user's rule file named like ``builtin``."""
    schema = file_model(builtin).model_json_schema()
    schema["title"] = builtin.name
    return schema


def problems(data: dict, builtin: Path) -> list[tuple[str, str]]:
    """(key to point at, message) for each way ``data`` does not fit its schema."""
    try:
        file_model(builtin).model_validate(data)
    except pydantic.ValidationError as exc:
        return [_explain(error, builtin) for error in exc.errors()]
    return []


def _explain(error: Any, builtin: Path) -> tuple[str, str]:
    loc = [part for part in error["loc"] if not _is_type_tag(part)]
    keys = [str(part) for part in loc if isinstance(part, str)]
    key = keys[-1] if keys else ""
    where = _where(loc)
    if error["type"] == "extra_forbidden":
        known = _known_keys(builtin, loc[:-1])
        return key, f"unknown key {key!r}{where}{did_you_mean(key, known)}"
    want = KIND_NAMES.get(_expected(error["type"]), error["msg"].lower())
    shown = f"{error['input']!r}"[:40]
    return key or shown, f"{key or 'the file'} must be {want}, not {shown}{where}"


def _is_type_tag(part: Any) -> bool:
    """pydantic puts the member of a union it tried in ``loc`` (``str``, ``list[str]``)."""
    return isinstance(part, str) and (part in {"str", "int", "float", "bool"} or "[" in part)


def _expected(error_type: str) -> str:
    return error_type.removesuffix("_type").removesuffix("_parsing")


def _where(loc: list) -> str:
    """`` in rule 3`` for a value inside the third table of ``[[rule]]``."""
    for i, part in enumerate(loc):
        if isinstance(part, int) and i > 0 and isinstance(loc[i - 1], str):
            return f" in {loc[i - 1]} {part + 1}"
    return ""


def _known_keys(builtin: Path, loc: list) -> list[str]:
    from pipeline.rulefiles import parse_toml

    node: Any = parse_toml(builtin)
    for part in loc:
        if isinstance(part, int):
            if isinstance(node, list):  # an array of tables: the keys of all its tables
                node = {k: v for item in node if isinstance(item, dict) for k, v in item.items()}
            continue
        node = node.get(part, {}) if isinstance(node, dict) else {}
    return list(node) if isinstance(node, dict) else []


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """`` (did you mean 'max_len'?)`` for a near miss, else the known names."""
    known = sorted(known)
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else f" (known here: {', '.join(known)})"
