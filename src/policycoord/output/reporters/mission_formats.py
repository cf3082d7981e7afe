"""The joint mission (`policycoord mission`) in each format.

Pure renderers, `render(view, pack=...) -> str`, registered in
`policycoord.output.formats`, which also feeds the `--format` choices.
Deterministic: nothing depends on the clock, the machine or hash order.

- `markdown` (the default): the statement, or with `pack` the workshop pack.
  Every piece of user text goes through `markdown_text.markdown_text`, so it
  cannot open HTML, a link, an image, code, a list or a heading, nor mention
  a person or team or refer to an issue. Generated sentences that embed user
  text (the questions, the agenda) are escaped whole.
- `html`: one self-contained, printable page (A4 print CSS; in the pack each
  theme starts a new page). A jinja2 environment with autoescaping on for
  everything renders `templates/html/mission.html.j2`; user text first goes
  through `shown.shown` (controls and invisible characters shown, not
  obeyed). The page has no script; a Content-Security-Policy `<meta>` forbids
  every load and lets only its own stylesheet apply, by its SHA-256 hash.
"""

from __future__ import annotations

from markupsafe import Markup

from policycoord.core.about import TOOL_NAME, __version__
from policycoord.output.reporters.html_page import asset, environment, style_only_csp
from policycoord.output.reporters.markdown_text import NAME_LIMIT, markdown_text
from policycoord.views.mission import FindingNote, MissionView, Quote

TEMPLATE = "html/mission.html.j2"
STYLESHEET = "html/mission.css"
PARTNERSHIP_WIDE = "Partnership-wide"
NO_VISION = "The partnership has not written its vision yet."
NO_COMMITMENTS = "No organisation has committed to this theme yet."
NOBODY = "Nobody."
NO_FINDINGS = "No open findings bear on this theme."
NO_TERMS = "None: members' glossaries agree."


def _title(view: MissionView, *, pack: bool) -> str:
    kind = "Workshop pack" if pack else "Our joint mission"
    name = view.partnership_name or view.partnership_id
    return f"{kind}: {name}" if name else kind


def _unmatched(view: MissionView) -> str:
    counts = ", ".join(words for words, _ in view.open_by_family) or "none"
    return (
        "No findings are linked to this theme by its words; "
        f"all the open findings of the partnership: {counts}."
    )


# --- markdown -------------------------------------------------------------------------------


def _md(text: str) -> str:
    return markdown_text(text)


def _md_name(text: str) -> str:
    return markdown_text(text, limit=NAME_LIMIT)


def _md_quotes(quotes: tuple[Quote, ...], *, with_theme: bool = False) -> list[str]:
    lines = []
    for quote in quotes:
        lines.append(f"> {_md(quote.text)}")
        lines.append(">")
        who = f"— *{_md_name(quote.name)}*"
        if with_theme:
            theme = quote.theme if quote.theme is not None else "no theme"
            who += f" ({_md_name(theme)})"
        lines.extend([f"> {who}", ""])
    return lines


def _md_names(names: tuple[str, ...]) -> str:
    return ", ".join(_md_name(name) for name in names) if names else NOBODY


def _md_finding(note: FindingNote) -> str:
    who = _md_name(note.organisation) if note.organisation else PARTNERSHIP_WIDE
    return f"- **{note.code}** ({note.severity}, {who}): {_md(note.message)}"


def _md_statement(view: MissionView) -> list[str]:
    lines = [f"> **{_md(view.vision)}**" if view.vision else f"> {NO_VISION}", ""]
    for theme in view.themes:
        lines.extend([f"## {_md_name(theme.title)}", ""])
        if theme.description:
            lines.extend([_md(theme.description), ""])
        lines.extend(_md_quotes(theme.commitments) or [NO_COMMITMENTS, ""])
    if view.unthemed:
        lines.extend(["## Commitments not tied to a theme of the mission", ""])
        lines.extend(_md_quotes(view.unthemed, with_theme=True))
    lines.extend(["## Members that committed to nothing yet", ""])
    lines.extend([f"- {_md_name(name)}" for name in view.committed_to_nothing] or [NOBODY])
    return lines


def _md_pack(view: MissionView) -> list[str]:
    lines = [
        "For the facilitator of a two-hour workshop: the vision, an agenda, then "
        "one section a theme (who has committed, what is open, questions for the room).",
        "",
        "## The vision",
        "",
        f"> **{_md(view.vision)}**" if view.vision else f"> {NO_VISION}",
        "",
        "## Agenda (two hours)",
        "",
        "| Time | What |",
        "|---|---|",
        *(f"| {item.start}–{item.end} | {_md(item.title)} |" for item in view.agenda),
        "",
        "## Members that committed to nothing yet",
        "",
        *([f"- {_md_name(name)}" for name in view.committed_to_nothing] or [NOBODY]),
        "",
    ]
    for number, theme in enumerate(view.themes, start=1):
        lines.extend([f"## Theme {number}: {_md_name(theme.title)}", ""])
        if theme.description:
            lines.extend([_md(theme.description), ""])
        lines.extend(["### What members committed to", ""])
        lines.extend(_md_quotes(theme.commitments) or [NO_COMMITMENTS, ""])
        lines.extend(
            [
                "### Who has committed",
                "",
                f"- Committed: {_md_names(theme.committed)}",
                f"- Not committed yet: {_md_names(theme.not_committed)}",
                "",
                "### Open findings that bear on it",
                "",
            ]
        )
        if not theme.matched:
            lines.append(_md(_unmatched(view)))
        else:
            lines.extend([_md_finding(note) for note in theme.findings] or [NO_FINDINGS])
        lines.extend(["", "### Terms members define differently", ""])
        lines.extend([_md_finding(note) for note in theme.terms] or [NO_TERMS])
        lines.extend(["", "### Questions for the room", ""])
        lines.extend(f"{n}. {_md(q)}" for n, q in enumerate(theme.questions, start=1))
        lines.append("")
    return lines


def render_markdown(view: MissionView, *, pack: bool = False) -> str:
    lines = [f"# {_md_name(_title(view, pack=pack))}", ""]
    if not view.has_mission:
        lines.append(_md(view.absent))
    else:
        lines.extend(_md_pack(view) if pack else _md_statement(view))
    return "\n".join(lines).rstrip("\n") + "\n"


# --- html -----------------------------------------------------------------------------------


def render_html(view: MissionView, *, pack: bool = False) -> str:
    style = asset(STYLESHEET)
    return (
        environment()
        .get_template(TEMPLATE)
        .render(
            tool=TOOL_NAME,
            version=__version__,
            title=_title(view, pack=pack),
            view=view,
            pack=pack,
            unmatched=_unmatched(view),
            texts={
                "no_vision": NO_VISION,
                "no_commitments": NO_COMMITMENTS,
                "nobody": NOBODY,
                "no_findings": NO_FINDINGS,
                "no_terms": NO_TERMS,
                "partnership_wide": PARTNERSHIP_WIDE,
            },
            csp=style_only_csp(style),
            style=Markup(style),  # the package's own stylesheet, not user data
        )
    )
