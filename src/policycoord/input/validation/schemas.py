"""The two shipped JSON Schemas, and what validation reads from them.

The schemas live in the package (src/policycoord/schemas/); `schema` and
`validator_for` load each once. The partnership schema's `rules.severity`
lists every finding code with its name (tests/input/test_schemas.py keeps
it in step with the registered rules), so that a wrong code can be
explained without importing the rules.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any, Final

import jsonschema_rs

SCHEMA_KINDS: Final = ("policy", "partnership")


def schema_text(kind: str) -> str:
    """The schema as shipped in the package (`policycoord schema KIND`):
    in the package's `schemas` folder, or (a zipped install) through
    importlib.resources, which `validate` on one file does not wait to
    import otherwise."""
    beside = Path(__file__).parents[2] / "schemas" / f"{kind}.schema.json"
    if beside.is_file():
        return beside.read_text(encoding="utf-8")
    from importlib import resources

    resource = resources.files("policycoord").joinpath("schemas", f"{kind}.schema.json")
    return resource.read_text(encoding="utf-8")


@functools.cache
def schema(kind: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_text(kind))
    return loaded


@functools.cache
def validator_for(kind: str) -> Any:
    return jsonschema_rs.Draft202012Validator(schema(kind), validate_formats=True)


@functools.cache
def required_names(kind: str) -> frozenset[str]:
    """Every field name the `kind` schema requires somewhere: a window keeps
    these fields of every mapping around it, so that none reads as missing."""
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            required = node.get("required")
            if isinstance(required, list):
                names.update(str(name) for name in required)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema(kind))
    return frozenset(names)


def schema_at(kind: str, path: list[str | int]) -> dict[str, Any]:
    """The schema node that a schema path leads to (the failing keyword's
    parent)."""
    node: Any = schema(kind)
    for part in path[:-1]:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return {}
    return node if isinstance(node, dict) else {}


CODE: Final = re.compile(r"PC[0-9]{3}")
#: "PC301 undefined-acronym: ...": the description of each code in `rules.severity`
_CODE_NAME: Final = re.compile(r"PC[0-9]{3} ([a-z0-9-]+):")


def finding_codes(node: dict[str, Any]) -> dict[str, str] | None:
    """The finding codes an object (`rules.severity`) takes as its keys, each
    with its kebab-case name, or None when its keys are not finding codes."""
    properties = node.get("properties", {})
    if not properties or not all(CODE.fullmatch(str(key)) for key in properties):
        return None
    names = {}
    for code, prop in properties.items():
        described = _CODE_NAME.match(str(prop.get("description", "")))
        names[code] = described.group(1) if described else ""
    return names


@functools.cache
def known_codes() -> dict[str, str]:
    """Every finding code policycoord knows, with its name: those that
    `rules.severity` in the shipped partnership schema lists (read from the
    file itself, whatever schema a caller validates against)."""
    shipped = json.loads(schema_text("partnership"))
    severity = shipped["$defs"]["rules"]["properties"]["severity"]
    return finding_codes(severity) or {}
