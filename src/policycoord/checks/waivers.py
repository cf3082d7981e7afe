"""What a waiver is worth: whether it is valid, in force, and which findings
it covers. Shared by the engine (which applies waivers) and the governance
rules that report on them (PC405 expired, PC406 unused, PC407 invalid).

A waiver (partnership file, `waivers:`) accepts the findings of one code for
one organisation, optionally only those about one `subject`, until its
`expires` date. It is *valid* when its code is a rule's code, its
organisation and approvers are known, it gives a reason and an expiry, and
it is approved both by the organisation whose finding it accepts and by at
least one other (the partnership must not silence an organisation's finding
without it, nor an organisation its own finding alone). A `subject`
narrows it to findings about that duty, concern, role or term. It is *in force*
when it is valid and today is not after `expires`. Findings that belong to
no organisation (partnership-wide ones) are waived with the partnership's
own id as `organisation`.
"""

from __future__ import annotations

from collections.abc import Iterable

from policycoord.core.findings import Finding, WaiverRecord
from policycoord.core.text import listing
from policycoord.model.model import Model
from policycoord.model.policies import Waiver

#: The codes about waivers themselves: a waiver of one of these could hide
#: that another waiver is invalid or expired, so they cannot be waived.
UNWAIVABLE = frozenset({"PC405", "PC406", "PC407"})


def known_parties(model: Model) -> frozenset[str]:
    """Who can own or approve a waiver: the partnership itself and its
    members (every organisation with a file when `members` is not given;
    an organisation with a file that is not a member is not one)."""
    partnership = model.partnership
    if partnership is not None and partnership.members is not None:
        parties = set(partnership.members)
    else:
        parties = set(model.by_id)
    if partnership is not None:
        parties.add(partnership.id)
    return frozenset(parties)


def problems(
    waiver: Waiver,
    model: Model,
    codes: Iterable[str],
    parties: frozenset[str] | None = None,
) -> list[str]:
    """Why a waiver is invalid, in plain words; empty when it is valid.
    `parties` is `known_parties(model)`, passed in when checking many."""
    found: list[str] = []
    parties = known_parties(model) if parties is None else parties
    if waiver.code in UNWAIVABLE:
        found.append(
            f"{waiver.code} reports on waivers themselves, so it cannot be waived "
            "(fix the waiver it is about instead)"
        )
    elif waiver.code not in set(codes):
        found.append(f"`{waiver.code}` is not a policycoord finding code")
    if waiver.organisation not in parties:
        found.append(f"`{waiver.organisation}` is not an organisation of the partnership")
    unknown = [
        a
        for a in dict.fromkeys(waiver.approved_by)
        if a not in parties and a != waiver.organisation
    ]
    if unknown:
        one = len(unknown) == 1
        found.append(
            f"{listing(f'`{a}`' for a in unknown)} {'is' if one else 'are'} not known as "
            f"{'an approver' if one else 'approvers'}"
        )
    if not (waiver.reason or "").strip():
        found.append("it gives no reason")
    if waiver.expires is None:
        found.append(
            "its `expires` is not a real date written YYYY-MM-DD"
            if _written(waiver, "expires")
            else "it has no expiry date"
        )
    if waiver.organisation not in waiver.approved_by:
        found.append(f"`{waiver.organisation}`, whose finding it accepts, has not approved it")
    elif not any(a != waiver.organisation for a in waiver.approved_by):
        found.append(
            f"only `{waiver.organisation}` approved it: a finding is accepted by the one it "
            "belongs to and at least one other approver, never by its owner alone"
        )
    return found


def _written(waiver: Waiver, field: str) -> bool:
    """Whether the waiver has `field` at all (`expires: 2026-02-30` is
    written, though not a date the model can hold)."""
    origin = waiver.origin
    return f"{origin.pointer}/{field}" in origin.source_map.values


class Register:
    """The partnership's waivers judged once for a run: which are in force,
    and which waiver in force (the first in file order) covers a finding,
    looked up by code and owner rather than tried one by one."""

    def __init__(self, model: Model, codes: Iterable[str]) -> None:
        self._model = model
        partnership = model.partnership
        every = partnership.waivers if partnership is not None else ()
        known = tuple(codes)
        parties = known_parties(model)
        self.problems = {id(w): problems(w, model, known, parties) for w in every}
        self.in_force = tuple(
            w for w in every if not expired(w, model) and not self.problems[id(w)]
        )
        self._by_owner: dict[tuple[str, str], list[Waiver]] = {}
        for waiver in self.in_force:
            self._by_owner.setdefault((waiver.code, waiver.organisation), []).append(waiver)

    def covering(self, finding: Finding) -> Waiver | None:
        """The first waiver in force that covers the finding, if any."""
        candidates = self._by_owner.get((finding.code, owner(finding, self._model) or ""), ())
        return next((w for w in candidates if covers(w, finding, self._model)), None)


def expired(waiver: Waiver, model: Model) -> bool:
    """Past its `expires` date (the waiver still applies on that day)."""
    return waiver.expires is not None and model.today > waiver.expires


def owner(finding: Finding, model: Model) -> str | None:
    """The id a waiver names for this finding: its organisation, or the
    partnership's id for a partnership-wide finding."""
    if finding.organisation is not None:
        return finding.organisation
    return model.partnership.id if model.partnership is not None else None


def covers(waiver: Waiver, finding: Finding, model: Model) -> bool:
    """Whether the waiver is about this finding (in force or not)."""
    return (
        finding.code == waiver.code
        and owner(finding, model) == waiver.organisation
        and (waiver.subject is None or about(finding, waiver.subject))
    )


def about(finding: Finding, subject: str) -> bool:
    """Whether a finding is about `subject`: its whole subject, or one part
    of it: a PC206 finding about `significant-harm:northshire-cs/mash` is
    about the concern `significant-harm` and about the role
    `northshire-cs/mash`."""
    return subject == finding.subject or subject in finding.subject.split(":")


def record(waiver: Waiver) -> WaiverRecord:
    """The waiver as reports show it."""
    return WaiverRecord(
        code=waiver.code,
        organisation=waiver.organisation,
        subject=waiver.subject,
        reason=(waiver.reason or "").strip(),
        approved_by=waiver.approved_by,
        expires=waiver.expires.isoformat() if waiver.expires is not None else "",
        location=waiver.origin.at("code"),
    )
