"""One reporter per format, registered once; the registry feeds `--format`.

A reporter is pure: `render(report, options) -> str`. It formats; it never
decides severity, filters, or exits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from policycoord.findings import Report


@dataclass(frozen=True, slots=True)
class RenderOptions:
    color: bool = False
    width: int = 100
    quiet: bool = False


Renderer = Callable[[Report, RenderOptions], str]


def _terminal(report: Report, options: RenderOptions) -> str:
    from policycoord.reporters import terminal

    return terminal.render(report, options)


def _json(report: Report, options: RenderOptions) -> str:
    from policycoord.reporters import json_report

    return json_report.render(report, options)


REPORTERS: dict[str, Renderer] = {
    "terminal": _terminal,
    "json": _json,
}

FORMATS = tuple(REPORTERS)

#: Formats that draw the responsibility matrix and escalation diagrams: the
#: run builds `report.views` for them (and only for them).
NEEDS_VIEWS = frozenset({"markdown", "html"})

#: The format an --output file's extension implies when --format is not given.
SUFFIXES: dict[str, str] = {".json": "json"}


def format_for(output: Path | None) -> str:
    if output is not None:
        return SUFFIXES.get(output.suffix.lower(), "terminal")
    return "terminal"
