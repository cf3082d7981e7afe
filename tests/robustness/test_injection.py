"""Injection, across every output (SPEC §5, §6): user text never becomes markup,
a link, a command or a control sequence in any report.

Each payload below goes into every place a policy repository lets a user write
text: the partnership's and organisations' names, duty, concern and theme
titles, role titles, glossary terms and meanings, avoided terms, notes,
actions, sharing purposes, commitments, the vision, a waiver's reason, values
where an id belongs (they break the schema, and the finding quotes them) and
a file name (one of them not valid UTF-8, one holding line breaks). Then
`check` in every format, `matrix` in every format and `mission` (statement
and `--pack`) in every format run through the command line, and each output
is read with a real parser for its format, never with string search alone:

- HTML: `html.parser`; no element, attribute, script or link that the same
  run on a harmless repository does not have; the payload is text.
- Markdown: markdown-it-py's token stream; no link or image, no HTML from
  user text, no new Mermaid statement or edge, no table row with more cells
  than its header (cut with markdown-it's own splitter), no `@mention`,
  issue reference or autolink left for GitHub to make.
- JUnit: `xml.etree`; well-formed, only the JUnit elements.
- JSON, GitLab Code Quality, the matrix's JSON: `json.loads`, the text as
  written in JSON strings only; SARIF also against the official 2.1.0 schema.
- GitHub workflow commands: every line that the runner would read as a
  command is one of ours, one per finding, escaped as GitHub expects.
- Terminal (no colour and colour forced), matrix CSV: no raw control, escape
  or bidi character, rich markup shown as written, formulas defused.

Every stdout is also read as GitHub's runner reads a log: no line a payload
wrote may start a workflow command.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import os
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import SHARED, TODAY, make_repo
from markdown_it import MarkdownIt
from markdown_it.token import Token

#: Every payload holds this word, so each test can see that it reached the output.
MARK = "pwned"
EVIL_HOST = "evil.example"

PAYLOADS: dict[str, str] = {
    "script": f"<script>alert('{MARK}')</script><script src=https://{EVIL_HOST}/x.js></script>",
    "img-onerror": f'"><img src=x onerror=alert("{MARK}")><svg onload=alert(1)>\'><b>',
    "html-link": (
        f'<a href="https://{EVIL_HOST}/{MARK}">click</a> <iframe src=//{EVIL_HOST}></iframe> '
        "<!-- comment --> <details open>"
    ),
    "markdown-link": (
        f"[{MARK}](https://{EVIL_HOST}/a) ![{MARK}](https://{EVIL_HOST}/i.png) "
        f"<https://{EVIL_HOST}/b> https://{EVIL_HOST}/c www.{EVIL_HOST} [ref] "
        f"javascript:alert(1) `code` ``{MARK}`` [x]: https://{EVIL_HOST}/d"
    ),
    "mention": f"@octocat @policycoord/maintainers {MARK} #1 GH-2 octo/repo#3 @{MARK}",
    "mermaid": (
        f'{MARK}"] --> evil["x"]\n%%{{init: {{"theme": "dark"}}}}%%\n```\n'
        f'click n0 href "https://{EVIL_HOST}" _blank\nn0 --> n1\n```\n# heading\n- item'
    ),
    "table-pipe": f"a | {MARK} | c \\| d || e |\n| --- |",
    "rich-markup": (
        f"[red]{MARK}[/red] [link=https://{EVIL_HOST}]click[/link] [bold] [/] :smile: \\[x]"
    ),
    "ansi-controls": (
        f"\x1b[31m{MARK}\x1b[0m \x1b]8;;https://{EVIL_HOST}\x07link\x1b]8;;\x07 "
        "\x1b[2J\x07\x08\x0b\x0c\x7f \x85\x9b31m\x9d\x1bP"
    ),
    "bidi": f"\u202e{MARK}\u202c \u2066x\u2069 \u200b\u200e\u061c\u2028\u2029\ufeff",
    # starts with a command (names and paths start lines of the terminal report), holds
    # the runner's older `##[` form, which it obeys anywhere in a line, and a run of
    # commands that wrapping at any width puts at the start of a line
    "workflow-command": (
        f"::error::{MARK} %0A::error::{MARK} %0D%0A::warning file=x,line=1::{MARK}\n"
        f"::error::{MARK}\r::notice::{MARK}\r\n##[error]{MARK} ##[stop-commands]{MARK}"
        + f" ::error::{MARK}"
        * 7
    ),
    # the text is harmless: the file name carries the payload (bytes that are not UTF-8)
    "undecodable-file-name": f"Plain {MARK} words",
}
HARMLESS = f"Harmless {MARK} text"
UNDECODABLE = b"bad-\xff\xfe-\xc3(name"


def file_name(payload: str) -> bytes:
    """A file name carrying the payload: `/` is the one character (with NUL)
    that a name cannot hold."""
    if payload == PAYLOADS["undecodable-file-name"]:
        return UNDECODABLE
    return payload.replace("/", "_").encode("utf-8")[:200]


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar holding exactly `text` (JSON is a subset)."""
    return json.dumps(text)


# --- the repository ----------------------------------------------------------------------


def repository(root: Path, payload: str) -> Path:
    """A partnership of two organisations (and a member without a file) whose
    every piece of user text is `payload`; its checks give findings of most
    families, a suppressed finding, a diagram with a hand-off and a matrix
    with an overlap, so that the payload reaches every part of every report."""
    p = yaml_string(payload)
    make_repo(
        root,
        {
            "partnership.yaml": f"""\
                policycoord: 1
                partnership:
                  id: north
                  name: {p}
                  members: [alpha, beta, gamma]
                duties:
                  - id: refer
                    title: {p}
                    scope: partnership
                    max_within: 24 hours
                  - id: train
                    title: {p}
                    scope: each-member
                concerns:
                  - id: harm
                    title: {p}
                    must_reach: [alpha/lead]
                    out_of_hours: required
                glossary:
                  - term: {p}
                    meaning: {p}
                    definition: {p}
                avoid:
                  - term: child prostitution
                    use: {p}
                    why: {p}
                mission:
                  vision: {p}
                  themes:
                    - id: listen
                      title: {p}
                    - id: early
                      title: {p}
                review:
                  max_age: 12 months
                waivers:
                  - code: PC402
                    organisation: alpha
                    reason: {p}
                    approved_by: [alpha, beta]
                    expires: 2027-06-30
                  - code: {yaml_string("PC" + payload)}
                    organisation: beta
                    reason: {p}
                    approved_by: [beta, alpha]
                    expires: 2027-06-30
                """,
            "orgs/alpha.yaml": f"""\
                policycoord: 1
                organisation:
                  id: alpha
                  name: {p}
                  sector: education
                  review:
                    approved: 2020-01-01
                    next_review: 2021-01-01
                roles:
                  - id: lead
                    title: {p}
                    contact: {{phone: {p}, hours: office}}
                  - id: deputy
                    title: {p}
                responsibilities:
                  - {{duty: refer, role: lead, raci: accountable, within: 2 days, notes: {p}}}
                  - {{duty: train, role: lead, raci: accountable}}
                  - {{duty: train, role: deputy, raci: accountable}}
                escalations:
                  - concern: harm
                    steps:
                      - {{to: deputy, within: immediately, action: {p}}}
                      - {{to: beta/desk, within: 1 hour, action: {p}}}
                glossary:
                  - {{term: ABC, meaning: {p}}}
                  - {{term: {p}, meaning: another meaning}}
                sharing:
                  - {{with: beta, purpose: {p}, basis: {p}}}
                commitments:
                  - {{theme: listen, text: {p}}}
                  - {{text: {p}}}
                summary: {yaml_string(payload + " ZQXW child prostitution")}
                """,
            "orgs/beta.yaml": f"""\
                policycoord: 1
                organisation:
                  id: beta
                  name: {p}
                  sector: sport
                roles:
                  - {{id: desk, title: {p}}}
                responsibilities:
                  - {{duty: refer, role: desk, raci: accountable, within: 24 hours}}
                  - {{duty: train, role: desk, raci: responsible}}
                glossary:
                  - {{term: ABC, meaning: {yaml_string("Other " + payload)}}}
                commitments:
                  - {{theme: early, text: {p}}}
                """,
            # values where ids belong: the schema refuses them, the findings quote them
            "orgs/ids.yaml": f"""\
                policycoord: 1
                organisation:
                  id: {p}
                  name: Ids
                  sector: other
                responsibilities:
                  - {{duty: {p}, role: {p}, raci: accountable, within: {p}}}
                """,
        },
    )
    # files the payload names, not YAML: PC001 at those paths (the one at the top
    # of the repository starts a line of the terminal report)
    for folder in (root / "orgs", root):
        bad = folder / os.fsdecode(file_name(payload) + b".yaml")
        # a file system that refuses the name (not Linux's) leaves it out
        with contextlib.suppress(OSError):
            bad.write_bytes(b"policycoord: 1\norganisation: [\n")
    return root


# --- running the command line in-process ---------------------------------------------------

#: Variables that change how policycoord renders: removed unless a run sets them.
RENDER_ENV = ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "COLUMNS")


@dataclass(frozen=True)
class Output:
    code: int
    out: str
    err: str
    summary: str = ""  # what was appended to $GITHUB_STEP_SUMMARY


@contextlib.contextmanager
def environment(values: Mapping[str, str], cwd: Path) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in (*RENDER_ENV, *values)}
    before = Path.cwd()
    try:
        for name in RENDER_ENV:
            os.environ.pop(name, None)
        os.environ.update(values)
        os.chdir(cwd)
        yield
    finally:
        os.chdir(before)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def invoke(repo: Path, args: Sequence[str], env: Mapping[str, str] | None = None) -> Output:
    """`policycoord ARGS` in `repo`, its standard output a strict UTF-8 stream
    as on a Linux terminal or a CI log (a report that cannot be encoded fails)."""
    from policycoord.cli.app import main

    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="strict", newline="\n")
    err = io.TextIOWrapper(err_bytes, encoding="utf-8", errors="backslashreplace", newline="\n")
    summary = repo.parent / f"{repo.name}-step-summary.md"
    summary.unlink(missing_ok=True)
    values = dict(env or {})
    if values.get("GITHUB_STEP_SUMMARY") == "":
        values["GITHUB_STEP_SUMMARY"] = str(summary)
    with (
        environment(values, repo),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            main([*args, "--today", TODAY])
            code: object = 0
        except SystemExit as exit_:
            code = exit_.code
    out.flush()
    err.flush()
    assert isinstance(code, int)
    written = summary.read_text(encoding="utf-8") if summary.exists() else ""
    return Output(
        code, out_bytes.getvalue().decode("utf-8"), err_bytes.getvalue().decode(), written
    )


@dataclass(frozen=True)
class Run:
    """One command and format, and the parser that reads its output."""

    args: tuple[str, ...]
    kind: str  # which checker reads the output
    env: Mapping[str, str] = field(default_factory=dict)


RUNS: dict[str, Run] = {
    "check-terminal": Run(("check", "-f", "terminal", "--no-color"), "terminal"),
    "check-terminal-colour": Run(("check", "-f", "terminal"), "terminal", {"FORCE_COLOR": "1"}),
    "check-github-actions": Run(
        ("check",),
        "github-actions",
        {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": "", "FORCE_COLOR": "1"},
    ),
    "check-markdown": Run(("check", "-f", "markdown"), "markdown"),
    "check-html": Run(("check", "-f", "html"), "html"),
    "check-json": Run(("check", "-f", "json"), "json"),
    "check-sarif": Run(("check", "-f", "sarif"), "sarif"),
    "check-github": Run(("check", "-f", "github"), "github"),
    "check-gitlab": Run(("check", "-f", "gitlab"), "gitlab"),
    "check-junit": Run(("check", "-f", "junit"), "junit"),
    "matrix-terminal": Run(("matrix", "-f", "terminal", "--no-color"), "terminal"),
    "matrix-terminal-colour": Run(("matrix", "-f", "terminal"), "terminal", {"FORCE_COLOR": "1"}),
    "matrix-markdown": Run(("matrix", "-f", "markdown"), "markdown"),
    "matrix-csv": Run(("matrix", "-f", "csv"), "csv"),
    "matrix-json": Run(("matrix", "-f", "json"), "matrix-json"),
    "mission-markdown": Run(("mission", "-f", "markdown"), "markdown"),
    "mission-html": Run(("mission", "-f", "html"), "html"),
    "mission-pack-markdown": Run(("mission", "--pack", "-f", "markdown"), "markdown"),
    "mission-pack-html": Run(("mission", "--pack", "-f", "html"), "html"),
}


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A repository per payload, and `harmless` to compare with."""
    base = tmp_path_factory.mktemp("injection")
    built = {name: repository(base / name, payload) for name, payload in PAYLOADS.items()}
    built["harmless"] = repository(base / "harmless", HARMLESS)
    return built


@functools.cache
def _harmless_output(repo: Path, run: str) -> Output:
    return invoke(repo, RUNS[run].args, RUNS[run].env)


# --- what a person or a terminal would obey -----------------------------------------------


def raw_controls(text: str, allowed: str = "\n") -> list[str]:
    """Characters that a terminal or a log viewer would obey, or that reorder
    or hide text: controls, format characters (bidi, zero-width), lone
    surrogates, line and paragraph separators."""
    return [
        c
        for c in text
        if c not in allowed
        and (unicodedata.category(c) in ("Cc", "Cf", "Cs") or c in "\u2028\u2029\ufffe\uffff")
    ]


#: A line that GitHub's runner would take as a workflow command: `::` at its
#: start (after spaces), or the older form `##[` anywhere in it (actions/runner,
#: src/Runner.Common/ActionCommand.cs: TryParseV2, then TryParse).
COMMAND_LINE = re.compile(r"^\s*::|##\[")
OUR_COMMAND = re.compile(
    r"::(?P<command>error|warning|notice) file=(?P<file>[^,:\r\n]*),line=\d+,col=\d+,"
    r"title=(?P<title>PC\d{3} [a-z-]+)::(?P<message>[^\r\n]*)"
)


def command_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if COMMAND_LINE.search(line)]


# --- HTML --------------------------------------------------------------------------------

URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "srcset", "data"})


class Page(HTMLParser):
    """Every element with its attributes, the text, and what is inside `<script>`."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self.comments: list[str] = []
        self._in_script = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def count(self, tag: str) -> int:
        return sum(1 for name, _ in self.elements if name == tag)

    def tags(self) -> set[str]:
        return {tag for tag, _ in self.elements}

    def attributes(self) -> set[tuple[str, str]]:
        return {(tag, name) for tag, attrs in self.elements for name in attrs}

    def links(self) -> set[tuple[str, str, str]]:
        return {
            (tag, name, value)
            for tag, attrs in self.elements
            for name, value in attrs.items()
            if name in URL_ATTRIBUTES
        }

    def meta(self) -> list[dict[str, str]]:
        return [attrs for tag, attrs in self.elements if tag == "meta"]


def check_html(output: Output, harmless: Output, payload: str) -> None:
    page, own = Page(output.out), Page(harmless.out)
    # the page's own script and nothing else; no handler, no new element or attribute
    assert page.scripts == own.scripts
    for tag in ("script", "style", "meta", "link", "base", "iframe", "object", "embed", "form"):
        assert page.count(tag) == own.count(tag), tag
    assert [a for _, a in page.elements if any(n.lower().startswith("on") for n in a)] == []
    assert page.tags() <= own.tags(), page.tags() - own.tags()
    assert page.attributes() <= own.attributes(), page.attributes() - own.attributes()
    assert page.meta() == own.meta()  # the Content-Security-Policy above all
    # links: the page's own (fragments), never to another host
    assert page.links() <= own.links(), page.links() - own.links()
    assert not any(EVIL_HOST in value for _, _, value in page.links())
    assert page.comments == own.comments
    # the payload is there, as text, with nothing in it obeyed
    text = "".join(page.text)
    assert MARK in text
    assert raw_controls(text, allowed="\n") == []
    if payload == PAYLOADS["script"]:
        assert f"<script>alert('{MARK}')</script>" in text
    if payload == PAYLOADS["img-onerror"]:
        assert f'"><img src=x onerror=alert("{MARK}")>' in text


# --- Markdown ----------------------------------------------------------------------------

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
#: The HTML that our own Markdown holds: line breaks in table cells, the empty
#: comment that splits `@name`, `#1` and URLs, and folded `<details>` blocks.
OUR_HTML = re.compile(
    r"<!-- -->|<br>|</?details>|<details><summary>[\w ,]+</summary>|</summary>",
)
MERMAID_STATEMENT = re.compile(
    r"flowchart LR"
    r'|n\d+(\(\["[^"]*"\]\)|\[\["[^"]*"\]\]|\{\{"[^"]*"\}\}|\["[^"]*"\])'
    r'|n\d+ (-->|-\.->)\|"[^"]*"\| n\d+'
    r"|classDef [a-z]+ [a-z0-9:#,.\- ]+|class n\d+(,n\d+)* [a-z]+|linkStyle [\d,]+ [a-z0-9:#,.\- ]+"
)
#: A Mermaid label holds no quote, backtick, HTML but our `<br>`, entity code
#: (Mermaid's `#name;` or HTML's `&name;`), directive (`%%`) or link.
MERMAID_LABEL = re.compile(r"(?:(?![#&]#?\w+;|%%|://|(?i:www\.))[^\"`<>\r\n]|<br>)*")


def flat(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from flat(token.children)


def inline_text(tokens: list[Token]) -> list[str]:
    """The text of each paragraph, cell and heading, as GitHub's mention,
    reference and autolink filters see it (after our split comments)."""
    texts = []
    for token in tokens:
        if token.type == "inline" and token.children:
            texts.append(
                "".join(
                    c.content if c.type in ("text", "text_special") else "\0"
                    for c in token.children
                )
            )
    return texts


def table_rows(source: list[str], tokens: list[Token]) -> Iterator[tuple[int, int, str]]:
    """(header cells, cells, line) for every row of every table, the cells
    counted with markdown-it's own splitter (which drops the surplus cells of
    a row, so counting its tokens could never see a pipe that escaped)."""
    from markdown_it.rules_block.table import escapedSplit

    def cells(line: str) -> int:
        columns = escapedSplit(line.strip())
        if columns and columns[0].strip() == "":
            columns.pop(0)
        if columns and columns[-1].strip() == "":
            columns.pop()
        return len(columns)

    header = 0
    for token in tokens:
        if token.type == "table_open":
            assert token.map is not None
            start, end = token.map
            header = cells(source[start])
            assert end - start >= 2
            for number in range(start + 2, end):
                yield header, cells(source[number]), source[number]


def check_markdown_text(text: str, harmless_text: str) -> None:
    """The Markdown checks, for a whole report or a step summary."""
    tokens = MARKDOWN.parse(text)
    own = MARKDOWN.parse(harmless_text)
    everything, own_all = list(flat(tokens)), list(flat(own))
    # no link and no image from user text (our own Markdown has none)
    own_links = {t.attrGet("href") for t in own_all if t.type == "link_open"}
    links = {t.attrGet("href") for t in everything if t.type == "link_open"}
    assert links <= own_links, links - own_links
    assert [t.attrGet("src") for t in everything if t.type == "image"] == []
    # no HTML but our own
    html = [t.content.strip() for t in everything if t.type in ("html_inline", "html_block")]
    assert [h for h in html if not OUR_HTML.fullmatch(h)] == []
    # no kind of block that the harmless run does not have (but the folds of a
    # report cut to fit a comment, checked above)
    kinds = {t.type for t in everything if t.block}
    own_kinds = {t.type for t in own_all if t.block} | {"html_block"}
    if "**This report is shortened**" in text:  # the note that says so is a quote
        own_kinds |= {"blockquote_open", "blockquote_close"}
    assert kinds <= own_kinds, kinds - own_kinds
    # a message's code spans (what it wrote between backticks) may quote user
    # text: a code span shows it as written, so it must be shown (no control,
    # no invisible character) and hold no line break
    codes = {t.content for t in everything if t.type == "code_inline"}
    assert [c for c in codes if raw_controls(c, allowed="")] == []
    # Mermaid: the same diagrams, each statement one of ours, labels inert
    fences = [t for t in tokens if t.type == "fence"]
    own_fences = [t for t in own if t.type == "fence"]
    if "**This report is shortened**" in text:  # it may leave diagrams out
        own_fences = own_fences[: len(fences)]
    assert [f.info for f in fences] == [f.info for f in own_fences]
    for fence, own_fence in zip(fences, own_fences, strict=True):
        if fence.info != "mermaid":
            continue
        statements = fence.content.rstrip("\n").split("\n")
        assert len(statements) == len(own_fence.content.rstrip("\n").split("\n"))
        for statement in statements:
            assert MERMAID_STATEMENT.fullmatch(statement.strip()), statement
        labels = re.findall(r'"([^"]*)"', fence.content)
        assert [label for label in labels if not MERMAID_LABEL.fullmatch(label)] == []
        assert any(MARK in label for label in labels)
        edges = [s for s in statements if re.search(r"-->|-\.->", s)]
        assert len(edges) == len(re.findall(r"-->|-\.->", own_fence.content))
    # tables: every row has exactly its header's cells, however many pipes it shows
    source = text.split("\n")
    for header, count, line in table_rows(source, tokens):
        assert count == header, line
    # GitHub would make nothing of the text: no mention, issue reference or autolink
    for words in inline_text(tokens):
        assert not re.search(r"(?<![\w`])@[A-Za-z0-9]", words), words
        assert not re.search(r"(?<![\w&])#\d", words), words
        assert not re.search(r"(?i)://|www\.", words), words
        assert not re.search(r"(?i)\b(?:GH-\d|[\w.-]+/[\w.-]+#\d)", words), words
    assert raw_controls(text) == []


def check_markdown(output: Output, harmless: Output, payload: str) -> None:
    check_markdown_text(output.out, harmless.out)
    rendered = MARKDOWN.render(output.out)
    assert MARK in rendered


# --- XML, JSON, SARIF -------------------------------------------------------------------------

JUNIT_ELEMENTS = {
    "testsuites": {"name", "tests", "failures"},
    "testsuite": {"name", "tests", "failures", "errors", "skipped"},
    "testcase": {"classname", "name"},
    "failure": {"type", "message"},
    "system-out": set(),
}


def check_junit(output: Output, harmless: Output, payload: str) -> None:
    root = ET.fromstring(output.out.encode("utf-8"))  # well-formed XML 1.0
    seen = []
    for element in root.iter():
        assert element.tag in JUNIT_ELEMENTS, element.tag
        assert set(element.attrib) <= JUNIT_ELEMENTS[element.tag], element.attrib
        seen += [element.text or "", element.tail or "", *element.attrib.values()]
    assert root.tag == "testsuites"
    assert MARK in "".join(seen)
    for piece in seen:
        assert raw_controls(piece, allowed="\n") == [], piece
    assert all(re.fullmatch(r"PC\d{3}", e.get("type", "")) for e in root.iter("failure"))


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def check_raw_json(text: str) -> Any:
    """Parsed; the text itself holds no raw control, bidi or separator character
    (they are `\\u` escapes in the strings), so printing it hides nothing."""
    document = json.loads(text)
    assert raw_controls(text) == []
    return document


def check_json(output: Output, harmless: Output, payload: str, repo: Path) -> None:
    document = check_raw_json(output.out)
    own = json.loads(harmless.out)
    assert list(document) == list(own)
    assert {tuple(f) for f in document["findings"]} == {tuple(f) for f in own["findings"]}
    # JSON holds the text exactly as written
    messages = "\n".join(f["message"] for f in document["findings"])
    assert payload in messages
    paths = {f["path"] for f in document["findings"]}
    expected = os.fsdecode(file_name(payload)) + ".yaml"
    if not os.path.lexists(repo / expected):
        return  # the file system refused the name
    if payload == PAYLOADS["undecodable-file-name"]:
        expected = "bad-\\xff\\xfe-\\xc3(name.yaml"  # each byte that is not UTF-8 as \xNN
    assert {f"orgs/{expected}", expected} <= paths


def check_matrix_json(output: Output, harmless: Output, payload: str) -> None:
    document = check_raw_json(output.out)
    assert list(document) == list(json.loads(harmless.out))
    # as written (a name longer than a label is cut when the model is built)
    assert any(text.startswith(payload[:100]) for text in strings(document))


def check_gitlab(output: Output, harmless: Output, payload: str) -> None:
    document = check_raw_json(output.out)
    assert isinstance(document, list) and document
    for entry in document:
        assert set(entry) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert re.fullmatch(r"PC\d{3}", entry["check_name"])
        assert raw_controls(entry["description"], allowed="") == []
    assert any(MARK in entry["description"] for entry in document)


SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"


@functools.cache
def sarif_validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


#: A SARIF embedded link (§3.11.6): `[text](target)`, brackets not escaped.
SARIF_LINK = re.compile(r"(?<!\\)\[((?:\\.|[^\\\]])*)\]\(([^)]*)\)")


def check_sarif(output: Output, harmless: Output, payload: str) -> None:
    log = check_raw_json(output.out)
    (run,) = log["runs"]
    for result in run["results"]:
        text = result["message"]["text"]
        related = {location["id"] for location in result.get("relatedLocations", [])}
        # the only links are ours, to related locations by number, and no placeholder
        for _, target in SARIF_LINK.findall(text):
            assert target.isdigit() and int(target) in related, text
        assert not re.search(r"(?<!\{)\{\d+\}(?!\})", text), text
        assert raw_controls(text, allowed="") == []
    assert any(MARK in result["message"]["text"] for result in run["results"])
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF schema is not at {SARIF_SCHEMA} (../shared is absent)")
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in sarif_validator().iter_errors(log)]
    assert errors == []


# --- GitHub workflow commands ---------------------------------------------------------------


def unescape(text: str, *, property_value: bool = False) -> str:
    """What GitHub's runner makes of an escaped value (the reverse of
    `@actions/core`'s escapes)."""
    if property_value:
        text = text.replace("%3A", ":").replace("%2C", ",")
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def check_commands(lines: list[str], findings: int, payload: str) -> None:
    """Each command line is one of ours, one per finding, and reads back as
    the finding (the payload's own `%0A` stays text)."""
    assert len(lines) == findings
    messages = []
    for line in lines:
        match = OUR_COMMAND.fullmatch(line)
        assert match, line
        assert "\r" not in line and "##[" not in line
        messages.append(unescape(match["message"]))
        unescape(match["file"], property_value=True)
    assert any(MARK in message for message in messages)
    if payload == PAYLOADS["workflow-command"]:  # the payload's own `%0A` is text
        assert any(f"%0A:\\x3aerror:\\x3a{MARK}" in message for message in messages)


def finding_count(repo: Path) -> int:
    document = json.loads(invoke(repo, ("check", "-f", "json")).out)
    return len(document["findings"])


def check_github(output: Output, harmless: Output, payload: str, repo: Path) -> None:
    lines = output.out.split("\n")
    assert lines[-1] == "" and lines[-2].startswith("policycoord: ")
    assert raw_controls(output.out) == []
    check_commands(lines[:-2], finding_count(repo), payload)


def check_github_actions(output: Output, harmless: Output, payload: str, repo: Path) -> None:
    """The terminal format under GitHub Actions, colour forced (so rich wraps
    long lines): the annotations come first, and no line of the terminal report
    after them, wrapped or not, reads as a command; the step summary is Markdown."""
    count = finding_count(repo)
    lines = output.out.split("\n")
    check_commands(lines[:count], count, payload)
    assert command_lines("\n".join(lines[count:])) == []
    check_terminal(Output(output.code, "\n".join(lines[count:]), output.err), harmless, payload)
    check_markdown_text(output.summary, harmless.summary)
    assert MARK in output.summary


# --- terminal and CSV -------------------------------------------------------------------------

OUR_STYLES = re.compile(r"\x1b\[[0-9;]*m")


def check_terminal(output: Output, harmless: Output, payload: str) -> None:
    text = OUR_STYLES.sub("", output.out)  # policycoord's own colours, when forced
    assert raw_controls(text) == []
    assert MARK in text
    if payload == PAYLOADS["rich-markup"]:  # shown as written wherever it is, not obeyed
        assert text.count(MARK) == text.count(f"[red]{MARK}[")  # `[/red]`, `[_red]` in names
        assert f"[link=https://{EVIL_HOST}]click[/link]" in text
    if payload == PAYLOADS["ansi-controls"]:
        assert f"\\x1b[31m{MARK}\\x1b[0m" in text
    if payload == PAYLOADS["bidi"]:
        assert f"<U+202E>{MARK}<U+202C>" in text


FORMULA = ("=", "+", "-", "@", "\t", "\r")


def check_csv(output: Output, harmless: Output, payload: str) -> None:
    rows = list(csv.reader(io.StringIO(output.out, newline="")))
    assert rows and all(len(row) == len(rows[0]) for row in rows), rows
    assert len(rows) == len(list(csv.reader(io.StringIO(harmless.out, newline=""))))
    for row in rows:
        for cell in row:
            assert not cell.lstrip(" ").startswith(FORMULA), cell
            assert raw_controls(cell, allowed="") == [], cell
    assert any(MARK in cell for row in rows for cell in row)


CHECKERS = {
    "terminal": check_terminal,
    "markdown": check_markdown,
    "html": check_html,
    "matrix-json": check_matrix_json,
    "gitlab": check_gitlab,
    "sarif": check_sarif,
    "junit": check_junit,
    "csv": check_csv,
}


# --- the tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", sorted(PAYLOADS))
@pytest.mark.parametrize("run", list(RUNS))
def test_payload_is_inert(run: str, payload: str, repos: dict[str, Path]) -> None:
    chosen = RUNS[run]
    output = invoke(repos[payload], chosen.args, chosen.env)
    assert output.code in (0, 1), output.err
    assert output.err == ""
    harmless = _harmless_output(repos["harmless"], run)
    assert harmless.code in (0, 1), harmless.err
    if "FORCE_COLOR" in chosen.env:  # really in colour: rich wraps long lines
        assert "\x1b[" in output.out
    if chosen.kind == "github":
        check_github(output, harmless, PAYLOADS[payload], repos[payload])
    elif chosen.kind == "github-actions":
        check_github_actions(output, harmless, PAYLOADS[payload], repos[payload])
    elif chosen.kind == "json":
        assert command_lines(output.out) == []
        check_json(output, harmless, PAYLOADS[payload], repos[payload])
    else:
        # read as GitHub's runner reads a log: nothing the payload wrote is a command
        assert command_lines(output.out) == []
        CHECKERS[chosen.kind](output, harmless, PAYLOADS[payload])


def test_the_payloads_reach_every_part_of_the_report(repos: dict[str, Path]) -> None:
    """The repository is not vacuous: its findings come from most families and
    quote the payload, a finding is suppressed by a waiver whose reason is the
    payload, and the file names carry it."""
    document = json.loads(invoke(repos["script"], ("check", "-f", "json")).out)
    codes = {f["code"] for f in document["findings"]}
    expected = {"PC001", "PC003", "PC006", "PC103", "PC104", "PC206", "PC301", "PC302", "PC303"}
    assert expected <= codes, expected - codes
    assert {"PC401", "PC407"} <= codes
    assert [s["suppressed_by"]["waiver"]["reason"] for s in document["suppressed"]] == [
        PAYLOADS["script"]
    ]
    quoting = {f["code"] for f in document["findings"] if PAYLOADS["script"] in f["message"]}
    assert {"PC003", "PC006", "PC103", "PC302", "PC407"} <= quoting, quoting
    named = os.fsdecode(file_name(PAYLOADS["script"])) + ".yaml"
    broken = {f["path"] for f in document["findings"] if f["code"] == "PC001"}
    assert broken == {named, f"orgs/{named}"}


def test_a_file_name_that_is_not_utf8_is_named_with_its_bytes(repos: dict[str, Path]) -> None:
    """A name of bytes that do not decode: every format writes, and names the
    file with `\\xNN` for each such byte (it used to be an internal error)."""
    repo = repos["undecodable-file-name"]
    if not os.path.lexists(repo / os.fsdecode(UNDECODABLE + b".yaml")):
        pytest.skip("this file system refuses a file name that is not UTF-8")
    for args in (("-f", "terminal", "--no-color"), ("-f", "json"), ("-f", "html")):
        output = invoke(repo, ("check", *args))
        assert output.code == 1, output.err
        assert "bad-\\xff\\xfe-\\xc3(name.yaml" in output.out.replace("\\\\", "\\")


def test_line_breaks_in_a_file_name_stay_on_one_line(repos: dict[str, Path]) -> None:
    repo = repos["workflow-command"]
    if not any("\n" in p.name for p in (repo / "orgs").iterdir()):
        pytest.skip("this file system does not allow a line break in a file name")
    output = invoke(repo, ("check", "-f", "terminal", "--no-color"))
    (line,) = [line for line in output.out.split("\n") if "PC001" in line and "orgs/" in line]
    assert line.startswith(f"orgs/:\\x3aerror:\\x3a{MARK} %0A:\\x3aerror:\\x3a{MARK}")
    assert "\\x0a:\\x3aerror:\\x3a" in line


def test_unescape_reads_back_what_github_escapes() -> None:
    from policycoord.output.reporters.github import escape_data, escape_property

    text = "a%0A\n:error:b\r,c:d%3A"
    assert unescape(escape_data(text)) == text
    assert unescape(escape_property(text), property_value=True) == text
    assert "\n" not in escape_data(text) and "\r" not in escape_data(text)
    assert ":" not in escape_property(text) and "," not in escape_property(text)
