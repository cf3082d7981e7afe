"""The incremental engine (checks/incremental.py): after any edit, the
workspace's report equals a fresh full check of the same files.

Three kinds of test: every rule that says it splits by organisation does
(on each example partnership, alone and on a view of one organisation);
hand-picked edits whose findings reach other organisations (a role renamed
that another organisation escalates to, a hub's hours, an id that
disappears); and a property test that makes random realistic edits to
copies of the example partnerships, saved or as an editor's unsaved text,
and compares the report after every one.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import EXAMPLES, TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policycoord.checks import incremental
from policycoord.checks.engine import CODES
from policycoord.checks.rules import ALL_RULES
from policycoord.core.findings import Report
from policycoord.model import texts
from policycoord.workflows.pipeline import Options, check, load_model
from policycoord.workflows.workspace import Workspace

OPTIONS = Options(today=datetime.date.fromisoformat(TODAY))
ACCEPTANCE = Path(__file__).resolve().parents[1] / "acceptance"
REPOSITORIES = {
    "examples": EXAMPLES,
    **{
        name: ACCEPTANCE / name
        for name in ("cymraeg", "eastbridge", "greyford", "hollowmere", "kestrel", "westmere")
    },
}
SPLIT = [r for r in ALL_RULES if r.scope in ("organisation", "walk")]


def _fresh(root: Path) -> Report:
    return check(cwd=root, options=OPTIONS)


def _assert_same(got: Report, expected: Report, what: str) -> None:
    if got == expected:
        return
    fields = [
        f.name
        for f in dataclasses.fields(Report)
        if getattr(got, f.name) != getattr(expected, f.name)
    ]
    more = [
        f"{f.code} {f.location} {f.message[:90]}"
        for f in got.findings
        if f not in expected.findings
    ]
    less = [
        f"{f.code} {f.location} {f.message[:90]}"
        for f in expected.findings
        if f not in got.findings
    ]
    pytest.fail(f"after {what}: {fields} differ; more {more}; fewer {less}")


# -- every splitting rule splits ------------------------------------------------


@pytest.mark.parametrize("name", sorted(REPOSITORIES))
def test_each_splitting_rule_finds_per_organisation_what_a_full_run_finds(name: str) -> None:
    model = load_model(cwd=REPOSITORIES[name], options=OPTIONS)
    empty = dataclasses.replace(model, organisations=())
    try:
        for rule in SPLIT:
            found = list(rule(codes=CODES).check(model))
            common = list(rule(codes=CODES).check(empty))
            parts = incremental._beyond(common, found, frozenset(model.by_id))
            assert parts is not None, f"{rule.code} finds what belongs to no organisation"
            for org in model.organisations:
                alone = dataclasses.replace(model, organisations=(org,))
                again, own = incremental._parts_of(rule, alone, {org.id})
                assert again == common and own is not None, rule.code
                assert own.get(org.id, ()) == parts.get(org.id, ()), (rule.code, org.id)
    finally:
        texts.forget()


# -- edits whose findings reach other organisations ----------------------------


def _workspace(root: Path) -> Workspace:
    workspace = Workspace(root, options=OPTIONS)
    _assert_same(workspace.check().report, _fresh(root), "the first check")
    return workspace


def _save(workspace: Workspace, file: Path, text: str) -> Report:
    file.write_text(text, encoding="utf-8")
    return workspace.reread([file]).report


def _share_back(root: Path) -> tuple[Path, str]:
    """Northshire Youth Trust shares with St Mary's in return: St Mary's own
    PC402 finding (it shares with the trust, unreciprocated) goes."""
    trust = root / "orgs" / "northshire-youth-trust.yaml"
    text = trust.read_text(encoding="utf-8")
    assert "\nsharing:\n" in text and "with: st-marys-primary" not in text
    entry = "  - with: st-marys-primary\n    purpose: Referrals\n"
    return trust, text.replace("\nsharing:\n", "\nsharing:\n" + entry, 1)


def test_a_change_reaches_the_organisations_that_name_it(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES, root)
    workspace = _workspace(root)
    before = workspace.latest().report
    trust, text = _share_back(root)
    got = _save(workspace, trust, text)
    _assert_same(got, _fresh(root), "sharing with St Mary's in return")
    gone = [f for f in before.findings if f not in got.findings]
    assert [(f.code, f.organisation) for f in gone] == [("PC402", "st-marys-primary")]
    affected = workspace._rules.last_affected  # the run was incremental
    assert affected is not None and {"st-marys-primary", "northshire-youth-trust"} <= affected
    assert len(affected) < len(workspace.latest().model.organisations)


def test_an_organisation_gone_and_back(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES, root)
    workspace = _workspace(root)
    school = root / "orgs" / "st-marys-primary.yaml"
    text = school.read_text(encoding="utf-8")
    _assert_same(
        _save(workspace, school, "policycoord: 1\norganisation: [\n"), _fresh(root), "breaking"
    )
    _assert_same(_save(workspace, school, text), _fresh(root), "mending")
    renamed = text.replace("id: st-marys-primary", "id: st-marys-primary-school", 1)
    _assert_same(_save(workspace, school, renamed), _fresh(root), "changing the id")


def test_the_property_test_notices_a_broken_dependency_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mutation check: with only the changed organisation checked again
    (the organisations that name it forgotten), St Mary's PC402 finding is
    kept though the trust now shares in return, and the comparison says so."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES, root)
    workspace = _workspace(root)
    monkeypatch.setattr(incremental, "_affected", lambda kept, model, facts, changed: changed)
    trust, text = _share_back(root)
    assert _save(workspace, trust, text) != _fresh(root)


# -- random realistic edits -----------------------------------------------------

Edit = Callable[[str, random.Random], str]
TIMEFRAMES = ("immediately", "1 hour", "24 hours", "3 days", "2 working days", "10 days")
ACRONYMS = ("CAMHS", "QZX", "DSL", "LADO", "MASH", "EHCP")


def _rename_role(text: str, rng: random.Random) -> str:
    ids = re.findall(r"(?m)^  - id: ([a-z0-9-]+)$", text)
    if not ids:
        return text
    old = rng.choice(ids)
    return text.replace(f"- id: {old}\n", f"- id: {old}-{rng.randint(1, 3)}\n", 1)


def _timeframe(text: str, rng: random.Random) -> str:
    found = list(re.finditer(r"(within|max_total|max_within): [^\n]+", text))
    if not found:
        return text
    match = rng.choice(found)
    return f"{text[: match.start()]}{match.group(1)}: {rng.choice(TIMEFRAMES)}{text[match.end() :]}"


def _delete_step(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if re.match(r"^\s+- to: ", line)]
    if not starts:
        return text
    first = rng.choice(starts)
    indent = len(lines[first]) - len(lines[first].lstrip())
    last = first + 1
    while last < len(lines) and len(lines[last]) - len(lines[last].lstrip()) > indent + 1:
        last += 1
    return "\n".join(lines[:first] + lines[last:])


def _acronym(text: str, rng: random.Random) -> str:
    found = list(re.finditer(r"(notes|title|action|meaning|name): ([^\n{}\[\]#]+)\n", text))
    if not found:
        return text
    match = rng.choice(found)
    added = f"{match.group(0)[:-1]} and {rng.choice(ACRONYMS)}\n"
    return text[: match.start()] + added + text[match.end() :]


def _hours(text: str, rng: random.Random) -> str:
    found = list(re.finditer(r"hours: (office|24/7)", text))
    if not found:
        return text
    match = rng.choice(found)
    other = "24/7" if match.group(1) == "office" else "office"
    return f"{text[: match.start()]}hours: {other}{text[match.end() :]}"


def _organisation_id(text: str, rng: random.Random) -> str:
    return re.sub(
        r"(?m)^(organisation:\n  id: [a-z0-9-]+)", rf"\1-{rng.randint(1, 2)}", text, count=1
    )


def _break(text: str, rng: random.Random) -> str:
    cut = rng.randint(0, len(text))
    return text[:cut] + rng.choice(["\n  - [unclosed\n", ": : :\n", "\t\n"]) + text[cut:]


def _glossary(text: str, rng: random.Random) -> str:
    term = rng.choice(ACRONYMS)
    meaning = rng.choice(["Local Term", "Something Else Entirely", "Multi Agency Hub"])
    entry = f"  - term: {term}\n    meaning: {meaning}\n"
    if re.search(r"(?m)^glossary:\n", text):
        return re.sub(r"(?m)^glossary:\n", "glossary:\n" + entry, text, count=1)
    return text + "\nglossary:\n" + entry


def _sector(text: str, rng: random.Random) -> str:
    sector = rng.choice(["education", "health", "voluntary", "police", "social-care"])
    return re.sub(r"(?m)^  sector: [a-z-]+", f"  sector: {sector}", text, count=1)


EDITS: dict[str, Edit] = {
    "rename a role": _rename_role,
    "change a timeframe": _timeframe,
    "delete a step": _delete_step,
    "add an acronym": _acronym,
    "change hours": _hours,
    "change the id": _organisation_id,
    "break the YAML": _break,
    "add a glossary term": _glossary,
    "change the sector": _sector,
}


def _policy_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if p.name != "partnership.yaml")


def _apply(workspace: Workspace, root: Path, rng: random.Random, how: str) -> str:
    """One edit, as a person makes it; what it was."""
    files = _policy_files(root)
    if how == "remove a file" and len(files) > 1:
        gone = rng.choice(files)
        gone.unlink()
        workspace.set_text(gone, None)  # its editor closed, unsaved text dropped
        workspace.check()
        return how
    file = rng.choice(files)
    if how == "add a file":
        copy = file.with_name(f"copy-{rng.randint(0, 9)}.yaml")
        copy.write_text(_organisation_id(file.read_text(encoding="utf-8"), rng), "utf-8")
        workspace.set_text(copy, None)  # written by another program: what is on disk counts
        workspace.check()
        return how
    name = rng.choice(sorted(EDITS))
    text = EDITS[name](file.read_text(encoding="utf-8"), rng)
    file.write_text(text, encoding="utf-8")
    if how == "unsaved":
        workspace.set_text(file, text)  # the file holds the same text, for the fresh check
    else:  # saved: an unsaved text of it is dropped, and the file read again
        workspace.set_text(file, None)
    return f"{name} in {file.relative_to(root)} ({how})"


def _runs(root: Path, seed: int, count: int) -> Iterator[str]:
    rng = random.Random(seed)
    workspace = _workspace(root)
    for _ in range(count):
        how = rng.choice(["saved"] * 6 + ["unsaved"] * 3 + ["add a file", "remove a file"])
        what = _apply(workspace, root, rng, how)
        _assert_same(workspace.latest().report, _fresh(root), what)
        yield what


@pytest.mark.parametrize("name", sorted(REPOSITORIES))
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(1, 6))
def test_after_random_edits_the_report_is_a_full_checks(name: str, seed: int, count: int) -> None:
    with tempfile.TemporaryDirectory(prefix="policycoord-incremental-") as scratch:
        root = Path(scratch) / "repo"
        shutil.copytree(REPOSITORIES[name], root)
        done = list(_runs(root, seed, count))
        assert len(done) == count


def test_the_split_copes_with_violations_that_cannot_be_hashed() -> None:
    """A rule may one day hand back a list or a dict in a violation (a fix):
    the split then compares violations in turn instead of hashing them."""
    model = load_model(cwd=EXAMPLES, options=OPTIONS)
    ids = frozenset(model.by_id)
    for rule in SPLIT:
        found = list(rule(codes=CODES).check(model))
        common = list(rule(codes=CODES).check(dataclasses.replace(model, organisations=())))
        texts.forget()
        listed = [dataclasses.replace(v, related=list(v.related)) for v in found]  # type: ignore[arg-type]
        shared = [dataclasses.replace(v, related=list(v.related)) for v in common]  # type: ignore[arg-type]
        hashed = incremental._beyond(common, found, ids)
        compared = incremental._beyond(shared, listed, ids)
        assert hashed is not None and compared is not None, rule.code
        assert {k: [v.message for v in vs] for k, vs in compared.items()} == {
            k: [v.message for v in vs] for k, vs in hashed.items()
        }, rule.code
