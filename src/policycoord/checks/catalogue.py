"""The rule catalogue as people read it: `policycoord rules`, `policycoord
explain CODE`, and docs/rules.md, all generated from the rule docstrings."""

from __future__ import annotations

import functools
import re

from policycoord.checks.rules import ALL_RULES, RULES_BY_CODE
from policycoord.checks.rules.base import Rule, sections
from policycoord.core.about import RULES_DOCS
from policycoord.core.errors import PolicycoordError
from policycoord.core.findings import FAMILIES, RuleInfo

DOCS_PATH = RULES_DOCS


def anchor(rule: type[Rule]) -> str:
    """The rule's section id in docs/rules.md (as GitHub renders headings)."""
    return re.sub(r"[^a-z0-9-]", "", f"{rule.code} {rule.name}".lower().replace(" ", "-"))


def info(rule: type[Rule]) -> RuleInfo:
    """What reports say of `rule` (core.findings.RuleInfo)."""
    return RuleInfo(
        code=rule.code,
        name=rule.name,
        family=rule.family,
        default_severity=rule.default_severity,
        anchor=anchor(rule),
        summary=rule.summary,
        documentation=functools.partial(_documentation, rule),
        what_it_does=functools.partial(_what_it_does, rule),
    )


@functools.cache
def _documentation(rule: type[Rule]) -> str:
    return rule.documentation()


def _what_it_does(rule: type[Rule]) -> str:
    return sections(_documentation(rule)).get("What it does", "")


@functools.cache
def catalogue() -> tuple[RuleInfo, ...]:
    """Every rule as reports describe it, in catalogue order (made once)."""
    return tuple(info(rule) for rule in ALL_RULES)


def find(code: str) -> type[Rule]:
    rule = RULES_BY_CODE.get(code.strip().upper())
    if rule is None:
        from policycoord.core.text import visible

        raise PolicycoordError(
            f"There is no rule {visible(code)}; `policycoord rules` lists them "
            f"({', '.join(sorted(RULES_BY_CODE))})."
        )
    return rule


def explain(code: str) -> str:
    """One rule's documentation, as plain Markdown text."""
    rule = find(code)
    header = (
        f"# {rule.code} {rule.name}\n\n"
        f"Severity: {rule.default_severity.value} (change it with `rules: severity:` in "
        f"partnership.yaml). Family: {FAMILIES[rule.family]}.\n\n"
        f"{fix_line(rule)}\n\n"
    )
    return header + rule.documentation().strip() + "\n"


#: what each kind of fix means, in the words `explain` and docs/rules.md use
_FIX_KINDS = {
    "safe": "safe: `policycoord check --fix` applies it, and the editor offers it",
    "unsafe": "unsafe, it needs a person's eye: `policycoord check --unsafe-fixes` applies "
    "it, and the editor offers it",
    "safe or unsafe": "safe or unsafe, depending on the finding: `policycoord check --fix` "
    "applies the safe ones, `--unsafe-fixes` the others too, and the editor offers both",
}


def fix_line(rule: type[Rule]) -> str:
    """Whether the rule's findings come with a fix, and of which kind."""
    if rule.fix_kind is None:
        return "Fix: none (change the files by hand, as the suggestion says)."
    note = f" {rule.fix_note}" if rule.fix_note else ""
    return f"Fix: {_FIX_KINDS[rule.fix_kind]}.{note}"


def rules_table() -> str:
    """`policycoord rules`: one line per rule."""
    width = max(len(rule.name) for rule in ALL_RULES)
    return "".join(
        f"{rule.code}  {rule.name:<{width}}  {rule.default_severity.value:<7}  {rule.summary()}\n"
        for rule in ALL_RULES
    )


def rules_markdown() -> str:
    """docs/rules.md: every rule, grouped by family, from the docstrings."""
    lines = [
        "# policycoord rules",
        "",
        "Generated from the rule docstrings by `python -m policycoord.checks.catalogue`;",
        "a test fails when this file is stale. Every example below is run by the tests.",
        "",
        "| code | name | severity | what it reports |",
        "|---|---|---|---|",
    ]
    lines.extend(
        f"| [{r.code}](#{anchor(r)}) | `{r.name}` | {r.default_severity.value} | {r.summary()} |"
        for r in ALL_RULES
    )
    for family, title in FAMILIES.items():
        members = [r for r in ALL_RULES if r.family == family]
        if not members:
            continue
        lines += ["", f"## {title}"]
        for rule in members:
            body = re.sub(r"^## ", "#### ", rule.documentation(), flags=re.MULTILINE)
            summary, _, rest = body.partition("\n")
            lines += [
                "",
                f"### {rule.code} {rule.name}",
                "",
                f"*{rule.default_severity.value}* · {summary.strip()}",
                "",
                fix_line(rule),
                "",
                rest.strip(),
            ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - regenerates docs/rules.md
    from pathlib import Path

    Path(DOCS_PATH).write_text(rules_markdown(), encoding="utf-8")
