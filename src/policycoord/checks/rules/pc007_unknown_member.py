"""PC007 unknown-member."""

from __future__ import annotations

from collections.abc import Iterator

from policycoord.checks.rules.base import Rule
from policycoord.core.findings import Severity, Violation
from policycoord.model.model import Model


class UnknownMember(Rule):
    """A policy file's organisation is not listed in `members`.

    ## What it does
    When the partnership lists its `members`, reports every policy file
    whose organisation is not among them. The file is still checked in full.

    ## Why it matters
    An organisation that is not a member may be relied on in escalation
    paths while nobody has agreed its part in the arrangements: either it
    should join the partnership's list, or the file is in the wrong place.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership:
      id: northshire
      name: Northshire Safeguarding Children Partnership
      members: [st-marys-primary]
    # file: orgs/st-marys-primary.yaml
    policycoord: 1
    organisation: {id: st-marys-primary, name: St Mary's Primary School, sector: education}
    # file: orgs/riverside-fc.yaml
    policycoord: 1
    organisation: {id: riverside-fc, name: Riverside Football Club, sector: sport}
    ```

    ## Fixed
    ```diff
    # file: partnership.yaml
    -  members: [st-marys-primary]
    +  members: [st-marys-primary, riverside-fc]
    ```
    """

    code = "PC007"
    name = "unknown-member"
    default_severity = Severity.WARNING
    family = "governance"
    scope = "organisation"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None or partnership.members is None:
            return
        members = set(partnership.members)
        for org in model.organisations:
            if org.id not in members:
                yield Violation(
                    message=(
                        f"{org.name} (`{org.id}`) has a policy file but is not in the "
                        f"`members` of {partnership.name}."
                    ),
                    location=org.origin.at("id"),
                    subject=org.id,
                    suggestion=(
                        f"If {org.name} has joined the partnership, add `{org.id}` to `members` "
                        f"in {partnership.path}; otherwise move the file out of the repository."
                    ),
                    organisation=org.id,
                    related=(partnership.origin.at("members"),),
                )
