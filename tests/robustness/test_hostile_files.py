"""Hostile policy files, end to end (SPEC §6): each gets a clear finding at its
line, the other files are still checked, nothing is executed, no report is
corrupted, and policycoord never crashes (exit 2) or prints a traceback.

Every case is a repository of one clean organisation file plus one hostile
file. The cases run through `policycoord.workflows.pipeline.check` and the command line
in-process; one repository holding every case at once runs through
`python -m policycoord` in a subprocess.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import TODAY, CliRunner, make_repo, partnership, policy, run_cli

from policycoord.core.findings import Report
from policycoord.workflows.pipeline import Options, check

RUN_DATE = datetime.date.fromisoformat(TODAY)
CLEAN_ID = "clean-school"
CLEAN_FILE = "orgs/clean-school.yaml"
#: `members: []`: every organisation with a file gets PC007 (a warning), so
#: that the clean file's finding shows it was checked.
PARTNERSHIP = partnership(members=[])
MARKER = "EXECUTED"
FIFTY_MB = 50 * 1024 * 1024
ESC = "\x1b"
RLO = "\u202e"


def billion_laughs() -> str:
    """9 levels of 9 aliases: 9**9 strings if expanded (line 7 passes the bound)."""
    lines = [
        "policycoord: 1",
        'lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    ]
    for level in range(1, 9):
        lines.append(f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def fifty_megabytes(target: Path) -> None:
    """A real 50 MB file of YAML (valid, if it were ever read)."""
    row = b"# " + b"x" * 1021 + b"\n"
    chunk = row * 1024  # 1 MB
    with target.open("wb") as handle:
        handle.write(policy("huge-org").encode())
        for _ in range(50):
            handle.write(chunk)


@dataclasses.dataclass(frozen=True)
class Case:
    """One hostile file: where it goes, what it holds, what must be reported."""

    file: str
    content: bytes | Callable[[Path], None]
    #: (code, line, column) of each finding in the hostile file
    expected: tuple[tuple[str, int, int], ...]
    #: an organisation id that the file declares and that must still be read
    organisation: str | None = None


def _python_tag(root: Path) -> None:
    marker = root / MARKER
    (root / "orgs" / "python-tag.yaml").write_text(
        "policycoord: 1\n"
        f"organisation: !!python/object/apply:os.system ['touch {marker}']\n"
        f"summary: !!python/object/apply:os.system ['touch {marker}']\n",
        encoding="utf-8",
    )


def _random_binary() -> bytes:
    generator = random.Random(20261124)
    return bytes(generator.randrange(256) for _ in range(4096))


CASES: dict[str, Case] = {
    "empty": Case("orgs/empty.yaml", b"", (("PC003", 1, 1),)),
    "png-binary": Case(
        "orgs/logo.yaml",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
        (("PC001", 1, 1),),
    ),
    "random-binary": Case("orgs/noise.yaml", _random_binary(), (("PC001", 1, 5),)),
    "utf8-bom": Case(
        "orgs/bom.yaml",
        b"\xef\xbb\xbf" + policy("bom-org", "Bom Org").encode(),
        (("PC007", 3, 7),),
        organisation="bom-org",
    ),
    "latin-1": Case(
        "orgs/latin1.yaml",
        policy("latin-org", "Café Club").encode("latin-1"),
        (("PC001", 4, 12),),  # `  name: Caf` is 11 characters: é is the 12th
    ),
    "tab-indentation": Case(
        "orgs/tabs.yaml",
        b"policycoord: 1\norganisation:\n\tid: tabs-org\n\tname: Tabs\n",
        (("PC001", 3, 1),),
    ),
    "top-level-list": Case(
        "orgs/list.yaml",
        b"- policycoord: 1\n- organisation: {id: list-org}\n",
        (("PC003", 1, 1),),
    ),
    "duplicate-keys": Case(
        "orgs/dupe.yaml",
        (policy("dupe-org", "Dupe Org") + "  id: dupe-org-2\n").encode(),
        (("PC002", 6, 3), ("PC007", 6, 7)),
        organisation="dupe-org-2",
    ),
    "python-tag": Case("orgs/python-tag.yaml", _python_tag, (("PC005", 2, 15),)),
    "billion-laughs": Case("orgs/bomb.yaml", billion_laughs().encode(), (("PC005", 7, 14),)),
    "fifty-megabytes": Case(
        "orgs/huge.yaml",
        lambda root: fifty_megabytes(root / "orgs" / "huge.yaml"),
        (("PC005", 1, 1),),
    ),
    "markup-in-name": Case(
        "orgs/markup.yaml",
        policy(
            "markup-org", '"<script>alert(1)</script> [red]x[/red] [link=http://x]y[/link] | a |"'
        ).encode(),
        (("PC007", 3, 7),),
        organisation="markup-org",
    ),
    "raw-ansi-escape": Case(
        "orgs/ansi-raw.yaml",
        policy("ansi-raw", f"Red {ESC}[31mAlert{ESC}[0m").encode(),
        (("PC001", 4, 13),),  # `  name: Red ` is 12 characters
    ),
    "yaml-escaped-ansi": Case(
        "orgs/ansi-escaped.yaml",
        policy("ansi-escaped", '"Red \\e[31mAlert\\e[0m \\x1b]8;;http://x\\x07link"').encode(),
        (("PC007", 3, 7), ("PC009", 4, 9)),  # escaped control characters are PC009
        organisation="ansi-escaped",
    ),
    "bidi-override": Case(
        "orgs/bidi.yaml",
        policy("bidi-org", f"Trusted {RLO}gnp.exe{chr(0x202C)} Club").encode(),
        (("PC007", 3, 7), ("PC009", 4, 17)),  # `  name: Trusted ` is 16 characters
        organisation="bidi-org",
    ),
}


def write_case(root: Path, case: Case) -> None:
    if callable(case.content):
        (root / "orgs").mkdir(parents=True, exist_ok=True)
        case.content(root)
    else:
        make_repo(root, {case.file: case.content})


def repository(root: Path, *cases: Case) -> Path:
    make_repo(root, {"partnership.yaml": PARTNERSHIP, CLEAN_FILE: policy(CLEAN_ID, "Clean School")})
    for case in cases:
        write_case(root, case)
    return root


def found(report: Report, path: str) -> list[tuple[str, int, int]]:
    return sorted(
        (f.code, f.location.line, f.location.column)
        for f in report.findings
        if f.location.path == path
    )


def assert_clean_file_checked(report: Report) -> None:
    assert found(report, CLEAN_FILE) == [("PC007", 3, 7)]
    assert any(f.organisation == CLEAN_ID for f in report.findings)


def assert_safe_terminal(text: str) -> None:
    assert ESC not in text, "a raw escape character reached the terminal"
    assert RLO not in text, "a raw bidi override reached the terminal"
    assert "Traceback" not in text


# -- each case on its own, in-process ------------------------------------------------


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_through_the_pipeline(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    root = repository(tmp_path / "repo", case)
    report = check(cwd=root, options=Options(today=RUN_DATE))

    assert found(report, case.file) == sorted(case.expected)
    assert_clean_file_checked(report)
    organisations = {f.organisation for f in report.findings}
    if case.organisation is not None:
        assert case.organisation in organisations
        assert report.summary.organisations == 2
    else:
        assert report.summary.organisations == 1
    assert report.summary.files == 3  # the partnership file, the clean one, the hostile one
    has_error = any(f.severity.value == "error" for f in report.findings)
    assert report.exit_status == (1 if has_error else 0)
    assert not (tmp_path / "repo" / MARKER).exists()


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_through_the_command_line(name: str, tmp_path: Path, cli: CliRunner) -> None:
    case = CASES[name]
    root = repository(tmp_path / "repo", case)
    base = ("check", "--today", TODAY, "--fail-on", "warning")

    code, out, err = cli(*base, "--no-color", cwd=root)
    assert code == 1, err
    assert "Traceback" not in err and err == ""
    assert_safe_terminal(out)
    for code_name, line, column in case.expected:
        assert f"{case.file}:{line}:{column}" in out
        assert code_name in out
    assert f"{CLEAN_FILE}:3:7" in out

    code, out, err = cli(*base, "--format", "json", cwd=root)
    assert code == 1 and err == ""
    report = json.loads(out)
    assert ESC not in out and RLO not in out  # JSON escapes them (\u001b, \u202e)
    findings = sorted(
        (f["code"], f["line"], f["column"]) for f in report["findings"] if f["path"] == case.file
    )
    assert findings == sorted(case.expected)
    assert report["summary"]["organisations"] == (2 if case.organisation else 1)
    assert any(f["organisation"] == CLEAN_ID for f in report["findings"])
    assert not (root / MARKER).exists()


# -- what the output shows of hostile text ------------------------------------------------


def test_rich_markup_and_html_are_shown_literally(tmp_path: Path, cli: CliRunner) -> None:
    root = repository(tmp_path / "repo", CASES["markup-in-name"])
    code, out, _ = cli("check", "--today", TODAY, "--no-color", cwd=root)
    assert code == 0  # warnings only
    assert "[red]x[/red]" in out
    assert "[link=http://x]y[/link]" in out
    assert "<script>alert(1)</script>" in out
    code, out, _ = cli("check", "--today", TODAY, "--format", "json", cwd=root)
    messages = [f["message"] for f in json.loads(out)["findings"]]
    assert any("<script>alert(1)</script> [red]x[/red]" in message for message in messages)


def test_escaped_ansi_is_shown_not_obeyed(
    tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repository(tmp_path / "repo", CASES["yaml-escaped-ansi"])
    report = check(cwd=root, options=Options(today=RUN_DATE))
    # the data really holds escape characters...
    assert f"Red {ESC}[31mAlert" in report.organisation_names["ansi-escaped"]
    # ...which the terminal shows as text
    shown = "Red \\x1b[31mAlert\\x1b[0m \\x1b]8;;http://x\\x07link"
    _, out, _ = cli("check", "--today", TODAY, "--no-color", cwd=root)
    assert shown in out
    assert ESC not in out and "\x07" not in out
    # in colour too: policycoord's own colour codes, never the file's
    monkeypatch.setenv("FORCE_COLOR", "1")
    _, out, _ = cli("check", "--today", TODAY, cwd=root)
    assert ESC in out
    assert shown in out
    assert f"{ESC}[31mAlert" not in out and "\x07" not in out and f"{ESC}]8;;" not in out


def test_bidi_override_is_shown_as_a_code_point(tmp_path: Path, cli: CliRunner) -> None:
    root = repository(tmp_path / "repo", CASES["bidi-override"])
    _, out, _ = cli("check", "--today", TODAY, "--no-color", cwd=root)
    assert "Trusted <U+202E>gnp.exe<U+202C> Club" in out
    assert "U+202E right-to-left override" in out
    assert_safe_terminal(out)


def test_python_tag_is_never_constructed(tmp_path: Path) -> None:
    root = repository(tmp_path / "repo", CASES["python-tag"])
    report = check(cwd=root, options=Options(today=RUN_DATE))
    message = next(f.message for f in report.findings if f.code == "PC005")
    assert "!!python/object/apply:os.system" in message
    assert not (root / MARKER).exists()


def test_size_limit_option_lets_a_big_file_through(tmp_path: Path) -> None:
    """The limit is the user's: raised past a (small) file, it is read."""
    root = repository(tmp_path / "repo")
    make_repo(root, {"orgs/padded.yaml": policy("padded-org") + "#" * 10_000 + "\n"})
    small = check(cwd=root, options=Options(today=RUN_DATE, max_file_size=5_000))
    assert found(small, "orgs/padded.yaml") == [("PC005", 1, 1)]
    large = check(cwd=root, options=Options(today=RUN_DATE, max_file_size=20_000))
    assert found(large, "orgs/padded.yaml") == [("PC007", 3, 7)]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_a_named_pipe_does_not_hang_the_run(tmp_path: Path) -> None:
    """Opening a named pipe waits for a writer: it must be refused, not read."""
    root = repository(tmp_path / "repo")
    os.mkfifo(root / "orgs" / "pipe.yaml")
    report = check(cwd=root, options=Options(today=RUN_DATE))
    assert found(report, "orgs/pipe.yaml") == [("PC010", 1, 1)]
    assert_clean_file_checked(report)


# -- every case at once, end to end in a subprocess ---------------------------------------


def test_every_hostile_file_at_once_end_to_end(tmp_path: Path) -> None:
    root = repository(tmp_path / "repo", *CASES.values())
    base = ("check", "--today", TODAY, "--fail-on", "warning")

    code, out, err = run_cli(*base, "--no-color", cwd=root)
    assert code == 1, err
    assert "Traceback" not in err and err == ""
    assert_safe_terminal(out)
    assert "[red]x[/red]" in out
    assert "\\x1b[31m" in out

    code, out, err = run_cli(*base, "--format", "json", cwd=root)
    assert code == 1 and "Traceback" not in err
    report = json.loads(out)
    assert report["summary"]["files"] == len(CASES) + 2
    by_path: dict[str, list[tuple[str, int, int]]] = {}
    for finding in report["findings"]:
        by_path.setdefault(finding["path"], []).append(
            (finding["code"], finding["line"], finding["column"])
        )
    for name, case in CASES.items():
        assert sorted(by_path.get(case.file, [])) == sorted(case.expected), name
    assert by_path[CLEAN_FILE] == [("PC007", 3, 7)]
    assert not (root / MARKER).exists()
