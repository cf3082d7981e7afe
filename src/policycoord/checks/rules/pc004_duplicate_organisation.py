"""PC004 duplicate-organisation."""

from __future__ import annotations

from collections.abc import Iterator

from policycoord.checks.rules.base import Rule
from policycoord.core.findings import Severity, Violation
from policycoord.model.model import Model


class DuplicateOrganisation(Rule):
    """Two files declare the same organisation id.

    ## What it does
    Reports every policy file whose `organisation.id` is already declared by
    a file that sorts before it. The first file is checked as that
    organisation; the others are left out of the cross-checks until the
    clash is resolved.

    ## Why it matters
    Escalation paths and responsibilities point at organisations by id: when
    two files claim one id, nobody can tell which policy a school's referral
    path really reaches, and one of them is silently ignored.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership: {id: northshire, name: Northshire Safeguarding Children Partnership}
    # file: orgs/st-marys-primary.yaml
    policycoord: 1
    organisation: {id: st-marys-primary, name: St Mary's Primary School, sector: education}
    # file: orgs/st-marys-primary-2025.yaml
    policycoord: 1
    organisation: {id: st-marys-primary, name: St Mary's Primary School (2025), sector: education}
    ```

    ## Fixed
    ```diff
    # file: orgs/st-marys-primary-2025.yaml (removed)
    ```
    """

    code = "PC004"
    name = "duplicate-organisation"
    default_severity = Severity.ERROR
    family = "input"

    def check(self, model: Model) -> Iterator[Violation]:
        for duplicate in model.duplicate_organisations:
            first = model.by_id[duplicate.id]
            yield Violation(
                message=(
                    f"{duplicate.path} declares the organisation id `{duplicate.id}` "
                    f"({duplicate.name}), which {first.path} already declares ({first.name}); "
                    f"only {first.path} is checked as `{duplicate.id}`."
                ),
                location=duplicate.origin.at("id"),
                subject=duplicate.path,
                suggestion="Give each organisation its own id, or delete the out-of-date file.",
                organisation=duplicate.id,
                related=(first.origin.at("id"),),
            )
