"""editing/fixes.py: findings' fixes applied through the editing layer."""

from __future__ import annotations

from pathlib import Path

from editing.helpers import changed_lines, opened
from policycoord.core.findings import Fix, FixEdit, Report
from policycoord.editing import Saved, fix_files, fix_until_stable, fixed

TEXT = """\
policycoord: 1
organisation: {id: a, name: A, sector: education}
# Who escalates where
escalations:
  - concern: significant-harm
    steps:
      - to: cs/mahs      # the council's front door
        within: 24 Hours
"""

PATH = "orgs/test.yaml"


def _set(pointer: str, value: object, old: object, kind: str = "safe") -> Fix:
    return Fix(kind, f"set {pointer}", (FixEdit(PATH, pointer, "set", value, old),))  # type: ignore[arg-type]


def test_a_fix_changes_only_its_line_and_keeps_comments() -> None:
    document = opened(TEXT, PATH)
    outcome = fixed(document, [_set("/escalations/0/steps/0/within", "24 hours", "24 Hours")])
    assert outcome.text is not None and len(outcome.applied) == 1
    assert changed_lines(TEXT, outcome.text) == [
        "-         within: 24 Hours",
        "+         within: 24 hours",
    ]


def test_a_fix_worked_out_on_other_text_is_left() -> None:
    document = opened(TEXT, PATH)
    stale = _set("/escalations/0/steps/0/to", "cs/mash", "cs/front-door")
    outcome = fixed(document, [stale])
    assert outcome.text is None and outcome.applied == ()
    assert "changed since" in outcome.left[0][1]


def test_two_fixes_of_one_place_apply_one_per_pass() -> None:
    document = opened(TEXT, PATH)
    first = _set("/escalations/0/steps/0/to", "cs/mash", "cs/mahs")
    second = _set("/escalations/0/steps/0/to", "cs/edt", "cs/mahs")
    outcome = fixed(document, [first, second])
    assert outcome.applied == (first,)
    assert "same place" in outcome.left[0][1]
    assert (
        outcome.text is not None and "to: cs/mash      # the council's front door" in outcome.text
    )


def test_a_new_key_expects_none_there() -> None:
    document = opened(TEXT.replace("policycoord: 1\n", ""), PATH)
    add = Fix("safe", "add", (FixEdit(PATH, "/policycoord", "set", 1, None),))
    outcome = fixed(document, [add])
    assert outcome.text is not None and outcome.text.endswith("policycoord: 1\n")
    again = fixed(opened(TEXT, PATH), [add])  # the key is there: not applied
    assert again.applied == ()


def test_fix_files_saves_each_file_once(tmp_path: Path) -> None:
    (tmp_path / "orgs").mkdir()
    (tmp_path / PATH).write_text(TEXT, encoding="utf-8")
    fixes = [
        _set("/escalations/0/steps/0/within", "24 hours", "24 Hours"),
        _set("/escalations/0/steps/0/to", "cs/mash", "cs/mahs", "unsafe"),
    ]
    results = fix_files(tmp_path, fixes)
    assert [r.path for r in results] == [PATH]
    assert isinstance(results[0].saved, Saved) and len(results[0].applied) == 2
    assert (tmp_path / PATH).read_text(encoding="utf-8") == TEXT.replace(
        "24 Hours", "24 hours"
    ).replace("cs/mahs", "cs/mash")
    assert fix_files(tmp_path, fixes)[0].applied == ()  # already applied: nothing to do


def _stepwise_report(file: Path) -> Report:
    """A check whose fix for `within` goes one step at a time: `1 Hours` ->
    `2 hours` -> `3 hours` (each fix is worked out on what the file holds)."""
    from policycoord.core.findings import Finding, Location, Severity, Summary

    steps = {"1 Hours": "2 hours", "2 hours": "3 hours"}
    pointer = "/escalations/0/steps/0/within"
    written = next(v for v in steps.keys() | {"3 hours"} if f"within: {v}" in file.read_text())
    findings: tuple[Finding, ...] = ()
    if written in steps:
        fix = Fix(
            "safe",
            f"to {steps[written]}",
            (FixEdit(PATH, pointer, "set", steps[written], written),),
        )
        place = Location(PATH, 8, 17, pointer)
        findings = (Finding("PC003", "x", Severity.ERROR, "m", place, fix=fix),)
    return Report("0", "p", None, Summary(1, 1, len(findings), 0, 0, 0), findings)


def test_fix_until_stable_checks_again_until_nothing_applies(tmp_path: Path) -> None:
    file = tmp_path / PATH
    file.parent.mkdir()
    file.write_text(TEXT.replace("24 Hours", "1 Hours"), encoding="utf-8")
    checks: list[Report] = []

    def check() -> Report:
        checks.append(_stepwise_report(file))
        return checks[-1]

    heard: list[int] = []
    run = fix_until_stable(check, tmp_path, unsafe=False, each_pass=lambda r: heard.append(len(r)))
    assert file.read_text(encoding="utf-8") == TEXT.replace("24 Hours", "3 hours")
    assert len(checks) == 3 and heard == [1, 1]
    assert run.report is checks[-1] and run.report.findings == ()
    assert run.applied == 2 and run.changed == (PATH,) and run.unsafe_left == 0


def test_fix_until_stable_stops_after_max_passes(tmp_path: Path) -> None:
    file = tmp_path / PATH
    file.parent.mkdir()
    file.write_text(TEXT.replace("24 Hours", "1 Hours"), encoding="utf-8")
    run = fix_until_stable(lambda: _stepwise_report(file), tmp_path, unsafe=False, max_passes=1)
    assert "within: 2 hours" in file.read_text(encoding="utf-8")
    assert len(run.passes) == 1 and len(run.report.findings) == 1  # what is left


def test_a_rename_keeps_the_keys_place_value_and_comments() -> None:
    text = """\
policycoord: 1
organisation:
  id: a          # ours
  nmae: A        # the name
  # the sector, below
  sector: education
roles: []
"""
    document = opened(text, PATH)
    fix = Fix(
        "unsafe",
        "rename",
        (FixEdit(PATH, "/organisation/nmae", "rename", "name", "A"),),
    )
    outcome = fixed(document, [fix])
    assert outcome.text == text.replace(
        "  nmae: A        # the name", "  name: A        # the name"
    )
    taken = fixed(opened(text.replace("  id: a", "  name: a"), PATH), [fix])
    assert taken.text is None and "already" in taken.left[0][1]
