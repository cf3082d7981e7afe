"""No literal backticks where a reader sees text. Messages write ids,
timeframes and YAML keys between backticks; in HTML, and in a Markdown
table cell escaped as `\\``, a backtick shows as it is. So the HTML report
shows them as `<code>`, and the Markdown outputs (the check report, the
`diff` comment, the matrix, the history) as code spans that survive a
table's escaping."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import TODAY, CliRunner, make_repo
from markdown_it import MarkdownIt

from output.reporters.example_copies import examples_outside_git
from output.test_report_formats_golden import broken_repo
from policycoord.output.reporters.markdown_text import markdown_message

GFM = MarkdownIt("commonmark").enable(["table", "strikethrough"])

NO_DUTIES = {
    "partnership.yaml": """\
        policycoord: 1
        partnership:
          id: north
          name: North Partnership
          members: [alpha, ghost]
        """,
    "orgs/alpha.yaml": """\
        policycoord: 1
        organisation: {id: alpha, name: Alpha School, sector: education}
        """,
}


def repositories(tmp_path: Path) -> list[Path]:
    return [
        examples_outside_git(tmp_path / "examples"),
        broken_repo(tmp_path / "broken"),
        make_repo(tmp_path / "no-duties", NO_DUTIES),
    ]


def markdown_texts(markdown: str) -> tuple[list[str], list[str]]:
    """(what a reader sees as text, what as code) of a Markdown document,
    Mermaid diagrams left out (they are drawings, not text)."""
    texts, codes = [], []
    for token in GFM.parse(markdown):
        for child in token.children or ():
            if child.type == "text":
                texts.append(child.content)
            elif child.type == "code_inline":
                codes.append(child.content)
    return texts, codes


def test_markdown_report_shows_code_not_backticks(cli: CliRunner, tmp_path: Path) -> None:
    for repo in repositories(tmp_path):
        code, out, err = cli("check", "--today", TODAY, "-f", "markdown", cwd=repo)
        assert code == 1, err
        texts, codes = markdown_texts(out)
        assert [text for text in texts if "`" in text] == [], repo.name
        assert codes, repo.name
    # the example's findings table: code in the cells, and the cells intact
    texts, codes = markdown_texts(out)
    assert "duties" in codes and "policycoord check" not in " ".join(texts)


def test_example_findings_table_holds_code(cli: CliRunner, tmp_path: Path) -> None:
    repo = examples_outside_git(tmp_path / "examples")
    _, out, _ = cli("check", "--today", TODAY, "-f", "markdown", cwd=repo)
    _, codes = markdown_texts(out)
    for code in ("raci: accountable", "report-allegation-to-lado", "1 working day", "within"):
        assert code in codes
    # the matrix alone, too (it has its own escaping)
    _, out, _ = cli("matrix", "-f", "markdown", cwd=make_repo(tmp_path / "m", NO_DUTIES))
    texts, codes = markdown_texts(out)
    assert [text for text in texts if "`" in text] == []
    assert "duties" in codes


@pytest.mark.parametrize(
    ("message", "markdown"),
    [
        ("Add `raci: accountable` here", "Add `raci: accountable` here"),
        ("a pipe `a|b` in code", "a pipe `a\\|b` in code"),
        ("one ` alone", "one \\` alone"),
        ("three `a` `b c", "three \\`a\\` \\`b c"),
        ("`<b>@all #1 http://x`", "`<b>@all #1 http://x`"),
        ("text *b* `x`", "text \\*b\\* `x`"),
        ("empty `` pair", "empty \\`\\` pair"),
        ("control `a\x1bb` shown", "control `a\\x1bb` shown"),
    ],
)
def test_markdown_message(message: str, markdown: str) -> None:
    assert markdown_message(message) == markdown


def test_code_spans_stay_in_their_table_cells() -> None:
    for message in ("`a|b|c` and | outside", "`x` | `y|z`", "`|`"):
        row = f"| {markdown_message(message)} | next |"
        tokens = GFM.parse(f"| a | b |\n|---|---|\n{row}\n")
        cells = [t for t in tokens if t.type == "td_open"]
        assert len(cells) == 2, message
        inline = [t for t in tokens if t.type == "inline"][-2]
        shown = "".join(c.content for c in inline.children or ())
        assert shown == message.replace("`", ""), message


class _Text(HTMLParser):
    """The text of a page outside `<code>`, `<style>` and `<script>`."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in ("br", "wbr", "meta", "input", "col", "path", "rect", "marker"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if not {"code", "style", "script"} & set(self.open):
            self.texts.append(data)


def test_html_report_shows_code_not_backticks(cli: CliRunner, tmp_path: Path) -> None:
    for repo in repositories(tmp_path):
        code, out, err = cli("check", "--today", TODAY, "-f", "html", cwd=repo)
        assert code == 1, err
        page = _Text()
        page.feed(out)
        assert [text for text in page.texts if "`" in text] == [], repo.name
    assert "<code>duties</code>" in out  # the matrix's note
