"""One reporter per format, registered once; the registry feeds `--format`.

A reporter is pure: `render(report, options) -> str`. It formats; it never
decides severity, filters, or exits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from policycoord.core.findings import Report


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How a report is rendered: colour, width, and (quiet) findings only."""

    color: bool = False
    width: int = 100
    quiet: bool = False


Renderer = Callable[[Report, RenderOptions], str]


def _terminal(report: Report, options: RenderOptions) -> str:
    from policycoord.output.reporters import terminal

    return terminal.render(report, options)


def _json(report: Report, options: RenderOptions) -> str:
    from policycoord.output.reporters import json_report

    return json_report.render(report, options)


def _sarif(report: Report, options: RenderOptions) -> str:
    from policycoord.output.reporters import sarif

    return sarif.render(report, options)


def _github(report: Report, options: RenderOptions) -> str:
    from policycoord.output.reporters import github

    return github.render(report, options)


def _gitlab(report: Report, options: RenderOptions) -> str:
    from policycoord.output.reporters import gitlab

    return gitlab.render(report, options)


def _junit(report: Report, options: RenderOptions) -> str:
    from policycoord.output.reporters import junit

    return junit.render(report, options)


def _html(report: Report, options: RenderOptions) -> str:
    from policycoord.output.reporters import html

    return html.render(report, options)


def _markdown(report: Report, options: RenderOptions) -> str:
    from policycoord.output.reporters import markdown

    return markdown.render(report, options)


REPORTERS: dict[str, Renderer] = {
    "terminal": _terminal,
    "markdown": _markdown,
    "json": _json,
    "sarif": _sarif,
    "github": _github,
    "gitlab": _gitlab,
    "junit": _junit,
    "html": _html,
}

FORMATS = tuple(REPORTERS)

#: Formats that draw the responsibility matrix and escalation diagrams: the
#: run builds `report.views` for them (and only for them).
NEEDS_VIEWS = frozenset({"markdown", "html"})

#: The format an --output file's extension implies when --format is not given.
SUFFIXES: dict[str, str] = {
    ".json": "json",
    ".sarif": "sarif",
    ".xml": "junit",
    ".html": "html",
    ".md": "markdown",
}


def format_for(output: Path | None) -> str:
    if output is not None:
        return SUFFIXES.get(output.suffix.lower(), "terminal")
    return "terminal"
