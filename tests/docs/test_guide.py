"""docs/guide.md, run as written: every command and every file in it, in order.

The guide's blocks, read in order:

- ```` ```sh ````: each line is a command (`# ...` comments dropped).
  `policycoord ...` runs in-process with the clock frozen at `TODAY`; `cd`
  changes folder; `git ...` runs git (with a fixed author and date).
- ```` ```yaml file=PATH ````: the file is written with that text.
- ```` ```yaml append=PATH ````: the text is added at the end of the file.
- ```` ```yaml excerpt=PATH ````: the file (as a command wrote it) holds
  this text, as it is.
- ```` ```diff file=PATH ````: hunks separated by `@@` lines; in each, the
  lines marked ` ` and `-` must appear in the file exactly once, in a row,
  and are replaced by those marked ` ` and `+`.
- `<!-- expect: exit=N contains="..." -->` just before a `sh` block: each
  command of the block must exit N and print each text. Without it, a
  command must not exit 2.

No command may print a Python traceback.
"""

from __future__ import annotations

import datetime
import os
import re
import shlex
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT
from typer.testing import CliRunner

from policycoord.cli import app as cli
from policycoord.cli import options

GUIDE = PROJECT_ROOT / "docs" / "guide.md"
TODAY = datetime.date(2026, 11, 24)
GIT_DATE = "2026-11-24T10:00:00+00:00"

_FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
_EXPECT = re.compile(r"<!--\s*expect:([^\n]*?)-->")


@dataclass
class Block:
    language: str
    attributes: dict[str, str]
    text: str
    exit: int | None = None
    contains: list[str] = field(default_factory=list)


def blocks(markdown: str) -> Iterator[Block]:
    for match in _FENCE.finditer(markdown):
        language, info, text = match.groups()
        attributes = dict(re.findall(r"(\w+)=(\S+)", info))
        block = Block(language, attributes, text)
        last_line = markdown[: match.start()].rstrip("\n").rpartition("\n")[2]
        expect = _EXPECT.fullmatch(last_line.strip())
        if expect is not None:
            spec = expect.group(1)
            status = re.search(r"exit=(\d+)", spec)
            block.exit = int(status.group(1)) if status else None
            block.contains = re.findall(r'contains="([^"]*)"', spec)
        yield block


def apply_diff(path: Path, diff: str) -> None:
    text = path.read_text(encoding="utf-8")
    for hunk in re.split(r"^@@.*\n", diff, flags=re.MULTILINE):
        old = [line[1:] for line in hunk.splitlines() if line[:1] in (" ", "-")]
        new = [line[1:] for line in hunk.splitlines() if line[:1] in (" ", "+")]
        before, after = "\n".join(old) + "\n", "\n".join(new) + "\n"
        assert text.count(before) == 1, f"the guide's change to {path.name} does not apply:\n{hunk}"
        text = text.replace(before, after)
    path.write_text(text, encoding="utf-8")


def git(cwd: Path, arguments: list[str]) -> tuple[int, str]:
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Partnership Business Manager",
        "GIT_AUTHOR_EMAIL": "business.manager@northshire.example",
        "GIT_COMMITTER_NAME": "Partnership Business Manager",
        "GIT_COMMITTER_EMAIL": "business.manager@northshire.example",
        "GIT_AUTHOR_DATE": GIT_DATE,
        "GIT_COMMITTER_DATE": GIT_DATE,
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(cwd),
    }
    done = subprocess.run(
        ["git", *arguments], cwd=cwd, env=environment, capture_output=True, text=True, check=False
    )
    return done.returncode, done.stdout + done.stderr


def policycoord(cwd: Path, arguments: list[str]) -> tuple[int, str]:
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli.app, arguments, catch_exceptions=True)
    finally:
        os.chdir(previous)
    output = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        output += f"\nTraceback: {result.exception!r}"
    return result.exit_code, output


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--today` defaults to TODAY, so the guide's dates stay true whenever it is run."""
    monkeypatch.setattr(options, "current_date", lambda: TODAY)


def test_the_guide_runs_as_written(tmp_path: Path, frozen_clock: None) -> None:
    cwd = tmp_path
    ran: list[str] = []
    for block in blocks(GUIDE.read_text(encoding="utf-8")):
        if block.language == "sh":
            for line in block.text.splitlines():
                words = shlex.split(line, comments=True)
                if not words:
                    continue
                ran.append(line)
                if words[0] == "cd":
                    cwd = cwd / words[1]
                    continue
                if words[0] == "git":
                    status, output = git(cwd, words[1:])
                    assert status == 0, f"{line}\n{output}"
                    continue
                assert words[0] == "policycoord", f"the guide runs something else: {line}"
                status, output = policycoord(cwd, words[1:])
                assert "Traceback" not in output, f"{line}\n{output}"
                if block.exit is not None:
                    assert status == block.exit, f"{line} exited {status}:\n{output}"
                else:
                    assert status != 2, f"{line}\n{output}"
                for text in block.contains:
                    assert text in output, f"{line} did not print {text!r}:\n{output}"
        elif "file" in block.attributes and block.language == "diff":
            apply_diff(cwd / block.attributes["file"], block.text)
        elif "file" in block.attributes:
            target = cwd / block.attributes["file"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.text, encoding="utf-8")
        elif "excerpt" in block.attributes:
            excerpt = block.attributes["excerpt"]
            written = (cwd / excerpt).read_text(encoding="utf-8")
            assert block.text in written, f"{excerpt} does not hold:\n{block.text}"
        elif "append" in block.attributes:
            with (cwd / block.attributes["append"]).open("a", encoding="utf-8") as handle:
                handle.write(block.text)
        else:
            pytest.fail(f"a {block.language} block the test cannot run:\n{block.text}")
    # the walk-through really happened: each section's command ran
    for expected in (
        "init",
        "check",
        "explain",
        "diff",
        "history",
        "mission --pack",
        "matrix",
        "workbook export",
        "workbook import",
    ):
        assert any(f"policycoord {expected}" in line for line in ran), expected
    for made in (
        "report.html",
        "board-paper.md",
        "history.html",
        "workshop.html",
        "workbooks/st-marys.xlsx",
    ):
        assert (cwd / made).is_file(), made


def test_the_guide_explains_each_step_a_business_manager_needs() -> None:
    headings = re.findall(r"^## (.+)$", GUIDE.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert headings == [
        "1. Start a repository",
        "2. Add an organisation",
        "3. Read the report",
        "4. Accept a finding, on the record",
        "5. A report for the board",
        "6. Check every change before it is accepted",
        "7. Is the partnership getting better? A paper for the board",
        "8. Run a workshop on the joint mission",
        "9. Read and change the policies in a browser",
        "10. Send each organisation a workbook, and import what comes back",
        "11. For an organisation: fill in your workbook",
        "Where next",
    ]


def test_the_guide_s_pictures_are_there() -> None:
    pictures = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", GUIDE.read_text(encoding="utf-8"))
    assert len(pictures) >= 3
    for picture in pictures:
        assert (GUIDE.parent / picture).read_bytes().startswith(b"\x89PNG"), picture


def test_an_expectation_the_guide_breaks_fails_the_test(tmp_path: Path) -> None:
    """The harness itself: a wrong diff does not apply silently."""
    target = tmp_path / "p.yaml"
    target.write_text("a: 1\nb: 2\n", encoding="utf-8")
    apply_diff(target, " a: 1\n-b: 2\n+b: 3\n")
    assert target.read_text(encoding="utf-8") == "a: 1\nb: 3\n"
    with pytest.raises(AssertionError, match="does not apply"):
        apply_diff(target, "-b: 2\n+b: 4\n")
