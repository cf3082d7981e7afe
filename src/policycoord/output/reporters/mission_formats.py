"""The joint mission (`policycoord mission`) in each format.

Pure renderers, `render(view, pack=...) -> str`, registered in
`policycoord.output.formats`, which also feeds the `--format` choices.
Deterministic: nothing depends on the clock, the machine or hash order.

- `markdown` (the default): the statement, or with `pack` the workshop pack.
  Every piece of user text goes through `markdown_text.markdown_text`, so it
  cannot open HTML, a link, an image, code, a list or a heading, nor mention
  a person or team or refer to an issue. Generated sentences that embed user
  text (the statement's sentences, the questions, the agenda) are escaped
  whole. A message's backticks (around ids, timeframes, YAML keys) are
  dropped: the pack reads as plain words, and no code span comes from user
  text.
- `html`: one self-contained, printable page (A4 print CSS). The statement
  is one page to sign, then the commitments in members' own words; in the
  pack, each theme, the statement and the other findings start a new page. A
  jinja2 environment with autoescaping on for everything renders
  `templates/html/mission.html.j2`; user text first goes through
  `shown` (controls and invisible characters shown, not obeyed), and what a
  message writes between backticks is shown as `<code>`. The page has no
  script; a Content-Security-Policy `<meta>` forbids every load and lets only
  its own stylesheet apply, by its SHA-256 hash.
"""

from __future__ import annotations

from markupsafe import Markup

from policycoord.core.about import TOOL_NAME, __version__
from policycoord.core.text import shown
from policycoord.output.reporters.html_page import asset, environment, pieces, style_only_csp
from policycoord.output.reporters.markdown_text import NAME_LIMIT, markdown_text
from policycoord.views.mission import (
    EVERY_THEME,
    LINK_RULE,
    FindingNote,
    MissionView,
    Quote,
    ThemeView,
)

TEMPLATE = "html/mission.html.j2"
STYLESHEET = "html/mission.css"
PARTNERSHIP_WIDE = "The partnership as a whole"
NO_VISION = "The partnership has not written its vision yet."
NO_COMMITMENTS = "No organisation has committed to this theme yet."
NOBODY = "Nobody."
NO_THEMES = "The partnership has not named the themes of its mission yet."
NO_FINDINGS = (
    "None of the open findings points at this theme or at a commitment to it "
    "(see “How findings are placed in this pack”)."
)
NO_QUESTIONS = "Nothing further: ask the questions for every theme (at the start of the pack)."
NO_OTHERS = "There are no other open findings."
AGREED_ON = "Agreed on (date):"
SIGNATURE_COLUMNS = ("Organisation", "Name", "Role", "Signature", "Date")
PACK_INTRO = (
    "For the facilitator of a two-hour workshop. The pack follows the agenda: the "
    "vision, the draft statement to read together and sign, one page a theme (who "
    "has committed, what they committed to, what is open, questions for the room), "
    "then the open findings that concern no theme in particular."
)
OWN_WORDS_INTRO = "What each organisation committed to, as written in its policy file."


def _title(view: MissionView, *, pack: bool) -> str:
    kind = "Workshop pack" if pack else "Our joint mission"
    name = view.partnership_name or view.partnership_id
    return f"{kind}: {name}" if name else kind


def _others_intro(view: MissionView) -> str:
    others = sum(len(group.findings) for group in view.other_findings)
    counts = ", ".join(words for words, _ in view.open_by_family)
    total = f"The partnership has {view.open_findings} open findings ({counts})."
    if others == view.open_findings:
        return f"{total} None of them points at a theme, so each is listed once, here."
    tied = view.open_findings - others
    under = "is listed under its theme" if tied == 1 else "are listed under their themes"
    return (
        f"{total} {tied} of them {under}; the other {others} concern no theme in "
        "particular, so each is listed once, here."
    )


def _committed_line(theme: ThemeView) -> str:
    members = len(theme.committed) + len(theme.not_committed)
    return f"Committed ({len(theme.committed)} of {members})"


# --- markdown -------------------------------------------------------------------------------


def _md(text: str) -> str:
    return markdown_text(text)


def _md_name(text: str) -> str:
    return markdown_text(text, limit=NAME_LIMIT)


def _md_plain(text: str) -> str:
    """A message in plain words: what it writes between backticks (ids,
    timeframes, YAML keys) loses them, when they pair up; then escaped whole."""
    parts = text.split("`")
    return _md("".join(parts) if len(parts) % 2 == 1 else text)


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
    return f"- **{who}** ({note.severity}, {note.code}): {_md_plain(note.message)}"


def _md_numbered(items: tuple[str, ...]) -> list[str]:
    return [f"{n}. {_md(item)}" for n, item in enumerate(items, start=1)]


def _md_sign_page(view: MissionView, level: str) -> list[str]:
    """The statement to sign: the commitments theme by theme, then the members."""
    lines = [f"{level} What we commit to", ""]
    for number, theme in enumerate(view.themes, start=1):
        about = f" {_md(theme.description)}" if theme.description else ""
        lines.append(f"{number}. **{_md_name(theme.title)}.**{about} {_md(theme.pledge)}")
    if not view.themes:
        lines.append(NO_THEMES)
    lines.extend(["", f"{level} Signed for the partnership", "", AGREED_ON, ""])
    lines.append("| " + " | ".join(SIGNATURE_COLUMNS) + " |")
    lines.append("|" + "---|" * len(SIGNATURE_COLUMNS))
    blanks = " |" * (len(SIGNATURE_COLUMNS) - 1)
    lines.extend(f"| {_md_name(name)} |{blanks}" for name in view.signatories)
    return [*lines, ""]


def _md_nothing(view: MissionView, level: str) -> list[str]:
    return [
        f"{level} Members that have not committed to any theme yet",
        "",
        *([f"- {_md_name(name)}" for name in view.committed_to_nothing] or [NOBODY]),
        "",
    ]


def _md_statement(view: MissionView) -> list[str]:
    lines = [f"> **{_md(view.vision)}**" if view.vision else f"> {NO_VISION}", ""]
    lines.extend(_md_sign_page(view, "##"))
    lines.extend(["## In our own words", "", OWN_WORDS_INTRO, ""])
    for theme in view.themes:
        lines.extend([f"### {_md_name(theme.title)}", ""])
        lines.extend(_md_quotes(theme.commitments) or [NO_COMMITMENTS, ""])
    if view.unthemed:
        lines.extend(["### Commitments not tied to a theme of the mission", ""])
        lines.extend(_md_quotes(view.unthemed, with_theme=True))
    lines.extend(_md_nothing(view, "###"))
    return lines


def _md_front(view: MissionView) -> list[str]:
    return [
        PACK_INTRO,
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
        "## Questions to ask of every theme",
        "",
        *_md_numbered(EVERY_THEME),
        "",
        "## How findings are placed in this pack",
        "",
        LINK_RULE,
        "",
        *_md_nothing(view, "##"),
        "## The draft statement",
        "",
        *_md_sign_page(view, "###"),
    ]


def _md_theme(number: int, theme: ThemeView) -> list[str]:
    lines = [f"## Theme {number}: {_md_name(theme.title)}", ""]
    if theme.description:
        lines.extend([_md(theme.description), ""])
    lines.extend(
        [
            f"- {_committed_line(theme)}: {_md_names(theme.committed)}",
            f"- Not committed yet: {_md_names(theme.not_committed)}",
            "",
            "### What members committed to",
            "",
            *(_md_quotes(theme.commitments) or [NO_COMMITMENTS, ""]),
            "### Open findings on this theme",
            "",
            *([_md_finding(note) for note in theme.findings] or [NO_FINDINGS]),
            "",
            "### Questions for the room",
            "",
            *(_md_numbered(theme.questions) or [NO_QUESTIONS]),
            "",
        ]
    )
    return lines


def _md_others(view: MissionView) -> list[str]:
    lines = ["## Other open findings", ""]
    if not view.other_findings:
        return [*lines, NO_OTHERS, ""]
    lines.extend([_others_intro(view), ""])
    for group in view.other_findings:
        lines.extend([f"### {group.title}", ""])
        lines.extend(_md_finding(note) for note in group.findings)
        lines.append("")
    lines.extend(["### Questions for the room", "", *_md_numbered(view.other_questions), ""])
    return lines


def _md_pack(view: MissionView) -> list[str]:
    lines = _md_front(view)
    for number, theme in enumerate(view.themes, start=1):
        lines.extend(_md_theme(number, theme))
    lines.extend(_md_others(view))
    return lines


def render_markdown(view: MissionView, *, pack: bool = False) -> str:
    lines = [f"# {_md_name(_title(view, pack=pack))}", ""]
    if not view.has_mission:
        lines.append(_md_plain(view.absent))
    else:
        lines.extend(_md_pack(view) if pack else _md_statement(view))
    return "\n".join(lines).rstrip("\n") + "\n"


# --- html -----------------------------------------------------------------------------------


def _coded(text: str) -> tuple[tuple[str, bool], ...]:
    """User text made visible, in pieces: those written between backticks are code."""
    return pieces(shown(text))


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
            coded=_coded,
            others_intro=_others_intro(view),
            committed_line=_committed_line,
            texts={
                "no_vision": NO_VISION,
                "no_commitments": NO_COMMITMENTS,
                "nobody": NOBODY,
                "no_themes": NO_THEMES,
                "no_findings": NO_FINDINGS,
                "no_questions": NO_QUESTIONS,
                "no_others": NO_OTHERS,
                "partnership_wide": PARTNERSHIP_WIDE,
                "agreed_on": AGREED_ON,
                "pack_intro": PACK_INTRO,
                "own_words": OWN_WORDS_INTRO,
                "link_rule": LINK_RULE,
            },
            signature_columns=SIGNATURE_COLUMNS,
            every_theme=EVERY_THEME,
            csp=style_only_csp(style),
            style=Markup(style),  # the package's own stylesheet, not user data
        )
    )
