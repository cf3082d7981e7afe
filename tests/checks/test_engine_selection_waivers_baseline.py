"""What decides what a run reports (issue 7): rule selection and its
precedence, the fail level, waivers (suppressed, counted, listed) and
baselines (written, matched by fingerprint across moved lines, stale
entries listed)."""

from __future__ import annotations

import datetime
import json
import re
import shutil
from pathlib import Path

import pytest

from policycoord.checks import engine
from policycoord.checks.engine import Config, Selection
from policycoord.core.errors import PolicycoordError
from policycoord.model.policies import RulesConfig
from policycoord.workflows.pipeline import Options, check
from tests.conftest import EXAMPLES, TODAY, CliRunner, make_repo, partnership, policy

DATE = datetime.date.fromisoformat(TODAY)


# --- selection precedence: the table in engine's docstring is the contract ------------


def _precedence_rows() -> list[tuple[str, str, str, str]]:
    doc = engine.__doc__ or ""
    rows = []
    for line in doc.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[2] in ("yes", "no"):
            rows.append((cells[0], cells[1], cells[2], cells[3]))
    return rows


def _codes(cell: str) -> tuple[str, ...]:
    return tuple(re.findall(r"PC\d+", cell))


@pytest.mark.parametrize(("config_ignore", "command_line", "pc403", "pc401"), _precedence_rows())
def test_selection_precedence_table(
    config_ignore: str, command_line: str, pc403: str, pc401: str
) -> None:
    select = _codes(command_line.split("--ignore")[0])
    ignore = _codes(command_line.split("--ignore")[1]) if "--ignore" in command_line else ()
    selection = Selection(select=select, ignore=ignore, config_ignore=_codes(config_ignore))
    assert selection.wants("PC403") is (pc403 == "yes")
    assert selection.wants("PC401") is (pc401 == "yes")


def test_the_precedence_table_has_every_row() -> None:
    assert len(_precedence_rows()) == 7


def test_everything_runs_by_default_and_prefixes_select_families() -> None:
    assert all(Selection().wants(code) for code in ("PC001", "PC206", "PC407"))
    family = Selection(select=("PC20",))
    assert family.wants("PC206") and not family.wants("PC101") and not family.wants("PC301")


@pytest.mark.parametrize(
    ("command_line", "configured", "expected"),
    [
        (None, None, "error"),
        (None, "warning", "warning"),
        ("info", "warning", "info"),
        ("never", None, "never"),
    ],
)
def test_fail_level_precedence(
    command_line: str | None, configured: str | None, expected: str
) -> None:
    rules = RulesConfig(fail_on=configured)
    assert Config.resolve(rules, fail_on=command_line).fail_on == expected


def test_unknown_codes_are_usage_errors_that_list_the_valid_ones() -> None:
    with pytest.raises(PolicycoordError, match=r"Unknown rule code PC999; valid codes .*PC407"):
        Config.resolve(None, select=("PC999",))
    with pytest.raises(PolicycoordError, match=r"`rules.ignore` names an unknown rule code PC9"):
        Config.resolve(RulesConfig(ignore=("PC9",)))


def test_unknown_code_in_the_partnership_file_exits_2(cli: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership(extra="rules:\n  ignore: [PC9]\n"),
            "orgs/a.yaml": policy("a"),
        },
    )
    code, out, err = cli("check", "--today", TODAY, cwd=repo)
    assert code == 2
    assert out == ""
    assert err.startswith("policycoord: The partnership file's `rules.ignore` names an unknown")
    assert "PC407" in err and "Traceback" not in err


def test_command_line_select_wins_over_partnership_ignore(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership(
                members=["a", "ghost"], extra="rules:\n  ignore: [PC006]\n"
            ),
            "orgs/a.yaml": policy("a"),
        },
    )
    quiet = check([str(repo)], options=Options(today=DATE))
    assert "PC006" not in {f.code for f in quiet.findings}
    loud = check([str(repo)], options=Options(today=DATE, select=("PC006",)))
    assert [f.code for f in loud.findings] == ["PC006"]
    assert loud.summary.suppressed == 0  # ignored codes are not run, not suppressed


# --- waivers -------------------------------------------------------------------


def _waived_repo(root: Path, expires: str = "2027-03-31") -> Path:
    waiver = f"""\
        waivers:
          - code: PC006
            organisation: ghost
            reason: The new academy joins in January and has no policy yet.
            approved_by: [ghost, a]
            expires: {expires}
        """
    return make_repo(
        root,
        {
            "partnership.yaml": partnership(members=["a", "ghost"], extra=waiver),
            "orgs/a.yaml": policy("a"),
        },
    )


def test_a_waived_finding_is_counted_and_listed_with_its_waiver(
    cli: CliRunner, tmp_path: Path
) -> None:
    repo = _waived_repo(tmp_path / "repo")
    code, out, _ = cli("check", "--today", TODAY, "-f", "json", cwd=repo)
    document = json.loads(out)
    assert code == 0
    assert document["findings"] == []
    assert document["summary"]["suppressed"] == 1
    [waived] = document["suppressed"]
    assert waived["code"] == "PC006"
    assert waived["organisation"] is None or waived["organisation"] == "ghost"
    assert waived["suppressed_by"] == {
        "waiver": {
            "code": "PC006",
            "organisation": "ghost",
            "subject": None,
            "reason": "The new academy joins in January and has no policy yet.",
            "approved_by": ["ghost", "a"],
            "expires": "2027-03-31",
            "path": "partnership.yaml",
            "line": 19,
            "column": 11,
            "pointer": "/waivers/0/code",
        }
    }
    code, out, _ = cli("check", "--today", TODAY, cwd=repo)
    assert "1 finding suppressed: 1 by waivers in the partnership file" in out
    assert "No new findings" in out


def test_an_expired_waiver_suppresses_nothing(tmp_path: Path) -> None:
    repo = _waived_repo(tmp_path / "repo", expires="2026-11-23")
    report = check([str(repo)], options=Options(today=DATE))
    assert sorted(f.code for f in report.findings) == ["PC006", "PC405"]
    assert report.summary.suppressed == 0
    assert report.exit_status == 1
    # the day before it expired, it still applied
    earlier = check([str(repo)], options=Options(today=datetime.date(2026, 11, 23)))
    assert [f.code for f in earlier.findings] == []
    assert earlier.summary.suppressed == 1


# --- baselines ------------------------------------------------------------------


def _example_copy(root: Path) -> Path:
    shutil.copytree(EXAMPLES, root)
    return root


def _insert_line_above_every_finding(repo: Path, findings: list[dict[str, object]]) -> None:
    lines_by_file: dict[str, set[int]] = {}
    for finding in findings:
        lines_by_file.setdefault(str(finding["path"]), set()).add(int(str(finding["line"])))
    for relative, lines in lines_by_file.items():
        path = repo / relative
        text = path.read_text(encoding="utf-8").split("\n")
        for line in sorted(lines, reverse=True):
            indent = re.match(r"\s*", text[line - 1])
            text.insert(line - 1, f"{indent.group() if indent else ''}# moved down a line")
        path.write_text("\n".join(text), encoding="utf-8")


def test_baseline_survives_a_line_inserted_above_every_finding(
    cli: CliRunner, tmp_path: Path
) -> None:
    repo = _example_copy(tmp_path / "repo")
    code, before, _ = cli("check", "--today", TODAY, "-f", "json", cwd=repo)
    findings = json.loads(before)["findings"]
    assert code == 1 and len(findings) >= 10

    code, _, err = cli("baseline", "--today", TODAY, cwd=repo)
    assert code == 0
    assert f"Wrote {len(findings)} findings to policycoord-baseline.json" in err
    written = json.loads((repo / "policycoord-baseline.json").read_text(encoding="utf-8"))
    assert [e["fingerprint"] for e in written["findings"]] != []
    assert written["findings"] == sorted(
        written["findings"], key=lambda e: (e["code"], e["organisation"] or "", e["fingerprint"])
    )
    assert {e["fingerprint"] for e in written["findings"]} == {f["fingerprint"] for f in findings}

    _insert_line_above_every_finding(repo, findings)
    code, moved, _ = cli("check", "--today", TODAY, "-f", "json", cwd=repo)
    moved_findings = json.loads(moved)["findings"]
    # every finding really moved down...
    assert sorted(f["line"] for f in moved_findings) != sorted(f["line"] for f in findings)
    code, out, _ = cli(
        "check", "--today", TODAY, "--baseline", "policycoord-baseline.json", "-f", "json", cwd=repo
    )
    document = json.loads(out)
    # ...and the baseline still accepts all of them
    assert code == 0
    assert document["findings"] == []
    baselined = [s for s in document["suppressed"] if s["suppressed_by"] == {"baseline": True}]
    waived = [s for s in document["suppressed"] if "waiver" in s["suppressed_by"]]
    assert len(baselined) == len(findings)
    assert {s["fingerprint"] for s in baselined} == {f["fingerprint"] for f in findings}
    assert [s["code"] for s in waived] == ["PC401"]  # the example's waiver, applied first
    assert document["summary"]["suppressed"] == len(findings) + len(waived)
    assert document["baseline"] == {"file": "policycoord-baseline.json", "stale": []}


def test_baseline_reports_new_findings_and_lists_stale_entries(
    cli: CliRunner, tmp_path: Path
) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership(members=["a", "ghost"]),
            "orgs/a.yaml": policy("a"),
        },
    )
    code, _, _ = cli("baseline", "--today", TODAY, "-o", "accepted.json", cwd=repo)
    assert code == 0
    # fix the old finding (ghost gets a file) and add a new one (an unlisted organisation)
    make_repo(repo, {"orgs/ghost.yaml": policy("ghost"), "orgs/stray.yaml": policy("stray")})
    code, out, _ = cli("check", "--today", TODAY, "--baseline", "accepted.json", cwd=repo)
    assert code == 0  # PC007 is a warning
    assert "PC007" in out and "PC006" not in out.split("baseline entr")[0]
    assert "1 baseline entry no longer occurs; write the baseline again" in out
    assert "PC006" in out.split("no longer occurs")[1]


def test_baseline_to_standard_output_and_bad_baselines(cli: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"partnership.yaml": partnership(members=["a", "ghost"]), "orgs/a.yaml": policy("a")},
    )
    code, out, _ = cli("baseline", "--today", TODAY, "-o", "-", cwd=repo)
    assert code == 0
    assert json.loads(out)["tool"] == "policycoord"
    assert not (repo / "policycoord-baseline.json").exists()

    for content, message in [
        (None, "does not exist"),
        ("not json", "is not a policycoord baseline file (not JSON"),
        ('{"tool": "ruff", "findings": []}', "is not a policycoord baseline file"),
        ('{"tool": "policycoord", "version": 9, "findings": []}', "version 9"),
        ('{"tool": "policycoord", "version": 1, "findings": [{}]}', "entry 1"),
    ]:
        target = repo / "base.json"
        target.unlink(missing_ok=True)
        if content is not None:
            target.write_text(content, encoding="utf-8")
        code, out, err = cli("check", "--today", TODAY, "--baseline", "base.json", cwd=repo)
        assert code == 2, content
        assert message in err and err.count("\n") == 1 and out == ""


def test_baseline_output_is_deterministic(cli: CliRunner, tmp_path: Path) -> None:
    repo = _example_copy(tmp_path / "repo")
    outputs = set()
    for _ in range(2):
        code, out, _ = cli("baseline", "--today", TODAY, "-o", "-", cwd=repo)
        assert code == 0
        outputs.add(out)
    assert len(outputs) == 1


def test_nothing_to_check_is_a_usage_error(cli: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"partnership.yaml": partnership(), "orgs/a.yaml": policy("a")},
    )
    code, out, err = cli("check", "--select", "PC4", "--ignore", "PC4", cwd=repo)
    assert code == 2 and out == ""
    assert err.startswith("policycoord: Nothing to check: --select PC4 --ignore PC4")


def test_a_baselined_review_finding_stays_accepted_as_the_dates_pass(
    cli: CliRunner, tmp_path: Path
) -> None:
    """PC401 moves from `approved` (approval lapsed) to `next_review` (now
    passed too) as days go by: still the same finding for the baseline."""
    org = policy(
        "a",
        extra="""\
        """,
    ).replace(
        "  sector: education\n",
        "  sector: education\n  review: {approved: 2025-02-01, next_review: 2026-03-05}\n",
    )
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership(extra="review: {max_age: 12 months}\n"),
            "orgs/a.yaml": org,
        },
    )
    code, _, _ = cli("baseline", "--today", "2026-03-01", "-o", "b.json", cwd=repo)
    assert code == 0
    assert "PC401" in (repo / "b.json").read_text(encoding="utf-8")
    code, out, _ = cli(
        "check", "--today", "2026-03-10", "--baseline", "b.json", "-f", "json", cwd=repo
    )
    document = json.loads(out)
    assert [f["code"] for f in document["findings"]] == []
    assert [s["code"] for s in document["suppressed"]] == ["PC401"]
    # now located at next_review (it was at approved): the same fingerprint
    assert document["suppressed"][0]["pointer"] == "/organisation/review/next_review"
    assert document["baseline"]["stale"] == []
