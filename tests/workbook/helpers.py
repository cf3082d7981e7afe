"""Shared by the workbook tests: a copy of a policy repository, its
workbooks exported, a workbook changed as a person (or a hostile sender)
would change it, and every file's bytes to compare."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

from policycoord.editing.workbook_import import ImportResult, import_workbooks
from policycoord.output.workbooks.export import Exported, export_workbooks
from policycoord.workflows.pipeline import Options

DAY = datetime.date(2026, 11, 24)


def copy_repository(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (not the workbooks' folder) and its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def export(repository: Path, out: Path, *organisations: str) -> dict[str, Path]:
    out.mkdir(exist_ok=True)
    results = export_workbooks(
        folder=out, organisations=organisations, cwd=repository, options=Options(today=DAY)
    )
    return {r.organisation: r.path for r in results if isinstance(r, Exported)}


def run_import(
    repository: Path, *workbooks: Path, dry_run: bool = False, force: bool = False
) -> ImportResult:
    return import_workbooks(
        [str(w) for w in workbooks],
        cwd=repository,
        options=Options(today=DAY),
        dry_run=dry_run,
        force=force,
    )


def changed(path: Path, target: Path, change: Callable[[openpyxl.Workbook], None]) -> Path:
    """The workbook at `path`, changed by `change` and saved as `target`
    (openpyxl stands in for the person's spreadsheet program)."""
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(target)
    return target


def rezipped(
    path: Path,
    target: Path,
    edit: Callable[[str, bytes], bytes | None],
    extra: dict[str, bytes] | None = None,
) -> Path:
    """The workbook's archive with each member passed through `edit`
    (None drops it) and `extra` members added: a hand-made hostile file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for member in source.infolist():
            data = edit(member.filename, source.read(member.filename))
            if data is not None:
                out.writestr(member.filename, data)
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target


def sheet_member(path: Path, sheet: str) -> str:
    """The archive member holding `sheet` (by its name in the workbook)."""
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        relations = archive.read("xl/_rels/workbook.xml.rels").decode()
    for tag in re.findall(r"<sheet [^>]*/>", workbook):
        name = re.search(r'name="([^"]+)"', tag)
        rid = re.search(r'r:id="([^"]+)"', tag)
        assert name is not None and rid is not None
        if name.group(1) == sheet:
            for relation in re.findall(r"<Relationship [^>]*/>", relations):
                if f'Id="{rid.group(1)}"' in relation:
                    target = re.search(r'Target="([^"]+)"', relation)
                    assert target is not None
                    member = target.group(1).removeprefix("/")
                    return member if member.startswith("xl/") else f"xl/{member}"
    raise AssertionError(f"no sheet {sheet}")
