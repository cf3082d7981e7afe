"""PC101 duty-unowned."""

from __future__ import annotations

from collections.abc import Iterator

from policycoord.checks.rules.base import Rule
from policycoord.checks.wording import duty_label, organisation_name
from policycoord.core.findings import Severity, Violation
from policycoord.core.text import listing
from policycoord.model.model import Model
from policycoord.model.policies import Duty, Responsibility


class DutyUnowned(Rule):
    """A `partnership` duty has no accountable organisation.

    ## What it does
    For every duty with `scope: partnership`, looks at the responsibilities
    of every organisation (members or not) and reports the duty when none of
    them is `raci: accountable`. Only `accountable` counts: organisations that
    are responsible, consulted or informed are named in the message, but none
    of them owns the duty. A responsibility whose role the organisation lacks
    still counts (PC106 reports the role). The finding is on the duty in the
    partnership file; PC107 may stand beside it on each organisation that is
    responsible.

    ## Why it matters
    A duty the partnership must carry out once (acknowledging referrals,
    convening strategy discussions, notifying the national panel of a
    serious incident) and that nobody owns is the duty every agency assumes
    someone else has done. A child's referral can sit unanswered, or a
    strategy discussion never be called, while each organisation's policy
    looks complete on its own.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership:
      id: northshire
      name: Northshire Safeguarding Children Partnership
      members: [northshire-cs, northshire-police]
    duties:
      - id: respond-to-referral
        title: Acknowledge a referral and decide what happens next
        scope: partnership
        max_within: 1 working day
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
      - duty: respond-to-referral
        role: mash
        raci: responsible
        within: 1 working day
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
      - duty: respond-to-referral
        role: ppu
        raci: consulted
    ```

    ## Fixed
    ```diff
    # file: orgs/northshire-cs.yaml
    -    raci: responsible
    +    raci: accountable
    ```
    """

    code = "PC101"
    name = "duty-unowned"
    default_severity = Severity.ERROR
    family = "gaps"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None or partnership.duties is None:
            return  # PC008 says the duties are missing
        for duty in partnership.duties:
            if duty.scope != "partnership":
                continue
            responsibilities = model.responsibilities_for(duty.id)
            if any(item.raci == "accountable" for item in responsibilities):
                continue
            message = (
                f"Nobody is accountable for {duty_label(duty)}: the partnership needs one "
                "organisation to answer for this duty, and no organisation's policy names an "
                "accountable role for it."
            )
            others = _lesser_parts(model, responsibilities)
            if others:
                message += f" {others}."
            yield Violation(
                message=message,
                location=duty.origin.at("id"),
                subject=duty.id,
                suggestion=_suggestion(model, duty, responsibilities),
                related=tuple(item.origin.at("raci") for item in responsibilities),
            )


#: the parts an organisation can take short of being accountable, strongest first
_LESSER_PARTS = ("responsible", "consulted", "informed")


def _lesser_parts(model: Model, responsibilities: tuple[Responsibility, ...]) -> str:
    """`Northshire Police is only responsible; A and B are only consulted.`:
    each organisation once, under the strongest part it takes."""
    strongest: dict[str, int] = {}
    for item in responsibilities:
        if item.raci in _LESSER_PARTS:
            rank = _LESSER_PARTS.index(item.raci)
            strongest[item.organisation] = min(rank, strongest.get(item.organisation, rank))
    sentences = []
    for rank, part in enumerate(_LESSER_PARTS):
        names = [organisation_name(model, org) for org, best in strongest.items() if best == rank]
        if names:
            verb = "is" if len(names) == 1 else "are"
            sentences.append(f"{listing(names)} {verb} only {part}")
    return "; ".join(sentences)


def _suggestion(model: Model, duty: Duty, responsibilities: tuple[Responsibility, ...]) -> str:
    advice = (
        f"Agree at the partnership board which one organisation is accountable for "
        f"`{duty.id}`, and record it in that organisation's policy file as a responsibility "
        "with `raci: accountable`."
    )
    doers = list(
        dict.fromkeys(
            organisation_name(model, item.organisation)
            for item in responsibilities
            if item.raci == "responsible"
        )
    )
    if doers:
        verb = "does" if len(doers) == 1 else "do"
        advice += f" {listing(doers)} already {verb} the work and may be the natural choice."
    return advice
