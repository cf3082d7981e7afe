"""The reports (SPEC §5): the exact JSON shape, fingerprints that survive lines
moving, golden files for the json, terminal and CI formats (sarif, github,
gitlab, junit), and user text that can never drive the terminal or hide in
the JSON.

Golden files live in tests/output/reporters/golden/ and are compared byte for byte.
When a change to the output is intended, rewrite them and review the diff:

    POLICYCOORD_UPDATE_GOLDEN=1 .venv/bin/python -m pytest \
        tests/output/test_report_formats_golden.py

Every run uses `--today 2026-11-24` and runs in the partnership's folder, so
the golden files hold no machine-specific paths or dates.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import textwrap
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from conftest import GOLDEN, TODAY, CliRunner, make_repo, partnership, policy

from output.reporters.example_copies import examples_in_a_repository

GOLDEN = GOLDEN
UPDATE = os.environ.get("POLICYCOORD_UPDATE_GOLDEN") == "1"

FINDING_KEYS = [
    "code",
    "name",
    "severity",
    "organisation",
    "message",
    "suggestion",
    "path",
    "line",
    "column",
    "pointer",
    "related",
    "fingerprint",
]

# A small repository with one problem of each kind that reading files can have.
BROKEN: dict[str, str] = {
    "partnership.yaml": """\
        policycoord: 1
        partnership:
          id: riverside
          name: Riverside Safeguarding Partnership
          members: [alpha, beta, gamma, missing]
        duties:
          - id: train-staff
            title: Train staff in safeguarding
            scope: each-member
            applies_to: [housing]
        concerns:
          - id: significant-harm
            title: A child is suffering significant harm
            applies_to: [housing]
        """,
    "orgs/alpha.yaml": """\
        policycoord: 1
        organisation:
          id: alpha
          name: École Alpha
          sector: education
        """,
    "orgs/alpha-copy.yaml": """\
        policycoord: 1
        organisation:
          id: alpha
          name: Alpha Again
          sector: education
        """,
    "orgs/beta.yaml": """\
        policycoord: 1
        organisation:
          id: beta
          name: Beta Health
          name: Beta Health Trust
          sector: hospital
        """,
    "orgs/gamma.yaml": """\
        policycoord: 1
        organisation:
          id: gamma
          name: "Gamma Club
          sector: sport
        """,
    "orgs/delta.yaml": """\
        policycoord: 1
        organisation:
          id: delta
          name: "Delta\\u200b Youth"
          sector: voluntary
        """,
    "orgs/unsafe.yaml": """\
        policycoord: 1
        organisation: !!python/object/apply:os.system ["echo pwned"]
        """,
    "orgs/nested/epsilon.yml": """\
        policycoord: 1
        organisation:
          id: epsilon
          name: Epsilon
          sector: sport
          motto: not in the schema
        """,
}


def broken_repo(root: Path) -> Path:
    return make_repo(root, BROKEN)


def check_json(cli: CliRunner, repo: Path, *args: str) -> tuple[str, dict[str, Any]]:
    code, out, err = cli("check", *args, "--today", TODAY, "-f", "json", cwd=repo)
    assert code in (0, 1), err
    assert err == ""
    return out, json.loads(out)


# --- the JSON shape ---------------------------------------------------------------------


def test_json_shape_is_exactly_the_contract(cli: CliRunner, tmp_path: Path) -> None:
    from policycoord.core.about import __version__

    out, document = check_json(cli, broken_repo(tmp_path / "repo"))
    # SPEC §5's keys in its order, then the suppressed findings (issue 7) and the baseline
    assert list(document) == [
        "version",
        "tool",
        "partnership",
        "summary",
        "findings",
        "suppressed",
        "baseline",
    ]
    assert document["suppressed"] == [] and document["baseline"] is None
    assert document["version"] == 1
    assert document["tool"] == {"name": "policycoord", "version": __version__}
    assert list(document["tool"]) == ["name", "version"]
    assert document["partnership"] == "riverside"
    summary = document["summary"]
    assert list(summary) == ["files", "organisations", "error", "warning", "info", "suppressed"]
    assert all(type(v) is int for v in summary.values())
    findings = document["findings"]
    assert findings
    for finding in findings:
        assert list(finding) == FINDING_KEYS
        assert re.fullmatch(r"PC\d{3}", finding["code"])
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", finding["name"])
        assert finding["severity"] in ("error", "warning", "info")
        assert finding["organisation"] is None or isinstance(finding["organisation"], str)
        assert finding["message"] and finding["suggestion"]
        assert type(finding["line"]) is int and finding["line"] >= 1
        assert type(finding["column"]) is int and finding["column"] >= 1
        assert finding["pointer"] == "" or finding["pointer"].startswith("/")
        assert re.fullmatch(r"[0-9a-f]{16,64}", finding["fingerprint"])
        for related in finding["related"]:
            assert list(related) == ["path", "line", "column", "pointer"]
    counted = {level: sum(f["severity"] == level for f in findings) for level in summary}
    assert {k: summary[k] for k in ("error", "warning", "info")} == {
        k: counted[k] for k in ("error", "warning", "info")
    }
    assert out.endswith("}\n")


def test_json_paths_are_relative_with_slashes(cli: CliRunner, tmp_path: Path) -> None:
    repo = broken_repo(tmp_path / "repo")
    _, document = check_json(cli, repo)
    paths = {f["path"] for f in document["findings"]}
    paths |= {r["path"] for f in document["findings"] for r in f["related"]}
    assert "orgs/nested/epsilon.yml" in paths
    for path in paths:
        assert not path.startswith(("/", "./")), path
        assert "\\" not in path
        assert (repo / path).exists(), path
    # the same from a subfolder, and from outside the repository
    _, from_below = check_json(cli, repo / "orgs" / "nested")
    _, from_above = check_json(cli, tmp_path, "repo")
    assert from_below == document == from_above


def test_json_findings_are_sorted(cli: CliRunner, tmp_path: Path) -> None:
    _, document = check_json(cli, broken_repo(tmp_path / "repo"))
    keys = [(f["path"], f["line"], f["column"], f["code"]) for f in document["findings"]]
    assert keys == sorted(keys)
    assert len({f["path"] for f in document["findings"]}) > 3


def test_json_summary_counts_the_partnership_file(cli: CliRunner, tmp_path: Path) -> None:
    _, document = check_json(cli, broken_repo(tmp_path / "repo"))
    assert document["summary"]["files"] == len(BROKEN)
    # alpha (twice), beta, delta, epsilon: gamma and unsafe declare nothing readable
    assert document["summary"]["organisations"] == 4
    assert document["summary"]["suppressed"] == 0
    repo = make_repo(tmp_path / "small", {"partnership.yaml": partnership([])})
    _, document = check_json(cli, repo)
    assert document["summary"]["files"] == 1
    assert document["summary"]["organisations"] == 0


def test_json_organisation_and_related(cli: CliRunner, tmp_path: Path) -> None:
    _, document = check_json(cli, broken_repo(tmp_path / "repo"))
    by_code: dict[str, list[dict[str, Any]]] = {}
    for finding in document["findings"]:
        by_code.setdefault(finding["code"], []).append(finding)
    # gamma's file is there but broken: its PC001 is filed under it, no PC006 (issue 19)
    assert {f["organisation"] for f in by_code["PC006"]} == {"missing"}
    assert [f["organisation"] for f in by_code["PC001"]] == ["gamma"]
    (duplicate,) = by_code["PC004"]
    assert duplicate["related"][0]["path"] == "orgs/alpha-copy.yaml"
    (double_key,) = by_code["PC002"]
    assert (double_key["path"], double_key["line"]) == ("orgs/beta.yaml", 5)
    assert (double_key["related"][0]["path"], double_key["related"][0]["line"]) == (
        "orgs/beta.yaml",
        4,
    )


# --- fingerprints -------------------------------------------------------------------------


def test_fingerprints_are_stable_when_lines_move(cli: CliRunner, tmp_path: Path) -> None:
    repo = broken_repo(tmp_path / "repo")
    _, before = check_json(cli, repo)
    for file in sorted(repo.rglob("*.y*ml")):
        text = file.read_text(encoding="utf-8")
        file.write_text("# Moved down by a comment\n\n# and a blank line.\n" + text, "utf-8")
    _, after = check_json(cli, repo)

    def fingerprints(document: dict[str, Any]) -> dict[str, tuple[str, int]]:
        return {f["fingerprint"]: (f["code"], f["line"]) for f in document["findings"]}

    old, new = fingerprints(before), fingerprints(after)
    assert len(old) == len(before["findings"]), "fingerprints are unique"
    assert set(old) == set(new)
    for fingerprint, (code, line) in old.items():
        assert new[fingerprint] == (code, line + 3)


def test_fingerprints_differ_between_organisations(cli: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership([]),
            "a.yaml": policy("a", extra="extra: 1\n"),
            "b.yaml": policy("b", extra="extra: 1\n"),
        },
    )
    _, document = check_json(cli, repo)
    pc003 = [f for f in document["findings"] if f["code"] == "PC003"]
    assert len(pc003) == 2
    assert pc003[0]["pointer"] == pc003[1]["pointer"]
    assert pc003[0]["fingerprint"] != pc003[1]["fingerprint"]


# --- golden files -------------------------------------------------------------------------


#: Each format with a golden file, and the golden file's suffix.
GOLDEN_FORMATS = [
    ("json", "json"),
    ("terminal", "txt"),
    ("sarif", "sarif"),
    ("github", "github.txt"),
    ("gitlab", "gitlab.json"),
    ("junit", "junit.xml"),
    ("html", "html"),
    ("markdown", "md"),
]


def compare_golden(name: str, actual: str) -> None:
    golden = GOLDEN / name
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual.encode("utf-8"))
        return
    assert golden.exists(), (
        f"{golden} is missing; create it with POLICYCOORD_UPDATE_GOLDEN=1 and review it."
    )
    expected = golden.read_bytes().decode("utf-8")
    assert actual == expected, (
        f"the output differs from {golden}; if the change is intended, rerun with "
        "POLICYCOORD_UPDATE_GOLDEN=1 and review the diff."
    )


@pytest.mark.parametrize(("fmt", "suffix"), GOLDEN_FORMATS)
def test_golden_examples(cli: CliRunner, tmp_path: Path, fmt: str, suffix: str) -> None:
    """The example partnership as it sits in this project's repository, in
    `examples/policies/` (a copy, so that the formats that name files from
    the repository's root give the same paths in an unpacked archive)."""
    folder = examples_in_a_repository(tmp_path / "repo")
    code, out, err = cli("check", "--today", TODAY, "-f", fmt, "--no-color", cwd=folder)
    assert code in (0, 1), err
    assert str(tmp_path) not in out
    compare_golden(f"examples.{suffix}", out)


@pytest.mark.parametrize(("fmt", "suffix"), GOLDEN_FORMATS)
def test_golden_broken_repository(cli: CliRunner, tmp_path: Path, fmt: str, suffix: str) -> None:
    repo = broken_repo(tmp_path / "repo")
    code, out, err = cli("check", "--today", TODAY, "-f", fmt, "--no-color", cwd=repo)
    assert (code, err) == (1, "")
    assert str(tmp_path) not in out
    compare_golden(f"broken.{suffix}", out)


@pytest.mark.parametrize("fmt", ["sarif", "github", "gitlab", "junit"])
def test_ci_formats_are_identical_whatever_the_file_order(
    cli: CliRunner, tmp_path: Path, fmt: str
) -> None:
    forward = broken_repo(tmp_path / "one" / "repo")
    backward = make_repo(tmp_path / "two" / "repo", dict(reversed(list(BROKEN.items()))))
    runs = [
        cli("check", "--today", TODAY, "-f", fmt, cwd=repo) for repo in (forward, backward, forward)
    ]
    assert runs[0] == runs[1] == runs[2]
    assert runs[0][0] == 1


def test_golden_broken_repository_quiet(cli: CliRunner, tmp_path: Path) -> None:
    repo = broken_repo(tmp_path / "repo")
    code, out, _ = cli("check", "--today", TODAY, "--no-color", "--quiet", cwd=repo)
    assert code == 1
    compare_golden("broken-quiet.txt", out)


def test_golden_validate(cli: CliRunner, tmp_path: Path) -> None:
    repo = broken_repo(tmp_path / "repo")
    code, out, _ = cli("validate", "orgs", "-f", "json", cwd=repo)
    assert code == 1
    compare_golden("broken-validate.json", out)


# --- user text cannot drive the terminal or hide in the JSON ---------------------------------

HOSTILE_NAME = r"[bold red]X[/] \e[31mred\e[0m \u009bC1 \u202eevil é"


def hostile_repo(root: Path) -> Path:
    return make_repo(
        root,
        {
            "partnership.yaml": partnership(["alpha"]),
            "orgs/alpha.yaml": policy("alpha"),
            # not a member: PC007, whose message names the organisation
            "orgs/hostile.yaml": textwrap.dedent(
                f"""\
                policycoord: 1
                organisation:
                  id: hostile
                  name: "{HOSTILE_NAME}"
                  sector: sport
                """
            ),
        },
    )


def raw_controls(text: str) -> list[str]:
    """Characters that a terminal would obey or that reorder text."""
    return [
        c
        for c in text
        if (unicodedata.category(c) in ("Cc", "Cf") and c != "\n") or c in ("\u2028", "\u2029")
    ]


@pytest.mark.parametrize("colour", [False, True])
def test_terminal_neutralises_user_text(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, colour: bool
) -> None:
    repo = hostile_repo(tmp_path / "repo")
    if colour:
        monkeypatch.setenv("FORCE_COLOR", "1")
        code, out, _ = cli("check", "--today", TODAY, cwd=repo)
        # the only escape sequences are policycoord's own styles: strip them
        out = re.sub(r"\x1b\[[0-9;]*m", "", out)
    else:
        code, out, _ = cli("check", "--today", TODAY, "--no-color", cwd=repo)
    assert code in (0, 1)
    assert "PC007" in out
    assert "[bold red]X[/]" in out  # rich markup shown as written
    assert "\\x1b[31mred\\x1b[0m" in out  # ESC shown, not obeyed
    assert "\\x9bC1" in out
    assert "<U+202E>evil é" in out
    assert raw_controls(out) == []
    # the group title shows the name too
    assert "[bold red]X[/] \\x1b[31mred\\x1b[0m \\x9bC1 <U+202E>evil é (hostile)" in out


def test_terminal_neutralises_file_names(cli: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership([]),
            "orgs/\x1b[2Jwipe\u202e.yaml": "policycoord: 1\norganisation: [\n",
        },
    )
    code, out, _ = cli("check", "--today", TODAY, "--no-color", cwd=repo)
    assert code == 1
    assert "orgs/\\x1b[2Jwipe<U+202E>.yaml:" in out
    assert raw_controls(out) == []
    _, document = check_json(cli, repo)
    assert document["findings"][0]["path"] == "orgs/\x1b[2Jwipe\u202e.yaml"


def test_json_escapes_controls_and_keeps_accents_readable(cli: CliRunner, tmp_path: Path) -> None:
    repo = hostile_repo(tmp_path / "repo")
    out, document = check_json(cli, repo)
    assert raw_controls(out.replace("\n", "")) == []
    assert "\\u202e" in out
    assert "\\u009b" in out
    assert "\\u001b" in out
    assert "é" in out and "\\u00e9" not in out
    (finding,) = [f for f in document["findings"] if f["code"] == "PC007"]
    # escaped, not removed: the JSON still holds the text exactly as written
    assert finding["message"].startswith("[bold red]X[/] \x1b[31mred\x1b[0m \x9bC1 \u202eevil é")


def test_json_escapes_astral_invisible_characters(cli: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership(["alpha"]),
            "orgs/alpha.yaml": policy("alpha"),
            "orgs/tag.yaml": policy("tagged", name='"Tag\\U000E0041 Club"'),
        },
    )
    out, document = check_json(cli, repo)
    assert "\\udb40\\udc41" in out
    (finding,) = [f for f in document["findings"] if f["code"] == "PC007"]
    assert "Tag\U000e0041 Club" in finding["message"]


def test_line_separators_cannot_split_a_finding(cli: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership(["alpha"]),
            "orgs/alpha.yaml": policy("alpha"),
            # YAML's \L and \P are U+2028 and U+2029
            "orgs/sep.yaml": policy("sep", name='"Sep\\L  error PC999 fake\\P Club"'),
        },
    )
    _, out, _ = cli("check", "--today", TODAY, "--no-color", cwd=repo)
    assert "Sep<U+2028>  error PC999 fake<U+2029> Club (sep)" in out
    assert raw_controls(out) == []
    out, document = check_json(cli, repo)
    assert "Sep\\u2028  error PC999 fake\\u2029 Club" in out
    assert any(
        "Sep\u2028  error PC999 fake\u2029 Club" in f["message"] for f in document["findings"]
    )
    assert raw_controls(out.replace("\n", "")) == []


def test_visible() -> None:
    from policycoord.core.text import visible

    assert visible("plain é ✓ 中文") == "plain é ✓ 中文"
    assert visible("a\tb\r\nc\x00\x7f\x85\x9b") == "a\\x09b\\x0d\\x0ac\\x00\\x7f\\x85\\x9b"
    assert visible("\u202eabc\u2066\u200b\ufeff") == "<U+202E>abc<U+2066><U+200B><U+FEFF>"
    assert visible("[red]x[/red]") == "[red]x[/red]"


def test_fingerprints_are_unique_when_code_pointer_and_subject_repeat(tmp_path: Path) -> None:
    from policycoord.workflows.pipeline import Options, check

    make_repo(
        tmp_path,
        {
            "partnership.yaml": "policycoord: 1\npartnership: {id: p, name: P}\n",
            "orgs/a.yaml": (
                "policycoord: 1\norganisation: {id: a, name: A, sector: other}\n"
                "summary: one\nsummary: two\nsummary: three\n"
            ),
        },
    )
    report = check([str(tmp_path)], options=Options(today=datetime.date(2026, 11, 24)))
    duplicates = [f for f in report.findings if f.code == "PC002"]
    assert len(duplicates) == 2
    prints = [f.fingerprint for f in report.findings]
    assert len(prints) == len(set(prints))
