"""`policycoord history` in each format: terminal (a table), markdown (for a
board paper), json, html (a page with an inline SVG chart and the table).

Pure renderers, `render(history, options) -> str`, registered in
`policycoord.output.formats`, which also feeds `history --format`.
Deterministic. User text (commit subjects, tags, the partnership's name) goes
through the same guards as the check reports: `core.text.visible` into rich `Text`,
`markdown_text`, JSON's escaping, and jinja2 autoescaping plus
`shown` in the HTML page, which has no script and a Content-Security-Policy
that forbids every load and allows only its own stylesheet by hash.

The chart draws errors, warnings and info against the commits, oldest on
the left: each series has its own colour, dash pattern and marker shape (it
reads in greyscale and to colour-blind readers), every point has a tooltip,
and the table under it carries the same numbers for screen readers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from policycoord.core.about import TOOL_NAME, __version__
from policycoord.core.text import visible
from policycoord.output.formats import RenderOptions
from policycoord.output.reporters import json_report
from policycoord.output.reporters.markdown_text import NAME_LIMIT, markdown_message, markdown_text

if TYPE_CHECKING:
    from policycoord.workflows.history import History, Point


TEMPLATE = "html/history.html.j2"
STYLESHEET = "html/history.css"
#: (count attribute, heading, css class) of each series, most severe first
SERIES = (
    ("errors", "Errors", "error"),
    ("warnings", "Warnings", "warning"),
    ("infos", "Info", "info"),
)
NO_PARTNERSHIP_YET = (
    "No commit that touched the policy repository has a partnership file yet: nothing to show."
)
NO_COMMITS = "No commit in the range asked for touched the policy repository: nothing to show."


def _nothing(history: History) -> str:
    said = NO_PARTNERSHIP_YET if history.without_partnership else NO_COMMITS
    if history.shallow:
        kind = "tagged commits" if history.tags_only else "older commits"
        said += (
            f" This is a shallow clone, so {kind} may not be in it "
            "(`git fetch --unshallow --tags` fetches them)."
        )
    return said


def _title(history: History) -> str:
    name = history.partnership_name or history.partnership
    return f"Policy check over time: {name}" if name else "Policy check over time"


def _notes(history: History) -> list[str]:
    """What the table leaves out, in words."""
    notes = []
    if history.limited:
        count = len(history.points) + history.without_partnership
        kind = "tag" if history.tags_only else "commit"
        notes.append(
            f"Only the latest {count:,} {kind}{'s are' if count != 1 else ' is'} read (--max)."
        )
    if history.shallow:
        kind = "older tags" if history.tags_only else "older commits"
        notes.append(
            f"This is a shallow clone: {kind} are not in it "
            "(`git fetch --unshallow --tags` fetches them)."
        )
    if history.without_partnership:
        count = history.without_partnership
        notes.append(
            f"{count:,} earlier commit{'s' if count != 1 else ''} had no partnership file "
            "and are left out."
        )
    notes.append("Each commit is checked as of its own date.")
    return notes


def _trend(history: History) -> str:
    """One sentence for the board: first against last."""
    checked = [p for p in history.points if p.problem is None]
    if len(checked) < 2:
        return "Too few checked commits to show a trend."
    first, last = checked[0], checked[-1]
    parts = []
    for attribute, heading, _ in SERIES:
        before, after = getattr(first, attribute), getattr(last, attribute)
        if after == before:
            parts.append(f"{heading.lower()} unchanged at {after:,}")
        else:
            word = "down" if after < before else "up"
            parts.append(f"{heading.lower()} {word} from {before:,} to {after:,}")
    return f"Since {first.label} ({first.commit.date}): " + ", ".join(parts) + "."


def _short(text: str, limit: int = 72) -> str:
    """A commit subject cut to fit a table cell."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _count(point: Point, attribute: str) -> str:
    return "—" if point.problem is not None else f"{getattr(point, attribute):,}"


# --- terminal -----------------------------------------------------------------------------------


def render_terminal(history: History, options: RenderOptions) -> str:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from policycoord.output.reporters.terminal import console_for

    console, buffer = console_for(options)
    console.print(Text(visible(_title(history)), style="bold underline"))
    if not history.points:
        console.print(Text(_nothing(history)))
        return buffer.getvalue()
    if options.width < _table_width(history):
        _print_narrow(console, history)
        return _end(console, buffer, history)
    # fits 80 columns: the counts and their headings never wrap or shrink,
    # the commit's subject wraps (COLUMNS is obeyed, as by `check`)
    table = Table(
        expand=False, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True
    )
    for heading, justify in (
        ("date", "left"),
        ("commit", "left"),
        ("errors", "right"),
        ("warnings", "right"),
        ("info", "right"),
        ("suppressed", "right"),
        ("organisations", "right"),
        ("change", "left"),
    ):
        table.add_column(
            heading,
            justify=justify,  # type: ignore[arg-type]
            no_wrap=heading != "change",
            overflow="fold",
            min_width=len(heading),
        )
    for point in history.points:
        subject = point.problem if point.problem is not None else point.commit.subject
        subject = _short(subject) + (" (the date changed the counts: below)" if point.dated else "")
        table.add_row(
            point.commit.date,
            Text(visible(point.label)),
            _count(point, "errors"),
            _count(point, "warnings"),
            _count(point, "infos"),
            _count(point, "suppressed"),
            _count(point, "organisations"),
            Text(visible(subject)),
        )
    console.print(table)
    return _end(console, buffer, history)


#: the narrowest the table's last column (the commit's subject) may be
_SUBJECT_WIDTH: Final = 12
_HEADINGS: Final = ("date", "commit", "errors", "warnings", "info", "suppressed", "organisations")


def _table_width(history: History) -> int:
    """The width the table needs for its counts, unsqueezed, and a subject
    column wide enough to read: below it, each commit is a paragraph."""
    label = max((len(point.label) for point in history.points), default=0)
    counts = max(
        (
            len(f"{getattr(point, name):,}")
            for point in history.points
            for name in ("errors", "warnings", "infos", "suppressed", "organisations")
        ),
        default=0,
    )
    widths = [10, max(len("commit"), label)] + [max(len(h), counts) for h in _HEADINGS[2:]]
    return sum(widths) + 2 * len(widths) + _SUBJECT_WIDTH


def _print_narrow(console: Any, history: History) -> None:
    """Narrower than the table, one commit per paragraph in words."""
    from rich.padding import Padding
    from rich.text import Text

    from policycoord.output.reporters.html_page import count

    for point in history.points:
        subject = point.problem if point.problem is not None else point.commit.subject
        console.print(Text(visible(f"{point.commit.date} {point.label}: {_short(subject)}")))
        if point.problem is None:
            counts = (
                count(point.errors, "error", "errors"),
                count(point.warnings, "warning", "warnings"),
                f"{point.infos:,} info",
                f"{point.suppressed:,} suppressed",
                count(point.organisations, "organisation", "organisations"),
            )
            console.print(Padding(Text(", ".join(counts)), (0, 0, 0, 2)))


def _end(console: Any, buffer: Any, history: History) -> str:
    """The lines under the counts: dates that changed them, the trend, notes."""
    from rich.text import Text

    for point in history.points:
        if point.dated:
            console.print(Text(visible(f"{point.label}: {point.dated}")))
    console.print(Text(visible(_trend(history))))
    for note in _notes(history):
        console.print(Text(visible(note), style="dim"))
    # a table pads its cells to its width: no line ends in spaces
    return "".join(line.rstrip(" ") + "\n" for line in str(buffer.getvalue()).splitlines())


# --- markdown -----------------------------------------------------------------------------------


def render_markdown(history: History, options: RenderOptions) -> str:
    lines = [
        f"# {markdown_text(_title(history), limit=NAME_LIMIT)}",
        "",
    ]
    if not history.points:
        return "\n".join([*lines, _nothing(history)]) + "\n"
    lines += [
        markdown_text(_trend(history)),
        "",
        "| Date | Commit | Errors | Warnings | Info | Suppressed | Organisations | Change |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for point in history.points:
        subject = point.problem if point.problem is not None else point.commit.subject
        cells = (
            point.commit.date,
            markdown_text(point.label, limit=NAME_LIMIT),
            _count(point, "errors"),
            _count(point, "warnings"),
            _count(point, "infos"),
            _count(point, "suppressed"),
            _count(point, "organisations"),
            markdown_text(subject, limit=NAME_LIMIT)
            + (f"<br>**{markdown_text(point.dated)}**" if point.dated else ""),
        )
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", *(markdown_message(note, cell=False) for note in _notes(history))]
    return "\n".join(lines) + "\n"


# --- json ---------------------------------------------------------------------------------------


def render_json(history: History, options: RenderOptions) -> str:
    return json_report.dumps(
        {
            "version": 1,
            "tool": {"name": TOOL_NAME, "version": history.tool_version},
            "partnership": history.partnership,
            "tags_only": history.tags_only,
            "limited": history.limited,
            "without_partnership": history.without_partnership,
            "commits": [
                {
                    "commit": p.commit.sha,
                    "date": p.commit.date,
                    "tags": list(p.commit.tags),
                    "subject": p.commit.subject,
                    "problem": p.problem,
                    "summary": None
                    if p.problem is not None
                    else {
                        "files": p.files,
                        "organisations": p.organisations,
                        "error": p.errors,
                        "warning": p.warnings,
                        "info": p.infos,
                        "suppressed": p.suppressed,
                    },
                }
                for p in history.points
            ],
        }
    )


# --- html ---------------------------------------------------------------------------------------

#: the chart's size in SVG units, and its least margins (left for the
#: counts, top for the date marks, bottom for the labels): the left and
#: bottom ones grow to hold the commit labels, turned 35 degrees
WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 64
#: the top margin when a commit is marked "date, not a commit" above the plot
TOP_MARKED = 28
#: at most this many commit labels under the chart (every n-th, the last always)
MAX_LABELS = 12
#: a commit label's longest, in characters (a longer one is cut, with "…")
LABEL_CHARACTERS = 18
#: a character's width at the labels' 11px, at most (DejaVu Sans, Arial);
#: the room under the axis before a label starts
CHARACTER_WIDTH = 7.0
LABEL_OFFSET = 16
_COS, _SIN = math.cos(math.radians(35)), math.sin(math.radians(35))


@dataclass(frozen=True, slots=True)
class Mark:
    x: float
    y: float
    value: int
    tip: str


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    css: str
    marks: tuple[Mark, ...]

    @property
    def path(self) -> str:
        return " ".join(f"{m.x:.1f},{m.y:.1f}" for m in self.marks)


@dataclass(frozen=True, slots=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True, slots=True)
class Label:
    x: float
    text: str


@dataclass(frozen=True, slots=True)
class DateMark:
    """A commit whose counts the date changed, not its files."""

    x: float
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    series: tuple[Series, ...]
    ticks: tuple[Tick, ...]
    labels: tuple[Label, ...]
    dated: tuple[DateMark, ...]
    description: str


def _nice_step(value: int) -> int:
    """The y axis's step: the smallest 1, 2 or 5 × 10^n that draws `value`
    in at most four steps."""
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if 4 * step >= value:
                return step
        magnitude *= 10


def _label(text: str) -> str:
    return text if len(text) <= LABEL_CHARACTERS else text[: LABEL_CHARACTERS - 1] + "…"


def _margins(labels: list[str]) -> tuple[int, int, int]:
    """The left and bottom margins that hold the commit labels (each turned
    35 degrees, its end under its commit: the first reaches furthest left),
    and the height that keeps the plot's own height."""
    if not labels:
        return LEFT, BOTTOM, HEIGHT
    longest = max(len(label) for label in labels) * CHARACTER_WIDTH
    left = max(LEFT, math.ceil(len(labels[0]) * CHARACTER_WIDTH * _COS) + 6)
    bottom = max(BOTTOM, math.ceil(LABEL_OFFSET + longest * _SIN + 8))
    return left, bottom, HEIGHT - BOTTOM + bottom


def chart(history: History) -> Chart:
    """The chart's geometry, from the commits that were checked."""
    points = [p for p in history.points if p.problem is None]
    highest = max((getattr(p, a) for p in points for a, _, _ in SERIES), default=0)
    step = _nice_step(highest)
    top = step * max(1, -(-highest // step))
    count = len(points)
    every = max(1, math.ceil(count / MAX_LABELS))
    shown = [i for i in range(count) if i % every == 0 or i == count - 1]
    left, bottom, height = _margins([_label(points[i].label) for i in shown])
    above = TOP_MARKED if any(p.dated for p in points) else TOP
    inner_width = WIDTH - left - RIGHT
    inner_height = height - above - bottom

    def x_of(index: int) -> float:
        return left + (inner_width / 2 if count == 1 else inner_width * index / (count - 1))

    def y_of(value: int) -> float:
        return above + inner_height * (1 - value / top)

    series = tuple(
        Series(
            heading,
            css,
            tuple(
                Mark(
                    x_of(i),
                    y_of(getattr(p, attribute)),
                    getattr(p, attribute),
                    f"{p.label} ({p.commit.date}): {getattr(p, attribute):,} {heading.lower()}",
                )
                for i, p in enumerate(points)
            ),
        )
        for attribute, heading, css in SERIES
    )
    ticks = tuple(Tick(y_of(value), value) for value in range(0, top + 1, step))
    labels = tuple(Label(x_of(i), _label(points[i].label)) for i in shown)
    dated = tuple(
        DateMark(x_of(i), p.label, p.dated) for i, p in enumerate(points) if p.dated is not None
    )
    return Chart(
        WIDTH, height, left, RIGHT, above, bottom, series, ticks, labels, dated, _trend(history)
    )


def render_html(history: History, options: RenderOptions) -> str:
    from markupsafe import Markup

    from policycoord.output.reporters.html_page import (
        asset,
        environment,
        pieces,
        style_only_csp,
    )

    style = asset(STYLESHEET)
    return (
        environment()
        .get_template(TEMPLATE)
        .render(
            tool=TOOL_NAME,
            version=__version__,
            title=_title(history),
            history=history,
            chart=chart(history) if any(p.problem is None for p in history.points) else None,
            trend=_trend(history),
            notes=[pieces(note) for note in _notes(history)],
            no_commits=_nothing(history),
            csp=style_only_csp(style),
            style=Markup(style),  # the package's own stylesheet, not user data
        )
    )
