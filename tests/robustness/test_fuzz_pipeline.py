"""Fuzzing the whole pipeline and every report format (SPEC §6: a broken or
hostile file is a finding, never a crash).

test_hostile.py runs one hand-written hostile file of each kind; here
Hypothesis generates them, starting from the example partnership
(examples/policies): bytes flipped, inserted, deleted, lines repeated (so
keys and list items repeated) and files cut short; hostile text (bidi and
control characters, invisible characters, YAML syntax, markup) put into any
line; and values swapped for others of any type, from other files, or from
the schemas' own vocabulary (so that the changed file often still passes its
schema and reaches the cross-checks), with deep nesting, huge strings, odd
dates and repeated ids. Every run must:

- return a report whose exit status is 0 or 1 (never raise);
- render in every format of `REPORTERS`, and give the same bytes when the
  same report is rendered twice and when the repository is checked twice;
- give JSON, SARIF, GitLab and JUnit reports that parse;
- put every finding at a line and column inside the file it names.

The command line runs on a few of them (exit 0 or 1, the same output twice),
and a few fixed damaged repositories run in two processes with different hash
seeds, which must give byte-identical reports (set order must never leak).
Every test is derandomized, so CI sees the same examples on every run.
"""

from __future__ import annotations

import copy
import datetime
import json
import random
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLES, PROJECT_ROOT, TODAY, CliRunner, clean_env
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policycoord.core.findings import Report
from policycoord.output.formats import RenderOptions, renderers
from policycoord.views import Views
from policycoord.workflows.pipeline import Options, check_with_views

RUN_DATE = datetime.date.fromisoformat(TODAY)
#: Every format of `check`: name -> render(report, options).
REPORTERS = renderers("check")
#: The example partnership, file by file: every example starts from it.
ORIGINALS: dict[str, bytes] = {
    path.relative_to(EXAMPLES).as_posix(): path.read_bytes()
    for path in sorted(EXAMPLES.rglob("*.yaml"))
}
FILES = sorted(ORIGINALS)
DATA: dict[str, Any] = {name: yaml.safe_load(raw) for name, raw in ORIGINALS.items()}
#: What libyaml (and so policycoord) counts as a line break.
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")

FUZZ = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- a repository to damage ----------------------------------------------------------


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "partnership"
    shutil.copytree(EXAMPLES, root)
    return root


@contextmanager
def planted(root: Path, files: dict[str, bytes]) -> Iterator[Path]:
    """Write `files` into the example repository, and put it back after."""
    try:
        for relative, content in files.items():
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        yield root
    finally:
        for relative in files:
            target = root / relative
            if relative in ORIGINALS:
                target.write_bytes(ORIGINALS[relative])
            else:
                target.unlink(missing_ok=True)


def run(root: Path, today: datetime.date = RUN_DATE) -> tuple[Report, Views]:
    return check_with_views(cwd=root, options=Options(today=today))


def inside(text: str, line: int, column: int) -> bool:
    rows = LINE_BREAK.split(text.removeprefix("\ufeff"))
    return 1 <= line <= len(rows) and 1 <= column <= len(rows[line - 1]) + 1


def assert_positions_inside(root: Path, report: Report) -> None:
    texts: dict[str, str] = {}
    for finding in report.findings:
        for where in (finding.location, *finding.related):
            file = root / where.path
            if not where.path or not file.is_file():
                continue
            if where.path not in texts:
                texts[where.path] = file.read_bytes().decode("utf-8", errors="replace")
            assert inside(texts[where.path], where.line, where.column), (finding.code, where)


def assert_well_formed(name: str, text: str) -> None:
    if name in ("json", "sarif", "gitlab"):
        json.loads(text)
    elif name == "junit":
        ElementTree.fromstring(text)


def assert_same(text: str, other: str, what: str) -> None:
    """Equal texts; on a difference, say where it starts (pytest's own diff
    of two long reports would take minutes for every shrinking step)."""
    if text != other:
        pairs = enumerate(zip(text, other, strict=False))
        at = next((i for i, (a, b) in pairs if a != b), min(len(text), len(other)))
        pytest.fail(
            f"{what}, from character {at}: {text[at : at + 80]!r} / {other[at : at + 80]!r}"
        )


def assert_survives(root: Path, options: RenderOptions, today: datetime.date = RUN_DATE) -> Report:
    """Check twice and render in every format: no exception, exit 0 or 1,
    the same bytes every time, well-formed machine formats, positions inside."""
    first, views = run(root, today)
    second, views_again = run(root, today)
    assert first.exit_status in (0, 1)
    once, again = replace(options, views=views), replace(options, views=views_again)
    for name, render in REPORTERS.items():
        text = render(first, once)
        assert_same(text, render(first, once), f"{name}: the same report renders differently")
        assert_same(text, render(second, again), f"{name}: a second run reports differently")
        assert_well_formed(name, text)
    assert_positions_inside(root, first)
    return first


render_options = st.builds(
    RenderOptions,
    color=st.booleans(),
    width=st.sampled_from([20, 80, 200]),
    quiet=st.booleans(),
)

# -- damage to bytes -----------------------------------------------------------------

_POSITION = st.integers(0, 1 << 16)
BYTE_DAMAGE = st.one_of(
    st.tuples(st.just("flip"), _POSITION, st.integers(1, 255)),
    st.tuples(st.just("insert"), _POSITION, st.binary(min_size=1, max_size=12)),
    st.tuples(st.just("delete"), _POSITION, st.integers(1, 64)),
    st.tuples(st.just("repeat line"), _POSITION, st.integers(1, 3)),
    st.tuples(st.just("cut"), _POSITION, st.just(0)),
)


def damage_bytes(raw: bytes, op: tuple[str, int, Any]) -> bytes:
    kind, position, argument = op
    at = position % (len(raw) + 1)
    if kind == "flip" and at < len(raw):
        return raw[:at] + bytes([raw[at] ^ argument]) + raw[at + 1 :]
    if kind == "insert":
        return raw[:at] + argument + raw[at:]
    if kind == "delete":
        return raw[:at] + raw[at + argument :]
    if kind == "repeat line":  # a key or a list item: a repeated key, id or entry
        lines = raw.splitlines(keepends=True)
        chosen = [i for i, line in enumerate(lines) if b": " in line or b"- " in line] or [0]
        index = chosen[position % len(chosen)]
        return b"".join(
            [*lines[:index], *lines[index : index + 1] * (argument + 1), *lines[index + 1 :]]
        )
    return raw[:at]  # cut


@FUZZ
@given(
    target=st.sampled_from(FILES),
    damage=st.lists(BYTE_DAMAGE, min_size=1, max_size=3),
    options=render_options,
)
def test_damaged_bytes_never_break_a_run(
    repo: Path, target: str, damage: list[tuple[str, int, Any]], options: RenderOptions
) -> None:
    raw = ORIGINALS[target]
    for op in damage:
        raw = damage_bytes(raw, op)
    with planted(repo, {target: raw}):
        assert_survives(repo, options)


# -- hostile text in any line -----------------------------------------------------------

#: Characters that change how text reads or what a terminal does: bidi
#: controls, invisible characters, C0 and C1 controls, Unicode line breaks.
NASTY = (
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u200e"
    "\u200f\u2060\ufeff\u00ad\u061c\u034f\u3164\x00\x07\x08\x0b\x0c\x1b\x7f\x85\x9b"
    "\u2028\u2029\t\r"
)
SNIPPETS = (
    ": ", "- ", "# ", "&a ", "*a", "*nowhere", "<<: *a", "!!python/object/apply:os.system ",
    "!local ", "!!binary ", "!!int ", "!!set ", "{", "}", "[", "]", "'", '"', "|", ">-",
    "%YAML 1.1", "---", "...", "? ", "\\", '"\\e[31m"', '"\\u202e"', '"\\x00"',
    "::error::x", "<script>alert(1)</script>", "](javascript:alert(1))", "${{ secrets.X }}",
    "|---|", "]]>", "&amp;", "\x1b[2J", "\x1b]8;;https://x.example\x07", "1e999", ".nan",
    "0x10", "0o7", "2026-02-30", "9999-12-31", "0001-01-01", "~", "null", "yes", "=",
)  # fmt: skip
snippets = st.one_of(
    st.sampled_from(SNIPPETS),
    st.text(alphabet=st.sampled_from(NASTY), min_size=1, max_size=6),
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=20),
)
INSERTION = st.tuples(_POSITION, st.sampled_from(["value", "end", "start", "new line"]), snippets)


def insert_text(text: str, insertion: tuple[int, str, str]) -> str:
    position, where, snippet = insertion
    lines = text.split("\n")
    index = position % len(lines)
    line = lines[index]
    if where == "value" and ": " in line:
        cut = line.index(": ") + 2
        lines[index] = line[:cut] + snippet + line[cut:]
    elif where == "start":
        lines[index] = snippet + line
    elif where == "new line":
        indent = line[: len(line) - len(line.lstrip(" "))]
        lines.insert(index, indent + snippet)
    else:
        lines[index] = line + snippet
    return "\n".join(lines)


@FUZZ
@given(
    target=st.sampled_from(FILES),
    insertions=st.lists(INSERTION, min_size=1, max_size=6),
    options=render_options,
)
def test_hostile_text_anywhere_never_breaks_a_run(
    repo: Path, target: str, insertions: list[tuple[int, str, str]], options: RenderOptions
) -> None:
    text = ORIGINALS[target].decode("utf-8")
    for insertion in insertions:
        text = insert_text(text, insertion)
    with planted(repo, {target: text.encode("utf-8")}):
        assert_survives(repo, options)


# -- odd values and shapes ----------------------------------------------------------------


def _scalars(data: Any) -> Iterator[Any]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from _scalars(value)
    elif isinstance(data, list):
        for item in data:
            yield from _scalars(item)
    else:
        yield data


def _enums(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "enum":
                yield from map(str, value)
            yield from _enums(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from _enums(item)


SCHEMAS = PROJECT_ROOT / "schemas"
#: Words the files and schemas use (ids, role references, timeframes, enum
#: values) and near misses, so that a swapped value often still passes the
#: schema and reaches the cross-checks.
VOCABULARY = sorted(
    {str(value) for data in DATA.values() for value in _scalars(data)}
    | {word for path in SCHEMAS.glob("*.json") for word in _enums(json.loads(path.read_text()))}
    | {
        "immediately", "1 minute", "999999 weeks", "0 hours", "1 working day",
        "100000 working days", "9999 years", "1 month", "*", "**", "**/*.yaml", "orgs/*.yaml",
        "orgs/[", "../*", "/etc/*", "", " ", "nowhere/role", "northshire-cs/nowhere",
        "PC001", "PC2", "PC999", "x" * 65,
    }
)  # fmt: skip


def nested(depth: int, leaf: Any) -> Any:
    value = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


scalars = st.one_of(
    st.sampled_from(VOCABULARY),
    st.none(),
    st.booleans(),
    st.integers(-(1 << 70), 1 << 70),
    st.floats(),
    st.dates(),
    st.datetimes(),
    st.binary(max_size=8),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=24),
    st.builds(
        lambda part, count: part * count,
        st.sampled_from(["x", "é ", "\u202e", "word ", "\U0001f600"]),
        st.integers(1_000, 60_000),
    ),
)
values = st.one_of(
    st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(st.sampled_from(VOCABULARY) | scalars, children, max_size=4),
        ),
        max_leaves=10,
    ),
    st.builds(nested, st.integers(1, 130), scalars),
)


def _walk(data: Any, path: list[int]) -> tuple[Any, Any] | None:
    """The (container, key or index) a path of choices leads to, or None."""
    container, slot = None, None
    current = data
    for choice in path:
        if isinstance(current, dict) and current:
            container, slot = current, list(current)[choice % len(current)]
        elif isinstance(current, list) and current:
            container, slot = current, choice % len(current)
        else:
            break
        current = container[slot]
    return None if container is None else (container, slot)


CHANGE = st.tuples(
    st.sampled_from(["replace", "delete", "repeat", "borrow"]),
    st.lists(st.integers(0, 1 << 10), min_size=1, max_size=8),
    # often a word the schemas accept, so that the file reaches the cross-checks
    st.one_of(st.sampled_from(VOCABULARY), st.dates(), values),
    st.sampled_from(FILES),
    st.lists(st.integers(0, 1 << 10), min_size=1, max_size=8),
)


def change(data: Any, op: tuple[str, list[int], Any, str, list[int]]) -> None:
    kind, path, value, other, other_path = op
    found = _walk(data, path)
    if found is None:
        return
    container, slot = found
    if kind == "delete":
        del container[slot]
    elif kind == "repeat" and isinstance(container, list):
        container.insert(slot, copy.deepcopy(container[slot]))
    elif kind == "borrow":
        # the same place's value in another file: another organisation's roles, ids...
        source = _walk(DATA[other], other_path)
        container[slot] = copy.deepcopy(source[0][source[1]]) if source is not None else value
    else:
        container[slot] = value


@FUZZ
@given(
    target=st.sampled_from(FILES),
    changes=st.lists(CHANGE, min_size=1, max_size=4),
    copy_as_new_file=st.booleans(),
    style=st.tuples(st.booleans(), st.sampled_from([False, None, True])),
    options=render_options,
    today=st.one_of(st.just(RUN_DATE), st.dates()),
)
def test_odd_values_and_shapes_never_break_a_run(
    repo: Path,
    target: str,
    changes: list[tuple[str, list[int], Any, str, list[int]]],
    copy_as_new_file: bool,
    style: tuple[bool, bool | None],
    options: RenderOptions,
    today: datetime.date,
) -> None:
    data = copy.deepcopy(DATA[target])
    for op in changes:
        change(data, op)
    unicode, flow = style
    raw = yaml.safe_dump(
        data, allow_unicode=unicode, default_flow_style=flow, sort_keys=False
    ).encode("utf-8")
    # a copy under a new name: the same organisation id twice, or a second partnership file
    written = {"orgs/zz-fuzz.yaml" if copy_as_new_file else target: raw}
    with planted(repo, written):
        assert_survives(repo, options, today)


# -- the command line ---------------------------------------------------------------------


@settings(
    FUZZ,
    max_examples=15,
    suppress_health_check=[*FUZZ.suppress_health_check, HealthCheck.function_scoped_fixture],
)
@given(
    target=st.sampled_from(FILES),
    damage=st.lists(BYTE_DAMAGE, min_size=1, max_size=4),
    insertions=st.lists(INSERTION, max_size=3),
    fmt=st.sampled_from(sorted(REPORTERS)),
)
def test_command_line_on_damaged_repositories(
    repo: Path,
    cli: CliRunner,
    target: str,
    damage: list[tuple[str, int, Any]],
    insertions: list[tuple[int, str, str]],
    fmt: str,
) -> None:
    """`cli` is function-scoped, but each call starts from a clean capture and
    working folder, so reusing it across examples is safe."""
    text = ORIGINALS[target].decode("utf-8")
    for insertion in insertions:
        text = insert_text(text, insertion)
    raw = text.encode("utf-8")
    for op in damage:
        raw = damage_bytes(raw, op)
    with planted(repo, {target: raw}):
        for command in (["check"], ["validate", target]):
            args = [*command, "--format", fmt, "--today", TODAY, "--quiet"]
            status, out, err = cli(*args, cwd=repo)
            assert status in (0, 1), err
            assert "Traceback" not in out + err
            assert cli(*args, cwd=repo) == (status, out, err), "a second run differs"


# -- the same bytes in every process ---------------------------------------------------------

_RENDER_ALL = """
import datetime, hashlib, json, sys
from pathlib import Path
from policycoord.workflows.pipeline import Options, check_with_views
from policycoord.output.formats import RenderOptions, renderers
REPORTERS = renderers("check")
digests = {}
for root in sys.argv[2:]:
    report, views = check_with_views(cwd=Path(root), options=Options(
        today=datetime.date.fromisoformat(sys.argv[1])))
    for name, render in sorted(REPORTERS.items()):
        for color in (False, True):
            text = render(report, RenderOptions(color=color, views=views))
            digests[f"{Path(root).name} {name} {color}"] = hashlib.sha256(text.encode()).hexdigest()
print(json.dumps(digests, sort_keys=True))
"""


def fixed_damage(seed: int) -> dict[str, bytes]:
    """A damaged copy of the example partnership, the same for a seed: values
    repeated and borrowed, hostile text, bytes flipped."""
    chance = random.Random(seed)
    files = dict(ORIGINALS)
    for target in chance.sample(FILES, 3):
        text = files[target].decode("utf-8")
        for _ in range(3):
            snippet = chance.choice([*SNIPPETS, *NASTY])
            text = insert_text(text, (chance.randrange(1 << 16), "value", snippet))
        raw = text.encode("utf-8")
        lines = raw.splitlines(keepends=True)
        index = chance.randrange(len(lines))
        files[target] = b"".join([*lines[: index + 1], *lines[index:]])
    files["orgs/zz-copy.yaml"] = files[chance.choice(FILES[1:])]
    return files


def test_reports_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    roots = []
    for seed in range(4):
        root = tmp_path / f"damaged-{seed}"
        for relative, content in fixed_damage(seed).items():
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).write_bytes(content)
        roots.append(str(root))
    outputs = []
    for hash_seed in ("1", "2"):
        completed = subprocess.run(
            [sys.executable, "-c", _RENDER_ALL, TODAY, *roots],
            env=clean_env({"PYTHONHASHSEED": hash_seed}),
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        outputs.append(json.loads(completed.stdout))
    assert len(outputs[0]) == len(roots) * len(REPORTERS) * 2
    differing = sorted(key for key in outputs[0] if outputs[0][key] != outputs[1][key])
    assert differing == []
