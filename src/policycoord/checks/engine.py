"""Run the rules and decide what a run reports, in one place.

The rules only observe. Here, after they run: the code, name and severity
are stamped (the partnership's `rules.severity` overrides the default),
the selection is applied (`--select`, `--ignore`, `rules.ignore`; codes or
prefixes such as `PC3`), fingerprints are computed, findings are sorted by
path, line, column and code, waivers in force and the baseline suppress what
they accept (counted and listed, never dropped), and the fail level is
settled. One rule lists at most `MAX_LISTED` findings in one file; the rest
are summed up in one more finding, so that one pasted or generated file
cannot flood a report (drawing 200,000 undefined acronyms took 22 seconds
as terminal text, 7 seconds and 600 MB as JSON). `policycoord baseline`
lists them all.

Which codes run: the command line wins over the partnership file. A code
that `--select` names (or a prefix of it does) runs even if `rules.ignore`
names it; `rules.ignore` applies to the codes the command line does not
select. Between `--select` and `--ignore` the more specific wins (`--ignore`
on a tie). A selection that leaves nothing to run is a usage error.

| partnership `rules.ignore` | command line        | PC403 runs? | PC401 runs? |
|----------------------------|---------------------|-------------|-------------|
| `[PC403]`                  |                     | no          | yes         |
| `[PC403]`                  | `--select PC403`    | yes         | no          |
| `[PC403]`                  | `--select PC4`      | yes         | yes         |
| `[PC4]`                    | `--select PC403`    | yes         | no          |
|                            | `--select PC4 --ignore PC403` | no | yes       |
|                            | `--select PC403 --ignore PC4` | yes | no        |
|                            | `--select PC403 --ignore PC403` | no | no       |

The fail level is `--fail-on`, else the partnership's `rules.fail_on`, else
`error`.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from policycoord.checks import causes, waivers
from policycoord.checks.parallel import observe
from policycoord.checks.rules import ALL_RULES, Rule
from policycoord.checks.rules.base import FindingsRule
from policycoord.core.errors import PolicycoordError
from policycoord.core.findings import (
    FAIL_LEVELS,
    BaselineEntry,
    Finding,
    Severity,
    Suppressed,
    Violation,
    fingerprint,
)
from policycoord.model.model import Model
from policycoord.model.policies import RulesConfig


@dataclass(frozen=True, slots=True)
class Selection:
    """Which codes run and how severe they are."""

    select: tuple[str, ...] = ()  # command line; empty: every rule
    ignore: tuple[str, ...] = ()  # command line
    config_ignore: tuple[str, ...] = ()  # the partnership's rules.ignore
    severity: Mapping[str, str] = field(default_factory=dict)

    def wants(self, code: str) -> bool:
        chosen = [len(p) for p in self.select if code.startswith(p)]
        if self.select and not chosen:
            return False
        dropped = [len(p) for p in self.ignore if code.startswith(p)]
        if dropped and (not chosen or max(dropped) >= max(chosen)):
            return False
        # the partnership's ignore applies to what the command line did not select
        return bool(chosen) or not any(code.startswith(p) for p in self.config_ignore)


@dataclass(frozen=True, slots=True)
class Config:
    """Everything that decides what a run reports."""

    selection: Selection = Selection()
    fail_on: str = "error"
    #: who set `fail_on`: "option" (--fail-on), "partnership" (rules.fail_on), "default"
    fail_on_by: str = "default"
    baseline: tuple[BaselineEntry, ...] | None = None  # None: no --baseline
    every_finding: bool = False  # True: no MAX_LISTED (the baseline command)

    @classmethod
    def resolve(
        cls,
        rules: RulesConfig | None,
        *,
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        fail_on: str | None = None,
        baseline: tuple[BaselineEntry, ...] | None = None,
        every_finding: bool = False,
    ) -> Config:
        """The command line's options over the partnership's `rules:`."""
        check_codes([*select, *ignore])
        config_ignore = rules.ignore if rules is not None else ()
        check_codes(config_ignore, where="The partnership file's `rules.ignore` names")
        from_partnership = rules.fail_on if rules is not None else None
        level = fail_on or from_partnership or "error"
        by = "option" if fail_on else "partnership" if from_partnership else "default"
        selection = Selection(
            select=select,
            ignore=ignore,
            config_ignore=config_ignore,
            severity=rules.severity if rules is not None else {},
        )
        if not any(selection.wants(rule.code) for rule in ALL_RULES):
            given = " ".join(
                [*(f"--select {c}" for c in select), *(f"--ignore {c}" for c in ignore)]
            )
            where = f"{given} with " if given else ""
            raise PolicycoordError(
                f"Nothing to check: {where}the partnership's rules.ignore "
                f"({', '.join(config_ignore) or 'empty'}) leaves no rule to run."
            )
        return cls(
            selection=selection,
            fail_on=level if level in FAIL_LEVELS else "error",
            fail_on_by=by if level in FAIL_LEVELS else "default",
            baseline=baseline,
            every_finding=every_finding,
        )


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a run reports: findings, what was suppressed, stale baseline entries."""

    findings: tuple[Finding, ...]
    suppressed: tuple[Suppressed, ...] = ()
    stale_baseline: tuple[BaselineEntry, ...] = ()
    fail_on: str = "error"
    fail_on_by: str = "default"  # as Config.fail_on_by


def check_codes(
    codes: Iterable[str],
    *,
    rules: Sequence[type[Rule]] = ALL_RULES,
    where: str = "Unknown rule code",
) -> None:
    """Raise a usage error naming the valid codes if any code or prefix
    matches no rule."""
    known = sorted(rule.code for rule in rules)
    unknown = [c for c in codes if not any(k.startswith(c.upper()) for k in known)]
    if unknown:
        lead = where if where == "Unknown rule code" else f"{where} an unknown rule code"
        raise PolicycoordError(
            f"{lead} {', '.join(unknown)}; valid codes (or prefixes of them) are "
            f"{', '.join(known)}."
        )


#: Every code of the catalogue, given to each rule the engine runs.
CODES: Final = tuple(rule.code for rule in ALL_RULES)


def run(
    model: Model,
    config: Config = Config(),
    *,
    rules: Sequence[type[Rule]] = ALL_RULES,
    jobs: int = 1,
) -> Outcome:
    """Run the selected rules (with `jobs` above 1, some in a forked copy of
    this process: parallel.py), then the rules about their findings (PC406),
    then apply waivers in force and the baseline."""
    selection = config.selection
    chosen = [rule for rule in rules if selection.wants(rule.code)]
    plain = [rule for rule in chosen if not issubclass(rule, FindingsRule)]
    return conclude(model, config, chosen, observe(plain, model, jobs=jobs, codes=CODES))


def conclude(
    model: Model,
    config: Config,
    chosen: Sequence[type[Rule]],
    observed: Iterable[tuple[type[Rule], Sequence[Violation]]],
) -> Outcome:
    """What a run reports, given each rule's violations (`observed`, the
    rules in `chosen` order but for the FindingsRules, which run here):
    stamped, sorted, the rules about findings, waivers, the baseline, causes.
    (checks/incremental.py hands in violations partly kept from a run before.)"""
    selection = config.selection
    found: list[Finding] = []
    for rule_class, violations in observed:
        severity = _severity(rule_class, selection)
        found.extend(_stamp(rule_class, severity, v) for v in violations)
    found.sort(key=Finding.sort_key)
    ran = frozenset(rule.code for rule in chosen)
    for rule_class in chosen:
        if issubclass(rule_class, FindingsRule):
            severity = _severity(rule_class, selection)
            reviewed = rule_class(codes=CODES).review(model, tuple(found), ran)
            found.extend(_stamp(rule_class, severity, v) for v in reviewed)
    found.sort(key=Finding.sort_key)
    outcome = _suppress(model, _distinct_fingerprints(found), config, ran)
    # after waivers and the baseline: a finding never names a cause the report hides
    return dataclasses.replace(outcome, findings=causes.link(model, outcome.findings))


def _suppress(
    model: Model, findings: tuple[Finding, ...], config: Config, ran: frozenset[str]
) -> Outcome:
    """Waivers in force first (the first that covers a finding, in file
    order), then the baseline; an expired or invalid waiver suppresses nothing.
    A baseline entry is stale when its code ran over the whole repository
    and no finding has its fingerprint any more."""
    register = waivers.Register(model, CODES)
    accepted = {e.fingerprint for e in config.baseline or ()}
    reported: list[Finding] = []
    suppressed: list[Suppressed] = []
    for finding in findings:
        waiver = register.covering(finding)
        if waiver is not None:
            suppressed.append(Suppressed(finding, waivers.record(waiver)))
        elif finding.fingerprint in accepted:
            suppressed.append(Suppressed(finding, None))
        else:
            reported.append(finding)
    occurring = {finding.fingerprint for finding in findings}
    stale = tuple(
        entry
        for entry in config.baseline or ()
        if model.complete and entry.code in ran and entry.fingerprint not in occurring
    )
    listed = tuple(reported) if config.every_finding else _listed(reported)
    return Outcome(listed, tuple(suppressed), stale, config.fail_on, config.fail_on_by)


#: Findings of one rule in one file that a report lists; the rest are summed up.
MAX_LISTED: Final = 200


def _listed(findings: list[Finding]) -> tuple[Finding, ...]:
    """The first MAX_LISTED findings of each rule in each file (in file
    order), and in the place of the rest one more finding that says how many
    there are and where, with the first one's location, severity and owner."""
    per_file = Counter((finding.code, finding.location.path) for finding in findings)
    if max(per_file.values(), default=0) <= MAX_LISTED:
        return tuple(findings)
    listed: list[Finding | None] = []
    rest: dict[tuple[str, str], tuple[int, list[Finding]]] = {}  # its place, the unlisted
    seen: Counter[tuple[str, str]] = Counter()
    for finding in findings:
        key = (finding.code, finding.location.path)
        seen[key] += 1
        if seen[key] <= MAX_LISTED:
            listed.append(finding)
        elif key in rest:
            rest[key][1].append(finding)
        else:
            rest[key] = (len(listed), [finding])
            listed.append(None)
    for (code, path), (place, unlisted) in rest.items():
        listed[place] = _more(code, path, unlisted)
    return tuple(finding for finding in listed if finding is not None)


def _more(code: str, path: str, unlisted: list[Finding]) -> Finding:
    first, last = unlisted[0].location.line, unlisted[-1].location.line
    where = f"on line {first}" if first == last else f"from line {first} to line {last}"
    subject = f"more-{code}"
    return dataclasses.replace(
        unlisted[0],
        message=f"{len(unlisted):,} more {code} findings in this file, {where}, are not "
        f"listed: a report lists the first {MAX_LISTED} of one rule in one file.",
        subject=subject,
        suggestion=f"Fix the {code} findings listed above; the rest are listed as they go. "
        "Many findings of one kind usually come from one pasted or generated passage.",
        related=(),
        fix=None,
        fingerprint=fingerprint(
            code=code, organisation=unlisted[0].organisation, pointer="", subject=subject, path=path
        ),
    )


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
            import hashlib  # rarely needed: `validate` on a clean file never loads it

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
            pointer=violation.anchor if violation.anchor is not None else location.pointer,
            subject=violation.subject,
            path=location.path,
        ),
        family=rule.family,
        about=violation.about,
        fix=violation.fix,
    )
