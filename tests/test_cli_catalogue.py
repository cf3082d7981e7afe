"""`rules`, `explain` and the progress callback behind the progress bar."""

from __future__ import annotations

import datetime
from pathlib import Path

from conftest import CliRunner, make_repo, partnership, policy

from policycoord.pipeline import Options, check
from policycoord.rules import ALL_RULES


def test_rules_lists_every_code_with_its_severity(cli: CliRunner) -> None:
    code, out, err = cli("rules")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == len(ALL_RULES)
    for line, rule in zip(lines, ALL_RULES, strict=True):
        assert line.startswith(f"{rule.code}  {rule.name} ")
        assert f" {rule.default_severity.value} " in line


def test_explain_prints_examples_whatever_the_case(cli: CliRunner) -> None:
    code, out, _ = cli("explain", "pc002")
    assert code == 0
    assert out.startswith("# PC002 duplicate-key")
    assert "## Example" in out and "## Fixed" in out


def test_explain_unknown_code_is_a_usage_error(cli: CliRunner) -> None:
    code, out, err = cli("explain", "PC999")
    assert code == 2
    assert out == ""
    assert "There is no rule PC999" in err and "PC001" in err
    assert "Traceback" not in err


def test_progress_is_reported_for_every_policy_file(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "partnership.yaml": partnership(),
            "orgs/a.yaml": policy("a"),
            "orgs/b.yaml": policy("b"),
            "orgs/c.yaml": policy("c"),
        },
    )
    seen: list[tuple[int, int]] = []
    check(
        [str(repo)],
        options=Options(today=datetime.date(2026, 11, 24)),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]
