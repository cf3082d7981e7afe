"""PC102 duty-not-covered."""

from __future__ import annotations

from collections.abc import Iterator

from policycoord.checks.rules.base import Rule
from policycoord.checks.wording import duty_label, role_label
from policycoord.core.findings import Location, Severity, Violation
from policycoord.core.text import listing, place
from policycoord.model.model import Model
from policycoord.model.policies import Duty, Organisation, Responsibility


class DutyNotCovered(Rule):
    """An `each-member` duty that a member it applies to has no accountable role for.

    ## What it does
    For every duty with `scope: each-member`, checks each member organisation
    whose sector is in the duty's `applies_to` (every member when
    `applies_to` is omitted) and reports each one whose own policy has no
    responsibility for the duty with `raci: accountable`. Being responsible,
    consulted or informed is not enough; a responsibility whose role the
    organisation lacks still counts (PC106 reports the role). Organisations
    that are not members are not expected to cover the partnership's duties.
    The finding is on the organisation's own entry for the duty (the first
    responsibility naming it, which is responsible, consulted or informed),
    or on its id when it has none; PC107 may stand beside it when the
    organisation is responsible without being accountable.

    ## Why it matters
    An each-member duty, such as reporting an allegation against staff to
    the LADO, only protects children if every school, club and practice has
    someone who answers for it. A member with no accountable role is where
    an allegation goes unreported because nobody in the building knew it was
    theirs to make.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership:
      id: northshire
      name: Northshire Safeguarding Children Partnership
      members: [st-marys-primary]
    duties:
      - id: report-allegation-to-lado
        title: Report an allegation against staff to the LADO
        scope: each-member
        applies_to: [education]
        max_within: 1 working day
    # file: orgs/st-marys-primary.yaml
    policycoord: 1
    organisation:
      id: st-marys-primary
      name: St Mary's Primary School
      sector: education
    roles:
      - id: dsl
        title: Designated Safeguarding Lead
    responsibilities:
      - duty: report-allegation-to-lado
        role: dsl
        raci: informed
    ```

    ## Fixed
    ```diff
    # file: orgs/st-marys-primary.yaml
     roles:
    +  - id: headteacher
    +    title: Headteacher
    @@
     responsibilities:
    +  - duty: report-allegation-to-lado
    +    role: headteacher
    +    raci: accountable
    +    within: 1 working day
    ```
    """

    code = "PC102"
    name = "duty-not-covered"
    default_severity = Severity.ERROR
    family = "gaps"
    scope = "organisation"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None or partnership.duties is None:
            return  # PC008 says the duties are missing
        for duty in partnership.duties:
            if duty.scope != "each-member":
                continue
            for org in model.applies_to(duty.applies_to):
                own = [item for item in org.responsibilities if item.duty == duty.id]
                if any(item.raci == "accountable" for item in own):
                    continue
                yield Violation(
                    message=(
                        f"{org.name} has no accountable role for {duty_label(duty)}, which "
                        f"the partnership requires of {_who(duty)}."
                        f"{_what_it_says(org, own)}"
                    ),
                    location=_where(org, own),
                    subject=duty.id,
                    # the fingerprint as before the finding moved to the entry or the id
                    anchor="/responsibilities" if org.responsibilities else None,
                    suggestion=_suggestion(org, duty, own),
                    organisation=org.id,
                    related=(duty.origin.at("id"),),
                )


def _who(duty: Duty) -> str:
    """`every education member`, `every education and health member`, `every member`."""
    if duty.applies_to is None:
        return "every member"
    return f"every {listing(dict.fromkeys(duty.applies_to))} member"


def _where(org: Organisation, own: list[Responsibility]) -> Location:
    """The organisation's entry for the duty (its `duty:`), or its id when it has none."""
    if own:
        return own[0].origin.at("duty")
    return org.origin.at("id")


def _what_it_says(org: Organisation, own: list[Responsibility]) -> str:
    """` Its policy names Designated Safeguarding Lead (`dsl`,
    orgs/st-marys-primary.yaml:14) only as informed.`, or nothing."""
    if not own:
        return ""
    parts = listing(
        f"{role_label(org, item.role, place(item.origin.at('raci')))} only as {item.raci}"
        for item in own
    )
    return f" Its policy names {parts}."


def _suggestion(org: Organisation, duty: Duty, own: list[Responsibility]) -> str:
    advice = (
        "Decide which of your roles answers for this duty; then record that role in "
        f"{org.path} as a responsibility for `{duty.id}` with `raci: accountable`"
    )
    doer = next((item for item in own if item.raci == "responsible"), None)
    if doer is None:
        return advice + "."
    return (
        f"{advice}; if {role_label(org, doer.role)} already does, change its "
        f"`raci: responsible` to `raci: accountable` ({place(doer.origin.at('raci'))})."
    )
