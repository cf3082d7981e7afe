"""A member listed in the partnership's `members` with no policy file: its
workbook (id filled in, the rest blank with drop-down lists), and the import
that makes its file where discovery reads it (beside its sector's
organisations in a partnership of sector folders), atomically, never over a
file that is there; a workbook returned blank makes nothing."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import ACCEPTANCE, TODAY, CliRunner, make_repo, partnership, policy

from policycoord.editing.new_files import read_by_discovery
from policycoord.input.discovery import discover
from policycoord.workflows.pipeline import Options, check
from tests.workbook.helpers import DAY, changed, copy_repository, export, run_import, snapshot

SCOUTS = "harbourne-scouts"
WHERE = "orgs/community/harbourne-scouts.yaml"  # beside the rowing club, the sport member


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """The harbour partnership (`orgs/*/*.yaml`) with a member that has no file."""
    repository = copy_repository(ACCEPTANCE / "harbour", tmp_path / "repo")
    file = repository / "partnership.yaml"
    text = file.read_text()
    file.write_text(text.replace("    - harbourne-yjs\n", f"    - harbourne-yjs\n    - {SCOUTS}\n"))
    return repository


def fill_in(book: openpyxl.Workbook) -> None:
    """What the organisation types: its name, its sector (from the list), a role."""
    sheet = book["Organisation"]
    assert [sheet["A3"].value, sheet["A4"].value] == ["Name", "Sector"]
    sheet["B3"] = "Harbourne Sea Scouts"
    sheet["B4"] = "Sport"
    book["Roles"]["A2"] = "gsl"
    book["Roles"]["B2"] = "Group Scout Leader"


def test_a_member_without_a_file_gets_a_workbook_of_its_id(
    repository: Path, tmp_path: Path
) -> None:
    workbook = export(repository, tmp_path / "out", SCOUTS)[SCOUTS]
    book = openpyxl.load_workbook(workbook)
    organisation = {row[0]: row[1] for row in book["Organisation"].iter_rows(values_only=True)}
    assert organisation["Organisation id"] == SCOUTS
    assert organisation["Name"] is None and organisation["Sector"] is None
    assert all(row == (None,) * 6 for row in book["Roles"].iter_rows(min_row=2, values_only=True))
    sector = next(
        v for v in book["Organisation"].data_validations.dataValidation if str(v.sqref) == "B4"
    )
    assert sector.type == "list"  # the drop-down list of sectors
    start = " ".join(str(c.value) for c in book["Start here"]["A"] if c.value)
    assert "no safeguarding policy from you yet" in start
    assert "as you can, then send it back: the partnership makes your policy from it" in start
    findings = list(book["Findings"].iter_rows(min_row=2, values_only=True))
    texts = " ".join(str(text) for row in findings for text in row)
    # PC006, in words for the organisation: no policy file's path, no advice for the repository
    assert "The partnership has no policy from you yet: this workbook is how you send it." in texts
    assert ".yaml" not in texts and "members" not in texts and "is a member of" not in texts


def test_export_of_everyone_includes_members_without_files(
    repository: Path, tmp_path: Path
) -> None:
    workbooks = export(repository, tmp_path / "out")
    with_files = sorted(p.stem for p in (repository / "orgs").glob("*/*.yaml"))
    assert sorted(workbooks) == sorted([*with_files, SCOUTS])


def test_import_makes_the_file_beside_its_sectors_organisations(
    repository: Path, tmp_path: Path
) -> None:
    workbook = export(repository, tmp_path / "out", SCOUTS)[SCOUTS]
    before = snapshot(repository)
    returned = changed(workbook, tmp_path / "returned.xlsx", fill_in)
    dry = run_import(repository, returned, dry_run=True)
    assert dry.refused == () and dry.written == ()
    assert snapshot(repository) == before
    result = run_import(repository, returned)
    assert result.refused == ()
    assert result.written == (WHERE,)
    assert (repository / WHERE).read_text() == (
        "policycoord: 1\norganisation:\n  id: harbourne-scouts\n  name: Harbourne Sea Scouts\n"
        "  sector: sport\nroles:\n  - id: gsl\n    title: Group Scout Leader\n"
    )
    after = snapshot(repository)
    assert {k: v for k, v in after.items() if k != WHERE} == before
    assert "PC006" in {f.code for f in result.fixed}  # the member has its file now
    introduced = {(f.code, f.location.cell) for f in result.introduced}
    assert ("PC207", "Organisation!B2") in introduced  # at its cells, in the workbook
    # discovery reads it: what check says now is what the import said it would
    assert {f.code for f in check([str(repository)], options=Options(today=DAY)).findings} >= {
        "PC207"
    }
    assert "PC006" not in {
        f.code
        for f in check([str(repository)], options=Options(today=DAY)).findings
        if f.organisation == SCOUTS
    }
    # the same workbook again: the file holds what it says, no change
    again = run_import(repository, returned)
    assert again.refused == () and again.written == ()
    assert snapshot(repository) == after


def test_a_blank_workbook_returned_makes_no_file(repository: Path, tmp_path: Path) -> None:
    workbook = export(repository, tmp_path / "out", SCOUTS)[SCOUTS]
    before = snapshot(repository)
    result = run_import(repository, workbook)
    assert result.refused == () and result.written == ()
    assert [(one.file, one.changed_lines) for one in result.imported] == [("", 0)]
    assert snapshot(repository) == before


def test_no_name_or_sector_is_refused(repository: Path, tmp_path: Path) -> None:
    workbook = export(repository, tmp_path / "out", SCOUTS)[SCOUTS]

    def role_only(book: openpyxl.Workbook) -> None:
        book["Roles"]["A2"] = "gsl"
        book["Roles"]["B2"] = "Group Scout Leader"

    before = snapshot(repository)
    result = run_import(repository, changed(workbook, tmp_path / "r.xlsx", role_only))
    (reason,) = (reason for _, reason in result.refused)
    assert "has no policy file yet" in reason and "Name and its Sector" in reason
    assert snapshot(repository) == before


def test_a_file_made_since_the_export_is_never_written_over(
    repository: Path, tmp_path: Path
) -> None:
    workbook = export(repository, tmp_path / "out", SCOUTS)[SCOUTS]
    returned = changed(workbook, tmp_path / "returned.xlsx", fill_in)
    made = repository / WHERE
    made.write_text(policy(SCOUTS, "Sea Scouts (their own file)", "sport"))
    before = snapshot(repository)
    result = run_import(repository, returned)
    (reason,) = (reason for _, reason in result.refused)
    assert "had no policy file when the workbook was exported" in reason
    assert "--force" in reason
    assert snapshot(repository) == before


def test_a_place_the_patterns_would_not_read_is_refused(tmp_path: Path) -> None:
    repository = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership(["alpha", "bravo"], ["orgs/a*.yaml"]),
            "orgs/alpha.yaml": policy("alpha"),
        },
    )
    workbook = export(repository, tmp_path / "out", "bravo")["bravo"]

    def name_and_sector(book: openpyxl.Workbook) -> None:
        book["Organisation"]["B3"] = "Bravo"
        book["Organisation"]["B4"] = "Education"

    before = snapshot(repository)
    result = run_import(repository, changed(workbook, tmp_path / "r.xlsx", name_and_sector))
    (reason,) = (reason for _, reason in result.refused)
    assert "policies patterns would not read orgs/bravo.yaml" in reason
    assert snapshot(repository) == before


@pytest.mark.parametrize(
    "patterns",
    [
        None,
        ["orgs/*.yaml"],
        ["orgs/*/*.yaml"],
        ["orgs/**/*.yml"],
        ["**/*.yaml"],
        ["o*/[ab]*.yaml"],
        ["orgs/**"],
    ],
)
def test_read_by_discovery_says_what_discovery_reads(
    tmp_path: Path, patterns: list[str] | None
) -> None:
    paths = [
        "orgs/a.yaml",
        "orgs/b.yml",
        "orgs/x/c.yaml",
        "orgs/x/y/d.yml",
        "orgs/.hidden/e.yaml",
        "orgs/.f.yaml",
        "top.yaml",
        "other/g.yaml",
    ]
    files = dict.fromkeys(paths, "")
    repository = make_repo(tmp_path / "repo", {"partnership.yaml": "", **files})
    globs = [(p, None) for p in patterns] if patterns is not None else None
    found = discover((), partnership=str(repository / "partnership.yaml"), cwd=repository,
                     policies_globs=globs)  # fmt: skip
    read = {policy.display for policy in found.policies}
    assert {path for path in paths if read_by_discovery(path, patterns)} == read


def test_the_command_line_says_a_new_file_was_made(
    repository: Path, tmp_path: Path, cli: CliRunner
) -> None:
    out = tmp_path / "out"
    code, _, stderr = cli("workbook", "export", "--organisation", SCOUTS, "-o", out, cwd=repository)
    assert code == 0
    assert "harbourne-scouts.xlsx (a member with no policy file yet" in stderr
    returned = changed(out / f"{SCOUTS}.xlsx", tmp_path / "returned.xlsx", fill_in)
    code, stdout, _ = cli("workbook", "import", returned, "--today", TODAY, cwd=repository)
    assert code == 1  # it introduces errors: no escalation path yet
    assert f"-> {WHERE}: a new policy file of 8 lines, written" in stdout
    assert stdout.rstrip().splitlines()[-1].startswith("Exit status 1: the workbooks introduce")


def test_a_link_out_of_the_repository_never_gets_a_folder_made_through_it(
    tmp_path: Path,
) -> None:
    """Saving a new file made its folder (mkdir, parents and all) before the
    check that it is inside the repository: a link planted after the
    import's own check (which refuses such a path) made folders outside."""
    from policycoord.editing.workbook_import import Imported, _save

    outside = tmp_path / "outside"
    outside.mkdir()
    repository = tmp_path / "repo"
    repository.mkdir()
    (repository / "orgs").symlink_to(outside, target_is_directory=True)
    new = Imported("back.xlsx", "orgs/new/school.yaml", "school", "", "text: 1\n", {}, new=True)
    said = _save(new, repository, ["orgs/*/*.yaml"])
    assert said == "orgs/new/school.yaml would be outside the repository."
    assert list(outside.iterdir()) == []
    assert not (repository / "orgs" / "new").exists()
