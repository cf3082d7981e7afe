"""A workbook's bytes, the same for the same contents: openpyxl stamps the
time of saving in the document's properties and on every part of the zip
archive; here both are a fixed moment, so that exporting an unchanged
repository twice gives byte-identical files (and a folder of workbooks can
be kept in git)."""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any, Final

#: The moment every workbook says it was made and changed (zip's earliest).
FIXED_TIME: Final = datetime.datetime(1980, 1, 1, 0, 0, 0)


def workbook_bytes(book: Any) -> bytes:
    """`book` saved, with fixed times."""
    from openpyxl.writer.excel import ExcelWriter

    book.properties.creator = "policycoord"
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(book, archive).save()  # as openpyxl's save_workbook, without its clock
    return _fixed_times(buffer.getvalue())


def _fixed_times(raw: bytes) -> bytes:
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(member.filename), compresslevel=6)
    return output.getvalue()
