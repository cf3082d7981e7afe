"""`write_new_below` and `init` where the system cannot open folders without
following links (Windows: no `dir_fd`, no O_NOFOLLOW/O_DIRECTORY/O_CLOEXEC)
or the file system has no hard links: the files are still written, never
over one that is there, and a link on the way is still refused."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, CliRunner

from policycoord.core.errors import PolicycoordError
from policycoord.output.writing import write_new_below

needs_symlinks = pytest.mark.skipif(
    not hasattr(os, "symlink") or os.name == "nt", reason="symbolic links"
)


def no_hard_links(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    tried: list[str] = []

    def refuse(source: Any, target: Any, **kwargs: Any) -> None:
        tried.append(os.fspath(target))
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", refuse)
    return tried


def no_dir_fd(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "supports_dir_fd", set())
    for flag in ("O_DIRECTORY", "O_NOFOLLOW", "O_CLOEXEC"):
        monkeypatch.delattr(os, flag, raising=False)


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.name.endswith(".tmp"))


@pytest.mark.parametrize("system", ["no hard links", "no dir_fd", "neither"])
def test_written_once_and_never_over_a_file_that_is_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, system: str
) -> None:
    tried = no_hard_links(monkeypatch) if system != "no dir_fd" else []
    if system != "no hard links":
        no_dir_fd(monkeypatch)
    assert write_new_below(tmp_path / "repo", "orgs/a/b.yaml", "first\n") is True
    assert write_new_below(tmp_path / "repo", "orgs/a/b.yaml", "second\n") is False
    assert (tmp_path / "repo/orgs/a/b.yaml").read_text(encoding="utf-8") == "first\n"
    assert leftovers(tmp_path) == []
    # linking was tried (by name in the opened folder, else by path)
    assert [Path(target).name for target in tried] == ([] if system == "no dir_fd" else ["b.yaml"])


@pytest.mark.parametrize("system", ["no hard links", "no dir_fd"])
def test_init_writes_the_whole_repository(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, system: str
) -> None:
    (no_hard_links if system == "no hard links" else no_dir_fd)(monkeypatch)
    root = tmp_path / "repo"
    code, out, err = cli("init", "--today", TODAY, root)
    assert (code, err) == (0, ""), err
    assert (root / "partnership.yaml").is_file() and (root / "orgs").is_dir()
    assert "Wrote partnership.yaml" in out and leftovers(root) == []
    code, out, err = cli("init", "--today", TODAY, root)
    assert code == 0 and "Wrote 0 files" in out and "Left partnership.yaml alone" in out
    code, _, err = cli("check", "--today", TODAY, cwd=root)
    assert code == 0, err


@needs_symlinks
def test_without_dir_fd_a_link_on_the_way_is_still_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_dir_fd(monkeypatch)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo/orgs").symlink_to(tmp_path / "elsewhere")

    def check() -> None:
        if (tmp_path / "repo/orgs").is_symlink():
            raise PolicycoordError("orgs is a symbolic link")

    with pytest.raises(PolicycoordError, match="symbolic link"):
        write_new_below(tmp_path / "repo", "orgs/a.yaml", "x\n", check=check)
    assert list((tmp_path / "elsewhere").iterdir()) == []
