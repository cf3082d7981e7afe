"""PC406 waiver-unused."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from policycoord.checks import waivers
from policycoord.checks.rules.base import FindingsRule
from policycoord.checks.wording import subject_in_words
from policycoord.core.findings import Finding, Severity, Violation
from policycoord.core.text import listing
from policycoord.model.model import Model


class WaiverUnused(FindingsRule):
    """A waiver matches no finding: what it accepted has been fixed, or it is mistyped.

    ## What it does
    After every other rule has run, reports each waiver in force (valid and
    not expired) that covers none of the findings: no finding has its code,
    its organisation and (when the waiver gives one) its subject. Expired
    waivers are PC405 and invalid ones PC407, never also this. A waiver of
    a code that did not run (`--select`, `--ignore`, `rules.ignore`), or a
    run over only some of the files, is not judged.

    ## Why it matters
    An unused waiver is either good news (the problem was fixed: remove the
    waiver so the record is honest) or a mistake (a typo in the code,
    organisation or subject means the finding it was meant to accept is
    still reported, or worse, a later finding of the same kind will be
    silenced without anyone deciding to).

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership: {id: northshire, name: Northshire Safeguarding Children Partnership}
    waivers:
      - code: PC401
        organisation: riverside-fc
        reason: The club's new welfare officer reviews the policy in the summer.
        approved_by: [northshire, riverside-fc]
        expires: 2027-03-31
    # file: orgs/riverside-fc.yaml
    policycoord: 1
    organisation:
      id: riverside-fc
      name: Riverside FC
      sector: sport
      review: {approved: 2026-10-20, next_review: 2027-10-20}
    ```

    ## Fixed
    ```diff
    # file: partnership.yaml
    -waivers:
    -  - code: PC401
    -    organisation: riverside-fc
    -    reason: The club's new welfare officer reviews the policy in the summer.
    -    approved_by: [northshire, riverside-fc]
    -    expires: 2027-03-31
    ```
    """

    code = "PC406"
    name = "waiver-unused"
    default_severity = Severity.INFO
    family = "governance"

    def review(
        self, model: Model, findings: Sequence[Finding], ran: frozenset[str]
    ) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None or not model.complete:
            return
        register = waivers.Register(model, self.codes)
        subjects: dict[tuple[str, str | None], list[Finding]] = {}
        for finding in findings:
            subjects.setdefault((finding.code, waivers.owner(finding, model)), []).append(finding)
        for waiver in register.in_force:
            owned = subjects.get((waiver.code, waiver.organisation), [])
            if waiver.code not in ran or any(
                waivers.covers(waiver, finding, model) for finding in owned
            ):
                continue
            narrowed = f" about `{waiver.subject}`" if waiver.subject else ""
            others = sorted({finding.subject for finding in owned})
            hint = (
                f" ({waiver.code} findings for `{waiver.organisation}` are about "
                + listing(
                    [subject_in_words(subject) for subject in others[:3]]
                    + ([f"{len(others) - 3} more"] if len(others) > 3 else [])
                )
                + ")"
                if waiver.subject and others
                else ""
            )
            yield Violation(
                message=(
                    f"The waiver of {waiver.code} for `{waiver.organisation}`{narrowed} matches "
                    f"no finding{hint}: either what it accepted has been put right, or the "
                    "waiver names the wrong code, organisation or subject."
                ),
                location=waiver.origin.at("code"),
                subject=f"{waiver.code}:{waiver.organisation}:{waiver.subject or ''}",
                suggestion=(
                    f"If {waiver.code} no longer applies to `{waiver.organisation}`, remove the "
                    f"waiver from {partnership.path}; otherwise correct its `code`, "
                    "`organisation` or `subject`."
                ),
            )
