"""JSON Schema validation -> PC003 findings at the offending value's line.

jsonschema-rs gives every error with its instance path and schema path; the
schema path leads to the failing keyword's schema, whose `title` and
`description` turn the error into plain English ("`raci` must be one of
responsible, accountable, consulted, informed; St Mary's Primary School
wrote `lead`"). Valid documents, the common case, cost one fast `is_valid`.
"""

from __future__ import annotations

import bisect
import datetime
import difflib
import functools
import itertools
import json
import re
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import jsonschema_rs

from policycoord.core.findings import Violation
from policycoord.input.loading import LoadedFile, escape_pointer_token, key_text

SCHEMA_KINDS: Final = ("policy", "partnership")


def schema_text(kind: str) -> str:
    """The schema as shipped in the package (`policycoord schema KIND`):
    beside this module, or (a zipped install) through importlib.resources,
    which `validate` on one file does not wait to import otherwise."""
    beside = Path(__file__).with_name("schemas") / f"{kind}.schema.json"
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
def _validator(kind: str) -> Any:
    return jsonschema_rs.Draft202012Validator(schema(kind), validate_formats=True)


def json_compatible(value: Any) -> Any:
    """A copy of YAML data that a JSON Schema validator accepts: dates as
    ISO text (so `approved: 2026-09-01` and `"2026-09-01"` agree), keys as
    text, sets and pairs as lists, binary as its base64 text."""
    if isinstance(value, dict):
        return {key_text(k): json_compatible(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_compatible(v) for v in value]
    if isinstance(value, str | bool | int | float) or value is None:
        return value
    if isinstance(value, datetime.date):  # datetime too: fails the date pattern
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted((json_compatible(v) for v in value), key=repr)
    if isinstance(value, bytes):
        import base64

        return base64.b64encode(value).decode("ascii")
    return str(value)


def json_ready(loaded: LoadedFile) -> Any:
    """`json_compatible(loaded.data)`, copying only what must change when
    the loader noted where the dates are (the common case: a policy file's
    two review dates), rather than the whole document."""
    if loaded.dates is None:
        return json_compatible(loaded.data)
    document = loaded.data
    for path in loaded.dates:
        document = _with_text_date(document, path)
    return document


def _with_text_date(node: Any, path: tuple[Any, ...]) -> Any:
    """A copy of `node` along `path`, with the date at its end as ISO text."""
    if not path:
        return node.isoformat()
    head, rest = path[0], path[1:]
    copy = dict(node) if isinstance(node, dict) else list(node)
    copy[head] = _with_text_date(node[head], rest)
    return copy


def validate(loaded: LoadedFile, kind: str) -> list[Violation]:
    """PC003 violations for one loaded file against the `kind` schema."""
    if not loaded.loaded:
        return []
    if loaded.data is None or not isinstance(loaded.data, dict):
        return [_not_a_mapping(loaded, kind)]
    document = json_ready(loaded)
    if isinstance(document.get("policycoord"), float):
        # JSON Schema takes 1.0 for 1 (`const: 1`), but the format version
        # is the whole number 1 (SPEC: `policycoord: 1`): compare it as written.
        document = {**document, "policycoord": str(document["policycoord"])}
    validator = _validator(kind)
    if validator.is_valid(document):
        return []
    author = _author(loaded.data, loaded.path)
    errors, unread, stopped = _errors(validator, document, kind)
    # A value in the wrong form (`2027-01-01T10:00:00` for a date) also fails
    # `format: date`; the form is what to fix, so say only that.
    misshapen = {
        tuple(error.instance_path) for error in errors if type(error.kind).__name__ == "Pattern"
    }
    found: list[Violation] = []
    for error in errors:
        if type(error.kind).__name__ == "Format" and tuple(error.instance_path) in misshapen:
            continue
        found.extend(_explain(error, loaded, kind, author))
    # (windows overlap in the mappings around them: each problem once)
    found = list({(v.subject, v.location, v.message): v for v in found}.values())
    found.sort(key=lambda v: (v.location.line, v.location.column, v.message))
    return _capped(found, unread, stopped)


#: at most this many PC003 findings a file; one more says how many were left out
MAX_SCHEMA_FINDINGS = 50
#: schema errors explained a file (the rest are only counted)
MAX_SCHEMA_ERRORS_READ = 1_000
#: schema errors counted a file before policycoord stops reading it (`_errors`)
MAX_SCHEMA_ERRORS_COUNTED = 10_000
#: A document of more values than this that breaks the schema is first
#: checked a window of this many values at a time (`_Windows`).
WINDOW_VALUES = 5_000


class _Error:
    """A schema error, at its place in the whole document."""

    __slots__ = ("instance", "instance_path", "kind", "schema_path")

    def __init__(self, error: Any, instance_path: list[str | int]) -> None:
        self.instance_path = instance_path
        self.schema_path: list[str | int] = list(error.schema_path)
        self.kind = error.kind
        self.instance = error.instance


def _errors(validator: Any, document: Any, kind: str) -> tuple[list[Any], int, bool]:
    """The first MAX_SCHEMA_ERRORS_READ errors of an invalid document, how
    many more there are, and whether policycoord stopped before the end
    (then the count is only of what it read).

    The validator makes every error at once, and `roles: [1, 1, ...]` in a
    1 MB file is half a million of them (10 s and 1 GB). So a document of
    more than WINDOW_VALUES values is first checked a window at a time, in
    file order, and policycoord stops after the window where the count
    reaches MAX_SCHEMA_ERRORS_COUNTED. When the windows hold fewer, so has
    the whole document (every error but a repeat across windows in a
    `uniqueItems` list shows in a window), and it is checked whole, as a
    small document is: the same errors and counts as ever."""
    windows = _Windows(document, _required_names(kind))
    if windows.total > WINDOW_VALUES:
        errors, unread = windows.errors(validator)
        if windows.stopped:
            return errors, unread, True
    pending = validator.iter_errors(document)
    errors = list(itertools.islice(pending, MAX_SCHEMA_ERRORS_READ))
    unread = sum(1 for _ in pending)  # counted, not kept
    return errors, unread, False


@functools.cache
def _required_names(kind: str) -> frozenset[str]:
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


#: windows: a container of this many values or more keeps its size...
_KEPT_SIZE = 16
#: ...and one of this many entries or more where each entry starts
_WIDE = 32


class _Windows:
    """A large document as windows of about WINDOW_VALUES values each, in
    file order (a value is a mapping, a list or a scalar; a value counts
    before the values in it). A window is the document with only the list
    items and mapping entries that reach into it, and with the fields of
    `required` names (`_required_names`) of the mappings around it, their
    lists emptied. So a window's errors are errors of the document, but for
    `minItems` of a list it cut (not reported) and `uniqueItems` across
    windows (not seen): the schemas use no keyword where a value's validity
    depends on its neighbours otherwise (tests/input/test_validation_windows.py
    checks)."""

    def __init__(self, document: Any, required: frozenset[str]) -> None:
        self.document = document
        self.required = required
        self.sizes: dict[int, int] = {}  # id(container of _KEPT_SIZE+ values) -> values
        self.starts: dict[int, tuple[array[int], list[Any]]] = {}  # wide: entry starts, keys
        self.total = self._measure(document)
        self.count = 0  # errors counted (an unexpected field counts once for each field)
        self.stopped = False
        self._offsets: dict[int, int] = {}  # id(a window's list) -> its first item's index
        self._cut: set[int] = set()  # ids of a window's lists that lost items

    def _measure(self, node: Any) -> int:
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            return 1
        total = 1
        if len(node) >= _WIDE:
            if any(issubclass(kind, dict | list) for kind in set(map(type, children))):
                starts = array("q")
                for child in children:
                    starts.append(total)
                    total += self._size(child) if isinstance(child, dict | list) else 1
            else:  # scalars only (`roles: [1, 1, ...]`)
                starts = array("q", range(1, len(node) + 1))
                total += len(node)
            self.starts[id(node)] = (starts, list(node) if isinstance(node, dict) else node)
        else:
            for child in children:
                total += self._size(child) if isinstance(child, dict | list) else 1
        if total >= _KEPT_SIZE:
            self.sizes[id(node)] = total
        return total

    def _size(self, node: Any) -> int:
        if not isinstance(node, dict | list):
            return 1
        return self.sizes.get(id(node)) or self._measure(node)

    def errors(self, validator: Any) -> tuple[list[_Error], int]:
        """The first MAX_SCHEMA_ERRORS_READ errors of the windows in file
        order, each once, and how many more were counted (an unexpected field
        counts once for each field): the windows are read until the count
        reaches MAX_SCHEMA_ERRORS_COUNTED (then `stopped`) or the end."""
        kept: list[_Error] = []
        seen: set[tuple[Any, ...]] = set()
        unread = 0
        for low in range(0, self.total, WINDOW_VALUES):
            self._offsets, self._cut = {}, set()
            window = self._window(self.document, 0, low, low + WINDOW_VALUES)
            if validator.is_valid(window):
                continue
            for error in validator.iter_errors(window):
                path = self._whole_path(window, list(error.instance_path))
                keyword = type(error.kind).__name__
                if keyword == "MinItems" and id(self._at(window, error.instance_path)) in self._cut:
                    continue
                fields = tuple(getattr(error.kind, "unexpected", ()))
                missing = getattr(error.kind, "property", None)
                key = (tuple(path), tuple(error.schema_path), keyword, fields, missing)
                if key in seen:
                    continue
                seen.add(key)
                if self.count < MAX_SCHEMA_ERRORS_READ:
                    kept.append(_Error(error, path))
                else:
                    unread += max(1, len(fields))
                self.count += max(1, len(fields))
            if self.count >= MAX_SCHEMA_ERRORS_COUNTED and low + WINDOW_VALUES < self.total:
                self.stopped = True
                break
        return kept, unread

    def _window(self, node: Any, position: int, low: int, high: int) -> Any:
        """`node`, at `position` in file order, as the window [low, high) sees it."""
        size = self._size(node)
        if low <= position and position + size <= high:
            return node
        if position + size <= low or position >= high:
            return self._around(node)
        # The entries that reach into the window: those between the first
        # and the last lie in it whole, as they are.
        first, last, first_at, last_at = self._reaching(node, position, low, high)
        if isinstance(node, list):
            items = node[first:last]
            if items:
                items[0] = self._window(node[first], first_at, low, high)
            if len(items) > 1:
                items[-1] = self._window(node[last - 1], last_at, low, high)
            if len(items) < len(node):
                self._cut.add(id(items))
                self._offsets[id(items)] = first
            return items
        keys = self.starts[id(node)][1] if id(node) in self.starts else list(node)
        inside = {key: node[key] for key in keys[first:last]}
        if inside:
            inside[keys[first]] = self._window(node[keys[first]], first_at, low, high)
        if len(inside) > 1:
            inside[keys[last - 1]] = self._window(node[keys[last - 1]], last_at, low, high)
        around = {
            name: self._around(node[name])
            for name in self.required
            if name in node and name not in inside
        }
        return around | inside

    def _reaching(self, node: Any, position: int, low: int, high: int) -> tuple[int, int, int, int]:
        """The entries of `node` (at `position`) that reach into [low, high):
        from index `first` to before `last`, and where the first and the
        last of them start."""
        wide = self.starts.get(id(node))
        if wide is not None:
            starts = wide[0]
            first = max(0, bisect.bisect_right(starts, low - position) - 1)
            last = bisect.bisect_left(starts, high - position)
            if first >= last:
                return first, first, 0, 0
            return first, last, position + starts[first], position + starts[last - 1]
        reaching = []
        start = position + 1
        for index, child in enumerate(node.values() if isinstance(node, dict) else node):
            size = self._size(child)
            if start < high and start + size > low:
                reaching.append((index, start))
            start += size
        if not reaching:
            return 0, 0, 0, 0
        return reaching[0][0], reaching[-1][0] + 1, reaching[0][1], reaching[-1][1]

    def _around(self, node: Any) -> Any:
        """A value outside the window, in a mapping around it: only what its
        mapping needs to read as complete (its `required` fields, lists
        emptied)."""
        if isinstance(node, list):
            emptied: list[Any] = []
            if node:
                self._cut.add(id(emptied))
            return emptied
        if isinstance(node, dict):
            return {name: self._around(node[name]) for name in self.required if name in node}
        return node

    def _whole_path(self, window: Any, path: list[str | int]) -> list[str | int]:
        """A path in a window as a path in the whole document."""
        whole: list[str | int] = []
        node = window
        for part in path:
            if isinstance(node, list) and isinstance(part, int):
                whole.append(part + self._offsets.get(id(node), 0))
                node = node[part] if part < len(node) else None
            else:
                whole.append(part)
                node = node.get(part) if isinstance(node, dict) else None
        return whole

    def _at(self, window: Any, path: Any) -> Any:
        node = window
        for part in path:
            if isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
            elif isinstance(node, dict):
                node = node.get(part)
            else:
                return None
        return node


def _capped(found: list[Violation], unread: int, stopped: bool = False) -> list[Violation]:
    """The first MAX_SCHEMA_FINDINGS findings (by line), and one more that
    counts the rest, so that a generated file cannot flood a report or the
    memory (`roles: [1, 1, ...]` is one error an item). `stopped`: the file
    was not read to its end, so the count is only of what was read."""
    rest = max(0, len(found) - MAX_SCHEMA_FINDINGS) + unread
    if not rest:
        return found
    kept = found[:MAX_SCHEMA_FINDINGS]
    where = (
        found[MAX_SCHEMA_FINDINGS].location
        if len(found) > MAX_SCHEMA_FINDINGS
        else kept[-1].location
    )
    message = (
        f"{rest:,} more problems with this file's structure are not listed, the next at "
        f"line {where.line}."
    )
    if stopped:
        message = (
            f"At least {rest:,} more problems with this file's structure are not listed, the "
            f"next at line {where.line}; policycoord stopped counting them part of the way "
            "through the file."
        )
    summary = Violation(
        message=message,
        location=where,
        subject="more-PC003",
        suggestion="Fix the problems listed, then run policycoord again to see the rest.",
    )
    return [*kept, summary]


def _not_a_mapping(loaded: LoadedFile, kind: str) -> Violation:
    header = "partnership:" if kind == "partnership" else "organisation:"
    if loaded.data is None:
        what = "is empty"
    else:
        what = f"holds {_kind_of(loaded.data)} at the top, not a mapping of fields"
    return Violation(
        message=f"The file {what}; a {kind} file starts with `policycoord: 1` and `{header}`.",
        location=loaded.location(""),
        subject="/:Type",
        suggestion=_LAYOUT_HELP[kind],
    )


_LAYOUT_HELP: Final = {
    "policy": (
        "Copy the layout of another organisation's policy file, or see "
        "`policycoord schema policy` for every field."
    ),
    "partnership": (
        "Copy the layout of another partnership file, or see "
        "`policycoord schema partnership` for every field."
    ),
}


def _author(data: dict[Any, Any], path: str) -> str:
    for block in ("organisation", "partnership"):
        section = data.get(block)
        if isinstance(section, dict) and isinstance(section.get("name"), str):
            name: str = section["name"]
            return name
    return f"the file {path}"


def _pointer(parts: list[str | int]) -> str:
    return "".join("/" + escape_pointer_token(str(p)) for p in parts)


def _schema_at(kind: str, path: list[str | int]) -> dict[str, Any]:
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


def _field(parts: list[str | int]) -> str:
    """A field's name for a message: `raci` (responsibilities, item 1)."""
    names = [p for p in parts if isinstance(p, str)]
    if not names:
        return "the file"
    name = f"`{names[-1]}`"
    if isinstance(parts[-1], int):
        name = f"item {parts[-1] + 1} of `{names[-1]}`"
    elif len(parts) >= 2 and isinstance(parts[-2], int):
        name += f" in item {parts[-2] + 1} of `{_last_str(parts[:-2])}`"
    elif len(names) >= 2:
        name += f" in `{names[-2]}`"
    return name


def _last_str(parts: list[str | int]) -> str:
    names = [p for p in parts if isinstance(p, str)]
    return names[-1] if names else "the file"


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, dict):
        return "a mapping (`key: value` lines)"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, set | frozenset):  # `!!set`: its order changes from run to run
        return "a set (`? item` lines)"
    if isinstance(value, bytes):  # `!!binary`
        return "binary data"
    if isinstance(value, int | float):
        return f"the number `{value}`"
    return f"`{_clip(str(value))}`"


def _clip(text: str, limit: int = 80) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


_TYPE_NAMES: Final = {
    "object": "a mapping of fields",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}


def _did_you_mean(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"Did you mean `{close[0]}`? " if close else ""


_CODE: Final = re.compile(r"PC[0-9]{3}")
_CODE_NAME: Final = re.compile(r"PC[0-9]{3} `([a-z0-9-]+)`")


def _finding_codes(node: dict[str, Any]) -> dict[str, str] | None:
    """The finding codes an object (`rules.severity`) takes as its keys, each
    with its kebab-case name, or None when its keys are not finding codes."""
    properties = node.get("properties", {})
    if not properties or not all(_CODE.fullmatch(str(key)) for key in properties):
        return None
    names = {}
    for code, prop in properties.items():
        described = _CODE_NAME.match(str(prop.get("description", "")))
        names[code] = described.group(1) if described else ""
    return names


@functools.cache
def _known_codes() -> dict[str, str]:
    """Every finding code policycoord knows, with its name: those that
    `rules.severity` in the shipped schema lists, and every registered rule."""
    from policycoord.checks.rules import RULES_BY_CODE

    shipped = json.loads(schema_text("partnership"))
    severity = shipped["$defs"]["rules"]["properties"]["severity"]
    codes = _finding_codes(severity) or {}
    for code, rule in RULES_BY_CODE.items():
        codes.setdefault(code, rule.name)
    return codes


def _not_a_code(
    key: str, parts: list[str | int], codes: dict[str, str] | None, loaded: LoadedFile, keyword: str
) -> Violation:
    """A key that should be a finding code (`rules.severity`) and is not one."""
    pointer = _pointer(parts)
    key_pointer = pointer + "/" + escape_pointer_token(key)
    if len(parts) >= 2 and isinstance(parts[-1], str) and isinstance(parts[-2], str):
        where = f"`{parts[-1]}` of `{parts[-2]}`"
    else:
        where = _field(parts)
    shown = _clip(key)
    if _CODE.fullmatch(key):
        message = f"`{shown}` in {where} is not a finding code policycoord has."
    else:
        message = f"`{shown}` in {where} is not a finding code; codes look like `PC301`."
    if codes is None:  # a `propertyNames` error: every code policycoord knows
        codes = _known_codes()
    hint = ""
    if re.fullmatch(r"PC[0-9]{1,2}", key, re.IGNORECASE):
        hint = "Only `ignore` takes the start of a code for a whole family; here give each code. "
    elif codes:
        by_name = {name: code for code, name in codes.items() if name}
        named = difflib.get_close_matches(key.lower().replace("_", "-"), list(by_name), 1, 0.8)
        if named:
            hint = f"Did you mean `{by_name[named[0]]}` ({named[0]})? "
        else:
            guess = key.upper()
            if guess.startswith("PC"):  # `PC3O1`: a letter O for a zero
                guess = "PC" + guess[2:].replace("O", "0")
            hint = _did_you_mean(guess, sorted(codes))
    return Violation(
        message=message,
        location=loaded.key_location(key_pointer),
        subject=f"{key_pointer}:{keyword}",
        suggestion=hint
        + "Write the finding's code, such as `PC301: warning`; `policycoord rules` lists them all.",
    )


def _explain(error: Any, loaded: LoadedFile, kind: str, author: str) -> Iterator[Violation]:
    parts: list[str | int] = list(error.instance_path)
    schema_path: list[str | int] = list(error.schema_path)
    pointer = _pointer(parts)
    keyword = type(error.kind).__name__
    subject = f"{pointer}:{keyword}"
    node = _schema_at(kind, schema_path)
    field = _field(parts)
    location = loaded.location(pointer)
    value = error.instance

    if keyword == "AdditionalProperties":
        codes = _finding_codes(node)
        allowed = sorted(node.get("properties", {}))
        for key in error.kind.unexpected:
            if codes is not None:
                yield _not_a_code(str(key), parts, codes, loaded, keyword)
                continue
            key_pointer = pointer + "/" + escape_pointer_token(str(key))
            where = f"in {field}" if parts else "at the top of the file"
            yield Violation(
                message=f"`{_clip(str(key))}` is not a field policycoord knows {where}.",
                location=loaded.key_location(key_pointer),
                subject=f"{key_pointer}:{keyword}",
                suggestion=_did_you_mean(str(key), allowed)
                + ("Fields allowed here: " + ", ".join(allowed) + "." if allowed else ""),
            )
        return
    if keyword == "PropertyNames":
        # The error is about one key; `node` is the schema the key failed.
        key = str(getattr(error.kind.error, "instance", ""))
        if node.get("pattern") == r"^PC[0-9]{3}$" or "finding code" in str(node.get("title")):
            yield _not_a_code(key, parts, None, loaded, keyword)
            return
        key_pointer = pointer + "/" + escape_pointer_token(key)
        shape = node.get("title") or "a name this field allows"
        yield Violation(
            message=f"`{_clip(key)}` in {field} is not a name allowed here; it must be {shape}.",
            location=loaded.key_location(key_pointer),
            subject=f"{key_pointer}:{keyword}",
            suggestion=f"Rename it; `policycoord schema {kind}` describes this field.",
        )
        return
    if keyword == "Required":
        missing = str(error.kind.property)
        described = node.get("properties", {}).get(missing, {}).get("description", "")
        owner = f"{field}" if parts else "The file"
        message = f"{owner[0].upper()}{owner[1:]} has no `{missing}`, which is required."
        yield Violation(
            message=message,
            location=location,
            subject=f"{pointer}/{escape_pointer_token(missing)}:{keyword}",
            suggestion=f"Add `{missing}:`" + (f" ({_clip(described, 160)})." if described else "."),
        )
        return
    if keyword == "Enum":
        options = [str(o) for o in node.get("enum", [])]
        message = f"{field} must be one of {', '.join(options)}; {author} wrote {_kind_of(value)}."
        suggestion = _did_you_mean(str(value), options).strip() or "Use one of the values listed."
    elif keyword == "Constant":
        message = f"{field} must be `{node.get('const')}`; {author} wrote {_kind_of(value)}."
        suggestion = "Write the value shown."
        if parts == ["policycoord"]:
            message += " It is the version of the file format, and only version 1 exists."
    elif keyword == "Type":
        wanted = node.get("type")
        types = wanted if isinstance(wanted, list) else [wanted]
        names = " or ".join(_TYPE_NAMES.get(str(t), str(t)) for t in types)
        message = f"{field} must be {names}; {author} wrote {_kind_of(value)}."
        suggestion = (
            "Check the indentation, and quote text that YAML could read as a number or date."
        )
        if "string" in types and value is not None:
            suggestion = "Put the value in quotes so that it is read as text."
    elif keyword == "Pattern":
        shape = node.get("title") or f"in the form `policycoord schema {kind}` describes"
        message = f"{field} must be {shape}; {author} wrote {_kind_of(value)}."
        suggestion = "Rewrite the value in that form."
    elif keyword == "Format":
        message = f"{field} is not a real date; {author} wrote {_kind_of(value)}."
        suggestion = "Check the month (01-12) and the day of the month."
    elif keyword in ("MinItems", "MinLength"):
        message = f"{field} is empty; {author} needs to fill it in or remove it."
        suggestion = "Fill it in, or remove the field."
    elif keyword == "MaxLength":
        message = f"{field} is longer than the {node.get('maxLength')} characters allowed."
        suggestion = "Shorten it; long explanations belong in a `notes` or `summary` field."
    elif keyword == "UniqueItems":
        message = f"{field} lists the same value more than once."
        suggestion = "Remove the repeated entry."
    else:
        # Never the validator's own text: it quotes values and shows patterns.
        message = f"{field} does not fit the file format; {author} wrote {_kind_of(value)}."
        suggestion = (
            f"Compare it with the description of this field in `policycoord schema {kind}`."
        )
    yield Violation(message=message, location=location, subject=subject, suggestion=suggestion)
