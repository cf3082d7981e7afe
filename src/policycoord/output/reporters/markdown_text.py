"""Markdown that stays plain text on GitHub: what every Markdown output
shares (the check report in `markdown_report`, and `diff`, `history` and
`mission` in their formats modules).

- `markdown_text` (Markdown and table cells) and `mermaid_label` (inside a
  Mermaid diagram's quotes): user text made inert, cut at `NAME_LIMIT` or
  `TEXT_LIMIT` characters (`clip`); `markdown_message`: a finding's message
  or suggestion, what it wrote between backticks as code spans;
- `organisation_cell`, `place`, and a finding as one table row
  (`FINDINGS_HEADER`, `finding_row`), which the check report and the `diff`
  comment both show;
- GitHub's limit on a comment (`COMMENT_LIMIT`), what a report may use of it
  (`BUDGET`), and `size`, the length GitHub counts.

Safety. Every piece of user text (names, titles, messages, suggestions,
paths, terms) goes through `markdown_text` or `mermaid_label`, never straight
into a document. Both first show controls and invisible characters with
`core.text.visible`. GitHub turns `@name` into a notification and `#12` (or
`GH-12`) into a cross-reference even when the `@` is backslash-escaped or
written as `&#64;` (its mention filter runs on the rendered HTML, after
entities are decoded), so those tokens, `://` and `www.` are split with an
empty HTML comment, which shows nothing and leaves no invisible character in
text copied from the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from policycoord.core.findings import Finding, Location, Severity
from policycoord.core.text import shown

#: GitHub's limit on a comment (and on an issue or pull-request body).
COMMENT_LIMIT: Final = 65_536
#: What the report may use of it: the rest is room for a bot's own marker or header.
BUDGET: Final = 64_000
#: The longest piece of user text shown, in characters as written; the rest is
#: cut, saying so (a name a few megabytes long must not crowd out the findings).
NAME_LIMIT: Final = 300
TEXT_LIMIT: Final = 3_000

PARTNERSHIP_WIDE = "Partnership-wide or not known"
SEVERITY_WORDS: Final = {
    Severity.ERROR: "🔴 error",
    Severity.WARNING: "🟠 warning",
    Severity.INFO: "🔵 info",
}


# --- escaping ---------------------------------------------------------------------------------

_LINE_BREAKS: Final = re.compile(r"\r\n|[\r\n\v\f\u0085\u2028\u2029]")
#: An empty HTML comment: shows nothing, but splits the text around it in two,
#: so neither GitHub's mention and reference filters nor its autolinker see a token.
SPLIT: Final = "<!-- -->"
_MARKDOWN_SPECIAL: Final = re.compile(r"(?i)://|www\.|\bgh-(?=\d)|[\\`*_\[\]!|~$#@&<>]")
_MARKDOWN_ENTITIES: Final = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
#: What would start a list item, a numbered item or a heading underline at the start of a line.
_BLOCK_START: Final = re.compile(r"^(\s*)(?:([-+=])(?=[\s=-]|$)|(\d{1,9})([.)])(?=\s|$))")


def clip(text: str, limit: int | None) -> str:
    """`text` cut after `limit` characters, saying how many more there were."""
    if limit is None or len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters not shown)"


def markdown_text(text: str, *, breaks: bool = False, limit: int | None = TEXT_LIMIT) -> str:
    """User text made inert for Markdown, in a paragraph or a table cell.

    Line breaks become spaces (`<br>` with `breaks`); controls and invisible
    characters are shown (`shown()`); `& < >` become entities, so no HTML;
    ``\\ ` * _ [ ] ! | ~ $`` are backslash-escaped, so no emphasis, code,
    link or image (`(` and `)` need nothing once the brackets are escaped),
    strikethrough, maths or end of a table cell; `@`, `#`, `GH-` before a
    number, `://` and `www.` are split by an empty comment (`SPLIT`), so no
    mention, issue reference or autolink; a leading list marker (`- `, `+ `,
    `1. `, `1) `) or a run of `-`/`=` is escaped, so the text cannot start a
    list, a rule or a heading underline even at the start of a line."""
    text = clip(text, limit)
    lines = _LINE_BREAKS.split(text) if breaks else [_LINE_BREAKS.sub(" ", text)]
    escaped = "<br>".join(_MARKDOWN_SPECIAL.sub(_markdown_escape, shown(line)) for line in lines)
    return _BLOCK_START.sub(_escape_block_start, escaped, count=1)


def markdown_message(
    text: str, *, cell: bool = True, breaks: bool = False, limit: int | None = TEXT_LIMIT
) -> str:
    """A message or suggestion (ours, with user text in it) for Markdown:
    what it wrote between backticks (ids, timeframes, YAML keys) as code
    spans, the rest as `markdown_text`. A backslash-escaped backtick shows
    as a literal backtick, which is all a reader would see of them
    otherwise, in a table cell or a paragraph."""
    return with_code_spans(
        clip(text, limit), lambda part: markdown_text(part, breaks=breaks, limit=None), cell=cell
    )


def with_code_spans(text: str, escape: Callable[[str], str], *, cell: bool) -> str:
    """`text` with what it wrote between backticks as code spans and the
    rest through `escape`. A code span shows its text as written, so inside
    it only what the code span itself cannot hold is changed: controls and
    invisible characters are shown, line breaks become spaces, and (in a
    table `cell`) `|` is written `\\|`, which GitHub's tables read as a pipe
    even in code. Backticks that do not pair up go through `escape` as
    written, and so does a text with none."""
    parts = text.split("`")
    if len(parts) < 3 or len(parts) % 2 == 0:
        return escape(text)
    pieces = []
    for number, part in enumerate(parts):
        if number % 2 == 0:
            pieces.append(escape(part) if part else "")
        elif part.strip():
            pieces.append(_code_span(part, cell=cell))
        else:  # nothing to show as code: keep what was written
            pieces.append(escape(f"`{part}`"))
    return "".join(pieces)


def _code_span(text: str, *, cell: bool) -> str:
    code = shown(_LINE_BREAKS.sub(" ", text))
    if cell:
        code = code.replace("|", "\\|")
    if code.startswith(" ") and code.endswith(" "):  # one space each side is dropped
        code = f" {code} "
    return f"`{code}`"


def _markdown_escape(match: re.Match[str]) -> str:
    found = match.group()
    if found == "://":
        return ":" + SPLIT + "//"
    if len(found) == 4:  # www. in any case
        return found[:3] + SPLIT + "."
    if len(found) == 3:  # GH-, as in GH-12, GitHub's other way to write #12
        return found[:2] + SPLIT + "-"
    if found in _MARKDOWN_ENTITIES:
        return _MARKDOWN_ENTITIES[found]
    if found in "@#":
        return found + SPLIT
    return "\\" + found


def _escape_block_start(match: re.Match[str]) -> str:
    spaces, marker, number, delimiter = match.groups()
    return f"{spaces}\\{marker}" if marker else f"{spaces}{number}\\{delimiter}"


#: What a quoted Mermaid label cannot hold as written, and what stands in for
#: it: a `"` would end the label, a backtick starts a Markdown string or code
#: (Mermaid 11.0-11.4 show "Unsupported markdown: codespan"), `<` and `>`
#: would be HTML (Mermaid drops `<script>` and draws `<b>` bold). Each is
#: shown by a character that looks like it. Mermaid's entity codes (`#40;`,
#: `#quot;`) are not used: Mermaid 11 shows several of them as `&#40;` or
#: `&quot;` where labels are SVG text rather than HTML.
MERMAID_LOOKALIKES: Final = {'"': "\u201d", "`": "\u02cb", "<": "\u2039", ">": "\u203a"}
#: `#name;` is a Mermaid entity code, `&name;` an HTML one, and `%%{...}%%`
#: a directive wherever it stands, even inside a label (it can change the
#: diagram's configuration); Mermaid 11.0-11.4 read a label as Markdown and
#: show "Unsupported markdown: link" for `https://...` and `www.`: such a
#: `#` or `&`, the second `%` of `%%`, the `:` of `://` and the `.` of
#: `www.` are written as their full-width forms, so that they stay text.
_MERMAID_CODE_START: Final = re.compile(r"[#&](?=#?\w+;)|(?<=%)%|:(?=//)|(?i:(?<=www)\.)")
_MERMAID_REPLACED: Final = re.compile("[" + "".join(MERMAID_LOOKALIKES) + "]")
_FULL_WIDTH: Final = {"#": "\uff03", "&": "\uff06", "%": "\uff05", ":": "\uff1a", ".": "\uff0e"}


def mermaid_label(text: str, *, limit: int | None = NAME_LIMIT) -> str:
    """User text for a quoted Mermaid label (`n1["..."]`, `-->|"..."|`), as
    written as Mermaid 11 allows: line breaks become spaces, controls and
    invisible characters are shown, `" ` < >` become look-alikes (`”ˋ‹›`,
    `MERMAID_LOOKALIKES`), and the `#` or `&` that would start an entity
    code, the second `%` of `%%`, and the `:` of `://` and `.` of `www.`
    their full-width forms (`＃＆％：．`); everything else (brackets, pipes,
    `;`, `&`, `'`, letters in any script) stays as it is, which Mermaid
    shows as it is inside the quotes. So the text cannot close the quote or
    the shape, start a statement, a directive, a Markdown string, a link or
    HTML."""
    text = shown(_LINE_BREAKS.sub(" ", clip(text, limit)))
    text = _MERMAID_CODE_START.sub(lambda match: _FULL_WIDTH[match.group()], text)
    return _MERMAID_REPLACED.sub(lambda match: MERMAID_LOOKALIKES[match.group()], text)


# --- cells ------------------------------------------------------------------------------------


def place(location: Location) -> str:
    """`path:line` (`path:Sheet!C4` in a workbook), made inert."""
    return markdown_text(location.short, limit=NAME_LIMIT)


def organisation_cell(names: dict[str, str], organisation: str | None) -> str:
    """An organisation's name (its id when it has no file), made inert."""
    if organisation is None:
        return PARTNERSHIP_WIDE
    return markdown_text(names.get(organisation) or organisation, limit=NAME_LIMIT)


FINDINGS_HEADER = (
    "| Severity | Code | Organisation | Where | Message | What to do |",
    "|---|---|---|---|---|---|",
)


def finding_row(finding: Finding, names: dict[str, str]) -> str:
    """One finding as a row under `FINDINGS_HEADER` (the `diff` comment uses it too)."""
    where = place(finding.location)
    if finding.related:
        where += "<br>see also " + ", ".join(place(r) for r in finding.related)
    code = f"{markdown_text(finding.code, limit=NAME_LIMIT)}<br>"
    code += markdown_text(finding.name, limit=NAME_LIMIT)
    cells = (
        SEVERITY_WORDS[finding.severity],
        code,
        organisation_cell(names, finding.organisation),
        where,
        markdown_message(finding.message, breaks=True),
        markdown_message(finding.suggestion, breaks=True),
    )
    return "| " + " | ".join(cells) + " |"


# --- a GitHub comment's size ------------------------------------------------------------------


def size(text: str) -> int:
    """The length GitHub counts, at worst: UTF-16 code units (an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2
