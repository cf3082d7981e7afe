"""Schema validation of large documents a window at a time (input/validation/windows.py,
`_Windows`): a window's errors are the document's errors, at their places
in the whole document, and a document with few errors gets exactly the
findings it gets checked whole.

The windows are made tiny here (WINDOW_VALUES = a few values) so that the
example files are cut everywhere: in lists, in mappings, inside items.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES

from policycoord.input import validation
from policycoord.input.loading import load_bytes
from policycoord.input.validation import schemas
from policycoord.input.validation import windows as windowing

#: What `_Windows` knows how to cut around: keywords that judge a value by
#: itself, by its own keys (`required`, `additionalProperties: false`) or by
#: its list's length (`minItems`, not reported for a list a window cut) or
#: repeats (`uniqueItems`, seen whole when the windows find few errors).
#: A keyword that judges a value by its neighbours (`oneOf`, `contains`,
#: `dependentRequired`, `maxItems`...) needs `_Windows` changed first.
WINDOWED_KEYWORDS = frozenset(
    {
        "$schema",
        "$id",
        "$defs",
        "$ref",
        "title",
        "description",
        # what editors show (Markdown) and say when a value does not fit:
        # annotations, which validation ignores
        "markdownDescription",
        "patternErrorMessage",
        "errorMessage",
        "examples",
        "default",
        "type",
        "properties",
        "additionalProperties",
        "required",
        "items",
        "const",
        "enum",
        "pattern",
        "format",
        "minLength",
        "maxLength",
        "minItems",
        "uniqueItems",
    }
)


def keywords(node: Any) -> set[str]:
    """The keywords a schema uses (not the names of its properties)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key in ("properties", "$defs"):
                for child in value.values():
                    found |= keywords(child)
            elif key not in ("examples", "default", "enum", "const", "required"):
                found |= keywords(value)
    elif isinstance(node, list):
        for child in node:
            found |= keywords(child)
    return found


@pytest.mark.parametrize("kind", validation.SCHEMA_KINDS)
def test_the_schemas_use_only_keywords_the_windows_understand(kind: str) -> None:
    assert keywords(validation.schema(kind)) <= WINDOWED_KEYWORDS
    assert validation.schema(kind)["additionalProperties"] is False


def examples() -> dict[str, list[Any]]:
    def read(path: Path) -> Any:
        loaded = load_bytes(path.read_bytes(), path.name)
        return validation.json_ready(loaded)

    return {
        "policy": [read(path) for path in sorted((EXAMPLES / "orgs").glob("*.yaml"))],
        "partnership": [read(EXAMPLES / "partnership.yaml")],
    }


JUNK: list[Any] = [1, "x", None, True, [], {}, [1, "a"], {"zz": 1}, {"id": "Bad Id"}, 2.5]


def mutated(node: Any, chance: random.Random) -> Any:
    """A copy of an example with values dropped, replaced, repeated and added."""
    if isinstance(node, dict):
        copied = {}
        for key, value in node.items():
            roll = chance.random()
            if roll < 0.08:
                continue
            copied[key] = (
                copy.deepcopy(chance.choice(JUNK)) if roll < 0.16 else mutated(value, chance)
            )
        if chance.random() < 0.15:
            copied[f"junk{chance.randint(0, 9)}"] = chance.choice(JUNK)
        return copied
    if isinstance(node, list):
        items = [mutated(item, chance) for item in node]
        if items and chance.random() < 0.3:
            items *= chance.randint(1, 4)
        if chance.random() < 0.1:
            items.append(copy.deepcopy(chance.choice(JUNK)))
        return [] if chance.random() < 0.05 else items
    return node


def error_set(errors: Any) -> dict[tuple[Any, ...], set[str]]:
    """Each error by place, schema keyword and missing field, with the
    unexpected fields it names."""
    found: dict[tuple[Any, ...], set[str]] = {}
    for error in errors:
        key = (
            tuple(error.instance_path),
            tuple(error.schema_path),
            type(error.kind).__name__,
            getattr(error.kind, "property", None),
        )
        found.setdefault(key, set()).update(getattr(error.kind, "unexpected", ()))
    return found


@pytest.mark.parametrize("window", [1, 7, 50])
def test_the_windows_find_the_errors_of_the_whole_document(
    window: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(windowing, "WINDOW_VALUES", window)
    monkeypatch.setattr(windowing, "MAX_SCHEMA_ERRORS_READ", 10**9)
    monkeypatch.setattr(windowing, "MAX_SCHEMA_ERRORS_COUNTED", 10**9)
    chance = random.Random(window)
    documents = examples()
    compared = 0
    for _ in range(120):
        kind = chance.choice(["policy", "policy", "partnership"])
        document = mutated(chance.choice(documents[kind]), chance)
        validator = schemas.validator_for(kind)
        if validator.is_valid(document):
            continue
        whole = error_set(validator.iter_errors(document))
        windows = windowing._Windows(document, schemas.required_names(kind))
        kept, unread = windows.errors(validator)
        assert unread == 0 and not windows.stopped
        seen = error_set(kept)
        # the same errors at the same places (a repeat across windows in
        # `members`, a `uniqueItems` list, is the one a window cannot see)
        assert set(seen) <= set(whole)
        assert {key for key in whole if key[2] != "UniqueItems"} <= set(seen)
        assert all(seen[key] == whole[key] for key in seen)
        compared += 1
    assert compared > 80


def violations(text: str, kind: str = "policy") -> list[tuple[str, int, int, str]]:
    loaded = load_bytes(text.encode("utf-8"), "file.yaml")
    return [
        (v.subject, v.location.line, v.location.column, v.message)
        for v in validation.validate(loaded, kind)
    ]


def test_a_large_file_with_few_errors_gets_the_findings_it_gets_checked_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    members = [f"member-{index}" for index in range(6_000)]
    members[-1] = members[0]  # a repeat no window sees both ends of
    duties = "".join(
        f"  - {{id: d-{n}, title: Duty {n}, scope: partnership}}\n" for n in range(3_000)
    )
    text = (
        "policycoord: 1\npartnership:\n  id: northshire\n  name: N\n"
        f"  members: {json.dumps(members)}\nduties:\n{duties}"
        "  - {id: Bad Id, title: 7, scope: partnership}\n"
    )
    document = load_bytes(text.encode(), "p.yaml").data
    required = schemas.required_names("partnership")
    assert windowing._Windows(document, required).total > validation.WINDOW_VALUES
    windowed = violations(text, "partnership")
    monkeypatch.setattr(windowing, "WINDOW_VALUES", 10**9)  # checked whole
    assert windowed == violations(text, "partnership")
    assert [message for *_, message in windowed] == [
        "`members` in `partnership` lists the same value more than once.",
        "`id` in item 3001 of `duties` must be a duty id such as "
        "refer-to-childrens-social-care; N wrote `Bad Id`.",
        "`title` in item 3001 of `duties` must be text; N wrote the number `7`.",
    ]
