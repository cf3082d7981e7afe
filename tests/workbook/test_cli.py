"""`policycoord workbook export` and `workbook import` as a person runs
them: exit statuses (SPEC §4), findings at `file.xlsx:Sheet!C4` in every
report format, refusals in words, and `--help` in words."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLES, TODAY, CliRunner, run_cli

from tests.cli.test_help import NOTATION, click_command, help_page, words
from tests.workbook.helpers import changed, copy_repository, snapshot


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    return copy_repository(EXAMPLES, tmp_path / "repo")


def test_export_then_import_end_to_end(repository: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    code, stdout, stderr = run_cli(
        "workbook", "export", "-o", out, "--today", TODAY, cwd=repository
    )
    assert (code, stdout) == (0, "")
    assert "Wrote 9 workbooks into" in stderr
    before = snapshot(repository)
    workbooks = sorted(out.glob("*.xlsx"))
    code, stdout, stderr = run_cli(
        "workbook", "import", *workbooks, "--today", TODAY, cwd=repository
    )
    assert code == 0, stderr
    assert "The workbooks fix no finding and introduce none." in stdout
    assert "st-marys-primary.xlsx -> orgs/st-marys-primary.yaml: no change" in stdout
    assert snapshot(repository) == before


def test_import_with_the_repository_folder_last(repository: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    run_cli(
        "workbook", "export", repository, "--organisation", "riverside-fc", "-o", out, cwd=tmp_path
    )
    assert [p.name for p in out.iterdir()] == ["riverside-fc.xlsx"]
    code, stdout, _ = run_cli(
        "workbook", "import", out / "riverside-fc.xlsx", repository, "--dry-run", cwd=tmp_path
    )
    assert code == 0
    assert "out/riverside-fc.xlsx -> orgs/riverside-fc.yaml: no change" in stdout


def test_an_edit_that_introduces_an_error_exits_1_and_json_names_the_cell(
    repository: Path, tmp_path: Path, cli: CliRunner
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert (
        cli("workbook", "export", "--organisation", "st-marys-primary", "-o", out, cwd=repository)[
            0
        ]
        == 0
    )

    def retarget(book: openpyxl.Workbook) -> None:
        book["Escalation steps"]["B3"] = "northshire-cs/front-door"

    edited = changed(out / "st-marys-primary.xlsx", tmp_path / "returned.xlsx", retarget)
    code, stdout, stderr = cli(
        "workbook", "import", edited, "-f", "json", "--today", TODAY, cwd=repository
    )
    assert code == 1
    assert "introduces" in stderr and "PC201" in stderr
    report = json.loads(stdout)
    found = [f for f in report["findings"] if f["code"] == "PC201"]
    assert [(f["path"], f["cell"], f["line"], f["column"]) for f in found] == [
        ("../returned.xlsx", "'Escalation steps'!B3", 3, 2)
    ]
    assert "to: northshire-cs/front-door" in (repository / "orgs/st-marys-primary.yaml").read_text()


@pytest.mark.parametrize(
    "fmt", ["terminal", "markdown", "html", "sarif", "github", "gitlab", "junit"]
)
def test_every_format_shows_the_cell(
    repository: Path, tmp_path: Path, cli: CliRunner, fmt: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    cli("workbook", "export", "--organisation", "riverside-fc", "-o", out, cwd=repository)
    code, stdout, _ = cli(
        "workbook",
        "import",
        out / "riverside-fc.xlsx",
        "--dry-run",
        "-f",
        fmt,
        "--today",
        TODAY,
        cwd=repository,
    )
    assert code == 0
    assert "Escalation steps" in stdout and "B3" in stdout, stdout[:3000]
    if fmt == "sarif":  # a cell in a location's properties is still SARIF 2.1.0
        import jsonschema
        from conftest import SHARED

        schema = json.loads((SHARED / "schemas" / "sarif-schema-2.1.0.json").read_text())
        jsonschema.validate(json.loads(stdout), schema)


def test_a_refusal_exits_2_and_writes_nothing(
    repository: Path, tmp_path: Path, cli: CliRunner
) -> None:
    before = snapshot(repository)
    macro = tmp_path / "policy.xlsm"
    macro.write_bytes(b"PK")
    code, stdout, _ = cli("workbook", "import", macro, cwd=repository)
    assert code == 2
    assert "Nothing was imported and nothing was written" in stdout
    assert "macro-enabled workbook" in stdout
    assert snapshot(repository) == before


def test_an_unknown_organisation_is_a_usage_error(
    repository: Path, tmp_path: Path, cli: CliRunner
) -> None:
    code, _, stderr = cli(
        "workbook", "export", "--organisation", "st-marys", "-o", tmp_path, cwd=repository
    )
    assert code == 2
    assert (
        "There is no organisation `st-marys` in this partnership, neither a policy file "
        "nor a member" in stderr
    )


@pytest.mark.parametrize(
    "command", [["workbook"], ["workbook", "export"], ["workbook", "import"]], ids=" ".join
)
def test_help_is_in_words(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    page = help_page(cli, monkeypatch, *command)
    for what, pattern in NOTATION.items():
        assert not pattern.search(page), f"{what} in {' '.join(command)} --help:\n{page}"
    assert all(len(line) <= 80 for line in page.splitlines())
    command_object = click_command(*command)
    for param in command_object.params:
        if param.help:
            assert words(param.help) in words(page), param.name


def test_a_standard_error_that_cannot_encode_the_text_gets_it_escaped(
    repository: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a standard error strict about ASCII (an embedding program, LC_ALL=C with a
    # strict error handler): the summaries name a folder "café", never a crash
    import io

    from policycoord.cli.app import main

    raw = io.BytesIO()
    strict = io.TextIOWrapper(raw, encoding="ascii", errors="strict", write_through=True)
    monkeypatch.setattr("sys.stderr", strict)
    monkeypatch.chdir(repository)
    out = tmp_path / "café"
    for args in (
        ["workbook", "export", "--organisation", "riverside-fc", "-o", str(out)],
        ["workbook", "import", str(out / "riverside-fc.xlsx"), "-f", "json", "-o", "r.json"],
    ):
        with pytest.raises(SystemExit) as exit_:
            main(args)
        assert exit_.value.code == 0, raw.getvalue().decode("ascii")
    said = raw.getvalue().decode("ascii")
    assert "caf\\xe9" in said and "internal error" not in said
    assert "caf\\xe9/riverside-fc.xlsx -> orgs/riverside-fc.yaml: no change" in said


def _export_st_marys(cli: CliRunner, repository: Path, out: Path) -> Path:
    code = cli(
        "workbook", "export", "--organisation", "st-marys-primary", "-o", out, cwd=repository
    )
    assert code[0] == 0
    return out / "st-marys-primary.xlsx"


def _retargeted(workbook: Path, target: Path) -> Path:
    def retarget(book: openpyxl.Workbook) -> None:
        book["Escalation steps"]["B3"] = "northshire-cs/front-door"

    return changed(workbook, target, retarget)


def test_the_last_line_says_what_decides_the_exit_status(
    repository: Path, tmp_path: Path, cli: CliRunner
) -> None:
    workbook = _export_st_marys(cli, repository, tmp_path / "out")
    # untouched: the files hold errors, which do not decide an import's exit status
    code, stdout, _ = cli("workbook", "import", workbook, "--today", TODAY, cwd=repository)
    assert code == 0
    assert "fail this run" not in stdout and "Summary" not in stdout  # check's verdict left out
    assert stdout.rstrip().splitlines()[-1] == (  # the examples' partnership sets the level
        "Exit status 0: the workbooks introduce no finding at or above error (the partnership's "
        "rules.fail_on: error). Findings the files already held do not decide an import's exit "
        "status."
    )
    edited = _retargeted(workbook, tmp_path / "returned.xlsx")
    code, stdout, stderr = cli(
        "workbook", "import", edited, "--dry-run", "--today", TODAY, cwd=repository
    )
    assert code == 1
    last = stdout.rstrip().splitlines()[-1]
    assert last.startswith("Exit status 1: the workbooks introduce 2 errors at or above error (the")
    code, stdout, stderr = cli(
        "workbook", "import", edited, "--dry-run", "-f", "json", "--today", TODAY, cwd=repository
    )
    assert code == 1 and json.loads(stdout)["findings"]
    assert stderr.rstrip().splitlines()[-1].startswith("Exit status 1: the workbooks introduce")
    code, stdout, _ = cli(
        "workbook", "import", edited, "--dry-run", "--fail-on", "never", cwd=repository
    )
    assert code == 0
    assert (
        stdout.rstrip()
        .splitlines()[-1]
        .startswith("Exit status 0: with --fail-on never, no finding fails an import.")
    )
    bad = tmp_path / "policy.xlsm"
    bad.write_bytes(b"PK")
    code, stdout, _ = cli("workbook", "import", bad, cwd=repository)
    assert code == 2
    assert stdout.rstrip().splitlines()[-1] == (
        "Exit status 2: a workbook was refused, so nothing was imported or written."
    )


def test_select_ignore_and_baseline_mean_what_they_mean_for_check(
    repository: Path, tmp_path: Path, cli: CliRunner
) -> None:
    workbook = _export_st_marys(cli, repository, tmp_path / "out")
    edited = _retargeted(workbook, tmp_path / "returned.xlsx")
    run = ("workbook", "import", edited, "--dry-run", "-f", "json", "--today", TODAY)
    code, stdout, _ = cli(*run, "--select", "PC4", cwd=repository)
    assert code == 0  # the PC201 and PC203 it introduces are not selected
    assert {f["code"][:3] for f in json.loads(stdout)["findings"]} <= {"PC4", "PC0"}
    code, stdout, _ = cli(*run, "--ignore", "PC2", cwd=repository)
    assert code == 0
    assert not any(f["code"].startswith("PC2") for f in json.loads(stdout)["findings"])
    code, _, stderr = cli(*run, "--select", "PC999", cwd=repository)
    assert code == 2 and "Unknown rule code PC999" in stderr
    # a baseline of the findings today: the untouched workbook reports none of them
    baseline = tmp_path / "baseline.json"
    assert cli("baseline", "-o", baseline, "--today", TODAY, cwd=repository)[0] == 0
    code, stdout, _ = cli(
        "workbook", "import", workbook, "-f", "json", "--baseline", baseline, "--today", TODAY,
        cwd=repository,
    )  # fmt: skip
    assert code == 0
    report = json.loads(stdout)
    assert report["findings"] == [] and report["summary"]["suppressed"] > 0
    code, stdout, _ = cli(*run, "--baseline", baseline, cwd=repository)
    assert code == 1  # what the workbook introduces is in no baseline
    assert {f["code"] for f in json.loads(stdout)["findings"]} >= {"PC201"}


def test_export_never_replaces_a_returned_workbook_unless_forced(
    repository: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    args = ("workbook", "export", "-o", out, "--today", TODAY)
    assert run_cli(*args, cwd=repository)[0] == 0
    returned = changed(
        out / "riverside-fc.xlsx",
        out / "riverside-fc.xlsx",
        lambda book: book["Organisation"].__setitem__("B3", "Filled in by the club"),
    )
    before = snapshot(out)
    # the same export again is the same bytes but for the returned workbook
    code, stdout, stderr = run_cli(*args, cwd=repository)
    assert (code, stdout) == (2, "")
    assert "`riverside-fc.xlsx`" in stderr
    assert "`st-marys-primary.xlsx`" not in stderr
    assert "Import it first" in stderr and "another folder" in stderr
    assert snapshot(out) == before
    # a workbook written byte for byte as it is there is written again
    returned.unlink()
    assert run_cli(*args, cwd=repository)[0] == 0
    changed(returned, returned, lambda book: book["Organisation"].__setitem__("B3", "Again"))
    code, _, stderr = run_cli(*args, "--force", cwd=repository)
    assert code == 0, stderr
    assert snapshot(out) != before
    assert openpyxl.load_workbook(returned)["Organisation"]["B3"].value != "Again"


def test_the_last_line_says_the_partnership_set_the_level(
    repository: Path, tmp_path: Path, cli: CliRunner
) -> None:
    """The import's verdict said `--fail-on error` even when the level came
    from the partnership's rules.fail_on; it says who set it, as check does."""
    file = repository / "partnership.yaml"
    file.write_text(file.read_text().replace("  fail_on: error\n", "  fail_on: warning\n", 1))
    workbook = _export_st_marys(cli, repository, tmp_path / "out")
    code, stdout, _ = cli("workbook", "import", workbook, "--today", TODAY, cwd=repository)
    assert code == 0
    assert stdout.rstrip().splitlines()[-1] == (
        "Exit status 0: the workbooks introduce no finding at or above warning (the "
        "partnership's rules.fail_on: warning). Findings the files already held do not decide "
        "an import's exit status."
    )
    edited = _retargeted(workbook, tmp_path / "returned.xlsx")
    code, stdout, _ = cli(
        "workbook", "import", edited, "--dry-run", "--today", TODAY, cwd=repository
    )
    assert code == 1
    assert "at or above warning (the partnership's rules.fail_on: warning)." in stdout
    assert "--fail-on" not in stdout.rstrip().splitlines()[-1]
    code, stdout, _ = cli(
        "workbook", "import", edited, "--dry-run", "--fail-on", "error", cwd=repository
    )
    assert "at or above --fail-on error." in stdout.rstrip().splitlines()[-1]
