"""PC103 duty-multiple-accountable."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from policycoord.checks.rules.base import Rule
from policycoord.checks.wording import duty_label, organisation_name, role_label
from policycoord.core.findings import Severity, Violation
from policycoord.core.text import listing, place
from policycoord.model.model import Model
from policycoord.model.policies import Duty, Organisation, Responsibility


class DutyMultipleAccountable(Rule):
    """More than one organisation, or more than one role, is accountable for a duty.

    ## What it does
    For a duty with `scope: partnership`, reports when responsibilities with
    `raci: accountable` come from more than one organisation (one finding on
    the duty, naming every organisation with its file and line). For a duty
    with `scope: each-member`, reports each organisation that makes more than
    one of its own roles accountable for it (one finding per organisation,
    on the second role). Different organisations each being accountable for
    an each-member duty is what the duty asks for, and is not reported. Every
    organisation with a policy file is checked, members or not; a role the
    organisation lacks still counts (PC106 reports it).

    ## Why it matters
    "Accountable" means the one who answers for it being done. When two
    agencies both believe they lead, each may wait for the other, or both
    act and the child and family face two uncoordinated responses; when two
    roles in one school both hold it, each can assume the other made the
    referral. One owner per duty is how a partnership knows who to ask.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership:
      id: northshire
      name: Northshire Safeguarding Children Partnership
      members: [northshire-cs, northshire-police]
    duties:
      - id: convene-strategy-discussion
        title: Convene a strategy discussion about a child at risk of significant harm
        scope: partnership
    # file: orgs/northshire-cs.yaml
    policycoord: 1
    organisation:
      id: northshire-cs
      name: Northshire Council Children's Services
      sector: social-care
    roles:
      - id: mash
        title: Multi-Agency Safeguarding Hub
    responsibilities:
      - duty: convene-strategy-discussion
        role: mash
        raci: accountable
    # file: orgs/northshire-police.yaml
    policycoord: 1
    organisation:
      id: northshire-police
      name: Northshire Police
      sector: police
    roles:
      - id: ppu
        title: Public Protection Unit
    responsibilities:
      - duty: convene-strategy-discussion
        role: ppu
        raci: accountable
    ```

    ## Fixed
    ```diff
    # file: orgs/northshire-police.yaml
    -    raci: accountable
    +    raci: consulted
    ```
    """

    code = "PC103"
    name = "duty-multiple-accountable"
    default_severity = Severity.WARNING
    family = "overlaps"
    scope = "organisation"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None or partnership.duties is None:
            return  # PC008 says the duties are missing
        for duty in partnership.duties:
            responsibilities = model.responsibilities_for(duty.id)
            if duty.scope == "partnership":
                yield from self._organisations(model, duty, responsibilities)
            elif duty.scope == "each-member":
                for org in model.organisations:
                    own = [
                        r
                        for r in org.responsibilities
                        if r.duty == duty.id and r.raci == "accountable"
                    ]
                    if own:
                        yield from self._roles(org, duty, own)

    def _organisations(
        self, model: Model, duty: Duty, responsibilities: tuple[Responsibility, ...]
    ) -> Iterator[Violation]:
        accountable = _accountable(responsibilities, _organisation)
        if len(accountable) < 2:
            return
        parties = "; ".join(_party(model, org_id, items) for org_id, items in accountable.items())
        yield Violation(
            message=(
                f"{len(accountable)} organisations are accountable for {duty_label(duty)}, a "
                f"duty the partnership needs exactly one organisation to answer for: {parties}."
            ),
            location=duty.origin.at("id"),
            subject=duty.id,
            suggestion=(
                f"Agree at the partnership board which one organisation is accountable for "
                f"`{duty.id}`; the others keep their part as `raci: responsible` or "
                "`raci: consulted`."
            ),
            related=tuple(
                item.origin.at("raci") for items in accountable.values() for item in items
            ),
        )

    def _roles(
        self, org: Organisation, duty: Duty, own: list[Responsibility]
    ) -> Iterator[Violation]:
        by_role = _accountable(own, _role)
        if len(by_role) < 2:
            return
        second = list(by_role.values())[1][0]
        roles = _roles_with_places(org, by_role)
        yield Violation(
            message=(
                f"{org.name} makes {len(by_role)} roles accountable for {duty_label(duty)}: "
                f"{roles}. One role in each organisation should answer for it, or each can "
                "assume the other has done it."
            ),
            location=second.origin.at("raci"),
            subject=duty.id,
            suggestion=(
                f"Decide which one of these roles answers for the duty; keep `raci: accountable` "
                f"on it for `{duty.id}` in {org.path} and make the others `raci: responsible` "
                "(they do the work) or `raci: consulted`."
            ),
            organisation=org.id,
            related=tuple(item.origin.at("raci") for item in own if item is not second),
        )


def _accountable(
    responsibilities: Iterable[Responsibility], by: Callable[[Responsibility], str]
) -> dict[str, list[Responsibility]]:
    """The accountable responsibilities by organisation or by role, in order."""
    found: dict[str, list[Responsibility]] = {}
    for item in responsibilities:
        if item.raci == "accountable":
            found.setdefault(by(item), []).append(item)
    return found


def _organisation(item: Responsibility) -> str:
    return item.organisation


def _role(item: Responsibility) -> str:
    return item.role


def _places(items: list[Responsibility]) -> str:
    return ", ".join(place(item.origin.at("raci")) for item in items)


def _roles_with_places(org: Organisation, by_role: dict[str, list[Responsibility]]) -> str:
    """`Designated Safeguarding Lead (`dsl`, orgs/st-marys-primary.yaml:9) and ...`"""
    return listing(role_label(org, role_id, _places(items)) for role_id, items in by_role.items())


def _party(model: Model, org_id: str, items: list[Responsibility]) -> str:
    """`Northshire Police through its Public Protection Unit (`ppu`, orgs/...:12)`"""
    org = model.organisation(org_id)
    if org is None:
        return f"{organisation_name(model, org_id)} ({_places(items)})"
    return f"{org.name} through its {_roles_with_places(org, _accountable(items, _role))}"
