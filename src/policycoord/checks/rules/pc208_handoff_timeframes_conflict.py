"""PC208 handoff-timeframes-conflict."""

from __future__ import annotations

from collections.abc import Iterator

from policycoord.checks.rules.base import Rule
from policycoord.core.findings import Location, Severity, Violation
from policycoord.core.text import listing, place
from policycoord.core.timeframes import Timeframe, format_duration, working_days_explanation
from policycoord.model.model import Model
from policycoord.model.policies import Concern, Organisation, Receipt, RoleRef, Step


class HandoffTimeframesConflict(Rule):
    """The receiver of a hand-off responds more slowly than the sender's step or the concern allows.

    ## What it does
    For every step (and every `out_of_hours` alternative) that hands a
    concern to an existing role of another organisation, finds the
    receiver's `receives` entries that accept the hand-off (the same
    matching as PC206: the concern, the step's target role, a `from` that
    names the sender's sector, its id or `"*"`, or no `from`). When the
    quickest of those that give a `within` is still longer, worst case, than
    the step's own `within` or than the concern's `max_total`, the finding
    is on the sender's step (its `within`, or the target when it has none),
    with the receiver's `within` as related location. `receives` entries
    without `within` are not compared. When the conflict comes only from
    counting working days, the message says so. Without a `concerns`
    section (or with an empty one) it reports nothing: PC008 says there is
    nothing to compare against.

    ## Why it matters
    A sender that promises "4 hours" to a team that only promises to act
    within a working day gives staff and families a false idea of how soon
    help arrives. The sender's path and the partnership's limit are only as
    fast as the slowest organisation in the chain.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership: {id: northshire, name: Northshire Safeguarding Children Partnership}
    concerns:
      - id: allegation-against-staff
        title: An allegation that someone who works with children has harmed a child
        must_reach: [northshire-cs/lado]
        max_total: 24 hours
    # file: orgs/northshire-cs.yaml
    policycoord: 1
    organisation: {id: northshire-cs, name: Northshire Children's Services, sector: social-care}
    roles:
      - {id: lado, title: Local Authority Designated Officer}
    receives:
      - {concern: allegation-against-staff, role: lado, within: 1 working day}
    # file: orgs/st-marys-primary.yaml
    policycoord: 1
    organisation: {id: st-marys-primary, name: St Mary's Primary School, sector: education}
    roles:
      - {id: head, title: Headteacher}
    escalations:
      - concern: allegation-against-staff
        steps:
          - {to: head, within: immediately}
          - {to: northshire-cs/lado, within: 4 hours}
    ```

    ## Fixed
    ```diff
    # file: orgs/northshire-cs.yaml
    -  - {concern: allegation-against-staff, role: lado, within: 1 working day}
    +  - {concern: allegation-against-staff, role: lado, within: 4 hours}
    ```
    """

    code = "PC208"
    name = "handoff-timeframes-conflict"
    default_severity = Severity.WARNING
    family = "escalation"
    scope = "organisation"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None or not partnership.concerns:
            return  # without concerns the family says nothing; PC008 says why
        concerns = {concern.id: concern for concern in partnership.concerns}
        for sender in model.organisations:
            for escalation in sender.escalations:
                concern = concerns.get(escalation.concern)
                if concern is None:
                    continue  # PC201 reports the concern
                for step in escalation.steps:
                    for field, ref in (("to", step.to), ("out_of_hours", step.out_of_hours)):
                        if ref is None or ref.organisation == sender.id:
                            continue  # not a hand-off
                        receiver = model.organisation(ref.organisation)
                        if receiver is None or receiver.role(ref.role) is None:
                            continue  # PC201 reports the target
                        timed = [
                            receipt
                            for receipt in model.accepting_receipts(concern.id, sender, ref)
                            if receipt.within is not None
                        ]
                        if not timed:
                            continue
                        receipt = min(timed, key=_receipt_minutes)
                        violation = _conflict(sender, receiver, concern, step, field, ref, receipt)
                        if violation is not None:
                            yield violation


def _worst(timeframe: Timeframe) -> str:
    return format_duration(timeframe.worst_case_minutes)


def _receipt_minutes(receipt: Receipt) -> int:
    return receipt.within.worst_case_minutes if receipt.within is not None else 0


def _conflict(
    sender: Organisation,
    receiver: Organisation,
    concern: Concern,
    step: Step,
    field: str,
    ref: RoleRef,
    receipt: Receipt,
) -> Violation | None:
    answer = receipt.within
    if answer is None:
        return None
    minutes = answer.worst_case_minutes
    limits: list[tuple[Timeframe, str, Location]] = []
    if step.within is not None and minutes > step.within.worst_case_minutes:
        limits.append((step.within, "the step's own", step.origin.at("within")))
    if concern.max_total is not None and minutes > concern.max_total.worst_case_minutes:
        where = concern.origin.at("max_total")
        limits.append((concern.max_total, "the partnership's `max_total` of", where))
    if not limits:
        return None
    role = receiver.role(ref.role)
    title = role.title if role is not None else ref.role
    how = " outside office hours" if field == "out_of_hours" else ""
    against = listing(
        f"{what} `{limit.text}`"
        + (f" (at worst {_worst(limit)})" if limit.turns_on_working_days else "")
        + f" ({place(at)})"
        for limit, what, at in limits
    )
    received_at = receipt.origin.at("within")
    explanation = working_days_explanation(answer)
    fits = all(answer.nominal_minutes() <= limit.nominal_minutes() for limit, _, _ in limits)
    if explanation is not None and fits:
        why = f" It would fit if working days were plain days, but {explanation}."
    else:
        why = f" At worst that is {_worst(answer)}."
    shortest = min(limit.worst_case_minutes for limit, _, _ in limits)
    target = f"`{format_duration(shortest)}`" if shortest else "`immediately`"
    return Violation(
        message=(
            f"{sender.name} hands {concern.id}{how} to {receiver.name} {title} "
            f"({ref.key}), but it commits to respond only within "
            f"`{answer.text}` ({place(received_at)}), longer than {against}.{why}"
        ),
        location=step.origin.at("within" if step.within is not None else field),
        subject=f"{concern.id}:{ref.key}",
        suggestion=(
            f"Agree with {receiver.name} how quickly it responds to this hand-off: either it "
            f"commits to respond within {target} or less"
            f"{', in hours rather than working days' if answer.turns_on_working_days else ''} "
            f"({place(received_at)}), or the step and the partnership's limit are changed to "
            f"allow for its `{answer.text}`."
        ),
        organisation=sender.id,
        related=(received_at,),
    )
