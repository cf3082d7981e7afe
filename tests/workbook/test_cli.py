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
    assert "There is no organisation `st-marys` in this partnership." in stderr


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
