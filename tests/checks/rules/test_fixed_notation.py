"""The compact Fixed notation of the rule docstrings (rules/docstrings.py):
each rule's ```diff applies strictly to its Example, `documentation()`
writes it out as the whole fixed repository (what docs/rules.md shows), and
a diff that does not apply is refused, naming the rule, the file and the line.
"""

from __future__ import annotations

import inspect
import re
import textwrap

import pytest
from conftest import PROJECT_ROOT

from policycoord.checks.rules import ALL_RULES, RULES_BY_CODE
from policycoord.checks.rules.base import Rule
from policycoord.checks.rules.docstrings import (
    DocExample,
    FixedNotationError,
    apply_fix,
    examples,
    expanded,
    sections,
)

DIFF = re.compile(r"^```diff\n(.*?)^```", re.MULTILINE | re.DOTALL)
#: rules whose Fixed section reads better written whole (```yaml), and why (none today)
WRITTEN_WHOLE: dict[str, str] = {}


def _diffs(doc: str) -> list[str]:
    """The ```diff blocks of a raw docstring's Fixed section."""
    return DIFF.findall(sections(doc)["Fixed"] + "\n")


def _written(repository: DocExample) -> str:
    return "".join(f"# file: {name}\n{text}" for name, text in repository.files.items())


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_the_fixed_diff_applies_strictly_to_the_example(rule: type[Rule]) -> None:
    raw = inspect.getdoc(rule) or ""
    originals = examples(raw, "Example")
    diffs = _diffs(raw)
    if rule.code in WRITTEN_WHOLE:
        return
    assert "```yaml" not in sections(raw)["Fixed"], f"{rule.code}: write ## Fixed as a diff"
    assert diffs, f"{rule.code}: ## Fixed has no ```diff block"
    assert len(diffs) == len(originals), f"{rule.code}: one diff for each Example block"
    for index, diff in enumerate(diffs):
        fixed = apply_fix(originals[index], diff, f"{rule.code} ## Fixed, diff {index + 1}")
        assert fixed != originals[index], f"{rule.code}: the diff changes nothing"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_documentation_writes_each_diff_out_whole(rule: type[Rule]) -> None:
    raw = inspect.getdoc(rule) or ""
    documentation = rule.documentation()
    originals = examples(raw, "Example")
    blocks = [
        _written(apply_fix(originals[index], diff, rule.code))
        for index, diff in enumerate(_diffs(raw))
    ]
    expected = raw
    for diff, block in zip(_diffs(raw), blocks, strict=True):
        expected = expected.replace(f"```diff\n{diff}```", f"```yaml\n{block}```", 1)
    assert documentation == expected
    assert [_written(e) for e in examples(documentation, "Fixed")] == blocks
    assert "```diff" not in documentation
    docs = (PROJECT_ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for block in blocks:  # docs/rules.md shows the whole fixed repository
        assert f"```yaml\n{block}```" in docs


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_the_summary_is_the_docstrings_first_line(rule: type[Rule]) -> None:
    first = (rule.__doc__ or "").strip().split("\n", 1)[0]
    assert rule.summary() == first
    assert rule.documentation().split("\n", 1)[0] == first


EXAMPLE = DocExample(
    {
        "partnership.yaml": "policycoord: 1\npartnership: {id: northshire}\n",
        "orgs/a.yaml": textwrap.dedent(
            """\
            policycoord: 1
            roles:
              - id: dsl
                title: Lead

            responsibilities:
              - duty: refer
                raci: informed
              - duty: report
                raci: informed
            """
        ),
        "orgs/old.yaml": "policycoord: 1\n",
    }
)


def _apply(diff: str) -> DocExample:
    return apply_fix(EXAMPLE, textwrap.dedent(diff), "PC999 ## Fixed, diff 1")


def test_changes_are_made_where_their_context_says() -> None:
    fixed = _apply(
        """\
        # file: orgs/a.yaml
         roles:
        +  - id: head
        +    title: Head
        @@
        -    title: Lead
        +    title: Designated Safeguarding Lead

        @@
           - duty: report
        -    raci: informed
        +    raci: accountable
        +    within: 1 day
        """
    )
    assert fixed.files["orgs/a.yaml"] == textwrap.dedent(
        """\
        policycoord: 1
        roles:
          - id: head
            title: Head
          - id: dsl
            title: Designated Safeguarding Lead

        responsibilities:
          - duty: refer
            raci: informed
          - duty: report
            raci: accountable
            within: 1 day
        """
    )
    assert fixed.files["partnership.yaml"] == EXAMPLE.files["partnership.yaml"]


def test_whole_files_are_added_after_the_others_and_removed() -> None:
    fixed = _apply(
        """\
        # file: orgs/new.yaml (new)
        +policycoord: 1
        +organisation: {id: new}
        # file: orgs/old.yaml (removed)
        """
    )
    assert list(fixed.files) == ["partnership.yaml", "orgs/a.yaml", "orgs/new.yaml"]
    assert fixed.files["orgs/new.yaml"] == "policycoord: 1\norganisation: {id: new}\n"
    assert fixed.files["orgs/a.yaml"] == EXAMPLE.files["orgs/a.yaml"]


WHERE = "PC999 ## Fixed, diff 1"

REFUSED = {
    "no-such-line": (
        "# file: orgs/a.yaml\n-    title: Leader\n+    title: Lead\n",
        f"{WHERE}, orgs/a.yaml: diff line 2 `-    title: Leader` matches no line of the "
        "example file.",
    ),
    "not-consecutive": (
        "# file: orgs/a.yaml\n roles:\n-    title: Lead\n",
        f"{WHERE}, orgs/a.yaml: diff line 3 `-    title: Lead` does not follow diff line 2 "
        "` roles:` in the example file",
    ),
    "ambiguous": (
        "# file: orgs/a.yaml\n-    raci: informed\n+    raci: accountable\n",
        f"{WHERE}, orgs/a.yaml: diff line 2 `-    raci: informed` and the lines after it "
        "match 2 places in the example file (lines 8, 10)",
    ),
    "out-of-order": (
        "# file: orgs/a.yaml\n responsibilities:\n+  - duty: x\n@@\n roles:\n+  - id: x\n",
        f"{WHERE}, orgs/a.yaml: diff line 5 ` roles:` matches line 2 of the example file, "
        "inside or before the change above it",
    ),
    "additions-without-context": (
        "# file: orgs/a.yaml\n+  - id: x\n",
        f"{WHERE}, orgs/a.yaml: diff line 2 `+  - id: x`: a change that only adds lines "
        "needs a context line",
    ),
    "context-only": (
        "# file: orgs/a.yaml\n roles:\n",
        f"{WHERE}, orgs/a.yaml: diff line 2 ` roles:`: the change has no `-` or `+` line.",
    ),
    "unknown-file": (
        "# file: orgs/b.yaml\n-policycoord: 1\n",
        f"{WHERE}, orgs/b.yaml: the example has no such file",
    ),
    "new-file-that-exists": (
        "# file: orgs/old.yaml (new)\n+policycoord: 1\n",
        f"{WHERE}, orgs/old.yaml: the example already has this file",
    ),
    "new-file-not-whole": (
        "# file: orgs/new.yaml (new)\n policycoord: 1\n",
        f"{WHERE}, orgs/new.yaml: diff line 2 ` policycoord: 1`: a new file is written whole",
    ),
    "removed-file-missing": (
        "# file: orgs/b.yaml (removed)\n",
        f"{WHERE}, orgs/b.yaml: the example has no such file to remove.",
    ),
    "lines-under-removed-file": (
        "# file: orgs/old.yaml (removed)\n-policycoord: 1\n",
        f"{WHERE}, orgs/old.yaml: diff line 2 `-policycoord: 1`: nothing goes under a removed",
    ),
    "unmarked-line": (
        "# file: orgs/a.yaml\n*    title: Lead\n",
        f"{WHERE}, orgs/a.yaml: diff line 2 `*    title: Lead` starts with none of",
    ),
    "line-before-any-file": (
        "-policycoord: 1\n",
        f"{WHERE}: diff line 1 `-policycoord: 1` comes before any `# file: NAME` line.",
    ),
    "file-named-twice": (
        "# file: orgs/a.yaml\n-    title: Lead\n# file: orgs/a.yaml\n roles:\n",
        f"{WHERE}, orgs/a.yaml: diff line 3 names the file again.",
    ),
    "file-named-and-unchanged": (
        "# file: orgs/a.yaml\n",
        f"{WHERE}, orgs/a.yaml: diff line 1 names the file but changes nothing in it.",
    ),
    "bad-file-line": (
        "# file: orgs/a.yaml (changed)\n",
        f"{WHERE}: diff line 1 `# file: orgs/a.yaml (changed)` is not `# file: NAME`",
    ),
    "empty-change": (
        "# file: orgs/a.yaml\n@@\n-    title: Lead\n",
        f"{WHERE}, orgs/a.yaml: diff line 2 `@@` ends a change with no lines.",
    ),
}


@pytest.mark.parametrize(("diff", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_a_diff_that_does_not_apply_strictly_is_refused(diff: str, message: str) -> None:
    with pytest.raises(FixedNotationError) as refused:
        apply_fix(EXAMPLE, diff, WHERE)
    assert str(refused.value).startswith(message)


def _broken(code: str, old: str, new: str) -> type[Rule]:
    """The rule of `code` with `old` written as `new` in its docstring."""
    rule = RULES_BY_CODE[code]
    doc = rule.__doc__ or ""
    assert doc.count(old) == 1
    return type(f"Broken{code}", (rule,), {"__doc__": doc.replace(old, new)})


def test_a_rule_whose_diff_does_not_apply_names_itself_the_file_and_the_line() -> None:
    broken = _broken("PC003", "-    raci: lead", "-    raci: leader")
    with pytest.raises(FixedNotationError) as refused:
        broken.documentation()
    assert str(refused.value) == (
        "PC003 ## Fixed, diff 1, orgs/st-marys-primary.yaml: diff line 2 "
        "`-    raci: leader` matches no line of the example file."
    )


def test_a_diff_with_no_example_to_apply_to_is_refused() -> None:
    doc = "Summary.\n\n## Example\nnone\n\n## Fixed\n```diff\n# file: a.yaml\n-x\n```"
    with pytest.raises(FixedNotationError, match=r"^PC999 ## Fixed, diff 1: there is no Example"):
        expanded(doc, "PC999")


def test_a_fixed_block_written_whole_is_left_as_it_is() -> None:
    doc = (
        "Summary.\n\n## Example\n```yaml\n# file: a.yaml\nx: 1\n```\n\n"
        "## Fixed\n```yaml\n# file: a.yaml\nx: 2\n```"
    )
    assert expanded(doc, "PC999") == doc
