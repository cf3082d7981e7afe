"""Saving: atomic, never over a newer file, never when nothing changed; a new
file only where there is none. Every outcome is data: the person's text is
handed back whenever it was not written."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from editing.helpers import edited
from policycoord.editing import (
    Conflict,
    Document,
    Failed,
    Saved,
    SetValue,
    Unchanged,
    create,
    open_document,
    save,
)
from policycoord.editing import saving as saving_module

TEXT = "# St Mary's\norganisation:\n  id: st-marys   # keep\n  name: St Mary's\n"


def _open(tmp_path: Path, mode: int = 0o644) -> tuple[Path, Document]:
    target = tmp_path / "st-marys.yaml"
    target.write_text(TEXT, encoding="utf-8")
    target.chmod(mode)
    document = open_document(target, "orgs/st-marys.yaml")
    assert isinstance(document, Document)
    return target, document


def test_a_save_writes_the_new_text_and_keeps_the_permissions(tmp_path: Path) -> None:
    target, document = _open(tmp_path, 0o640)
    text = edited(document, SetValue("/organisation/name", "St Mary's Primary")).text
    assert save(document, target, text) == Saved("orgs/st-marys.yaml")
    assert target.read_text(encoding="utf-8") == TEXT.replace(
        "name: St Mary's", "name: St Mary's Primary"
    )
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["st-marys.yaml"], "no temporary file left"


def test_no_change_writes_nothing(tmp_path: Path) -> None:
    target, document = _open(tmp_path)
    before = target.stat()
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns - 10**9))
    mtime = target.stat().st_mtime_ns
    assert save(document, target, edited(document).text) == Unchanged("orgs/st-marys.yaml")
    assert target.stat().st_mtime_ns == mtime and target.stat().st_ino == before.st_ino


def test_a_file_changed_on_disk_is_not_overwritten_and_the_text_comes_back(
    tmp_path: Path,
) -> None:
    target, document = _open(tmp_path)
    target.write_text(TEXT + "# a git pull\n", encoding="utf-8")
    mine = edited(document, SetValue("/organisation/name", "Mine")).text
    result = save(document, target, mine)
    assert isinstance(result, Conflict) and result.text == mine
    assert "changed on disk since it was opened" in result.reason
    assert target.read_text(encoding="utf-8") == TEXT + "# a git pull\n"
    target.unlink()
    gone = save(document, target, mine)
    assert isinstance(gone, Conflict) and "deleted or moved" in gone.reason
    assert not target.exists()


def test_touching_the_file_without_changing_it_is_not_a_conflict(tmp_path: Path) -> None:
    target, document = _open(tmp_path)
    os.utime(target, ns=(1, 1))
    text = edited(document, SetValue("/organisation/name", "New")).text
    assert isinstance(save(document, target, text), Saved)


def test_a_failure_while_writing_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target, document = _open(tmp_path)
    text = edited(document, SetValue("/organisation/name", "New")).text

    def broken_fsync(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(saving_module.os, "fsync", broken_fsync)
    result = save(document, target, text)
    assert isinstance(result, Failed) and "No space left on device" in result.reason
    assert result.text == text
    assert target.read_text(encoding="utf-8") == TEXT
    assert [p.name for p in tmp_path.iterdir()] == ["st-marys.yaml"]


def test_a_failing_rename_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target, document = _open(tmp_path)
    text = edited(document, SetValue("/organisation/name", "New")).text

    def broken_replace(source: str, destination: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(saving_module.os, "replace", broken_replace)
    assert isinstance(save(document, target, text), Failed)
    assert target.read_text(encoding="utf-8") == TEXT
    assert [p.name for p in tmp_path.iterdir()] == ["st-marys.yaml"]


def test_a_symbolic_link_stays_a_link(tmp_path: Path) -> None:
    target, _ = _open(tmp_path)
    link = tmp_path / "link.yaml"
    link.symlink_to(target.name)
    document = open_document(link)
    assert isinstance(document, Document)
    assert isinstance(save(document, link, edited(document, SetValue("/x", "y")).text), Saved)
    assert link.is_symlink() and "x: y" in target.read_text(encoding="utf-8")


def test_a_new_file_is_created_only_where_there_is_none(tmp_path: Path) -> None:
    target = tmp_path / "new-org.yaml"
    assert create(target, "id: new-org\n") == Saved(str(target))
    assert target.read_text(encoding="utf-8") == "id: new-org\n"
    again = create(target, "id: other\n")
    assert isinstance(again, Conflict) and again.text == "id: other\n"
    assert "already exists" in again.reason
    assert target.read_text(encoding="utf-8") == "id: new-org\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new-org.yaml"]


def test_two_creators_at_once_give_one_file(tmp_path: Path) -> None:
    target = tmp_path / "race.yaml"
    results: list[object] = []
    threads = [
        threading.Thread(target=lambda n=n: results.append(create(target, f"id: {n}\n")))
        for n in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(isinstance(r, Saved) for r in results) == 1
    assert sum(isinstance(r, Conflict) for r in results) == 7
    assert sorted(p.name for p in tmp_path.iterdir()) == ["race.yaml"]


def test_a_new_file_in_a_missing_folder_fails_as_data(tmp_path: Path) -> None:
    result = create(tmp_path / "nowhere" / "x.yaml", "id: x\n")
    assert isinstance(result, Failed) and result.text == "id: x\n"


def test_a_named_pipe_put_in_the_files_place_is_not_waited_for(tmp_path: Path) -> None:
    target, document = _open(tmp_path)
    target.unlink()
    os.mkfifo(target)
    result = save(document, target, "id: x\n")
    assert isinstance(result, Conflict) and "could not be read again" in result.reason
    assert stat.S_ISFIFO(target.stat().st_mode)


def test_a_new_file_is_created_where_hard_links_are_not_supported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some file systems (FAT, some network shares) refuse hard links: the
    new file is then moved into place, still never over one that is there."""

    def no_links(source: object, target: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "new.yaml"
    assert isinstance(create(target, "a: 1\n"), Saved)
    assert target.read_text(encoding="utf-8") == "a: 1\n"
    assert isinstance(create(target, "a: 2\n"), Conflict)
    assert target.read_text(encoding="utf-8") == "a: 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.yaml"]  # no temporary left
