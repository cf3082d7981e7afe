"""PC405 waiver-expired."""

from __future__ import annotations

from collections.abc import Iterator

from policycoord.checks import waivers
from policycoord.checks.rules.base import Rule
from policycoord.core.findings import Severity, Violation
from policycoord.core.text import days_ago
from policycoord.core.timeframes import long_date
from policycoord.model.model import Model


class WaiverExpired(Rule):
    """A waiver has passed its `expires` date, so it no longer suppresses anything.

    ## What it does
    Reports each waiver in the partnership file whose `expires` date is
    before today (the run date, or `--today`). A waiver still applies on
    its expiry date and stops the day after. An expired waiver suppresses
    nothing: the findings it accepted are reported again, and this finding
    says why they came back. It is reported whether or not the findings it
    covered still occur (an expired waiver is never also PC406).

    ## Why it matters
    A waiver is a decision the partnership board took on the record, for a
    time: "the club moves to the county FA's procedure in March". When the
    date passes, either the work was done and the waiver should go, or it
    was not and the board needs to know and decide again. Without this, old
    waivers pile up and nobody remembers why a finding was ever accepted.

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
        expires: 2026-09-30
    # file: orgs/riverside-fc.yaml
    policycoord: 1
    organisation:
      id: riverside-fc
      name: Riverside FC
      sector: sport
      review: {approved: 2025-07-01, next_review: 2026-07-31}
    ```

    ## Fixed
    ```diff
    # file: partnership.yaml
    -waivers:
    -  - code: PC401
    -    organisation: riverside-fc
    -    reason: The club's new welfare officer reviews the policy in the summer.
    -    approved_by: [northshire, riverside-fc]
    -    expires: 2026-09-30
    # file: orgs/riverside-fc.yaml
    -  review: {approved: 2025-07-01, next_review: 2026-07-31}
    +  review: {approved: 2026-10-20, next_review: 2027-10-20}
    ```
    """

    code = "PC405"
    name = "waiver-expired"
    default_severity = Severity.WARNING
    family = "governance"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None:
            return
        for waiver in partnership.waivers:
            if not waivers.expired(waiver, model) or waiver.expires is None:
                continue
            narrowed = f" about `{waiver.subject}`" if waiver.subject else ""
            yield Violation(
                message=(
                    f"The waiver of {waiver.code} for `{waiver.organisation}`{narrowed} expired on "
                    f"{long_date(waiver.expires)}, {days_ago(waiver.expires, model.today)}, so "
                    "it no longer suppresses anything: any findings it accepted are reported "
                    "again."
                ),
                location=waiver.origin.at("expires"),
                subject=f"{waiver.code}:{waiver.organisation}:{waiver.subject or ''}",
                suggestion=(
                    f"Fix what {waiver.code} reports and remove the waiver from "
                    f"{partnership.path}, or, if the partnership board agrees to accept it for "
                    "longer, give it a new `expires` date and record the decision in its `reason`."
                ),
            )
