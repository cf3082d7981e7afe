"""`--format github`: one workflow command per finding, escaped as the runner
expects, then one summary line that is not a command; user text can never
start a command of its own or drive the log viewer."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from conftest import EXAMPLES, TODAY, CliRunner

from output.reporters.example_copies import examples_outside_git
from output.reporters.hostile_repo import HOSTILE_FILE, hostile_repo, json_findings, raw_controls
from output.test_report_formats_golden import broken_repo
from policycoord.core.text import shown
from policycoord.output.formats import RenderOptions
from policycoord.output.reporters.github import annotations, escape_data, escape_property, render
from policycoord.workflows.pipeline import Options, check

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
# a command as the runner splits it: ::name properties::message
COMMAND = re.compile(r"::(error|warning|notice) ([^:]*)::(.*)")


def github(cli: CliRunner, repo: Path, *args: str) -> list[str]:
    code, out, err = cli("check", "--today", TODAY, "-f", "github", *args, cwd=repo)
    assert code in (0, 1), err
    assert out.endswith("\n")
    return out.split("\n")[:-1]


def unescape_property(value: str) -> str:
    return (
        value.replace("%2C", ",")
        .replace("%3A", ":")
        .replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%25", "%")
    )


def unescape_data(value: str) -> str:
    return value.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


@pytest.mark.parametrize("which", ["examples", "broken", "hostile"])
def test_one_command_per_finding_then_a_summary(cli: CliRunner, tmp_path: Path, which: str) -> None:
    repo = {
        "examples": lambda: examples_outside_git(tmp_path / "examples"),
        "broken": lambda: broken_repo(tmp_path / "repo"),
        "hostile": lambda: hostile_repo(tmp_path / "repo"),
    }[which]()
    lines = github(cli, repo)
    findings = json_findings(cli, repo)["findings"]
    assert len(lines) == len(findings) + 1
    *commands, summary = lines
    assert not summary.startswith("::")
    assert summary.startswith("policycoord: ")
    for line, finding in zip(commands, findings, strict=True):
        command = COMMAND.fullmatch(line)
        assert command is not None, line
        name, properties, message = command.groups()
        assert name == COMMANDS[finding["severity"]]
        pairs = [p.split("=", 1) for p in properties.split(",")]
        assert [key for key, _ in pairs] == ["file", "line", "col", "title"]
        values = {key: unescape_property(value) for key, value in pairs}
        assert values["line"] == str(finding["line"])
        assert values["col"] == str(finding["column"])
        assert values["title"] == f"{finding['code']} {finding['name']}"
        if which != "hostile":
            assert values["file"] == shown(finding["path"])
            assert unescape_data(message) == shown(finding["message"])
    assert [raw_controls(line, allowed="") for line in lines] == [[]] * len(lines)


def test_user_text_cannot_start_a_command(cli: CliRunner, tmp_path: Path) -> None:
    lines = github(cli, hostile_repo(tmp_path / "repo"))
    (unknown,) = [line for line in lines if "title=PC007" in line]
    message = unknown.split("::", 2)[2]
    # the name's own `%0A` stays text; its real line breaks are escaped
    # (and `::` is shown as `:\x3a`, as in every report, for the lines of a CI log)
    assert message.startswith(
        "%250A:\\x3aerror:\\x3ax%0A:\\x3awarning file=a,line=1:\\x3ainjected%0D%0A"
    )
    assert "<script>alert(1)</script> ]]> \\x1b[31mred <U+202E>evil" in message
    assert "\\x00\\x07\\x85\\x9b<U+FFFE> [link](1) {0} \\ a:b, c é" in message
    (broken,) = [line for line in lines if "title=PC001" in line]
    assert broken.startswith("::error file=orgs/we%2Cird%3A %250A.yaml,line=3,col=1,")
    assert unescape_property("orgs/we%2Cird%3A %250A.yaml") == HOSTILE_FILE


def test_escapes() -> None:
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext%3A a%2C b"
    assert escape_data("%0A::error::x") == "%250A:\\x3aerror:\\x3ax"
    assert escape_data("a\x1b[31m\u202eb\x00\u2028") == "a\\x1b[31m<U+202E>b\\x00<U+2028>"
    assert escape_property("\udcff::,") == "<U+DCFF>%3A\\x3a%2C"


def test_annotations_are_the_commands_alone() -> None:
    report = check([str(EXAMPLES)], options=Options(today=datetime.date(2026, 11, 24)))
    text = annotations(report)
    assert text.count("\n") == len(report.findings)
    assert all(line.startswith("::") for line in text.splitlines())
    full = render(report, RenderOptions())
    assert full.startswith(text)
    assert full[len(text) :].count("\n") == 1
    assert render(report, RenderOptions(quiet=True)) == text


def test_summary_line(cli: CliRunner) -> None:
    *_, summary = github(cli, EXAMPLES)
    assert summary == (
        "policycoord: 8 errors, 8 warnings, 3 info; 1 accepted by waivers or the baseline; "
        "failed (a run fails on error or above)."
    )
    *_, summary = github(cli, EXAMPLES, "--fail-on", "never")
    assert summary.endswith("; passed (nothing fails a run with --fail-on never).")
