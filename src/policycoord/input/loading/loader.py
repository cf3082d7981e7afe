"""Bytes -> plain data + a source map + findings: `load_bytes` decides how a
file is read, and gathers what reading it found.

An ordinary file (most of them) is read on the fast path (fast_path.py);
any other, and every file with a problem, gets the full reading
(full_reading.py), which finds:

- PC001 the file is not UTF-8 (decoding.py), or not well-formed YAML (line
  and column), or defines one anchor twice (as PyYAML refuses to);
- PC002 a mapping repeats a key (both lines; PyYAML would silently keep the
  last), merge keys `<<` included (PyYAML versions disagree on which wins);
- PC005 a tag other than YAML's standard ones (`!!python/object` and friends
  are never constructed), aliases expanding past a bound (a YAML bomb),
  nesting deeper than a bound, a recursive alias (refusals.py);
- PC009 invisible or bidirectional-control characters (invisible.py).

A file over the size limit (PC005) and one that cannot be read at all
(PC010) are refused before this, by `load_file` (files.py).

The data equals what `yaml.safe_load` gives for every file without one of
those findings (merge keys, sets, ordered maps, timestamps and binary
included); a recursive alias is refused rather than built. Two known
exceptions, both checked by tests/input/test_loading.py: where PyYAML's
pure-Python parser and libyaml disagree (mostly tabs and directives), this
follows libyaml (as `yaml.CSafeLoader` does); and in `<<: [*a, *b]` the
first mapping wins for every key, as the YAML merge spec says, where PyYAML
6.0.4 lets the last win for keys longer than one character (yaml/pyyaml#953).

Lines are counted as libyaml counts them (positions.py).
"""

from __future__ import annotations

from typing import Final

import yaml

from policycoord.core.findings import Violation
from policycoord.input.loading.claims import claimed_organisation
from policycoord.input.loading.decoding import not_utf8
from policycoord.input.loading.fast_path import NotPlain, plain_data
from policycoord.input.loading.filtered import stored_by_a_filter
from policycoord.input.loading.full_reading import Parsed, parse
from policycoord.input.loading.invisible import (
    escaped_invisible,
    has_invisible,
    invisible_characters,
)
from policycoord.input.loading.refusals import Refused, refusal_finding
from policycoord.input.loading.source_map import LoadedFile, SourceMap

#: PC002 or PC009 findings per file before the rest are summed up in one more.
MAX_FINDINGS_PER_KIND: Final = 20


def load_bytes(raw: bytes, path: str) -> LoadedFile:
    """Load a file's bytes (already read, within the size limit)."""
    filtered = stored_by_a_filter(raw, path)
    if filtered is not None:  # a Git LFS pointer or a git-crypt file: not YAML
        return filtered
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return not_utf8(raw, error, path)
    invisible = not text.isascii() and has_invisible(raw)
    if not invisible:
        try:
            data, dates = plain_data(raw, escapes="\\" in text)
        except (NotPlain, yaml.YAMLError):  # read it fully: that finds what is wrong
            pass
        else:
            source_map = SourceMap.of_source(raw, path)
            return LoadedFile(path, data, True, source_map, (), len(raw), dates)
    problems: list[tuple[str, Violation]] = []
    try:
        parsed = parse(raw, text, path)
    except Refused as refused:
        problems.append((refused.code, refusal_finding(path, refused)))
        parsed = Parsed(None, SourceMap(), [], [])
        loaded = False
    else:
        loaded = True
    problems.extend(("PC002", dup) for dup in parsed.duplicates)
    if invisible:
        literal = invisible_characters(text, path, parsed.source_map.nearest_pointers())
        problems.extend(("PC009", v) for v in literal)
    else:
        literal = []
    seen_lines = {v.location.line for v in literal}
    for pointer, (line, column), value in parsed.escaped_invisibles:
        if line not in seen_lines:
            seen_lines.add(line)
            problems.append(("PC009", escaped_invisible(path, pointer, line, column, value)))
    problems = _capped(_capped(problems, "PC002"), "PC009")
    claimed = None if loaded else claimed_organisation(text)
    return LoadedFile(
        path, parsed.data, loaded, parsed.source_map, tuple(problems), len(raw), claimed=claimed
    )


_MORE: Final = {
    "PC009": (
        "hold invisible or control characters too",
        "Paste the text into a plain-text editor and save it again, or retype it.",
    ),
    "PC002": (
        "repeat a key of their mapping too",
        "Remove the repeated keys; an editor's search for each key name finds them.",
    ),
}


def _capped(problems: list[tuple[str, Violation]], code: str) -> list[tuple[str, Violation]]:
    """Keep the first MAX_FINDINGS_PER_KIND findings of `code` in a file (by
    line) and sum the rest up in one more, so that one pasted or generated
    file cannot flood a report."""
    chosen = sorted((v for c, v in problems if c == code), key=lambda v: v.location.sort_key())
    if len(chosen) <= MAX_FINDINGS_PER_KIND:
        return problems
    rest = chosen[MAX_FINDINGS_PER_KIND:]
    what, suggestion = _MORE[code]
    summary = Violation(
        message=(
            f"{len(rest):,} more lines of this file, from line {rest[0].location.line} to "
            f"line {rest[-1].location.line}, {what}."
        ),
        location=rest[0].location,
        subject=f"more-{code}",
        suggestion=suggestion,
    )
    kept = [(code, v) for v in chosen[:MAX_FINDINGS_PER_KIND]]
    return [(c, v) for c, v in problems if c != code] + kept + [(code, summary)]
