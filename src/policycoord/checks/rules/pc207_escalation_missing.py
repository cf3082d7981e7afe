"""PC207 escalation-missing."""

from __future__ import annotations

from collections.abc import Iterator

from policycoord.checks.rules.base import Rule
from policycoord.checks.wording import must_reach_names
from policycoord.core.findings import Location, Severity, Violation
from policycoord.core.text import either, listing
from policycoord.model.model import Model
from policycoord.model.policies import Concern, Organisation


class EscalationMissing(Rule):
    """An organisation a concern applies to has no escalation path for it.

    ## What it does
    For every concern in the partnership file, checks each member
    organisation whose sector is in the concern's `applies_to` (every member
    when `applies_to` is omitted) and reports each one whose policy has no
    `escalations` entry for that concern. Organisations that are not members
    are not expected to have the partnership's paths. The finding is on the
    organisation's `escalations` (or on its id when it has none), with the
    concern in the partnership file as the related location. Without a
    `concerns` section (or with an empty one) it reports nothing: PC008 says
    there is nothing to compare against.

    ## Why it matters
    When a coach, a receptionist or a teaching assistant is worried about a
    child, the escalation path is what tells them who to tell and how fast.
    A member with no path for a concern leaves that person to guess, and a
    guess made on a Friday evening can leave a child without help all
    weekend.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership:
      id: northshire
      name: Northshire Safeguarding Children Partnership
      members: [northshire-cs, riverside-fc]
    concerns:
      - id: significant-harm
        title: A child is suffering, or likely to suffer, significant harm
        applies_to: [sport]
    # file: orgs/northshire-cs.yaml
    policycoord: 1
    organisation: {id: northshire-cs, name: Northshire Children's Services, sector: social-care}
    roles:
      - {id: mash, title: Multi-Agency Safeguarding Hub}
    receives:
      - {concern: significant-harm, role: mash}
    # file: orgs/riverside-fc.yaml
    policycoord: 1
    organisation: {id: riverside-fc, name: Riverside Juniors Football Club, sector: sport}
    roles:
      - {id: dso, title: Club Welfare Officer}
    ```

    ## Fixed
    ```diff
    # file: orgs/riverside-fc.yaml
       - {id: dso, title: Club Welfare Officer}
    +escalations:
    +  - concern: significant-harm
    +    steps:
    +      - {to: dso, within: immediately}
    +      - {to: northshire-cs/mash, within: 24 hours}
    ```
    """

    code = "PC207"
    name = "escalation-missing"
    default_severity = Severity.ERROR
    family = "escalation"
    scope = "organisation"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None or not partnership.concerns:
            return  # without concerns the family says nothing; PC008 says why
        for concern in partnership.concerns:
            with_path = {item.organisation for item in model.escalations_for(concern.id)}
            for org in model.applies_to(concern.applies_to):
                if org.id in with_path:
                    continue
                yield Violation(
                    message=(
                        f"{org.name} has no escalation path for {_label(concern)}, which the "
                        f"partnership requires of {_who(concern)}."
                    ),
                    location=_where(org),
                    subject=concern.id,
                    suggestion=_suggestion(model, org, concern),
                    organisation=org.id,
                    related=(concern.origin.at("id"),),
                )


def _who(concern: Concern) -> str:
    """`every education and sport member`, `every member`."""
    if concern.applies_to is None:
        return "every member"
    return f"every {listing(dict.fromkeys(concern.applies_to))} member"


def _label(concern: Concern) -> str:
    """`` `significant-harm` (A child is suffering ...) ``, or the id alone."""
    if concern.title == concern.id:
        return f"`{concern.id}`"
    return f"`{concern.id}` ({concern.title})"


def _where(org: Organisation) -> Location:
    """The organisation's `escalations:` key, or its id when it has none."""
    if org.escalations:
        return org.file_origin.key_at("escalations")
    return org.origin.at("id")


def _suggestion(model: Model, org: Organisation, concern: Concern) -> str:
    agree = "Agree the steps your staff and volunteers follow for this concern"
    if concern.must_reach:
        agree += f", ending at {either(must_reach_names(model, concern))}"
    return (
        f"{agree}; then write them in {org.path} as an entry under `escalations:` with "
        f"`concern: {concern.id}`."
    )
