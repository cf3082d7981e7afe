"""Loading: a file's bytes -> plain data + a source map (JSON pointer -> line,
column) + the findings only the raw file shows (PC001, PC002, PC005, PC009,
PC010). `load_file` reads a file from disk (files.py) and `load_bytes`
(loader.py) decides how its bytes are read: the fast path (fast_path.py) for
an ordinary file, the full reading (full_reading.py, builder.py) for any
other. The rest: decoding.py (not UTF-8), refusals.py (the bounds, and why a
file stops being read), invisible.py (PC009), source_map.py (`SourceMap`,
`LoadedFile`), pointers.py (JSON pointers), positions.py (lines and columns
as libyaml counts them), yaml_parser.py (the parser, tags, resolution).

Other packages import the names below from here.
"""

from __future__ import annotations

from policycoord.input.loading.files import load_file, load_given
from policycoord.input.loading.loader import MAX_FINDINGS_PER_KIND, load_bytes
from policycoord.input.loading.pointers import escape_pointer_token, key_text
from policycoord.input.loading.refusals import (
    DEFAULT_MAX_FILE_SIZE,
    MAX_ALIAS_EXPANSION,
    MAX_DEPTH,
)
from policycoord.input.loading.source_map import LoadedFile, SourceMap

__all__ = [
    "DEFAULT_MAX_FILE_SIZE",
    "MAX_ALIAS_EXPANSION",
    "MAX_DEPTH",
    "MAX_FINDINGS_PER_KIND",
    "LoadedFile",
    "SourceMap",
    "escape_pointer_token",
    "key_text",
    "load_bytes",
    "load_file",
    "load_given",
]
