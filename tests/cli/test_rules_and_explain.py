"""`rules`, `explain` and the progress callback behind the progress bar."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from conftest import CliRunner, make_repo, partnership, policy

from policycoord.checks.rules import ALL_RULES
from policycoord.workflows.pipeline import Options, check


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


def test_validate_without_files_checks_the_repository_around(
    cli: CliRunner, tmp_path: Path
) -> None:
    repo = make_repo(
        tmp_path,
        {
            "partnership.yaml": partnership(),
            "orgs/a.yaml": policy("a"),
            "orgs/b.yaml": "policycoord: 1\norganisation: [broken\n",
        },
    )
    code, out, err = cli("validate", "-f", "json", cwd=repo / "orgs")
    assert code == 1, err
    document = json.loads(out)
    assert document["summary"]["files"] == 3
    assert [(f["code"], f["path"]) for f in document["findings"]] == [("PC001", "b.yaml")]


def test_validate_without_files_reads_what_check_reads(cli: CliRunner, tmp_path: Path) -> None:
    # the partnership's `policies` patterns, not every YAML file below: a
    # mkdocs.yml or a draft beside the policies is not a policy (issue 19)
    repo = make_repo(
        tmp_path,
        {
            "partnership.yaml": partnership(policies=["orgs/*.yaml"]),
            "orgs/a.yaml": policy("a"),
            "mkdocs.yml": "site_name: Our partnership\nnav: [index.md]\n",
            "drafts/b.yaml": "policycoord: 1\norganisation: [broken\n",
        },
    )
    code, out, err = cli("validate", "-f", "json", cwd=repo)
    assert code == 0, out + err
    assert json.loads(out)["summary"]["files"] == 2
    code, out, _ = cli("check", "-f", "json", cwd=repo)
    assert json.loads(out)["summary"]["files"] == 2


def test_validate_reports_duplicate_ids_in_the_partnership(cli: CliRunner, tmp_path: Path) -> None:
    make_repo(
        tmp_path,
        {
            "partnership.yaml": (
                "policycoord: 1\npartnership: {id: p, name: P}\nduties:\n"
                "  - {id: d, title: D, scope: each-member}\n"
                "  - {id: d, title: D again, scope: each-member}\n"
            )
        },
    )
    code, out, _ = cli("validate", "partnership.yaml", "-f", "json", cwd=tmp_path)
    assert code == 1
    assert [f["code"] for f in json.loads(out)["findings"]] == ["PC012"]


def test_output_extension_chooses_json(cli: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"partnership.yaml": partnership(), "orgs/a.yaml": policy("a")})
    code, out, _ = cli("check", "-o", "report.json", cwd=repo)
    assert code == 0 and out == ""
    assert json.loads((repo / "report.json").read_text(encoding="utf-8"))["version"] == 1


def test_max_file_size_must_be_positive(cli: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"partnership.yaml": partnership()})
    code, _, err = cli("check", "--max-file-size", "0", cwd=repo)
    assert code == 2 and "--max-file-size" in err


def test_validate_does_not_follow_a_link_out_of_its_folder(cli: CliRunner, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2\n", encoding="utf-8")
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "a.yaml").write_text(policy("a"), encoding="utf-8")
    (folder / "link.yaml").symlink_to(secret)
    code, out, _ = cli("validate", "policies", "-f", "json", cwd=tmp_path)
    assert code == 1
    assert "hunter2" not in out
    assert [(f["code"], f["path"]) for f in json.loads(out)["findings"]] == [
        ("PC011", "policies/link.yaml")
    ]
