"""When reading a file stops: the bounds a hostile file meets, and the refusal
that becomes the file's one finding.

A file over the size limit is refused before it is read (files.py); while it
is read, nesting deeper than MAX_DEPTH, aliases that would repeat more than
MAX_ALIAS_EXPANSION values (a "YAML bomb"), a recursive alias, a tag other
than YAML's standard ones (never constructed) or a value its tag cannot
build raise `Refused`, which `refusal_finding` turns into a Violation (PC001 or
PC005) at the place reading stopped.
"""

from __future__ import annotations

from typing import Any, Final

from yaml.constructor import ConstructorError, SafeConstructor

from policycoord.core.findings import Location, Violation
from policycoord.input.loading.yaml_parser import MERGE_TAG, VALUE_TAG, YAML_TAG

#: Bytes a file may hold; a larger one is refused unread (`--max-file-size`).
DEFAULT_MAX_FILE_SIZE: Final = 5 * 1024 * 1024
#: Nodes that aliases may add to a file by repeating what an anchor holds.
MAX_ALIAS_EXPANSION: Final = 100_000
#: How deeply collections may nest. Policy files need six or seven levels.
MAX_DEPTH: Final = 100


class Refused(Exception):
    """Loading stops: the file gets one finding with this code and message."""

    def __init__(
        self,
        code: str,
        message: str,
        line: int,
        column: int,
        suggestion: str = "",
        subject: str = "",
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.column = column
        self.suggestion = suggestion
        self.subject = subject


def refusal_finding(path: str, refused: Refused) -> Violation:
    """The finding of a file whose reading stopped."""
    return Violation(
        message=refused.message,
        location=Location(path, refused.line, refused.column, ""),
        subject=refused.subject or refused.code,
        suggestion=refused.suggestion,
    )


def too_deep(line: int, column: int) -> Refused:
    return Refused(
        "PC005",
        f"The file nests lists and mappings more than {MAX_DEPTH} levels deep; "
        "policycoord stops reading it to stay safe.",
        line,
        column,
        suggestion="A policy file needs only a few levels: check the indentation.",
        subject="depth",
    )


def wrong_or_unsafe_tag(tag: str, mark: Any, kind: str) -> Refused:
    """A standard tag on the wrong kind of node is a mistake (PC001); any
    other tag is refused as unsafe (PC005)."""
    if tag in SafeConstructor.yaml_constructors or tag in (MERGE_TAG, VALUE_TAG):
        return Refused(
            "PC001",
            f"The tag `{_short_tag(tag)}` cannot be used on {kind}.",
            mark.line + 1,
            mark.column + 1,
            suggestion="Remove the tag.",
        )
    return _unsafe_tag(tag, mark)


def _unsafe_tag(tag: str, mark: Any) -> Refused:
    return Refused(
        "PC005",
        f"The tag `{clip(_short_tag(tag))}` is not one of YAML's standard tags; policycoord never "
        "builds objects from tags, so it stops reading this file.",
        mark.line + 1,
        mark.column + 1,
        suggestion="Remove the tag: policy files hold only text, numbers, dates, lists "
        "and mappings.",
        subject=tag,
    )


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(YAML_TAG) if tag.startswith(YAML_TAG) else tag


def tag_name(tag: str) -> str:
    names = {
        "int": "a whole number",
        "float": "a number",
        "bool": "true or false",
        "null": "an empty value",
        "timestamp": "a date",
        "binary": "binary data",
    }
    short = tag.removeprefix(YAML_TAG)
    return names.get(short, f"`!!{short}`")


def yaml_error_reason(error: Exception) -> str:
    if isinstance(error, ConstructorError) and error.problem:
        return str(error.problem)
    if isinstance(error, LookupError | AttributeError):
        return "it is not written in a form YAML accepts"
    text = str(error) or type(error).__name__
    return text.rstrip(".")


def clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
