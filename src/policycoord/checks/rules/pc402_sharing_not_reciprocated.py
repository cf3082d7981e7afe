"""PC402 sharing-not-reciprocated."""

from __future__ import annotations

from collections.abc import Iterator

from policycoord.checks.rules.base import Rule
from policycoord.core.findings import Location, Severity, Violation
from policycoord.core.text import place
from policycoord.model.model import Model
from policycoord.model.policies import Organisation, Sharing


class SharingNotReciprocated(Rule):
    """An organisation says it shares information with another whose policy does not mention it.

    ## What it does
    For every `sharing` entry of every organisation (A) that names another
    organisation (B) with a policy file, checks that B's policy has a
    `sharing` entry `with:` A. When it has none, reports A's first entry
    for B (once per pair of organisations), with B's `sharing` section (or
    its id when it has none) as the related location. An entry naming the
    organisation itself, or an organisation without a policy file, is not
    checked: there is no other policy to compare with.

    ## Why it matters
    Information sharing only protects a child when both sides know about
    it. When a school believes it passes concerns to a youth club, but the
    club's policy does not mention the school, the club's staff may not
    know that they can, and should, tell the school what they see: the
    pieces of the picture stay in separate places until it is too late.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership: {id: northshire, name: Northshire Safeguarding Children Partnership}
    # file: orgs/st-marys-primary.yaml
    policycoord: 1
    organisation: {id: st-marys-primary, name: St Mary's Primary School, sector: education}
    sharing:
      - with: northshire-youth-trust
        purpose: Pass on concerns about pupils who attend the trust's after-school club.
    # file: orgs/northshire-youth-trust.yaml
    policycoord: 1
    organisation: {id: northshire-youth-trust, name: Northshire Youth Trust, sector: voluntary}
    ```

    ## Fixed
    ```diff
    # file: orgs/northshire-youth-trust.yaml
     organisation: {id: northshire-youth-trust, name: Northshire Youth Trust, sector: voluntary}
    +sharing:
    +  - with: st-marys-primary
    +    purpose: Tell the school about concerns seen at the after-school club.
    ```
    """

    code = "PC402"
    name = "sharing-not-reciprocated"
    default_severity = Severity.INFO
    family = "governance"
    scope = "organisation"

    def check(self, model: Model) -> Iterator[Violation]:
        for sender in model.organisations:
            reported: set[str] = set()
            for entry in sender.sharing:
                partner_id = entry.with_organisation
                if partner_id == sender.id or partner_id in reported:
                    continue
                partner = model.organisation(partner_id)
                if partner is None:
                    continue
                reported.add(partner_id)
                if any(back.with_organisation == sender.id for back in partner.sharing):
                    continue
                yield _violation(sender, partner, entry)


def _sharing_or_id(org: Organisation) -> Location:
    """The organisation's `sharing:` key, or its id when it has no entries."""
    if org.sharing:
        return org.file_origin.key_at("sharing")
    return org.origin.at("id")


def _violation(sender: Organisation, partner: Organisation, entry: Sharing) -> Violation:
    at = entry.origin.at("with")
    return Violation(
        message=(
            f"{sender.name} says it shares information with {partner.name}, whose policy does "
            f"not mention sharing in return ({place(_sharing_or_id(partner))}): staff there may "
            "not know that they can share what they know about a child, or on what basis."
        ),
        location=at,
        subject=partner.id,
        suggestion=(
            "Agree between the two organisations whether they share information about children, "
            f"why and on what basis; then either {partner.name} adds a `sharing` entry "
            f"`with: {sender.id}` (with its `purpose` and `basis`) to {partner.path}, or, if "
            f"they do not share, this entry ({place(at)}) is removed."
        ),
        organisation=sender.id,
        related=(_sharing_or_id(partner),),
    )
