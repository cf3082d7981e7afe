"""`init DIR` writes only inside DIR: a symbolic link at `DIR/.github`,
`DIR/orgs` or `DIR/schemas` (or a file where it needs a folder) stops it
before it writes anything, naming the link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import CliRunner, run_cli


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


@pytest.mark.parametrize(
    ("relative", "swapped"),
    [
        ("orgs/our-school.yaml", "orgs"),
        ("schemas/policy.schema.json", "schemas"),
        (".github/workflows/policycoord.yml", ".github"),
        (".github/workflows/policycoord.yml", ".github/workflows"),
    ],
)
def test_a_link_planted_after_the_check_is_never_written_through(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, relative: str, swapped: str
) -> None:
    """The moment that matters: init has checked the way to a file (no link
    there) and is about to write it; just then the folder is moved away and
    a link to a folder outside put in its place. Nothing may land outside:
    the file goes into the folder init opened (wherever it now is), and a
    later file on the way through the link is refused, naming it."""
    from policycoord.cli import init as init_command

    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "policies"
    checked = init_command._refuse_links
    calls: list[str] = []

    def check_then_swap(where: Path, checking: str) -> None:
        checked(where, checking)
        calls.append(checking)
        if checking == relative and calls.count(relative) == 2:  # the check before writing
            (folder / swapped).rename(folder / f"{swapped}-moved")
            (folder / swapped).symlink_to(outside, target_is_directory=True)

    monkeypatch.setattr(init_command, "_refuse_links", check_then_swap)
    code, out, err = cli("init", folder, "--today", "2026-11-24", cwd=tmp_path)
    assert calls.count(relative) == 2  # the moment came
    assert list(outside.iterdir()) == [], (out, err)
    assert code == 0 or (code == 2 and "is a symbolic link" in err), err
    assert "Traceback" not in err
    moved = folder / f"{swapped}-moved" / Path(relative).relative_to(swapped)
    assert moved.is_file()  # written into the folder init had opened
