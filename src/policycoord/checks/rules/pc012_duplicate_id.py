"""PC012 duplicate-id."""

from __future__ import annotations

from collections.abc import Iterator

from policycoord.checks.rules.base import Rule
from policycoord.core.findings import Severity, Violation
from policycoord.model.model import Model
from policycoord.model.policies import DuplicateId


class DuplicateIdentifier(Rule):
    """An id is written twice where it must be unique.

    ## What it does
    Reports a role id repeated within one organisation's policy, and a duty,
    concern or mission theme id repeated within the partnership file. The
    first one is used by every other check; each repeat is reported at its
    own line, with the first as the related location.

    ## Why it matters
    References name roles, duties and concerns by id. With two `dsl` roles,
    an escalation to `st-marys-primary/dsl` reaches whichever one a reader
    happens to look at first: one of the two contacts is never used, and
    nobody can tell which.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership: {id: northshire, name: Northshire Safeguarding Children Partnership}
    # file: orgs/st-marys-primary.yaml
    policycoord: 1
    organisation: {id: st-marys-primary, name: St Mary's Primary School, sector: education}
    roles:
      - id: dsl
        title: Designated Safeguarding Lead
      - id: dsl
        title: Deputy Designated Safeguarding Lead
    ```

    ## Fixed
    ```diff
    # file: orgs/st-marys-primary.yaml
         title: Designated Safeguarding Lead
    -  - id: dsl
    +  - id: ddsl
    ```
    """

    code = "PC012"
    name = "duplicate-id"
    default_severity = Severity.ERROR
    family = "input"
    scope = "organisation"

    def check(self, model: Model) -> Iterator[Violation]:
        for org in model.organisations:
            for repeat in org.duplicate_ids:
                yield _violation(repeat, f"{org.name} defines the role `{repeat.id}` twice")
        if model.partnership is not None:
            name = model.partnership.name
            for repeat in model.partnership.duplicate_ids:
                yield _violation(repeat, f"{name} defines the {repeat.kind} `{repeat.id}` twice")


_SCOPE = {
    "role": "role ids must be unique within an organisation",
    "duty": "duty ids must be unique within the partnership file",
    "concern": "concern ids must be unique within the partnership file",
    "theme": "mission theme ids must be unique within the partnership file",
}


def _violation(repeat: DuplicateId, what: str) -> Violation:
    first = repeat.first.at("id")
    return Violation(
        message=(
            f"{what} (first on line {first.line}); {_SCOPE[repeat.kind]}, so only the first "
            "is used."
        ),
        location=repeat.where.at("id"),
        subject=f"{repeat.kind}:{repeat.id}",
        suggestion=f"Give this {repeat.kind} an id of its own, or merge the two entries.",
        organisation=repeat.organisation,
        related=(first,),
    )
