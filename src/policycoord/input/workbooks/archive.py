"""What an .xlsx file is before it is read: a zip archive, checked member by
member from its directory (sizes as declared and as compressed) before a
byte is decompressed, so that a zip bomb, a huge sheet or a macro is refused
in bounded time and memory, and openpyxl only ever reads a file within the
limits.
"""

from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass, field
from typing import Final

#: The limits a returned workbook must keep within (a policy's workbook is a
#: few hundred kilobytes: these leave room for a hundred times that).
MAX_FILE_SIZE: Final = 20 * 1024 * 1024
MAX_UNCOMPRESSED: Final = 100 * 1024 * 1024
MAX_MEMBER: Final = 50 * 1024 * 1024
MAX_MEMBERS: Final = 1_000
#: A member that decompresses to more than this many times its size is a zip
#: bomb (a sheet of text compresses ten to twenty times; a bomb a thousand).
MAX_RATIO: Final = 200
#: Members small enough to ignore the ratio for (a sheet of empty rows).
RATIO_FLOOR: Final = 1024 * 1024
#: The first bytes of each XML member looked at for entity declarations.
XML_HEAD: Final = 4096


@dataclass(frozen=True, slots=True)
class Archive:
    """What the archive's directory says: its members and what they hold."""

    names: tuple[str, ...]
    external_links: tuple[str, ...] = field(default=())


class Refused(Exception):
    """The file cannot be read as a workbook; the message says why in words."""


def inspect(filename: str | os.PathLike[str], shown: str) -> Archive:
    """The archive's members, or Refused: not a regular file, too big, not an
    .xlsx, a macro-enabled workbook, a zip bomb, an XML entity declaration."""
    if str(filename).lower().endswith((".xlsm", ".xltm", ".xlam")):
        raise Refused(
            f"{shown} is a macro-enabled workbook; policycoord never opens those. Save it as an "
            "Excel Workbook (.xlsx) and import that."
        )
    try:
        info = os.stat(filename)
    except OSError as error:
        raise Refused(f"{shown} cannot be read: {error.strerror or error}.") from None
    if not stat.S_ISREG(info.st_mode):
        raise Refused(f"{shown} is not a regular file.")
    if info.st_size > MAX_FILE_SIZE:
        raise Refused(
            f"{shown} is {info.st_size:,} bytes, more than a policy workbook can be "
            f"({MAX_FILE_SIZE:,} bytes); it was not read."
        )
    try:
        with zipfile.ZipFile(filename) as archive:
            members = archive.infolist()
            _check_members(members, shown)
            _check_xml(archive, members, shown)
    except zipfile.BadZipFile:
        raise Refused(
            f"{shown} is not an Excel workbook (.xlsx): the file is not a workbook's zip "
            "archive (another kind of file renamed, a damaged download, or an old .xls). "
            "Open it in your spreadsheet program and save it as an Excel workbook (.xlsx)."
        ) from None
    except (zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "damaged"
        raise Refused(
            f"{shown} is not an Excel workbook (.xlsx) policycoord can read ({reason})."
        ) from None
    names = tuple(member.filename for member in members)
    links = tuple(name for name in names if name.startswith("xl/externalLinks/"))
    return Archive(names, tuple(n for n in links if n.endswith(".xml")))


def _check_members(members: list[zipfile.ZipInfo], shown: str) -> None:
    if len(members) > MAX_MEMBERS:
        raise Refused(f"{shown} holds {len(members):,} parts, more than a workbook has.")
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise Refused(f"{shown} is not an Excel workbook (.xlsx): it has no workbook part.")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise Refused(
            f"{shown} holds macros; policycoord never opens those. Save it as an Excel "
            "Workbook (.xlsx) without macros and import that."
        )
    total = 0
    for member in members:
        size = member.file_size
        total += size
        ratio_too_high = size > RATIO_FLOOR and size > MAX_RATIO * max(member.compress_size, 1)
        if size > MAX_MEMBER or total > MAX_UNCOMPRESSED or ratio_too_high:
            raise Refused(
                f"{shown} would expand to far more than a policy workbook holds (its part "
                f"{member.filename} alone to {size:,} bytes): it looks like a zip bomb, and was "
                "not read."
            )


def _check_xml(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], shown: str) -> None:
    """No XML part may declare entities (the "billion laughs"); macros named in
    the content types are refused as the file's macros are."""
    for member in members:
        if not member.filename.endswith((".xml", ".rels")):
            continue
        with archive.open(member) as stream:
            head = stream.read(XML_HEAD)
        if b"<!ENTITY" in head or b"<!DOCTYPE" in head:
            raise Refused(
                f"{shown} declares XML entities in {member.filename}; a workbook from a "
                "spreadsheet program never does, so it was not read."
            )
        if member.filename == "[Content_Types].xml":
            with archive.open(member) as stream:
                types = stream.read(MAX_MEMBER)
            if b"macroEnabled" in types or b"vbaProject" in types:
                raise Refused(
                    f"{shown} is a macro-enabled workbook; policycoord never opens those. Save "
                    "it as an Excel Workbook (.xlsx) and import that."
                )
