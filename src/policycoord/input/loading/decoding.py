"""Bytes -> text: a policy file is UTF-8 (a byte-order mark allowed at the start).

A file that is not gets one PC001 finding, at the line and column of its
first byte that is not UTF-8, and is not read further.
"""

from __future__ import annotations

from policycoord.core.findings import Location, Violation
from policycoord.input.loading.claims import claimed_organisation
from policycoord.input.loading.positions import position_of_offset
from policycoord.input.loading.source_map import LoadedFile, SourceMap


def not_utf8(raw: bytes, error: UnicodeDecodeError, path: str) -> LoadedFile:
    """The file whose bytes `raw.decode("utf-8")` refused with `error`."""
    good = raw[: error.start].decode("utf-8")
    line, column = position_of_offset(good, len(good))
    byte = raw[error.start]
    problem = Violation(
        message=(
            f"The file is not UTF-8 text: byte 0x{byte:02X} at line {line}, column "
            f"{column} is not valid UTF-8 (was it saved as Latin-1, Windows-1252 or "
            "UTF-16?)."
        ),
        location=Location(path, line, column, ""),
        subject="encoding",
        suggestion="Save the file as UTF-8 in your editor.",
    )
    claimed = claimed_organisation(raw.decode("utf-8", errors="replace"))
    return LoadedFile(
        path, None, False, SourceMap(), (("PC001", problem),), len(raw), claimed=claimed
    )
