"""Schema errors in plain English: PC003 findings a safeguarding lead can act on.

jsonschema-rs gives every error with its instance path and schema path; the
schema path leads to the failing keyword's schema, whose `title` and
`description` turn the error into plain English ("`raci` must be one of
responsible, accountable, consulted, informed; St Mary's Primary School
wrote `lead`"). Each JSON Schema keyword has its own small function in
`_EXPLAINERS`; a keyword without one gets `_does_not_fit`, never the
validator's own text (it quotes values and shows patterns).
"""

from __future__ import annotations

import collections
import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Final

from policycoord.core.findings import Fix, Violation
from policycoord.core.text import closest
from policycoord.input.loading import LoadedFile, escape_pointer_token
from policycoord.input.validation import fixes
from policycoord.input.validation.schemas import CODE, finding_codes, known_codes, schema_at


@dataclass(frozen=True, slots=True)
class _Failure:
    """One schema error, with what every explanation of it needs."""

    #: the validator's error (its `kind` holds the keyword's details)
    error: Any
    loaded: LoadedFile
    #: the schema: "policy" or "partnership"
    kind: str
    #: who wrote the file, for "St Mary's Primary School wrote `lead`"
    author: str
    #: where the value is in the document (keys and list indexes)
    parts: list[str | int]
    pointer: str
    #: the failing keyword, as jsonschema-rs names its error kind (`Enum`)
    keyword: str
    #: the schema that holds the failing keyword
    node: dict[str, Any]
    #: the value's name for a message: `raci` (responsibilities, item 1)
    field: str
    #: the value that failed
    value: Any

    @classmethod
    def of(cls, error: Any, loaded: LoadedFile, kind: str, author: str) -> _Failure:
        parts: list[str | int] = list(error.instance_path)
        schema_path: list[str | int] = list(error.schema_path)
        return cls(
            error=error,
            loaded=loaded,
            kind=kind,
            author=author,
            parts=parts,
            pointer=_pointer(parts),
            keyword=type(error.kind).__name__,
            node=schema_at(kind, schema_path),
            field=_field(parts),
            value=error.instance,
        )

    @property
    def wrote(self) -> str:
        """What the author wrote: "St Mary's Primary School wrote `lead`"."""
        return f"{self.author} wrote {_kind_of(self.value)}"

    def violation(self, message: str, suggestion: str, fix: Fix | None = None) -> Violation:
        """The one finding of this error, at its value."""
        return Violation(
            message=message,
            location=self.loaded.location(self.pointer),
            subject=f"{self.pointer}:{self.keyword}",
            suggestion=suggestion,
            fix=fix,
        )


def explain(error: Any, loaded: LoadedFile, kind: str, author: str) -> Iterator[Violation]:
    """The findings of one schema error: one, but for unexpected fields (one each)."""
    failure = _Failure.of(error, loaded, kind, author)
    return _EXPLAINERS.get(failure.keyword, _does_not_fit)(failure)


def _unknown_fields(failure: _Failure) -> Iterator[Violation]:
    """`additionalProperties`: each field the schema does not know, at its
    key (in `rules.severity`, each key that is not a finding code)."""
    parts, pointer = failure.parts, failure.pointer
    codes = finding_codes(failure.node)
    allowed = sorted(failure.node.get("properties", {}))
    for key in failure.error.kind.unexpected:
        if codes is not None:
            yield _not_a_code(str(key), parts, codes, failure.loaded, failure.keyword)
            continue
        key_pointer = pointer + "/" + escape_pointer_token(str(key))
        where = f"in {failure.field}" if parts else "at the top of the file"
        hidden = failure.value.get(key) if isinstance(failure.value, dict) else None
        yield Violation(
            message=f"`{clip(str(key))}` is not a field policycoord knows {where}.",
            location=failure.loaded.key_location(key_pointer),
            subject=f"{key_pointer}:{failure.keyword}",
            suggestion=_did_you_mean(str(key), allowed)
            + ("Fields allowed here: " + ", ".join(allowed) + "." if allowed else ""),
            meant=closest(str(key), allowed) or "",
            hides=words_in(hidden),
            fix=fixes.rename_field_fix(
                failure.loaded.path,
                pointer,
                failure.value,
                str(key),
                closest(str(key), allowed) or "",
            ),
        )


#: at most this many of the words a misspelt field hides are kept
MAX_HIDDEN: Final = 500


def words_in(value: Any) -> tuple[str, ...]:
    """The text of every scalar in `value` (at most MAX_HIDDEN, each as
    written), breadth first; what a misspelt field held."""
    found: dict[str, None] = {}
    queue = collections.deque([value])
    while queue and len(found) < MAX_HIDDEN:
        item = queue.popleft()
        if isinstance(item, dict):  # values only: a field's name is no id it hid
            queue.extend(item.values())
        elif isinstance(item, list):
            queue.extend(item)
        elif isinstance(item, str | int | float) and not isinstance(item, bool):
            found[str(item)] = None
    return tuple(found)[:MAX_HIDDEN]


def _name_not_allowed(failure: _Failure) -> Iterator[Violation]:
    """`propertyNames`: a key of a name the schema does not allow, at the key."""
    # The error is about one key; `node` is the schema the key failed.
    node = failure.node
    key = str(getattr(failure.error.kind.error, "instance", ""))
    if node.get("pattern") == r"^PC[0-9]{3}$" or "finding code" in str(node.get("title")):
        yield _not_a_code(key, failure.parts, None, failure.loaded, failure.keyword)
        return
    key_pointer = failure.pointer + "/" + escape_pointer_token(key)
    shape = node.get("title") or "a name this field allows"
    yield Violation(
        message=(
            f"`{clip(key)}` in {failure.field} is not a name allowed here; it must be {shape}."
        ),
        location=failure.loaded.key_location(key_pointer),
        subject=f"{key_pointer}:{failure.keyword}",
        suggestion=f"Rename it; `policycoord schema {failure.kind}` describes this field.",
    )


def _missing_field(failure: _Failure) -> Iterator[Violation]:
    """`required`: a field that is missing, at the mapping that lacks it."""
    missing = str(failure.error.kind.property)
    field = failure.node.get("properties", {}).get(missing, {})
    # the Markdown text, as every message marks field names and values
    described = field.get("markdownDescription") or field.get("description", "")
    owner = f"{failure.field}" if failure.parts else "The file"
    message = f"{owner[0].upper()}{owner[1:]} has no `{missing}`, which is required."
    yield Violation(
        message=message,
        location=failure.loaded.location(failure.pointer),
        subject=f"{failure.pointer}/{escape_pointer_token(missing)}:{failure.keyword}",
        suggestion=f"Add `{missing}:`" + (f" ({clip(described, 160)})." if described else "."),
        fix=(
            fixes.version_fix(failure.loaded.path, None, present=False)
            if missing == "policycoord" and not failure.parts
            else None
        ),
    )


def _not_one_of(failure: _Failure) -> Iterator[Violation]:
    """`enum`: a value that is not one of those listed."""
    options = [str(o) for o in failure.node.get("enum", [])]
    yield failure.violation(
        f"{failure.field} must be one of {', '.join(options)}; {failure.wrote}.",
        _did_you_mean(str(failure.value), options).strip() or "Use one of the values listed.",
        fixes.closest_value_fix(failure.loaded.path, failure.pointer, failure.value, options),
    )


def _not_the_constant(failure: _Failure) -> Iterator[Violation]:
    """`const`: a value that is not the one value allowed."""
    message = f"{failure.field} must be `{failure.node.get('const')}`; {failure.wrote}."
    if failure.parts == ["policycoord"]:
        message += " It is the version of the file format, and only version 1 exists."
    fix = None
    if failure.parts == ["policycoord"]:
        fix = fixes.version_fix(failure.loaded.path, failure.value, present=True)
    yield failure.violation(message, "Write the value shown.", fix)


def _wrong_type(failure: _Failure) -> Iterator[Violation]:
    """`type`: text where a list belongs, a number where text does, and so on."""
    wanted = failure.node.get("type")
    types = wanted if isinstance(wanted, list) else [wanted]
    names = " or ".join(_TYPE_NAMES.get(str(t), str(t)) for t in types)
    suggestion = "Check the indentation, and quote text that YAML could read as a number or date."
    if "string" in types and failure.value is not None:
        suggestion = "Put the value in quotes so that it is read as text."
    yield failure.violation(f"{failure.field} must be {names}; {failure.wrote}.", suggestion)


def _wrong_form(failure: _Failure) -> Iterator[Violation]:
    """`pattern`: text not in the form its field takes (the schema's `title` says which)."""
    shape = failure.node.get("title") or (
        f"in the form `policycoord schema {failure.kind}` describes"
    )
    yield failure.violation(
        f"{failure.field} must be {shape}; {failure.wrote}.",
        "Rewrite the value in that form.",
        fixes.timeframe_fix(failure.loaded.path, failure.pointer, failure.node, failure.value),
    )


def _not_a_real_date(failure: _Failure) -> Iterator[Violation]:
    """`format: date`: a date in the right form that no calendar has (2027-02-30)."""
    yield failure.violation(
        f"{failure.field} is not a real date; {failure.wrote}.",
        "Check the month (01-12) and the day of the month.",
    )


def _empty(failure: _Failure) -> Iterator[Violation]:
    """`minItems`, `minLength`: an empty list or text."""
    yield failure.violation(
        f"{failure.field} is empty; {failure.author} needs to fill it in or remove it.",
        "Fill it in, or remove the field.",
    )


def _too_long(failure: _Failure) -> Iterator[Violation]:
    """`maxLength`: text longer than its field allows."""
    yield failure.violation(
        f"{failure.field} is longer than the {failure.node.get('maxLength')} characters allowed.",
        "Shorten it; long explanations belong in a `notes` or `summary` field.",
    )


def _repeated(failure: _Failure) -> Iterator[Violation]:
    """`uniqueItems`: a list that holds one value twice."""
    yield failure.violation(
        f"{failure.field} lists the same value more than once.", "Remove the repeated entry."
    )


def _does_not_fit(failure: _Failure) -> Iterator[Violation]:
    """Any other keyword. Never the validator's own text: it quotes values
    and shows patterns."""
    yield failure.violation(
        f"{failure.field} does not fit the file format; {failure.wrote}.",
        f"Compare it with the description of this field in `policycoord schema {failure.kind}`.",
    )


#: How each JSON Schema keyword's error is explained, by jsonschema-rs's
#: name for its kind (any other: `_does_not_fit`).
_EXPLAINERS: Final[dict[str, Callable[[_Failure], Iterator[Violation]]]] = {
    "AdditionalProperties": _unknown_fields,
    "PropertyNames": _name_not_allowed,
    "Required": _missing_field,
    "Enum": _not_one_of,
    "Constant": _not_the_constant,
    "Type": _wrong_type,
    "Pattern": _wrong_form,
    "Format": _not_a_real_date,
    "MinItems": _empty,
    "MinLength": _empty,
    "MaxLength": _too_long,
    "UniqueItems": _repeated,
}


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
    shown = clip(key)
    if CODE.fullmatch(key):
        message = f"`{shown}` in {where} is not a finding code policycoord has."
    else:
        message = f"`{shown}` in {where} is not a finding code; codes look like `PC301`."
    if codes is None:  # a `propertyNames` error: every code policycoord knows
        codes = known_codes()
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


def not_a_mapping(loaded: LoadedFile, kind: str) -> Violation:
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


def author_id(data: dict[Any, Any], path: str) -> str:
    for block in ("organisation", "partnership"):
        section = data.get(block)
        if isinstance(section, dict) and isinstance(section.get("name"), str):
            name: str = section["name"]
            return name
    return f"the file {path}"


def _pointer(parts: list[str | int]) -> str:
    return "".join("/" + escape_pointer_token(str(p)) for p in parts)


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
    return f"`{clip(str(value))}`"


def clip(text: str, limit: int = 80) -> str:
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
