"""The terminal report as a person reads it (issue 19): the Fix at full
strength, wrapped lines that keep their indent at any width, and a verdict
that says what fails the run and what does not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EXAMPLES, TODAY, run_cli
from rich.cells import cell_len

from policycoord.core.findings import Finding, Location, Report, Severity, Summary, Suppressed
from policycoord.output.formats import RenderOptions
from policycoord.output.reporters import terminal

ANSI = re.compile(r"\x1b\[[0-9;]*m")

LONG_MESSAGE = (
    "Riverside Juniors Football Club escalates significant-harm to "
    "`northshire-cs/front-door`, but Northshire Council Children's Services has no role "
    "`front-door` (its roles: mash, edt, lado and head-of-service), so a worried coach "
    "follows the policy to a team that does not exist."
)
LONG_FIX = (
    "Agree with Northshire Council Children's Services which of its roles takes "
    "significant-harm from you: its Multi-Agency Safeguarding Hub (`northshire-cs/mash`) "
    "and Emergency Duty Team (`northshire-cs/edt`) receive it. Then point this step at one "
    "(for example `to: northshire-cs/mash`)."
)


def finding(
    severity: Severity = Severity.ERROR,
    message: str = LONG_MESSAGE,
    suggestion: str = LONG_FIX,
    code: str = "PC201",
) -> Finding:
    return Finding(
        code=code,
        name="unknown-escalation-target",
        severity=severity,
        message=message,
        location=Location("orgs/riverside-fc.yaml", 45, 13, "/escalations/0/steps/1/to"),
        suggestion=suggestion,
        organisation="riverside-fc",
        related=(Location("orgs/northshire-cs.yaml", 12, 5, "/roles/0"),),
    )


def report(findings: list[Finding], *, fail_on: str = "error", suppressed: int = 0) -> Report:
    count = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    return Report(
        tool_version="0",
        partnership="northshire",
        partnership_name="Northshire Safeguarding Children Partnership",
        summary=Summary(
            files=2,
            organisations=1,
            error=count[Severity.ERROR],
            warning=count[Severity.WARNING],
            info=count[Severity.INFO],
            suppressed=suppressed,
        ),
        findings=tuple(findings),
        fail_on=fail_on,
        organisation_names={"riverside-fc": "Riverside Juniors Football Club"},
        suppressed=tuple(Suppressed(finding(Severity.WARNING)) for _ in range(suppressed)),
    )


# -- the Fix ----------------------------------------------------------------------


def test_fix_line_is_at_full_strength_not_dimmed() -> None:
    text = terminal.render(report([finding()]), RenderOptions(color=True, width=200))
    fix = next(line for line in text.splitlines() if "Fix:" in line)
    assert "\x1b[2m" not in fix  # dim
    # the label in bold, the advice itself plain
    assert fix.startswith("\x1b[1m    Fix: \x1b[0mAgree with Northshire")
    message = next(line for line in text.splitlines() if "PC201" in line)
    assert "\x1b[2m" not in message
    assert "\x1b[0m" + LONG_MESSAGE[:40] in message  # the message itself unstyled
    see = next(line for line in text.splitlines() if "See:" in line)
    assert see.startswith("\x1b[2m")  # references stay quiet


# -- wrapping -----------------------------------------------------------------------


def _lines_of(text: str, marker: str, indent: int) -> list[str]:
    """The physical lines of the block that starts at the line holding
    `marker` and goes on in lines indented by `indent` spaces."""
    lines = ANSI.sub("", text).splitlines()
    start = next(i for i, line in enumerate(lines) if marker in line)
    block = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith(" " * indent) or line.lstrip().startswith(("Fix:", "See:")):
            break
        block.append(line)
    return block


@pytest.mark.parametrize("width", [60, 80, 200])
@pytest.mark.parametrize("color", [False, True])
def test_wrapped_lines_keep_their_indent(width: int, color: bool) -> None:
    options = RenderOptions(color=color, width=width, wrap=True)
    text = terminal.render(report([finding()]), options)
    plain = ANSI.sub("", text)
    for line in plain.splitlines():
        assert cell_len(line) <= width, line
        assert line == line.rstrip(), repr(line)
    message = _lines_of(text, "PC201", 4)
    fix = _lines_of(text, "Fix:", 9)
    # further lines hang under the message and under the Fix's text
    assert all(line.startswith("    ") and line[4] != " " for line in message[1:])
    assert all(line.startswith(" " * 9) and line[9] != " " for line in fix[1:])
    if width < 200:
        assert len(message) > 1 and len(fix) > 1
    # nothing lost or cut: the words read back as written
    assert " ".join(" ".join(message).split()).endswith(LONG_MESSAGE)
    assert " ".join(" ".join(fix).split()) == "Fix: " + LONG_FIX


def test_a_code_span_is_not_split_when_a_space_outside_it_will_do() -> None:
    fix = "Agree who is accountable; the others keep their part as `raci: responsible` or more."
    lines = terminal.hanging(terminal.Text(fix), 62, 9)
    assert [line.plain for line in lines] == [
        "Agree who is accountable; the others keep their part as",
        "         `raci: responsible` or more.",
    ]


def test_a_word_longer_than_the_line_is_broken_not_lost() -> None:
    word = "x" * 150
    lines = terminal.hanging(terminal.Text(f"See: {word}"), 60, 9)
    assert all(cell_len(line.plain) <= 60 for line in lines)
    assert "".join(line.plain.strip() for line in lines) == f"See:{word}"


def test_wide_characters_count_as_two_cells() -> None:
    text = "名前 " * 40
    for line in terminal.hanging(terminal.Text(text), 61, 4):
        assert cell_len(line.plain) <= 61


def test_without_wrapping_each_finding_fix_and_see_is_one_line() -> None:
    text = terminal.render(report([finding()]), RenderOptions(color=False, width=60))
    lines = text.splitlines()
    assert any(line.endswith(LONG_MESSAGE) and "PC201" in line for line in lines)
    assert f"    Fix: {LONG_FIX}" in lines


@pytest.mark.parametrize("columns", ["60", "80", "200"])
def test_columns_lays_the_report_out_at_that_width_without_colour(columns: str) -> None:
    code, out, _ = run_cli(
        "check", EXAMPLES, "--today", TODAY, cwd=EXAMPLES, env={"COLUMNS": columns}
    )
    assert code == 1
    assert "\x1b" not in out  # NO_COLOR
    lines = out.splitlines()
    assert all(cell_len(line) <= int(columns) for line in lines), columns
    fixes = [i for i, line in enumerate(lines) if line.startswith("    Fix: ")]
    assert fixes
    if columns != "200":
        # some Fix goes on under its own text, 9 spaces in
        assert any(lines[i + 1].startswith(" " * 9) and lines[i + 1][9] != " " for i in fixes)


def test_a_pipe_without_columns_and_a_file_keep_one_line_per_finding(tmp_path: Path) -> None:
    _, out, _ = run_cli("check", EXAMPLES, "--today", TODAY, cwd=EXAMPLES)
    written = tmp_path / "report.txt"
    run_cli("check", EXAMPLES, "--today", TODAY, "-o", written, cwd=EXAMPLES, env={"COLUMNS": "60"})
    for text in (out, written.read_text(encoding="utf-8")):
        findings = [line for line in text.splitlines() if re.match(r"\S+:\d+:\d+  ", line)]
        assert len(findings) == 19
        assert not any(line.startswith("         ") for line in text.splitlines())


# -- the verdict ----------------------------------------------------------------------

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO  # N: a note


@pytest.mark.parametrize(
    ("severities", "fail_on", "expected"),
    [
        (
            [E] * 8 + [W] * 8 + [N] * 3,
            "error",
            "8 errors fail this run; 8 warnings and 3 notes do not (--fail-on error).",
        ),
        ([E, W], "error", "1 error fails this run; 1 warning does not (--fail-on error)."),
        ([E, E, N], "error", "2 errors fail this run; 1 note does not (--fail-on error)."),
        (
            [E, W, W, N],
            "warning",
            "1 error and 2 warnings fail this run; 1 note does not (--fail-on warning).",
        ),
        ([W, N], "info", "1 warning and 1 note fail this run (--fail-on info)."),
        ([E], "error", "1 error fails this run (--fail-on error)."),
        (
            [E, W, N],
            "never",
            "1 error, 1 warning and 1 note do not fail this run (--fail-on never).",
        ),
        ([W, W], "error", "2 warnings do not fail this run (--fail-on error)."),
        ([N], "error", "1 note does not fail this run (--fail-on error)."),
        ([], "error", "No findings on any of the checks that ran."),
    ],
)
def test_verdict_says_what_fails_and_what_does_not(
    severities: list[Severity], fail_on: str, expected: str
) -> None:
    found = report([finding(s) for s in severities], fail_on=fail_on)
    assert terminal.verdict(found) == expected
    text = terminal.render(found, RenderOptions(color=False, width=100))
    assert text.rstrip("\n").splitlines()[-1] == expected


def test_verdict_when_everything_found_was_suppressed() -> None:
    found = report([], suppressed=2)
    assert terminal.verdict(found) == "No new findings on any of the checks that ran."
    text = terminal.render(found, RenderOptions(color=False, width=100))
    assert "2 findings suppressed: 2 by the baseline" in text


def test_verdict_counts_only_what_is_reported_not_what_is_suppressed() -> None:
    found = report([finding(W)], suppressed=3)
    assert terminal.verdict(found) == "1 warning does not fail this run (--fail-on error)."


def test_verdict_is_bold_red_only_when_the_run_fails() -> None:
    failing = terminal.render(report([finding(E)]), RenderOptions(color=True, width=100))
    passing = terminal.render(report([finding(W)]), RenderOptions(color=True, width=100))
    assert "\x1b[1;31m1 error fails this run" in failing
    assert "\x1b[1m1 warning does not fail this run" in passing
