"""editing/fixes.py: findings' fixes applied through the editing layer."""

from __future__ import annotations

from pathlib import Path

from editing.helpers import changed_lines, opened
from policycoord.core.findings import Fix, FixEdit
from policycoord.editing import Saved, fix_files, fixed

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
