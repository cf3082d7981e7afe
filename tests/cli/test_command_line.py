"""The command line as users and CI pipelines see it (SPEC §4): exit statuses,
usage errors, `--output`, colour, `validate`, `schema`, finding the
repository, and byte-identical output whatever the hash seed or file order.

Most tests call `policycoord.cli.app.main` in-process (the `cli` fixture); a few
run `python -m policycoord` in a subprocess, end to end.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import (
    EXAMPLES,
    PROJECT_ROOT,
    TODAY,
    CliRunner,
    make_repo,
    partnership,
    policy,
    run_cli,
)

SCHEMAS = PROJECT_ROOT / "src" / "policycoord" / "schemas"
ANSI = "\x1b["


def clean_repo(root: Path) -> Path:
    return make_repo(
        root,
        {
            "partnership.yaml": partnership(["alpha", "beta"]),
            "orgs/alpha.yaml": policy("alpha"),
            "orgs/beta.yaml": policy("beta", sector="health"),
        },
    )


def warning_repo(root: Path, partnership_extra: str = "") -> Path:
    """Only a warning: `gamma` has a file but is not a member (PC007)."""
    return make_repo(
        root,
        {
            "partnership.yaml": partnership(["alpha"], extra=partnership_extra),
            "orgs/alpha.yaml": policy("alpha"),
            "orgs/gamma.yaml": policy("gamma"),
        },
    )


def error_repo(root: Path) -> Path:
    """An error: `beta` is a member without a policy file (PC006), and a broken file."""
    return make_repo(
        root,
        {
            "partnership.yaml": partnership(["alpha", "beta"]),
            "orgs/alpha.yaml": policy("alpha"),
            "orgs/broken.yaml": "policycoord: 1\norganisation: [\n",
        },
    )


def codes_of(stdout: str) -> list[str]:
    return [f["code"] for f in json.loads(stdout)["findings"]]


# --- exit statuses -------------------------------------------------------------------


def test_clean_repository_exits_0(cli: CliRunner, tmp_path: Path) -> None:
    repo = clean_repo(tmp_path / "repo")
    code, out, err = cli("check", "--today", TODAY, "--format", "json", cwd=repo)
    assert (code, err) == (0, "")
    assert json.loads(out)["findings"] == []


def test_error_finding_exits_1(cli: CliRunner, tmp_path: Path) -> None:
    repo = error_repo(tmp_path / "repo")
    code, out, err = cli("check", "--today", TODAY, "-f", "json", cwd=repo)
    assert code == 1
    assert err == ""
    assert {"PC001", "PC006"} <= set(codes_of(out))


def test_warning_only_passes_by_default(cli: CliRunner, tmp_path: Path) -> None:
    repo = warning_repo(tmp_path / "repo")
    code, out, _ = cli("check", "--today", TODAY, "-f", "json", cwd=repo)
    assert code == 0
    assert codes_of(out) == ["PC007"]


def test_fail_on_warning_fails_a_warning_only_repo(cli: CliRunner, tmp_path: Path) -> None:
    repo = warning_repo(tmp_path / "repo")
    assert cli("check", "--today", TODAY, "--fail-on", "warning", cwd=repo)[0] == 1
    assert cli("check", "--today", TODAY, "--fail-on", "info", cwd=repo)[0] == 1
    assert cli("check", "--today", TODAY, "--fail-on", "error", cwd=repo)[0] == 0


def test_fail_on_never_exits_0_with_errors(cli: CliRunner, tmp_path: Path) -> None:
    repo = error_repo(tmp_path / "repo")
    code, out, _ = cli("check", "--today", TODAY, "--fail-on", "never", "--no-color", cwd=repo)
    assert code == 0
    assert "PC006" in out
    assert "--fail-on never" in out


def test_partnership_fail_on_is_honoured_and_the_option_wins(
    cli: CliRunner, tmp_path: Path
) -> None:
    repo = warning_repo(tmp_path / "repo", partnership_extra="rules:\n  fail_on: warning\n")
    code, out, _ = cli("check", "--today", TODAY, "--no-color", cwd=repo)
    # the verdict names who set the level: nobody typed --fail-on here
    assert code == 1
    assert "(the partnership's rules.fail_on: warning)." in out
    assert "--fail-on" not in out
    code, out, _ = cli("check", "--today", TODAY, "--fail-on", "error", "--no-color", cwd=repo)
    assert (code, "(--fail-on error)." in out) == (0, True)
    assert cli("check", "--today", TODAY, "--fail-on", "never", cwd=repo)[0] == 0


def test_command_line_ignore_adds_to_the_partnership_ignore(cli: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership(["alpha", "beta"], extra="rules:\n  ignore: [PC006]\n"),
            "orgs/alpha.yaml": policy("alpha"),
            "orgs/gamma.yaml": policy("gamma"),  # PC007
        },
    )
    code, out, _ = cli("check", "--today", TODAY, "-f", "json", cwd=repo)
    assert (code, codes_of(out)) == (0, ["PC007"])
    # ignoring something else on the command line must not bring PC006 back
    code, out, _ = cli("check", "--today", TODAY, "-f", "json", "--ignore", "PC007", cwd=repo)
    assert (code, codes_of(out)) == (0, [])


def test_select_and_ignore_take_prefixes_and_lists(cli: CliRunner, tmp_path: Path) -> None:
    repo = error_repo(tmp_path / "repo")
    _, out, _ = cli("check", "--today", TODAY, "-f", "json", "--select", "PC00", cwd=repo)
    assert set(codes_of(out)) == {"PC001", "PC006"}
    _, out, _ = cli("check", "--today", TODAY, "-f", "json", "--select", "pc006", cwd=repo)
    assert codes_of(out) == ["PC006"]
    code, out, _ = cli("check", "--today", TODAY, "-f", "json", "--ignore", "PC001,PC006", cwd=repo)
    assert (code, codes_of(out)) == (0, [])


# --- exit status 2: policycoord could not run -----------------------------------------


def assert_one_line_error(err: str, *needles: str) -> None:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("policycoord: ")
    for needle in needles:
        assert needle in lines[0]


def test_no_partnership_file_exits_2(cli: CliRunner, tmp_path: Path) -> None:
    folder = make_repo(tmp_path / "not-a-repo", {"orgs/alpha.yaml": policy("alpha")})
    code, out, err = cli("check", "--today", TODAY, cwd=folder)
    assert code == 2
    assert out == ""
    assert_one_line_error(
        err, "No partnership.yaml found", "run `policycoord init`", "--partnership"
    )


def test_path_that_does_not_exist_exits_2(cli: CliRunner, tmp_path: Path) -> None:
    repo = clean_repo(tmp_path / "repo")
    code, out, err = cli("check", "no/such/folder", "--today", TODAY, cwd=repo)
    assert (code, out) == (2, "")
    assert_one_line_error(err, "no/such/folder", "does not exist")
    # a second path that does not exist, after one that does
    code, _, err = cli("check", "orgs/alpha.yaml", "orgs/nope.yaml", cwd=repo)
    assert code == 2
    assert_one_line_error(err, "orgs/nope.yaml does not exist")


def test_partnership_option_to_a_missing_file_exits_2(cli: CliRunner, tmp_path: Path) -> None:
    repo = clean_repo(tmp_path / "repo")
    code, _, err = cli("check", "--partnership", "nope.yaml", cwd=repo)
    assert code == 2
    assert_one_line_error(err, "nope.yaml", "does not exist")
    code, _, err = cli("check", "--partnership", "orgs", cwd=repo)
    assert code == 2
    assert_one_line_error(err, "orgs", "folder")


@pytest.mark.parametrize("bad", ["2026-13-01", "24/11/2026", "tomorrow", "2026-02-30"])
def test_bad_today_exits_2(cli: CliRunner, tmp_path: Path, bad: str) -> None:
    repo = clean_repo(tmp_path / "repo")
    code, out, err = cli("check", "--today", bad, cwd=repo)
    assert (code, out) == (2, "")
    assert "--today" in err
    assert "YYYY-MM-DD" in err
    assert "Traceback" not in err


def test_bad_format_exits_2(cli: CliRunner, tmp_path: Path) -> None:
    repo = clean_repo(tmp_path / "repo")
    code, out, err = cli("check", "--format", "xml", cwd=repo)
    assert (code, out) == (2, "")
    assert "--format" in err
    assert "json" in err
    assert "Traceback" not in err


def test_bad_fail_on_and_max_file_size_exit_2(cli: CliRunner, tmp_path: Path) -> None:
    repo = clean_repo(tmp_path / "repo")
    code, _, err = cli("check", "--fail-on", "sometimes", cwd=repo)
    assert code == 2
    assert "--fail-on" in err
    code, _, err = cli("check", "--max-file-size", "lots", cwd=repo)
    assert code == 2
    assert "--max-file-size" in err


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_rule_code_exits_2_listing_valid_codes(
    cli: CliRunner, tmp_path: Path, option: str
) -> None:
    repo = clean_repo(tmp_path / "repo")
    code, out, err = cli("check", option, "PC999", cwd=repo)
    assert (code, out) == (2, "")
    assert_one_line_error(err, "PC999", "PC001", "PC011")


def test_output_into_a_missing_folder_exits_2(cli: CliRunner, tmp_path: Path) -> None:
    repo = clean_repo(tmp_path / "repo")
    code, out, err = cli("check", "-o", "missing/report.json", "-f", "json", cwd=repo)
    assert (code, out) == (2, "")
    assert_one_line_error(err, "missing/report.json", "does not exist")
    assert not (repo / "missing").exists()


def test_output_that_cannot_be_created_exits_2(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder we may not write into (simulated: the tests may run as root)."""
    import tempfile

    repo = clean_repo(tmp_path / "repo")

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    code, _, err = cli("check", "-o", "report.json", "-f", "json", cwd=repo)
    assert code == 2
    assert_one_line_error(err, "Cannot write report.json", "Permission denied")


def test_output_onto_a_folder_exits_2(cli: CliRunner, tmp_path: Path) -> None:
    repo = clean_repo(tmp_path / "repo")
    code, _, err = cli("check", "-o", "orgs", cwd=repo)
    assert code == 2
    assert_one_line_error(err, "orgs", "folder")


def test_internal_error_is_one_line_with_how_to_report(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import policycoord.workflows.pipeline
    from policycoord.cli.app import main
    from policycoord.core.about import ISSUES_URL

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the engine fell over")

    monkeypatch.setattr(policycoord.workflows.pipeline, "check", broken)
    monkeypatch.chdir(clean_repo(tmp_path / "repo"))
    with pytest.raises(SystemExit) as exit_:
        main(["check", "--today", TODAY])
    assert exit_.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert "internal error" in lines[0]
    assert "the engine fell over" in lines[0]
    assert ISSUES_URL in lines[0]
    assert "report" in lines[0]


def test_internal_error_end_to_end_has_no_traceback(tmp_path: Path) -> None:
    """Through the real entry point (`python -m policycoord`): a broken reporter."""
    repo = clean_repo(tmp_path / "repo")
    script = (
        "import sys, policycoord.output.reporters.json_report as r\n"
        "def boom(report, options): raise ValueError('renderer broke')\n"
        "r.render = boom\n"
        "from policycoord.cli.app import main\n"
        "main(sys.argv[1:])\n"
    )
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", script, "check", "-f", "json", "--today", TODAY],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert "internal error" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


# --- version, help, schema ------------------------------------------------------------


def test_version_and_help_end_to_end(tmp_path: Path) -> None:
    from policycoord.core.about import __version__

    code, out, err = run_cli("--version", cwd=tmp_path)
    assert (code, out, err) == (0, f"policycoord {__version__}\n", "")
    code, out, err = run_cli("--help", cwd=tmp_path)
    assert code == 0
    assert err == ""
    for command in ("check", "validate", "schema"):
        assert command in out


def test_command_help(cli: CliRunner) -> None:
    code, out, _ = cli("check", "--help")
    assert code == 0
    for option in ("--format", "--output", "--fail-on", "--select", "--ignore", "--today"):
        assert option in out
    for option in ("--partnership", "--quiet", "--no-color"):
        assert option in out
    code, out, _ = cli("validate", "-h")
    assert code == 0
    assert "--format" in out


@pytest.mark.parametrize("kind", ["policy", "partnership"])
def test_schema_prints_the_shipped_schema(cli: CliRunner, kind: str) -> None:
    code, out, err = cli("schema", kind)
    assert (code, err) == (0, "")
    shipped = (SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert json.loads(out) == json.loads(shipped)
    assert out == shipped


def test_schema_of_an_unknown_kind_exits_2(cli: CliRunner) -> None:
    code, out, err = cli("schema", "organisation")
    assert (code, out) == (2, "")
    assert "policy" in err
    assert "partnership" in err


# --- --output -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "terminal"])
def test_output_writes_the_report_and_nothing_to_stdout(
    cli: CliRunner, tmp_path: Path, fmt: str
) -> None:
    repo = warning_repo(tmp_path / "repo")
    _, expected, _ = cli("check", "--today", TODAY, "-f", fmt, "--no-color", cwd=repo)
    code, out, err = cli("check", "--today", TODAY, "-f", fmt, "-o", "out/report", cwd=repo)
    assert code == 2  # the folder out/ does not exist yet
    (repo / "out").mkdir()
    code, out, err = cli("check", "--today", TODAY, "-f", fmt, "-o", "out/report", cwd=repo)
    assert (code, out, err) == (0, "", "")
    written = (repo / "out" / "report").read_text(encoding="utf-8")
    assert written == expected
    assert ANSI not in written
    assert sorted(p.name for p in (repo / "out").iterdir()) == ["report"]


def test_output_replaces_an_existing_report(cli: CliRunner, tmp_path: Path) -> None:
    repo = error_repo(tmp_path / "repo")
    target = repo / "report.json"
    target.write_text("old report\n", encoding="utf-8")
    code, out, _ = cli("check", "--today", TODAY, "-f", "json", "-o", target, cwd=repo)
    assert (code, out) == (1, "")
    assert json.loads(target.read_text(encoding="utf-8"))["partnership"] == "north"
    assert [p.name for p in repo.iterdir() if p.name.endswith(".tmp")] == []


def test_output_is_atomic_when_rendering_fails(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policycoord.output.reporters import json_report

    repo = clean_repo(tmp_path / "repo")
    reports = make_repo(tmp_path / "reports", {})
    target = reports / "report.json"
    before = b'{"previous": "report"}\n\x00\xff'
    target.write_bytes(before)

    def broken(report: object, options: object) -> str:
        raise RuntimeError("rendering failed half way")

    monkeypatch.setattr(json_report, "render", broken)  # the registry finds it when run
    code, out, err = cli("check", "--today", TODAY, "-f", "json", "-o", target, cwd=repo)
    assert code == 2
    assert out == ""
    assert "internal error" in err
    assert target.read_bytes() == before
    assert sorted(p.name for p in reports.iterdir()) == ["report.json"]


def test_output_is_atomic_when_writing_fails(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after the temporary file is created (disk full) removes it."""
    repo = clean_repo(tmp_path / "repo")
    target = repo / "report.json"
    target.write_text("keep me\n", encoding="utf-8")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    code, _, err = cli("check", "--today", TODAY, "-f", "json", "-o", "report.json", cwd=repo)
    assert code == 2
    assert_one_line_error(err, "Cannot write report.json", "No space left on device")
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert sorted(p.name for p in repo.iterdir() if p.is_file()) == [
        "partnership.yaml",
        "report.json",
    ]


# --- terminal: quiet and colour ---------------------------------------------------------


def test_quiet_prints_findings_without_summary(cli: CliRunner, tmp_path: Path) -> None:
    repo = warning_repo(tmp_path / "repo")
    _, full, _ = cli("check", "--today", TODAY, "--no-color", cwd=repo)
    code, quiet, _ = cli("check", "--today", TODAY, "--no-color", "--quiet", cwd=repo)
    assert code == 0
    assert "Summary" in full
    assert "files read" in full
    assert "PC007" in quiet
    assert "orgs/gamma.yaml:" in quiet
    assert "Summary" not in quiet
    assert "files read" not in quiet
    assert "North Partnership\n" not in quiet
    # quiet and clean: nothing at all
    clean = clean_repo(tmp_path / "clean")
    assert cli("check", "--today", TODAY, "-q", cwd=clean)[:2] == (0, "")


def test_no_color_option_and_no_color_variable(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = error_repo(tmp_path / "repo")
    monkeypatch.setenv("FORCE_COLOR", "1")
    _, coloured, _ = cli("check", "--today", TODAY, cwd=repo)
    assert ANSI in coloured
    _, plain, _ = cli("check", "--today", TODAY, "--no-color", cwd=repo)
    assert "\x1b" not in plain
    monkeypatch.setenv("NO_COLOR", "1")
    _, plain_env, _ = cli("check", "--today", TODAY, cwd=repo)
    assert "\x1b" not in plain_env
    assert "PC006" in plain and "PC006" in plain_env


def test_colour_end_to_end(tmp_path: Path) -> None:
    repo = error_repo(tmp_path / "repo")
    code, out, _ = run_cli(
        "check", "--today", TODAY, cwd=repo, env={"FORCE_COLOR": "1"}, no_color=False
    )
    assert code == 1
    assert ANSI in out
    assert "\x1b[1;31m" in out  # errors in bold red
    code, out, _ = run_cli("check", "--today", TODAY, cwd=repo)  # NO_COLOR=1
    assert code == 1
    assert "\x1b" not in out
    code, out, _ = run_cli(
        "check", "--today", TODAY, "--no-color", cwd=repo, env={"FORCE_COLOR": "1"}, no_color=False
    )
    assert "\x1b" not in out


def test_json_never_has_colour(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = error_repo(tmp_path / "repo")
    monkeypatch.setenv("FORCE_COLOR", "1")
    _, out, _ = cli("check", "--today", TODAY, "-f", "json", cwd=repo)
    assert "\x1b" not in out
    json.loads(out)


@pytest.mark.parametrize("fmt", ["terminal", "json", "sarif", "gitlab", "junit", "html"])
def test_stdout_that_cannot_encode_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """An ASCII locale: the formats that say they are UTF-8 (JSON by
    definition, the XML and HTML declare it) come out as UTF-8, whole and
    valid; the terminal format escaped. (SARIF and GitLab's JSON were
    escaped as `\\xc9`, which is not valid JSON.)"""
    import io
    import sys

    from policycoord.cli.app import main

    repo = accented_repo(tmp_path / "repo")
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii", errors="strict", newline="\n")
    monkeypatch.setattr(sys, "stdout", stream)
    monkeypatch.chdir(repo)
    with pytest.raises(SystemExit) as exit_:
        main(["check", "--today", TODAY, "-f", fmt, "--no-color"])
    stream.flush()
    assert exit_.value.code == 0
    if fmt == "json":
        document = json.loads(raw.getvalue().decode("utf-8"))
        assert "\u00c9cole" in document["findings"][0]["message"]
    elif fmt in ("sarif", "gitlab"):
        text = raw.getvalue().decode("utf-8")
        assert "\u00c9cole" in json.dumps(json.loads(text), ensure_ascii=False)
    elif fmt in ("junit", "html"):
        text = raw.getvalue().decode("utf-8")
        assert "\u00c9cole" in text and "\\xc9" not in text
    else:
        text = raw.getvalue().decode("ascii")
        assert "\\xc9cole" in text
        assert "PC007" in text


def accented_repo(root: Path) -> Path:
    return make_repo(
        root,
        {
            "partnership.yaml": partnership(["alpha"]),
            "orgs/alpha.yaml": policy("alpha"),
            "orgs/ecole.yaml": policy("ecole", name="\u00c9cole Saint-Andr\u00e9"),  # PC007
        },
    )


# --- validate -----------------------------------------------------------------------------

PER_FILE_CODES = {"PC001", "PC002", "PC003", "PC004", "PC005", "PC009", "PC010", "PC011"}


def test_validate_reports_only_per_file_codes(cli: CliRunner, tmp_path: Path) -> None:
    files = make_repo(
        tmp_path / "files",
        {
            # neither a member (PC007 under check) nor referenced by anything
            "a.yaml": policy("alpha", extra="unknown_key: 1\n"),  # PC003
            "b.yaml": "policycoord: 1\norganisation:\n  id: b\n  id: c\n  name: B\n"
            "  sector: sport\n",  # PC002
            "c.yaml": "policycoord: 1\n  bad: [\n",  # PC001
            "d.yaml": policy("alpha"),  # PC004 with a.yaml
        },
    )
    code, out, err = cli(
        "validate", "a.yaml", "b.yaml", "c.yaml", "d.yaml", "-f", "json", cwd=files
    )
    assert code == 1
    assert err == ""
    document = json.loads(out)
    codes = set(codes_of(out))
    assert codes <= PER_FILE_CODES
    assert {"PC001", "PC002", "PC003", "PC004"} <= codes
    assert document["summary"]["files"] == 4
    assert document["partnership"] is None
    assert {f["path"] for f in document["findings"]} <= {"a.yaml", "b.yaml", "c.yaml", "d.yaml"}


def test_validate_clean_files_exit_0_without_a_partnership(cli: CliRunner, tmp_path: Path) -> None:
    files = make_repo(tmp_path / "files", {"a.yaml": policy("alpha"), "b.yml": policy("beta")})
    code, out, err = cli("validate", "a.yaml", "b.yml", "--no-color", cwd=files)
    assert (code, err) == (0, "")
    assert "No findings" in out
    code, out, _ = cli("validate", "a.yaml", "-f", "json", cwd=files)
    assert code == 0
    assert json.loads(out)["summary"]["files"] == 1


def test_validate_does_not_cross_check(cli: CliRunner, tmp_path: Path) -> None:
    """A whole repository with cross-file problems but sound files: validate is clean."""
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership(["alpha", "missing"]),  # PC006 under check
            "orgs/alpha.yaml": policy("alpha"),
            "orgs/gamma.yaml": policy("gamma"),  # PC007 under check
        },
    )
    assert cli("check", "--today", TODAY, cwd=repo)[0] == 1
    code, out, _ = cli("validate", ".", "-f", "json", cwd=repo)
    assert (code, codes_of(out)) == (0, [])
    assert json.loads(out)["summary"]["files"] == 3


def test_validate_a_folder(cli: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "orgs/alpha.yaml": policy("alpha"),
            "orgs/deep/broken.yml": "policycoord: 1\norganisation: {id: [\n",
            "orgs/notes.txt": "not yaml: [",
            # hidden files and folders are not policy files (CI workflows, pre-commit)
            "orgs/.hidden.yaml": "[",
            ".github/workflows/ci.yml": "on: [push]\njobs: {}\n",
            ".pre-commit-config.yaml": "repos: []\n",
        },
    )
    code, out, _ = cli("validate", "orgs", "-f", "json", cwd=repo)
    assert code == 1
    document = json.loads(out)
    assert document["summary"]["files"] == 2
    assert {f["path"] for f in document["findings"]} == {"orgs/deep/broken.yml"}
    assert set(codes_of(out)) == {"PC001"}
    code, out, _ = cli("validate", ".", "-f", "json", cwd=repo)
    assert code == 1
    assert json.loads(out)["summary"]["files"] == 2
    assert cli("validate", "orgs/alpha.yaml", cwd=repo)[0] == 0


def test_validate_reads_a_file_named_twice_once(cli: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"orgs/alpha.yaml": policy("alpha")})
    code, out, _ = cli(
        "validate", "orgs", "orgs/alpha.yaml", "./orgs/alpha.yaml", "-f", "json", cwd=repo
    )
    assert (code, codes_of(out)) == (0, [])  # not PC004 against itself
    assert json.loads(out)["summary"]["files"] == 1


def test_validate_several_partnership_files(cli: CliRunner, tmp_path: Path) -> None:
    """Each partnership file is checked as one, not only the first."""
    repo = make_repo(
        tmp_path / "repo",
        {
            "one/partnership.yaml": partnership(["alpha"]),
            "two/partnership.yaml": partnership(["beta"]),
            "three/partnership.yaml": partnership(["gamma"], extra="surprise: 1\n"),
        },
    )
    code, out, _ = cli(
        "validate",
        "one/partnership.yaml",
        "two/partnership.yaml",
        "three/partnership.yaml",
        "-f",
        "json",
        cwd=repo,
    )
    document = json.loads(out)
    assert code == 1
    assert [(f["code"], f["path"], f["pointer"]) for f in document["findings"]] == [
        ("PC003", "three/partnership.yaml", "/surprise")
    ]
    assert document["summary"]["files"] == 3


def test_validate_a_missing_file_exits_2(cli: CliRunner, tmp_path: Path) -> None:
    code, _, err = cli("validate", "nope.yaml", cwd=tmp_path)
    assert code == 2
    assert_one_line_error(err, "nope.yaml", "does not exist")


def test_validate_end_to_end_json(tmp_path: Path) -> None:
    files = make_repo(tmp_path / "files", {"a.yaml": "policycoord: 1\norganisation: 3\n"})
    code, out, err = run_cli("validate", "a.yaml", "--format", "json", cwd=files)
    assert (code, err) == (1, "")
    assert codes_of(out) == ["PC003"]


# --- finding the repository ---------------------------------------------------------------


def test_check_from_a_subfolder_finds_the_partnership_above(cli: CliRunner, tmp_path: Path) -> None:
    repo = warning_repo(tmp_path / "repo")
    _, from_root, _ = cli("check", "--today", TODAY, "-f", "json", cwd=repo)
    code, from_below, err = cli("check", "--today", TODAY, "-f", "json", cwd=repo / "orgs")
    assert (code, err) == (0, "")
    assert from_below == from_root
    assert json.loads(from_below)["findings"][0]["path"] == "orgs/gamma.yaml"


def test_check_a_repository_path_from_elsewhere(cli: CliRunner, tmp_path: Path) -> None:
    repo = warning_repo(tmp_path / "repo")
    _, from_root, _ = cli("check", "--today", TODAY, "-f", "json", cwd=repo)
    code, from_outside, _ = cli("check", "repo", "--today", TODAY, "-f", "json", cwd=tmp_path)
    assert code == 0
    assert from_outside == from_root  # paths stay relative to the partnership folder


def test_check_examples_from_the_project_root(cli: CliRunner) -> None:
    code, out, err = cli(
        "check", "examples/policies", "--today", TODAY, "-f", "json", cwd=PROJECT_ROOT
    )
    assert code in (0, 1), err
    document = json.loads(out)
    assert document["partnership"] == "northshire"
    assert document["summary"]["files"] == 1 + len(list((EXAMPLES / "orgs").glob("*.yaml")))
    assert all(not f["path"].startswith(("/", "examples")) for f in document["findings"])


def test_partnership_option(cli: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "config/north.yaml": partnership(["alpha"], policies=["../orgs/*.yaml"]),
            "orgs/alpha.yaml": policy("alpha"),
        },
    )
    # no partnership.yaml anywhere: without the option, policycoord cannot run
    assert cli("check", "--today", TODAY, cwd=repo)[0] == 2
    # the partnership file's folder is the repository: ../orgs is outside it
    code, out, _ = cli(
        "check", "--partnership", "config/north.yaml", "--today", TODAY, "-f", "json", cwd=repo
    )
    assert code == 1
    assert codes_of(out) == ["PC006", "PC011"]
    other = make_repo(
        tmp_path / "other",
        {
            "north.yaml": partnership(["alpha"]),
            "orgs/alpha.yaml": policy("alpha"),
            "orgs/beta.yaml": policy("beta"),
        },
    )
    code, out, _ = cli(
        "check",
        "--partnership",
        "../north.yaml",
        "--today",
        TODAY,
        "-f",
        "json",
        cwd=other / "orgs",
    )
    document = json.loads(out)
    assert (code, codes_of(out)) == (0, ["PC007"])
    assert document["partnership"] == "north"
    assert document["summary"]["files"] == 3  # north.yaml is not read as a policy too
    assert document["findings"][0]["path"] == "orgs/beta.yaml"


def test_explicit_files_override_discovery(cli: CliRunner, tmp_path: Path) -> None:
    repo = warning_repo(tmp_path / "repo")
    code, out, _ = cli("check", "orgs/alpha.yaml", "--today", TODAY, "-f", "json", cwd=repo)
    assert code == 0
    document = json.loads(out)
    assert document["summary"]["files"] == 2
    assert document["findings"] == []


# --- determinism --------------------------------------------------------------------------


def test_output_is_identical_whatever_the_hash_seed(tmp_path: Path) -> None:
    from policycoord.output.formats import names

    formats = names("check")  # every registered format
    assert {"markdown", "html", "sarif", "junit"} <= set(formats)
    outputs: dict[str, set[str]] = {fmt: set() for fmt in formats}
    for seed in ("1", "12345"):
        for fmt in outputs:
            code, out, err = run_cli(
                "check",
                "examples/policies",
                "--today",
                TODAY,
                "--format",
                fmt,
                cwd=PROJECT_ROOT,
                env={"PYTHONHASHSEED": seed},
            )
            assert code in (0, 1), err
            outputs[fmt].add(out)
    assert {fmt: len(texts) for fmt, texts in outputs.items()} == dict.fromkeys(formats, 1)


def test_output_is_identical_whatever_the_file_order(cli: CliRunner, tmp_path: Path) -> None:
    files = {
        "partnership.yaml": partnership(["alpha", "beta", "delta"]),
        "orgs/alpha.yaml": policy("alpha"),
        "orgs/beta.yaml": "policycoord: 1\norganisation: [\n",
        "orgs/gamma.yaml": policy("gamma"),
        "orgs/zeta.yaml": policy("alpha", name="Another Alpha"),
        "orgs/sub/eta.yml": policy("eta", extra="unknown: 1\n"),
        "a.yaml": policy("zz-top"),
    }
    forward = make_repo(tmp_path / "one" / "repo", files)
    backward = make_repo(tmp_path / "two" / "repo", dict(reversed(list(files.items()))))
    results = []
    for repo in (forward, backward):
        for fmt in ("json", "terminal"):
            results.append(cli("check", "--today", TODAY, "-f", fmt, "--no-color", cwd=repo))
    assert results[0] == results[2]
    assert results[1] == results[3]
    assert results[0][0] == 1
