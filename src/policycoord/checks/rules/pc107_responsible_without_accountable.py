"""PC107 responsible-without-accountable."""

from __future__ import annotations

from collections.abc import Iterator

from policycoord.checks.rules.base import Rule
from policycoord.checks.wording import duty_label, role_label
from policycoord.core.findings import Severity, Violation
from policycoord.core.text import listing, place
from policycoord.model.model import Model
from policycoord.model.policies import Duty, Organisation, Responsibility


class ResponsibleWithoutAccountable(Rule):
    """Someone is responsible for a duty but nobody is accountable for it.

    ## What it does
    For a duty with `scope: partnership`, when no organisation is
    `raci: accountable` for it, reports each organisation that is
    `raci: responsible` for it. For a duty with `scope: each-member`, reports
    each organisation that has a responsible role for it and no accountable
    role of its own. One finding per duty and organisation, at its first
    responsible role. Every organisation with a policy file is checked,
    members or not. It may stand beside PC101 or PC102: those say a duty has
    no owner, this says that work is being done with nobody answering for it.

    ## Why it matters
    The people doing the work (a hub's social workers, a school's deputy
    safeguarding lead) need someone who answers for it: who makes the
    decision when they disagree, who notices when the work is not done, who
    the partnership asks when a child was missed. Responsibility without
    accountability is how a referral waits on a desk while everyone is busy.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership:
      id: northshire
      name: Northshire Safeguarding Children Partnership
      members: [riverside-fc]
    duties:
      - id: refer-to-childrens-social-care
        title: Refer a child at risk of significant harm to children's social care
        scope: each-member
        applies_to: [sport]
        max_within: 24 hours
    # file: orgs/riverside-fc.yaml
    policycoord: 1
    organisation:
      id: riverside-fc
      name: Riverside Football Club
      sector: sport
    roles:
      - id: welfare-officer
        title: Club Welfare Officer
    responsibilities:
      - duty: refer-to-childrens-social-care
        role: welfare-officer
        raci: responsible
        within: 24 hours
    ```

    ## Fixed
    ```diff
    # file: orgs/riverside-fc.yaml
     roles:
    +  - id: dso
    +    title: Designated Safeguarding Officer
    @@
     responsibilities:
    +  - duty: refer-to-childrens-social-care
    +    role: dso
    +    raci: accountable
    +    within: 24 hours
    ```
    """

    code = "PC107"
    name = "responsible-without-accountable"
    default_severity = Severity.WARNING
    family = "gaps"
    scope = "organisation"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None or partnership.duties is None:
            return  # PC008 says the duties are missing
        for duty in partnership.duties:
            if duty.scope == "partnership":
                responsibilities = model.responsibilities_for(duty.id)
                if any(item.raci == "accountable" for item in responsibilities):
                    continue
                # every organisation that takes a part (whatever the model's organisations)
                taking = dict.fromkeys(item.organisation for item in responsibilities)
                owners = tuple(org for org_id in taking if (org := model.organisation(org_id)))
            elif duty.scope == "each-member":
                owners = model.organisations  # each one's own (checks/incremental.py)
            else:
                continue
            for org in owners:
                own = [item for item in org.responsibilities if item.duty == duty.id]
                responsible = [item for item in own if item.raci == "responsible"]
                if not responsible:
                    continue
                if any(item.raci == "accountable" for item in own):
                    continue  # an each-member duty this organisation answers for itself
                yield self._violation(org, duty, responsible)

    def _violation(
        self, org: Organisation, duty: Duty, responsible: list[Responsibility]
    ) -> Violation:
        first = responsible[0]
        if duty.scope == "partnership":
            nobody = (
                "but no organisation in the partnership is accountable for it: nobody answers "
                "for the work being done"
            )
            suggestion = (
                f"Agree at the partnership board which one organisation is accountable for "
                f"`{duty.id}`. If it is {org.name}, change `raci: responsible` to "
                f"`raci: accountable` for `{first.role}` ({place(first.origin.at('raci'))})."
            )
        else:
            nobody = (
                "but names no accountable role of its own for it: nobody there answers "
                "for the work being done"
            )
            suggestion = (
                f"Decide which of your roles answers for the duty (it may be "
                f"{role_label(org, first.role)}, who does the work); then change its "
                f"`raci: responsible` to `raci: accountable` ({place(first.origin.at('raci'))}), "
                f"or add a responsibility for `{duty.id}` with `raci: accountable` for the role "
                f"that answers for it in {org.path}."
            )
        return Violation(
            message=(
                f"{org.name} makes {_roles(org, responsible)} responsible for "
                f"{duty_label(duty)}, {nobody}."
            ),
            location=first.origin.at("raci"),
            subject=duty.id,
            suggestion=suggestion,
            organisation=org.id,
            related=(duty.origin.at("id"),),
        )


def _roles(org: Organisation, responsible: list[Responsibility]) -> str:
    """`Multi-Agency Safeguarding Hub (`mash`, orgs/northshire-cs.yaml:12)`, each role once."""
    first: dict[str, Responsibility] = {}
    for item in responsible:
        first.setdefault(item.role, item)
    return listing(
        role_label(org, role_id, place(item.origin.at("raci"))) for role_id, item in first.items()
    )
