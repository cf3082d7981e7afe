"""PC407 waiver-invalid."""

from __future__ import annotations

from collections.abc import Iterator

from policycoord.checks import waivers
from policycoord.checks.rules.base import Rule
from policycoord.core.findings import Severity, Violation
from policycoord.core.text import listing
from policycoord.model.model import Model


class WaiverInvalid(Rule):
    """A waiver is not valid, so it suppresses nothing.

    ## What it does
    Reports each waiver in the partnership file that names an unknown
    finding code, an organisation that is not in the partnership, or an
    approver that is not (approvers are members, organisations with a
    policy file, or the partnership itself by its id); that gives no
    `reason` or no `expires` date; or that is not approved both by the
    organisation whose finding it accepts and by at least one other. A
    partnership must not silence an organisation's finding without that
    organisation agreeing, and an organisation must not silence its own
    finding alone. One finding per waiver lists every problem with it.
    An invalid waiver suppresses nothing. A finding that belongs to no
    organisation is waived with the partnership's own id as `organisation`.

    ## Why it matters
    A waiver takes a finding off the report, so it must be a decision that
    the right people took on the record: who accepted the risk, why, and
    until when. A waiver an organisation wrote for itself, or one the
    partnership wrote over an organisation's head, is not that.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership: {id: northshire, name: Northshire Safeguarding Children Partnership}
    waivers:
      - code: PC401
        organisation: riverside-fc
        reason: We will get to it after the season.
        approved_by: [riverside-fc]
        expires: 2027-03-31
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
    -    reason: We will get to it after the season.
    -    approved_by: [riverside-fc]
    +    reason: The board agreed on 15 October 2026 that the club reviews its policy by March.
    +    approved_by: [northshire, riverside-fc]
    ```
    """

    code = "PC407"
    name = "waiver-invalid"
    default_severity = Severity.ERROR
    family = "governance"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None:
            return
        register = waivers.Register(model, self.codes)
        for waiver in partnership.waivers:
            found = register.problems[id(waiver)]
            if not found:
                continue
            yield Violation(
                message=(
                    f"The waiver of {waiver.code} for `{waiver.organisation}` is not valid, so it "
                    f"suppresses nothing: {listing(found)}."
                ),
                location=waiver.origin.at("code"),
                subject=f"{waiver.code}:{waiver.organisation}:{waiver.subject or ''}",
                suggestion=(
                    f"Have the waiver agreed by `{waiver.organisation}` and at least one other "
                    f"member or the partnership (`{partnership.id}`), with the reason and how "
                    "long it lasts; then record it with a known `code` and `organisation`, a "
                    "`reason`, an `expires` date, and everyone who agreed it in `approved_by`."
                ),
            )
