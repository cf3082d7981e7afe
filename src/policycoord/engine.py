"""Run the rules and turn what they observe into Findings, in one place.

The rules only observe. Here the code, name and severity are stamped (the
partnership's `rules.severity` overrides the default), `select`/`ignore`
are applied (codes or prefixes such as `PC3`), fingerprints are computed and
findings are sorted by path, line, column and code.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from policycoord.errors import PolicycoordError
from policycoord.findings import Finding, Severity, Violation, fingerprint
from policycoord.model import Model
from policycoord.rules import ALL_RULES, Rule


@dataclass(frozen=True, slots=True)
class Selection:
    """Which codes run and how severe they are."""

    select: tuple[str, ...] = ()  # empty: every rule
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)

    def wants(self, code: str) -> bool:
        if any(code.startswith(prefix) for prefix in self.ignore):
            return False
        return not self.select or any(code.startswith(prefix) for prefix in self.select)


def check_codes(codes: Iterable[str], *, rules: Sequence[type[Rule]] = ALL_RULES) -> None:
    """Raise a usage error naming the valid codes if any code or prefix
    matches no rule."""
    known = sorted(rule.code for rule in rules)
    unknown = [c for c in codes if not any(k.startswith(c.upper()) for k in known)]
    if unknown:
        raise PolicycoordError(
            f"Unknown rule code {', '.join(unknown)}; valid codes (or prefixes of them) are "
            f"{', '.join(known)}."
        )


def run(
    model: Model,
    *,
    selection: Selection = Selection(),
    rules: Sequence[type[Rule]] = ALL_RULES,
) -> tuple[Finding, ...]:
    findings: list[Finding] = []
    for rule_class in rules:
        if not selection.wants(rule_class.code):
            continue
        rule = rule_class()
        severity = _severity(rule_class, selection)
        findings.extend(_stamp(rule_class, severity, v) for v in rule.check(model))
    findings.sort(key=Finding.sort_key)
    return _distinct_fingerprints(findings)


def _distinct_fingerprints(findings: list[Finding]) -> tuple[Finding, ...]:
    """Findings that share code, organisation, pointer and subject (a key
    repeated three times, two lines of one text) are told apart by their
    order: the second and later get the occurrence number mixed in. Moving
    lines keeps their order, so fingerprints stay stable."""
    seen: dict[str, int] = {}
    distinct: list[Finding] = []
    for finding in findings:
        count = seen.get(finding.fingerprint, 0) + 1
        seen[finding.fingerprint] = count
        if count > 1:
            again = hashlib.sha256(f"{finding.fingerprint}#{count}".encode()).hexdigest()[:32]
            finding = dataclasses.replace(finding, fingerprint=again)
        distinct.append(finding)
    return tuple(distinct)


def _severity(rule: type[Rule], selection: Selection) -> Severity:
    override = selection.severity.get(rule.code)
    if override in ("error", "warning", "info"):
        return Severity(override)
    return rule.default_severity


def _stamp(rule: type[Rule], severity: Severity, violation: Violation) -> Finding:
    location = violation.location
    return Finding(
        code=rule.code,
        name=rule.name,
        severity=severity,
        message=violation.message,
        location=location,
        subject=violation.subject,
        suggestion=violation.suggestion,
        organisation=violation.organisation,
        related=violation.related,
        fingerprint=fingerprint(
            code=rule.code,
            organisation=violation.organisation,
            pointer=location.pointer,
            subject=violation.subject,
            path=location.path,
        ),
    )
