"""The workspace (workflows/workspace.py): a repository held between checks
for `serve` and `lsp`, read again only where it changed, and always giving
what a fresh `check` of the same files gives."""

from __future__ import annotations

import datetime
import os
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, TODAY

from policycoord.core.errors import PolicycoordError
from policycoord.core.findings import Report
from policycoord.workflows.pipeline import Options, check
from policycoord.workflows.workspace import Workspace, difference

OPTIONS = Options(today=datetime.date.fromisoformat(TODAY))
ST_MARYS = "orgs/st-marys-primary.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES, tmp_path / "policies")
    return tmp_path / "policies"


def _said(report: Report) -> list[tuple[str, str, str, str]]:
    return [(f.code, str(f.location), f.fingerprint, f.message) for f in report.findings]


def _fresh(repo: Path) -> Report:
    return check([str(repo)], options=OPTIONS)


def test_the_first_check_is_what_check_gives(repo: Path) -> None:
    workspace = Workspace(repo, options=OPTIONS)
    checked = workspace.check()
    assert checked.generation == 1
    assert _said(checked.report) == _said(_fresh(repo))
    assert checked.files[0] == "partnership.yaml"
    assert ST_MARYS in checked.files
    assert workspace.reads(repo / ST_MARYS) and not workspace.reads(repo / "README.md")


def test_found_from_a_folder_below_the_partnership(repo: Path) -> None:
    assert Workspace(repo / "orgs", options=OPTIONS).root == repo


def test_no_partnership_file_is_the_usual_error(tmp_path: Path) -> None:
    with pytest.raises(PolicycoordError):
        Workspace(tmp_path, options=OPTIONS)


def test_an_unsaved_text_is_checked_in_place_of_the_file_then_dropped(repo: Path) -> None:
    workspace = Workspace(repo, options=OPTIONS)
    before = workspace.check()
    text = (repo / ST_MARYS).read_text(encoding="utf-8")
    broken = text.replace("to: northshire-cs/mash", "to: northshire-cs/front-door", 1)
    after = workspace.set_text(repo / ST_MARYS, broken)
    change = difference(before.report, after.report)
    dangling = [f for f in change.introduced if f.code == "PC201"]
    assert len(dangling) == 1 and "front-door" in dangling[0].message
    assert not change.fixed
    assert (repo / ST_MARYS).read_text(encoding="utf-8") == text  # the file is untouched
    (repo / ST_MARYS).write_text(broken, encoding="utf-8")
    assert _said(after.report) == _said(_fresh(repo))
    (repo / ST_MARYS).write_text(text, encoding="utf-8")
    back = workspace.set_text(repo / ST_MARYS, None)
    assert _said(back.report) == _said(before.report)
    assert back.generation == 3


def test_a_file_written_is_read_again_alone(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = Workspace(repo, options=OPTIONS)
    workspace.check()
    read: list[str] = []
    import policycoord.workflows.workspace as module

    real = module.read_file
    monkeypatch.setattr(
        module, "read_file", lambda f, shown, **k: read.append(shown) or real(f, shown, **k)
    )
    path = repo / ST_MARYS
    path.write_text(path.read_text(encoding="utf-8").replace("24 hours", "1 working day"), "utf-8")
    checked = workspace.reread([path])
    assert read == [ST_MARYS]
    assert _said(checked.report) == _said(_fresh(repo))


def test_check_notices_files_changed_added_and_removed_by_others(repo: Path) -> None:
    workspace = Workspace(repo, options=OPTIONS)
    workspace.check()
    (repo / "orgs" / "riverside-fc.yaml").unlink()
    shutil.copy(repo / ST_MARYS, repo / "orgs" / "copy.yaml")
    path = repo / "orgs" / "northshire-police.yaml"
    os.utime(path, ns=(0, 0))  # an edit may keep the size; the time moved
    checked = workspace.check()
    assert "orgs/riverside-fc.yaml" not in checked.files and "orgs/copy.yaml" in checked.files
    assert _said(checked.report) == _said(_fresh(repo))
    assert any(f.code == "PC006" for f in checked.report.findings)  # the copy repeats an id


def test_a_too_large_unsaved_text_is_refused_as_a_file_would_be(repo: Path) -> None:
    workspace = Workspace(repo, options=Options(today=OPTIONS.today, max_file_size=1000))
    checked = workspace.set_text(repo / ST_MARYS, "policycoord: 1\n" + "#" * 2000)
    assert any(f.code == "PC005" and f.location.path == ST_MARYS for f in checked.report.findings)


def test_views_are_built_once_per_check(repo: Path) -> None:
    workspace = Workspace(repo, options=OPTIONS)
    checked = workspace.check()
    first = workspace.views()
    assert workspace.views(checked) is first
    workspace.reread([repo / ST_MARYS])
    assert workspace.views() is not first


def test_a_folder_that_is_not_there_or_holds_no_repository_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, repo: Path
) -> None:
    monkeypatch.chdir(repo)  # the current folder is a repository: never used instead
    with pytest.raises(PolicycoordError, match=r"^.*/nowhere does not exist\.$"):
        Workspace(tmp_path / "nowhere", options=OPTIONS)
    (tmp_path / "empty").mkdir()
    with pytest.raises(PolicycoordError, match=r"No partnership.yaml found in .*/empty, nor"):
        Workspace(tmp_path / "empty", options=OPTIONS)
