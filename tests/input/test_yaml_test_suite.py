"""The official YAML test suite (../shared/corpus/yaml-test-suite, one
`<ID>.yaml` per case, an empty `<ID>.error` beside those the suite says must
be refused), end to end:

- `policycoord validate CASE` exits 0 or 1 for every case, never 2, and every
  finding's line and column is inside the file;
- every case PyYAML refuses is a PC001 finding inside the file (PC005 for the
  cases in `NON_STANDARD_TAGS`);
- every case PyYAML reads, policycoord loads to exactly PyYAML's data. The
  reference is `yaml.load(raw, Loader=yaml.CSafeLoader)`, as input/loading
  documents (it follows libyaml where PyYAML's two parsers disagree); against
  `yaml.safe_load` the differences are exactly tests/input/test_loading.py's
  `PARSER_DIFFERENCES`, each with its reason. input/loading's other documented
  exceptions (`<<: [*a, *b]` precedence, recursive aliases) are in no case
  of the suite. A policy file is one document, so a case with several is
  compared with the single-document `yaml.load`, which refuses it too;
- every source map position (and every finding's) is inside the file, also
  for the cases rewritten without their final line break, with CRLF line
  breaks and with a byte-order mark;
- the README's table of how PyYAML and policycoord read the suite holds the
  numbers computed here.

The whole module is skipped when ../shared is absent (a user's clone).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
import yaml
from conftest import PROJECT_ROOT, TODAY, CliRunner

from input.test_loading import PARSER_DIFFERENCES
from policycoord.input.loading import LoadedFile, load_bytes, load_file

CORPUS = PROJECT_ROOT.parent / "shared" / "corpus" / "yaml-test-suite"
if not CORPUS.is_dir():
    pytest.skip(
        f"the YAML test suite corpus is not here ({CORPUS} does not exist); it lives in the "
        "project's shared folder, beside the repository",
        allow_module_level=True,
    )

README = PROJECT_ROOT / "README.md"
#: What libyaml (and so policycoord) counts as a line break.
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
FATAL = ("PC001", "PC005", "PC010")

#: Cases PyYAML refuses that policycoord reports as PC005 (unsafe input), not
#: PC001: each uses a tag that is not one of YAML's standard ones. PyYAML's
#: safe loaders have no constructor for it; policycoord never builds objects
#: from tags (input/loading; SPEC §3, PC005), so it says the file was not read to stay safe.
_TAG = "a tag that is not one of YAML's standard ones: PC005, not PC001"
NON_STANDARD_TAGS: dict[str, str] = {
    "5TYM": _TAG,
    "6CK3": _TAG,
    "6WLZ": _TAG,
    "7FWL": _TAG,
    "9HCY": _TAG,
    "9WXW": _TAG,
    "C4HZ": _TAG,
    "CC74": _TAG,
    "CUP7": _TAG,
    "M5C3": _TAG,
    "P76L": _TAG,
    "QLJ7": _TAG,
    "UGM3": _TAG,
    "Z67P": _TAG,
    "Z9M4": _TAG,
}


# -- the corpus, read once ---------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    raw: bytes
    must_fail: bool

    @property
    def text(self) -> str:
        return self.raw.decode("utf-8")


CASES: tuple[Case, ...] = tuple(
    Case(path.stem, path.read_bytes(), path.with_suffix(".error").exists())
    for path in sorted(CORPUS.glob("*.yaml"))
)
BY_NAME = {case.name: case for case in CASES}


@dataclass(frozen=True)
class Read:
    """What one reader made of a file: its data, or the exception's name."""

    ok: bool
    data: Any = None
    error: str = ""


def pyyaml(raw: bytes, loader: Any, *, every_document: bool = False) -> Read:
    try:
        if every_document:
            return Read(True, list(yaml.load_all(raw, Loader=loader)))
        return Read(True, yaml.load(raw, Loader=loader))
    except Exception as error:  # PyYAML raises KeyError and friends too
        return Read(False, error=type(error).__name__)


@cache
def libyaml(name: str) -> Read:
    """The reference: PyYAML's safe loader on libyaml, one document."""
    return pyyaml(BY_NAME[name].raw, yaml.CSafeLoader)


@cache
def loaded(name: str) -> LoadedFile:
    return load_file(CORPUS / f"{name}.yaml", f"{name}.yaml")


def fatal(file: LoadedFile) -> list[str]:
    return [code for code, _ in file.problems if code in FATAL]


def same(a: Any, b: Any) -> bool:
    """Deep equality where NaN equals NaN and types must match (1 != True)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, set):
        return a == b
    return bool(a == b)


def inside(text: str, line: int, column: int) -> bool:
    """Whether a 1-based position is in the text: a line of it, and a column
    of that line or just past its end (where an error at its end is). A
    leading byte-order mark is not a column."""
    rows = LINE_BREAK.split(text.removeprefix("\ufeff"))
    return 1 <= line <= len(rows) and 1 <= column <= len(rows[line - 1]) + 1


def positions(file: LoadedFile) -> Iterator[tuple[str, int, int]]:
    """Every position loading gives: source map values and keys, findings, related."""
    for table in (file.source_map.values, file.source_map.keys):
        for pointer, (line, column) in table.items():
            yield pointer, line, column
    for code, violation in file.problems:
        for where in (violation.location, *violation.related):
            yield code, where.line, where.column


def failing(check: Callable[[Case], str | None]) -> list[str]:
    """`name: why` for every case where `check` finds something wrong."""
    return [f"{case.name}: {why}" for case in CASES if (why := check(case)) is not None]


def test_the_corpus_is_the_documented_one() -> None:
    assert len(CASES) == 402
    assert sum(case.must_fail for case in CASES) == 94
    assert set(NON_STANDARD_TAGS) | set(PARSER_DIFFERENCES) <= set(BY_NAME)


# -- the command line ------------------------------------------------------------------


def test_validate_every_case_exits_0_or_1_with_findings_inside_the_file(cli: CliRunner) -> None:
    def check(case: Case) -> str | None:
        status, out, err = cli(
            "validate", "--format", "json", "--today", TODAY, f"{case.name}.yaml", cwd=CORPUS
        )
        if status not in (0, 1) or err:
            return f"exit {status}, stderr {err!r}"
        findings = json.loads(out)["findings"]
        if status != (1 if any(f["severity"] == "error" for f in findings) else 0):
            return f"exit {status} does not follow the findings {findings}"
        for finding in findings:
            if finding["path"] != f"{case.name}.yaml":
                return f"a finding about another file: {finding}"
            if not inside(case.text, finding["line"], finding["column"]):
                return f"{finding['code']} at {finding['line']}:{finding['column']}"
        codes = {finding["code"] for finding in findings}
        wanted = "PC005" if case.name in NON_STANDARD_TAGS else "PC001"
        if not libyaml(case.name).ok and wanted not in codes:
            return f"PyYAML refuses it but validate reports {sorted(codes)}, not {wanted}"
        return None

    assert failing(check) == []


def test_validate_the_whole_suite_at_once_in_every_format(cli: CliRunner) -> None:
    """All 402 cases in one run: every report renders, the run fails (exit 1)."""
    for fmt in ("terminal", "json", "sarif", "junit", "github", "gitlab", "markdown", "html"):
        status, out, err = cli("validate", "--format", fmt, "--today", TODAY, ".", cwd=CORPUS)
        assert (status, err) == (1, ""), fmt
        assert out and "Traceback" not in out, fmt


# -- what loading makes of each case --------------------------------------------------------


def test_cases_pyyaml_refuses_are_one_pc001_inside_the_file() -> None:
    def check(case: Case) -> str | None:
        if libyaml(case.name).ok:
            return None
        file = loaded(case.name)
        wanted = ["PC005" if case.name in NON_STANDARD_TAGS else "PC001"]
        if fatal(file) != wanted or file.loaded or file.data is not None:
            return f"{libyaml(case.name).error} from PyYAML, {fatal(file)} here"
        where = next(v.location for code, v in file.problems if code == wanted[0])
        if not inside(case.text, where.line, where.column):
            return f"{wanted[0]} at {where.line}:{where.column}, outside the file"
        return None

    assert failing(check) == []


def test_non_standard_tag_cases_are_exactly_those_pyyaml_cannot_construct() -> None:
    """The table cannot go stale: each listed case is refused by PyYAML's
    constructor (not its parser) and is a PC005 here, and no other is."""
    pc005 = {case.name for case in CASES if "PC005" in fatal(loaded(case.name))}
    assert pc005 == set(NON_STANDARD_TAGS)
    for name in NON_STANDARD_TAGS:
        assert libyaml(name).error in ("ConstructorError", "ComposerError"), name
        assert "tag" in dict(loaded(name).problems)["PC005"].message


def test_cases_pyyaml_reads_load_to_the_same_data() -> None:
    def check(case: Case) -> str | None:
        reference = libyaml(case.name)
        file = loaded(case.name)
        if not reference.ok:
            return None
        if fatal(file):
            return f"PyYAML reads it, policycoord refuses it: {file.problems}"
        if not same(file.data, reference.data):
            return f"{file.data!r} is not {reference.data!r}"
        return None

    assert failing(check) == []


def test_safe_load_differs_only_where_listed() -> None:
    """Against the pure-Python `yaml.safe_load`, policycoord's reading differs
    in exactly the cases of test_loading.PARSER_DIFFERENCES (and each listed
    case does differ), so that list cannot go stale either."""
    differing = set()
    for case in CASES:
        theirs = pyyaml(case.raw, yaml.SafeLoader)
        file = loaded(case.name)
        ours_ok = not fatal(file)
        if ours_ok != theirs.ok or (ours_ok and not same(file.data, theirs.data)):
            differing.add(case.name)
    assert differing == set(PARSER_DIFFERENCES)


def variants(raw: bytes) -> dict[str, bytes]:
    stripped = raw.rstrip(b"\n")
    return {
        "as is": raw,
        "no final line break": stripped,
        "half of it": raw[: len(raw) // 2],
        "CRLF": raw.replace(b"\n", b"\r\n"),
        "CRLF, no final line break": stripped.replace(b"\n", b"\r\n"),
        "byte-order mark": b"\xef\xbb\xbf" + raw,
        "byte-order mark, no final line break": b"\xef\xbb\xbf" + stripped,
    }


def test_every_position_is_inside_the_file() -> None:
    def check(case: Case) -> str | None:
        for variant, raw in variants(case.raw).items():
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:  # cut inside a character: PC001, nothing to place
                continue
            file = load_bytes(raw, f"{case.name}.yaml")
            for what, line, column in positions(file):
                if not inside(text, line, column):
                    return f"{variant}: {what or '(root)'} at {line}:{column}"
            reference = pyyaml(raw, yaml.CSafeLoader)
            if bool(fatal(file)) == reference.ok:
                return f"{variant}: PyYAML {'reads' if reference.ok else 'refuses'} it, "
                f"policycoord does not ({file.problems})"
            if reference.ok and not same(file.data, reference.data):
                return f"{variant}: {file.data!r} is not {reference.data!r}"
        return None

    assert failing(check) == []


# -- the README's numbers ------------------------------------------------------------------


def suite_counts() -> dict[str, tuple[int, int, int]]:
    """Per reader: (cases, must-fail cases it reads, valid cases it refuses)."""
    readers: dict[str, Callable[[Case], bool]] = {
        "PyYAML `safe_load_all`": lambda c: pyyaml(c.raw, yaml.SafeLoader, every_document=True).ok,
        "PyYAML `CSafeLoader`": lambda c: pyyaml(c.raw, yaml.CSafeLoader, every_document=True).ok,
        "`policycoord validate`": lambda c: not fatal(loaded(c.name)),
    }
    counts = {}
    for reader, reads in readers.items():
        read = {case.name for case in CASES if reads(case)}
        counts[reader] = (
            len(CASES),
            sum(1 for case in CASES if case.must_fail and case.name in read),
            sum(1 for case in CASES if not case.must_fail and case.name not in read),
        )
    return counts


def refusal_reasons() -> dict[str, int]:
    """Why policycoord refuses the valid cases it refuses."""
    reasons = {"libyaml": 0, "tag": 0, "documents": 0}
    for case in CASES:
        file = loaded(case.name)
        if case.must_fail or not fatal(file):
            continue
        if not pyyaml(case.raw, yaml.CSafeLoader, every_document=True).ok and (
            case.name not in NON_STANDARD_TAGS
        ):
            reasons["libyaml"] += 1
        elif case.name in NON_STANDARD_TAGS:
            reasons["tag"] += 1
        else:
            assert "more than one YAML document" in dict(file.problems)["PC001"].message
            reasons["documents"] += 1
    return reasons


def readme_table_rows() -> dict[str, list[int]]:
    section = README.read_text(encoding="utf-8").split("### The YAML test suite", 1)[1]
    section = section.split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and all(re.fullmatch(r"\d+", c) for c in cells[1:]):
            rows[cells[0]] = [int(cell) for cell in cells[1:]]
    return rows


def test_readme_table_holds_the_computed_numbers() -> None:
    rows = readme_table_rows()
    for reader, numbers in suite_counts().items():
        matches = [name for name in rows if name.startswith(reader)]
        assert len(matches) == 1, f"README has no single row for {reader}: {sorted(rows)}"
        assert rows[matches[0]] == list(numbers), reader
    reasons = refusal_reasons()
    for start, key in (
        ("libyaml refuses it", "libyaml"),
        ("a tag", "tag"),
        ("more than one", "documents"),
    ):
        matches = [name for name in rows if name.startswith(start)]
        assert len(matches) == 1, f"README has no single row starting {start!r}"
        assert rows[matches[0]] == [reasons[key]], start
    assert sum(reasons.values()) == suite_counts()["`policycoord validate`"][2]
