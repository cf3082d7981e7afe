"""The one format registry: every format policycoord writes, its `--output`
file suffixes, the commands that render it, and for each of those commands
the function that renders it.

It feeds each command's `--format` choices (in the order of `FORMATS`), the
guess from an `--output` file's suffix (`format_for`) and the renderers. A
renderer is named "module:function" and imported only when something is
rendered in that format: the reporters import `RenderOptions` from here, so
this module imports none of them, and a command loads only the reporter it
uses.

What each command's renderer takes:

- check, validate: `render(report: Report, options: RenderOptions) -> str`
- diff, history, matrix: `render(diff | history | matrix, options) -> str`
- mission: `render(view: MissionView, *, pack: bool) -> str`
"""

from __future__ import annotations

import importlib
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, cast

if TYPE_CHECKING:
    from policycoord.core.findings import TextChange
    from policycoord.views import Views


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How a report is rendered: colour, width, and (quiet) findings only."""

    color: bool = False
    width: int = 100
    quiet: bool = False
    #: lines wrapped to `width` (a terminal, or COLUMNS given), as they are in
    #: colour; otherwise a terminal report keeps each finding on one line
    wrap: bool = False
    #: the responsibility matrix and escalation diagrams, for the formats that
    #: draw them (markdown, html); None: they are left out
    views: Views | None = None
    #: the folder the report's paths are relative to (the partnership's, for
    #: `check`), as a path from the root of its git repository with a trailing
    #: `/` (`policies/`), `""` at the root, None outside a git repository
    #: (`workflows.repository`). The formats that a forge reads against the
    #: repository's root (sarif, gitlab, github) put it before each path.
    repository_prefix: str | None = None
    #: each finding's safe fix as text (by fingerprint), for the formats that
    #: carry fixes (`Format.shows_fixes`: sarif); worked out by
    #: `editing.text_changes` from the files, so that the reporter stays pure
    fix_changes: Mapping[str, tuple[TextChange, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def in_repository(self, path: str) -> str:
        """`repository_path(path, self.repository_prefix)`."""
        return repository_path(path, self.repository_prefix)


def repository_path(path: str, prefix: str | None) -> str:
    """A report's `path` as a path from the git repository's root, given
    `RenderOptions.repository_prefix`; as it is where there is no repository,
    or where it is absolute or leads out of the repository."""
    if not prefix or path.startswith("/"):
        return path
    joined = posixpath.normpath(prefix + path)
    return path if joined == ".." or joined.startswith("../") else joined


#: The commands that render a format, each with the format it writes when
#: neither `--format` nor the `--output` file's suffix says.
COMMANDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "check": "terminal",
        "validate": "terminal",
        "diff": "terminal",
        "history": "terminal",
        "matrix": "terminal",
        "mission": "markdown",
    }
)


@dataclass(frozen=True, slots=True)
class Format:
    """One output format and the commands that render it."""

    name: str
    #: the `--output` file suffixes that mean this format (lower case, with the dot)
    suffixes: tuple[str, ...]
    #: command -> the function that renders this format for it, "module:function"
    renderers: Mapping[str, str] = field(hash=False)
    #: whether `check` draws the responsibility matrix and escalation diagrams
    #: in it (the run builds `RenderOptions.views` for these formats only)
    draws_views: bool = False
    #: whether the format says it is UTF-8 (JSON by definition; the XML and
    #: HTML it writes declare it): on a standard output that cannot encode a
    #: character it is written as UTF-8 bytes, never with characters escaped
    #: (which would break JSON, and mislabel XML and HTML)
    utf8: bool = False
    #: whether it carries the findings' safe fixes as text (the run works out
    #: `RenderOptions.fix_changes` for these formats only)
    shows_fixes: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "renderers", MappingProxyType(dict(self.renderers)))

    @property
    def commands(self) -> tuple[str, ...]:
        """The commands that render this format."""
        return tuple(self.renderers)

    def renders(self, command: str) -> bool:
        return command in self.renderers

    def renderer(self, command: str) -> Callable[..., str]:
        """The function that renders this format for `command`, imported now."""
        module, _, function = self.renderers[command].partition(":")
        return cast("Callable[..., str]", getattr(importlib.import_module(module), function))


_REPORTERS = "policycoord.output.reporters"


def _report(module: str) -> dict[str, str]:
    """`check` and `validate` render the same Report with the same function."""
    renderer = f"{_REPORTERS}.{module}:render"
    return {"check": renderer, "validate": renderer}


def _of(module: str, function: str) -> str:
    return f"{_REPORTERS}.{module}:{function}"


#: Every format, in the order each command lists its `--format` choices.
FORMATS: Final = (
    Format(
        "terminal",
        (),
        {
            **_report("terminal"),
            "diff": _of("diff_formats", "render_terminal"),
            "history": _of("history_formats", "render_terminal"),
            "matrix": _of("matrix_formats", "render_terminal"),
        },
    ),
    Format(
        "markdown",
        (".md", ".markdown"),
        {
            **_report("markdown_report"),
            "diff": _of("diff_formats", "render_markdown"),
            "history": _of("history_formats", "render_markdown"),
            "matrix": _of("matrix_formats", "render_markdown"),
            "mission": _of("mission_formats", "render_markdown"),
        },
        draws_views=True,
    ),
    Format("csv", (".csv",), {"matrix": _of("matrix_formats", "render_csv")}),
    Format(
        "json",
        (".json",),
        {
            **_report("json_report"),
            "diff": _of("diff_formats", "render_json"),
            "history": _of("history_formats", "render_json"),
            "matrix": _of("matrix_formats", "render_json"),
        },
        utf8=True,
    ),
    Format("sarif", (".sarif",), _report("sarif"), utf8=True, shows_fixes=True),
    Format("github", (), _report("github")),
    Format("gitlab", (), _report("gitlab"), utf8=True),
    Format("junit", (".xml",), _report("junit"), utf8=True),
    Format(
        "html",
        (".html", ".htm"),
        {
            **_report("html_report"),
            "history": _of("history_formats", "render_html"),
            "mission": _of("mission_formats", "render_html"),
        },
        draws_views=True,
        utf8=True,
    ),
)

_BY_NAME: Final = MappingProxyType({fmt.name: fmt for fmt in FORMATS})


def get(name: str) -> Format:
    """The format called `name` (KeyError when there is none)."""
    return _BY_NAME[name]


def formats(command: str) -> tuple[Format, ...]:
    """The formats `command` renders, in registry order."""
    return tuple(fmt for fmt in FORMATS if fmt.renders(command))


def names(command: str) -> tuple[str, ...]:
    """The `--format` choices of `command`."""
    return tuple(fmt.name for fmt in formats(command))


def renderers(command: str) -> dict[str, Callable[..., str]]:
    """Format name -> the function that renders it for `command` (every one imported)."""
    return {fmt.name: fmt.renderer(command) for fmt in formats(command)}


def format_for(command: str, output: Path | None) -> str:
    """The format an `--output` file's suffix implies for `command` (any case),
    else the command's default: a suffix means a format only to the commands
    that render it."""
    if output is not None:
        suffix = output.suffix.lower()
        for fmt in formats(command):
            if suffix in fmt.suffixes:
                return fmt.name
    return COMMANDS[command]


def choose(command: str, asked: str | None, output: Path | None) -> Format:
    """The format asked for with `--format`, else the one `format_for` guesses."""
    return get(asked if asked is not None else format_for(command, output))
