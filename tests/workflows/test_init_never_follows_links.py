"""`init DIR` writes only inside DIR: a symbolic link at `DIR/.github`,
`DIR/orgs` or `DIR/schemas` (or a file where it needs a folder) stops it
before it writes anything, naming the link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_cli


@pytest.mark.parametrize("linked", [".github", "orgs", "schemas", ".github/workflows"])
def test_init_refuses_a_link_on_the_way_and_writes_nothing(tmp_path: Path, linked: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "policies"
    (folder / linked).parent.mkdir(parents=True, exist_ok=True)
    (folder / linked).symlink_to(outside, target_is_directory=True)
    code, out, err = run_cli("init", folder, "--today", "2026-11-24", cwd=tmp_path)
    assert code == 2, (out, err)
    assert "symbolic link" in err and linked.split("/")[-1] in err
    assert list(outside.iterdir()) == []
    assert not (folder / "partnership.yaml").exists()  # nothing written at all
    assert "Traceback" not in err


def test_init_refuses_a_file_where_it_needs_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "orgs").write_text("not a folder\n", encoding="utf-8")
    code, _, err = run_cli("init", folder, "--today", "2026-11-24", cwd=tmp_path)
    assert code == 2
    assert "is a file" in err
    assert not (folder / "partnership.yaml").exists()


def test_after_init_check_passes_as_it_said(tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    code, _, err = run_cli("init", folder, "--today", "2026-11-24", cwd=tmp_path)
    assert code == 0, err
    assert not any(p.is_symlink() for p in folder.rglob("*"))
    code, out, err = run_cli("check", "--today", "2026-11-24", cwd=folder)
    assert code == 0, (out, err)
    assert os.path.isdir(folder / "orgs")
